import { defineCheck } from '../check';
import { forEachBackupRegion, recoverySettingsOf, vaultResource } from './scope';

/**
 * The hardened environment's vault exists where the stacks deploy it (hardening:region, and
 * hardening:backupCopyRegion) with the vault lock they set: locked, in compliance mode (a lock date),
 * with the configured minimum and maximum retention. A ransom crew that reaches the vault during the
 * grace period removes the lock first (T1490); one that finds a governance-mode lock needs no grace period.
 */
export default defineCheck({
  id: 'backup-vault-lock',
  controlId: 'BAK-VAULTLOCK',
  title: 'The locked backup vault exists with its vault lock',
  severity: 'error',
  remediation: 'Redeploy the recovery stack (it recreates the vault and its lock); for a removed or changed lock, aws backup put-backup-vault-lock-configuration --backup-vault-name VAULT --min-retention-days MIN --max-retention-days MAX --changeable-for-days 3, then find out who called DeleteBackupVaultLockConfiguration (CloudTrail).',
}, (s, settings, emit) => {
  const rs = recoverySettingsOf(settings);
  forEachBackupRegion(s, emit, (r) => vaultResource(s, r, rs.vaultName), 'backup:DescribeBackupVault', (region, b) => {
    const r = vaultResource(s, region, rs.vaultName);
    if (!b.vault.ok) return emit.error(r, b.vault.failure);
    const v = b.vault.value;
    if (v === null) {
      if (rs.vaultRegions.includes(region)) return emit.fail(r, `backup vault ${rs.vaultName} does not exist in ${region}`);
      return emit.pass(r, `no vault of the hardened environment in ${region} (the stacks deploy ${rs.vaultName} to ${rs.vaultRegions.join(' and ')})`);
    }
    const res = { ...r, id: v.arn || r.id };
    if (!v.locked) return emit.fail(res, `backup vault ${v.name} in ${region} has no vault lock: its recovery points can be deleted`);
    const problems: string[] = [];
    if (!v.lockDate) problems.push('the lock is in governance mode (no lock date), which an administrator can remove at any time');
    if (v.minRetentionDays !== rs.minRetentionDays) problems.push(`minimum retention ${v.minRetentionDays ?? 'unset'} days (deployed: ${rs.minRetentionDays})`);
    if (v.maxRetentionDays !== rs.maxRetentionDays) problems.push(`maximum retention ${v.maxRetentionDays ?? 'unset'} days (deployed: ${rs.maxRetentionDays})`);
    if (problems.length > 0) return emit.fail(res, `backup vault ${v.name} in ${region}: ${problems.join('; ')}`);
    const pending = v.lockDate !== undefined && Date.parse(v.lockDate) > settings.now.getTime();
    emit.pass(res, `backup vault ${v.name} in ${region} is locked (retention ${v.minRetentionDays}-${v.maxRetentionDays} days) in compliance mode`
      + (pending ? `; the lock can still be removed until ${v.lockDate}` : `, immutable since ${v.lockDate}`));
  });
});
