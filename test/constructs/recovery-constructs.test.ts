import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { LockedBackupVault } from '../../lib/constructs/locked-backup-vault';
import { applyPermissionsBoundary } from '../../lib/constructs/permissions-boundary-aspect';
import { TaggedBackupPlan } from '../../lib/constructs/tagged-backup-plan';
import { BACKUP_TAG } from '../../lib/constructs/tags';
import { featureFlags, testStack } from '../helpers/app';

describe('recovery constructs, synthesized once', () => {
  let stack: Stack;
  let t: Template;
  beforeAll(() => {
    const app = new App({ context: featureFlags() });
    stack = new Stack(app, 'Recovery', { env: { account: '111122223333', region: 'us-east-1' } });
    const vault = new LockedBackupVault(stack, 'Vault', { vaultName: 'locked', minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 3 });
    new TaggedBackupPlan(stack, 'Plan', {
      vault: vault.vault,
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
      lockRetentionDays: { min: 7, max: 3650 },
      copyToVault: backup.BackupVault.fromBackupVaultArn(stack, 'Copy', 'arn:aws:backup:us-west-2:111122223333:backup-vault:locked'),
    });
    applyPermissionsBoundary(app);
    t = Template.fromStack(stack);
  });

  describe('LockedBackupVault', () => {
    test('vault lock in compliance mode with the configured bounds, CMK encryption, retained', () => {
      t.hasResource('AWS::Backup::BackupVault', {
        Properties: {
          BackupVaultName: 'locked',
          EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VaultKey'), 'Arn'] },
          LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 3650, ChangeableForDays: 3 },
        },
        DeletionPolicy: 'Retain',
      });
    });

    test('its key rotates and is retained', () => {
      t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
    });

    test('fails on a grace period under 3 days or inverted retention bounds', () => {
      const { stack: s } = testStack();
      expect(() => new LockedBackupVault(s, 'A', { changeableForDays: 1 })).toThrow('changeableForDays must be at least 3 (compliance mode needs a grace period), got 1');
      expect(() => new LockedBackupVault(s, 'B', { minRetentionDays: 400, maxRetentionDays: 30 }))
        .toThrow('vault lock retention must satisfy 1 <= min <= max <= 36500 days, got min 400, max 30');
      expect(() => new LockedBackupVault(s, 'C', { vaultName: 'has spaces' })).toThrow("vaultName must be 2-50 letters, digits, '-' or '_', got 'has spaces'");
    });
  });

  describe('TaggedBackupPlan', () => {
    test('daily and monthly rules with the configured retention, each copied to the second-region vault', () => {
      const plan = Object.values(t.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan;
      const rules = Object.fromEntries(plan.BackupPlanRule.map((r: { RuleName: string }) => [r.RuleName, r]));
      expect(Object.keys(rules).sort()).toEqual(['Daily', 'Monthly']);
      expect(rules.Daily).toMatchObject({ ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } });
      expect(rules.Monthly).toMatchObject({ ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: 365 } });
      for (const r of Object.values(rules) as { CopyActions: unknown[]; Lifecycle: { DeleteAfterDays: number } }[]) {
        expect(r.CopyActions).toEqual([{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111122223333:backup-vault:locked', Lifecycle: { DeleteAfterDays: r.Lifecycle.DeleteAfterDays } }]);
      }
    });

    test('selects resources by the tag the data stack puts on every stateful resource', () => {
      expect(BACKUP_TAG).toEqual({ key: 'hardening:backup', value: 'required' });
      t.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'hardening:backup', ConditionValue: 'required' }],
        }),
      });
    });

    test('the selection role can back up and restore S3 as well, under the permissions boundary', () => {
      const role = Object.values(t.findResources('AWS::IAM::Role'))[0];
      const arns = JSON.stringify(role.Properties.ManagedPolicyArns);
      for (const p of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores', 'AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore']) {
        expect(arns).toContain(p);
      }
      expect(role.Properties.PermissionsBoundary).toBeDefined();
    });

    test('fails when a retention falls outside the vault lock', () => {
      const { stack: s } = testStack();
      const vault = new LockedBackupVault(s, 'V');
      expect(() => new TaggedBackupPlan(s, 'P', { vault: vault.vault, dailyRetentionDays: 3, lockRetentionDays: { min: 7, max: 3650 } }))
        .toThrow("dailyRetentionDays (3) must lie within the vault lock's 7-3650 days, or the locked vault refuses the backups");
      expect(() => new TaggedBackupPlan(s, 'Q', { vault: vault.vault, monthlyRetentionDays: 0 })).toThrow('monthlyRetentionDays must be a positive integer, got 0');
    });
  });

  test('no unacknowledged AwsSolutions or NIST 800-53 R5 finding', () => {
    for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
      expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    }
  });
});
