import { ApiFailure } from '../../types';
import { OrganizationAccount } from '../../organization/types';
import { defineOrganizationCheck, managementAccountOf } from './check';

/** A stack instance is current when its stack matches the StackSet and its last operation succeeded. */
function isCurrent(status: string, detailed: string | undefined): boolean {
  return status === 'CURRENT' && (detailed === undefined || detailed === 'SUCCEEDED');
}

/**
 * Every ACTIVE account below the baseline targets (nested OUs included), except the excluded ones and
 * the management account (service-managed StackSets never deploy there), has a current instance of
 * every baseline StackSet in each of its regions: one finding per account.
 */
export default defineOrganizationCheck({
  id: 'org-stackset-baseline',
  controlId: 'IAM-LEASTPRIV',
  title: 'Every account of the target OUs holds the baseline StackSets in every governed region',
  severity: 'error',
  remediation: 'Look at the StackSet operations of the baseline StackSets in the security-tooling account (aws cloudformation list-stack-set-operation-results --call-as DELEGATED_ADMIN); fix the cause and re-run the StackSet on the accounts and regions named.',
}, (input, emit) => {
  const s = input.organization;
  const mgmt = managementAccountOf(input);
  const orgId = s.organization.ok && s.organization.value ? s.organization.value.id : 'o-unknown';
  const excluded = new Set(input.config.baselineExcludeAccounts ?? []);
  const accounts = new Map<string, OrganizationAccount>();
  for (const t of s.targets) {
    const r = { id: `arn:${s.partition}:organizations::${mgmt ?? s.callerAccount}:ou/${orgId}/${t.targetId}`, type: 'AWS::Organizations::OrganizationalUnit', account: mgmt };
    if (!t.accounts.ok) {
      emit.error(r, t.accounts.failure);
      continue;
    }
    for (const a of t.accounts.value) if (a.state === 'ACTIVE' && !excluded.has(a.id) && a.id !== mgmt) accounts.set(a.id, a);
  }
  for (const t of input.config.baselineTargets) {
    if (!s.targets.some((x) => x.targetId === t)) {
      emit.cannotVerify({ id: `arn:${s.partition}:organizations::${mgmt ?? s.callerAccount}:ou/${orgId}/${t}`, type: 'AWS::Organizations::OrganizationalUnit', account: mgmt }, `the accounts of baseline target ${t} were not collected`);
    }
  }
  const expected = input.config.baselineStackSets.map((b) => ({ name: b.name, regions: b.regions ?? input.config.governedRegions }));
  const instances = new Map(s.stackSets.map((x) => [x.name, x.instances]));
  for (const a of [...accounts.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    const r = { id: `arn:${s.partition}:organizations::${mgmt ?? s.callerAccount}:account/${orgId}/${a.id}`, type: 'AWS::Organizations::Account', account: a.id };
    const problems: string[] = [];
    let failure: ApiFailure | undefined;
    for (const set of expected) {
      const got = instances.get(set.name);
      if (!got) {
        failure ??= { action: 'cloudformation:ListStackInstances', kind: 'error', message: `StackSet ${set.name} was not collected` };
        continue;
      }
      if (!got.ok) {
        failure ??= got.failure;
        continue;
      }
      for (const region of set.regions) {
        const i = got.value.find((x) => x.account === a.id && x.region === region);
        if (!i) problems.push(`${set.name} has no instance in ${region}`);
        else if (!isCurrent(i.status, i.detailedStatus)) {
          problems.push(`${set.name} in ${region} is ${i.status}${i.detailedStatus ? `/${i.detailedStatus}` : ''}${i.statusReason ? ` (${i.statusReason})` : ''}`);
        }
      }
    }
    if (problems.length > 0) emit.fail(r, `account ${a.id}${a.name ? ` (${a.name})` : ''} under ${a.parentId}: ${problems.join('; ')}`);
    else if (failure) emit.error(r, failure);
    else emit.pass(r, `account ${a.id}${a.name ? ` (${a.name})` : ''} holds a current instance of ${expected.map((e) => e.name).join(', ')} in ${[...new Set(expected.flatMap((e) => e.regions))].join(', ')}`);
  }
});
