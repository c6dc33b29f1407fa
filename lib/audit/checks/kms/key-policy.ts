import { isUnknown } from '../../../policy';
import { KeyProbe, Own, PRINCIPAL_SESSIONS, accountPrincipals, canMake, keyAllows, parseKeyPolicy, principalChoices } from '../../../policy/questions';
import { KMS_ADMIN_ACTIONS, KMS_USE_ACTIONS } from '../../../policy/kms-actions';
import { AccountSnapshot } from '../../types';
import { defineCheck } from '../check';
import { forEachKey, keyName, keyResource } from './scope';

const FOREIGN = '444455556666';

/**
 * The principals a key policy names, tried as AWS would see them: an account root (or a bare account id)
 * delegates to every principal of that account, tried as each kind of principal an administrator may act
 * as ({@link accountPrincipals}), with IAM policies that allow anything; a named role or user with the
 * worst case (IAM may allow it anything); `*` as a principal of the own and of a foreign account.
 */
export function keyProbes(doc: unknown, s: AccountSnapshot): KeyProbe[] {
  const probes = new Map<string, KeyProbe>();
  // every kind of principal of the account: a condition sparing its roles and users still admits the root user
  const admin = (key: string, account: string, name: string): void => {
    for (const principal of accountPrincipals(s.partition, account)) probes.set(`${key} ${principal.arn}`, { name, principal });
  };
  const raw = (doc as { Statement?: unknown } | null)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const st of statements as { Effect?: unknown; Principal?: unknown }[]) {
    if (st?.Effect !== 'Allow') continue;
    const p = st.Principal;
    const aws = p === '*' ? ['*'] : ([] as unknown[]).concat((p as { AWS?: unknown } | undefined)?.AWS ?? []);
    for (const v of aws) {
      if (typeof v !== 'string' || isUnknown(v)) continue;
      const root = /^\d{12}$/.test(v) ? v : /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)?.[1];
      if (v === '*') {
        admin('*own', s.account, `anyone in account ${s.account}`);
        admin('*foreign', FOREIGN, 'anyone in any account');
      } else if (root) {
        admin('root', root, `account ${root}`);
      } else {
        const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(v)?.[1];
        probes.set(v, { name: v, principal: { arn: v, ...(account ? { account } : {}) } });
      }
    }
  }
  return [...probes.values()];
}

/** Whether a principal (a probe's name before its session) is a configured administrator (empty configuration: the own account root). */
function isAdministrator(who: string, administrators: readonly string[], s: AccountSnapshot): boolean {
  const root = `arn:${s.partition}:iam::${s.account}:root`;
  const named = administrators.length > 0 ? administrators : [root];
  if (who === `account ${s.account}`) return named.includes(root) || named.includes(s.account);
  return named.includes(who);
}

/**
 * Each principal as it is, in a session with MFA, and with every combination of the choices the key policy
 * looks at that it makes about its calls ({@link principalChoices}: its tags, which whoever administers its
 * account can set; an office host; the own endpoint; a source identity, a role's), with the principal it is.
 * `senders` false leaves out how a call is sent (through a service, an encryption context): no direct use.
 */
function sessionsOf(doc: unknown, probes: readonly KeyProbe[], senders: boolean): Array<{ readonly who: string; readonly probes: KeyProbe[] }> {
  const choices: ReadonlyArray<{ readonly name: string; readonly context: KeyProbe['context']; readonly roleOnly?: boolean }> = [PRINCIPAL_SESSIONS[1], ...principalChoices([doc], senders)];
  return probes.map((p) => {
    return { who: p.name, probes: [p, ...choices.filter((c) => canMake(c, p.principal)).map((c) => ({ ...p, name: `${p.name} (${c.name})`, context: { ...p.context, ...c.context } }))] };
  });
}

/**
 * The key policy does not let an administrator use the key directly, and lets nobody outside the named
 * administrators change the policy (kms:PutKeyPolicy): lib/policy's keyAllows with the request AWS
 * sends for a direct call (no kms:ViaService, no grant, no encryption context).
 */
export default defineCheck({
  id: 'kms-key-policy',
  controlId: 'DATA-KEYPOLICY',
  title: 'Hardened key policies separate administration from use',
  severity: 'error',
  remediation: 'Restore the key policy the stack deployed (redeploy the stack, or aws kms put-key-policy with the synthesized policy): administrators get only administrative actions, use goes through kms:ViaService, and only the named administrators may call kms:PutKeyPolicy.',
}, (s, settings, emit) => {
  forEachKey(s, emit, (region, k) => {
    const r = keyResource(s, region, k);
    if (!k.policy.ok) return emit.error(r, k.policy.failure);
    const policy = parseKeyPolicy(k.policy.value);
    if (typeof policy === 'string') return emit.cannotVerify(r, `key ${keyName(k)}: ${policy}`);
    const own: Own = { account: s.account, partition: s.partition, region };
    const problems: string[] = [];
    const unknowns: string[] = [];
    const first = (probe: KeyProbe, actions: readonly string[]): string[] | undefined => {
      for (const a of actions) {
        const x = keyAllows(policy, k.arn, probe, a, own);
        if (x.unknown) unknowns.push(...x.unknown);
        if (x.allowed) return [a, ...x.keyStatements];
      }
      return undefined;
    };
    // one finding per principal: the first of its sessions that gets through
    const named = keyProbes(k.policy.value, s);
    for (const { who, probes } of sessionsOf(k.policy.value, named, true)) {
      if (isAdministrator(who, settings.keyAdministrators, s)) continue;
      for (const probe of probes) {
        const put = first(probe, ['kms:PutKeyPolicy']);
        if (put) { problems.push(`${probe.name} may change the key policy (${put.slice(1).join(', ')})`); break; }
      }
    }
    for (const { probes } of sessionsOf(k.policy.value, named, false)) {
      for (const probe of probes) {
        const adm = first(probe, KMS_ADMIN_ACTIONS);
        const use = adm ? first(probe, KMS_USE_ACTIONS) : undefined;
        if (adm && use) { problems.push(`${probe.name} may administer the key (${adm[0]}, ${adm.slice(1).join(', ')}) and use it (${use[0]}, ${use.slice(1).join(', ')})`); break; }
      }
    }
    if (problems.length > 0) return emit.fail(r, `key ${keyName(k)}: ${[...new Set(problems)].join('; ')}`);
    if (unknowns.length > 0) return emit.cannotVerify(r, `key ${keyName(k)}: ${[...new Set(unknowns)].slice(0, 3).join('; ')}`);
    emit.pass(r, `key ${keyName(k)}: no principal both administers and uses it; only the named administrators may change its policy`);
  });
});
