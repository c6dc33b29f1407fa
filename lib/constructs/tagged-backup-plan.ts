import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { acknowledgeNag } from './acknowledge';
import { BACKUP_TAG } from './tags';

export interface TaggedBackupPlanProps {
  /** The (locked) vault recovery points go to. */
  readonly vault: backup.IBackupVault;
  /** @default 35 */
  readonly dailyRetentionDays?: number;
  /** @default 365 */
  readonly monthlyRetentionDays?: number;
  /** A vault in another region every recovery point is copied to. @default - no copy */
  readonly copyToVault?: backup.IBackupVault;
  /**
   * A (locked) vault in another account every recovery point is also copied to, out of reach of a
   * compromise of this account. The destination vault's access policy must admit this account, and
   * cross-account backup must be enabled in the organization. @default - no copy
   */
  readonly crossAccountCopyVault?: backup.IBackupVault;
  /**
   * Name of the role AWS Backup uses, so that key policies can name it as a user of the data keys.
   * @default - generated
   */
  readonly roleName?: string;
  /**
   * An existing role for AWS Backup to use, e.g. one a StackSet's global template creates once per
   * account (a role created here would be created again, and collide, in every region). Its AWS
   * managed policies are its creator's to attach. Exclusive with `roleName`.
   * @default - a role is created (named `roleName` if given)
   */
  readonly role?: iam.IRole;
  /** The tag that selects resources. @default BACKUP_TAG (`hardening:backup` = `required`) */
  readonly selectionTag?: { readonly key: string; readonly value: string };
  /** Bounds of the vault lock, checked against the retentions. @default - not checked */
  readonly lockRetentionDays?: { readonly min: number; readonly max: number };
}

/**
 * Daily and monthly backups of every resource carrying the backup tag (BAK-VAULTLOCK): the data
 * stack tags each stateful resource, so new tables and buckets are covered without edits here.
 * Optionally copies each recovery point to a vault in a second region.
 */
export class TaggedBackupPlan extends Construct {
  public readonly plan: backup.BackupPlan;
  public readonly selection: backup.BackupSelection;
  /** The role AWS Backup uses for the selection. */
  public readonly role?: iam.IRole;

  constructor(scope: Construct, id: string, props: TaggedBackupPlanProps) {
    super(scope, id);
    const daily = props.dailyRetentionDays ?? DEFAULTS.backupDailyRetentionDays;
    const monthly = props.monthlyRetentionDays ?? DEFAULTS.backupMonthlyRetentionDays;
    for (const [name, days] of [['dailyRetentionDays', daily], ['monthlyRetentionDays', monthly]] as const) {
      if (!Number.isInteger(days) || days < 1) throw new Error(`${name} must be a positive integer, got ${days}`);
      const lock = props.lockRetentionDays;
      if (lock && (days < lock.min || days > lock.max)) {
        throw new Error(`${name} (${days}) must lie within the vault lock's ${lock.min}-${lock.max} days, or the locked vault refuses the backups`);
      }
    }
    const tag = props.selectionTag ?? BACKUP_TAG;
    const copyVaults = [props.copyToVault, props.crossAccountCopyVault].filter((v): v is backup.IBackupVault => v !== undefined);
    const copy = (days: number): backup.BackupPlanCopyActionProps[] | undefined => copyVaults.length > 0
      ? copyVaults.map((v) => ({ destinationBackupVault: v, deleteAfter: Duration.days(days) }))
      : undefined;
    this.plan = new backup.BackupPlan(this, 'Resource', {
      backupVault: props.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: Duration.days(daily),
          copyActions: copy(daily),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: Duration.days(monthly),
          copyActions: copy(monthly),
        }),
      ],
    });
    if (props.role !== undefined && props.roleName !== undefined) throw new Error('give role or roleName, not both');
    const selectionRole: iam.IRole | undefined = props.role ?? (props.roleName === undefined ? undefined : new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: backs up and restores the resources tagged for backup',
    }));
    this.selection = this.plan.addSelection('ByTag', {
      resources: [backup.BackupResource.fromTag(tag.key, tag.value)],
      allowRestores: true,
      role: selectionRole,
    });
    // S3 recovery points need the S3-specific policies on top of the general ones.
    const role = selectionRole ?? this.selection.node.tryFindChild('Role') as iam.Role | undefined;
    this.role = role;
    if (role instanceof iam.Role) {
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Backup'));
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Restore'));
      acknowledgeNag(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup]',
        'AWSBackupServiceRolePolicyForS3Backup is the AWS-maintained policy AWS Backup needs to back up the tagged PII buckets');
      acknowledgeNag(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore]',
        'AWSBackupServiceRolePolicyForS3Restore is the AWS-maintained policy AWS Backup needs to restore the tagged PII buckets');
      for (const p of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
        acknowledgeNag(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${p}]`,
          `${p} is the AWS-maintained policy AWS Backup needs to back up and restore every supported resource type the tag may select`);
      }
    }
  }
}
