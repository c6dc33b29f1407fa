import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { subAsJoin } from '../../../template/intrinsics';
import { NagRuleCompliance, NagRuleResult, cannotVerify, joinLiteral, list, obj, reasons, statements, strings } from '../common';
import { ACCOUNT, ANY, ArnPiece, IamType, OPAQUE, SELF_GRANTING_TYPE, adminAction, everyAction, everyArn, everyOfType, matchesArn, selfGrantingCovered, wholeServiceCovered } from './admin-patterns';
import { l2Statements } from './l2-policy';
import { inlineDocuments } from './policy-documents';

/**
 * The managed policy of the app an ARN names: by reference, or by an ARN ending in its literal name (any
 * path, any account form); undefined for any other policy (an AWS managed one, one the app does not
 * define); 'unknown' when the rule cannot read it.
 */
function managedPolicyNamed(ix: ResourceIndex, from: CfnResource, value: unknown, byName: Map<string, CfnResource>): CfnResource | 'unknown' | undefined {
  const t = ix.deref(from, value);
  if (t.kind === 'resource') return t.node;
  const arn = t.kind === 'literal' ? t.value : t.kind === 'unresolved' ? joinLiteral(t.value) : undefined;
  if (arn === undefined) return 'unknown';
  if (/^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy\//.test(arn)) return undefined;
  return byName.get(arn.replace(/^.*:policy\/(?:.*\/)?/, ''));
}

interface BoundaryUse {
  /** Managed policies of the app used only as permissions boundaries (a ceiling, not a grant). */
  readonly only: Set<CfnResource>;
  /** Attachments the rule cannot read (ManagedPolicyArns, permission set references): any of them could be a boundary attached as a grant. */
  readonly unknown: { holder: CfnResource; through: string; value: unknown }[];
}

/**
 * Which managed policies of the app are permissions boundaries and nothing else, built once. A policy
 * is attached as a grant when a role, user or group lists it in ManagedPolicyArns (by reference, or by
 * an ARN ending in its literal ManagedPolicyName, as ManagedPolicy.fromManagedPolicyName renders it),
 * when it names Roles, Users or Groups itself, or when an Identity Center permission set references it
 * by name.
 */
function boundaryUse(ix: ResourceIndex): BoundaryUse {
  return ix.memo('wildcardAdminBoundaryUse', () => {
    const byName = new Map<string, CfnResource>();
    for (const mp of ix.ofType('AWS::IAM::ManagedPolicy')) {
      const n = ix.props(mp).ManagedPolicyName;
      if (typeof n === 'string') byName.set(n, mp);
    }
    const boundaries = new Set<CfnResource>();
    const attached = new Set<CfnResource>();
    const unknown: BoundaryUse['unknown'] = [];
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
      for (const n of ix.ofType(type)) {
        const p = ix.props(n);
        if (type !== 'AWS::IAM::Group' && p.PermissionsBoundary !== undefined) {
          const b = managedPolicyNamed(ix, n, p.PermissionsBoundary, byName);
          if (b instanceof CfnResource) boundaries.add(b);
        }
        if (p.ManagedPolicyArns === undefined) continue;
        for (const arn of Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns : [p.ManagedPolicyArns]) {
          const a = managedPolicyNamed(ix, n, arn, byName);
          if (a instanceof CfnResource) attached.add(a);
          else if (a === 'unknown') unknown.push({ holder: n, through: 'ManagedPolicyArns', value: arn });
        }
      }
    }
    for (const ps of ix.ofType('AWS::SSO::PermissionSet')) {
      const refs = ix.props(ps).CustomerManagedPolicyReferences;
      if (refs === undefined) continue;
      // A reference or a list the rule cannot read may name any policy.
      for (const r of Array.isArray(refs) ? refs : [refs]) {
        const name = (r as { Name?: unknown } | null)?.Name;
        const mp = typeof name === 'string' ? byName.get(name) : undefined;
        if (mp) attached.add(mp);
        else if (typeof name !== 'string') unknown.push({ holder: ps, through: 'CustomerManagedPolicyReferences', value: r });
      }
    }
    for (const b of boundaries) {
      const p = ix.props(b);
      if (attached.has(b) || p.Roles !== undefined || p.Users !== undefined || p.Groups !== undefined) boundaries.delete(b);
    }
    return { only: boundaries, unknown };
  });
}

/** Fast path: no Allow statement of an L2 document names an admin action pattern, a NotAction or a token action. */
function plainlyNarrow(doc: unknown): boolean {
  const list = l2Statements(doc);
  return !!list && list.every((st) => st.effect === iam.Effect.DENY
    || (st.notActions.length === 0 && st.actions.every((a) => !Token.isUnresolved(a) && !adminAction(a))));
}

/**
 * Fast path for a role, group or user: its inline policies as the construct holds them are a plain
 * list of { policyName, policyDocument } whose documents are all plainly narrow (no inline policy at
 * all is narrow too). Anything else (a token, an escape-hatch override, a document given as JSON)
 * is left to the resolved path.
 */
function inlinePlainlyNarrow(ix: ResourceIndex, node: CfnResource): boolean {
  const raw = ix.rawProp(node, 'Policies');
  if (raw === undefined) return !('Policies' in ix.props(node));
  if (!Array.isArray(raw) || Token.isUnresolved(raw)) return false;
  return raw.every((p) => typeof p === 'object' && p !== null && !Token.isUnresolved(p) && plainlyNarrow((p as { policyDocument?: unknown }).policyDocument));
}

/**
 * An element of Resource as a glob: `pattern` with unreadable fixed values (a pseudo parameter, a
 * resource of the app: its ARN or name, never a pattern) as {@link OPAQUE} and parameters as `*` (the
 * widest they can be).
 */
interface ResourcePattern {
  readonly shown: string;
  readonly pattern: string;
  /** The same with parameters as unknown literals; set only when it has parameters. */
  readonly narrowest?: string;
}

function resourcePattern(ix: ResourceIndex, node: CfnResource, v: unknown): ResourcePattern {
  const part = (x: unknown): { shown: string; wide: string; narrow: string } => {
    const o = (x ?? {}) as Record<string, unknown>;
    const sub = o['Fn::Sub'] !== undefined && Object.keys(o).length === 1 ? subAsJoin(o['Fn::Sub'] as never) : undefined;
    const j = (sub ?? o)['Fn::Join'] as unknown;
    if (Array.isArray(j) && typeof j[0] === 'string' && Array.isArray(j[1])) {
      const ps = (j[1] as unknown[]).map(part);
      return { shown: ps.map((p) => p.shown).join(j[0]), wide: ps.map((p) => p.wide).join(j[0]), narrow: ps.map((p) => p.narrow).join(j[0]) };
    }
    const t = ix.deref(node, x);
    if (t.kind === 'literal') return { shown: t.value, wide: t.value, narrow: t.value };
    if (t.kind === 'pseudo') return { shown: `\${${t.name}}`, wide: OPAQUE, narrow: OPAQUE };
    if (t.kind === 'resource') return { shown: `\${${t.node.node.path}${t.attribute ? `.${t.attribute}` : ''}}`, wide: OPAQUE, narrow: OPAQUE };
    return { shown: JSON.stringify(x), wide: '*', narrow: OPAQUE };
  };
  const r = part(v);
  // Only a parameter reads differently at its widest and narrowest.
  return { shown: r.shown, pattern: r.wide, narrowest: r.narrow !== r.wide ? r.narrow : undefined };
}

/**
 * A role, user or group that holds the document, as the ARN IAM gives it: its path (default `/`) and
 * name (when none is set, the one CloudFormation generates: stack name, logical id, a random suffix),
 * in its stack's account or any account when the stack has none. `narrow` reads a value the rule
 * cannot read as an unknown literal, `wide` (set only when such a value is in it) as any text.
 */
interface Holder {
  readonly type: IamType;
  readonly shown: string;
  readonly narrow: readonly ArnPiece[];
  /** The ARN at its widest, one alternative per shape (an unknown path is `/` or `/.../`). */
  readonly wide?: readonly (readonly ArnPiece[])[];
}

const HOLDER_TYPE: Record<string, { type: IamType; name: string; list: string }> = {
  'AWS::IAM::Role': { type: 'role', name: 'RoleName', list: 'Roles' },
  'AWS::IAM::User': { type: 'user', name: 'UserName', list: 'Users' },
  'AWS::IAM::Group': { type: 'group', name: 'GroupName', list: 'Groups' },
};

interface Piece { readonly narrow: ArnPiece[]; readonly wide: ArnPiece[][]; readonly shown: string; readonly param?: boolean }

/**
 * A path or name as ARN pieces: a literal, or a value the rule cannot read (a parameter, a pseudo
 * parameter, an attribute of a resource), which may be any name or path. An unknown path reads `/.../` at
 * its narrowest and, at its widest, `/.../` or the default `/` itself.
 */
function piece(ix: ResourceIndex, from: CfnResource, v: unknown, key: string, around = ''): Piece {
  const t = ix.deref(from, v);
  if (t.kind === 'literal') return { narrow: [t.value], wide: [[t.value]], shown: t.value };
  const unknown = (x: ArnPiece): ArnPiece[] => [around, x, around];
  const shown = t.kind === 'unresolved' ? JSON.stringify(v) : `\${${key}}`;
  return { narrow: unknown(OPAQUE), wide: around === '/' ? [unknown(ANY), ['/']] : [unknown(ANY)], shown: `${around}${shown}${around}`, param: true };
}

/** The default path of a role, user or group. */
const ROOT_PATH: Piece = { narrow: ['/'], wide: [['/']], shown: '/' };

function holderArn(stack: Stack, type: IamType, path: Piece, name: Piece): Holder {
  const account: ArnPiece = Token.isUnresolved(stack.account) ? ACCOUNT : [stack.account, OPAQUE];
  const head: ArnPiece[] = ['arn:', ANY, ':iam::', account, `:${type}`];
  const params = path.param || name.param;
  return {
    type,
    shown: `arn:\${AWS::Partition}:iam::${Token.isUnresolved(stack.account) ? '${AWS::AccountId}' : stack.account}:${type}${path.shown}${name.shown}`,
    narrow: [...head, ...path.narrow, ...name.narrow],
    wide: params ? path.wide.flatMap((p) => name.wide.map((n) => [...head, ...p, ...n])) : undefined,
  };
}

/** A role, user or group of the app as its ARN. */
function holderOf(ix: ResourceIndex, node: CfnResource): Holder | undefined {
  const h = HOLDER_TYPE[node.cfnResourceType];
  if (!h) return undefined;
  const stack = Stack.of(node);
  const p = ix.props(node);
  const path = p.Path === undefined ? ROOT_PATH : piece(ix, node, p.Path, 'Path', '/');
  const generated = `${Token.isUnresolved(stack.stackName) ? OPAQUE : stack.stackName}-${ix.logicalId(node)}-`;
  const name = p[h.name] === undefined ? { narrow: [generated, OPAQUE], wide: [[generated, OPAQUE]], shown: `${generated}…`.split(OPAQUE).join('…') } : piece(ix, node, p[h.name], h.name);
  return holderArn(stack, h.type, path, name);
}

/** The roles, users and groups of the app by their literal names, built once. */
function holdersByName(ix: ResourceIndex): Map<string, CfnResource> {
  return ix.memo('wildcardAdminHoldersByName', () => {
    const out = new Map<string, CfnResource>();
    for (const [type, h] of Object.entries(HOLDER_TYPE)) {
      for (const n of ix.ofType(type)) {
        const name = ix.props(n)[h.name];
        if (typeof name === 'string') out.set(`${h.type}/${name}`, n);
      }
    }
    return out;
  });
}

/**
 * Who holds the document: the role, user or group itself for its inline policies; for a policy or a
 * managed policy, the roles, users and groups it names (by reference, or by a literal name: the one of
 * the app so named, else one at path `/`). Attachments through ManagedPolicyArns are not followed.
 */
function holdersOf(ix: ResourceIndex, node: CfnResource): Holder[] {
  const own = holderOf(ix, node);
  if (own) return [own];
  // A policy or a managed policy (the rule reads no other type).
  const out: Holder[] = [];
  for (const { type, list: key } of Object.values(HOLDER_TYPE)) {
    const names = ix.props(node)[key];
    // A list the rule cannot read (a parameter) may name any of them.
    for (const v of Array.isArray(names) ? names : names === undefined ? [] : [names]) {
      const t = ix.deref(node, v);
      const named = t.kind === 'resource' ? t.node : t.kind === 'literal' ? holdersByName(ix).get(`${type}/${t.value}`) : undefined;
      // A resource that is no such holder (a custom resource's output...) names one the rule cannot read.
      const h = named && HOLDER_TYPE[named.cfnResourceType]?.type === type ? holderOf(ix, named) : undefined;
      out.push(h ?? holderArn(Stack.of(node), type, ROOT_PATH, piece(ix, node, v, key)));
    }
  }
  return out;
}

/** The self-granting actions that act on the holder itself: a policy written or attached to its own role, user or group. */
const ON_ITSELF = new Set(['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy']);

/**
 * Why an Allow of `action` on the resource element is admin, or undefined. A parameter that makes it
 * admin only at its widest ("*") cannot be verified.
 */
function adminOn(action: string, r: ResourcePattern, what: string, holders: () => readonly Holder[]): string | undefined {
  const judge = (pattern: string): string | undefined => {
    const svc = wholeServiceCovered(action, pattern);
    if (svc !== undefined) {
      const actions = everyAction(action) ? 'every action of every service' : `every action of ${svc}`;
      if (pattern === '*') return `the action pattern covers ${actions}`;
      const arns = everyArn(pattern) ? 'every ARN' : `every ${svc} resource`;
      return `the action pattern covers ${actions} and the resource pattern covers ${arns}, as wide as "*"`;
    }
    const self = selfGrantingCovered(action);
    if (self.length === 0) return undefined;
    const grant = 'with which the holder can grant itself any permission: admin in effect';
    if (wholeServiceCovered('iam:*', pattern) !== undefined) {
      const on = pattern === '*' ? '' : ' (the resource pattern covers every IAM resource)';
      return `it covers ${self.join(', ')}${on}, ${grant}`;
    }
    const types = [...new Set(self.map((x) => SELF_GRANTING_TYPE[x]))].filter((t) => everyOfType(pattern, t));
    if (types.length > 0) {
      const acts = self.filter((x) => types.includes(SELF_GRANTING_TYPE[x]));
      return `it covers ${acts.join(', ')} and the resource pattern covers every ${types.join(', every ')}, the holder's own among them, ${grant}`;
    }
    for (const holder of holders()) {
      const own = self.filter((x) => ON_ITSELF.has(x) && SELF_GRANTING_TYPE[x] === holder.type);
      if (own.length === 0) continue;
      if (matchesArn(pattern, holder.narrow)) return `it covers ${own.join(', ')} and the resource pattern covers the holder's own ARN (${holder.shown}), ${grant}`;
      if (holder.wide?.some((w) => matchesArn(pattern, w))) cannotVerify(`whether ${what} covers the holder's own ARN (a value in its name or path the rule cannot read could put it there)`, holder.shown);
    }
    return undefined;
  };
  const wide = judge(r.pattern);
  if (wide === undefined || r.narrowest === undefined) return wide;
  return judge(r.narrowest) ?? cannotVerify(`${what} (a parameter in it could make it "*")`, r.shown);
}

/** How messages name each inline document of a role, user or group: "inline policy 'x' " (a policy resource has no Policies: none). */
function documentLabels(ix: ResourceIndex, node: CfnResource): string[] {
  return list(ix.props(node).Policies, 'Policies').map((x, i) => {
    const n = obj(x, 'inline policy')?.PolicyName;
    return `inline policy ${typeof n === 'string' ? `'${n}'` : `#${i}`} `;
  });
}

/**
 * No custom policy allows a whole service ("*", "service:*" in any spelling) on every resource of it
 * ("*" or a pattern as wide), nor a self-granting IAM action (named or by wildcard) with which the holder grants itself anything:
 * on "*", on every resource of the type the action acts on (every role, user, group or policy), or on a
 * pattern that matches the ARN of a role, user or group holding the document (inline, or named in the
 * policy's Roles, Users or Groups).
 */
export function IAMPolicyNoWildcardAdmin(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  // Fast paths: the L2 document of a policy (a role, user or group has no PolicyDocument), the L2 inline policies of a role, user or group.
  if (plainlyNarrow(ix.rawProp(node, 'PolicyDocument'))) return NagRuleCompliance.COMPLIANT;
  if (node.cfnResourceType in HOLDER_TYPE && inlinePlainlyNarrow(ix, node)) return NagRuleCompliance.COMPLIANT;
  const out: string[] = [];
  const labels = documentLabels(ix, node);
  let holders: Holder[] | undefined;
  const holdersLazily = () => (holders ??= holdersOf(ix, node));
  inlineDocuments(ix, node).forEach((doc, d) => {
    statements(doc, 'policy').forEach((s, i) => {
      if (s.Effect !== 'Allow') return;
      const name = `${labels[d] ?? ''}statement ${typeof s.Sid === 'string' && s.Sid !== '' ? `'${s.Sid}'` : `#${i}`}`;
      // Actions first: they are literal strings, and most statements stop here.
      const actions = s.NotAction !== undefined ? ['*'] : strings(s.Action, 'Action').filter(adminAction);
      if (actions.length === 0) return;
      const shownAction = (a: string) => (s.NotAction !== undefined ? `every action but NotAction ${JSON.stringify(s.NotAction)}` : a);
      if (s.NotResource !== undefined) {
        for (const a of actions) out.push(`${name} allows ${shownAction(a)} on every resource but NotResource ${JSON.stringify(s.NotResource)}: NotResource leaves every other resource`);
        return;
      }
      if (s.Resource === undefined) return;
      const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => resourcePattern(ix, node, r));
      // One reason per statement and resource pattern, naming each admin action pattern on it.
      const byResource = new Map<string, { a: string; why: string }[]>();
      for (const a of actions) {
        for (const r of resources) {
          const why = adminOn(a, r, `Resource of ${name}`, holdersLazily);
          if (why === undefined) continue;
          const l = byResource.get(r.shown) ?? [];
          l.push({ a: shownAction(a), why: s.NotAction !== undefined ? 'NotAction allows every action it does not list' : why });
          byResource.set(r.shown, l);
          break;
        }
      }
      for (const [r, l] of byResource) {
        const services = l.map((x) => /^the action pattern covers every action of (\S+)$/.exec(x.why)?.[1]);
        const why = l.length === 1 ? l[0].why
          : services.every((x) => x !== undefined) ? `the action patterns cover every action of ${services.join(', ')}`
            : l.map((x) => `${x.a}: ${x.why}`).join('; ');
        out.push(`${name} allows ${l.map((x) => x.a).join(', ')} on ${r}: ${why}`);
      }
    });
  });
  if (out.length > 0 && node.cfnResourceType === 'AWS::IAM::ManagedPolicy') {
    const use = boundaryUse(ix);
    if (use.only.has(node)) {
      const u = use.unknown[0];
      if (u) cannotVerify(`whether this permissions boundary is also attached as a grant through ${u.through} of ${u.holder.node.path}`, u.value);
      return NagRuleCompliance.NOT_APPLICABLE;
    }
  }
  return reasons(out);
}

export const IAMPolicyNoWildcardAdminMeta: RuleMetadata = {
  ruleName: 'IAMPolicyNoWildcardAdmin',
  controlIds: ['IAM-LEASTPRIV'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.16', 'nist-800-53:AC-6', 'aws-fsbp:IAM.1', 'aws-fsbp:IAM.21'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::Group', 'AWS::IAM::User'],
  info: 'A custom policy allows a whole service ("*", "s3:*" or as wide: "iam:**", "*:*") on all its resources ("*" or as wide: "arn:*", "arn:aws:iam::*:*", "arn:aws:s3:::*"), or a self-granting IAM action (iam:PutRolePolicy, iam:AttachRolePolicy, iam:CreatePolicyVersion..., named or covered by a wildcard such as iam:Put*) on them, on every resource of the type it acts on (every role, user, group or policy, in any account or one: "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user*"), or on a pattern that matches the ARN of the role, user or group holding it (its inline policy, or a policy naming it in Roles, Users or Groups; attachments through ManagedPolicyArns are not followed).',
  explanation: 'Lesson L2 (a stolen credential opens little): a wildcard grant turns any stolen credential into an administrator (CIS 1.16, NYDFS 500.7); one that may write its own policy is one already, and a grant on every role (user, group, policy) includes its own. A managed policy used only as a permissions boundary caps and is exempt; attached to any principal, it grants.',
  fix: 'Name the actions and resources the principal needs (grantRead, grantEncrypt...); never a whole service on all its resources, nor a self-granting IAM action (iam:PutRolePolicy, iam:AttachRolePolicy, iam:CreatePolicyVersion, iam:UpdateAssumeRolePolicy..., or iam:Put*, iam:Attach*, iam:Create*, iam:Set*, iam:Update*, iam:Add*) on "*", on every role, user, group or policy ("role/*"), or on a pattern that matches the principal\'s own ARN: scope it to the roles it manages, a set that excludes the holder (arn:aws:iam::*:role/app-workers-*). Use a permissions boundary policy only as a boundary.',
};
