import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, num, obj, reasons } from '../common';

/** Why a backup vault is not locked in compliance mode (empty when it is). */
export function vaultLockGaps(ix: ResourceIndex, vault: CfnResource): string[] {
  const lock = obj(ix.props(vault).LockConfiguration, 'LockConfiguration');
  if (!lock) return ['the vault has no lock'];
  const out: string[] = [];
  if (num(lock.ChangeableForDays, 'ChangeableForDays') === undefined) out.push('the lock is in governance mode (no ChangeableForDays), which administrators can remove');
  if ((num(lock.MinRetentionDays, 'MinRetentionDays') ?? 0) < 1) out.push('the lock sets no minimum retention');
  return out;
}

/** Backup vaults are locked in compliance mode. */
export function BackupVaultLocked(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return reasons(vaultLockGaps(ix, node));
}

export const BackupVaultLockedMeta: RuleMetadata = {
  ruleName: 'BackupVaultLocked',
  controlIds: ['BAK-VAULTLOCK'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: ['AWS::Backup::BackupVault'],
  info: 'The backup vault is not locked in compliance mode with a minimum retention.',
  explanation: 'Lesson L8 (recovery without paying): ransomware operators delete backups before encrypting (T1490); a compliance-mode vault lock stops even the root user from deleting recovery points early.',
  fix: 'Use LockedBackupVault (a WorkloadBaseline adds one; compliance-mode lock, customer-managed key, retained), or set lockConfiguration: { minRetention: Duration.days(n), changeableFor: Duration.days(3) } on the backup.BackupVault (compliance mode once the grace period ends).',
};
