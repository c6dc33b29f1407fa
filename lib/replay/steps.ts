import { ContextValue, ResourcePolicyKind } from '../policy';
import { ControlId, LessonId } from '../lessons';
import { AppModel, Doc, Located, PrincipalModel, endpointPolicyOf } from './model';
import { OUTSIDE_ACCOUNT, Persona } from './personas';

/**
 * The kill chain of THREATS.md as steps: each keyed to MITRE ATT&CK Enterprise v16 techniques, a
 * lesson and a control of lib/lessons; each expands, for one persona, into attempts on the app's
 * resources. An attempt is the list of requests that must ALL be allowed for the step to succeed
 * (e.g. read the object AND decrypt it with the bucket's key) plus the CloudTrail event the
 * decisive call writes, which detection is matched against.
 */

export type Tactic = 'persistence' | 'privilege-escalation' | 'defense-evasion' | 'collection' | 'exfiltration' | 'impact';
export const TACTICS: readonly Tactic[] = ['persistence', 'privilege-escalation', 'defense-evasion', 'collection', 'exfiltration', 'impact'];

/** One request to the policy evaluator. */
export interface StepRequest {
  readonly action: string;
  readonly resource: string;
  /** When the resource belongs to another account (the attacker's). */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
  readonly resourcePolicy?: Doc;
  readonly resourcePolicyKind?: ResourcePolicyKind;
  /** A VPC endpoint policy the request passes through (it caps the request like a session policy). */
  readonly endpointPolicy?: Doc;
  /** The resource is the attacker's own (in the outside account): their resource policy admits anything. */
  readonly foreignResource?: boolean;
}

/** The CloudTrail record the decisive call of an attempt writes. */
export interface TrailEvent {
  readonly eventSource: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly category: 'Management' | 'Data';
  /** For data events: the resource type and ARN the trail's selectors are matched against. */
  readonly dataResource?: { readonly type: 'AWS::S3::Object' | 'AWS::DynamoDB::Table' | 'AWS::Lambda::Function'; readonly arn: string };
  readonly requestParameters?: Readonly<Record<string, unknown>>;
}

/** A rule of the service itself that refuses the call whatever the policies say (object lock, vault lock). */
export interface ServiceRule {
  readonly denies: boolean;
  readonly reason: string;
}

export interface Attempt {
  /** What the attempt is against (an ARN or name). */
  readonly target: string;
  readonly located?: Located;
  readonly requests: readonly StepRequest[];
  readonly event: TrailEvent;
  readonly serviceRule?: ServiceRule;
}

export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  readonly tactic: Tactic;
  /** ATT&CK Enterprise v16 technique ids. */
  readonly attack: readonly string[];
  readonly lessonId: LessonId;
  readonly controlId: ControlId;
  /** What the defender must make true, shown as the remediation of an OPEN step. */
  readonly defence: string;
  /** The attempts depend on the persona (its own user, its kind); otherwise they are built once per replay. */
  readonly perPersona?: boolean;
  attempts(model: AppModel, persona: Persona, facts: StepFacts): Attempt[];
}

/** Facts computed once per replay that some steps need (which roles are privileged...). */
export interface StepFacts {
  /** Roles whose own session can do at least one sensitive thing (by ARN). */
  readonly privilegedRoles: ReadonlySet<string>;
}

const ev = (eventSource: string, eventName: string, readOnly = false): TrailEvent => ({ eventSource, eventName, readOnly, category: 'Management' });
const iamEvent = (name: string): TrailEvent => ev('iam.amazonaws.com', name);

const req = (action: string, resource: string, extra: Partial<StepRequest> = {}): StepRequest => ({ action, resource, ...extra });

function arnPrefix(model: AppModel, service: string, global = false): string {
  const { partition, region, account } = model.env;
  return `arn:${partition}:${service}:${global ? '' : region}:${account}:`;
}

function userArn(model: AppModel, name: string): string {
  return `${arnPrefix(model, 'iam', true)}user/${name}`;
}

/** The persona's own IAM user ARN, when it is a user. */
function selfUser(persona: Persona): string | undefined {
  const arn = String(persona.principal.arn);
  return persona.principal.type === 'User' ? arn : undefined;
}

const bucketPolicyOf = (model: AppModel, bucketArn: string): Doc | undefined => model.buckets.find((b) => b.arn === bucketArn)?.policy;
const keyPolicyOf = (model: AppModel, keyArn: string | undefined): Doc | undefined => model.keys.find((k) => k.arn === keyArn)?.policy;

/** kms requests on a key: the key policy decides with IAM (a key not in the app cannot be decided). */
function keyRequest(model: AppModel, action: string, keyArn: string, context: Record<string, ContextValue> = {}): StepRequest {
  const policy = keyPolicyOf(model, keyArn);
  return req(action, keyArn, {
    context,
    resourcePolicy: policy ?? { name: `key ${keyArn} (not in the app)`, document: { Version: '2012-10-17', Statement: [] } },
    resourcePolicyKind: 'kms-key',
  });
}

function topicPolicyOf(model: AppModel, topicArn: string): Doc | undefined {
  return model.topics.find((t) => t.arn === topicArn)?.policy;
}

const keysUsedFor = (model: AppModel, ...uses: Array<'data' | 'log' | 'vault' | 'alerts'>) => model.keys.filter((k) => uses.some((u) => k.uses.has(u)));
const dataBuckets = (model: AppModel) => model.buckets.filter((b) => b.role === 'data');
/** Log groups on the detection path: the ones trails deliver to, and every one metric filters read. */
function securityLogGroups(model: AppModel) {
  const names = new Set([...model.trails.map((t) => t.logGroupArn).filter(Boolean).map((a) => logGroupNameOf(String(a))), ...model.metricFilters.map((f) => f.logGroupName)]);
  return model.logGroups.filter((g) => names.has(g.name));
}

export function logGroupNameOf(arn: string): string {
  return arn.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');
}

const s3Object = (bucketArn: string) => `${bucketArn}/customer-record.json`;

function s3Read(model: AppModel, bucketArn: string, keyArn: string | undefined): StepRequest[] {
  const { region } = model.env;
  const out = [req('s3:GetObject', s3Object(bucketArn), { resourcePolicy: bucketPolicyOf(model, bucketArn), context: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } })];
  if (keyArn) {
    out.push(keyRequest(model, 'kms:Decrypt', keyArn, {
      'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': '', 'kms:EncryptionContext:aws:s3:arn': bucketArn,
    }));
  }
  return out;
}

function fillCaller(requests: StepRequest[], persona: Persona): StepRequest[] {
  // kms:CallerAccount is the caller's account, as KMS sets it.
  return requests.map((r) => (r.context && 'kms:CallerAccount' in r.context ? { ...r, context: { ...r.context, 'kms:CallerAccount': String(persona.principal.account) } } : r));
}

function tableRead(model: AppModel, persona: Persona, action: string, t: AppModel['tables'][number]): Attempt {
  const requests = [req(action, t.arn, { resourcePolicy: t.policy })];
  if (t.keyArn) requests.push(keyRequest(model, 'kms:Decrypt', t.keyArn, { 'kms:ViaService': `dynamodb.${model.env.region}.amazonaws.com`, 'kms:CallerAccount': '' }));
  return {
    target: t.arn, located: t, requests: fillCaller(requests, persona),
    event: { eventSource: 'dynamodb.amazonaws.com', eventName: action.split(':')[1], readOnly: true, category: 'Data', dataResource: { type: 'AWS::DynamoDB::Table', arn: t.arn } },
  };
}

const each = <T extends { arn: string }>(items: readonly T[], build: (x: T) => Omit<Attempt, 'target' | 'located'>): Attempt[] =>
  items.map((x) => ({ target: x.arn, located: x as unknown as Located, ...build(x) }));

/** Services that run code with a passed role, and the call that makes them run it. */
const PASS_TARGETS: Readonly<Record<string, (model: AppModel) => { action: string; resource: string; event: TrailEvent }>> = {
  'lambda.amazonaws.com': (m) => ({ action: 'lambda:CreateFunction', resource: `${arnPrefix(m, 'lambda')}function:attacker-function`, event: ev('lambda.amazonaws.com', 'CreateFunction20150331') }),
  'cloudformation.amazonaws.com': (m) => ({ action: 'cloudformation:CreateStack', resource: `${arnPrefix(m, 'cloudformation')}stack/attacker-stack/*`, event: ev('cloudformation.amazonaws.com', 'CreateStack') }),
  'ec2.amazonaws.com': (m) => ({ action: 'ec2:RunInstances', resource: `${arnPrefix(m, 'ec2')}instance/*`, event: ev('ec2.amazonaws.com', 'RunInstances') }),
  'ecs-tasks.amazonaws.com': (m) => ({ action: 'ecs:RunTask', resource: `${arnPrefix(m, 'ecs')}task-definition/attacker:1`, event: ev('ecs.amazonaws.com', 'RunTask') }),
  'codebuild.amazonaws.com': (m) => ({ action: 'codebuild:CreateProject', resource: `${arnPrefix(m, 'codebuild')}project/attacker`, event: ev('codebuild.amazonaws.com', 'CreateProject') }),
  'states.amazonaws.com': (m) => ({ action: 'states:CreateStateMachine', resource: `${arnPrefix(m, 'states')}stateMachine:attacker`, event: ev('states.amazonaws.com', 'CreateStateMachine') }),
};

const isRole = (p: PrincipalModel) => p.kind === 'role';

/** The catalogue. Ids are stable: reports, tests and acknowledgements use them. */
export const STEPS: readonly StepDefinition[] = [
  // ---------------------------------------------------------------- persistence
  {
    id: 'persistence-create-access-key', title: 'create an access key for another user', tactic: 'persistence', attack: ['T1098.001'],
    lessonId: 'L1', controlId: 'IAM-NOUSERS', defence: 'deny iam:CreateAccessKey to everyone but break-glass (SCP deny-iam-user-credentials, boundary DenyIamChanges)',
    attempts: (m) => [{ target: userArn(m, 'victim'), requests: [req('iam:CreateAccessKey', userArn(m, 'victim'))], event: iamEvent('CreateAccessKey') }],
  },
  {
    id: 'persistence-create-login-profile', title: 'give a user a console password', tactic: 'persistence', attack: ['T1098.001'],
    lessonId: 'L1', controlId: 'IAM-NOUSERS', defence: 'deny iam:CreateLoginProfile/UpdateLoginProfile beyond break-glass',
    attempts: (m) => [{ target: userArn(m, 'victim'), requests: [req('iam:CreateLoginProfile', userArn(m, 'victim'))], event: iamEvent('CreateLoginProfile') }],
  },
  {
    id: 'persistence-create-user', title: 'create an IAM user', tactic: 'persistence', attack: ['T1136.003'],
    lessonId: 'L1', controlId: 'IAM-NOUSERS', defence: 'deny iam:CreateUser beyond the pipeline and break-glass',
    attempts: (m) => [{ target: userArn(m, 'attacker-user'), requests: [req('iam:CreateUser', userArn(m, 'attacker-user'))], event: iamEvent('CreateUser') }],
  },
  {
    id: 'persistence-create-backdoor-role', title: 'create a role an outside account can assume', tactic: 'persistence', attack: ['T1136.003', 'T1098.003'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:CreateRole beyond the pipeline and break-glass',
    attempts: (m) => {
      const arn = `${arnPrefix(m, 'iam', true)}role/attacker-backdoor`;
      const boundary = m.boundaries[0]?.arn;
      return [{ target: arn, requests: [req('iam:CreateRole', arn, { context: boundary ? { 'iam:PermissionsBoundary': boundary } : {} })], event: iamEvent('CreateRole') }];
    },
  },
  {
    perPersona: true, id: 'persistence-enroll-mfa', title: 'enroll an MFA device with stolen credentials', tactic: 'persistence', attack: ['T1098.005'],
    lessonId: 'L1', controlId: 'IAM-MFA', defence: 'allow MFA self-enrollment only to console sessions (aws:MultiFactorAuthPresent present), never to access keys; alarm on MFA device changes',
    attempts: (m, p) => {
      const self = selfUser(p);
      if (!self) return [];
      const device = `${arnPrefix(m, 'iam', true)}mfa/attacker-device`;
      return [{
        target: self,
        requests: [req('iam:CreateVirtualMFADevice', device), req('iam:EnableMFADevice', self)],
        event: iamEvent('EnableMFADevice'),
      }];
    },
  },
  {
    id: 'persistence-deactivate-mfa', title: "deactivate another user's MFA device", tactic: 'persistence', attack: ['T1556.006', 'T1098.005'],
    lessonId: 'L1', controlId: 'IAM-MFA', defence: 'deny iam:DeactivateMFADevice on other users; alarm on MFA device changes',
    attempts: (m) => [{ target: userArn(m, 'victim'), requests: [req('iam:DeactivateMFADevice', userArn(m, 'victim'))], event: iamEvent('DeactivateMFADevice') }],
  },
  // ---------------------------------------------------------------- privilege escalation
  {
    perPersona: true, id: 'escalation-assume-role', title: 'assume a role of the app', tactic: 'privilege-escalation', attack: ['T1078.004'],
    lessonId: 'L1', controlId: 'IAM-MFA', defence: 'human roles trust only MFA sessions (Bool aws:MultiFactorAuthPresent true, recent aws:MultiFactorAuthAge)',
    // People with MFA entering through their roles is the design (what such a session can do is replayed as its
    // own persona); a role session assuming another role (role chaining, e.g. operators → administrators) is not.
    attempts: (m, p) => p.kind === 'insider-mfa' ? [] : m.principals.filter((r) => isRole(r) && !r.bootstrap && r.trustedAws.length + r.trustedFederated.length > 0 && r.arn !== p.source?.arn).map((r) => ({
      target: r.arn, located: r, requests: [req('sts:AssumeRole', r.arn, { resourcePolicy: r.trust, resourcePolicyKind: 'role-trust' })], event: ev('sts.amazonaws.com', 'AssumeRole'),
    })),
  },
  {
    id: 'escalation-assume-bootstrap-role', title: 'assume a CDK bootstrap role', tactic: 'privilege-escalation', attack: ['T1078.004'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'bootstrap roles trust only the pipeline (cdk bootstrap --trust with a hardened template)',
    attempts: (m) => m.principals.filter((r) => isRole(r) && r.bootstrap && r.bootstrap !== 'cfn-exec').map((r) => ({
      target: r.arn, located: r, requests: [req('sts:AssumeRole', r.arn, { resourcePolicy: r.trust, resourcePolicyKind: 'role-trust' })], event: ev('sts.amazonaws.com', 'AssumeRole'),
    })),
  },
  {
    id: 'escalation-pass-privileged-role', title: 'pass a privileged role to a service that runs attacker code', tactic: 'privilege-escalation', attack: ['T1548', 'T1098.003'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:PassRole of privileged roles (the CloudFormation execution role, security automation) beyond the pipeline',
    attempts: (m, _p, facts) => m.principals.filter((r) => isRole(r) && facts.privilegedRoles.has(r.arn)).flatMap((r) =>
      r.trustedServices.filter((s) => PASS_TARGETS[s]).map((service) => {
        const run = PASS_TARGETS[service](m);
        return {
          target: r.arn, located: r as Located,
          requests: [req('iam:PassRole', r.arn, { context: { 'iam:PassedToService': service } }), req(run.action, run.resource)],
          event: run.event,
        };
      })),
  },
  {
    id: 'escalation-create-role-without-boundary', title: 'create a role without the permissions boundary and make it administrator', tactic: 'privilege-escalation', attack: ['T1098.003'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:CreateRole unless iam:PermissionsBoundary is the boundary; deny policy attachment beyond the pipeline',
    attempts: (m) => {
      const arn = `${arnPrefix(m, 'iam', true)}role/attacker-unbounded`;
      return [{
        target: arn,
        requests: [req('iam:CreateRole', arn), req('iam:AttachRolePolicy', arn, { context: { 'iam:PolicyARN': `arn:${m.env.partition}:iam::aws:policy/AdministratorAccess` } })],
        event: iamEvent('AttachRolePolicy'),
      }];
    },
  },
  {
    perPersona: true, id: 'escalation-attach-admin-to-self', title: 'attach AdministratorAccess to its own principal', tactic: 'privilege-escalation', attack: ['T1098.003'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:Attach*/Put* policy changes beyond the pipeline',
    attempts: (m, p) => {
      const admin = `arn:${m.env.partition}:iam::aws:policy/AdministratorAccess`;
      const self = selfUser(p);
      if (self) return [{ target: self, requests: [req('iam:AttachUserPolicy', self, { context: { 'iam:PolicyARN': admin } })], event: iamEvent('AttachUserPolicy') }];
      const role = p.principal.roleArn === undefined ? undefined : String(p.principal.roleArn);
      if (!role || p.kind === 'outside-account') return [];
      return [{ target: role, requests: [req('iam:AttachRolePolicy', role, { context: { 'iam:PolicyARN': admin } })], event: iamEvent('AttachRolePolicy') }];
    },
  },
  {
    id: 'escalation-delete-role-boundary', title: 'remove the permissions boundary of a role', tactic: 'privilege-escalation', attack: ['T1548'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:DeleteRolePermissionsBoundary/PutRolePermissionsBoundary (boundary DenyBoundaryRemoval, SCP)',
    attempts: (m) => m.principals.filter((r) => isRole(r) && r.boundary).map((r) => ({
      target: r.arn, located: r, requests: [req('iam:DeleteRolePermissionsBoundary', r.arn)], event: iamEvent('DeleteRolePermissionsBoundary'),
    })),
  },
  {
    id: 'escalation-rewrite-boundary', title: 'write a new default version of the permissions boundary policy', tactic: 'privilege-escalation', attack: ['T1548', 'T1098.003'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny iam:CreatePolicyVersion/SetDefaultPolicyVersion to every bounded principal, security automation included (boundary DenyUnboundedPrincipals)',
    attempts: (m) => m.boundaries.map((b) => ({
      target: b.arn, located: b, requests: [req('iam:CreatePolicyVersion', b.arn)], event: iamEvent('CreatePolicyVersion'),
    })),
  },
  {
    id: 'escalation-replace-function-code', title: 'replace the code of a function that runs a privileged role', tactic: 'privilege-escalation', attack: ['T1648', 'T1548'],
    lessonId: 'L2', controlId: 'IAM-LEASTPRIV', defence: 'deny lambda:UpdateFunctionCode/UpdateFunctionConfiguration on privileged functions beyond the pipeline',
    attempts: (m, _p, facts) => each(m.functions.filter((f) => facts.privilegedRoles.has(f.roleArn)), (f) => ({
      requests: [req('lambda:UpdateFunctionCode', f.arn)], event: ev('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2'),
    })),
  },
  // ---------------------------------------------------------------- defense evasion
  ...([
    ['evasion-stop-trail', 'stop the audit trail', 'cloudtrail:StopLogging', 'StopLogging'],
    ['evasion-delete-trail', 'delete the audit trail', 'cloudtrail:DeleteTrail', 'DeleteTrail'],
    ['evasion-update-trail', 'change what the trail records or where it delivers', 'cloudtrail:UpdateTrail', 'UpdateTrail'],
    ['evasion-trail-selectors', 'narrow the trail\'s event selectors', 'cloudtrail:PutEventSelectors', 'PutEventSelectors'],
  ] as const).map(([id, title, action, name]): StepDefinition => ({
    id, title, tactic: 'defense-evasion', attack: ['T1562.008'], lessonId: 'L7', controlId: 'LOG-TAMPER',
    defence: 'deny trail changes beyond the pipeline and break-glass (SCP protect-security-services, boundary)',
    attempts: (m) => each(m.trails, (t) => ({ requests: [req(action, t.arn)], event: ev('cloudtrail.amazonaws.com', name) })),
  })),
  ...([
    ['evasion-delete-log-group', 'delete the log group the trail and alarms read', 'logs:DeleteLogGroup', 'DeleteLogGroup', 'LOG-RETENTION', ['T1562.008', 'T1070']],
    ['evasion-shorten-retention', 'shorten the retention of a security log group', 'logs:PutRetentionPolicy', 'PutRetentionPolicy', 'LOG-RETENTION', ['T1070']],
    ['evasion-delete-metric-filter', 'delete a CIS metric filter', 'logs:DeleteMetricFilter', 'DeleteMetricFilter', 'LOG-ALARMS', ['T1562.008']],
    ['evasion-log-group-key', 'disassociate the log group\'s key', 'logs:DisassociateKmsKey', 'DisassociateKmsKey', 'LOG-RETENTION', ['T1562.008']],
  ] as const).map(([id, title, action, name, control, attack]): StepDefinition => ({
    id, title, tactic: 'defense-evasion', attack, lessonId: 'L7', controlId: control,
    defence: 'deny changes to security log groups and their filters beyond the pipeline',
    attempts: (m) => securityLogGroups(m).map((g) => ({
      target: g.arn, located: g, requests: [req(action, g.arn.replace(/:\*$/, ''))], event: ev('logs.amazonaws.com', name),
    })),
  })),
  ...([
    ['evasion-delete-alarm', 'delete a security alarm', 'cloudwatch:DeleteAlarms', 'DeleteAlarms'],
    ['evasion-disable-alarm-actions', 'disable a security alarm\'s actions', 'cloudwatch:DisableAlarmActions', 'DisableAlarmActions'],
  ] as const).map(([id, title, action, name]): StepDefinition => ({
    id, title, tactic: 'defense-evasion', attack: ['T1562.001'], lessonId: 'L7', controlId: 'LOG-ALARMS',
    defence: 'deny alarm changes beyond the pipeline (SCP ProtectSecurityResources on the security name prefix)',
    attempts: (m) => each(m.alarms.filter((a) => a.actions.some((t) => m.topics.some((x) => x.arn === t))), (a) => ({
      requests: [req(action, a.arn)], event: ev('monitoring.amazonaws.com', name),
    })),
  })),
  ...([
    ['evasion-disable-rule', 'disable an alert rule', 'events:DisableRule', 'DisableRule'],
    ['evasion-remove-rule-targets', 'remove an alert rule\'s targets', 'events:RemoveTargets', 'RemoveTargets'],
    ['evasion-delete-rule', 'delete an alert rule', 'events:DeleteRule', 'DeleteRule'],
  ] as const).map(([id, title, action, name]): StepDefinition => ({
    id, title, tactic: 'defense-evasion', attack: ['T1562.001'], lessonId: 'L9', controlId: 'IR-ROUTING',
    defence: 'deny changes to the alert rules beyond the pipeline',
    attempts: (m) => each(m.rules.filter((r) => r.targets.some((t) => m.topics.some((x) => x.arn === t))), (r) => ({
      requests: [req(action, r.arn)], event: ev('events.amazonaws.com', name),
    })),
  })),
  ...([
    ['evasion-unsubscribe', 'unsubscribe the responders from the alert topic', 'sns:Unsubscribe', 'Unsubscribe'],
    ['evasion-subscription-filter', 'add a filter policy that drops alerts', 'sns:SetSubscriptionAttributes', 'SetSubscriptionAttributes'],
    ['evasion-delete-topic', 'delete the alert topic', 'sns:DeleteTopic', 'DeleteTopic'],
    ['evasion-topic-attributes', 'change the alert topic\'s policy or key', 'sns:SetTopicAttributes', 'SetTopicAttributes'],
  ] as const).map(([id, title, action, name]): StepDefinition => ({
    id, title, tactic: 'defense-evasion', attack: ['T1562.001'], lessonId: 'L9', controlId: 'IR-ROUTING',
    defence: 'deny changes to the alert topics and subscriptions beyond the pipeline',
    attempts: (m) => each(m.topics, (t) => ({
      requests: [req(action, t.arn, { resourcePolicy: topicPolicyOf(m, t.arn) })], event: ev('sns.amazonaws.com', name),
    })),
  })),
  {
    id: 'evasion-guardduty-off', title: 'delete or suspend the GuardDuty detector', tactic: 'defense-evasion', attack: ['T1562.001'],
    lessonId: 'L3', controlId: 'GD-ENABLED', defence: 'deny guardduty:DeleteDetector/UpdateDetector beyond break-glass (SCP, boundary)',
    attempts: (m) => (m.detectors.length ? m.detectors : [{ arn: `${arnPrefix(m, 'guardduty')}detector/*` }]).map((d) => ({
      target: d.arn, located: 'logicalId' in d ? (d as Located) : undefined,
      requests: [req('guardduty:DeleteDetector', d.arn)], event: ev('guardduty.amazonaws.com', 'DeleteDetector'),
    })),
  },
  {
    id: 'evasion-archive-findings', title: 'archive GuardDuty findings or auto-archive them with a filter', tactic: 'defense-evasion', attack: ['T1562.001', 'T1070'],
    lessonId: 'L3', controlId: 'GD-TRIAGE', defence: 'deny guardduty:ArchiveFindings/CreateFilter beyond the responders',
    attempts: (m) => (m.detectors.length ? m.detectors : [{ arn: `${arnPrefix(m, 'guardduty')}detector/*` }]).map((d) => ({
      target: d.arn, located: 'logicalId' in d ? (d as Located) : undefined,
      requests: [req('guardduty:CreateFilter', `${d.arn}/filter/attacker`)], event: ev('guardduty.amazonaws.com', 'CreateFilter'),
    })),
  },
  {
    id: 'evasion-config-off', title: 'stop the AWS Config recorder', tactic: 'defense-evasion', attack: ['T1562.001'],
    lessonId: 'L7', controlId: 'LOG-TAMPER', defence: 'deny config:StopConfigurationRecorder/Delete* beyond break-glass (SCP)',
    attempts: (m) => (m.configRecorders.length ? m.configRecorders : [{ arn: '*' }]).map((r) => ({
      target: r.arn === '*' ? 'the account\'s configuration recorder' : r.arn, requests: [req('config:StopConfigurationRecorder', '*')],
      event: ev('config.amazonaws.com', 'StopConfigurationRecorder'),
    })),
  },
  {
    id: 'evasion-access-analyzer-off', title: 'delete the IAM Access Analyzer', tactic: 'defense-evasion', attack: ['T1562.001'],
    lessonId: 'L7', controlId: 'LOG-TAMPER', defence: 'deny access-analyzer:DeleteAnalyzer beyond break-glass (SCP)',
    attempts: (m) => each(m.analyzers, (a) => ({ requests: [req('access-analyzer:DeleteAnalyzer', a.arn)], event: ev('access-analyzer.amazonaws.com', 'DeleteAnalyzer') })),
  },
  {
    id: 'evasion-log-key-policy', title: 'rewrite the policy of the log or alert key', tactic: 'defense-evasion', attack: ['T1562.008'],
    lessonId: 'L7', controlId: 'LOG-TAMPER', defence: 'key policies let only named key administrators (the pipeline, break-glass) call kms:PutKeyPolicy',
    attempts: (m) => each(keysUsedFor(m, 'log', 'alerts'), (k) => ({ requests: [keyRequest(m, 'kms:PutKeyPolicy', k.arn)], event: ev('kms.amazonaws.com', 'PutKeyPolicy') })),
  },
  {
    id: 'evasion-disable-log-key', title: 'disable or schedule deletion of the log or alert key', tactic: 'defense-evasion', attack: ['T1562.008', 'T1485'],
    lessonId: 'L7', controlId: 'LOG-TAMPER', defence: 'deny kms:DisableKey/ScheduleKeyDeletion beyond break-glass (boundary DenyKeyDeletion, SCP)',
    attempts: (m) => each(keysUsedFor(m, 'log', 'alerts'), (k) => ({ requests: [keyRequest(m, 'kms:ScheduleKeyDeletion', k.arn)], event: ev('kms.amazonaws.com', 'ScheduleKeyDeletion') })),
  },
  {
    id: 'evasion-archive-bucket-policy', title: 'rewrite the policy of the trail archive bucket', tactic: 'defense-evasion', attack: ['T1562.008'],
    lessonId: 'L7', controlId: 'LOG-ARCHIVE', defence: 'deny s3:PutBucketPolicy/DeleteBucketPolicy on the archive beyond the pipeline',
    attempts: (m) => each(m.buckets.filter((b) => b.role === 'archive'), (b) => ({
      requests: [req('s3:PutBucketPolicy', b.arn, { resourcePolicy: b.policy })], event: ev('s3.amazonaws.com', 'PutBucketPolicy'),
    })),
  },
  {
    id: 'evasion-archive-object-lock', title: 'change the archive bucket\'s object-lock configuration', tactic: 'defense-evasion', attack: ['T1562.008', 'T1070'],
    lessonId: 'L7', controlId: 'LOG-ARCHIVE', defence: 'deny s3:PutBucketObjectLockConfiguration on the archive beyond the pipeline',
    attempts: (m) => each(m.buckets.filter((b) => b.role === 'archive'), (b) => ({
      requests: [req('s3:PutBucketObjectLockConfiguration', b.arn, { resourcePolicy: b.policy })], event: ev('s3.amazonaws.com', 'PutObjectLockConfiguration'),
    })),
  },
  // ---------------------------------------------------------------- collection
  {
    id: 'collection-read-pii-objects', title: 'read PII objects (and decrypt them)', tactic: 'collection', attack: ['T1530'],
    lessonId: 'L5', controlId: 'DATA-KEYPOLICY', defence: 'bucket and key policies admit only the named principals that use the data',
    attempts: (m, p) => each(dataBuckets(m), (b) => ({
      requests: fillCaller(s3Read(m, b.arn, b.keyArn), p),
      event: { eventSource: 's3.amazonaws.com', eventName: 'GetObject', readOnly: true, category: 'Data', dataResource: { type: 'AWS::S3::Object', arn: s3Object(b.arn) } },
    })),
  },
  {
    id: 'collection-read-pii-table', title: 'read PII items of a table', tactic: 'collection', attack: ['T1530'],
    lessonId: 'L5', controlId: 'DATA-KEYPOLICY', defence: 'table resource policies and key policies admit only the named principals that use the data',
    attempts: (m, p) => m.tables.map((t) => tableRead(m, p, 'dynamodb:GetItem', t)),
  },
  {
    id: 'collection-scan-table', title: 'scan a whole PII table', tactic: 'collection', attack: ['T1530'],
    lessonId: 'L5', controlId: 'DATA-KEYPOLICY', defence: 'only named principals may scan; DynamoDB data events are logged and alarmed',
    attempts: (m, p) => m.tables.map((t) => tableRead(m, p, 'dynamodb:Scan', t)),
  },
  {
    id: 'collection-decrypt-data-key', title: 'decrypt with a data key directly', tactic: 'collection', attack: ['T1530'],
    lessonId: 'L5', controlId: 'DATA-KEYPOLICY', defence: 'data keys are usable only through their service (kms:ViaService) by named principals',
    attempts: (m, p) => each(keysUsedFor(m, 'data'), (k) => ({
      requests: fillCaller([keyRequest(m, 'kms:Decrypt', k.arn, { 'kms:CallerAccount': '' })], p), event: ev('kms.amazonaws.com', 'Decrypt', true),
    })),
  },
  // ---------------------------------------------------------------- exfiltration
  {
    id: 'exfiltration-export-table', title: "export a table to another account's bucket", tactic: 'exfiltration', attack: ['T1537'],
    lessonId: 'L6', controlId: 'EXF-ENDPOINTPOLICY', defence: 'deny dynamodb:ExportTableToPointInTime beyond named principals; s3 writes only to the organization (aws:ResourceOrgID)',
    attempts: (m) => each(m.tables, (t) => ({
      requests: [
        req('dynamodb:ExportTableToPointInTime', t.arn, { resourcePolicy: t.policy }),
        req('s3:PutObject', `arn:${m.env.partition}:s3:::attacker-exports/AWSDynamoDB/export`, { resourceAccount: OUTSIDE_ACCOUNT, foreignResource: true }),
      ],
      event: ev('dynamodb.amazonaws.com', 'ExportTableToPointInTime'),
    })),
  },
  {
    id: 'exfiltration-grant-bucket', title: 'grant an outside account in a data bucket policy', tactic: 'exfiltration', attack: ['T1537'],
    lessonId: 'L6', controlId: 'EXF-ENDPOINTPOLICY', defence: 'deny s3:PutBucketPolicy on data buckets beyond the pipeline; alarm on bucket policy changes',
    attempts: (m) => each(dataBuckets(m), (b) => ({
      requests: [req('s3:PutBucketPolicy', b.arn, { resourcePolicy: b.policy })], event: ev('s3.amazonaws.com', 'PutBucketPolicy'),
    })),
  },
  {
    id: 'exfiltration-grant-table', title: 'grant an outside account in a table resource policy', tactic: 'exfiltration', attack: ['T1537'],
    lessonId: 'L6', controlId: 'EXF-ENDPOINTPOLICY', defence: 'deny dynamodb:PutResourcePolicy beyond the pipeline',
    attempts: (m) => each(m.tables, (t) => ({
      requests: [req('dynamodb:PutResourcePolicy', t.arn, { resourcePolicy: t.policy })], event: ev('dynamodb.amazonaws.com', 'PutResourcePolicy'),
    })),
  },
  {
    id: 'exfiltration-grant-key', title: 'grant an outside account the use of a data key', tactic: 'exfiltration', attack: ['T1537'],
    lessonId: 'L6', controlId: 'DATA-KEYPOLICY', defence: 'kms:CreateGrant only for AWS services acting for a resource (kms:GrantIsForAWSResource)',
    attempts: (m) => each(keysUsedFor(m, 'data', 'vault'), (k) => ({
      requests: [keyRequest(m, 'kms:CreateGrant', k.arn, { 'kms:GranteePrincipal': `arn:${m.env.partition}:iam::${OUTSIDE_ACCOUNT}:root`, 'kms:GrantIsForAWSResource': false })],
      event: ev('kms.amazonaws.com', 'CreateGrant'),
    })),
  },
  {
    perPersona: true, id: 'exfiltration-copy-through-endpoint', title: "copy data through a VPC endpoint to the attacker's resources", tactic: 'exfiltration', attack: ['T1567.002', 'T1537'],
    lessonId: 'L6', controlId: 'EXF-ENDPOINTPOLICY', defence: 'endpoint policies admit only resources of the organization (aws:ResourceOrgID / aws:ResourceAccount)',
    attempts: (m, p) => {
      if (p.kind !== 'hijacked-workload') return [];
      const foreign: Record<string, { action: string; resource: string; event: TrailEvent }> = {
        s3: { action: 's3:PutObject', resource: `arn:${m.env.partition}:s3:::attacker-drop/loot`, event: { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false, category: 'Data', dataResource: { type: 'AWS::S3::Object', arn: `arn:${m.env.partition}:s3:::attacker-drop/loot` } } },
        secretsmanager: { action: 'secretsmanager:PutSecretValue', resource: `arn:${m.env.partition}:secretsmanager:${m.env.region}:${OUTSIDE_ACCOUNT}:secret:drop`, event: ev('secretsmanager.amazonaws.com', 'PutSecretValue') },
        sts: { action: 'sts:AssumeRole', resource: `arn:${m.env.partition}:iam::${OUTSIDE_ACCOUNT}:role/attacker`, event: ev('sts.amazonaws.com', 'AssumeRole') },
      };
      return m.endpoints.flatMap((e) => {
        const service = Object.keys(foreign).find((s) => new RegExp(`\\.${s}$`).test(e.service));
        if (!service) return [];
        const f = foreign[service];
        return [{
          target: `${e.id} → ${f.resource}`, located: e,
          requests: [req(f.action, f.resource, { resourceAccount: OUTSIDE_ACCOUNT, foreignResource: true, endpointPolicy: endpointPolicyOf(e), context: { 'aws:SourceVpce': e.id } })],
          event: f.event,
        }];
      });
    },
  },
  // ---------------------------------------------------------------- impact
  {
    id: 'impact-key-policy-takeover', title: 'rewrite a data or vault key policy (hand it away or lock owners out)', tactic: 'impact', attack: ['T1486'],
    lessonId: 'L8', controlId: 'DATA-KEYPOLICY', defence: 'only named key administrators (the pipeline, break-glass) may call kms:PutKeyPolicy',
    attempts: (m) => each(keysUsedFor(m, 'data', 'vault'), (k) => ({ requests: [keyRequest(m, 'kms:PutKeyPolicy', k.arn)], event: ev('kms.amazonaws.com', 'PutKeyPolicy') })),
  },
  {
    id: 'impact-schedule-key-deletion', title: 'schedule deletion of a data or vault key', tactic: 'impact', attack: ['T1485', 'T1490'],
    lessonId: 'L8', controlId: 'BAK-RETAIN', defence: 'deny kms:ScheduleKeyDeletion/DisableKey beyond break-glass; alarm on it',
    attempts: (m) => each(keysUsedFor(m, 'data', 'vault'), (k) => ({ requests: [keyRequest(m, 'kms:ScheduleKeyDeletion', k.arn)], event: ev('kms.amazonaws.com', 'ScheduleKeyDeletion') })),
  },
  {
    id: 'impact-delete-recovery-points', title: 'delete recovery points from a backup vault', tactic: 'impact', attack: ['T1490'],
    lessonId: 'L8', controlId: 'BAK-VAULTLOCK', defence: 'a vault lock in compliance mode refuses deletion before the retention ends',
    attempts: (m) => each(m.vaults, (v) => ({
      requests: [req('backup:DeleteRecoveryPoint', `${arnPrefix(m, 'backup')}recovery-point:*`, { resourcePolicy: v.policy })],
      event: ev('backup.amazonaws.com', 'DeleteRecoveryPoint'),
      serviceRule: v.lock?.minRetentionDays !== undefined
        ? { denies: true, reason: `vault lock on ${v.name}: recovery points cannot be deleted before ${v.lock.minRetentionDays} days` } : undefined,
    })),
  },
  {
    id: 'impact-delete-backup-plan', title: 'delete a backup plan or its selection', tactic: 'impact', attack: ['T1490'],
    lessonId: 'L8', controlId: 'BAK-VAULTLOCK', defence: 'deny backup:DeleteBackupPlan/DeleteBackupSelection/UpdateBackupPlan beyond the pipeline; alarm on it',
    attempts: (m) => [
      ...each(m.plans, (pl) => ({ requests: [req('backup:DeleteBackupPlan', pl.arn)], event: ev('backup.amazonaws.com', 'DeleteBackupPlan') })),
      ...each(m.selections, (s) => ({ requests: [req('backup:DeleteBackupSelection', s.arn.replace(/\/selection\/.*$/, ''))], event: ev('backup.amazonaws.com', 'DeleteBackupSelection') })),
    ],
  },
  {
    id: 'impact-delete-vault-lock', title: 'delete the vault lock configuration', tactic: 'impact', attack: ['T1490'],
    lessonId: 'L8', controlId: 'BAK-VAULTLOCK', defence: 'a compliance-mode vault lock is immutable after its grace time; deny backup:DeleteBackupVaultLockConfiguration beyond break-glass',
    attempts: (m) => each(m.vaults, (v) => ({
      requests: [req('backup:DeleteBackupVaultLockConfiguration', v.arn, { resourcePolicy: v.policy })],
      event: ev('backup.amazonaws.com', 'DeleteBackupVaultLockConfiguration'),
      serviceRule: v.lock?.changeableForDays !== undefined
        ? { denies: true, reason: `compliance-mode vault lock on ${v.name}: immutable once its grace time of ${v.lock.changeableForDays} days has passed (during it, the policies decide)` } : undefined,
    })),
  },
  {
    id: 'impact-delete-object-versions', title: 'delete object versions of a data or archive bucket', tactic: 'impact', attack: ['T1485'],
    lessonId: 'L8', controlId: 'BAK-RETAIN', defence: 'object lock (compliance) on archives; deny s3:DeleteObjectVersion beyond named principals on data buckets',
    attempts: (m) => each(m.buckets.filter((b) => b.role === 'data' || b.role === 'archive'), (b) => ({
      requests: [req('s3:DeleteObjectVersion', s3Object(b.arn), { resourcePolicy: b.policy })],
      event: { eventSource: 's3.amazonaws.com', eventName: 'DeleteObject', readOnly: false, category: 'Data', dataResource: { type: 'AWS::S3::Object', arn: s3Object(b.arn) } },
      serviceRule: b.objectLock ? { denies: true, reason: `object lock on ${b.name}: locked versions cannot be deleted before their retention ends` } : undefined,
    })),
  },
  {
    id: 'impact-reencrypt-foreign-key', title: "re-encrypt PII objects with the attacker's key", tactic: 'impact', attack: ['T1486'],
    lessonId: 'L8', controlId: 'DATA-CMK', defence: 'bucket policies deny writes encrypted with any key but the bucket\'s own',
    attempts: (m) => each(dataBuckets(m), (b) => {
      const foreignKey = `arn:${m.env.partition}:kms:${m.env.region}:${OUTSIDE_ACCOUNT}:key/attacker-key`;
      return {
        requests: [
          req('s3:PutObject', s3Object(b.arn), { resourcePolicy: b.policy, context: { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': foreignKey } }),
          req('kms:GenerateDataKey', foreignKey, { resourceAccount: OUTSIDE_ACCOUNT, foreignResource: true }),
        ],
        event: { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false, category: 'Data', dataResource: { type: 'AWS::S3::Object', arn: s3Object(b.arn) } },
      };
    }),
  },
];

export function stepById(id: string): StepDefinition | undefined {
  return STEPS.find((s) => s.id === id);
}
