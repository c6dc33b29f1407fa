import { App, CfnCondition, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { expectRule, param, paramValue } from '../helpers';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';

const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };
const l1Table = (s: import('aws-cdk-lib').Stack, extra: Partial<dynamodb.CfnTableProps>) => new dynamodb.CfnTable(s, 'T', {
  keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], ...extra,
});
const l1GlobalTable = (s: Stack, extra: Partial<dynamodb.CfnGlobalTableProps> & Pick<dynamodb.CfnGlobalTableProps, 'replicas'>) => new dynamodb.CfnGlobalTable(s, 'G', {
  keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST', ...extra,
});
/** A value CloudFormation picks at deploy time (Fn::If on a parameter): no rule can know which branch applies. */
const either = <T, U = T>(s: Stack, a: T, b: U): T => Fn.conditionIf(new CfnCondition(s, 'C', { expression: Fn.conditionEquals(param(s, 'Which'), 'a') }).logicalId, a, b) as unknown as T;
const cmkSse = { sseEnabled: true, sseType: 'KMS' };
const keyArn = (region: string) => `arn:aws:kms:${region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

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
    const f = expectRule(rule, (s) => l1Table(s, { sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: param(s) } }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify KMSMasterKeyId/);
  });
  test('fails when the table uses the AWS-owned key, and says so', () => {
    const f = expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, encryption: dynamodb.TableEncryption.DEFAULT }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/SSEEnabled is not true: the table uses the AWS-owned key/);
  });
  test('fails when the AWS-managed aws/dynamodb key is used, and says so', () => {
    const f = expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, encryption: dynamodb.TableEncryption.AWS_MANAGED }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/no customer-managed KMSMasterKeyId: the AWS-managed aws\/dynamodb key/);
  });
  test('Unresolved 2: SSEEnabled is a parameter (ERROR naming SSEEnabled, never PASS)', () => {
    const f = expectRule(rule, (s) => l1Table(s, { sseSpecification: { sseEnabled: paramValue(s), sseType: 'KMS', kmsMasterKeyId: keyArn('us-east-1') } }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify SSEEnabled/);
  });
  test('Unresolved 3: the whole SSESpecification is chosen at deploy time (ERROR naming SSESpecification)', () => {
    const f = expectRule(rule, (s) => l1Table(s, { sseSpecification: either(s, { sseEnabled: true, kmsMasterKeyId: keyArn('us-east-1') }, { sseEnabled: false }) }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify SSESpecification/);
  });

  describe('global tables (AWS::DynamoDB::GlobalTable, what TableV2 renders)', () => {
    const replicas: dynamodb.CfnGlobalTable.ReplicaSpecificationProperty[] = [{ region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: keyArn('eu-west-1') } }, { region: 'us-east-1', sseSpecification: { kmsMasterKeyId: keyArn('us-east-1') } }];
    test('Compliance: every replica names a customer-managed key', () => {
      expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas }), 'G', 'PASS');
    });
    test('fails when the global table uses the AWS-owned key (SSEEnabled false), even if replicas name keys', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: { sseEnabled: false }, replicas }), 'G', 'FAIL');
      expect(f!.message).toMatch(/SSESpecification is not SSEEnabled with SSEType KMS/);
    });
    test('fails when the global table has no SSESpecification at all', () => {
      expectRule(rule, (s) => l1GlobalTable(s, { replicas }), 'G', 'FAIL');
    });
    test('fails when SSEEnabled is true but SSEType is not KMS', () => {
      expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: { sseEnabled: true }, replicas }), 'G', 'FAIL');
    });
    test('fails when SSEType is KMS but SSEEnabled is false', () => {
      expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: { sseEnabled: false, sseType: 'KMS' }, replicas }), 'G', 'FAIL');
    });
    test('fails on TableV2 with the AWS-owned key', () => {
      expectRule(rule, (s) => new dynamodb.TableV2(s, 'T', { partitionKey, encryption: dynamodb.TableEncryptionV2.dynamoOwnedKey() }), 'T/Resource', 'FAIL');
    });
    test('fails on TableV2 with the AWS-managed key: the message names each replica region', () => {
      const f = expectRule(rule, (s) => new dynamodb.TableV2(s, 'T', { partitionKey, encryption: dynamodb.TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }] }),
        'T/Resource', 'FAIL');
      expect(f!.message).toMatch(/replica eu-west-1 has no customer-managed key/);
      expect(f!.message).toMatch(/replica us-east-1 has no customer-managed key/);
    });
    test('every replica is examined: a second replica on the AWS-managed key fails, named by region', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: [
        { region: 'us-east-1', sseSpecification: { kmsMasterKeyId: keyArn('us-east-1') } },
        { region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: 'alias/aws/dynamodb' } },
      ] }), 'G', 'FAIL');
      expect(f!.message).toMatch(/replica eu-west-1 has no customer-managed key/);
      expect(f!.message).not.toMatch(/us-east-1/);
    });
    test('fails when a replica has no SSESpecification (no key)', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: [replicas[0], { region: 'ap-south-1' }] }), 'G', 'FAIL');
      expect(f!.message).toMatch(/replica ap-south-1 has no customer-managed key/);
    });
    test('Unresolved: SSEType or SSEEnabled is a parameter (ERROR naming the property)', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: { sseEnabled: true, sseType: param(s) }, replicas }), 'G', 'ERROR');
      expect(f!.message).toMatch(/cannot verify SSEType/);
      const g = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: { sseEnabled: paramValue(s), sseType: 'KMS' }, replicas }), 'G', 'ERROR');
      expect(g!.message).toMatch(/cannot verify SSEEnabled/);
    });
    test('Unresolved: the replica list is chosen at deploy time (ERROR naming Replicas)', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: either(s, replicas, [{ region: 'us-east-1' }]) }), 'G', 'ERROR');
      expect(f!.message).toMatch(/cannot verify Replicas/);
    });
    test('Unresolved: one replica is chosen at deploy time (ERROR naming the replica)', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: [replicas[1], either(s, replicas[0], { region: 'eu-west-1' })] }), 'G', 'ERROR');
      expect(f!.message).toMatch(/cannot verify replica:/);
    });
    test("Unresolved: a replica's SSESpecification or key is chosen at deploy time (ERROR naming it)", () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: [
        replicas[1], { region: 'eu-west-1', sseSpecification: either(s, { kmsMasterKeyId: keyArn('eu-west-1') }, { kmsMasterKeyId: 'alias/aws/dynamodb' }) },
      ] }), 'G', 'ERROR');
      expect(f!.message).toMatch(/cannot verify replica SSESpecification/);
      const g = expectRule(rule, (s) => l1GlobalTable(s, { sseSpecification: cmkSse, replicas: [replicas[1], { region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: param(s) } }] }), 'G', 'ERROR');
      expect(g!.message).toMatch(/cannot verify replica KMSMasterKeyId/);
    });
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
    const f = expectRule(rule, (s) => l1Table(s, { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtectionEnabled: paramValue(s) }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify DeletionProtectionEnabled/);
  });
  test('fails without deletion protection, and says so', () => {
    const f = expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/deletion protection is off/);
    expect(f!.message).not.toMatch(/point-in-time recovery is off/);
  });
  test('Unresolved 2: PITR is a parameter (ERROR naming PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled)', () => {
    const f = expectRule(rule, (s) => l1Table(s, { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: paramValue(s) }, deletionProtectionEnabled: true }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify PointInTimeRecoverySpecification\.PointInTimeRecoveryEnabled/);
  });

  describe('global tables (AWS::DynamoDB::GlobalTable: both settings are per replica)', () => {
    const safe = (region: string): dynamodb.CfnGlobalTable.ReplicaSpecificationProperty => ({ region, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtectionEnabled: true });
    test('Compliance: every replica has both', () => {
      expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), safe('eu-west-1')] }), 'G', 'PASS');
    });
    test('every replica is examined: a second replica without PITR fails, named by region', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), { ...safe('eu-west-1'), pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }] }), 'G', 'FAIL');
      expect(f!.message).toMatch(/replica eu-west-1: point-in-time recovery is off/);
      expect(f!.message).not.toMatch(/us-east-1|deletion protection is off/);
    });
    test('every replica is examined: a second replica without deletion protection fails, named by region', () => {
      const f = expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), { ...safe('eu-west-1'), deletionProtectionEnabled: undefined }] }), 'G', 'FAIL');
      expect(f!.message).toMatch(/replica eu-west-1: deletion protection is off/);
      expect(f!.message).not.toMatch(/us-east-1|point-in-time recovery is off/);
    });
    test('fails on an L2 TableV2 whose added replica turns PITR off', () => {
      const f = expectRule(rule, (s) => new dynamodb.TableV2(s, 'T', { partitionKey, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: true,
        replicas: [{ region: 'eu-central-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }] }), 'T/Resource', 'FAIL');
      expect(f!.message).toMatch(/replica eu-central-1: point-in-time recovery is off/);
    });
    test('Unresolved: the replica list, a replica, or a replica setting chosen at deploy time is an ERROR naming it', () => {
      const lst = expectRule(rule, (s) => l1GlobalTable(s, { replicas: either(s, [safe('us-east-1')], [{ region: 'us-east-1' }]) }), 'G', 'ERROR');
      expect(lst!.message).toMatch(/cannot verify Replicas/);
      const one = expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), either(s, safe('eu-west-1'), { region: 'eu-west-1' })] }), 'G', 'ERROR');
      expect(one!.message).toMatch(/cannot verify replica:/);
      const pitr = expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), { ...safe('eu-west-1'), pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: paramValue(s) } }] }), 'G', 'ERROR');
      expect(pitr!.message).toMatch(/cannot verify replica PointInTimeRecoverySpecification\.PointInTimeRecoveryEnabled/);
      const del = expectRule(rule, (s) => l1GlobalTable(s, { replicas: [safe('us-east-1'), { ...safe('eu-west-1'), deletionProtectionEnabled: paramValue(s) }] }), 'G', 'ERROR');
      expect(del!.message).toMatch(/cannot verify replica DeletionProtectionEnabled/);
    });
  });
});

describe('a replica in the region of an environment-agnostic stack', () => {
  // TableV2 gives its own replica the region { Ref: AWS::Region } when the stack has no region
  const findings = (rule: string) => {
    const app = new App();
    const s = new Stack(app, 'Agnostic');
    new dynamodb.TableV2(s, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecovery: false,
    });
    return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') });
  };
  test.each(['DynamoDBTableCustomerManagedKey', 'DynamoDBTableRecovery'])('%s: the message says the stack\'s region, not [object Object]', (rule) => {
    const [f] = findings(rule);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain("replica in the stack's region");
    expect(f.message).not.toContain('[object Object]');
  });
});
