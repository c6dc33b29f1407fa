import { NamedPolicy, unknown as unknownValue } from '../policy';
import { awsManagedPolicy, awsManagedPolicyName } from './managed-policies';
import { AppResolver, Environment, StackResolver, StackTemplate, UNRESOLVED, isUnresolved } from './resolve';

/**
 * The app as the attacker sees it: every principal with the documents that decide what it may do,
 * and every resource on the kill chain with its own policy. Built once per replay from the
 * resolved templates (cross-resource facts from one index, never by re-scanning per step).
 */

/** Where a resource was declared. */
export interface Located {
  readonly stack: string;
  readonly file: string;
  readonly logicalId: string;
  readonly constructPath?: string;
}

/** A policy document with the name the evidence shows (`HardeningIdentity/GroupsRequireMfa4CFDB734`). */
export type Doc = NamedPolicy;

export interface PrincipalModel extends Located {
  readonly kind: 'role' | 'group' | 'user';
  readonly name: string;
  readonly arn: string;
  readonly policies: readonly Doc[];
  readonly boundary?: Doc;
  readonly trust?: Doc;
  /** Service principals the trust policy names (`lambda.amazonaws.com`). */
  readonly trustedServices: readonly string[];
  /** AWS principals the trust policy names (ARNs or account ids). */
  readonly trustedAws: readonly string[];
  readonly trustedFederated: readonly string[];
  /** For users: the groups they belong to (names). */
  readonly groups: readonly string[];
  /** Policies the replay could not read (unknown managed policy ARNs...): decisions on them are UNDECIDABLE. */
  readonly unknownPolicies: readonly string[];
  /** A CDK bootstrap role (by its well-known name). */
  readonly bootstrap?: 'deploy' | 'cfn-exec' | 'file-publishing' | 'image-publishing' | 'lookup';
}

export interface KeyModel extends Located { readonly arn: string; readonly policy: Doc; readonly uses: Set<KeyUse> }
export type KeyUse = 'data' | 'log' | 'vault' | 'alerts' | 'other';
export interface BucketModel extends Located {
  readonly arn: string; readonly name: string; readonly policy?: Doc; readonly keyArn?: string;
  readonly objectLock: boolean; readonly versioning: boolean; readonly role: 'data' | 'archive' | 'access-log' | 'bootstrap';
}
export interface TableModel extends Located { readonly arn: string; readonly name: string; readonly policy?: Doc; readonly keyArn?: string }
export interface TrailModel extends Located {
  readonly arn: string; readonly name: string; readonly isLogging: boolean; readonly multiRegion: boolean; readonly region: string;
  readonly logGroupArn?: string; readonly bucketName?: string; readonly keyArn?: string;
  /** Which management events it records. */
  readonly management: 'All' | 'ReadOnly' | 'WriteOnly' | 'None';
  /** S3 object ARN prefixes (`arn:aws:s3:::bucket/`) and DynamoDB table ARNs whose data events it records. */
  readonly dataEvents: readonly { readonly type: string; readonly values: readonly string[]; readonly readWrite: 'All' | 'ReadOnly' | 'WriteOnly' }[];
  /** Selectors this file cannot read (advanced selectors): events are not counted as recorded. */
  readonly unreadSelectors: boolean;
}
export interface LogGroupModel extends Located { readonly arn: string; readonly name: string; readonly keyArn?: string }
export interface MetricFilterModel extends Located {
  readonly arn: string; readonly logGroupName: string; readonly pattern: string; readonly metrics: readonly { readonly name: string; readonly namespace: string }[];
}
export interface AlarmModel extends Located {
  readonly arn: string; readonly name: string; readonly metricName?: string; readonly namespace?: string;
  readonly actions: readonly string[]; readonly actionsEnabled: boolean; readonly treatMissingData?: string;
  readonly threshold?: number; readonly comparison?: string; readonly region: string;
}
export interface RuleModel extends Located {
  readonly arn: string; readonly name: string; readonly pattern?: unknown; readonly enabled: boolean;
  readonly targets: readonly string[]; readonly region: string; readonly eventBus: string;
}
export interface TopicModel extends Located {
  readonly arn: string; readonly name: string; readonly keyArn?: string; readonly policy?: Doc;
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string; readonly filtered: boolean }[];
}
export interface VaultModel extends Located {
  readonly arn: string; readonly name: string; readonly keyArn?: string; readonly policy?: Doc;
  readonly lock?: { readonly minRetentionDays?: number; readonly changeableForDays?: number };
}
export interface PlanModel extends Located { readonly arn: string; readonly id: string }
export interface SelectionModel extends Located { readonly arn: string; readonly planId: string }
export interface FunctionModel extends Located { readonly arn: string; readonly name: string; readonly roleArn: string }
export interface EndpointModel extends Located {
  readonly id: string; readonly service: string; readonly policy?: Doc; readonly type: string;
  /** The endpoint's VPC, as the app's policies would name it (unknown when it cannot be read). */
  readonly vpc?: unknown;
}

/** The policy an endpoint applies: its own, or AWS's default (full access) when it has none. */
export function endpointPolicyOf(e: EndpointModel): Doc {
  return e.policy ?? { name: `${e.stack}/${e.logicalId} default endpoint policy (full access)`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } };
}
export interface SimpleResource extends Located { readonly arn: string; readonly name: string }

export interface AppModel {
  readonly env: Environment;
  readonly principals: readonly PrincipalModel[];
  readonly keys: readonly KeyModel[];
  readonly buckets: readonly BucketModel[];
  readonly tables: readonly TableModel[];
  readonly trails: readonly TrailModel[];
  readonly logGroups: readonly LogGroupModel[];
  readonly metricFilters: readonly MetricFilterModel[];
  readonly alarms: readonly AlarmModel[];
  readonly rules: readonly RuleModel[];
  readonly topics: readonly TopicModel[];
  readonly vaults: readonly VaultModel[];
  readonly plans: readonly PlanModel[];
  readonly selections: readonly SelectionModel[];
  readonly functions: readonly FunctionModel[];
  readonly endpoints: readonly EndpointModel[];
  readonly detectors: readonly SimpleResource[];
  readonly analyzers: readonly SimpleResource[];
  readonly configRecorders: readonly SimpleResource[];
  /** Managed policies used as permissions boundaries. */
  readonly boundaries: readonly (SimpleResource & { readonly policy: Doc })[];
  /** Resource counts, for the evidence. */
  readonly resourceCount: number;
}

type Res = StackTemplate['template']['Resources'][string];
type Props = Record<string, unknown>;

/** Turns every string holding an unresolved marker into the evaluator's Unknown value. */
export function toPolicyInput(value: unknown): unknown {
  if (typeof value === 'string') return isUnresolved(value) ? unknownValue(value.match(UNRESOLVED)?.join(', ') ?? value) : value;
  if (Array.isArray(value)) return value.map(toPolicyInput);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPolicyInput(v)]));
  return value;
}

/** A document nothing could read: every decision that reaches it is undecidable. */
export function unknownDocument(name: string, reason: string): Doc {
  return {
    name,
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: unknownValue(reason) },
        { Effect: 'Deny', Action: '*', Resource: unknownValue(reason) },
      ],
    },
  };
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === 'string');

function located(s: StackResolver, id: string, r: Res): Located {
  const path = (r.Metadata as { 'aws:cdk:path'?: string } | undefined)?.['aws:cdk:path'];
  return { stack: s.stack.stackName, file: s.stack.file, logicalId: id, constructPath: path };
}

interface Entry { readonly s: StackResolver; readonly id: string; readonly r: Res; readonly p: Props }

/** Builds the model of an app from its resolved templates. */
export function buildModel(app: AppResolver): AppModel {
  const byType = new Map<string, Entry[]>();
  let resourceCount = 0;
  for (const s of app.stacks) {
    for (const [id, r] of Object.entries(s.stack.template.Resources)) {
      resourceCount++;
      if (r.Condition !== undefined && s.condition(r.Condition) === false) continue;
      const list = byType.get(r.Type) ?? [];
      list.push({ s, id, r, p: (r.Properties ?? {}) as Props });
      byType.set(r.Type, list);
    }
  }
  const of = (type: string): Entry[] => byType.get(type) ?? [];
  const env = app.stacks[0]?.env ?? { account: '000011112222', region: 'us-east-1', partition: 'aws' };
  const doc = (e: Entry, value: unknown, suffix = ''): Doc => ({ name: `${e.s.stack.stackName}/${e.id}${suffix}`, document: toPolicyInput(e.s.resolve(value)) });

  // Managed policies of the app, by ARN; and the attachments they declare (Roles/Groups/Users).
  const managed = new Map<string, Doc>();
  const attached = { role: new Map<string, Doc[]>(), group: new Map<string, Doc[]>(), user: new Map<string, Doc[]>() };
  const attach = (kind: keyof typeof attached, names: unknown, d: Doc) => {
    for (const n of asList(names)) {
      if (typeof n !== 'string') continue;
      attached[kind].set(n, [...(attached[kind].get(n) ?? []), d]);
    }
  };
  const attachAll = (e: Entry, d: Doc) => {
    attach('role', e.s.resolve(e.p.Roles), d);
    attach('group', e.s.resolve(e.p.Groups), d);
    attach('user', e.s.resolve(e.p.Users), d);
  };
  for (const e of of('AWS::IAM::ManagedPolicy')) {
    const arn = e.s.resolveString({ Ref: e.id });
    const d = doc(e, e.p.PolicyDocument);
    managed.set(arn, d);
    attachAll(e, d);
  }
  for (const e of of('AWS::IAM::Policy')) attachAll(e, doc(e, e.p.PolicyDocument));
  for (const [type, kind, prop] of [['AWS::IAM::RolePolicy', 'role', 'RoleName'], ['AWS::IAM::GroupPolicy', 'group', 'GroupName'], ['AWS::IAM::UserPolicy', 'user', 'UserName']] as const) {
    for (const e of of(type)) attach(kind, e.s.resolve(e.p[prop]), doc(e, e.p.PolicyDocument));
  }

  /** The documents of ManagedPolicyArns: the app's own, AWS managed ones we know, else unknown. */
  const managedDocs = (e: Entry, unknownOut: string[]): Doc[] => {
    const out: Doc[] = [];
    for (const a of asList(e.s.resolve(e.p.ManagedPolicyArns))) {
      const arn = typeof a === 'string' ? a : JSON.stringify(a);
      const own = managed.get(arn);
      if (own) {
        out.push(own);
        continue;
      }
      const aws = awsManagedPolicy(arn);
      if (aws) {
        out.push({ name: `aws-managed/${aws.name} (${aws.version})`, document: aws.document });
        continue;
      }
      unknownOut.push(arn);
      out.push(unknownDocument(`managed policy ${arn}`, awsManagedPolicyName(arn) ? `AWS managed policy ${arn} is not in the replay's catalogue` : `managed policy ${arn} is not in the app`));
    }
    return out;
  };
  const inline = (e: Entry): Doc[] => asList(e.p.Policies).map((pol, i) => {
    const name = (pol as { PolicyName?: unknown })?.PolicyName;
    return doc(e, (pol as { PolicyDocument?: unknown })?.PolicyDocument, `/${typeof name === 'string' ? name : i}`);
  });
  const boundaryOf = (e: Entry, unknownOut: string[]): Doc | undefined => {
    // Fn::If [..., AWS::NoValue] resolves to nothing: no boundary.
    const resolved = e.p.PermissionsBoundary === undefined ? undefined : e.s.resolve(e.p.PermissionsBoundary);
    if (resolved === undefined) return undefined;
    const arn = typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
    const own = managed.get(arn);
    if (own) return own;
    const aws = awsManagedPolicy(arn);
    if (aws) return { name: `aws-managed/${aws.name}`, document: aws.document };
    unknownOut.push(arn);
    return unknownDocument(`boundary ${arn}`, `permissions boundary ${arn} is not in the app`);
  };

  const principals: PrincipalModel[] = [];
  const trustParts = (trust: unknown) => {
    const stmts = asList((trust as { Statement?: unknown })?.Statement) as Array<{ Effect?: string; Principal?: unknown }>;
    const services: string[] = [];
    const aws: string[] = [];
    const federated: string[] = [];
    for (const st of stmts) {
      if (st?.Effect !== 'Allow') continue;
      const p = st.Principal;
      if (p === '*') aws.push('*');
      else if (p && typeof p === 'object') {
        const o = p as Record<string, unknown>;
        services.push(...strings(o.Service));
        aws.push(...asList(o.AWS).map((x) => (typeof x === 'string' ? x : String(x))));
        federated.push(...strings(o.Federated));
      }
    }
    return { services, aws, federated };
  };
  for (const e of of('AWS::IAM::Role')) {
    const name = e.s.resolveString({ Ref: e.id });
    const unknownPolicies: string[] = [];
    const trustJson = e.s.resolve(e.p.AssumeRolePolicyDocument);
    const t = trustParts(trustJson);
    principals.push({
      ...located(e.s, e.id, e.r), kind: 'role', name, arn: e.s.resolveString({ 'Fn::GetAtt': [e.id, 'Arn'] }),
      policies: [...inline(e), ...managedDocs(e, unknownPolicies), ...(attached.role.get(name) ?? [])],
      boundary: boundaryOf(e, unknownPolicies),
      trust: { name: `${e.s.stack.stackName}/${e.id} trust policy`, document: toPolicyInput(trustJson) },
      trustedServices: t.services, trustedAws: t.aws, trustedFederated: t.federated, groups: [], unknownPolicies,
      bootstrap: bootstrapKind(name),
    });
  }
  for (const e of of('AWS::IAM::Group')) {
    const name = e.s.resolveString({ Ref: e.id });
    const unknownPolicies: string[] = [];
    principals.push({
      ...located(e.s, e.id, e.r), kind: 'group', name, arn: e.s.resolveString({ 'Fn::GetAtt': [e.id, 'Arn'] }),
      policies: [...inline(e), ...managedDocs(e, unknownPolicies), ...(attached.group.get(name) ?? [])],
      trustedServices: [], trustedAws: [], trustedFederated: [], groups: [], unknownPolicies,
    });
  }
  const extraGroups = new Map<string, string[]>();
  for (const e of of('AWS::IAM::UserToGroupAddition')) {
    const g = e.s.resolveString(e.p.GroupName);
    for (const u of strings(e.s.resolve(e.p.Users))) extraGroups.set(u, [...(extraGroups.get(u) ?? []), g]);
  }
  for (const e of of('AWS::IAM::User')) {
    const name = e.s.resolveString({ Ref: e.id });
    const unknownPolicies: string[] = [];
    principals.push({
      ...located(e.s, e.id, e.r), kind: 'user', name, arn: e.s.resolveString({ 'Fn::GetAtt': [e.id, 'Arn'] }),
      policies: [...inline(e), ...managedDocs(e, unknownPolicies), ...(attached.user.get(name) ?? [])],
      boundary: boundaryOf(e, unknownPolicies),
      trustedServices: [], trustedAws: [], trustedFederated: [],
      groups: [...strings(e.s.resolve(e.p.Groups)), ...(extraGroups.get(name) ?? [])], unknownPolicies,
    });
  }

  // Resources.
  const arnOf = (e: Entry, attr: string) => e.s.resolveString({ 'Fn::GetAtt': [e.id, attr] });
  const refOf = (e: Entry) => e.s.resolveString({ Ref: e.id });
  const keyRef = (e: Entry, v: unknown): string | undefined => (v === undefined ? undefined : normalizeKey(e.s.resolveString(v), e.s.env, keyIndex));

  const keys: KeyModel[] = of('AWS::KMS::Key').map((e) => ({
    ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), policy: doc(e, e.p.KeyPolicy, ' key policy'), uses: new Set<KeyUse>(),
  }));
  const keyIndex = new Map<string, string>();
  for (const k of keys) {
    keyIndex.set(k.arn, k.arn);
    keyIndex.set(k.arn.slice(k.arn.lastIndexOf('/') + 1), k.arn);
  }
  for (const e of of('AWS::KMS::Alias')) {
    const target = e.s.resolveString(e.p.TargetKeyId);
    const arn = normalizeKey(target, e.s.env, keyIndex);
    const alias = e.s.resolveString(e.p.AliasName);
    if (arn) {
      keyIndex.set(alias, arn);
      keyIndex.set(`arn:${e.s.env.partition}:kms:${e.s.env.region}:${e.s.env.account}:${alias}`, arn);
    }
  }
  const useKey = (arn: string | undefined, use: KeyUse) => keys.find((k) => k.arn === arn)?.uses.add(use);

  const trails: TrailModel[] = of('AWS::CloudTrail::Trail').map((e) => {
    const selectors = asList(e.s.resolve(e.p.EventSelectors)) as Array<{ IncludeManagementEvents?: unknown; ReadWriteType?: unknown; DataResources?: unknown }>;
    let management: TrailModel['management'] = selectors.length === 0 ? 'All' : 'None';
    const dataEvents: TrailModel['dataEvents'][number][] = [];
    for (const sel of selectors) {
      const rw = (typeof sel.ReadWriteType === 'string' ? sel.ReadWriteType : 'All') as 'All' | 'ReadOnly' | 'WriteOnly';
      if (sel.IncludeManagementEvents !== false && sel.IncludeManagementEvents !== 'false') management = mergeRw(management, rw);
      for (const d of asList(sel.DataResources) as Array<{ Type?: unknown; Values?: unknown }>) {
        dataEvents.push({ type: String(d.Type), values: strings(d.Values), readWrite: rw });
      }
    }
    const logGroupArn = e.p.CloudWatchLogsLogGroupArn === undefined ? undefined : e.s.resolveString(e.p.CloudWatchLogsLogGroupArn);
    const keyArn = keyRef(e, e.p.KMSKeyId);
    useKey(keyArn, 'log');
    return {
      ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e), isLogging: e.s.resolve(e.p.IsLogging) !== false,
      multiRegion: e.s.resolve(e.p.IsMultiRegionTrail) === true, region: e.s.env.region, logGroupArn,
      bucketName: e.p.S3BucketName === undefined ? undefined : e.s.resolveString(e.p.S3BucketName), keyArn,
      management, dataEvents, unreadSelectors: e.p.AdvancedEventSelectors !== undefined,
    };
  });
  const archiveNames = new Set(trails.map((t) => t.bucketName).filter((x): x is string => !!x));
  const logDestinations = new Set<string>();
  for (const e of of('AWS::S3::Bucket')) {
    const dest = (e.p.LoggingConfiguration as { DestinationBucketName?: unknown } | undefined)?.DestinationBucketName;
    if (dest !== undefined) logDestinations.add(e.s.resolveString(dest));
  }
  const bucketPolicies = new Map<string, Doc>();
  for (const e of of('AWS::S3::BucketPolicy')) bucketPolicies.set(e.s.resolveString(e.p.Bucket), doc(e, e.p.PolicyDocument));
  const buckets: BucketModel[] = of('AWS::S3::Bucket').map((e) => {
    const name = refOf(e);
    const enc = asList((e.p.BucketEncryption as { ServerSideEncryptionConfiguration?: unknown } | undefined)?.ServerSideEncryptionConfiguration)[0] as
      { ServerSideEncryptionByDefault?: { KMSMasterKeyID?: unknown } } | undefined;
    const role: BucketModel['role'] = e.s.stack.bootstrap ? 'bootstrap' : archiveNames.has(name) ? 'archive' : logDestinations.has(name) ? 'access-log' : 'data';
    const keyArn = keyRef(e, enc?.ServerSideEncryptionByDefault?.KMSMasterKeyID);
    useKey(keyArn, role === 'data' ? 'data' : role === 'bootstrap' ? 'other' : 'log');
    return {
      ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name, policy: bucketPolicies.get(name), keyArn, role,
      objectLock: e.s.resolve(e.p.ObjectLockEnabled) === true,
      versioning: (e.s.resolve(e.p.VersioningConfiguration) as { Status?: unknown } | undefined)?.Status === 'Enabled',
    };
  });
  const tables: TableModel[] = [...of('AWS::DynamoDB::Table'), ...of('AWS::DynamoDB::GlobalTable')].map((e) => {
    const sse = e.p.SSESpecification as { KMSMasterKeyId?: unknown } | undefined;
    const keyArn = keyRef(e, sse?.KMSMasterKeyId);
    useKey(keyArn, 'data');
    const rp = (e.p.ResourcePolicy as { PolicyDocument?: unknown } | undefined)?.PolicyDocument;
    return { ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e), keyArn, policy: rp === undefined ? undefined : doc(e, rp, ' resource policy') };
  });
  const logGroups: LogGroupModel[] = of('AWS::Logs::LogGroup').map((e) => {
    const keyArn = keyRef(e, e.p.KmsKeyId);
    useKey(keyArn, 'log');
    return { ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e), keyArn };
  });
  const metricFilters: MetricFilterModel[] = of('AWS::Logs::MetricFilter').map((e) => {
    const lg = e.s.resolveString(e.p.LogGroupName);
    return {
      ...located(e.s, e.id, e.r), logGroupName: lg, pattern: e.s.resolveString(e.p.FilterPattern),
      arn: `arn:${e.s.env.partition}:logs:${e.s.env.region}:${e.s.env.account}:log-group:${lg}:*`,
      metrics: (asList(e.s.resolve(e.p.MetricTransformations)) as Array<{ MetricName?: unknown; MetricNamespace?: unknown }>)
        .map((m) => ({ name: String(m.MetricName), namespace: String(m.MetricNamespace) })),
    };
  });
  const alarms: AlarmModel[] = of('AWS::CloudWatch::Alarm').map((e) => ({
    ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e),
    metricName: e.p.MetricName === undefined ? undefined : e.s.resolveString(e.p.MetricName),
    namespace: e.p.Namespace === undefined ? undefined : e.s.resolveString(e.p.Namespace),
    actions: strings(e.s.resolve(e.p.AlarmActions)), actionsEnabled: e.s.resolve(e.p.ActionsEnabled) !== false,
    treatMissingData: e.p.TreatMissingData === undefined ? undefined : e.s.resolveString(e.p.TreatMissingData),
    threshold: typeof e.s.resolve(e.p.Threshold) === 'number' ? (e.s.resolve(e.p.Threshold) as number) : Number(e.s.resolve(e.p.Threshold)),
    comparison: e.p.ComparisonOperator === undefined ? undefined : e.s.resolveString(e.p.ComparisonOperator), region: e.s.env.region,
  }));
  const rules: RuleModel[] = of('AWS::Events::Rule').map((e) => {
    const pattern = e.s.resolve(e.p.EventPattern);
    return {
      ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e), pattern: typeof pattern === 'string' ? safeJson(pattern) : pattern,
      enabled: e.p.State === undefined || e.s.resolve(e.p.State) === 'ENABLED',
      targets: (asList(e.s.resolve(e.p.Targets)) as Array<{ Arn?: unknown }>).map((t) => String(t.Arn)), region: e.s.env.region,
      eventBus: e.p.EventBusName === undefined ? 'default' : e.s.resolveString(e.p.EventBusName),
    };
  });
  const topicPolicies = new Map<string, Doc[]>();
  for (const e of of('AWS::SNS::TopicPolicy')) {
    const d = doc(e, e.p.PolicyDocument);
    for (const t of strings(e.s.resolve(e.p.Topics))) topicPolicies.set(t, [...(topicPolicies.get(t) ?? []), d]);
  }
  const subs = new Map<string, TopicModel['subscriptions'][number][]>();
  const subscription = (topic: string, protocol: string, endpoint: string, filtered: boolean) => subs.set(topic, [...(subs.get(topic) ?? []), { protocol, endpoint, filtered }]);
  for (const e of of('AWS::SNS::Subscription')) {
    subscription(e.s.resolveString(e.p.TopicArn), e.s.resolveString(e.p.Protocol), e.s.resolveString(e.p.Endpoint), e.p.FilterPolicy !== undefined);
  }
  const topics: TopicModel[] = of('AWS::SNS::Topic').map((e) => {
    const arn = refOf(e);
    for (const s of asList(e.s.resolve(e.p.Subscription)) as Array<{ Protocol?: unknown; Endpoint?: unknown }>) subscription(arn, String(s.Protocol), String(s.Endpoint), false);
    const keyArn = keyRef(e, e.p.KmsMasterKeyId);
    useKey(keyArn, 'alerts');
    const pols = topicPolicies.get(arn) ?? [];
    // SNS keeps one policy per topic: the last AWS::SNS::TopicPolicy applied wins; several is itself ambiguous.
    const policy = pols.length === 1 ? pols[0] : pols.length > 1 ? unknownDocument(`${arn} topic policy`, `${pols.length} AWS::SNS::TopicPolicy resources set the policy of ${arn}: which one applies depends on deployment order`) : undefined;
    return { ...located(e.s, e.id, e.r), arn, name: e.s.resolveString({ 'Fn::GetAtt': [e.id, 'TopicName'] }), keyArn, policy, subscriptions: [] };
  }).map((t) => ({ ...t, subscriptions: subs.get(t.arn) ?? [] }));
  const vaults: VaultModel[] = of('AWS::Backup::BackupVault').map((e) => {
    const keyArn = keyRef(e, e.p.EncryptionKeyArn);
    useKey(keyArn, 'vault');
    const lock = e.s.resolve(e.p.LockConfiguration) as { MinRetentionDays?: number; ChangeableForDays?: number } | undefined;
    return {
      ...located(e.s, e.id, e.r), arn: arnOf(e, 'BackupVaultArn'), name: refOf(e), keyArn,
      policy: e.p.AccessPolicy === undefined ? undefined : doc(e, e.p.AccessPolicy, ' access policy'),
      lock: lock ? { minRetentionDays: lock.MinRetentionDays, changeableForDays: lock.ChangeableForDays } : undefined,
    };
  });
  const plans: PlanModel[] = of('AWS::Backup::BackupPlan').map((e) => ({ ...located(e.s, e.id, e.r), arn: arnOf(e, 'BackupPlanArn'), id: refOf(e) }));
  const selections: SelectionModel[] = of('AWS::Backup::BackupSelection').map((e) => {
    const planId = e.s.resolveString(e.p.BackupPlanId);
    return { ...located(e.s, e.id, e.r), planId, arn: `${plans.find((p) => p.id === planId)?.arn ?? planId}/selection/${refOf(e)}` };
  });
  const functions: FunctionModel[] = of('AWS::Lambda::Function').map((e) => ({
    ...located(e.s, e.id, e.r), arn: arnOf(e, 'Arn'), name: refOf(e), roleArn: e.s.resolveString(e.p.Role),
  }));
  const endpoints: EndpointModel[] = of('AWS::EC2::VPCEndpoint').map((e) => ({
    ...located(e.s, e.id, e.r), id: refOf(e), service: e.s.resolveString(e.p.ServiceName),
    type: e.p.VpcEndpointType === undefined ? 'Gateway' : e.s.resolveString(e.p.VpcEndpointType),
    policy: e.p.PolicyDocument === undefined ? undefined : doc(e, e.p.PolicyDocument, ' endpoint policy'),
    ...(e.p.VpcId === undefined ? {} : { vpc: toPolicyInput(e.s.resolve(e.p.VpcId)) }),
  }));
  const simple = (type: string, arn: (e: Entry) => string): SimpleResource[] => of(type).map((e) => ({ ...located(e.s, e.id, e.r), arn: arn(e), name: refOf(e) }));
  const detectors = simple('AWS::GuardDuty::Detector', (e) => `arn:${e.s.env.partition}:guardduty:${e.s.env.region}:${e.s.env.account}:detector/${refOf(e)}`);
  const analyzers = simple('AWS::AccessAnalyzer::Analyzer', (e) => arnOf(e, 'Arn'));
  const configRecorders = simple('AWS::Config::ConfigurationRecorder', (e) => `arn:${e.s.env.partition}:config:${e.s.env.region}:${e.s.env.account}:config-recorder/${refOf(e)}`);
  const boundaryArns = new Set<string>();
  for (const e of [...of('AWS::IAM::Role'), ...of('AWS::IAM::User')]) {
    const b = e.p.PermissionsBoundary === undefined ? undefined : e.s.resolve(e.p.PermissionsBoundary);
    if (typeof b === 'string') boundaryArns.add(b);
  }
  const boundaries = of('AWS::IAM::ManagedPolicy').filter((e) => boundaryArns.has(refOf(e)))
    .map((e) => ({ ...located(e.s, e.id, e.r), arn: refOf(e), name: refOf(e).replace(/^.*policy\//, ''), policy: managed.get(refOf(e)) as Doc }));

  return {
    env, principals, keys, buckets, tables, trails, logGroups, metricFilters, alarms, rules, topics, vaults, plans, selections,
    functions, endpoints, detectors, analyzers, configRecorders, boundaries, resourceCount,
  };
}

function mergeRw(a: TrailModel['management'], b: 'All' | 'ReadOnly' | 'WriteOnly'): TrailModel['management'] {
  if (a === 'None') return b;
  if (a === b) return a;
  return 'All';
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** A key reference (ARN, id, alias, alias ARN) → the key's ARN in the app; foreign or unknown keys stay as given. */
function normalizeKey(ref: string, env: Environment, index: ReadonlyMap<string, string>): string {
  return index.get(ref) ?? index.get(ref.replace(/^arn:[^:]+:kms:[^:]*:[^:]*:/, '')) ?? (ref.startsWith('arn:') ? ref : `arn:${env.partition}:kms:${env.region}:${env.account}:key/${ref}`);
}

/** The CDK bootstrap roles by their well-known names (`cdk-<qualifier>-deploy-role-<account>-<region>`). */
export function bootstrapKind(roleName: string): PrincipalModel['bootstrap'] {
  const m = /^cdk-[a-z0-9]+-(deploy|cfn-exec|file-publishing|image-publishing|lookup)-role-/.exec(roleName);
  return m ? (m[1] as PrincipalModel['bootstrap']) : undefined;
}
