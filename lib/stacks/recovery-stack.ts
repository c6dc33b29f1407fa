import { Aws, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupChangeAlerts } from '../constructs/backup-change-alerts';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { TaggedBackupPlan } from '../constructs/tagged-backup-plan';
import { recoveryWiring } from '../constructs/wiring';

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
    const { copyRegion } = props.plan ?? {};
    if (copyRegion !== undefined && copyRegion === this.region) throw new Error(`copyRegion must differ from the stack's region, got ${copyRegion}`);
    const wired = recoveryWiring(this, {
      vaultName: props.vaultName,
      vaultLockMinRetentionDays: props.vaultLockMinRetentionDays,
      vaultLockMaxRetentionDays: props.vaultLockMaxRetentionDays,
      vaultLockChangeableForDays: props.vaultLockChangeableForDays,
      vaultKeyUserArns: props.backupRoleName ? [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${props.backupRoleName}`] : undefined,
      backupRoleName: props.backupRoleName,
      alerts: props.alerts,
      plan: props.plan && {
        dailyRetentionDays: props.plan.dailyRetentionDays,
        monthlyRetentionDays: props.plan.monthlyRetentionDays,
        copyToVault: copyRegion
          ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', `arn:${Aws.PARTITION}:backup:${copyRegion}:${Aws.ACCOUNT_ID}:backup-vault:${props.vaultName}`)
          : undefined,
        crossAccountCopyVault: props.plan.crossAccountCopyVaultArn
          ? backup.BackupVault.fromBackupVaultArn(this, 'CrossAccountCopyVault', props.plan.crossAccountCopyVaultArn)
          : undefined,
      },
    });
    this.vault = wired.vault;
    this.plan = wired.plan;
    this.alerts = wired.alerts;
  }
}
