import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { expectRule, param, paramValue } from '../helpers';

const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
const l1Table = (s: import('aws-cdk-lib').Stack, extra: Partial<dynamodb.CfnTableProps>) => new dynamodb.CfnTable(s, 'T', {
  keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], ...extra,
});

describe('DynamoDBTableCustomerManagedKey', () => {
  const rule = 'DynamoDBTableCustomerManagedKey';
  test('Compliance 1: L2 Table with CUSTOMER_MANAGED', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: new kms.Key(s, 'K') }), 'T/Resource', 'PASS');
  });
  test('Compliance 2: L2 TableV2 with a customer-managed key', () => {
    expectRule(rule, (s) => new dynamodb.TableV2(s, 'T', { partitionKey, encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(s, 'K')) }), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 Table with the AWS-owned key', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey }), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L2 Table with AWS_MANAGED', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, encryption: dynamodb.TableEncryption.AWS_MANAGED }), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 3: L1 table naming alias/aws/dynamodb', () => {
    expectRule(rule, (s) => l1Table(s, { sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/aws/dynamodb' } }), 'T', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => l1Table(s, { sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: param(s) } }), 'T', 'ERROR');
  });
});

describe('DynamoDBTableRecovery', () => {
  const rule = 'DynamoDBTableRecovery';
  test('Compliance 1: L2 Table with PITR and deletion protection', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: true }), 'T/Resource', 'PASS');
  });
  test('Compliance 2: L2 TableV2 with both', () => {
    expectRule(rule, (s) => new dynamodb.TableV2(s, 'T', { partitionKey, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: true }), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 Table without PITR', () => {
    const f = expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, deletionProtection: true, removalPolicy: RemovalPolicy.RETAIN }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/point-in-time recovery is off/);
  });
  test('Noncompliance 2: L1 table without deletion protection', () => {
    expectRule(rule, (s) => l1Table(s, { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }), 'T', 'FAIL');
  });
  test('Unresolved 1: deletion protection is a parameter', () => {
    expectRule(rule, (s) => l1Table(s, { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtectionEnabled: paramValue(s) }), 'T', 'ERROR');
  });
});
