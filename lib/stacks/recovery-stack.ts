import { Aws, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupChangeAlerts } from '../constructs/backup-change-alerts';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { TaggedBackupPlan } from '../constructs/tagged-backup-plan';

export interface RecoveryStackProps extends StackProps {
  readonly vaultName: string;
  readonly vaultLockMinRetentionDays: number;
  readonly vaultLockMaxRetentionDays: number;
  readonly vaultLockChangeableForDays: number;
  /**
   * Name of the role AWS Backup uses: the keys of the vault (and of the data) name it as their user.
   * @default - generated, and the vault key names no user
   */
  readonly backupRoleName?: string;
  /** The backup plan; omit for a copy-destination stack that holds only the locked vault. */
  readonly plan?: {
    readonly dailyRetentionDays: number;
    readonly monthlyRetentionDays: number;
    /** Region of a vault named `vaultName` (a RecoveryStack without plan) to copy every recovery point to. */
    readonly copyRegion?: string;
    /** A (locked) vault of another account every recovery point is also copied to. */
    readonly crossAccountCopyVaultArn?: string;
  };
  /** Alert on every change of plans, selections, the vault lock and recovery points. @default - no alert */
  readonly alerts?: {
    readonly topic: sns.ITopic;
    readonly failureTopic?: sns.ITopic;
    /** The SCP-protected security name prefix. */
    readonly namePrefix: string;
  };
}

/**
 * Recovery without paying (L8): a locked vault encrypted with a customer-managed key and a plan
 * backing up, daily and monthly, every resource tagged `hardening:backup=required`. Stateful:
 * termination protection on, vault and key retained.
 */
export class RecoveryStack extends Stack {
  public readonly vault: LockedBackupVault;
  public readonly plan?: TaggedBackupPlan;
  public readonly alerts?: BackupChangeAlerts;

  constructor(scope: Construct, id: string, props: RecoveryStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const lock = { min: props.vaultLockMinRetentionDays, max: props.vaultLockMaxRetentionDays };
    this.vault = new LockedBackupVault(this, 'Vault', {
      vaultName: props.vaultName,
      minRetentionDays: lock.min,
      maxRetentionDays: lock.max,
      changeableForDays: props.vaultLockChangeableForDays,
      keyUserArns: props.backupRoleName ? [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${props.backupRoleName}`] : undefined,
    });
    if (props.alerts) this.alerts = new BackupChangeAlerts(this, 'BackupChangeAlerts', props.alerts);
    if (!props.plan) return;
    const { copyRegion } = props.plan;
    if (copyRegion !== undefined && copyRegion === this.region) throw new Error(`copyRegion must differ from the stack's region, got ${copyRegion}`);
    this.plan = new TaggedBackupPlan(this, 'Plan', {
      vault: this.vault.vault,
      dailyRetentionDays: props.plan.dailyRetentionDays,
      monthlyRetentionDays: props.plan.monthlyRetentionDays,
      lockRetentionDays: lock,
      copyToVault: copyRegion
        ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', `arn:${Aws.PARTITION}:backup:${copyRegion}:${Aws.ACCOUNT_ID}:backup-vault:${props.vaultName}`)
        : undefined,
      crossAccountCopyVault: props.plan.crossAccountCopyVaultArn
        ? backup.BackupVault.fromBackupVaultArn(this, 'CrossAccountCopyVault', props.plan.crossAccountCopyVaultArn)
        : undefined,
      roleName: props.backupRoleName,
    });
  }
}
