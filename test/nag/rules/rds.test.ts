import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { describeMetadata, expectRule, param, paramValue } from '../helpers';

const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
const vpc = (s: Stack) => new ec2.Vpc(s, 'V', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const l1 = (s: Stack, extra: Partial<rds.CfnDBInstanceProps>) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', ...extra });

describe('RDSStorageCustomerManagedKey', () => {
  const rule = 'RDSStorageCustomerManagedKey';
  test('Compliance 1: L2 instance with a customer-managed key', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, storageEncryptionKey: new kms.Key(s, 'K') }), 'Db/Resource', 'PASS');
  });
  test('Compliance 2: L2 Aurora cluster with a key; its instances are not applicable', () => {
    const build = (s: Stack) => new rds.DatabaseCluster(s, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, writer: rds.ClusterInstance.provisioned('W'), storageEncryptionKey: new kms.Key(s, 'K'),
    });
    expectRule(rule, build, 'Db/Resource', 'PASS');
    expectRule(rule, build, 'Db/W/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 instance encrypted with aws/rds', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, storageEncrypted: true }), 'Db/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 instance unencrypted', () => {
    const f = expectRule(rule, (s) => l1(s, {}), 'Db', 'FAIL');
    expect(f!.message).toContain('StorageEncrypted is not true');
  });
  test('Noncompliance 3: L1 instance naming a customer-managed key but StorageEncrypted not set', () => {
    const f = expectRule(rule, (s) => l1(s, { kmsKeyId: new kms.Key(s, 'K').keyArn }), 'Db', 'FAIL');
    expect(f!.message).toContain('StorageEncrypted is not true');
  });
  test('Noncompliance 4: the FAIL says the AWS-managed key is used', () => {
    const f = expectRule(rule, (s) => l1(s, { storageEncrypted: true }), 'Db', 'FAIL');
    expect(f!.message).toContain('no customer-managed KmsKeyId: the AWS-managed aws/rds key');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => l1(s, { storageEncrypted: true, kmsKeyId: param(s) }), 'Db', 'ERROR');
  });
  test('Unresolved 2: StorageEncrypted is a parameter; the ERROR names it', () => {
    const f = expectRule(rule, (s) => l1(s, { storageEncrypted: paramValue(s), kmsKeyId: new kms.Key(s, 'K').keyArn }), 'Db', 'ERROR');
    expect(f!.message).toContain('cannot verify StorageEncrypted');
  });
});

describe('RDSNotPubliclyAccessible', () => {
  const rule = 'RDSNotPubliclyAccessible';
  test('Compliance 1: L2 instance in isolated subnets', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, publiclyAccessible: false }), 'Db/Resource', 'PASS');
  });
  test('Compliance 2: L1 PubliclyAccessible false without a subnet group', () => {
    expectRule(rule, (s) => l1(s, { publiclyAccessible: false }), 'Db', 'PASS');
  });
  test('Compliance 3: L1 in a named subnet group without the property (private by default)', () => {
    expectRule(rule, (s) => l1(s, { dbSubnetGroupName: 'data' }), 'Db', 'PASS');
  });
  test('Compliance 4: an Aurora member of a cluster in a named subnet group, without the property', () => {
    expectRule(rule, (s) => {
      const c = new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbSubnetGroupName: 'data' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
    }, 'Db', 'PASS');
  });
  test('Noncompliance 3: an Aurora member of a cluster without a subnet group (default VPC), without the property', () => {
    const f = expectRule(rule, (s) => {
      const c = new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
    }, 'Db', 'FAIL');
    expect(f!.message).toContain('S/C');
    expect(f!.message).toContain('in the default VPC the instance is public');
  });
  test('Compliance 5: an Aurora member of a cluster without a subnet group, PubliclyAccessible false', () => {
    expectRule(rule, (s) => {
      const c = new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref, publiclyAccessible: false });
    }, 'Db', 'PASS');
  });
  describe('an Aurora member naming its cluster by a literal identifier (as hand-written templates do)', () => {
    const member = (s: Stack, id: string) => new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: id });
    test('Compliance: the app\'s cluster of that identifier is in a named subnet group', () => {
      expectRule(rule, (s) => {
        new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbSubnetGroupName: 'data' });
        member(s, 'orders');
      }, 'Db', 'PASS');
    });
    test('Noncompliance: the app\'s cluster of that identifier names no subnet group (identifiers compared as RDS stores them, in lower case)', () => {
      const f = expectRule(rule, (s) => {
        new rds.CfnDBCluster(s, 'Other', { engine: 'aurora-postgresql', dbClusterIdentifier: 'billing', dbSubnetGroupName: 'data' });
        new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'Orders' });
        member(s, 'orders');
      }, 'Db', 'FAIL');
      expect(f!.message).toContain('S/C');
    });
    test('Unresolved: the only cluster of that identifier is in another region (identifiers are unique per account and region)', () => {
      const app = new App();
      const here = new Stack(app, 'Here', { env: { account: '111111111111', region: 'us-east-1' } });
      const there = new Stack(app, 'There', { env: { account: '111111111111', region: 'us-west-2' } });
      new rds.CfnDBCluster(there, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbSubnetGroupName: 'data' });
      member(here, 'orders');
      const f = evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') }).filter((x) => x.resource.id === 'Here/Db');
      expect(f.map((x) => x.status)).toEqual(['ERROR']);
      expect(f[0].message).toContain('orders');
    });
    test('Unresolved: the identifier is a parameter while the app has named clusters; the ERROR says what cannot be verified', () => {
      const f = expectRule(rule, (s) => {
        new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbSubnetGroupName: 'data' });
        member(s, param(s));
      }, 'Db', 'ERROR');
      expect(f!.message).toContain('cannot verify the subnet group of the instance cluster (not a cluster of the app)');
    });
    test('Unresolved: the app\'s only cluster has a generated identifier, so the literal names a cluster outside the app', () => {
      const f = expectRule(rule, (s) => {
        new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', dbSubnetGroupName: 'data' });
        member(s, 'orders');
      }, 'Db', 'ERROR');
      expect(f!.message).toContain('cannot verify the subnet group of the instance cluster (not a cluster of the app)');
      expect(f!.message).toContain('orders');
    });
    test('Unresolved: two clusters of the app claim that identifier (a template that cannot deploy): no guess', () => {
      expectRule(rule, (s) => {
        new rds.CfnDBCluster(s, 'C1', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbSubnetGroupName: 'data' });
        new rds.CfnDBCluster(s, 'C2', { engine: 'aurora-postgresql', dbClusterIdentifier: 'ORDERS' });
        member(s, 'orders');
      }, 'Db', 'ERROR');
    });
  });
  test('Unresolved 2: an Aurora member of a cluster outside the app, without the property', () => {
    const f = expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'prod-cluster' }), 'Db', 'ERROR');
    expect(f!.message).toContain('prod-cluster');
  });
  test('Compliance 6: the L2 Aurora cluster writer', () => {
    expectRule(rule, (s) => new rds.DatabaseCluster(s, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, writer: rds.ClusterInstance.provisioned('W'),
    }), 'Db/W/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 publiclyAccessible true', () => {
    const f = expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, publiclyAccessible: true }), 'Db/Resource', 'FAIL');
    expect(f!.message).toContain('PubliclyAccessible is true');
  });
  test('Noncompliance 2: L1 without subnet group or the property (default VPC)', () => {
    const f = expectRule(rule, (s) => l1(s, {}), 'Db', 'FAIL');
    expect(f!.message).toContain('PubliclyAccessible is not set and no subnet group is named: in the default VPC the instance is public');
  });
  test('Unresolved 1: the property is a parameter', () => {
    const f = expectRule(rule, (s) => l1(s, { publiclyAccessible: paramValue(s) }), 'Db', 'ERROR');
    expect(f!.message).toContain('cannot verify PubliclyAccessible');
  });
});

describe('RDSDeletionProtection', () => {
  const rule = 'RDSDeletionProtection';
  test('Compliance 1: L2 instance with deletion protection', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, deletionProtection: true }), 'Db/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 instance without', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, deletionProtection: false }), 'Db/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 cluster without', () => {
    expectRule(rule, (s) => new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql' }), 'C', 'FAIL');
  });
  test('Compliance 2: an Aurora cluster member is judged by its cluster', () => {
    const build = (s: Stack) => new rds.DatabaseCluster(s, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, writer: rds.ClusterInstance.provisioned('W'), deletionProtection: true,
    });
    expectRule(rule, build, 'Db/Resource', 'PASS');
    expectRule(rule, build, 'Db/W/Resource', 'N/A');
  });
  test('Unresolved 1: the property is a parameter', () => {
    const f = expectRule(rule, (s) => l1(s, { deletionProtection: paramValue(s) }), 'Db', 'ERROR');
    expect(f!.message).toContain('cannot verify DeletionProtection');
  });
});

describe('what users read of the RDS rules', () => {
  describeMetadata('RDSStorageCustomerManagedKey', 'RDSNotPubliclyAccessible', 'RDSDeletionProtection');
});
