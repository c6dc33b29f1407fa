import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { expectRule, param, paramValue } from '../helpers';

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
    expectRule(rule, (s) => l1(s, {}), 'Db', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => l1(s, { storageEncrypted: true, kmsKeyId: param(s) }), 'Db', 'ERROR');
  });
});

describe('RDSNotPubliclyAccessible', () => {
  const rule = 'RDSNotPubliclyAccessible';
  test('Compliance 1: L2 instance in isolated subnets', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, publiclyAccessible: false }), 'Db/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 publiclyAccessible true', () => {
    expectRule(rule, (s) => new rds.DatabaseInstance(s, 'Db', { engine, vpc: vpc(s), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, publiclyAccessible: true }), 'Db/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 without subnet group or the property (default VPC)', () => {
    expectRule(rule, (s) => l1(s, {}), 'Db', 'FAIL');
  });
  test('Unresolved 1: the property is a parameter', () => {
    expectRule(rule, (s) => l1(s, { publiclyAccessible: paramValue(s) }), 'Db', 'ERROR');
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
  test('Unresolved 1: the property is a parameter', () => {
    expectRule(rule, (s) => l1(s, { deletionProtection: paramValue(s) }), 'Db', 'ERROR');
  });
});
