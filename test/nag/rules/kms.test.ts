import * as kms from 'aws-cdk-lib/aws-kms';
import { expectRule, paramValue } from '../helpers';

describe('KMSKeyRotation', () => {
  const rule = 'KMSKeyRotation';
  test('Compliance 1: L2 key with rotation', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: true }), 'K/Resource', 'PASS');
  });
  test('Compliance 2: an asymmetric L1 key is not applicable', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', keyPolicy: {} }), 'K', 'N/A');
  });
  test('Noncompliance 1: L2 key without rotation', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: false }), 'K/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 key without the property', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: {} }), 'K', 'FAIL');
  });
  test('Unresolved 1: rotation is a parameter', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: {}, enableKeyRotation: paramValue(s) }), 'K', 'ERROR');
  });
});
