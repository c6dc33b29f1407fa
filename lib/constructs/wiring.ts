import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { AlertTopic } from './alert-topic';
import { BackupChangeAlerts } from './backup-change-alerts';
import { CisAlarms } from './cis-alarms';
import { CustomerManagedKey } from './customer-managed-key';
import { GuardDutyDetector } from './guardduty-detector';
import { Heartbeat } from './heartbeat';
import { KillChainAlarms } from './killchain-alarms';
import { LockedBackupVault } from './locked-backup-vault';
import { SecureTrail } from './secure-trail';
import { SecurityAlerts } from './security-alerts';
import { TaggedBackupPlan } from './tagged-backup-plan';

/*
 * How the constructs are put together for each concern — once, for the project's stacks
 * (lib/stacks) and for WorkloadBaseline alike. Each function creates its constructs directly under
 * `scope` with fixed ids, so the stacks that call it with themselves as scope keep their logical ids.
 */

export interface AuditTrailWiringProps {
  /** Alias of the key of the trail, its archive, its log group and the alarm topic. */
  readonly keyAlias: string;
  readonly keyDescription: string;
  /** Services through which the key's named users may use it. @default ['s3'] */
  readonly keyViaServices?: string[];
  /** Days server access logs of the archive are kept. */
  readonly accessLogRetentionDays: number;
  /** A retention period CloudWatch Logs accepts, >= 365. */
  readonly logRetentionDays: number;
  readonly archiveObjectLockDays: number;
  readonly dataEventBuckets?: s3.IBucket[];
  readonly dataEventTables?: dynamodb.ITable[];
  /** Addresses the alarm topic delivers to. */
  readonly emails: readonly string[];
  /** The SCP-protected name prefix (`<stackPrefix>-security-`) of the alarms. */
  readonly namePrefix: string;
  /** Namespace of the kill-chain metrics; the SCP must deny PutMetricData into it. */
  readonly metricNamespace: string;
  /** The role whose every use alarms. */
  readonly breakGlassRoleName: string;
  /**
   * Record management events, and alarm on them (CIS 4.1–4.15, the kill chain, a heartbeat). Off where
   * an organization trail records them: the trail then records data events only, and alarms on a trail
   * that never sees a management event would be theatre. @default true
   */
  readonly managementEvents?: boolean;
  /** Physical names of the trail, its log group, delivery role, archive and alarm topic. @default - generated */
  readonly names?: {
    readonly trailName?: string;
    readonly logGroupName?: string;
    readonly logsRoleName?: string;
    readonly archiveBucketName?: string;
    readonly alarmTopicName?: string;
  };
}

export interface AuditTrailWiring {
  readonly key: CustomerManagedKey;
  readonly accessLogs: AccessLogBucket;
  readonly trail: SecureTrail;
  /** The topic of the CloudWatch alarms, encrypted with the trail's key. */
  readonly alarmTopic: sns.Topic;
  /** The CIS and kill-chain alarms and the trail's heartbeat (none when management events are off). */
  readonly monitoring?: { readonly cis: CisAlarms; readonly killChain: KillChainAlarms; readonly heartbeat: Heartbeat };
}

/**
 * The audit trail (L7): a customer-managed key, the archive's access-log bucket, a SecureTrail, the
 * alarm topic under the trail's key, and — with management events — the CIS 4.1–4.15 alarms, the
 * kill-chain alarms and the trail's heartbeat on its log group. Ids: LogsKey, AccessLogs, Trail,
 * AlertTopic, CisAlarms, KillChainAlarms, TrailHeartbeat.
 */
export function auditTrailWiring(scope: Construct, props: AuditTrailWiringProps): AuditTrailWiring {
  const names = props.names ?? {};
  const key = new CustomerManagedKey(scope, 'LogsKey', {
    alias: props.keyAlias,
    description: props.keyDescription,
    viaServices: props.keyViaServices ?? ['s3'],
  });
  const accessLogs = new AccessLogBucket(scope, 'AccessLogs', { retentionDays: props.accessLogRetentionDays });
  const trail = new SecureTrail(scope, 'Trail', {
    key,
    accessLogBucket: accessLogs.bucket,
    logRetentionDays: props.logRetentionDays,
    archiveObjectLockDays: props.archiveObjectLockDays,
    dataEventBuckets: props.dataEventBuckets,
    dataEventTables: props.dataEventTables,
    trailName: names.trailName,
    logGroupName: names.logGroupName,
    logsRoleName: names.logsRoleName,
    archiveBucketName: names.archiveBucketName,
    managementEvents: props.managementEvents,
  });
  // AlertTopic admits CloudWatch and EventBridge to the key for the alarm topic.
  const alarmTopic = new AlertTopic(scope, 'AlertTopic', {
    key: key.key, emails: props.emails, displayName: 'Security alarms: CIS 4.1-4.15, kill chain, heartbeats', topicName: names.alarmTopicName,
  }).topic;
  if (props.managementEvents === false) return { key, accessLogs, trail, alarmTopic };
  const prefix = props.namePrefix;
  const cis = new CisAlarms(scope, 'CisAlarms', { logGroup: trail.logGroup, topic: alarmTopic, alarmNamePrefix: prefix });
  const killChain = new KillChainAlarms(scope, 'KillChainAlarms', {
    logGroup: trail.logGroup, topic: alarmTopic, alarmNamePrefix: prefix,
    metricNamespace: props.metricNamespace, breakGlassRoleName: props.breakGlassRoleName,
  });
  const heartbeat = Heartbeat.ofLogGroup(scope, 'TrailHeartbeat', {
    logGroup: trail.logGroup, topic: alarmTopic, alarmName: `${prefix}trail-heartbeat`,
    description: 'no CloudTrail event reached the trail\'s log group (trail stopped, log group, delivery role or key broken)',
  });
  return { key, accessLogs, trail, alarmTopic, monitoring: { cis, killChain, heartbeat } };
}

export interface DetectionWiringProps {
  /** Adopt the account's existing GuardDuty detector instead of creating one. */
  readonly adoptExistingDetector: boolean;
  /** Addresses the alert topic delivers to. */
  readonly emails: readonly string[];
  /** The SCP-protected name prefix of the rules and the topic. */
  readonly namePrefix: string;
  /** @default SecurityAlerts' default */
  readonly keyAlias?: string;
  readonly breakGlassRoleName: string;
  /** Where the alarms on the rules' FailedInvocations go: a topic under another key. @default - the alert topic */
  readonly failureTopic?: sns.ITopic;
}

/**
 * Malware is seen (L3) and response starts in minutes (L9): the GuardDuty detector (created or
 * adopted, every protection plan, 15-minute publishing) and SecurityAlerts routing high-severity
 * findings and risky sign-ins to an encrypted topic. Ids: GuardDuty, Alerts.
 */
export function detectionWiring(scope: Construct, props: DetectionWiringProps): { detector: GuardDutyDetector; alerts: SecurityAlerts } {
  const detector = new GuardDutyDetector(scope, 'GuardDuty', { adoptExisting: props.adoptExistingDetector, findingPublishingFrequency: 'FIFTEEN_MINUTES' });
  const alerts = new SecurityAlerts(scope, 'Alerts', {
    emails: props.emails, namePrefix: props.namePrefix, keyAlias: props.keyAlias,
    breakGlassRoleName: props.breakGlassRoleName, failureTopic: props.failureTopic,
  });
  return { detector, alerts };
}

export interface RecoveryWiringProps {
  /** @default - generated */
  readonly vaultName?: string;
  readonly vaultLockMinRetentionDays: number;
  readonly vaultLockMaxRetentionDays: number;
  readonly vaultLockChangeableForDays: number;
  /** ARNs of the roles that may use the vault's key through AWS Backup. @default - none */
  readonly vaultKeyUserArns?: string[];
  /** Name of the role AWS Backup uses. @default - generated */
  readonly backupRoleName?: string;
  /** The plan; omit for a copy-destination vault alone. */
  readonly plan?: {
    readonly dailyRetentionDays: number;
    readonly monthlyRetentionDays: number;
    readonly copyToVault?: backup.IBackupVault;
    readonly crossAccountCopyVault?: backup.IBackupVault;
  };
  /** Alert on every change of plans, selections, the vault lock and recovery points. @default - no alert */
  readonly alerts?: { readonly topic: sns.ITopic; readonly failureTopic?: sns.ITopic; readonly namePrefix: string };
}

/**
 * Recovery without paying (L8): a LockedBackupVault, alerts on every backup change, and a
 * TaggedBackupPlan into the vault whose retentions are checked against the lock's bounds.
 * Ids: Vault, BackupChangeAlerts, Plan.
 */
export function recoveryWiring(scope: Construct, props: RecoveryWiringProps): { vault: LockedBackupVault; plan?: TaggedBackupPlan; alerts?: BackupChangeAlerts } {
  const lock = { min: props.vaultLockMinRetentionDays, max: props.vaultLockMaxRetentionDays };
  const vault = new LockedBackupVault(scope, 'Vault', {
    vaultName: props.vaultName,
    minRetentionDays: lock.min,
    maxRetentionDays: lock.max,
    changeableForDays: props.vaultLockChangeableForDays,
    keyUserArns: props.vaultKeyUserArns,
  });
  const alerts = props.alerts ? new BackupChangeAlerts(scope, 'BackupChangeAlerts', props.alerts) : undefined;
  const plan = props.plan ? new TaggedBackupPlan(scope, 'Plan', {
    vault: vault.vault,
    dailyRetentionDays: props.plan.dailyRetentionDays,
    monthlyRetentionDays: props.plan.monthlyRetentionDays,
    lockRetentionDays: lock,
    copyToVault: props.plan.copyToVault,
    crossAccountCopyVault: props.plan.crossAccountCopyVault,
    roleName: props.backupRoleName,
  }) : undefined;
  return { vault, plan, alerts };
}
