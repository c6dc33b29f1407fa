import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DEFAULTS } from '../../lib/config/defaults';
import { AccountPasswordPolicy } from '../../lib/constructs/account-password-policy';
import { LockedBackupVault } from '../../lib/constructs/locked-backup-vault';
import { PiiBucket } from '../../lib/constructs/pii-bucket';
import { SegmentedVpc } from '../../lib/constructs/segmented-vpc';
import { TaggedBackupPlan } from '../../lib/constructs/tagged-backup-plan';
import { testStack } from '../helpers/app';

/** The constructs' own defaults are lib/config's, not copies that could drift from cdk.json. */
describe('constructs default to lib/config DEFAULTS', () => {
  const { stack } = testStack('Defaults');
  const vault = new LockedBackupVault(stack, 'Vault');
  new TaggedBackupPlan(stack, 'Plan', { vault: vault.vault });
  new PiiBucket(stack, 'Pii');
  new AccountPasswordPolicy(stack, 'PasswordPolicy');
  new SegmentedVpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow') });
  const t = Template.fromStack(stack);

  test('vault lock and backup retention', () => {
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: {
      MinRetentionDays: DEFAULTS.vaultLockMinRetentionDays, MaxRetentionDays: DEFAULTS.vaultLockMaxRetentionDays, ChangeableForDays: DEFAULTS.vaultLockChangeableForDays,
    } });
    const rules = Object.values(t.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: { Lifecycle: { DeleteAfterDays: number } }) => r.Lifecycle.DeleteAfterDays))
      .toEqual([DEFAULTS.backupDailyRetentionDays, DEFAULTS.backupMonthlyRetentionDays]);
  });

  test('noncurrent-version expiry of a PII bucket', () => {
    const buckets = Object.values(t.findResources('AWS::S3::Bucket'));
    const rules = buckets.flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? []);
    expect(rules.find((r: { Id: string }) => r.Id === 'expire-noncurrent-versions').NoncurrentVersionExpiration.NoncurrentDays)
      .toBe(DEFAULTS.noncurrentVersionExpirationDays);
  });

  test('password age', () => {
    const cr = Object.values(t.findResources('Custom::AccountPasswordPolicy'))[0];
    const create = JSON.parse(cr.Properties.Create['Fn::Join'] ? cr.Properties.Create['Fn::Join'][1].join('') : cr.Properties.Create);
    expect(create.parameters.MaxPasswordAge).toBe(DEFAULTS.passwordMaxAgeDays);
  });

  test('VPC CIDR, tier masks and database ports', () => {
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: DEFAULTS.vpcCidr });
    const masks = Object.values(t.findResources('AWS::EC2::Subnet')).map((s) => Number(String(s.Properties.CidrBlock).split('/')[1]));
    expect(new Set(masks)).toEqual(new Set([DEFAULTS.publicSubnetMask, DEFAULTS.appSubnetMask, DEFAULTS.dataSubnetMask]));
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: DEFAULTS.databasePorts[0], ToPort: DEFAULTS.databasePorts[0] });
  });
});
