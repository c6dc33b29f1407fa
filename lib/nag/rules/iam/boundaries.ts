import { CfnResource } from 'aws-cdk-lib';
import { awsManagedPolicy } from '../../../replay/managed-policies';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify } from '../../types';
import { joinLiteral, policyJson, str } from '../common';

/** A permissions boundary of the app and the roles and users it bounds. */
export interface AppBoundary {
  /** How messages name it: the managed policy's construct path, or the ARN. */
  readonly name: string;
  /** Its document as lib/policy reads it; undefined when it cannot be read ({@link unreadable} says why). */
  readonly document?: unknown;
  readonly unreadable?: string;
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
        add(policy, node, () => ({ name: policy.node.path, document: policyJson(ix, policy, ix.props(policy).PolicyDocument) }));
      } else if (arn !== undefined) {
        const managed = awsManagedPolicy(arn.replace(/\$\{AWS::Partition\}/g, 'aws'));
        add(arn, node, () => (managed
          ? { name: `AWS managed policy ${managed.name}`, document: managed.document }
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
