import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { expectRule, param, paramValue } from '../helpers';

describe('LogGroupCustomerManagedKey', () => {
  const rule = 'LogGroupCustomerManagedKey';
  test('Compliance 1: L2 log group with a key', () => {
    expectRule(rule, (s) => new logs.LogGroup(s, 'L', { encryptionKey: new kms.Key(s, 'K') }), 'L/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 log group without a key', () => {
    expectRule(rule, (s) => new logs.LogGroup(s, 'L'), 'L/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 log group without a key', () => {
    expectRule(rule, (s) => new logs.CfnLogGroup(s, 'L'), 'L', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => new logs.CfnLogGroup(s, 'L', { kmsKeyId: param(s) }), 'L', 'ERROR');
  });
});

describe('LogGroupRetention', () => {
  const rule = 'LogGroupRetention';
  test('Compliance 1: L2 three years', () => {
    expectRule(rule, (s) => new logs.LogGroup(s, 'L', { retention: logs.RetentionDays.THREE_YEARS }), 'L/Resource', 'PASS');
  });
  test('Compliance 2: L1 never expires', () => {
    expectRule(rule, (s) => new logs.CfnLogGroup(s, 'L'), 'L', 'PASS');
  });
  test('Noncompliance 1: L2 one month', () => {
    expectRule(rule, (s) => new logs.LogGroup(s, 'L', { retention: logs.RetentionDays.ONE_MONTH }), 'L/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 364 days', () => {
    expectRule(rule, (s) => new logs.CfnLogGroup(s, 'L', { retentionInDays: 364 }), 'L', 'FAIL');
  });
  test('Unresolved 1: retention is a parameter', () => {
    const f = expectRule(rule, (s) => new logs.CfnLogGroup(s, 'L', { retentionInDays: paramValue(s) as unknown as number }), 'L', 'ERROR');
    expect(f!.message).toMatch(/cannot verify RetentionInDays/);
  });
  test('Compliance 3: exactly 365 days (L2 ONE_YEAR) is enough', () => {
    expectRule(rule, (s) => new logs.LogGroup(s, 'L', { retention: logs.RetentionDays.ONE_YEAR }), 'L/Resource', 'PASS');
  });
});
