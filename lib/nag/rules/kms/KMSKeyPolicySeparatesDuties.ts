import { CfnResource } from 'aws-cdk-lib';
import { ParsedPolicy, isUnknown, unknown } from '../../../policy';
import { conditionValues } from '../../../policy/condition-values';
import { RequestPrincipal } from '../../../policy/types';
import { Answer, FOREIGN_ACCOUNT, FOREIGN_ORG, KeyProbe, Own, PRINCIPAL_SESSIONS, accountPrincipals, canMake, keyAllows, label, namedIdentities, parseKeyPolicy, principalChoices, sampleOf, showOwn } from '../../../policy/questions';
import { wildcardMatch } from '../../../policy/wildcard';
import { KMS_ADMIN_ACTIONS, KMS_USE_ACTIONS } from '../../../policy/kms-actions';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, list, obj, ownOf, policyJson, reasons, sharedAnswer, syntheticValue } from '../common';

export { KMS_ADMIN_ACTIONS, KMS_USE_ACTIONS };

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The identity documents of the app's roles and users, by their ARN stand-in; built once per validation. */
function identityByArn(ix: ResourceIndex): Map<string, { node: CfnResource; docs: () => unknown[] | undefined }> {
  return ix.memo('identityByPrincipalArn', () => {
    const attached = new Map<CfnResource, CfnResource[]>();
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const pol of ix.ofType(type)) {
        const p = ix.props(pol);
        for (const ref of [...(Array.isArray(p.Roles) ? p.Roles : []), ...(Array.isArray(p.Users) ? p.Users : [])]) {
          const target = ix.resourceOf(pol, ref);
          if (target) attached.set(target, [...(attached.get(target) ?? []), pol]);
        }
      }
    }
    const m = new Map<string, { node: CfnResource; docs: () => unknown[] | undefined }>();
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User']) {
      for (const n of ix.ofType(type)) {
        const arn = syntheticValue(ix, n, 'Arn');
        if (typeof arn !== 'string') continue;
        m.set(arn, {
          node: n,
          // Anything the app cannot show (an AWS-managed or foreign policy, a user's groups) may grant anything.
          docs: () => {
            const p = ix.props(n);
            if (p.Groups !== undefined) return undefined;
            const docs = list(p.Policies, 'Policies').map((x) => policyJson(ix, n, obj(x, 'inline policy')!.PolicyDocument));
            for (const pol of attached.get(n) ?? []) docs.push(policyJson(ix, pol, ix.props(pol).PolicyDocument));
            for (const arnRef of list(p.ManagedPolicyArns, 'ManagedPolicyArns')) {
              const t = ix.deref(n, arnRef);
              if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::IAM::ManagedPolicy') docs.push(policyJson(ix, t.node, ix.props(t.node).PolicyDocument));
              else docs.push(ALLOW_ALL);
            }
            return docs;
          },
        });
      }
    }
    return m;
  });
}

/**
 * The principals tried against a key policy. A grant to an account root delegates to every principal
 * of that account, so it is tried as whoever an administrator of the account may act as (see
 * {@link accountProbes}), with IAM policies that allow anything; a role or user of the app is tried
 * with its own policies; any other named principal with the worst case (IAM may allow it anything);
 * "*" as a principal of the own, of a foreign and of every other account the policy names; a
 * principal the rule cannot resolve as the root of the own and of a foreign account.
 */
function probesOf(ix: ResourceIndex, doc: unknown, own: Own): KeyProbe[] {
  const probes = new Map<string, KeyProbe>();
  const callers = accountProbes(ix, doc, own);
  const account = callers.ofAccount;
  const add = (ps: KeyProbe[]) => { for (const p of ps) probes.set(`${p.name}\u0000${JSON.stringify(p.principal)}\u0000${JSON.stringify(p.context ?? {})}`, p); };
  const statements = list((doc as { Statement?: unknown }).Statement, 'key policy statements');
  for (const st of statements) {
    const s = obj(st, 'key policy statement') as { Effect?: unknown; Principal?: unknown };
    if (s.Effect !== 'Allow') continue;
    const aws = s.Principal === '*' ? ['*'] : list((s.Principal as { AWS?: unknown } | undefined)?.AWS, 'key policy Principal');
    for (const raw of aws) {
      // An account id written as a number is the account, as the key policy evaluation reads it.
      const v = typeof raw === 'number' ? String(raw) : raw;
      if (isUnknown(v)) {
        // It may be any account's root: tried as the own and a foreign one, the key policy evaluation reports it as unknown.
        for (const a of [own.account, FOREIGN_ACCOUNT]) add(account(a, `account ${a}`));
        continue;
      }
      // Anything else (true, null, an object) is no principal AWS accepts: never read as no one.
      if (typeof v !== 'string') return cannotVerify('the key policy Principal', raw);
      const root = v === '*' ? undefined : /^\d{12}$/.test(v) ? v : /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)?.[1];
      if (v === '*') {
        const named = namedIdentities(doc).accounts.filter((a) => a !== own.account && a !== FOREIGN_ACCOUNT);
        for (const a of [own.account, FOREIGN_ACCOUNT]) add(account(a, 'everyone'));
        for (const a of named) add(account(a, `everyone in account ${a}`));
      } else if (root) {
        add(account(root, `account ${root}`));
      } else {
        add(callers.tried(namedProbe(ix, v)));
      }
    }
  }
  return [...probes.values()];
}

/** A principal the key policy names by its ARN: with its own policies when it is the app's, else the worst case. */
function namedProbe(ix: ResourceIndex, v: string): Caller {
  const app = identityByArn(ix).get(v);
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(v)?.[1];
  // A principal of the app always carries its identity (the worst case when its policies are not all
  // shown): its ARN is a stand-in, which a shared answer would rename in the documents but not here.
  return { name: app ? app.node.node.path : v, principal: { arn: v, ...(account ? { account } : {}) }, identity: app ? app.docs() ?? [ALLOW_ALL] : undefined };
}

/** Principal keys an account's administrator decides but the probes do not vary: a condition on them cannot be decided. */
const UNDECIDED_PRINCIPAL_KEYS = ['aws:userid', 'aws:username', 'aws:PrincipalOrgPaths', 'aws:SourceIdentity'];

/** A principal before the sessions and organizations it is tried in. */
interface Caller { readonly name: string; readonly principal: RequestPrincipal; readonly identity?: readonly unknown[] }

/** The principals tried for a grant to an account, and the ways any principal is tried. */
interface Callers {
  /** Whoever an administrator of `account` may act as, each in every way {@link Callers.tried}. */
  ofAccount(account: string, name: string): KeyProbe[];
  /** One principal in each session and organization the policies it meets ask about. */
  tried(caller: Caller): KeyProbe[];
}

/**
 * Whoever an administrator of `account` may act as, with IAM policies that allow anything: every kind
 * of principal of the account ({@link accountPrincipals}), every principal of the account an
 * `aws:PrincipalArn` condition names (a pattern by a sample matching it). Each of them, and each
 * principal the key policy names, is also tried in a session with MFA when the key policy's or its
 * own policies' conditions ask about MFA, and
 * in each organization they name (with the own and a foreign one); conditions on other keys of the
 * caller are read as unknown. A grant narrowed by who calls still reaches them.
 */
function accountProbes(ix: ResourceIndex, doc: unknown, own: Own): Callers {
  const keyText = JSON.stringify(doc).toLowerCase();
  const arnPatterns = [...new Set(conditionValues(doc, 'aws:principalarn'))];
  const tried = (caller: Caller): KeyProbe[] => {
    // The caller's own policies may ask about the caller too (a deny unless the session has MFA).
    const text = caller.identity ? `${keyText}${JSON.stringify(caller.identity).toLowerCase()}` : keyText;
    const named = caller.identity ? [doc, ...caller.identity] : [doc];
    // Who the caller is and where it calls from are its choices too: its tags, MFA, an office host, the own
    // endpoint, a source identity (a role's); how it sends (through a service, an encryption context) is no
    // direct use, so left out.
    const sessions = [
      ...(text.includes('aws:multifactorauth') ? PRINCIPAL_SESSIONS : PRINCIPAL_SESSIONS.slice(0, 1)),
      ...principalChoices(named, false).filter((c) => canMake(c, caller.principal)),
    ];
    const orgs = text.includes('aws:principalorgid') ? [...new Set([...named.flatMap((d) => namedIdentities(d).orgs), ...(own.organizationId ? [own.organizationId] : []), FOREIGN_ORG])] : [];
    // (only a role session carries a source identity: an IAM user has none)
    const undecided = Object.fromEntries(UNDECIDED_PRINCIPAL_KEYS.filter((k) => text.includes(k.toLowerCase()) && !(k === 'aws:SourceIdentity' && !canMake({ roleOnly: true }, caller.principal)))
      .map((k) => [k, unknown(`the caller's ${k}`)]));
    const out: KeyProbe[] = [];
    for (const org of [undefined, ...orgs]) {
      for (const session of sessions) {
        const suffix = [...(org ? [`in organization ${org}`] : []), ...(session === PRINCIPAL_SESSIONS[0] ? [] : [session.name])].join(', ');
        out.push({
          name: suffix ? `${caller.name} (${suffix})` : caller.name,
          principal: { ...caller.principal, ...(org ? { orgId: org } : {}) },
          ...(caller.identity ? { identity: caller.identity } : {}),
          context: { ...undecided, ...session.context },
        });
      }
    }
    return out;
  };
  const ofAccount = (account: string, name: string): KeyProbe[] => {
    const who: Array<{ name: string; principal: RequestPrincipal & { arn: string } }> = accountPrincipals(own.partition, account).map((principal) => ({ name, principal }));
    for (const pattern of arnPatterns) {
      const arn = sampleIn(pattern, account, own);
      if (arn) who.push({ name: `${identityByArn(ix).get(arn)?.node.node.path ?? arn} (through the grant to ${name})`, principal: { arn, account, type: arn.includes(':user/') ? 'User' : 'AssumedRole' } });
    }
    return who.flatMap((w) => {
      const app = identityByArn(ix).get(w.principal.arn);
      return tried({ name: w.name, principal: w.principal, identity: app ? app.docs() ?? [ALLOW_ALL] : undefined });
    });
  };
  return { ofAccount, tried };
}

/** A principal of `account` matching an IAM ARN pattern (`*` -> `any`), or undefined when none of the account can. */
function sampleIn(pattern: string, account: string, own: Own): string | undefined {
  const m = /^arn:([^:]*):iam::([^:]*):(.+)$/.exec(pattern);
  if (!m || !wildcardMatch(m[2], account, false)) return undefined;
  const partition = /[*?]/.test(m[1]) ? own.partition : m[1];
  const named = sampleOf(m[3]);
  return `arn:${partition}:iam::${account}:${/^(?:role|user)\//.test(named) ? named : 'role/breachlessons-any'}`;
}

/** The first action of `actions` the probe may call on the key, with the key-policy statements that let it. */
function firstAllowed(policy: ParsedPolicy, keyArn: string, probe: KeyProbe, actions: readonly string[], own: Parameters<typeof keyAllows>[4], unknowns: string[]): string[] | undefined {
  for (const action of actions) {
    const r = keyAllows(policy, keyArn, probe, action, own);
    if (r.unknown) unknowns.push(...r.unknown);
    if (r.allowed) return r.keyStatements;
  }
  return undefined;
}

/**
 * No principal may both administer the key and use it directly (without kms:ViaService, an encryption
 * context or a grant for an AWS resource): the key policy and the principals' IAM policies are
 * evaluated (lib/policy), and a grant to an account root reaches every principal of the account.
 */
export function KMSKeyPolicySeparatesDuties(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const raw = ix.props(node).KeyPolicy;
  if (raw === undefined) return ['no key policy: the default key policy gives the account root kms:*'];
  const doc = policyJson(ix, node, raw);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return cannotVerify('the key policy', raw);
  const own = ownOf(ix, node);
  const keyArn = syntheticValue(ix, node, 'Arn') as string;
  // each principal is tried with its tags and the other choices of its calls (accountProbes); the probes
  // of the real policy are built first, so a Principal the rule cannot read is named with its real value
  const probes = probesOf(ix, doc, own);
  // A shared answer is asked of the policy with its resources renamed: the probes come from that policy,
  // whose tag values, organizations and ARN patterns are the renamed ones (probes of the real policy
  // would carry a tag value the renamed policy does not hold, and pass).
  const ask = (docs: readonly unknown[], subject: string): Answer => duties(docs[0], subject, docs[0] === doc ? probes : probesOf(ix, docs[0], own), own);
  // Keys of one shape share the answer, unless a principal of the app brings its own policies.
  const a = probes.every((p) => p.identity === undefined) ? sharedAnswer(ix, 'kms duties', [doc], keyArn, own, ask) : ask([doc], keyArn);
  if (a.yes === 'unknown') throw new CannotVerify(`cannot verify who may administer and use the key: ${a.why.map(showOwn).join('; ')}`);
  return a.yes ? reasons([...a.why]) : NagRuleCompliance.COMPLIANT;
}

/** Yes, with the reasons, when some probe may both administer and use the key. */
function duties(doc: unknown, keyArn: string, probes: readonly KeyProbe[], own: Own): Answer {
  const policy = parseKeyPolicy(doc);
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  const out: string[] = [];
  const unknowns: string[] = [];
  for (const probe of probes) {
    const adminBy = firstAllowed(policy, keyArn, probe, KMS_ADMIN_ACTIONS, own, unknowns);
    if (!adminBy) continue;
    const useBy = firstAllowed(policy, keyArn, probe, KMS_USE_ACTIONS, own, unknowns);
    if (!useBy) continue;
    const who = showOwn(probe.name);
    const both = adminBy.find((l) => useBy.includes(l));
    if (both !== undefined) {
      const st = policy.statements.find((x) => label(x) === both);
      const all = !!st?.action?.some((x) => x.source === '*' || x.source.toLowerCase() === 'kms:*');
      out.push(`${both} grants ${who} ${all ? 'kms:*' : 'administration and use'}${st && st.conditions.length > 0 ? '' : ' without conditions'}`);
    } else {
      out.push(`${who} administers the key (${adminBy.join(', ')}) and may use it (${useBy.join(', ')})`);
    }
  }
  if (out.length > 0) return { yes: true, why: [...new Set(out)] };
  return unknowns.length > 0 ? { yes: 'unknown', why: [...new Set(unknowns)].slice(0, 3) } : { yes: false, why: [] };
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
