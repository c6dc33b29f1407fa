import { securityNamePrefix } from '../policies';

/**
 * The physical names of the detection pipeline, computed once from the stack prefix, so that the
 * protect-security-services SCP and the permissions boundary (which match `{{SecurityNamePrefix}}*`
 * and `{{SecurityBucketPrefix}}*`) and the replay engine find exactly what the stacks build.
 * docs/killchain-protected-resources.md lists what must be protected on each.
 */
export interface SecurityResourceNames {
  /** `<stackPrefix>-security-`: alarms, rules, topics, log group, trail, delivery role, metric namespace. */
  readonly prefix: string;
  /** Lower-case prefix for S3 bucket names (S3 refuses upper case; ARN matching is case-sensitive). */
  readonly bucketPrefix: string;
  readonly trailName: string;
  readonly trailLogGroupName: string;
  /** The role CloudTrail uses to deliver to the log group. */
  readonly trailLogsRoleName: string;
  /** The archive bucket, without the account id suffix the stack appends. */
  readonly archiveBucketNamePrefix: string;
  /** Topic of CloudWatch alarms (logging stack). */
  readonly alarmTopicName: string;
  /** Topic of EventBridge rules (detection stack). */
  readonly alertTopicName: string;
  /** Namespace of the kill-chain metric filters and the tamper heartbeat. */
  readonly metricNamespace: string;
}

/** The lower-case bucket name prefix the SCPs protect, from the stack prefix. */
export function securityBucketPrefix(stackPrefix: string): string {
  return securityNamePrefix(stackPrefix).toLowerCase();
}

export function securityResourceNames(stackPrefix: string): SecurityResourceNames {
  return securityResourceNamesUnder(securityNamePrefix(stackPrefix));
}

/**
 * The same names under any prefix that starts with the protected one (WorkloadBaseline puts each
 * stack's names under `<stackPrefix>-security-<stack>-`, still matched by `{{SecurityNamePrefix}}*`).
 */
export function securityResourceNamesUnder(prefix: string): SecurityResourceNames {
  const bucketPrefix = prefix.toLowerCase();
  return {
    prefix,
    bucketPrefix,
    trailName: `${prefix}trail`,
    trailLogGroupName: `${prefix}cloudtrail`,
    trailLogsRoleName: `${prefix}trail-logs`,
    archiveBucketNamePrefix: `${bucketPrefix}archive-`,
    alarmTopicName: `${prefix}alarms`,
    alertTopicName: `${prefix}alerts`,
    metricNamespace: `${prefix}metrics`,
  };
}

/** The physical names of the recovery path (RecoveryStack), computed once from the stack prefix. */
export interface RecoveryResourceNames {
  /** The locked backup vault, in the target region and (when configured) the copy region. */
  readonly vaultName: string;
  /** The role AWS Backup uses; the vault and data keys name it as their user. */
  readonly backupRoleName: string;
}

export function recoveryResourceNames(stackPrefix: string): RecoveryResourceNames {
  return { vaultName: `${stackPrefix}-locked-vault`, backupRoleName: `${stackPrefix}-backup-service` };
}
