import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { expectRule, param } from '../helpers';

describe('SQSQueueCustomerManagedKey', () => {
  const rule = 'SQSQueueCustomerManagedKey';
  test('Compliance 1: L2 queue with a customer-managed key', () => {
    expectRule(rule, (s) => new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: new kms.Key(s, 'K') }), 'Q/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 queue with SQS-managed encryption', () => {
    expectRule(rule, (s) => new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.SQS_MANAGED }), 'Q/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 queue with alias/aws/sqs', () => {
    expectRule(rule, (s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: 'alias/aws/sqs' }), 'Q', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: param(s) }), 'Q', 'ERROR');
  });
});
