/**
 * The snapshot of the recovery path in one region (BAK-VAULTLOCK): the hardened environment's locked
 * vault, the backup plans that back up into it and their selections. Plain JSON, like the rest of the snapshot.
 */
import { DEFAULTS } from '../config/defaults';
import { recoveryResourceNames } from '../config/security-names';
import { BACKUP_TAG } from '../constructs/tags';
import { Collected } from './types';

export interface BackupVaultState {
  readonly name: string;
  readonly arn: string;
  /** backup:DescribeBackupVault `Locked`. */
  readonly locked: boolean;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  /** When the lock becomes immutable (compliance mode); absent: governance mode (removable at any time). */
  readonly lockDate?: string;
}

export interface BackupRuleSummary {
  readonly name: string;
  readonly targetVault: string;
  /** Lifecycle.DeleteAfterDays; undefined: kept forever. */
  readonly deleteAfterDays?: number;
}

/** One `key = value` tag condition of a selection (ListOfTags or Conditions). */
export interface SelectionCondition {
  /** STRINGEQUALS (ListOfTags), or StringEquals / StringNotEquals / StringLike / StringNotLike (Conditions). */
  readonly type: string;
  readonly key: string;
  readonly value: string;
}

export interface BackupSelectionDetail {
  readonly id: string;
  readonly name: string;
  readonly iamRoleArn?: string;
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** ListOfTags: a resource carrying any of them is selected (OR). */
  readonly listOfTags: readonly SelectionCondition[];
  /** Conditions: every one must hold (AND), so each narrows the selection. */
  readonly conditions: readonly SelectionCondition[];
}

export interface BackupPlanDetail {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  /** The plan's rules (backup:GetBackupPlan). */
  readonly rules: readonly BackupRuleSummary[];
  /** backup:ListBackupSelections + backup:GetBackupSelection of each. */
  readonly selections: Collected<readonly BackupSelectionDetail[]>;
}

export interface BackupRegionSnapshot {
  readonly region: string;
  /** backup:DescribeBackupVault of the hardened vault; null: no vault of that name in this region. */
  readonly vault: Collected<BackupVaultState | null>;
  /**
   * The plans with a rule backing up into the vault (backup:ListBackupPlans, then GetBackupPlan of each).
   * Absent when not collected: the vault is neither in this region nor expected here.
   */
  readonly plans?: Collected<readonly BackupPlanDetail[]>;
}

/** What the recovery checks compare against: the stacks' rendering of the configuration (lib/config). */
export interface RecoverySettings {
  /** The locked vault's name (`<stackPrefix>-locked-vault`). */
  readonly vaultName: string;
  /** Regions where the vault must exist: hardening:region, and hardening:backupCopyRegion when set. */
  readonly vaultRegions: readonly string[];
  /** Regions where a plan must back up into the vault: hardening:region. */
  readonly planRegions: readonly string[];
  /** The vault lock's retention bounds (hardening:vaultLockMinRetentionDays / MaxRetentionDays). */
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** The tag a selection selects by (`hardening:backup` = `required`). */
  readonly selectionTag: { readonly key: string; readonly value: string };
}

/** The recovery settings of a configuration (the defaults when given none). */
export function recoverySettings(c: {
  readonly stackPrefix?: string; readonly region?: string; readonly backupCopyRegion?: string;
  readonly vaultLockMinRetentionDays?: number; readonly vaultLockMaxRetentionDays?: number;
} = {}): RecoverySettings {
  const region = c.region ?? DEFAULTS.region;
  return {
    vaultName: recoveryResourceNames(c.stackPrefix ?? DEFAULTS.stackPrefix).vaultName,
    vaultRegions: c.backupCopyRegion ? [region, c.backupCopyRegion] : [region],
    planRegions: [region],
    minRetentionDays: c.vaultLockMinRetentionDays ?? DEFAULTS.vaultLockMinRetentionDays,
    maxRetentionDays: c.vaultLockMaxRetentionDays ?? DEFAULTS.vaultLockMaxRetentionDays,
    selectionTag: { ...BACKUP_TAG },
  };
}

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettings = recoverySettings();
