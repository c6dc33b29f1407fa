import { CfnResource, Stack } from 'aws-cdk-lib';
import { StackSetTemplate } from '../../../constructs/stackset-template';
import { Own, scpDenies, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify } from '../../types';
import { list, obj, policyJson, str } from '../common';

/**
 * The name CloudFormation gives the role a service-managed StackSet deploys with in a member account
 * (`stacksets-exec-<random>`): a StackSet template's key policy can only name it by this pattern, and an
 * SCP exempts it by it (partition and account often `*` there).
 */
export const STACKSETS_EXEC_ROLE = /^arn:[^:]+:iam::([^:]*):role\/stacksets-exec-\*$/;

/** How a principal comes to match the pattern: create a role of that name, or rewrite the trust of one. */
export const EXECUTION_ROLE_TAKEOVER = ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'];

/** Whether the app's SCPs keep every account a StackSet deploys to from minting a `stacksets-exec-*` role. */
export interface ExecutionRoleGuard {
  readonly guarded: boolean;
  /** Guarded: the SCPs and targets that guard it. Not: why not. */
  readonly why: string;
}

/**
 * The roots, OUs and added accounts (AccountFilterType UNION) the app's service-managed StackSets that may
 * deploy `template` deploy to: a StackSetTemplate deploys its own template stack only; any other StackSet
 * (an L1 CfnStackSet) may deploy any template. An unresolved target cannot be verified.
 */
function stackSetTargets(ix: ResourceIndex, template: Stack): string[] {
  const out = new Set<string>();
  for (const set of ix.ofType('AWS::CloudFormation::StackSet')) {
    const p = ix.props(set);
    if (p.PermissionModel !== 'SERVICE_MANAGED') continue;
    const owner = set.node.scope;
    if (owner instanceof StackSetTemplate && owner.stackSet === set && owner.templateStack !== template) continue;
    for (const group of list(p.StackInstancesGroup, `StackInstancesGroup of ${set.node.path}`)) {
      const targets = obj(obj(group, `StackInstancesGroup of ${set.node.path}`)?.DeploymentTargets, `DeploymentTargets of ${set.node.path}`);
      for (const ou of list(targets?.OrganizationalUnitIds, `OrganizationalUnitIds of ${set.node.path}`)) {
        out.add(str(ou, `an OrganizationalUnitIds entry of ${set.node.path}`)!);
      }
      // UNION (the default when Accounts are given) deploys to the listed accounts besides the OUs, wherever
      // they sit; INTERSECTION and DIFFERENCE only narrow the OUs, and NONE ignores the accounts.
      const filter = str(targets?.AccountFilterType, `AccountFilterType of ${set.node.path}`);
      if (filter === 'INTERSECTION' || filter === 'DIFFERENCE' || filter === 'NONE') continue;
      if (targets?.AccountsUrl !== undefined) throw new CannotVerify(`cannot verify which accounts the AccountsUrl of ${set.node.path} adds to its targets`);
      for (const account of list(targets?.Accounts, `Accounts of ${set.node.path}`)) {
        out.add(str(account, `an Accounts entry of ${set.node.path}`)!);
      }
    }
  }
  return [...out].sort();
}

/**
 * Is the StackSets execution role pattern a named administrator in every account the app's StackSets
 * deploy `template` to? It is when SCPs of the app that explicitly deny iam:CreateRole and iam:UpdateAssumeRolePolicy
 * on `role/stacksets-exec-*` to the member accounts' principals (lib/policy, scpDenies; SCPs do not
 * apply to the service-linked role StackSets creates the role with) are attached to the organization
 * root or to every target OU. Otherwise anyone allowed to create roles in a member account can create
 * `stacksets-exec-mine` and rewrite the key policy. Nothing is assumed: an SCP attached elsewhere, or an
 * app without service-managed StackSets that deploy the template, guards nothing. Built once per validation and template.
 */
export function stackSetExecutionRoleGuard(ix: ResourceIndex, own: Own, template: Stack): ExecutionRoleGuard {
  return ix.memo(`stackSetExecutionRoleGuard\u0000${own.partition}\u0000${template.node.path}`, () => {
    const targets = stackSetTargets(ix, template);
    if (targets.length === 0) {
      return { guarded: false, why: 'no service-managed StackSet of the app deploys this template, so no SCP of the app can be shown to keep the accounts it reaches from creating a stacksets-exec-* role' };
    }
    const role = `arn:${own.partition}:iam::${own.account}:role/stacksets-exec-breachlessons`;
    const requests = EXECUTION_ROLE_TAKEOVER.map((action) => ({ action, resource: role }));
    const covered = new Map<string, string[]>();
    const gaps: string[] = [];
    for (const scp of ix.ofType('AWS::Organizations::Policy')) {
      const p = ix.props(scp);
      if (p.Type !== 'SERVICE_CONTROL_POLICY') continue;
      const name = str(p.Name, `Name of ${scp.node.path}`) ?? scp.node.path;
      const a = scpDenies(policyJson(ix, scp as CfnResource, p.Content), requests, own, `the SCP ${name}`, (pattern) => STACKSETS_EXEC_ROLE.test(pattern));
      if (a.yes === 'unknown') throw new CannotVerify(`cannot verify the SCP ${name} guards the stacksets-exec-* role names: ${a.why.map(showOwn).join('; ')}`);
      if (!a.yes) { if (a.why.length && /stacksets-exec/.test(JSON.stringify(p.Content))) gaps.push(...a.why.slice(0, 1).map(showOwn)); continue; }
      for (const t of list(p.TargetIds, `TargetIds of ${scp.node.path}`)) {
        const id = str(t, `a TargetIds entry of ${scp.node.path}`)!;
        covered.set(id, [...(covered.get(id) ?? []), name]);
      }
    }
    const root = [...covered.keys()].find((id) => id.startsWith('r-'));
    if (root) return { guarded: true, why: `${covered.get(root)!.join(', ')} at the organization root ${root} deny creating or re-trusting a stacksets-exec-* role` };
    const open = targets.filter((t) => !covered.has(t));
    if (open.length === 0) return { guarded: true, why: targets.map((t) => `${covered.get(t)!.join(', ')} at ${t}`).join('; ') };
    const none = covered.size === 0 ? 'no SCP of the app denies creating or re-trusting a stacksets-exec-* role' : `no SCP that denies creating or re-trusting a stacksets-exec-* role is attached to ${open.join(', ')}`;
    return {
      guarded: false,
      why: `${none}, so a principal of an account the StackSets deploy to (${targets.join(', ')}) may create one and, through the key policy's grant to that pattern, change the key policy${gaps.length ? ` (${gaps.join('; ')})` : ''}`,
    };
  });
}
