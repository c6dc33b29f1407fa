/**
 * Collects the recovery path of one region (BAK-VAULTLOCK): the hardened vault by name, and — where the
 * vault is or must be — the backup plans backing up into it with their selections. Calls per region:
 * one DescribeBackupVault everywhere; where plans are collected, ListBackupPlans (all pages) and one
 * GetBackupPlan per plan of the region (the listing carries no rules, so the plans writing into the
 * vault cannot be told apart otherwise), then ListBackupSelections and one GetBackupSelection per
 * selection of those plans only.
 */
import {
  BackupClient, Condition, ConditionParameter, DescribeBackupVaultCommand, GetBackupPlanCommand, GetBackupSelectionCommand,
  paginateListBackupPlans, paginateListBackupSelections,
} from '@aws-sdk/client-backup';
import { errorCode, toFailure } from './errors';
import { BackupPlanDetail, BackupRegionSnapshot, BackupSelectionDetail, BackupVaultState, RecoverySettings, SelectionCondition } from './backup-types';
import { mapLimit } from './pool';
import { Collected, failed, ok } from './types';

/** Plans (and selections) read at once in one region. */
const IN_FLIGHT = 4;

const iso = (d: Date | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

async function describeVault(backup: BackupClient, name: string): Promise<Collected<BackupVaultState | null>> {
  try {
    const v = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    return ok({
      name: v.BackupVaultName ?? name,
      arn: v.BackupVaultArn ?? '',
      locked: v.Locked === true,
      ...(v.MinRetentionDays !== undefined ? { minRetentionDays: v.MinRetentionDays } : {}),
      ...(v.MaxRetentionDays !== undefined ? { maxRetentionDays: v.MaxRetentionDays } : {}),
      ...(v.LockDate ? { lockDate: iso(v.LockDate) } : {}),
    });
  } catch (e) {
    // AWS Backup answers a vault that does not exist with ResourceNotFoundException (some regions: AccessDeniedException, which stays a failure).
    if (errorCode(e) === 'ResourceNotFoundException') return ok(null);
    return failed(toFailure('backup:DescribeBackupVault', e));
  }
}

const tagConditions = (list: Condition[] | undefined): SelectionCondition[] =>
  (list ?? []).map((c) => ({ type: c.ConditionType ?? 'STRINGEQUALS', key: c.ConditionKey ?? '', value: c.ConditionValue ?? '' }));

function conditions(c: Record<string, ConditionParameter[] | undefined> | undefined): SelectionCondition[] {
  const out: SelectionCondition[] = [];
  for (const [type, params] of Object.entries(c ?? {})) {
    for (const p of params ?? []) out.push({ type, key: p.ConditionKey ?? '', value: p.ConditionValue ?? '' });
  }
  return out;
}

async function selectionsOf(backup: BackupClient, planId: string): Promise<Collected<BackupSelectionDetail[]>> {
  const ids: { id: string; name: string }[] = [];
  try {
    for await (const page of paginateListBackupSelections({ client: backup, pageSize: 100 }, { BackupPlanId: planId })) {
      for (const s of page.BackupSelectionsList ?? []) if (s.SelectionId) ids.push({ id: s.SelectionId, name: s.SelectionName ?? s.SelectionId });
    }
  } catch (e) {
    return failed(toFailure('backup:ListBackupSelections', e));
  }
  try {
    const out = await mapLimit(ids, IN_FLIGHT, async ({ id, name }) => {
      const r = await backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: id }));
      const s = r.BackupSelection;
      if (!s) throw Object.assign(new Error(`no BackupSelection in the answer for selection ${id}`), { name: 'EmptyAnswer' });
      return {
        id, name: s.SelectionName ?? name,
        ...(s.IamRoleArn ? { iamRoleArn: s.IamRoleArn } : {}),
        resources: s.Resources ?? [],
        notResources: s.NotResources ?? [],
        listOfTags: tagConditions(s.ListOfTags),
        conditions: conditions(s.Conditions as Record<string, ConditionParameter[] | undefined> | undefined),
      };
    });
    return ok(out);
  } catch (e) {
    return failed(toFailure('backup:GetBackupSelection', e));
  }
}

/** The plans of the region with a rule backing up into `vaultName`, each with its selections. */
async function plansInto(backup: BackupClient, vaultName: string): Promise<Collected<BackupPlanDetail[]>> {
  const listed: { id: string; arn: string; name: string }[] = [];
  try {
    for await (const page of paginateListBackupPlans({ client: backup, pageSize: 100 }, {})) {
      for (const p of page.BackupPlansList ?? []) if (p.BackupPlanId) listed.push({ id: p.BackupPlanId, arn: p.BackupPlanArn ?? '', name: p.BackupPlanName ?? p.BackupPlanId });
    }
  } catch (e) {
    return failed(toFailure('backup:ListBackupPlans', e));
  }
  let plans: { id: string; arn: string; name: string; rules: BackupPlanDetail['rules'] }[];
  try {
    plans = await mapLimit(listed, IN_FLIGHT, async (p) => {
      const r = await backup.send(new GetBackupPlanCommand({ BackupPlanId: p.id }));
      if (!r.BackupPlan) throw Object.assign(new Error(`no BackupPlan in the answer for plan ${p.id}`), { name: 'EmptyAnswer' });
      const rules = (r.BackupPlan.Rules ?? []).map((x) => ({
        name: x.RuleName ?? '', targetVault: x.TargetBackupVaultName ?? '',
        ...(x.Lifecycle?.DeleteAfterDays !== undefined ? { deleteAfterDays: x.Lifecycle.DeleteAfterDays } : {}),
      }));
      return { ...p, name: r.BackupPlan.BackupPlanName ?? p.name, rules };
    });
  } catch (e) {
    return failed(toFailure('backup:GetBackupPlan', e));
  }
  const into = plans.filter((p) => p.rules.some((r) => r.targetVault === vaultName));
  const out = await mapLimit(into, IN_FLIGHT, async (p): Promise<BackupPlanDetail> => ({ ...p, selections: await selectionsOf(backup, p.id) }));
  return ok(out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
}

/**
 * One region's recovery path. Plans are collected where the vault exists or must exist
 * (RecoverySettings.planRegions / vaultRegions); elsewhere one DescribeBackupVault is all.
 */
export async function collectBackupRegion(backup: BackupClient, region: string, settings: RecoverySettings): Promise<BackupRegionSnapshot> {
  const vault = await describeVault(backup, settings.vaultName);
  const wanted = (vault.ok && vault.value !== null) || settings.planRegions.includes(region) || settings.vaultRegions.includes(region);
  if (!wanted) return { region, vault };
  return { region, vault, plans: await plansInto(backup, settings.vaultName) };
}
