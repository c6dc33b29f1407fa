import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { expectRule, param } from '../helpers';

const lockedVault = (s: Stack) => new backup.BackupVault(s, 'Vault', { lockConfiguration: { minRetention: Duration.days(35), changeableFor: Duration.days(3) } });
const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

describe('BackupVaultLocked', () => {
  const rule = 'BackupVaultLocked';
  test('Compliance 1: L2 vault locked in compliance mode', () => {
    expectRule(rule, (s) => lockedVault(s), 'Vault/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 vault without a lock', () => {
    expectRule(rule, (s) => new backup.BackupVault(s, 'Vault'), 'Vault/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 vault locked in governance mode', () => {
    expectRule(rule, (s) => new backup.CfnBackupVault(s, 'Vault', { backupVaultName: 'v', lockConfiguration: { minRetentionDays: 7 } }), 'Vault', 'FAIL');
  });
  test('Unresolved 1: the grace period is a parameter', () => {
    expectRule(rule, (s) => new backup.CfnBackupVault(s, 'Vault', { backupVaultName: 'v', lockConfiguration: { minRetentionDays: 7, changeableForDays: param(s) as unknown as number } }), 'Vault', 'ERROR');
  });
});

describe('BackupPlanLockedVault', () => {
  const rule = 'BackupPlanLockedVault';
  test('Compliance 1: L2 plan writing to a locked vault', () => {
    expectRule(rule, (s) => backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)), 'Plan/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 plan writing to an unlocked vault', () => {
    expectRule(rule, (s) => backup.BackupPlan.daily35DayRetention(s, 'Plan', new backup.BackupVault(s, 'Vault')), 'Plan/Resource', 'FAIL');
  });
  test('Unresolved 1: the vault is a parameter', () => {
    expectRule(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: param(s) }] } }), 'Plan', 'ERROR');
  });
});

describe('StatefulResourceBackedUp', () => {
  const rule = 'StatefulResourceBackedUp';
  test('Compliance 1: L2 table selected by construct', () => {
    expectRule(rule, (s) => {
      const t = new dynamodb.Table(s, 'T', { partitionKey });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(t)] });
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: L1 bucket selected by tag', () => {
    expectRule(rule, (s) => {
      new s3.CfnBucket(s, 'B', { tags: [{ key: 'hardening:backup', value: 'required' }] });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromTag('hardening:backup', 'required')] });
    }, 'B', 'PASS');
  });
  test('Noncompliance 1: L2 table outside every selection', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey }), 'T/Resource', 'FAIL');
  });
  test('Unresolved 1: a selection resource is a parameter', () => {
    expectRule(rule, (s) => {
      new dynamodb.Table(s, 'T', { partitionKey });
      backup.BackupPlan.daily35DayRetention(s, 'Plan', lockedVault(s)).addSelection('Sel', { resources: [backup.BackupResource.fromArn(param(s))] });
    }, 'T/Resource', 'ERROR');
  });
});

describe('StatefulResourceRetained', () => {
  const rule = 'StatefulResourceRetained';
  test('Compliance 1: L2 bucket retained (the default)', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 table destroyed with the stack', () => {
    expectRule(rule, (s) => new dynamodb.Table(s, 'T', { partitionKey, removalPolicy: RemovalPolicy.DESTROY }), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 bucket with no deletion policy', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL');
  });
  test('Noncompliance 3: Snapshot is not retention for a bucket', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.SNAPSHOT }), 'B/Resource', 'FAIL');
  });
  test('Unresolved 1: a DeletionPolicy overridden with a parameter', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B').addOverride('DeletionPolicy', param(s)), 'B', 'ERROR');
  });
});
