import { BackupPlanDetail, BackupRegionSnapshot, BackupSelectionDetail, DEFAULT_RECOVERY_SETTINGS } from '../../../lib/audit/backup-types';
import { DriftRegionSnapshot, StackDriftSnapshot } from '../../../lib/audit/drift-types';
import { AccountRegionSnapshot, AccountSnapshot, ApiFailure, CheckSettings, CredentialReportKey, CredentialReportRow, DEFAULT_CHECK_SETTINGS, failed, GuardDutyRegionSnapshot, KmsKeySnapshot, ok } from '../../../lib/audit/types';
import { goodLogging } from './logging-snapshots';

/** The fixed "now" of every literal snapshot. */
export const NOW = new Date('2026-06-01T12:00:00Z');
export const ACCOUNT = '111122223333';
/** alice and svc of the good snapshot hold a password or keys (the key checks need them): named break-glass for IAM-NOUSERS. */
export const SETTINGS: CheckSettings = { ...DEFAULT_CHECK_SETTINGS, now: NOW, breakGlassUsers: ['alice', 'svc'] };

export const daysAgo = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();
export const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();

export const NO_KEY: CredentialReportKey = { active: false };
export const key = (rotatedDaysAgo: number, usedDaysAgo?: number): CredentialReportKey => ({
  active: true, lastRotated: daysAgo(rotatedDaysAgo), lastUsedDate: usedDaysAgo === undefined ? undefined : daysAgo(usedDaysAgo),
});

export function row(user: string, over: Partial<CredentialReportRow> = {}): CredentialReportRow {
  return {
    user, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, userCreationTime: daysAgo(400),
    passwordEnabled: true, passwordLastUsed: daysAgo(1), passwordLastChanged: daysAgo(30), mfaActive: true,
    keys: [NO_KEY, NO_KEY], ...over,
  };
}

export const ROOT_ROW: CredentialReportRow = {
  user: '<root_account>', arn: `arn:aws:iam::${ACCOUNT}:root`, userCreationTime: daysAgo(2000),
  passwordEnabled: undefined, passwordLastUsed: daysAgo(100), mfaActive: true, keys: [NO_KEY, NO_KEY],
};

export const REQUIRE_MFA = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', NotAction: ['iam:ListMFADevices', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }],
};

/** Every plan ENABLED, runtime monitoring with its agent management, as the GuardDutyDetector construct configures it. */
export const FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING']
  .map((name) => ({
    name, status: 'ENABLED',
    ...(name === 'RUNTIME_MONITORING' ? { additional: ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'].map((a) => ({ name: a, status: 'ENABLED' })) } : {}),
  }));

export function region(name: string, over: Partial<GuardDutyRegionSnapshot> = {}): GuardDutyRegionSnapshot {
  return {
    region: name,
    detectorIds: ok([`det-${name}`]),
    detector: ok({ id: `det-${name}`, status: 'ENABLED', features: FEATURES }),
    highSeverityFindings: ok({ count: 0, oldest: [] }),
    ...over,
  };
}

/** One region's compliant account-level settings (EBS default encryption, an active analyzer, a recording Config recorder). */
export function accountRegion(name: string, over: Partial<AccountRegionSnapshot> = {}): AccountRegionSnapshot {
  return {
    region: name,
    ebsEncryptionByDefault: ok(true),
    accessAnalyzers: ok([{ name: 'external-access', type: 'ACCOUNT', status: 'ACTIVE' }]),
    configRecorders: ok([{ name: 'default', allSupported: true, recording: true, lastStatus: 'SUCCESS' }]),
    ...over,
  };
}

/** The key policy CustomerManagedKey deploys: the account root administers; use only through S3. */
export const HARDENED_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Resource: '*',
      Action: ['kms:CreateAlias', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'] },
    { Sid: 'KeyUseThroughServices', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Resource: '*',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } } },
  ],
};

export function hardenedKey(over: Partial<KmsKeySnapshot> = {}): KmsKeySnapshot {
  const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
  return {
    keyId: id, arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`, aliases: ['alias/hardening/piibucket'], foundBy: 'alias alias/hardening/piibucket',
    metadata: ok({ manager: 'CUSTOMER', spec: 'SYMMETRIC_DEFAULT', state: 'Enabled' }),
    rotation: ok(true),
    policy: ok(HARDENED_KEY_POLICY),
    ...over,
  };
}

export const VAULT = DEFAULT_RECOVERY_SETTINGS.vaultName;

/** The selection TaggedBackupPlan deploys: every resource tagged hardening:backup=required. */
export const HARDENED_SELECTION: BackupSelectionDetail = {
  id: 'sel-1', name: 'ByTag', iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/Hardening-backup-service`, resources: [], notResources: [],
  listOfTags: [{ type: 'STRINGEQUALS', key: 'hardening:backup', value: 'required' }], conditions: [],
};

/** The plan RecoveryStack deploys: Daily and Monthly into the locked vault, one selection by the backup tag. */
export function hardenedPlan(over: Partial<BackupPlanDetail> = {}): BackupPlanDetail {
  return {
    id: 'plan-1', arn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:plan-1`, name: 'Resource',
    rules: [{ name: 'Daily', targetVault: VAULT, deleteAfterDays: 90 }, { name: 'Monthly', targetVault: VAULT, deleteAfterDays: 365 }],
    selections: ok([HARDENED_SELECTION]),
    ...over,
  };
}

/** The recovery path of the good snapshot: the locked vault and its plan in us-east-1 (hardening:region), nothing in eu-west-1. */
export function goodBackup(): BackupRegionSnapshot[] {
  return [
    { region: 'eu-west-1', vault: ok(null) },
    {
      region: 'us-east-1',
      vault: ok({ name: VAULT, arn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${VAULT}`, locked: true, minRetentionDays: 90, maxRetentionDays: 3650, lockDate: daysAgo(300) }),
      plans: ok([hardenedPlan()]),
    },
  ];
}

/** A stack of the hardened environment whose drift detection found nothing. */
export function inSyncStack(name = 'HardeningData', over: Partial<StackDriftSnapshot> = {}): StackDriftSnapshot {
  return {
    name, id: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/${name}/0a1b2c3d`, foundBy: 'tag hardening:managed-by',
    detection: ok({ status: 'DETECTION_COMPLETE', stackDriftStatus: 'IN_SYNC' }), drifts: ok([]), ...over,
  };
}

/** The drift part of the good snapshot: the environment's stacks in us-east-1, in sync; none in eu-west-1. */
export function goodDrift(): DriftRegionSnapshot[] {
  return [{ region: 'eu-west-1', stacks: ok([]) }, { region: 'us-east-1', stacks: ok([inSyncStack('HardeningData'), inSyncStack('HardeningLogging')]) }];
}

/** A snapshot of a compliant account in two regions, not in an organization. */
export function goodSnapshot(): AccountSnapshot {
  return {
    account: ACCOUNT,
    partition: 'aws',
    collectedAt: NOW.toISOString(),
    iam: {
      credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [ROOT_ROW, row('alice', { keys: [key(10, 1), NO_KEY] }), row('svc', { passwordEnabled: false, mfaActive: false, keys: [key(20, 2), NO_KEY] })] }),
      accountSummary: ok({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: 2 }),
      passwordPolicy: ok({ minimumPasswordLength: 14, passwordReusePrevention: 24, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true }),
      virtualMfaDevices: ok([{ serialNumber: 'arn:aws:iam::111122223333:mfa/alice', userArn: 'arn:aws:iam::111122223333:user/alice', enableDate: daysAgo(200) }]),
      privilegedMfaDevices: ok([]),
      authorization: ok({
        users: [{ name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, groups: ['operators'] }, { name: 'svc', arn: `arn:aws:iam::${ACCOUNT}:user/svc`, groups: ['operators'] }],
        groups: [{ name: 'operators', arn: `arn:aws:iam::${ACCOUNT}:group/operators`, inlinePolicies: [], attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/require-mfa`] }],
        policies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/require-mfa`, name: 'require-mfa', document: REQUIRE_MFA }],
      }),
    },
    organization: ok(null),
    regions: ok(['eu-west-1', 'us-east-1']),
    guardduty: [region('eu-west-1'), region('us-east-1')],
    s3PublicAccessBlock: ok({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }),
    accountRegions: [accountRegion('eu-west-1'), accountRegion('us-east-1')],
    kms: [{ region: 'eu-west-1', keys: ok([]) }, { region: 'us-east-1', keys: ok([hardenedKey()]) }],
    logging: goodLogging(NOW),
    backup: goodBackup(),
    drift: goodDrift(),
  };
}

export const denied = (action: string): ApiFailure => ({ action, kind: 'access-denied', code: 'AccessDenied', message: `not authorized to perform: ${action}` });
export const deniedResult = (action: string) => failed(denied(action));

/** Replaces the IAM part of the good snapshot. */
export function withIam(over: Partial<AccountSnapshot['iam']>): AccountSnapshot {
  const s = goodSnapshot();
  return { ...s, iam: { ...s.iam, ...over } };
}

export function withReport(rows: CredentialReportRow[]): AccountSnapshot {
  return withIam({ credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [ROOT_ROW, ...rows] }) });
}
