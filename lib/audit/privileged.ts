import { PolicyError, buildContext, evaluatePolicy, parsePolicy } from '../policy';
import { AuthorizationDetails, UserDetail } from './types';

/**
 * Actions that make a user privileged: whoever may call one can give itself anything (IAM), or can
 * switch off what would see it (trail, keys). Asked of the user's policies with lib/policy, never
 * read by name; a statement that may allow one (an unresolved condition) counts as allowing it.
 */
export const PRIVILEGED_ACTIONS = [
  'iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:PassRole',
  'iam:UpdateAssumeRolePolicy', 'kms:PutKeyPolicy', 'cloudtrail:StopLogging', 'organizations:LeaveOrganization',
] as const;

/** AWS-managed policies (not in the snapshot's documents) known to grant one of PRIVILEGED_ACTIONS. */
export const PRIVILEGED_AWS_MANAGED = ['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess'] as const;

const AWS_MANAGED = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** The first privileged action a document allows (or may allow), or undefined. A malformed document counts as privileged. */
export function privilegedActionOf(doc: unknown, userArn: string, account: string): string | undefined {
  let policy;
  try {
    policy = parsePolicy(doc, 'identity policy');
  } catch (e) {
    if (e instanceof PolicyError) return `unreadable policy (${e.message})`;
    throw e;
  }
  for (const action of PRIVILEGED_ACTIONS) {
    const ctx = buildContext({ principal: { arn: userArn, account, type: 'User' }, action, resource: '*', context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:SecureTransport': 'true' } });
    const r = evaluatePolicy(policy, 'identity', ctx);
    if (r.allows.length > 0 || r.unknownAllows.length > 0) return action;
  }
  return undefined;
}

export interface PrivilegedUser {
  readonly user: UserDetail;
  /** Why: the policy and the action it allows. */
  readonly why: string;
}

/**
 * Users whose own or group policies allow a privileged action (an MFA deny elsewhere does not
 * matter: these users sign in with MFA, which is what makes their device type matter).
 */
export function privilegedUsers(auth: AuthorizationDetails, account: string): PrivilegedUser[] {
  const managed = new Map(auth.policies.map((p) => [p.arn, p]));
  const groups = new Map(auth.groups.map((g) => [g.name, g]));
  const out: PrivilegedUser[] = [];
  for (const u of auth.users) {
    const named: { name: string; doc?: unknown; arn?: string }[] = [
      ...(u.inlinePolicies ?? []).map((p) => ({ name: `inline policy ${p.name}`, doc: p.document })),
      ...(u.attachedPolicyArns ?? []).map((arn) => ({ name: arn, arn })),
    ];
    for (const g of u.groups) {
      const group = groups.get(g);
      if (!group) continue;
      named.push(...group.inlinePolicies.map((p) => ({ name: `group ${g} inline policy ${p.name}`, doc: p.document })));
      named.push(...group.attachedPolicyArns.map((arn) => ({ name: `group ${g} policy ${arn}`, arn })));
    }
    let why: string | undefined;
    for (const n of named) {
      const awsName = n.arn ? AWS_MANAGED.exec(n.arn)?.[1] : undefined;
      if (awsName) {
        if ((PRIVILEGED_AWS_MANAGED as readonly string[]).includes(awsName)) { why = `${n.name} (AWS managed ${awsName})`; break; }
        continue;
      }
      const doc = n.arn ? managed.get(n.arn)?.document : n.doc;
      if (doc === undefined) continue;
      const action = privilegedActionOf(doc, u.arn, account);
      if (action) { why = `${n.name} allows ${action}`; break; }
    }
    if (why) out.push({ user: u, why });
  }
  return out;
}
