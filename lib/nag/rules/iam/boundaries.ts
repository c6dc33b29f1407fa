import { CfnResource } from 'aws-cdk-lib';
import { Answer, NamedProbe, Own, ResourceRequest, boundaryDenies } from '../../../policy/questions';
import { awsManagedPolicy } from '../../../replay/managed-policies';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify } from '../../types';
import { joinLiteral, policyJson, str, syntheticValue } from '../common';

/** A permissions boundary of the app and the roles and users it bounds. */
export interface AppBoundary {
  /** How messages name it: the managed policy's construct path, or the ARN. */
  readonly name: string;
  /** Its document as lib/policy reads it; undefined when it cannot be read ({@link unreadable} says why). */
  readonly document?: unknown;
  readonly unreadable?: string;
  /** Its ARN as IAM sends it in iam:PermissionsBoundary; undefined when it cannot be read. */
  readonly arn?: string;
  /** Whether the account may rewrite it (a customer managed policy, not an AWS managed one). */
  readonly rewritable?: boolean;
  /** The roles and users of the app that carry it. */
  readonly bounded: CfnResource[];
}

/**
 * Every permissions boundary the roles and users of the app carry, found by what their
 * `PermissionsBoundary` refers to: a managed policy of the app (by reference, or by an ARN ending in
 * its literal name), an AWS managed policy the replay catalogue holds, or something that cannot be read
 * (a policy outside the app, an unresolved value): kept with the reason, never taken as protective.
 * Built once per validation.
 */
export function appBoundaries(ix: ResourceIndex): readonly AppBoundary[] {
  return ix.memo('appBoundaries', () => {
    const byName = new Map<string, CfnResource>();
    for (const mp of ix.ofType('AWS::IAM::ManagedPolicy')) {
      const n = ix.props(mp).ManagedPolicyName;
      if (typeof n === 'string') byName.set(n, mp);
    }
    const out = new Map<unknown, { name: string; document?: unknown; unreadable?: string; bounded: CfnResource[] }>();
    const add = (key: unknown, node: CfnResource, make: () => Omit<AppBoundary, 'bounded'>) => {
      let b = out.get(key);
      if (!b) out.set(key, (b = { ...read(make, node), bounded: [] }));
      b.bounded.push(node);
    };
    for (const node of [...ix.ofType('AWS::IAM::Role'), ...ix.ofType('AWS::IAM::User')]) {
      const raw = ix.props(node).PermissionsBoundary;
      if (raw === undefined) continue;
      const t = ix.deref(node, raw);
      const arn = t.kind === 'literal' ? t.value : t.kind === 'unresolved' ? joinLiteral(t.value) : undefined;
      const policy = t.kind === 'resource' ? t.node : arn === undefined ? undefined : byName.get(arn.replace(/^.*:policy\/(?:.*\/)?/, ''));
      if (policy?.cfnResourceType === 'AWS::IAM::ManagedPolicy') {
        add(policy, node, () => ({
          name: policy.node.path, document: policyJson(ix, policy, ix.props(policy).PolicyDocument),
          arn: syntheticValue(ix, policy, undefined) as string, rewritable: true,
        }));
      } else if (arn !== undefined) {
        const managed = awsManagedPolicy(arn.replace(/\$\{AWS::Partition\}/g, 'aws'));
        add(arn, node, () => (managed
          ? { name: `AWS managed policy ${managed.name}`, document: managed.document, arn: arn.replace(/\$\{AWS::Partition\}/g, 'aws'), rewritable: false }
          : { name: arn, unreadable: `the permissions boundary ${arn} is not in the app` }));
      } else {
        const shown = JSON.stringify(raw);
        add(shown, node, () => ({ name: shown, unreadable: `the permissions boundary of ${node.node.path} is an unresolved value ${shown}` }));
      }
    }
    return [...out.values()];
  });
}

/** A boundary whose document cannot be converted (an unresolved value inside it) is unreadable, not skipped; the reason names the role carrying it. */
function read(make: () => Omit<AppBoundary, 'bounded'>, first: CfnResource): Omit<AppBoundary, 'bounded'> {
  try {
    return make();
  } catch (e) {
    if (!(e instanceof CannotVerify)) throw e;
    const name = `the permissions boundary of ${first.node.path}`;
    return { name, unreadable: `${name}: ${e.message}` };
  }
}

/** The literal name a resource property gives, or undefined (CloudFormation or an intrinsic names it). */
export function literalName(ix: ResourceIndex, node: CfnResource, key: string): string | undefined {
  const v = ix.props(node)[key];
  try {
    return str(v, key);
  } catch (e) {
    if (e instanceof CannotVerify) return undefined;
    throw e;
  }
}

/** Removing or replacing a role's or user's boundary. IAM sends iam:PermissionsBoundary: the boundary it has (delete) or is given (put). */
export const BOUNDARY_REMOVAL_ACTIONS = ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'];
/** Rewriting the boundary policy: a new version made default (CreatePolicyVersion with SetAsDefault needs nothing else), or an older one. */
export const BOUNDARY_REWRITE_ACTIONS = ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'];
/** Creating a principal without the boundary (iam:PermissionsBoundary absent, or another policy), to grant it what the boundary withholds. */
export const UNBOUNDED_CREATION_ACTIONS = ['iam:CreateRole', 'iam:CreateUser'];

/**
 * Can a principal under this boundary escape it? It escapes when it may remove its boundary or replace
 * it with another policy, rewrite the boundary policy (a customer managed one), or create a role or user
 * without it and then put or attach a policy to that new principal. Each is tried with the principals
 * of `probes` as {@link boundaryDenies} tries them. Yes: it can (why: how); no: every way is denied;
 * unknown: a way depends on a value unknown until deployment. Built once per boundary and account.
 */
export function boundaryEscape(ix: ResourceIndex, b: AppBoundary, probes: readonly NamedProbe[], own: Own): Answer {
  return ix.memo(`boundaryEscape:${b.name}:${own.account}`, () => {
    const iamArn = (what: string) => `arn:${own.partition}:iam::${own.account}:${what}`;
    const current = { 'iam:PermissionsBoundary': b.arn! };
    const other = { 'iam:PermissionsBoundary': iamArn('policy/breachlessons-other-boundary') };
    // What the new principal is given: AWS's admin policy, or one the intruder wrote (a deny of the first alone leaves the second).
    const attached = [`arn:${own.partition}:iam::aws:policy/AdministratorAccess`, iamArn('policy/breachlessons-written-policy')].map((arn) => ({ 'iam:PolicyARN': arn }));
    const role = iamArn('role/breachlessons-bounded-role');
    const user = iamArn('user/breachlessons-bounded-user');
    const direct: ResourceRequest[] = [
      { action: BOUNDARY_REMOVAL_ACTIONS[0], resource: role, context: current },
      { action: BOUNDARY_REMOVAL_ACTIONS[1], resource: user, context: current },
      { action: BOUNDARY_REMOVAL_ACTIONS[2], resource: role, context: other },
      { action: BOUNDARY_REMOVAL_ACTIONS[3], resource: user, context: other },
      ...(b.rewritable ? BOUNDARY_REWRITE_ACTIONS.map((action) => ({ action, resource: b.arn! })) : []),
    ];
    const ask = (requests: ResourceRequest[]) => boundaryDenies(b.document, requests, probes, own, b.name);
    const ways: string[] = [];
    const unknowns: string[] = [];
    const removal = ask(direct);
    if (removal.yes === false) ways.push(...removal.why);
    else if (removal.yes === 'unknown') unknowns.push(...removal.why);
    for (const [kind, action, put, attach] of [['role', UNBOUNDED_CREATION_ACTIONS[0], 'iam:PutRolePolicy', 'iam:AttachRolePolicy'], ['user', UNBOUNDED_CREATION_ACTIONS[1], 'iam:PutUserPolicy', 'iam:AttachUserPolicy']]) {
      const made = iamArn(`${kind}/breachlessons-unbounded-${kind}`);
      const create = ask([{ action, resource: made }, { action, resource: made, context: other }]);
      if (create.yes === true) continue;
      const grant = ask([{ action: put, resource: made }, ...attached.map((context) => ({ action: attach, resource: made, context }))]);
      if (grant.yes === true) continue;
      if (create.yes === false && grant.yes === false) ways.push(`${create.why.join('; ')}, without this boundary, and then ${grant.why.join('; ')}`);
      else unknowns.push(...[create, grant].filter((a) => a.yes === 'unknown').flatMap((a) => a.why));
    }
    if (ways.length > 0) return { yes: true, why: ways };
    if (unknowns.length > 0) return { yes: 'unknown', why: [...new Set(unknowns)] };
    return { yes: false, why: [] };
  });
}
