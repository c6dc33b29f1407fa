import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { expectRule, param } from '../helpers';

describe('SNSTopicCustomerManagedKey', () => {
  const rule = 'SNSTopicCustomerManagedKey';
  test('Compliance 1: L2 topic with a customer-managed key', () => {
    expectRule(rule, (s) => new sns.Topic(s, 'T', { masterKey: new kms.Key(s, 'K') }), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 topic unencrypted', () => {
    expectRule(rule, (s) => new sns.Topic(s, 'T'), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 topic with alias/aws/sns', () => {
    expectRule(rule, (s) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: 'alias/aws/sns' }), 'T', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    const f = expectRule(rule, (s) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: param(s) }), 'T', 'ERROR');
    expect(f!.message).toContain('cannot verify KmsMasterKeyId: unresolved value {"Ref":"P"}');
  });
});
