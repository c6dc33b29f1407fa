import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, Statement, cannotVerify, joinLiteral, list, obj, reasons, statements, strings } from '../common';
import { l2Statements } from '../iam/l2-policy';

/** Actions that manage a key (policy, state, aliases, deletion, key material). */
export const KMS_ADMIN_ACTIONS = [
  'CreateAlias', 'DeleteAlias', 'UpdateAlias', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'DisableKey', 'EnableKey',
  'DisableKeyRotation', 'EnableKeyRotation', 'RotateKeyOnDemand', 'UpdateKeyDescription', 'TagResource', 'UntagResource',
  'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'ReplicateKey', 'UpdatePrimaryRegion', 'RevokeGrant',
].map((a) => `kms:${a}`);

/**
 * Actions that use a key for cryptography, and CreateGrant: a grant can give its creator Decrypt,
 * so whoever may create grants without a service confining them may use the key.
 */
export const KMS_USE_ACTIONS = [
  'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'CreateGrant',
].map((a) => `kms:${a}`);

/**
 * Condition keys that confine a statement to use through an AWS service or for one resource's
 * encryption context. Administrative calls never carry them, so such a statement grants only that
 * service-mediated use, never administration or direct use.
 */
const CONFINING_KEYS = ['kms:viaservice', 'kms:encryptioncontextkeys', 'kms:grantisforawsresource'];
const confines = (k: string): boolean => CONFINING_KEYS.includes(k) || k.startsWith('kms:encryptioncontext:');

function confined(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.entries(condition as Record<string, unknown>).some(([op, body]) => !/IfExists$/.test(op)
    && typeof body === 'object' && body !== null && Object.keys(body).some((k) => confines(k.toLowerCase())));
}

const GLOBS = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = GLOBS.get(pattern);
  if (!re) {
    GLOBS.set(pattern, (re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')));
  }
  return re;
}

/** Whether a statement's Action (or everything but its NotAction) includes one of `names`. */
function grantsAny(s: Statement, names: readonly string[]): boolean {
  if (s.NotAction !== undefined) {
    const not = strings(s.NotAction, 'key policy NotAction').map(glob);
    return names.some((n) => !not.some((re) => re.test(n)));
  }
  const actions = strings(s.Action, 'key policy Action').map(glob);
  return names.some((n) => actions.some((re) => re.test(n)));
}

/**
 * One name per principal, so that the same principal written two ways is recognized: the account
 * (12 digits, `${AWS::AccountId}`, `arn:...:root`) becomes `account <id>`; a role or user of the
 * app becomes its construct path. Undefined when the principal cannot be resolved.
 */
function principalNames(ix: ResourceIndex, key: CfnResource, principal: unknown): string[] | undefined {
  if (principal === undefined || principal === '*') return ['*'];
  const p = obj(principal, 'key policy Principal')!;
  const out: string[] = [];
  for (const [type, value] of Object.entries(p)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const s = joinLiteral(v);
      if (s !== undefined) {
        const root = /^(\d{12}|\$\{AWS::AccountId\})$/.exec(s) ?? /^arn:(?:\$\{AWS::Partition\}|[a-z-]+):iam::(\d{12}|\$\{AWS::AccountId\}):root$/.exec(s);
        out.push(root ? `account ${root[1]}` : type === 'AWS' && s === '*' ? '*' : `${type} ${s}`);
        continue;
      }
      const t = ix.deref(key, v);
      if (t.kind === 'pseudo' && t.name === 'AWS::AccountId') out.push('account ${AWS::AccountId}');
      else if (t.kind === 'resource') out.push(`${type} ${t.node.node.path}`);
      else return undefined;
    }
  }
  return out;
}

const label = (sid: unknown, i: number): string => (typeof sid === 'string' ? sid : `statement ${i + 1}`);

/** One Allow statement, reduced to what separation of duties needs. */
interface Grant {
  readonly label: string;
  readonly admin: boolean;
  readonly use: boolean;
  /** Principal names; undefined when a principal cannot be resolved. */
  readonly names: string[] | undefined;
  readonly unresolvedPrincipal?: unknown;
  /** Action "*" or "kms:*". */
  readonly all: boolean;
  readonly conditioned: boolean;
}

/** The verdict over the unconfined Allow statements of a key policy. */
function judge(grants: Grant[]): NagRuleResult {
  const admins = new Map<string, string[]>();
  const users = new Map<string, string[]>();
  const out: string[] = [];
  let unresolved: unknown;
  for (const g of grants) {
    if (!g.admin && !g.use) continue;
    if (g.admin && g.use) {
      out.push(`${g.label} grants ${g.names?.join(', ') ?? 'its principal'} ${g.all ? 'kms:*' : 'administration and use'}${g.conditioned ? '' : ' without conditions'}`);
      continue;
    }
    if (!g.names) { unresolved ??= g.unresolvedPrincipal; continue; }
    for (const n of g.names) {
      const m = g.admin ? admins : users;
      const l = m.get(n);
      if (l) l.push(g.label); else m.set(n, [g.label]);
    }
  }
  const anyone = (m: Map<string, string[]>) => m.get('*');
  for (const [who, adminBy] of admins) {
    const useBy = users.get(who) ?? (who !== '*' ? anyone(users) : undefined);
    if (useBy) out.push(`${who} administers the key (${adminBy.join(', ')}) and may use it (${useBy.join(', ')})`);
  }
  const everyoneAdmin = anyone(admins);
  if (everyoneAdmin) {
    for (const [who, useBy] of users) if (who !== '*') out.push(`everyone administers the key (${everyoneAdmin.join(', ')}) and ${who} may use it (${useBy.join(', ')})`);
  }
  if (out.length === 0 && unresolved !== undefined) return cannotVerify('a key policy principal', unresolved);
  return reasons(out);
}

/** The name of an L2 principal, or undefined when the fast path cannot name it with certainty. */
function l2PrincipalName(stack: Stack, p: iam.IPrincipal): string | undefined {
  if (p instanceof iam.AnyPrincipal || p instanceof iam.StarPrincipal) return '*';
  // Always the account of the stack that holds the policy: every AccountRootPrincipal of one document is the same one.
  if (p instanceof iam.AccountRootPrincipal) return `account ${Token.isUnresolved(stack.account) ? '${AWS::AccountId}' : stack.account}`;
  if (p instanceof iam.ServicePrincipal) return Token.isUnresolved(p.service) ? undefined : `Service ${p.service}`;
  return undefined;
}

/**
 * The grants of a key policy built with iam.PolicyDocument, read from the L2 objects without
 * rendering the document; undefined when any part is not certain (then the rendered policy decides).
 * Only principals this path can name are accepted, so one principal is never seen under two names.
 */
function l2Grants(node: CfnResource, doc: unknown): Grant[] | undefined {
  const list = l2Statements(doc);
  if (!list) return undefined;
  const stack = Stack.of(node);
  const grants: Grant[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.effect !== iam.Effect.ALLOW || confined(s.conditions)) continue;
    if (s.notPrincipals.length > 0 || s.notActions.length > 0 || s.principals.length === 0) return undefined;
    if ([...s.actions].some((a) => Token.isUnresolved(a))) return undefined;
    const names: string[] = [];
    for (const p of s.principals) {
      const n = l2PrincipalName(stack, p);
      if (n === undefined) return undefined;
      names.push(n);
    }
    const st = { Action: s.actions } as Statement;
    grants.push({
      label: label(s.sid, i), admin: grantsAny(st, KMS_ADMIN_ACTIONS), use: grantsAny(st, KMS_USE_ACTIONS), names,
      all: s.actions.some((a) => a === '*' || a === 'kms:*'), conditioned: Object.keys(s.conditions ?? {}).length > 0,
    });
  }
  return grants;
}

/**
 * No principal of a key policy may both administer the key and use it for cryptography, unless the
 * use is confined to an AWS service or an encryption context (kms:ViaService, kms:EncryptionContext:*).
 */
export function KMSKeyPolicySeparatesDuties(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const fast = l2Grants(node, ix.rawProp(node, 'KeyPolicy'));
  if (fast) return judge(fast);
  const doc = ix.props(node).KeyPolicy;
  if (doc === undefined) return ['no key policy: the default key policy gives the account root kms:*'];
  const grants: Grant[] = [];
  statements(doc, 'key policy').forEach((s, i) => {
    if (s.Effect !== 'Allow' || confined(s.Condition)) return;
    grants.push({
      label: label(s.Sid, i), admin: grantsAny(s, KMS_ADMIN_ACTIONS), use: grantsAny(s, KMS_USE_ACTIONS),
      names: principalNames(ix, node, s.Principal ?? '*'), unresolvedPrincipal: s.Principal,
      all: s.NotAction === undefined && list(s.Action, 'key policy Action').some((a) => a === '*' || a === 'kms:*'),
      conditioned: s.Condition !== undefined,
    });
  });
  return judge(grants);
}

export const KMSKeyPolicySeparatesDutiesMeta: RuleMetadata = {
  ruleName: 'KMSKeyPolicySeparatesDuties',
  controlIds: ['DATA-KEYPOLICY'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-5', 'nist-800-53:AC-6', 'nist-800-53:SC-12'],
  level: 'warning',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  info: 'The key policy lets the same principal administer the key and use it for encryption and decryption.',
  explanation: 'Lesson L5 (stolen PII is unreadable): encryption protects the data only while the people who manage the key cannot also decrypt with it; CDK\'s default key policy gives the account root kms:*, so any administrator can read every record the key protects.',
  fix: 'Give administrators only the administrative actions (kms:CreateAlias, Put*, Enable*, Disable*, ScheduleKeyDeletion...; not CreateGrant, which can give Decrypt) and grant Encrypt/Decrypt/GenerateDataKey* to the workload roles, or to the account only with kms:ViaService (CustomerManagedKey does this); never kms:* without conditions.',
};
