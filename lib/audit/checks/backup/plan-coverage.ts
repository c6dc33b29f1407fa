import { BackupPlanDetail, BackupSelectionDetail, RecoverySettings } from '../../backup-types';
import { defineCheck } from '../check';
import { forEachBackupRegion, planResource, plansResource, recoverySettingsOf } from './scope';

const show = (c: { type: string; key: string; value: string }): string => `${c.type} ${c.key}=${c.value}`;

/** Why a selection no longer covers what the stacks deployed it to cover (empty: it does). */
export function selectionGaps(sel: BackupSelectionDetail, rs: RecoverySettings): string[] {
  const gaps: string[] = [];
  const tag = rs.selectionTag;
  if (!sel.listOfTags.some((c) => c.type.toUpperCase() === 'STRINGEQUALS' && c.key === tag.key && c.value === tag.value)) {
    gaps.push(`no longer selects resources tagged ${tag.key}=${tag.value}`);
  }
  if (sel.notResources.length > 0) gaps.push(`excludes ${sel.notResources.join(', ')}`);
  if (sel.conditions.length > 0) gaps.push(`is narrowed by the conditions ${sel.conditions.map(show).join(', ')}`);
  return gaps;
}

/** Rules into the vault whose retention the locked vault refuses. */
function retentionProblems(p: BackupPlanDetail, rs: RecoverySettings): string[] {
  return p.rules.filter((r) => r.targetVault === rs.vaultName).flatMap((r) => {
    const d = r.deleteAfterDays;
    if (d !== undefined && d >= rs.minRetentionDays && d <= rs.maxRetentionDays) return [];
    return [`rule ${r.name} keeps recovery points ${d === undefined ? 'forever' : `${d} days`}, outside the vault lock's ${rs.minRetentionDays}-${rs.maxRetentionDays} days: the locked vault refuses them`];
  });
}

/**
 * The backup plans writing into the hardened vault still exist where the stacks deploy them and cover
 * what they covered at deployment: a selection of every resource tagged `hardening:backup=required`,
 * with no excluded resources and no narrowing conditions, and rules whose retention the vault accepts.
 * Deleting the plan or its selection is how backups stop quietly before the ransom note.
 */
export default defineCheck({
  id: 'backup-plan-coverage',
  controlId: 'BAK-VAULTLOCK',
  title: 'Backup plans and selections cover every tagged resource',
  severity: 'error',
  remediation: 'Redeploy the recovery stack (it recreates the plan and its selection of hardening:backup=required); then find out who called DeleteBackupPlan, DeleteBackupSelection or UpdateBackupPlan (CloudTrail).',
}, (s, settings, emit) => {
  const rs = recoverySettingsOf(settings);
  forEachBackupRegion(s, emit, (r) => plansResource(s, r), 'backup:ListBackupPlans', (region, b) => {
    const scope = plansResource(s, region);
    if (b.plans === undefined) {
      if (!b.vault.ok) return emit.error(scope, b.vault.failure);
      return emit.pass(scope, `no vault of the hardened environment in ${region}, so no plan backs up into it`);
    }
    if (!b.plans.ok) return emit.error(scope, b.plans.failure);
    const plans = b.plans.value;
    if (plans.length === 0) {
      if (rs.planRegions.includes(region)) return emit.fail(scope, `no backup plan backs up into vault ${rs.vaultName} in ${region}`);
      return emit.pass(scope, `no backup plan backs up into vault ${rs.vaultName} in ${region} (the stacks deploy the plan to ${rs.planRegions.join(', ')})`);
    }
    for (const p of plans) {
      const r = planResource(s, region, p.id, p.arn);
      const problems = retentionProblems(p, rs);
      if (!p.selections.ok) {
        if (problems.length > 0) emit.fail(r, `backup plan ${p.name} in ${region}: ${problems.join('; ')}`);
        emit.error(r, p.selections.failure);
        continue;
      }
      const sels = p.selections.value;
      if (sels.length === 0) problems.push('selects no resource (its selections were deleted)');
      else if (!sels.some((x) => selectionGaps(x, rs).length === 0)) {
        problems.push(...sels.map((x) => `selection ${x.name} ${selectionGaps(x, rs).join(' and ')}`));
      }
      if (problems.length > 0) emit.fail(r, `backup plan ${p.name} in ${region}: ${problems.join('; ')}`);
      else emit.pass(r, `backup plan ${p.name} in ${region} backs up every resource tagged ${rs.selectionTag.key}=${rs.selectionTag.value} into ${rs.vaultName}`);
    }
  });
});
