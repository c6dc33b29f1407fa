/**
 * The CloudTrail events of the kill-chain steps the detection pipeline must see (issue 10; THREATS.md):
 * MFA device changes (persistence, T1098.005), use of the break-glass role, and changes that blind
 * detection (defense evasion, T1562.008). One list per fact: the metric filters and the EventBridge
 * rules are both built from these.
 */

/** Every change of an MFA device. IAM is global: its events are recorded in us-east-1. */
export const MFA_DEVICE_EVENTS = [
  'CreateVirtualMFADevice', 'EnableMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'ResyncMFADevice',
] as const;

/**
 * Long-term credentials and trust an attacker plants to come back (persistence, T1098, T1136.003,
 * T1098.003). The app builds no IAM users or keys (IAM-NOUSERS), so none of these is a normal deploy.
 * IAM events are recorded in us-east-1.
 */
export const IAM_PERSISTENCE_EVENTS = {
  'iam.amazonaws.com': [
    'CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'CreateServiceSpecificCredential',
    'UploadSSHPublicKey', 'UploadSigningCertificate', 'AddUserToGroup', 'UpdateAssumeRolePolicy',
    'DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary',
  ],
} as const;

/** Changes to the log pipeline (trail, its log group and filters, archive bucket), by event source. */
export const LOG_PIPELINE_TAMPER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'logs.amazonaws.com': [
    'DeleteLogGroup', 'PutRetentionPolicy', 'DeleteRetentionPolicy', 'PutMetricFilter', 'DeleteMetricFilter',
    'PutSubscriptionFilter', 'DeleteSubscriptionFilter', 'AssociateKmsKey', 'DisassociateKmsKey',
    'PutTransformer', 'DeleteTransformer', 'PutDataProtectionPolicy', 'PutAccountPolicy', 'DeleteAccountPolicy',
  ],
  // StopLogging/DeleteTrail/UpdateTrail are CIS 4.5; selectors that drop management events are not.
  'cloudtrail.amazonaws.com': ['PutEventSelectors', 'PutInsightSelectors'],
  's3.amazonaws.com': ['PutObjectLockConfiguration', 'PutBucketEncryption', 'DeleteBucketEncryption', 'PutBucketLogging', 'PutBucketVersioning'],
};

/**
 * Changes to the alert pipeline (topics and subscriptions, alarms, rules) and to the key policies both
 * pipelines depend on, by event source. (Two lists because one filter pattern holds 1,024 characters.)
 */
export const ALERT_PIPELINE_TAMPER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'kms.amazonaws.com': ['PutKeyPolicy', 'UpdateAlias', 'DeleteAlias'],
  'sns.amazonaws.com': [
    'SetSubscriptionAttributes', 'Subscribe', 'Unsubscribe', 'SetTopicAttributes', 'DeleteTopic',
    'AddPermission', 'RemovePermission', 'PutDataProtectionPolicy',
  ],
  'monitoring.amazonaws.com': ['DeleteAlarms', 'DisableAlarmActions'],
  'events.amazonaws.com': ['DeleteRule', 'DisableRule', 'RemoveTargets'],
};

/**
 * Switching off or muting the detectors themselves (GuardDuty, Access Analyzer, Security Hub, Config
 * beyond CIS 4.9), by event source. Auto-archiving GuardDuty findings with a filter or archiving them
 * keeps them from EventBridge and from the high-severity alert.
 */
export const DETECTOR_TAMPER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'guardduty.amazonaws.com': [
    'DeleteDetector', 'UpdateDetector', 'CreateFilter', 'UpdateFilter', 'ArchiveFindings', 'CreateIPSet', 'UpdateIPSet',
    'DeletePublishingDestination', 'UpdatePublishingDestination', 'DisassociateFromAdministratorAccount',
    'UpdateMalwareScanSettings', 'UpdateOrganizationConfiguration', 'DeleteMembers', 'StopMonitoringMembers',
  ],
  'access-analyzer.amazonaws.com': ['DeleteAnalyzer', 'CreateArchiveRule', 'UpdateArchiveRule'],
  'securityhub.amazonaws.com': ['DisableSecurityHub', 'BatchDisableStandards'],
  'config.amazonaws.com': ['DeleteConfigRule', 'DeleteConfigurationRecorder', 'DeleteRetentionConfiguration'],
};

/** CloudWatch Logs refuses a filter pattern longer than this. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** A JSON filter pattern matching any of the given events, by source. */
export function eventsFilterPattern(bySource: Readonly<Record<string, readonly string[]>>): string {
  const parts = Object.entries(bySource).map(([source, names]) =>
    `($.eventSource = ${source} && (${names.map((n) => `$.eventName = ${n}`).join(' || ')}))`);
  return checkLength(`{ ${parts.join(' || ')} }`);
}

/** The filter pattern of every MFA device change. */
export function mfaDeviceFilterPattern(): string {
  return eventsFilterPattern({ 'iam.amazonaws.com': MFA_DEVICE_EVENTS });
}

/**
 * Any use of the break-glass role: assuming it (the event names the role's ARN), or any call made in
 * one of its sessions (the session issuer is the role). `roleArn` is the role's full ARN.
 */
export function breakGlassFilterPattern(roleName: string, roleArn: string): string {
  return checkLength(`{ ($.userIdentity.sessionContext.sessionIssuer.userName = "${roleName}") || ($.requestParameters.roleArn = "${roleArn}") }`);
}

function checkLength(pattern: string): string {
  // Tokens (the account id) are short placeholders at synthesis; real ids are 12 digits.
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new Error(`metric filter pattern is ${pattern.length} characters, above the ${MAX_FILTER_PATTERN_LENGTH} CloudWatch Logs accepts: ${pattern.slice(0, 80)}...`);
  }
  return pattern;
}
