import type { CfnTemplate } from '../template/load';

/**
 * Resolving CloudFormation intrinsics across the templates of one app, the way CloudFormation would
 * at deployment, with three deliberate choices:
 * - the account, region and partition are the app's (from the cloud assembly manifest or the
 *   caller); for an environment-agnostic app they are fixed placeholders, the same in every stack;
 * - a physical name CloudFormation would generate (a role or bucket without a name) becomes
 *   `<stack>-<logicalId>-generated`: consistent in every reference, so policies naming the resource
 *   by Ref or GetAtt match it, and patterns on a name prefix match as they would the real name;
 * - anything else that cannot be known before deployment (a parameter without a value, an attribute
 *   this file does not know) becomes an {@link UNRESOLVED} marker string naming it. Nothing is guessed:
 *   a decision that reads a marker is UNDECIDABLE.
 */

/** Where an app is deployed: the values of the pseudo parameters. */
export interface Environment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** The placeholder account of an environment-agnostic app (never a real account id). */
export const PLACEHOLDER_ACCOUNT = '000011112222';
export const PLACEHOLDER_REGION = 'us-east-1';

const MARK_OPEN = '<unresolved ';
/** Matches every unresolved marker inside a string. */
export const UNRESOLVED = /<unresolved [^>]*>/g;

export function unresolved(what: string): string {
  return `${MARK_OPEN}${what.replace(/[<>]/g, '')}>`;
}

export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes(MARK_OPEN);
}

/** Every unresolved marker anywhere inside a JSON value, de-duplicated, in order of appearance. */
export function unresolvedIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(UNRESOLVED)) found.add(m[0]);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return [...found];
}

/** One stack of the app: its template and where it is deployed. */
export interface StackTemplate {
  /** The stack name (from the manifest, or the file name). */
  readonly stackName: string;
  /** The file the template was read from. */
  readonly file: string;
  readonly template: CfnTemplate;
  readonly env: Environment;
  /** The CDK bootstrap stack (CDKToolkit): its roles are replayed, its assets bucket is not a data store. */
  readonly bootstrap?: boolean;
}

type Json = unknown;
type Resource = CfnTemplate['Resources'][string];

const REMOVE = Symbol('AWS::NoValue');

/** The name CloudFormation would give a resource that names none: stable, marked as generated. */
export function generatedName(stackName: string, logicalId: string, lowercase = false): string {
  const n = `${stackName}-${logicalId}-generated`;
  return lowercase ? n.toLowerCase() : n;
}

function str(v: Json): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The resolver of one stack; cross-stack references (exports, stack outputs) go through the app. */
export class StackResolver {
  private readonly cache = new Map<string, Json>();

  constructor(readonly stack: StackTemplate, private readonly app: AppResolver) {}

  get env(): Environment {
    return this.stack.env;
  }

  /** Resolves a value: every intrinsic replaced by its value or by an unresolved marker. */
  resolve(value: Json): Json {
    const r = this.walk(value);
    return r === REMOVE ? undefined : r;
  }

  /** Resolves to a string; a non-string value becomes a marker naming what it was. */
  resolveString(value: Json): string {
    const r = this.resolve(value);
    if (typeof r === 'string') return r;
    if (typeof r === 'number' || typeof r === 'boolean') return String(r);
    return unresolved(`non-string ${JSON.stringify(r)?.slice(0, 60)}`);
  }

  resource(logicalId: string): Resource | undefined {
    return this.stack.template.Resources[logicalId];
  }

  private walk(v: Json): Json | typeof REMOVE {
    if (Array.isArray(v)) {
      const out: Json[] = [];
      for (const x of v) {
        const r = this.walk(x);
        if (r !== REMOVE) out.push(r);
      }
      return out;
    }
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, Json>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], o[keys[0]]);
    }
    const out: Record<string, Json> = {};
    for (const k of keys) {
      const r = this.walk(o[k]);
      if (r !== REMOVE) out[k] = r;
    }
    return out;
  }

  private intrinsic(fn: string, arg: Json): Json | typeof REMOVE {
    switch (fn) {
      case 'Ref': return this.ref(arg);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : [];
        const a = this.walk(attr);
        if (typeof id !== 'string' || typeof a !== 'string') return unresolved(`Fn::GetAtt ${JSON.stringify(arg)}`);
        return this.getAtt(id, a);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved(`Fn::Join ${JSON.stringify(arg)}`);
        const sep = this.walk(arg[0]);
        const parts = this.walk(arg[1]);
        if (typeof sep !== 'string' || !Array.isArray(parts)) return unresolved('Fn::Join of a non-list');
        return parts.map((p) => (typeof p === 'string' || typeof p === 'number' ? String(p) : unresolved(`Fn::Join part ${JSON.stringify(p)}`))).join(sep);
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved(`Fn::Select ${JSON.stringify(arg)}`);
        const i = Number(this.walk(arg[0]));
        const list = this.walk(arg[1]);
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) return unresolved(`Fn::Select ${JSON.stringify(arg)}`);
        return list[i];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved(`Fn::Split ${JSON.stringify(arg)}`);
        const sep = this.walk(arg[0]);
        const s = this.walk(arg[1]);
        if (typeof sep !== 'string' || typeof s !== 'string' || isUnresolved(s)) return [unresolved(`Fn::Split ${JSON.stringify(arg)}`)];
        return s.split(sep);
      }
      case 'Fn::ImportValue': {
        const name = this.walk(arg);
        return typeof name === 'string' ? this.app.importValue(name) : unresolved(`Fn::ImportValue ${JSON.stringify(arg)}`);
      }
      case 'Fn::GetStackOutput': {
        const a = arg as { StackName?: Json; OutputName?: Json };
        const s = this.walk(a?.StackName);
        const n = this.walk(a?.OutputName);
        return typeof s === 'string' && typeof n === 'string' ? this.app.stackOutput(s, n) : unresolved(`Fn::GetStackOutput ${JSON.stringify(arg)}`);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return unresolved(`Fn::If ${JSON.stringify(arg)}`);
        const c = this.condition(arg[0]);
        if (c === undefined) return unresolved(`Fn::If on condition ${arg[0]}`);
        return this.walk(c ? arg[1] : arg[2]);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return unresolved(`Fn::FindInMap ${JSON.stringify(arg)}`);
        const [m, k1, k2] = arg.slice(0, 3).map((x) => this.walk(x));
        const maps = (this.stack.template.Mappings ?? {}) as Record<string, Record<string, Record<string, Json>>>;
        const hit = typeof m === 'string' && typeof k1 === 'string' && typeof k2 === 'string' ? maps[m]?.[k1]?.[k2] : undefined;
        return hit === undefined ? unresolved(`Fn::FindInMap ${JSON.stringify(arg)}`) : this.walk(hit);
      }
      case 'Fn::Base64': return this.walk(arg);
      case 'Fn::GetAZs': return [`${this.env.region}a`, `${this.env.region}b`];
      default: return unresolved(`${fn} ${JSON.stringify(arg)?.slice(0, 80)}`);
    }
  }

  /** A condition's value; undefined when it reads something unknown. */
  condition(name: string): boolean | undefined {
    const conds = (this.stack.template.Conditions ?? {}) as Record<string, Json>;
    if (!(name in conds)) return undefined;
    return this.conditionValue(conds[name], new Set([name]));
  }

  private conditionValue(v: Json, seen: Set<string>): boolean | undefined {
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, Json>;
    if ('Condition' in o && typeof o.Condition === 'string') {
      if (seen.has(o.Condition)) return undefined;
      const conds = (this.stack.template.Conditions ?? {}) as Record<string, Json>;
      return this.conditionValue(conds[o.Condition], new Set([...seen, o.Condition]));
    }
    const args = (k: string): Json[] => (Array.isArray(o[k]) ? (o[k] as Json[]) : []);
    if ('Fn::Equals' in o) {
      const [a, b] = args('Fn::Equals').map((x) => this.walk(x));
      if (isUnresolved(a) || isUnresolved(b)) return undefined;
      return JSON.stringify(a) === JSON.stringify(b);
    }
    if ('Fn::Not' in o) {
      const r = this.conditionValue(args('Fn::Not')[0], seen);
      return r === undefined ? undefined : !r;
    }
    if ('Fn::And' in o || 'Fn::Or' in o) {
      const rs = args('Fn::And' in o ? 'Fn::And' : 'Fn::Or').map((x) => this.conditionValue(x, seen));
      if (rs.some((r) => r === undefined)) return undefined;
      return 'Fn::And' in o ? rs.every(Boolean) : rs.some(Boolean);
    }
    return undefined;
  }

  private sub(arg: Json): Json {
    const [text, vars] = Array.isArray(arg) ? [arg[0], (arg[1] ?? {}) as Record<string, Json>] : [arg, {} as Record<string, Json>];
    if (typeof text !== 'string') return unresolved(`Fn::Sub ${JSON.stringify(arg)}`);
    return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in vars) {
        const v = this.walk(vars[name]);
        return typeof v === 'string' || typeof v === 'number' ? String(v) : unresolved(`Fn::Sub variable ${name}`);
      }
      const dot = name.indexOf('.');
      const v = dot > 0 && !name.startsWith('AWS::') ? this.getAtt(name.slice(0, dot), name.slice(dot + 1)) : this.ref(name);
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : unresolved(`Fn::Sub ${whole}`);
    });
  }

  ref(name: Json): Json | typeof REMOVE {
    if (typeof name !== 'string') return unresolved(`Ref ${JSON.stringify(name)}`);
    const env = this.env;
    switch (name) {
      case 'AWS::AccountId': return env.account;
      case 'AWS::Region': return env.region;
      case 'AWS::Partition': return env.partition;
      case 'AWS::URLSuffix': return env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName': return this.stack.stackName;
      case 'AWS::StackId': return `arn:${env.partition}:cloudformation:${env.region}:${env.account}:stack/${this.stack.stackName}/generated`;
      case 'AWS::NoValue': return REMOVE;
      case 'AWS::NotificationARNs': return [];
      default: break;
    }
    const params = this.stack.template.Parameters ?? {};
    if (name in params) {
      const given = this.app.parameter(this.stack.stackName, name);
      if (given !== undefined) {
        const type = String(params[name]?.Type ?? 'String');
        return type === 'CommaDelimitedList' || type.startsWith('List<') ? given.split(',').map((x) => x.trim()) : given;
      }
      const d = params[name]?.Default;
      const type = String(params[name]?.Type ?? 'String');
      // An SSM parameter's default names the parameter, not its value.
      if (d === undefined || type.startsWith('AWS::SSM::')) return unresolved(`parameter ${name}`);
      // List parameters are lists: CommaDelimitedList '' is [''], as CloudFormation splits it.
      return type === 'CommaDelimitedList' || type.startsWith('List<') ? String(d).split(',').map((x) => x.trim()) : d;
    }
    const key = `Ref ${name}`;
    if (!this.cache.has(key)) this.cache.set(key, this.physicalRef(name));
    return this.cache.get(key);
  }

  private name(id: string, prop: string, lowercase = false): string {
    const r = this.resource(id);
    const given = r?.Properties?.[prop];
    if (given !== undefined) return this.resolveString(given);
    return generatedName(this.stack.stackName, id, lowercase);
  }

  private arn(service: string, resource: string, region = true, account = true): string {
    const e = this.env;
    return `arn:${e.partition}:${service}:${region ? e.region : ''}:${account ? e.account : ''}:${resource}`;
  }

  private iamPath(id: string): string {
    const p = this.resource(id)?.Properties?.Path;
    const path = p === undefined ? '/' : this.resolveString(p);
    return path.endsWith('/') ? path : `${path}/`;
  }

  /** The value of `Ref` on a resource, by type. */
  private physicalRef(id: string): Json {
    const r = this.resource(id);
    if (!r) return unresolved(`Ref ${id} (no such resource or parameter)`);
    switch (r.Type) {
      case 'AWS::IAM::Role': return this.name(id, 'RoleName');
      case 'AWS::IAM::Group': return this.name(id, 'GroupName');
      case 'AWS::IAM::User': return this.name(id, 'UserName');
      case 'AWS::IAM::ManagedPolicy': return this.getAtt(id, 'PolicyArn');
      case 'AWS::IAM::Policy': return generatedName(this.stack.stackName, id);
      case 'AWS::IAM::InstanceProfile': return this.name(id, 'InstanceProfileName');
      case 'AWS::S3::Bucket': return this.name(id, 'BucketName', true);
      case 'AWS::KMS::Key': return `${id.toLowerCase()}-key-id-generated`;
      case 'AWS::KMS::Alias': return this.resolveString(r.Properties?.AliasName);
      case 'AWS::SNS::Topic': return this.getAtt(id, 'TopicArn');
      case 'AWS::SNS::Subscription': return `${this.getAtt(id, 'TopicArn')}:generated`;
      case 'AWS::SQS::Queue': return `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${this.name(id, 'QueueName')}`;
      case 'AWS::Logs::LogGroup': return this.name(id, 'LogGroupName');
      case 'AWS::Logs::MetricFilter': return this.name(id, 'FilterName');
      case 'AWS::DynamoDB::Table': return this.name(id, 'TableName');
      case 'AWS::DynamoDB::GlobalTable': return this.name(id, 'TableName');
      case 'AWS::Lambda::Function': return this.name(id, 'FunctionName');
      case 'AWS::CloudTrail::Trail': return this.name(id, 'TrailName');
      case 'AWS::Events::Rule': return this.name(id, 'Name');
      case 'AWS::CloudWatch::Alarm': return this.name(id, 'AlarmName');
      case 'AWS::Backup::BackupVault': return this.name(id, 'BackupVaultName');
      case 'AWS::Backup::BackupPlan': return `${id.toLowerCase()}-plan-id-generated`;
      case 'AWS::Backup::BackupSelection': return `${id.toLowerCase()}-selection-id-generated`;
      case 'AWS::GuardDuty::Detector': return `${id.toLowerCase()}-detector-id-generated`;
      case 'AWS::SecretsManager::Secret': return this.arn('secretsmanager', `secret:${this.name(id, 'Name')}-generated`);
      case 'AWS::AccessAnalyzer::Analyzer': return this.getAtt(id, 'Arn');
      case 'AWS::EC2::VPCEndpoint': return `vpce-${id.toLowerCase()}`;
      case 'AWS::EC2::VPC': return `vpc-${id.toLowerCase()}`;
      case 'AWS::EC2::SecurityGroup': return `sg-${id.toLowerCase()}`;
      case 'AWS::EC2::Subnet': return `subnet-${id.toLowerCase()}`;
      default: return `${r.Type}/${this.stack.stackName}/${id}`;
    }
  }

  getAtt(id: string, attr: string): Json {
    const r = this.resource(id);
    if (!r) return unresolved(`Fn::GetAtt ${id}.${attr} (no such resource)`);
    const key = `${id}.${attr}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const v = this.attribute(id, r, attr);
    this.cache.set(key, v);
    return v;
  }

  private attribute(id: string, r: Resource, attr: string): Json {
    const ref = (): string => str(this.ref(id)) ?? unresolved(`Ref ${id}`);
    const t = `${r.Type}.${attr}`;
    switch (t) {
      case 'AWS::IAM::Role.Arn': return this.arn('iam', `role${this.iamPath(id)}${ref()}`, false);
      case 'AWS::IAM::Role.RoleId': return `AROA${id.toUpperCase()}`;
      case 'AWS::IAM::Group.Arn': return this.arn('iam', `group${this.iamPath(id)}${ref()}`, false);
      case 'AWS::IAM::User.Arn': return this.arn('iam', `user${this.iamPath(id)}${ref()}`, false);
      case 'AWS::IAM::ManagedPolicy.PolicyArn': return this.arn('iam', `policy${this.iamPath(id)}${this.name(id, 'ManagedPolicyName')}`, false);
      case 'AWS::IAM::InstanceProfile.Arn': return this.arn('iam', `instance-profile${this.iamPath(id)}${ref()}`, false);
      case 'AWS::S3::Bucket.Arn': return `arn:${this.env.partition}:s3:::${ref()}`;
      case 'AWS::S3::Bucket.DomainName': return `${ref()}.s3.amazonaws.com`;
      case 'AWS::S3::Bucket.RegionalDomainName': return `${ref()}.s3.${this.env.region}.amazonaws.com`;
      case 'AWS::KMS::Key.Arn': return this.arn('kms', `key/${ref()}`);
      case 'AWS::KMS::Key.KeyId': return ref();
      case 'AWS::SNS::Topic.TopicArn': return this.arn('sns', this.name(id, 'TopicName'));
      case 'AWS::SNS::Topic.TopicName': return this.name(id, 'TopicName');
      case 'AWS::SQS::Queue.Arn': return this.arn('sqs', this.name(id, 'QueueName'));
      case 'AWS::SQS::Queue.QueueName': return this.name(id, 'QueueName');
      case 'AWS::SQS::Queue.QueueUrl': return ref();
      case 'AWS::Logs::LogGroup.Arn': return this.arn('logs', `log-group:${ref()}:*`);
      case 'AWS::DynamoDB::Table.Arn': return this.arn('dynamodb', `table/${ref()}`);
      case 'AWS::DynamoDB::Table.StreamArn': return this.arn('dynamodb', `table/${ref()}/stream/generated`);
      case 'AWS::Lambda::Function.Arn': return this.arn('lambda', `function:${ref()}`);
      case 'AWS::CloudTrail::Trail.Arn': return this.arn('cloudtrail', `trail/${ref()}`);
      case 'AWS::Events::Rule.Arn': return this.arn('events', `rule/${ref()}`);
      case 'AWS::CloudWatch::Alarm.Arn': return this.arn('cloudwatch', `alarm:${ref()}`);
      case 'AWS::Backup::BackupVault.BackupVaultArn': return this.arn('backup', `backup-vault:${ref()}`);
      case 'AWS::Backup::BackupVault.BackupVaultName': return ref();
      case 'AWS::Backup::BackupPlan.BackupPlanArn': return this.arn('backup', `backup-plan:${ref()}`);
      case 'AWS::Backup::BackupPlan.BackupPlanId': return ref();
      case 'AWS::Backup::BackupSelection.SelectionId': return ref();
      case 'AWS::SecretsManager::Secret.Id': return ref();
      case 'AWS::AccessAnalyzer::Analyzer.Arn': return this.arn('access-analyzer', `analyzer/${this.name(id, 'AnalyzerName')}`);
      default: return unresolved(`Fn::GetAtt ${this.stack.stackName}/${id}.${attr} (${r.Type})`);
    }
  }
}

/** Resolvers for every stack of an app, linked by exports and stack outputs. */
export class AppResolver {
  readonly stacks: StackResolver[];
  private exports?: Map<string, { stack: StackResolver; value: Json }>;

  constructor(stacks: readonly StackTemplate[], private readonly parameters: Readonly<Record<string, string>> = {}) {
    this.stacks = stacks.map((s) => new StackResolver(s, this));
  }

  parameter(_stackName: string, name: string): string | undefined {
    return this.parameters[name];
  }

  importValue(name: string): Json {
    if (!this.exports) {
      this.exports = new Map();
      for (const s of this.stacks) {
        for (const o of Object.values((s.stack.template.Outputs ?? {}) as Record<string, { Value?: Json; Export?: { Name?: Json } }>)) {
          if (o?.Export?.Name === undefined) continue;
          const n = s.resolve(o.Export.Name);
          if (typeof n === 'string') this.exports.set(n, { stack: s, value: o.Value });
        }
      }
    }
    const e = this.exports.get(name);
    return e ? e.stack.resolve(e.value) : unresolved(`Fn::ImportValue ${name} (no stack given exports it)`);
  }

  stackOutput(stackName: string, outputName: string): Json {
    const s = this.stacks.filter((x) => x.stack.stackName === stackName);
    const o = s.length === 1 ? ((s[0].stack.template.Outputs ?? {}) as Record<string, { Value?: Json }>)[outputName] : undefined;
    return o ? s[0].resolve(o.Value) : unresolved(`Fn::GetStackOutput ${stackName}.${outputName}`);
  }
}
