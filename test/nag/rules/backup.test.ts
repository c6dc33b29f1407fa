import { CfnResource, Duration, IResolvable, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Expected, expectRule, param, paramValue } from '../helpers';

const lockedVault = (s: Stack) => new backup.BackupVault(s, 'Vault', { lockConfiguration: { minRetention: Duration.days(35), changeableFor: Duration.days(3) } });
const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** The message an auditor reads on the rule's finding for one resource. */
const messageOf = (rule: string, build: (s: Stack) => void, path: string, status: Expected): string => expectRule(rule, build, path, status)!.message;

/** An L1 vault (logical id = `id`) with the given lock, or none. */
const cfnVault = (s: Stack, lockConfiguration?: backup.CfnBackupVault.LockConfigurationTypeProperty | IResolvable, id = 'Vault') =>
  new backup.CfnBackupVault(s, id, { backupVaultName: id.toLowerCase(), lockConfiguration });

/** An Aurora cluster with one member instance (logical ids C and I). */
function auroraMember(s: Stack): void {
  const c = new rds.CfnDBCluster(s, 'C', { engine: 'aurora-postgresql', masterUsername: 'admin', manageMasterUserPassword: true });
  new rds.CfnDBInstance(s, 'I', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
}

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
  test('Compliance 2: a compliance-mode lock with a one-day minimum retention', () => {
    expectRule(rule, (s) => cfnVault(s, { minRetentionDays: 1, changeableForDays: 3 }), 'Vault', 'PASS');
  });
  test('Noncompliance 3: the FAIL says the vault has no lock', () => {
    expect(messageOf(rule, (s) => cfnVault(s), 'Vault', 'FAIL')).toContain('the vault has no lock');
  });
  test('Noncompliance 4: the FAIL says a governance-mode lock can be removed by administrators', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 7 }), 'Vault', 'FAIL');
    expect(m).toContain('governance mode (no ChangeableForDays)');
    expect(m).toContain('administrators can remove');
    expect(m).not.toContain('no minimum retention');
  });
  test('Noncompliance 5: a compliance-mode lock with a zero minimum retention fails, and says so', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 0, changeableForDays: 3 }), 'Vault', 'FAIL');
    expect(m).toContain('the lock sets no minimum retention');
    expect(m).not.toContain('governance');
  });
  test('Noncompliance 6: a compliance-mode lock without MinRetentionDays fails', () => {
    expectRule(rule, (s) => cfnVault(s, { minRetentionDays: 7, changeableForDays: 3 }).addPropertyDeletionOverride('LockConfiguration.MinRetentionDays'), 'Vault', 'FAIL');
  });
  test('Unresolved 1: the grace period is a parameter', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: 7, changeableForDays: param(s) as unknown as number }), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify ChangeableForDays');
  });
  test('Unresolved 2: the minimum retention is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => cfnVault(s, { minRetentionDays: param(s) as unknown as number, changeableForDays: 3 }), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify MinRetentionDays');
  });
  test('Unresolved 3: the whole lock configuration is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => cfnVault(s, paramValue(s)), 'Vault', 'ERROR');
    expect(m).toContain('cannot verify LockConfiguration');
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
  test('Noncompliance 2: the FAIL names the plan rule and the unlocked vault it writes to, not the locked one', () => {
    const m = messageOf(rule, (s) => {
      const locked = cfnVault(s, { minRetentionDays: 35, changeableForDays: 3 }, 'LockedVault');
      const open = cfnVault(s, undefined, 'OpenVault');
      new backup.CfnBackupPlan(s, 'Plan', {
        backupPlan: {
          backupPlanName: 'p',
          backupPlanRule: [{ ruleName: 'monthly', targetBackupVault: locked.ref }, { ruleName: 'nightly', targetBackupVault: open.ref }],
        },
      });
    }, 'Plan', 'FAIL');
    expect(m).toContain('rule nightly targets vault OpenVault, which is not locked in compliance mode');
    expect(m).not.toContain('monthly');
  });
  test('Compliance 2: a plan resource without a plan body has no rule writing to an unlocked vault', () => {
    expectRule(rule, (s) => new CfnResource(s, 'Plan', { type: 'AWS::Backup::BackupPlan' }), 'Plan', 'PASS');
  });
  test('Unresolved 1: the vault is a parameter', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: param(s) }] } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify the target backup vault');
  });
  test('Unresolved 2: the vault is made by a custom resource, not a vault of the app', () => {
    const m = messageOf(rule, (s) => {
      const maker = new CfnResource(s, 'VaultMaker', { type: 'Custom::VaultMaker' });
      new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'r', targetBackupVault: maker.getAtt('VaultName').toString() }] } });
    }, 'Plan', 'ERROR');
    expect(m).toContain('cannot verify the target backup vault');
  });
  test('Unresolved 3: the plan body is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: paramValue(s) }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify BackupPlan');
  });
  test('Unresolved 4: the list of plan rules is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: paramValue(s) } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify BackupPlanRule');
  });
  test('Unresolved 5: one plan rule is a parameter, and the ERROR names it', () => {
    const m = messageOf(rule, (s) => new backup.CfnBackupPlan(s, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [paramValue(s)] } }), 'Plan', 'ERROR');
    expect(m).toContain('cannot verify backup rule');
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
  test('Noncompliance 4: the FAIL says there is no DeletionPolicy and what that costs', () => {
    expect(messageOf(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL')).toContain('no DeletionPolicy: CloudFormation deletes the data with the stack');
  });
  test('Noncompliance 5: the FAIL names the DeletionPolicy that loses the data', () => {
    expect(messageOf(rule, (s) => new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.DESTROY }), 'B/Resource', 'FAIL')).toContain('DeletionPolicy Delete loses the data');
  });
  test('N/A: an Aurora member instance (its cluster holds the data); a standalone instance is judged', () => {
    expectRule(rule, auroraMember, 'I', 'N/A');
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'I', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20' }), 'I', 'FAIL');
  });
  test('Unresolved 1: a DeletionPolicy overridden with a parameter', () => {
    const m = messageOf(rule, (s) => new s3.CfnBucket(s, 'B').addOverride('DeletionPolicy', param(s)), 'B', 'ERROR');
    expect(m).toContain('cannot verify DeletionPolicy');
  });
});
