import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DEFAULTS, LIMITS } from '../config/defaults';
import { CustomerManagedKey } from './customer-managed-key';

/** AWS Backup refuses a compliance-mode grace period shorter than this. */
export const MIN_CHANGEABLE_FOR_DAYS = LIMITS.minVaultLockChangeableForDays;

export interface LockedBackupVaultProps {
  /** @default - generated */
  readonly vaultName?: string;
  /** @default - a new customer-managed key with rotation, retained */
  readonly encryptionKey?: kms.IKey;
  /**
   * Roles that may use the vault's new key through AWS Backup (the backup role).
   * @default - none
   */
  readonly keyUserArns?: string[];
  /** Vault lock: shortest retention a backup may have. @default 90 days (DEFAULTS.vaultLockMinRetentionDays) */
  readonly minRetentionDays?: number;
  /** Vault lock: longest retention a backup may have. @default 3650 days */
  readonly maxRetentionDays?: number;
  /**
   * Vault lock grace period: after it the lock is in compliance mode and nobody — not root, not
   * AWS — can delete a recovery point early or remove the lock. At least 3 days.
   * @default 3 days
   */
  readonly changeableForDays?: number;
}

/**
 * A backup vault a ransom cannot empty (BAK-VAULTLOCK): encrypted with a customer-managed key,
 * vault lock in compliance mode, retained with its key when the stack is deleted (BAK-RETAIN).
 */
export class LockedBackupVault extends Construct {
  public readonly vault: backup.BackupVault;
  public readonly key: kms.IKey;
  /** The key this construct created (none when `encryptionKey` was given): name its users with `addUsers`. */
  public readonly customerManagedKey?: CustomerManagedKey;
  public readonly minRetentionDays: number;
  public readonly maxRetentionDays: number;

  constructor(scope: Construct, id: string, props: LockedBackupVaultProps = {}) {
    super(scope, id);
    this.minRetentionDays = props.minRetentionDays ?? DEFAULTS.vaultLockMinRetentionDays;
    this.maxRetentionDays = props.maxRetentionDays ?? DEFAULTS.vaultLockMaxRetentionDays;
    const changeable = props.changeableForDays ?? MIN_CHANGEABLE_FOR_DAYS;
    if (this.minRetentionDays < 1 || this.maxRetentionDays > 36500 || this.minRetentionDays > this.maxRetentionDays) {
      throw new Error(`vault lock retention must satisfy 1 <= min <= max <= 36500 days, got min ${this.minRetentionDays}, max ${this.maxRetentionDays}`);
    }
    if (changeable < MIN_CHANGEABLE_FOR_DAYS) {
      throw new Error(`changeableForDays must be at least ${MIN_CHANGEABLE_FOR_DAYS} (compliance mode needs a grace period), got ${changeable}`);
    }
    if (props.vaultName !== undefined && !Token.isUnresolved(props.vaultName) && !/^[a-zA-Z0-9\-_]{2,50}$/.test(props.vaultName)) {
      throw new Error(`vaultName must be 2-50 letters, digits, '-' or '_', got '${props.vaultName}'`);
    }
    this.customerManagedKey = props.encryptionKey ? undefined : new CustomerManagedKey(this, 'Key', {
      alias: `hardening/backup-vault${props.vaultName ? `-${props.vaultName}` : ''}`,
      description: 'encrypts the recovery points of the locked backup vault',
      viaServices: ['backup'],
      userArns: props.keyUserArns,
    });
    this.key = props.encryptionKey ?? this.customerManagedKey!.key;
    this.vault = new backup.BackupVault(this, 'Resource', {
      backupVaultName: props.vaultName,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        minRetention: Duration.days(this.minRetentionDays),
        maxRetention: Duration.days(this.maxRetentionDays),
        changeableFor: Duration.days(changeable),
      },
    });
  }
}
