import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeOrganizationConfigurationCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  DescribePolicyCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListPoliciesForTargetCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AuditClients } from '../clients';
import { collectOrganization } from '../collect-account';
import { toFailure } from '../errors';
import { mapLimit } from '../pool';
import { Collected, failed, ok } from '../types';
import {
  AttachedPolicy, GuardDutyOrganizationSettings, OrganizationAccount, OrganizationAuditConfig, OrganizationSnapshot, StackInstanceSummary,
} from './types';

/** Thrown inside a collector to stop at the first failed call, carrying the action that failed. */
class CallError extends Error {
  constructor(readonly action: string, readonly cause: unknown) {
    super(action);
  }
}

async function attempt<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new CallError(action, e);
  }
}

async function collected<T>(fn: () => Promise<T>): Promise<Collected<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    if (e instanceof CallError) return failed(toFailure(e.action, e.cause));
    throw e;
  }
}

/** Organizations nests OUs at most five levels below the root. */
const MAX_DEPTH = 6;

/**
 * Every account below a root or OU, nested OUs included, with its state
 * (organizations:ListAccountsForParent and ListOrganizationalUnitsForParent, all pages).
 */
export async function collectTargetAccounts(org: OrganizationsClient, targetId: string): Promise<Collected<OrganizationAccount[]>> {
  return collected(async () => {
    const out: OrganizationAccount[] = [];
    const seen = new Set<string>();
    let level = [targetId];
    for (let depth = 0; level.length > 0; depth++) {
      if (depth >= MAX_DEPTH) throw new CallError('organizations:ListOrganizationalUnitsForParent', new Error(`OUs nested deeper than ${MAX_DEPTH} levels below ${targetId}`));
      const next: string[] = [];
      for (const parent of level) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        let token: string | undefined;
        do {
          const r = await attempt('organizations:ListAccountsForParent', () => org.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken: token })));
          for (const a of r.Accounts ?? []) {
            if (!a.Id) continue;
            out.push({ id: a.Id, ...(a.Name ? { name: a.Name } : {}), state: (a as { State?: string }).State ?? a.Status ?? 'UNKNOWN', parentId: parent });
          }
          token = r.NextToken;
        } while (token);
        do {
          const r = await attempt('organizations:ListOrganizationalUnitsForParent', () => org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: token })));
          for (const ou of r.OrganizationalUnits ?? []) if (ou.Id) next.push(ou.Id);
          token = r.NextToken;
        } while (token);
      }
      level = next;
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** The instances of one StackSet (cloudformation:ListStackInstances, all pages). */
export async function collectStackInstances(cfn: CloudFormationClient, name: string, callAs: 'SELF' | 'DELEGATED_ADMIN'): Promise<Collected<StackInstanceSummary[]>> {
  return collected(async () => {
    const out: StackInstanceSummary[] = [];
    let token: string | undefined;
    do {
      const r = await attempt('cloudformation:ListStackInstances', () => cfn.send(new ListStackInstancesCommand({ StackSetName: name, CallAs: callAs, NextToken: token })));
      for (const s of r.Summaries ?? []) {
        if (!s.Account || !s.Region) continue;
        out.push({
          account: s.Account, region: s.Region, status: s.Status ?? 'UNKNOWN',
          ...(s.StackInstanceStatus?.DetailedStatus ? { detailedStatus: s.StackInstanceStatus.DetailedStatus } : {}),
          ...(s.StatusReason ? { statusReason: s.StatusReason } : {}),
        });
      }
      token = r.NextToken;
    } while (token);
    return out;
  });
}

/** GuardDuty's organization configuration in one region, as the delegated administrator reads it; null without a detector. */
export async function collectGuardDutyOrganization(gd: GuardDutyClient): Promise<Collected<GuardDutyOrganizationSettings | null>> {
  return collected(async () => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const r = await attempt('guardduty:ListDetectors', () => gd.send(new ListDetectorsCommand({ NextToken: token })));
      ids.push(...(r.DetectorIds ?? []));
      token = r.NextToken;
    } while (token);
    if (ids.length === 0) return null;
    const detectorId = ids[0];
    let members: string | undefined;
    const features: GuardDutyOrganizationSettings['features'][number][] = [];
    do {
      const r = await attempt('guardduty:DescribeOrganizationConfiguration', () => gd.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId, NextToken: token })));
      members ??= r.AutoEnableOrganizationMembers;
      for (const f of r.Features ?? []) {
        if (!f.Name) continue;
        features.push({
          name: f.Name, ...(f.AutoEnable ? { autoEnable: f.AutoEnable } : {}),
          additional: (f.AdditionalConfiguration ?? []).filter((a) => a.Name).map((a) => ({ name: a.Name as string, ...(a.AutoEnable ? { autoEnable: a.AutoEnable } : {}) })),
        });
      }
      token = r.NextToken;
    } while (token);
    return { detectorId, ...(members ? { autoEnableOrganizationMembers: members } : {}), features };
  });
}

/** The service control policies attached directly to a target, each customer-managed one with its content. */
export async function collectAttachedPolicies(org: OrganizationsClient, targetId: string): Promise<Collected<AttachedPolicy[]>> {
  return collected(async () => {
    const summaries: { id: string; name: string; awsManaged: boolean }[] = [];
    let token: string | undefined;
    do {
      const r = await attempt('organizations:ListPoliciesForTarget', () => org.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: 'SERVICE_CONTROL_POLICY', NextToken: token })));
      for (const p of r.Policies ?? []) if (p.Id) summaries.push({ id: p.Id, name: p.Name ?? p.Id, awsManaged: p.AwsManaged === true });
      token = r.NextToken;
    } while (token);
    const out: AttachedPolicy[] = [];
    for (const s of summaries) {
      if (s.awsManaged) {
        out.push(s);
        continue;
      }
      let content: Collected<unknown>;
      try {
        const r = await org.send(new DescribePolicyCommand({ PolicyId: s.id }));
        const text = r.Policy?.Content;
        if (text === undefined) {
          content = failed({ action: 'organizations:DescribePolicy', kind: 'error', message: `policy ${s.id} has no content in the answer` });
        } else {
          try {
            content = ok(JSON.parse(text));
          } catch (e) {
            content = failed({ action: 'organizations:DescribePolicy', kind: 'error', message: `policy ${s.id} content is not JSON: ${(e as Error).message}` });
          }
        }
      } catch (e) {
        content = failed(toFailure('organizations:DescribePolicy', e));
      }
      out.push({ ...s, content });
    }
    return out;
  });
}

/**
 * The organization snapshot, from the caller's credentials (the security-tooling account, delegated
 * administrator of StackSets and GuardDuty; or the management account): the accounts of the baseline
 * targets, the baseline StackSets' instances, GuardDuty's organization configuration per governed
 * region, and the SCPs attached to each SCP target.
 */
export async function collectOrganizationSnapshot(
  clients: AuditClients,
  config: OrganizationAuditConfig,
  caller: { readonly account: string; readonly partition: string },
  collectedAt: Date,
  concurrency = 4,
): Promise<OrganizationSnapshot> {
  const org = clients.organizations();
  const organization = await collectOrganization(org);
  const management = config.managementAccountId ?? (organization.ok && organization.value ? organization.value.managementAccountId : undefined);
  // The management account calls StackSets as itself; the delegated administrator must say so.
  const callAs = caller.account === management ? 'SELF' : 'DELEGATED_ADMIN';
  const cfn = clients.cloudformation(config.region);
  const scpTargets = [...new Set(Object.values(config.scpTargets).flatMap((t) => [...(t ?? [])]))].sort();
  const [targets, stackSets, guardduty, policies] = await Promise.all([
    mapLimit(config.baselineTargets, concurrency, async (targetId) => ({ targetId, accounts: await collectTargetAccounts(org, targetId) })),
    mapLimit(config.baselineStackSets, concurrency, async (s) => ({ name: s.name, instances: await collectStackInstances(cfn, s.name, callAs) })),
    mapLimit(config.governedRegions, concurrency, async (region) => ({ region, configuration: await collectGuardDutyOrganization(clients.guardduty(region)) })),
    mapLimit(scpTargets, concurrency, async (targetId) => ({ targetId, attached: await collectAttachedPolicies(org, targetId) })),
  ]);
  return {
    callerAccount: caller.account, partition: caller.partition, collectedAt: collectedAt.toISOString(),
    organization, targets, stackSets, guardduty, policies,
  };
}
