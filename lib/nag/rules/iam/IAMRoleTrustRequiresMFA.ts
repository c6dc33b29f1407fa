import { CfnResource } from 'aws-cdk-lib';
import { RequestPrincipal, isUnknown } from '../../../policy';
import { FOREIGN_ACCOUNT, Own, TrustFinding, sampleOf, showOwn, trustAdmitsWithoutMfa } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, ownOf, policyJson, reasons, sharedResult, syntheticValue } from '../common';
import { HUMAN_KINDS, onlyServices, trustStatements } from './trust';

/** The oldest MFA sign-in a human role may accept (the configuration's upper bound, 12 hours). */
export const MAX_MFA_AGE_SECONDS = 43200;

/**
 * The callers a human trust statement admits: for an account (its root), a user of the account and a
 * role session of it (a session from sts:AssumeRole carries no MFA), and every user of it the document
 * names by ARN; for a user, that user; for "*", a user and a role session of a foreign account and of
 * every account the document names, and every user it names (a condition on aws:PrincipalAccount or
 * aws:PrincipalArn narrows the principal to them, MFA or not). Each caller is tried in no organization
 * and in every organization the document names: a condition on aws:PrincipalOrgID narrows an account
 * or a user as much as "*".
 */
function callersOf(principalAws: unknown, partition: string, doc: unknown): RequestPrincipal[] {
  const out: RequestPrincipal[] = [];
  const text = JSON.stringify(doc);
  const orgs = [undefined, ...new Set(text.match(/o-[a-z0-9]{10,32}/g))];
  const push = (p: RequestPrincipal) => { for (const orgId of orgs) out.push(orgId ? { ...p, orgId } : p); };
  const accountCallers = (account: string) => {
    push({ arn: `arn:${partition}:iam::${account}:user/someone`, account, type: 'User' });
    push({ arn: `arn:${partition}:sts::${account}:assumed-role/SomeRole/session`, account, type: 'AssumedRole' });
  };
  // Users the document names (a pattern sampled; any account is a foreign one).
  const namedUsers = [...new Set(text.match(/arn:[^:"]+:iam::(?:\d{12}|\*):user\/[^"]*/g) ?? [])]
    .map((u) => sampleOf(u.replace(/::\*:/, `::${FOREIGN_ACCOUNT}:`)));
  const usersOf = (account?: string) => { for (const arn of namedUsers) if (!account || arn.split(':')[4] === account) push({ arn, type: 'User' }); };
  for (const v of Array.isArray(principalAws) ? principalAws : principalAws === undefined ? [] : [principalAws]) {
    if (isUnknown(v)) throw new CannotVerify(`cannot verify the trust principal: ${v.reason}`);
    if (typeof v !== 'string') throw new CannotVerify(`cannot verify the trust principal: ${JSON.stringify(v)} is no account, user or role ARN`);
    if (v === '*') {
      // Every account named, as a string or a number (IAM reads 999988887777 as "999988887777").
      for (const account of new Set([FOREIGN_ACCOUNT, ...(text.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? [])])) accountCallers(account);
      usersOf();
      continue;
    }
    const account = /^\d{12}$/.test(v) ? v : /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)?.[1];
    if (account) {
      accountCallers(account);
      usersOf(account);
    } else if (/^arn:[^:]+:iam::\d{12}:user\//.test(v)) {
      push({ arn: v, type: 'User' });
    } else if (!/^arn:[^:]+:(?:iam::\d{12}:role|sts::\d{12}:assumed-role)\//.test(v)) {
      // A role (a workload) is not a person; anything else is no principal the rule can read: never PASS.
      throw new CannotVerify(`cannot verify the trust principal: ${JSON.stringify(v)} is no account, user or role ARN`);
    }
  }
  return out;
}

const PROBLEM: Readonly<Record<TrustFinding['problem'], string>> = {
  'no-mfa': 'does not require MFA',
  'no-age-bound': 'sets no aws:MultiFactorAuthAge bound',
  'old-mfa': `accepts an MFA sign-in older than ${MAX_MFA_AGE_SECONDS} seconds`,
};

/**
 * trustAdmitsWithoutMfa(doc, roleArn, caller, own, MAX_MFA_AGE_SECONDS), asked once per validation for
 * every role whose trust policy and caller are the same but for the names of app resources (sharedResult);
 * the caller is canonicalized with the document (it may be a user the document names).
 */
export function sharedTrustAnswer(ix: ResourceIndex, doc: unknown, roleArn: string, caller: RequestPrincipal, own: Own): ReturnType<typeof trustAdmitsWithoutMfa> {
  return sharedResult(ix, `trust ${MAX_MFA_AGE_SECONDS}`, [doc, caller], roleArn, own,
    ([d, c], subject) => trustAdmitsWithoutMfa(d, subject, c as RequestPrincipal, own, MAX_MFA_AGE_SECONDS),
    (x, back) => (Array.isArray(x)
      ? x.map((f) => ({ statements: f.statements.map(back), problem: f.problem, session: back(f.session) }))
      : { unknown: x.unknown.map(back) }));
}

/**
 * Roles whose trust admits an account, user or any principal cannot be assumed without MFA nor with an
 * MFA sign-in older than 12 hours: the trust policy is evaluated (lib/policy) for access-key requests
 * (no MFA key), role sessions, console sessions without MFA, and old MFA sign-ins.
 */
export function IAMRoleTrustRequiresMFA(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (onlyServices(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const human = trustStatements(ix, node).filter((t) => t.kinds.some((k) => HUMAN_KINDS.has(k)));
  if (human.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const own = ownOf(ix, node);
  const doc = policyJson(ix, node, ix.props(node).AssumeRolePolicyDocument) as { Statement?: unknown };
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const roleArn = syntheticValue(ix, node, 'Arn') as string;
  const out = new Set<string>();
  const callers = list.flatMap((st) => {
    const x = st as { Effect?: unknown; Principal?: unknown } | undefined;
    if (x?.Effect !== 'Allow' || x.Principal === undefined) return [];
    return callersOf(x.Principal === '*' ? '*' : (x.Principal as { AWS?: unknown }).AWS, own.partition, doc);
  });
  for (const caller of callers) {
    const r = sharedTrustAnswer(ix, doc, roleArn, caller, own);
    if (!Array.isArray(r)) throw new CannotVerify(`cannot verify who may assume the role: ${r.unknown.join('; ')}`);
    for (const f of r) out.add(`trust statement ${f.statements.join(', ')} ${PROBLEM[f.problem]}: admits ${showOwn(String(caller.arn))} with ${f.session}`);
  }
  return reasons([...out]);
}

export const IAMRoleTrustRequiresMFAMeta: RuleMetadata = {
  ruleName: 'IAMRoleTrustRequiresMFA',
  controlIds: ['IAM-MFA'],
  cites: ['glba:314.4(c)(5)', 'nydfs-500:500.12', 'nist-800-53:IA-2(1)', 'nist-800-53:IA-2(2)'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  info: 'The role can be assumed by an account or user principal without MFA or without a recent MFA sign-in.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): a role people assume is only as strong as the credential that assumes it; without an MFA condition a stolen access key walks in.',
  fix: 'Create roles people assume with HumanRole (its trust requires MFA of at most one hour), or add Condition Bool aws:MultiFactorAuthPresent true and NumericLessThanEquals aws:MultiFactorAuthAge 3600 (at most 43200) to the trust statement.',
};
