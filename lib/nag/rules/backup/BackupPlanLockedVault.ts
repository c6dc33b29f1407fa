import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, cannotVerify, list, obj, reasons } from '../common';
import { vaultLockGaps } from './BackupVaultLocked';

/** Every rule of a backup plan writes to a vault of the app locked in compliance mode. */
export function BackupPlanLockedVault(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const plan = obj(ix.props(node).BackupPlan, 'BackupPlan');
  const out: string[] = [];
  for (const r of list(plan?.BackupPlanRule, 'BackupPlanRule')) {
    const rule = obj(r, 'backup rule')!;
    const ref = rule.TargetBackupVault;
    const vault = ix.resourceOf(node, ref);
    if (!vault || vault.cfnResourceType !== 'AWS::Backup::BackupVault') return cannotVerify('the target backup vault', ref);
    if (vaultLockGaps(ix, vault).length > 0) out.push(`rule ${String(rule.RuleName)} targets vault ${ix.logicalId(vault)}, which is not locked in compliance mode`);
  }
  return reasons(out);
}

export const BackupPlanLockedVaultMeta: RuleMetadata = {
  ruleName: 'BackupPlanLockedVault',
  controlIds: ['BAK-VAULTLOCK'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: ['AWS::Backup::BackupPlan'],
  info: 'A backup plan rule writes to a vault that is not locked in compliance mode.',
  explanation: 'Lesson L8 (recovery without paying): backups in an unlocked vault are deleted together with the data they should restore.',
  fix: 'Point every plan rule at a vault locked in compliance mode: pass a LockedBackupVault as the vault of TaggedBackupPlan, or as backupVault of every rule of your backup.BackupPlan.',
};
