import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, Statement, cannotVerify, joinLiteral, list, obj, reasons, statements, strings } from '../common';

/** Actions that manage a key (policy, state, aliases, deletion, key material). */
export const KMS_ADMIN_ACTIONS = [
  'CreateAlias', 'DeleteAlias', 'UpdateAlias', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'DisableKey', 'EnableKey',
  'DisableKeyRotation', 'EnableKeyRotation', 'RotateKeyOnDemand', 'UpdateKeyDescription', 'TagResource', 'UntagResource',
  'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'ReplicateKey', 'UpdatePrimaryRegion', 'RevokeGrant',
].map((a) => `kms:${a}`);

/** Actions that use a key for cryptography. */
export const KMS_USE_ACTIONS = [
  'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
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

const label = (s: Statement, i: number): string => (typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`);

/**
 * No principal of a key policy may both administer the key and use it for cryptography, unless the
 * use is confined to an AWS service or an encryption context (kms:ViaService, kms:EncryptionContext:*).
 */
export function KMSKeyPolicySeparatesDuties(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const doc = ix.props(node).KeyPolicy;
  if (doc === undefined) return ['no key policy: the default key policy gives the account root kms:*'];
  const admins = new Map<string, string[]>();
  const users = new Map<string, string[]>();
  const out: string[] = [];
  let unresolved: unknown;
  statements(doc, 'key policy').forEach((s, i) => {
    if (s.Effect !== 'Allow' || confined(s.Condition)) return;
    const admin = grantsAny(s, KMS_ADMIN_ACTIONS);
    const use = grantsAny(s, KMS_USE_ACTIONS);
    if (!admin && !use) return;
    const names = principalNames(ix, node, s.Principal ?? '*');
    if (admin && use) {
      const who = names?.join(', ') ?? 'its principal';
      const all = s.NotAction === undefined && list(s.Action, 'key policy Action').some((a) => a === '*' || a === 'kms:*');
      out.push(`${label(s, i)} grants ${who} ${all ? 'kms:*' : 'administration and use'}${s.Condition === undefined ? ' without conditions' : ''}`);
      return;
    }
    if (!names) { unresolved ??= s.Principal; return; }
    for (const n of names) {
      const m = admin ? admins : users;
      const l = m.get(n);
      if (l) l.push(label(s, i)); else m.set(n, [label(s, i)]);
    }
  });
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

export const KMSKeyPolicySeparatesDutiesMeta: RuleMetadata = {
  ruleName: 'KMSKeyPolicySeparatesDuties',
  controlIds: ['DATA-KEYPOLICY'],
  level: 'warning',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  info: 'The key policy lets the same principal administer the key and use it for encryption and decryption.',
  explanation: 'Lesson L5 (stolen PII is unreadable): encryption protects the data only while the people who manage the key cannot also decrypt with it; CDK\'s default key policy gives the account root kms:*, so any administrator can read every record the key protects.',
  fix: 'Give administrators only the administrative actions (kms:Create*, Put*, ScheduleKeyDeletion...) and grant Encrypt/Decrypt/GenerateDataKey* to the workload roles, or to the account only with kms:ViaService (CustomerManagedKey does this); never kms:* without conditions.',
};
