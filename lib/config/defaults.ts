/**
 * Secure defaults for every `hardening:` context key. This is the one place defaults live;
 * cdk.json repeats them for the deployer to edit, and a test keeps the two equal.
 */
export const DEFAULTS = {
  stackPrefix: 'Hardening',
  region: 'us-east-1',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  vpcCidr: '10.40.0.0/16',
  publicSubnetMask: 24,
  appSubnetMask: 20,
  dataSubnetMask: 24,
  natGateways: 2,
  databasePorts: [5432],
  /** NYDFS 23 NYCRR 500.6: cybersecurity-event audit trails kept 3 years. */
  logRetentionDays: 1095,
  archiveObjectLockDays: 1095,
  dataClasses: [{ name: 'customer-pii', table: true, objectLock: false }],
  /** GLBA 16 CFR 314.4(c)(6): dispose no later than 2 years after last use. */
  noncurrentVersionExpirationDays: 365,
  groups: ['administrators', 'operators', 'auditors'],
  mfaMaxAgeSeconds: 3600,
  roleMaxSessionSeconds: 3600,
  passwordMaxAgeDays: 90,
  breakGlassRoleName: 'BreakGlass',
  /** The CloudFormation execution role of the deployment pipeline; the SCPs exempt it beside break-glass. */
  pipelineRoleName: 'cdk-hardening-pipeline-execution',
  /** Qualifier of the CDK bootstrap resources (CDK's own default). */
  cdkQualifier: 'hnb659fds',
  /** Principals (the CI's role) that may use the deploy and publishing roles of the hardened bootstrap. */
  pipelinePrincipalArns: [] as string[],
  /** Roles that may use the PII keys through S3 and DynamoDB (DATA-KEYPOLICY: named principals only). */
  dataAccessPrincipalArns: [] as string[],
  adoptExistingDetector: false,
  adoptExistingAccessAnalyzer: false,
  securityHub: false,
  adoptExistingSecurityHub: false,
  /** Within the vault lock's minimum retention (below). */
  backupDailyRetentionDays: 90,
  backupMonthlyRetentionDays: 365,
  /**
   * Well above known dwell times: the Bayview/Lakeview attacker was inside 41 days (LESSONS.md), so a
   * week-long minimum let backups taken after the intrusion be all that remained. 90 days is over twice that.
   */
  vaultLockMinRetentionDays: 90,
  vaultLockMaxRetentionDays: 3650,
  vaultLockChangeableForDays: 3,
  /**
   * The finding level that fails synthesis (the BreachLessons pack's failOn) and, by default, every
   * command's exit code (--fail-on): 'warning' fails on every FAIL, so synth and check agree by default.
   */
  failOn: 'warning',
  /** Today's stacks in one account; 'organization' is opted into (docs/organization.md). */
  deploymentMode: 'account',
  /** A quarter of the accounts at a time: a bad baseline change stops before it reaches most accounts. */
  stackSetMaxConcurrentPercentage: 25,
  /** No failure tolerated: the first failing account stops the operation in its region. */
  stackSetFailureTolerancePercentage: 0,
  stackSetRegionConcurrency: 'SEQUENTIAL',
  auditRoleName: 'OrganizationAudit',
  /**
   * The role in the security-tooling account the organization audit runs as: the only principal the audit
   * role of every account trusts (never the whole tooling account, where a stolen user key would do).
   */
  auditorRoleName: 'OrganizationAuditor',
  /** The live audit (IAM-NOUSERS) accepts these IAM users with a console password or access keys: deliberate break-glass users. */
  breakGlassUsers: [] as string[],
  /** The live audit (DATA-KEYPOLICY) accepts these principals changing key policies; none: the account root, as the keys' policies delegate. */
  keyAdministratorArns: [] as string[],
  /** The live audit (IAM-MFA) reports an MFA device enabled within this many days (an intruder enrolling their own). */
  mfaRecentDays: 7,
} as const;

/** Lower bounds the configuration never goes below, whatever cdk.json says. */
export const LIMITS = {
  minLogRetentionDays: 365,
  minArchiveObjectLockDays: 1095,
  maxNoncurrentVersionExpirationDays: 730,
  maxSessionSeconds: 3600,
  minVaultLockChangeableForDays: 3,
} as const;

/** Retention periods CloudWatch Logs accepts; a configured minimum is rounded up to the next one. */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * Detection timing (LOG-ALARMS, IR-ROUTING). A heartbeat alarms when its metric is silent for a whole
 * window: CloudTrail delivers to CloudWatch Logs every few minutes in any account in use (its own KMS
 * calls for each log file are events), so an hour without one event means the pipeline is broken.
 */
export const DETECTION = {
  /** Period of the alarms that count events (CIS 4.x, kill-chain filters, FailedInvocations). */
  eventAlarmPeriodMinutes: 5,
  /** Window of silence after which a heartbeat alarms. */
  heartbeatWindowMinutes: 60,
} as const;
