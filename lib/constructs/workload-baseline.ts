import { AspectPriority, Aspects, IAspect, Names, Stack, Tags, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { CONTEXT_PREFIX, ConfigError, HardeningConfig, parseConfig } from '../config/config';
import { SecurityResourceNames, securityResourceNamesUnder } from '../config/security-names';
import { securityNamePrefix } from '../policies';
import { alertEmailsOrParameter } from './alert-topic';
import { BACKUP_RULE_SUFFIX } from './backup-change-alerts';
import { CustomerManagedKey } from './customer-managed-key';
import { applyPermissionsBoundary } from './permissions-boundary-aspect';
import { PiiBucket } from './pii-bucket';
import { PiiTable } from './pii-table';
import { SECURITY_EVENT_PATTERNS, killChainEventPatterns } from './security-alerts';
import { SecurityAutomation } from './security-automation';
import { BACKUP_TAG } from './tags';
import { AuditTrailWiring, auditTrailWiring, detectionWiring, recoveryWiring } from './wiring';

/**
 * The configuration keys WorkloadBaseline takes as props: the same names, defaults (lib/config
 * DEFAULTS) and validation as the `hardening:` keys of cdk.json (docs/configuration.md).
 */
export const WORKLOAD_BASELINE_SETTINGS = [
  'stackPrefix', 'alertEmails', 'adoptExistingDetector', 'breakGlassRoleName', 'pipelineRoleName',
  'logRetentionDays', 'archiveObjectLockDays', 'backupDailyRetentionDays', 'backupMonthlyRetentionDays',
  'vaultLockMinRetentionDays', 'vaultLockMaxRetentionDays', 'vaultLockChangeableForDays',
] as const;

export type WorkloadBaselineSettings = Partial<Pick<HardeningConfig, typeof WORKLOAD_BASELINE_SETTINGS[number]>>;

export interface WorkloadBaselineProps extends WorkloadBaselineSettings {
  /**
   * PII buckets to protect besides the PiiBuckets of this stack, which are found without being named
   * (e.g. a bucket of another stack): tagged for the backup plan, object-level events recorded.
   * @default - only the stack's PiiBuckets
   */
  readonly buckets?: s3.IBucket[];
  /** PII tables to protect besides the PiiTables of this stack. @default - only the stack's PiiTables */
  readonly tables?: dynamodb.ITable[];
  /**
   * ARN of a multi-region trail that already records this account's management events (an
   * organization trail, or the trail of another stack) and their CIS alarms. The baseline's own trail
   * then records only the data events of the PII stores — no second, billed copy of management events —
   * and the deployment looks the trail up (`cloudtrail:GetTrail`), failing when it does not exist.
   * The pack cannot see that trail's alarms: acknowledge LOG-ALARMS (BreachLessons-CloudTrailCisAlarms)
   * on the baseline with acknowledgeLesson, naming who runs them (docs/stacks.md).
   * @default - the baseline's trail records management events too, with the CIS and kill-chain alarms
   */
  readonly existingTrailArn?: string;
}

/** The EventBridge limit on rule names. */
const MAX_RULE_NAME = 64;
/** AWS Backup's limit on vault names. */
const MAX_VAULT_NAME = 50;
/** SecurityAlerts' limit on its name prefix. */
const MAX_ALERTS_PREFIX = 40;
const VAULT_SUFFIX = 'locked-vault';
/** The shortest stack part of the names (Names.uniqueResourceName keeps an 8-character hash). */
const MIN_STACK_PART = 8;

/** The longest suffix a rule of the baseline appends to the name prefix. */
function longestRuleSuffix(): number {
  return Math.max(...[...Object.keys(SECURITY_EVENT_PATTERNS), ...Object.keys(killChainEventPatterns('x')), BACKUP_RULE_SUFFIX].map((s) => s.length));
}

/**
 * The prefix of the baseline's physical names: `<stackPrefix>-security-<stack>-`. It starts with the
 * prefix the permissions boundary and the SCPs protect (`{{SecurityNamePrefix}}*`), and names the stack,
 * so baselines of different stacks never collide. A stack name too long for the name limits is
 * shortened with a hash (Names.uniqueResourceName).
 */
export function workloadBaselineNamePrefix(scope: Construct, stackPrefix: string): string {
  const base = securityNamePrefix(stackPrefix);
  const max = Math.min(MAX_RULE_NAME - longestRuleSuffix(), MAX_VAULT_NAME - VAULT_SUFFIX.length, MAX_ALERTS_PREFIX);
  const room = max - base.length - 1;
  if (room < MIN_STACK_PART) {
    throw new Error(`${scope.node.path}: stackPrefix '${stackPrefix}' leaves ${Math.max(room, 0)} characters of the ${max}-character name prefix for the stack part (at least ${MIN_STACK_PART}): use a stackPrefix of at most ${max - MIN_STACK_PART - 1 - '-security-'.length} characters`);
  }
  const stackName = Stack.of(scope).stackName;
  const part = stackName.length <= room ? stackName : Names.uniqueResourceName(scope, { maxLength: room, separator: '' });
  return `${base}${part}-`;
}

/** The settings, validated and completed with the defaults exactly as cdk.json's `hardening:` keys are. */
function parseSettings(path: string, props: WorkloadBaselineSettings): HardeningConfig {
  const given = WORKLOAD_BASELINE_SETTINGS.filter((k) => props[k] !== undefined).map((k) => [CONTEXT_PREFIX + k, props[k]]);
  try {
    return parseConfig(Object.fromEntries(given));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new Error(`${path}: invalid WorkloadBaseline props:\n${e.problems.map((p) => `  - ${p.key.slice(CONTEXT_PREFIX.length)}=${JSON.stringify(p.value)}: ${p.message}`).join('\n')}`);
  }
}

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/;

/** The CustomerManagedKey a key belongs to, when it is one of this library (its policy can name more users). */
function customerManagedKeyOf(key: kms.IKey | undefined): CustomerManagedKey | undefined {
  const owner = key?.node.scope;
  return owner instanceof CustomerManagedKey ? owner : undefined;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * The one construct a workload stack adds to meet the lessons that need more than its data stores
 * (app-level controls, docs/stacks.md): for the PII buckets and tables of the stack (found at synthesis,
 * wherever they are added) and any named in props —
 * - recovery without paying (L8, BAK-VAULTLOCK): a backup vault locked in compliance mode under its own
 *   customer-managed key, a daily and monthly plan selecting every resource tagged `hardening:backup`
 *   (the Pii constructs tag themselves; stores named in props are tagged), the backup role named as a
 *   user of the stores' CustomerManagedKeys and of the vault key, alerts on every backup change;
 * - a record of who read the data (L6/L7, EXF-DATAEVENTS, LOG-TRAIL): a multi-region SecureTrail with
 *   data-event selectors naming every store, its archive under object lock, the CIS 4.1–4.15 and
 *   kill-chain alarms and a heartbeat on its log group — or data events only, beside an existing trail;
 * - detection and response (L3, L9, GD-ENABLED, IR-ROUTING): a GuardDuty detector with every protection
 *   plan (or the adoption of the existing one) and SecurityAlerts routing high-severity findings and
 *   risky sign-ins to an encrypted topic subscribed by the alert address (the `AlertEmail` parameter
 *   at deploy time unless `alertEmails` is given);
 * - a stolen credential opens little (L2, IAM-LEASTPRIV): the permissions boundary on every role of the stack.
 *
 * Names are under `<stackPrefix>-security-<stack>-`, which the boundary and the SCPs protect. Keys,
 * vault, trail, archive and log groups are retained. One per stack: a region holds one detector.
 */
export class WorkloadBaseline extends Construct {
  /** The validated settings, defaults filled in. */
  public readonly settings: HardeningConfig;
  /** The physical names of the baseline; `names.prefix` starts every one of them. */
  public readonly names: SecurityResourceNames;
  public readonly audit: AuditTrailWiring;
  public readonly detection: ReturnType<typeof detectionWiring>;
  public readonly recovery: ReturnType<typeof recoveryWiring>;
  /** The role AWS Backup uses: a named user of the vault key and of the stores' CustomerManagedKeys. */
  public readonly backupRole: iam.IRole;
  /** The lookup of `existingTrailArn`, when given. */
  public readonly existingTrailLookup?: cr.AwsCustomResource;
  private readonly extraBuckets: s3.IBucket[];
  private readonly extraTables: dynamodb.ITable[];
  private protectedStores?: { readonly buckets: s3.IBucket[]; readonly tables: dynamodb.ITable[] };

  constructor(scope: Construct, id: string, props: WorkloadBaselineProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const other = stack.node.findAll().find((c) => c instanceof WorkloadBaseline && c !== this);
    if (other) throw new Error(`${this.node.path}: stack ${stack.stackName} already has a WorkloadBaseline (${other.node.path}); add one per stack (an account region holds one GuardDuty detector)`);
    this.settings = parseSettings(this.node.path, props);
    const s = this.settings;
    const existingTrail = props.existingTrailArn;
    if (existingTrail !== undefined && !Token.isUnresolved(existingTrail) && !TRAIL_ARN.test(existingTrail)) {
      throw new Error(`${this.node.path}: existingTrailArn must be a trail ARN (arn:aws:cloudtrail:<region>:<account>:trail/<name>), got '${existingTrail}'`);
    }
    this.names = securityResourceNamesUnder(workloadBaselineNamePrefix(this, s.stackPrefix));
    const n = this.names;
    const emails = alertEmailsOrParameter(this, s.alertEmails);

    this.audit = auditTrailWiring(this, {
      keyAlias: `hardening/${n.prefix}logs`,
      keyDescription: 'encrypts the workload\'s audit trail, its archive, its log group and the alarm topic',
      accessLogRetentionDays: s.logRetentionPeriod,
      logRetentionDays: s.logRetentionPeriod,
      archiveObjectLockDays: s.archiveObjectLockDays,
      emails,
      namePrefix: n.prefix,
      metricNamespace: n.metricNamespace,
      breakGlassRoleName: s.breakGlassRoleName,
      managementEvents: existingTrail === undefined,
      names: { trailName: n.trailName, logGroupName: n.trailLogGroupName, alarmTopicName: n.alarmTopicName },
    });
    // Rule failures go to the alarm topic, under the trail's key: not the key that may be failing.
    this.detection = detectionWiring(this, {
      adoptExistingDetector: s.adoptExistingDetector, emails, namePrefix: n.prefix, keyAlias: `hardening/${n.prefix}alerts`,
      breakGlassRoleName: s.breakGlassRoleName, failureTopic: this.audit.alarmTopic,
    });
    this.recovery = recoveryWiring(this, {
      vaultName: `${n.prefix}${VAULT_SUFFIX}`,
      vaultLockMinRetentionDays: s.vaultLockMinRetentionDays,
      vaultLockMaxRetentionDays: s.vaultLockMaxRetentionDays,
      vaultLockChangeableForDays: s.vaultLockChangeableForDays,
      plan: { dailyRetentionDays: s.backupDailyRetentionDays, monthlyRetentionDays: s.backupMonthlyRetentionDays },
      alerts: { topic: this.detection.alerts.topic, failureTopic: this.audit.alarmTopic, namePrefix: n.prefix },
    });
    const role = this.recovery.plan?.role;
    if (!role) throw new Error(`${this.node.path}: the backup plan has no role to name as a key user`);
    this.backupRole = role;
    this.recovery.vault.customerManagedKey?.addUsers(role.roleArn);

    if (existingTrail !== undefined) {
      const lookup: cr.AwsSdkCall = {
        service: 'CloudTrail',
        action: 'getTrail',
        parameters: { Name: existingTrail },
        physicalResourceId: cr.PhysicalResourceId.of(existingTrail),
        outputPaths: ['Trail.TrailARN'],
      };
      this.existingTrailLookup = SecurityAutomation.of(this).call(this, 'ExistingTrail', {
        resourceType: 'Custom::ExistingTrailLookup',
        onCreate: lookup,
        onUpdate: lookup,
        statements: [new iam.PolicyStatement({ actions: ['cloudtrail:GetTrail'], resources: [existingTrail] })],
      }).resource;
    }

    this.extraBuckets = [...(props.buckets ?? [])];
    this.extraTables = [...(props.tables ?? [])];
    // Named stores are tagged now (a tag added while aspects run would not be applied).
    for (const store of [...this.extraBuckets, ...this.extraTables]) Tags.of(store).add(BACKUP_TAG.key, BACKUP_TAG.value);
    // The stack's own stores are found once every construct exists: when synthesis visits the stack.
    const aspect: IAspect = { visit: (node: IConstruct) => { if (node === stack) this.protectStores(); } };
    Aspects.of(stack).add(aspect, { priority: AspectPriority.MUTATING });
    applyPermissionsBoundary(stack, { stackPrefix: s.stackPrefix, pipelineRoleName: s.pipelineRoleName, breakGlassRoleName: s.breakGlassRoleName });
  }

  /** The buckets and tables the baseline protects; known once synthesis has visited the stack. */
  public get stores(): { readonly buckets: readonly s3.IBucket[]; readonly tables: readonly dynamodb.ITable[] } {
    if (!this.protectedStores) throw new Error(`${this.node.path}: the protected stores are known only after synthesis has visited the stack`);
    return this.protectedStores;
  }

  private protectStores(): void {
    if (this.protectedStores) return;
    const all = Stack.of(this).node.findAll();
    const buckets = unique([...this.extraBuckets, ...all.filter((c): c is PiiBucket => c instanceof PiiBucket).map((b) => b.bucket)]);
    const tables = unique([...this.extraTables, ...all.filter((c): c is PiiTable => c instanceof PiiTable).map((t) => t.table)]);
    if (!this.audit.monitoring && buckets.length + tables.length === 0) {
      throw new Error(`${this.node.path}: with existingTrailArn the baseline's trail records only the data events of PII stores, and the stack has none: add a PiiBucket or PiiTable, or name stores in buckets/tables`);
    }
    this.protectedStores = { buckets, tables };
    this.audit.trail.addDataEvents(buckets, tables);
    // AWS Backup reads the stores through S3 and DynamoDB with its role: name it as a user of their keys.
    for (const key of unique([...buckets.map((b) => b.encryptionKey), ...tables.map((t) => t.encryptionKey)])) {
      customerManagedKeyOf(key)?.addUsers(this.backupRole.roleArn);
    }
  }
}
