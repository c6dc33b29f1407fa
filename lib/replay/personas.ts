import { ContextValue, RequestPrincipal } from '../policy';
import { AppModel, Doc, PrincipalModel } from './model';

/**
 * The attackers of THREATS.md, built from the app's own principals, each with the request context
 * AWS really sets for that credential:
 * - a phished console password without MFA: aws:MultiFactorAuthPresent = false;
 * - a stolen long-term access key: aws:MultiFactorAuthPresent ABSENT (Bool conditions on it do not match);
 * - an insider with MFA (turned or coerced): aws:MultiFactorAuthPresent = true, aws:MultiFactorAuthAge 300 s;
 * - a hijacked session of a workload role, and a chained session of a role people assume: no MFA key
 *   (sts:AssumeRole does not carry the caller's MFA into the new session);
 * - an outside account: another account's principal, no organization id of ours;
 * - the pipeline: the CloudFormation execution role, aws:CalledVia = cloudformation.
 */

export type PersonaKind = 'phished-console' | 'stolen-access-key' | 'insider-mfa' | 'hijacked-workload' | 'chained-session' | 'outside-account' | 'pipeline';

export interface Persona {
  readonly id: string;
  readonly kind: PersonaKind;
  readonly title: string;
  readonly principal: RequestPrincipal;
  readonly identity: readonly Doc[];
  readonly boundary?: Doc;
  /** Context keys AWS sets on every request of this credential (absent keys are absent). */
  readonly context: Readonly<Record<string, ContextValue>>;
  /** The context keys in words, for the evidence. */
  readonly contextNote: string;
  /** CloudTrail's userIdentity for this persona's calls. */
  readonly userIdentity: Readonly<Record<string, unknown>>;
  /** Whether our organization's SCPs apply to it (our own principals only). */
  readonly inOrganization: boolean;
  /** The app principal it stands for (a group, user or role), when there is one. */
  readonly source?: PrincipalModel;
  /** For a chained session: the persona that assumed the role, and whether that could be fully decided. */
  readonly via?: { readonly persona: string; readonly decided: boolean; readonly evidence: string };
}

/** The account an outside attacker uses: never one of ours. */
export const OUTSIDE_ACCOUNT = '999988887777';

const ACCESS_KEY_NOTE = 'access key: aws:MultiFactorAuthPresent absent';
const CONSOLE_NOTE = 'console password without MFA: aws:MultiFactorAuthPresent = false';
const SESSION_NOTE = 'role session: no MFA key (not carried by sts:AssumeRole)';
const INSIDER_NOTE = 'signed in with MFA: aws:MultiFactorAuthPresent = true, aws:MultiFactorAuthAge = 300';

function memberPersonas(model: AppModel, source: PrincipalModel, userName: string, identity: readonly Doc[], boundary: Doc | undefined): Persona[] {
  const { account, partition } = model.env;
  const arn = `arn:${partition}:iam::${account}:user/${userName}`;
  const principal: RequestPrincipal = { arn, account, type: 'User', userId: `AIDA${userName.toUpperCase().replace(/[^A-Z0-9]/g, '')}` };
  const base = { principal, identity, boundary, inOrganization: true, source };
  const of = source.kind === 'group' ? `a member of group ${source.name}` : `user ${source.name}`;
  return [
    {
      ...base, id: `phished-console:${source.name}`, kind: 'phished-console', title: `phished console password of ${of}, no MFA`,
      context: { 'aws:MultiFactorAuthPresent': false, 'aws:SecureTransport': true, 'aws:ViaAWSService': false }, contextNote: CONSOLE_NOTE,
      userIdentity: { type: 'IAMUser', arn, accountId: account, userName, sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
    },
    {
      ...base, id: `stolen-access-key:${source.name}`, kind: 'stolen-access-key', title: `stolen access key of ${of}`,
      context: { 'aws:SecureTransport': true, 'aws:ViaAWSService': false }, contextNote: ACCESS_KEY_NOTE,
      userIdentity: { type: 'IAMUser', arn, accountId: account, userName, accessKeyId: 'AKIASTOLEN' },
    },
    {
      ...base, id: `insider-mfa:${source.name}`, kind: 'insider-mfa', title: `insider with MFA: ${of}`,
      context: { 'aws:MultiFactorAuthPresent': true, 'aws:MultiFactorAuthAge': 300, 'aws:SecureTransport': true, 'aws:ViaAWSService': false }, contextNote: INSIDER_NOTE,
      userIdentity: { type: 'IAMUser', arn, accountId: account, userName, sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
    },
  ];
}

function sessionPersona(model: AppModel, role: PrincipalModel, kind: 'hijacked-workload' | 'chained-session' | 'pipeline'): Persona {
  const { account, partition } = model.env;
  const session = kind === 'pipeline' ? 'AWSCloudFormation' : kind === 'hijacked-workload' ? 'hijacked' : 'chained';
  const arn = `arn:${partition}:sts::${account}:assumed-role/${role.name}/${session}`;
  const context: Record<string, ContextValue> = { 'aws:SecureTransport': true, 'aws:ViaAWSService': false };
  if (kind === 'pipeline') {
    context['aws:CalledVia'] = ['cloudformation.amazonaws.com'];
    context['aws:CalledViaFirst'] = 'cloudformation.amazonaws.com';
    context['aws:CalledViaLast'] = 'cloudformation.amazonaws.com';
  }
  const title = kind === 'pipeline' ? `the pipeline: CloudFormation with role ${role.name}`
    : kind === 'hijacked-workload' ? `hijacked session of workload role ${role.name}` : `chained session of role ${role.name} (no MFA)`;
  return {
    id: `${kind}:${role.name}`, kind, title, source: role, inOrganization: true,
    principal: { arn, account, type: 'AssumedRole', roleArn: role.arn, userId: `AROA${role.logicalId.toUpperCase()}:${session}` },
    identity: role.policies, boundary: role.boundary, context,
    contextNote: kind === 'pipeline' ? 'aws:CalledVia = cloudformation.amazonaws.com; no MFA key' : SESSION_NOTE,
    userIdentity: {
      type: 'AssumedRole', arn, accountId: account, invokedBy: kind === 'pipeline' ? 'cloudformation.amazonaws.com' : undefined,
      sessionContext: { sessionIssuer: { type: 'Role', arn: role.arn, userName: role.name }, attributes: { mfaAuthenticated: 'false' } },
    },
  };
}

/** A session of `role` obtained by sts:AssumeRole from `via` (no MFA: the chain does not carry it). */
export function chainedPersona(model: AppModel, role: PrincipalModel, via: Persona, decided: boolean, evidence: string): Persona {
  const p = sessionPersona(model, role, 'chained-session');
  // A user signed in with MFA who assumes a role passes MFA into the session; a role session never does.
  const withMfa = via.kind === 'insider-mfa';
  return {
    ...p,
    id: withMfa ? `session-with-mfa:${role.name}` : p.id,
    title: withMfa ? `session of role ${role.name} with MFA, reached by ${via.title}` : `${p.title}, reached by ${via.title}`,
    context: withMfa ? { ...p.context, 'aws:MultiFactorAuthPresent': true, 'aws:MultiFactorAuthAge': 300 } : p.context,
    contextNote: withMfa ? 'role session of an MFA user: aws:MultiFactorAuthPresent = true' : p.contextNote,
    via: { persona: via.id, decided, evidence },
  };
}

/** The outside attacker: full rights in their own account, nothing of ours. */
export function outsidePersona(partition: string): Persona {
  const arn = `arn:${partition}:iam::${OUTSIDE_ACCOUNT}:role/attacker`;
  return {
    id: 'outside-account', kind: 'outside-account', title: `a principal of outside account ${OUTSIDE_ACCOUNT}`, inOrganization: false,
    principal: { arn: `arn:${partition}:sts::${OUTSIDE_ACCOUNT}:assumed-role/attacker/session`, account: OUTSIDE_ACCOUNT, type: 'AssumedRole', roleArn: arn },
    identity: [{ name: `outside account ${OUTSIDE_ACCOUNT}: the attacker's own administrator policy`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    context: { 'aws:SecureTransport': true, 'aws:ViaAWSService': false }, contextNote: `aws:PrincipalAccount = ${OUTSIDE_ACCOUNT}, no aws:PrincipalOrgID of ours`,
    userIdentity: { type: 'AssumedRole', arn, accountId: OUTSIDE_ACCOUNT },
  };
}

/**
 * Services that run code of the app's own (functions, instances, tasks, builds, jobs): their role
 * credentials are reachable by SSRF, IMDS or malware in that code. Roles only AWS-managed services
 * use (backup, cloudtrail, vpc-flow-logs, config) hand no credentials to code an attacker can run.
 */
export const COMPUTE_SERVICES: ReadonlySet<string> = new Set([
  'lambda.amazonaws.com', 'edgelambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'eks.amazonaws.com', 'pods.eks.amazonaws.com',
  'codebuild.amazonaws.com', 'states.amazonaws.com', 'glue.amazonaws.com', 'batch.amazonaws.com', 'sagemaker.amazonaws.com',
  'apprunner.amazonaws.com', 'tasks.apprunner.amazonaws.com', 'build.apprunner.amazonaws.com', 'elasticmapreduce.amazonaws.com', 'scheduler.amazonaws.com',
]);

/** Whether a role is assumed by people or other principals (not only by AWS services). */
export function isPrincipalAssumable(role: PrincipalModel): boolean {
  return role.trustedAws.length > 0 || role.trustedFederated.length > 0;
}

/** Every attacker persona of the app (the pipeline is separate: it is expected to change things). */
export function attackerPersonas(model: AppModel): Persona[] {
  const out: Persona[] = [];
  const groups = model.principals.filter((p) => p.kind === 'group');
  for (const g of groups) out.push(...memberPersonas(model, g, `member-of-${g.name}`, g.policies, undefined));
  for (const u of model.principals.filter((p) => p.kind === 'user')) {
    const groupDocs = u.groups.flatMap((n) => groups.find((g) => g.name === n)?.policies ?? []);
    out.push(...memberPersonas(model, u, u.name, [...u.policies, ...groupDocs], u.boundary));
  }
  for (const r of model.principals.filter((p) => p.kind === 'role')) {
    if (r.bootstrap === 'cfn-exec') continue;
    if (r.trustedServices.some((s) => COMPUTE_SERVICES.has(s))) out.push(sessionPersona(model, r, 'hijacked-workload'));
  }
  out.push(outsidePersona(model.env.partition));
  return out;
}

/**
 * The pipeline personas: the CloudFormation execution roles the cloud assembly deploys with (when it
 * names them), else the CDK bootstrap's execution role and the app's roles trusted by CloudFormation.
 * Returns the named roles that are in neither the app nor the bootstrap template as `missing`.
 */
export function pipelinePersonas(model: AppModel, executionRoles: readonly string[] = []): { personas: Persona[]; missing: string[] } {
  const roles = model.principals.filter((p) => p.kind === 'role');
  if (executionRoles.length) {
    const found = executionRoles.map((arn) => roles.find((r) => r.arn === arn || r.arn.replace(/role\/.*\//, 'role/') === arn));
    return {
      personas: found.filter((r): r is PrincipalModel => !!r).map((r) => sessionPersona(model, r, 'pipeline')),
      missing: executionRoles.filter((_, i) => !found[i]),
    };
  }
  const pipeline = roles.filter((p) => p.bootstrap === 'cfn-exec' || p.trustedServices.includes('cloudformation.amazonaws.com'));
  return { personas: pipeline.map((r) => sessionPersona(model, r, 'pipeline')), missing: [] };
}
