import { FindingResource } from '../../../findings';
import { BackupRegionSnapshot, DEFAULT_RECOVERY_SETTINGS, RecoverySettings } from '../../backup-types';
import { AccountSnapshot, CheckSettings } from '../../types';
import { Emit } from '../check';
import { notCollected } from '../cloudtrail/scope';

export const recoverySettingsOf = (s: CheckSettings): RecoverySettings => s.recovery ?? DEFAULT_RECOVERY_SETTINGS;

export const vaultResource = (s: AccountSnapshot, region: string, name: string): FindingResource => ({
  id: `arn:${s.partition}:backup:${region}:${s.account}:backup-vault:${name}`, type: 'AWS::Backup::BackupVault', account: s.account, region,
});

export const plansResource = (s: AccountSnapshot, region: string): FindingResource => ({
  id: `arn:${s.partition}:backup:${region}:${s.account}:backup-plan:*`, type: 'AWS::Backup::BackupPlan', account: s.account, region,
});

export const planResource = (s: AccountSnapshot, region: string, id: string, arn: string): FindingResource => ({
  id: arn || `arn:${s.partition}:backup:${region}:${s.account}:backup-plan:${id}`, type: 'AWS::Backup::BackupPlan', account: s.account, region,
});

/**
 * Runs `fn` over the recovery snapshot of every audited region, after the common outcomes: the region
 * list unreadable, the recovery path not collected at all or not for a region (ERROR, never a skip).
 */
export function forEachBackupRegion(
  s: AccountSnapshot, emit: Emit, scope: (region: string) => FindingResource, action: string,
  fn: (region: string, b: BackupRegionSnapshot) => void,
): void {
  if (!s.regions.ok) return emit.error(scope('*'), s.regions.failure);
  if (s.backup === undefined) return emit.cannotVerify(scope('*'), `the recovery path (${action}) was not collected`);
  const byRegion = new Map(s.backup.map((b) => [b.region, b]));
  for (const region of s.regions.value) {
    const b = byRegion.get(region);
    if (!b) emit.error(scope(region), notCollected(action, region));
    else fn(region, b);
  }
}
