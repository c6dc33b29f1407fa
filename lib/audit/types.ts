/**
 * The account snapshot: everything the live checks need, gathered once by the collectors.
 * Every value the audit fetched is a `Collected<T>`: either the value or the failure of the one API
 * call that should have produced it, so a check can name the action it could not see (never a
 * silent skip). Dates are ISO strings so a snapshot is plain JSON (tests write them literally).
 */
import { DEFAULTS } from '../config/defaults';
import type { BackupRegionSnapshot, RecoverySettings } from './backup-types';
import type { DriftRegionSnapshot } from './drift-types';
import type { LoggingRegionSnapshot, LoggingSettings } from './logging-types';

/** Why an API call produced nothing usable. */
export type FailureKind = 'access-denied' | 'throttled' | 'timeout' | 'stale' | 'error';

export interface ApiFailure {
  /** The IAM action that failed, e.g. `iam:GenerateCredentialReport`. */
  readonly action: string;
  readonly kind: FailureKind;
  /** The service's error code, when it gave one (e.g. `AccessDenied`). */
  readonly code?: string;
  readonly message: string;
}

export type Collected<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ApiFailure };

export const ok = <T>(value: T): Collected<T> => ({ ok: true, value });
export const failed = <T = never>(failure: ApiFailure): Collected<T> => ({ ok: false, failure });

/** One access key's columns of the credential report. */
export interface CredentialReportKey {
  readonly active: boolean;
  /** ISO time, or undefined for `N/A`. */
  readonly lastRotated?: string;
  readonly lastUsedDate?: string;
  readonly lastUsedRegion?: string;
  readonly lastUsedService?: string;
}

/** One row of the IAM credential report (columns as documented; `N/A` and `not_supported` become undefined). */
export interface CredentialReportRow {
  /** User name; `<root_account>` for the root user. */
  readonly user: string;
  readonly arn: string;
  readonly userCreationTime?: string;
  /** `not_supported` (root) is reported as undefined: root always has a password. */
  readonly passwordEnabled?: boolean;
  readonly passwordLastUsed?: string;
  readonly passwordLastChanged?: string;
  readonly mfaActive: boolean;
  readonly keys: readonly [CredentialReportKey, CredentialReportKey];
}

export interface CredentialReport {
  /** When AWS generated the report (ISO). */
  readonly generatedAt: string;
  readonly rows: readonly CredentialReportRow[];
}

export interface PasswordPolicy {
  readonly minimumPasswordLength?: number;
  readonly requireSymbols?: boolean;
  readonly requireNumbers?: boolean;
  readonly requireUppercaseCharacters?: boolean;
  readonly requireLowercaseCharacters?: boolean;
  readonly passwordReusePrevention?: number;
  readonly maxPasswordAge?: number;
}

export interface VirtualMfaDevice {
  readonly serialNumber: string;
  /** The ARN of the user the device is assigned to (`arn:aws:iam::<account>:root` for root). */
  readonly userArn?: string;
  /** When the device was enabled for its user (ISO). */
  readonly enableDate?: string;
}

export interface NamedPolicyDocument {
  readonly name: string;
  /** The decoded JSON document. */
  readonly document: unknown;
}

export interface GroupDetail {
  readonly name: string;
  readonly arn: string;
  readonly inlinePolicies: readonly NamedPolicyDocument[];
  readonly attachedPolicyArns: readonly string[];
}

export interface UserDetail {
  readonly name: string;
  readonly arn: string;
  readonly groups: readonly string[];
  /** The user's own inline policies (decoded). */
  readonly inlinePolicies?: readonly NamedPolicyDocument[];
  /** ARNs of the managed policies attached to the user itself. */
  readonly attachedPolicyArns?: readonly string[];
}

export interface ManagedPolicyDetail {
  readonly arn: string;
  readonly name: string;
  /** The default version's decoded document. */
  readonly document: unknown;
}

/** GetAccountAuthorizationDetails, all pages: users, groups and the account's own managed policies. */
export interface AuthorizationDetails {
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly policies: readonly ManagedPolicyDetail[];
}

export interface IamSnapshot {
  readonly credentialReport: Collected<CredentialReport>;
  /** GetAccountSummary's SummaryMap (AccountMFAEnabled, AccountAccessKeysPresent, ...). */
  readonly accountSummary: Collected<Readonly<Record<string, number>>>;
  /** null when the account has no password policy (NoSuchEntity). */
  readonly passwordPolicy: Collected<PasswordPolicy | null>;
  /** Every assigned virtual MFA device (all pages), with its enable date. */
  readonly virtualMfaDevices: Collected<readonly VirtualMfaDevice[]>;
  readonly authorization: Collected<AuthorizationDetails>;
  /**
   * iam:ListMFADevices of each privileged user (lib/audit/privileged.ts), every device type: virtual,
   * U2F/FIDO and hardware TOTP. Absent when not collected (the checks report ERROR).
   */
  readonly privilegedMfaDevices?: Collected<readonly UserMfaDevices[]>;
}

/** One MFA device of a user, as iam:ListMFADevices lists it (serial: a virtual or FIDO ARN, or a hardware serial). */
export interface MfaDevice {
  readonly serialNumber: string;
  readonly enableDate?: string;
}

export interface UserMfaDevices {
  readonly user: string;
  readonly arn: string;
  readonly devices: readonly MfaDevice[];
}

export interface GuardDutyFeature {
  readonly name: string;
  readonly status: string;
  readonly additional?: readonly { readonly name: string; readonly status: string }[];
}

export interface GuardDutyDetector {
  readonly id: string;
  /** ENABLED or DISABLED. */
  readonly status: string;
  readonly features: readonly GuardDutyFeature[];
}

export interface GuardDutyFindingSummary {
  readonly id: string;
  readonly severity: number;
  readonly createdAt: string;
  readonly type?: string;
}

/** Unarchived findings of severity >= 7: the total and the oldest (up to 50, oldest first). */
export interface HighSeverityFindings {
  readonly count: number;
  readonly oldest: readonly GuardDutyFindingSummary[];
}

export interface GuardDutyAdministrator {
  readonly accountId: string;
  readonly relationshipStatus: string;
}

/** Organization configuration, visible only to the delegated administrator. */
export interface GuardDutyOrganizationConfiguration {
  /** ALL, NEW or NONE. */
  readonly autoEnableOrganizationMembers: string;
}

export interface GuardDutyRegionSnapshot {
  readonly region: string;
  readonly detectorIds: Collected<readonly string[]>;
  /** Present when a detector id was listed. */
  readonly detector?: Collected<GuardDutyDetector>;
  readonly highSeverityFindings?: Collected<HighSeverityFindings>;
  /** null: no administrator account. */
  readonly administrator?: Collected<GuardDutyAdministrator | null>;
  /** null: this account is not the delegated administrator (the configuration is not visible). */
  readonly organizationConfiguration?: Collected<GuardDutyOrganizationConfiguration | null>;
}

/** Organizations DescribeOrganization: null when the account is in no organization. */
export interface OrganizationMembership {
  readonly id: string;
  readonly managementAccountId: string;
}

export interface AccountSnapshot {
  /** 12-digit account id. */
  readonly account: string;
  /** The partition, e.g. `aws`; used to build ARNs. */
  readonly partition: string;
  /** ISO time the collection started. */
  readonly collectedAt: string;
  readonly iam: IamSnapshot;
  readonly organization: Collected<OrganizationMembership | null>;
  /** The detection path per audited region (LOG-TRAIL, LOG-ALARMS, IR-ROUTING). Absent: not collected (ERROR). */
  readonly logging?: readonly LoggingRegionSnapshot[];
  /** The regions audited (from --regions, or the account's enabled regions). */
  readonly regions: Collected<readonly string[]>;
  readonly guardduty: readonly GuardDutyRegionSnapshot[];
  /** S3 Control GetPublicAccessBlock for the account; null: none configured. Absent: not collected (ERROR). */
  readonly s3PublicAccessBlock?: Collected<S3PublicAccessBlock | null>;
  /** Account-level settings per audited region (EBS, Access Analyzer, Config). Absent: not collected (ERROR). */
  readonly accountRegions?: readonly AccountRegionSnapshot[];
  /** The hardened environment's KMS keys per audited region. Absent: not collected (ERROR). */
  readonly kms?: readonly KmsRegionSnapshot[];
  /** The recovery path (BAK-VAULTLOCK) per audited region. Absent: not collected (ERROR). */
  readonly backup?: readonly BackupRegionSnapshot[];
  /** CloudFormation drift of the hardened environment's stacks per audited region. Absent: not collected (ERROR). */
  readonly drift?: readonly DriftRegionSnapshot[];
}

/** One customer-managed key of the hardened environment (found by alias prefix or the managed-by tag). */
export interface KmsKeySnapshot {
  readonly keyId: string;
  readonly arn: string;
  readonly aliases: readonly string[];
  /** How it was found: `alias alias/hardening/x` or `tag hardening:managed-by`. */
  readonly foundBy: string;
  /** kms:DescribeKey. */
  readonly metadata: Collected<{ readonly manager: string; readonly spec: string; readonly state: string }>;
  /** kms:GetKeyRotationStatus. */
  readonly rotation: Collected<boolean>;
  /** kms:GetKeyPolicy (default), decoded JSON. */
  readonly policy: Collected<unknown>;
}

export interface KmsRegionSnapshot {
  readonly region: string;
  /** The keys found (kms:ListAliases and tag:GetResources); a failed listing is the failure. */
  readonly keys: Collected<readonly KmsKeySnapshot[]>;
}

/** The account's S3 Block Public Access (s3:GetAccountPublicAccessBlock). */
export interface S3PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface AccessAnalyzerSummary {
  readonly name: string;
  /** ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ... */
  readonly type: string;
  /** ACTIVE, CREATING, DISABLED, FAILED. */
  readonly status: string;
}

export interface ConfigRecorderSummary {
  readonly name: string;
  /** recordingGroup.allSupported (undefined when the recorder lists no recording group). */
  readonly allSupported?: boolean;
  /** From DescribeConfigurationRecorderStatus; undefined when the recorder has no status. */
  readonly recording?: boolean;
  /** SUCCESS, FAILURE or PENDING. */
  readonly lastStatus?: string;
}

export interface AccountRegionSnapshot {
  readonly region: string;
  /** ec2:GetEbsEncryptionByDefault. */
  readonly ebsEncryptionByDefault: Collected<boolean>;
  /** access-analyzer:ListAnalyzers (all pages). */
  readonly accessAnalyzers: Collected<readonly AccessAnalyzerSummary[]>;
  /** config:DescribeConfigurationRecorders joined with config:DescribeConfigurationRecorderStatus. */
  readonly configRecorders: Collected<readonly ConfigRecorderSummary[]>;
}

/** Thresholds the checks apply; defaults follow CIS AWS Foundations v4.0.1. */
export interface CheckSettings {
  /** The time the checks measure ages against. */
  readonly now: Date;
  /** LOG-TRAIL, LOG-ALARMS, IR-ROUTING thresholds; default DEFAULT_LOGGING_SETTINGS. */
  readonly logging?: LoggingSettings;
  /** BAK-VAULTLOCK: the vault, plan regions and lock bounds; default DEFAULT_RECOVERY_SETTINGS. */
  readonly recovery?: RecoverySettings;
  /** CIS 1.14: keys rotated within this many days. */
  readonly keyMaxAgeDays: number;
  /** CIS 1.12: credentials used within this many days. */
  readonly keyUnusedDays: number;
  /** Root use within this many days is reported. */
  readonly rootRecentUseDays: number;
  /** GD-TRIAGE: a high-severity finding must be triaged (archived) within this many hours. */
  readonly triageHours: number;
  /** IAM-MFA: an MFA device enabled within this many days is reported (an attacker enrolling their own). */
  readonly mfaRecentDays: number;
  /** IAM-NOUSERS: IAM user names allowed a password or access keys (break-glass), from configuration. */
  readonly breakGlassUsers: readonly string[];
  /** DATA-KEYPOLICY: principal ARNs allowed to change key policies; empty: the own account root (the constructs' default). */
  readonly keyAdministrators: readonly string[];
}

export const DEFAULT_CHECK_SETTINGS: Omit<CheckSettings, 'now'> = {
  keyMaxAgeDays: 90,
  keyUnusedDays: 45,
  rootRecentUseDays: 7,
  triageHours: 24,
  mfaRecentDays: DEFAULTS.mfaRecentDays,
  breakGlassUsers: [...DEFAULTS.breakGlassUsers],
  keyAdministrators: [...DEFAULTS.keyAdministratorArns],
};

/** Accounts audited at once, unless `concurrency` says otherwise (the CLI's `--concurrency` default). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;
