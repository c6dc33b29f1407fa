/**
 * The audit against a loopback server that answers in the services' wire formats: the real SDK
 * signs, serializes, paginates and retries. Every action sent in this file is recorded, and the
 * last test proves policies/iam/audit-readonly.json allows each of them and no write.
 */
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import { AuditClients, AuditOptions, AuditResult, runAudit } from '../../lib/audit';
import { Finding, exitCodeFor } from '../../lib/findings';
import { DEFAULTS } from '../../lib/config/defaults';
import { OrganizationAuditConfig } from '../../lib/audit/organization/types';
import { loadPolicy } from '../../lib/policies';
import { FakeAccount, FakeAws, Faults, FakeUser, compliantAccount, hardenedRecovery } from './support/fake-aws';

const A = '111122223333';
const REGIONS = ['eu-west-1', 'us-east-1'];
const CREDS = { accessKeyId: 'AKIDFAKEBASE', secretAccessKey: 'fake-secret' };
const DAY = 86_400_000;

/** Every action any audit in this file sent, for the least-privilege proof. */
const sent = new Set<string>();
const servers: FakeAws[] = [];

interface Run {
  readonly fake: FakeAws;
  /** The findings of the checks this fake can answer (FAKE_CHECKS). */
  readonly result: AuditResult;
  /** Every finding, the detection-path checks (which this fake cannot answer) included. */
  readonly all: AuditResult;
  readonly delays: number[];
  readonly ms: number;
}

async function audit(accounts: FakeAccount | FakeAccount[], faults: Faults = {}, options: AuditOptions = {}): Promise<Run> {
  const fake = new FakeAws(accounts, faults);
  servers.push(fake);
  const endpoint = await fake.start();
  const delays: number[] = [];
  const t = Date.now();
  const result = await runAudit({
    ...options,
    clients: { endpoint, credentials: CREDS, maxAttempts: 3, requestTimeoutMs: 2_000, ...options.clients },
    polling: { sleep: async (ms) => { delays.push(ms); }, ...options.polling },
  });
  const ms = Date.now() - t;
  await fake.stop();
  for (const a of fake.actions()) sent.add(a);
  const keep = (f: Finding) => !DETECTION_CHECKS.has(f.ruleId) && !A2_CHECKS.has(f.ruleId) && !RECOVERY_DRIFT_CHECKS.has(f.ruleId);
  const mine = { accounts: result.accounts.map((a) => ({ ...a, findings: a.findings.filter(keep) })), findings: result.findings.filter(keep) };
  return { fake, result: mine, all: result, delays, ms };
}

const by = (fs: readonly Finding[], ruleId: string) => fs.filter((f) => f.ruleId === ruleId);
const statusOf = (fs: readonly Finding[], ruleId: string) => by(fs, ruleId).map((f) => f.status);
/** Checks of services this fake does not speak (CloudTrail, Logs, CloudWatch, EventBridge, SNS, KMS): proven against moto (test/audit/moto). */
const DETECTION_CHECKS = new Set(['cloudtrail-multi-region-logging', 'cloudtrail-pii-data-events', 'cloudwatch-cis-alarms', 'cloudwatch-trail-log-group', 'events-security-rules', 'sns-alert-topics']);
/**
 * A2's checks (issue 12), proven on literal snapshots (test/audit/checks): the account-level and KMS ones
 * need services this fake does not speak (ERROR here, asserted below); the IAM device checks are left out
 * of this file's fixed counts.
 */
const A2_UNANSWERED = new Set(['account-s3-public-access-block', 'account-ebs-encryption-default', 'account-access-analyzer', 'account-config-recording', 'kms-key-rotation', 'kms-key-policy']);
const A2_CHECKS = new Set([...A2_UNANSWERED, 'iam-mfa-single-device', 'iam-privileged-hardware-mfa', 'iam-mfa-recent-enrolment', 'iam-no-users']);
/** The recovery path and drift checks (issue 12): proven on literal snapshots, aws-sdk-client-mock and moto; left out of this file's fixed counts. */
const RECOVERY_DRIFT_CHECKS = new Set(['backup-vault-lock', 'backup-plan-coverage', 'cloudformation-drift']);
/** Statements whose actions test/audit/moto proves sent and allowed (this fake has no route for them). */
// Statements this fake cannot prove by traffic: the detection path is proven against moto
// (test/audit/moto); the key and account-settings reads (A2's checks) are services the fake does not
// speak - their collectors are tested with aws-sdk-client-mock, and test/policies/audit-readonly.test.ts holds every action a read.
const MOTO_STATEMENTS = new Set(['AuditReadDetectionPath', 'AuditReadKeysAndAccountSettings', 'AuditReadOrganization']);
/** Authorized by AWS inside DetectStackDrift, never sent by the audit itself (test/policies/audit-readonly.test.ts pins them). */
const AUTHORIZED_BY_AWS = new Set(['cloudformation:DetectStackResourceDrift', 'cloudformation:BatchDescribeTypeConfigurations']);

afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe('one account through the real SDK', () => {
  it('a compliant account passes every check, with the fewest calls', async () => {
    const { fake, result, all } = await audit(compliantAccount(A, REGIONS));
    const fs = result.findings;
    expect(fs.filter((f) => f.status !== 'PASS')).toEqual([]);
    // The services this fake does not speak are ERROR, never a pass.
    const unanswered = all.findings.filter((f) => DETECTION_CHECKS.has(f.ruleId) || A2_UNANSWERED.has(f.ruleId));
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.filter((f) => f.status !== 'ERROR')).toEqual([]);
    expect(new Set(fs.map((f) => f.ruleId)).size).toBe(15);
    expect(fs.every((f) => f.source === 'live' && f.resource.account === A && f.resource.region)).toBe(true);
    expect(exitCodeFor(fs, 'warning')).toBe(0);
    // IAM: one call per API (the credential report, not one call per user).
    expect(fake.count('iam:')).toBe(6);
    // No vault and no stack of the environment: a vault lookup and a stack listing per region, a plan listing in the home region.
    expect(fake.actions()).toEqual([
      'account:ListRegions', 'backup:DescribeBackupVault', 'backup:ListBackupPlans', 'cloudformation:DescribeStacks', 'guardduty:GetDetector', 'guardduty:ListDetectors', 'guardduty:ListFindings',
      'iam:GenerateCredentialReport', 'iam:GetAccountAuthorizationDetails', 'iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary',
      'iam:GetCredentialReport', 'iam:ListVirtualMFADevices', 'organizations:DescribeOrganization', 'sts:GetCallerIdentity',
    ]);
    expect(fake.calls.filter((c) => c.action === 'guardduty:ListDetectors').map((c) => c.region).sort()).toEqual(REGIONS);
  });

  it('finds what breaks: MFA, keys, password policy, root, GuardDuty coverage and triage', async () => {
    const now = Date.now();
    const ago = (d: number) => new Date(now - d * DAY);
    const base = compliantAccount(A, ['us-east-1', 'eu-west-1', 'ap-south-1']);
    const account: FakeAccount = {
      ...base,
      root: { mfa: true, virtualMfa: true, keys: 1, passwordLastUsed: ago(1) },
      users: [
        ...(base.users ?? []),
        { name: 'carol', created: ago(400), password: { lastUsed: ago(100) }, mfa: false, keys: [{ active: true, rotated: ago(200), lastUsed: ago(60) }, { active: true, rotated: ago(10), lastUsed: ago(1) }] },
        { name: 'setup', created: ago(10), keys: [{ active: true, rotated: ago(10) }], groups: ['operators'] },
      ],
      passwordPolicy: { MinimumPasswordLength: 8 },
      guardduty: {
        'us-east-1': { id: 'd1', status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }],
          findings: [{ id: 'old', severity: 8.5, createdAt: ago(3) }, { id: 'archived', severity: 9, createdAt: ago(30), archived: true }, { id: 'low', severity: 4, createdAt: ago(30) }] },
        'eu-west-1': { id: 'd2', status: 'DISABLED', features: [] },
      },
    };
    const { result } = await audit(account);
    const fs = result.findings;
    expect(statusOf(fs, 'iam-root-hardware-mfa')).toEqual(['FAIL']);
    expect(statusOf(fs, 'iam-root-access-keys')).toEqual(['FAIL']);
    expect(statusOf(fs, 'iam-root-recent-use')).toEqual(['FAIL']);
    expect(by(fs, 'iam-console-user-mfa').map((f) => f.resource.id)).toEqual([`arn:aws:iam::${A}:user/carol`]);
    expect(by(fs, 'iam-user-mfa-group').map((f) => f.resource.id)).toEqual([`arn:aws:iam::${A}:user/carol`]);
    expect(by(fs, 'iam-key-rotation').map((f) => f.message)).toEqual(['user carol access key 1 is 200 days old (limit 90)']);
    expect(by(fs, 'iam-key-single-active')).toHaveLength(1);
    expect(by(fs, 'iam-key-initial-setup').map((f) => f.message)).toEqual(['user setup access key 1 was created with the user and never used']);
    expect(statusOf(fs, 'iam-password-policy')).toEqual(['FAIL']);
    expect(by(fs, 'guardduty-enabled').map((f) => `${f.status} ${f.resource.region}`).sort()).toEqual(['FAIL ap-south-1', 'FAIL eu-west-1', 'PASS us-east-1']);
    const triage = by(fs, 'guardduty-triage').find((f) => f.resource.region === 'us-east-1');
    expect(triage?.status).toBe('FAIL');
    expect(triage?.message).toContain('1 unarchived finding(s) of severity >= 7 in us-east-1 older than 24 h; oldest old');
    expect(exitCodeFor(fs, 'error')).toBe(1);
  });

  it('paginates GetAccountAuthorizationDetails through three pages of users', async () => {
    const created = new Date(Date.now() - 100 * DAY);
    const users: FakeUser[] = Array.from({ length: 2_500 }, (_, i) => ({ name: `user${String(i).padStart(4, '0')}`, created, groups: i === 2_499 ? [] : ['operators'] }));
    const { fake, result } = await audit({ ...compliantAccount(A, ['us-east-1']), users });
    expect(fake.count('iam:GetAccountAuthorizationDetails')).toBe(3);
    const snapshot = result.accounts[0].snapshot;
    expect(snapshot.iam.authorization.ok && snapshot.iam.authorization.value.users).toHaveLength(2_500);
    expect(snapshot.iam.credentialReport.ok && snapshot.iam.credentialReport.value.rows).toHaveLength(2_501);
    expect(by(result.findings, 'iam-user-mfa-group').map((f) => `${f.status} ${f.resource.id}`)).toEqual([`FAIL arn:aws:iam::${A}:user/user2499`]);
  });

  it('rides out throttling with the SDK retries, and reports throttling past them as ERROR', async () => {
    const { fake, result } = await audit(compliantAccount(A, ['us-east-1']), {
      throttle: { 'iam:GetAccountSummary': 2, 'iam:GetAccountPasswordPolicy': Infinity },
    });
    expect(fake.count('iam:GetAccountSummary')).toBe(3);
    expect(statusOf(result.findings, 'iam-root-hardware-mfa')).toEqual(['PASS']);
    expect(fake.count('iam:GetAccountPasswordPolicy')).toBe(3);
    expect(by(result.findings, 'iam-password-policy')).toMatchObject([{
      status: 'ERROR', message: 'cannot verify: iam:GetAccountPasswordPolicy throttled past the retries (Throttling: Rate exceeded)',
    }]);
    expect(exitCodeFor(result.findings, 'never')).toBe(3);
  });

  it('AccessDenied on one API is ERROR naming it; everything else is still evaluated', async () => {
    const { result } = await audit(compliantAccount(A, ['us-east-1']), { deny: ['iam:GetAccountAuthorizationDetails', 'guardduty:ListFindings'] });
    const errors = result.findings.filter((f) => f.status === 'ERROR');
    expect(errors.map((f) => f.ruleId).sort()).toEqual(['guardduty-triage', 'iam-user-mfa-group']);
    expect(by(errors, 'iam-user-mfa-group')[0].message).toMatch(/^cannot verify: iam:GetAccountAuthorizationDetails access denied \(AccessDenied: .*not authorized/);
    expect(by(errors, 'guardduty-triage')[0].message).toMatch(/^cannot verify: guardduty:ListFindings access denied \(AccessDeniedException/);
    expect(result.findings.filter((f) => f.status === 'PASS').length).toBeGreaterThan(10);
  });

  it('a truncated answer is ERROR for the checks that needed it, never an empty (passing) list', async () => {
    const { result } = await audit(compliantAccount(A, ['us-east-1']), { truncate: ['iam:GetAccountAuthorizationDetails', 'guardduty:GetDetector'] });
    expect(by(result.findings, 'iam-user-mfa-group')).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/^cannot verify: iam:GetAccountAuthorizationDetails failed/) }]);
    expect(statusOf(result.findings, 'guardduty-enabled')).toEqual(['ERROR']);
    expect(statusOf(result.findings, 'iam-console-user-mfa')).toEqual(['PASS']);
  });

  it('polls the report STARTED -> INPROGRESS -> COMPLETE with backoff (no real sleeping)', async () => {
    const { fake, result, delays } = await audit(compliantAccount(A, ['us-east-1']), { reportStates: ['STARTED', 'INPROGRESS', 'INPROGRESS', 'COMPLETE'] });
    expect(fake.count('iam:GenerateCredentialReport')).toBe(4);
    expect(delays).toEqual([500, 1000, 2000]);
    expect(result.accounts[0].snapshot.iam.credentialReport.ok).toBe(true);
  });

  it('backs off through LimitExceeded, then regenerates an expired report', async () => {
    const { fake, result } = await audit(compliantAccount(A, ['us-east-1']), { reportLimitExceeded: 1, reportExpired: 1 });
    expect(fake.count('iam:GetCredentialReport')).toBe(2);
    expect(fake.count('iam:GenerateCredentialReport')).toBeGreaterThanOrEqual(3);
    expect(statusOf(result.findings, 'iam-console-user-mfa')).toEqual(['PASS']);
  });

  it('a stale report is ERROR, never trusted', async () => {
    const { result } = await audit(compliantAccount(A, ['us-east-1']), { reportGeneratedAt: () => new Date(Date.now() - 10 * 3_600_000) });
    expect(by(result.findings, 'iam-key-rotation')[0].message).toMatch(/^cannot verify: iam:GetCredentialReport stale data \(credential report generated .* is 10 h old/);
  });

  it('a region that never answers times out as ERROR for that region only, within the client timeout', async () => {
    const { result, ms } = await audit(compliantAccount(A, ['us-east-1', 'ap-south-1']), { hangRegions: ['ap-south-1'] },
      { clients: { requestTimeoutMs: 300, maxAttempts: 2 } });
    const enabled = by(result.findings, 'guardduty-enabled');
    expect(enabled.map((f) => `${f.status} ${f.resource.region}`).sort()).toEqual(['ERROR ap-south-1', 'PASS us-east-1']);
    expect(enabled.find((f) => f.status === 'ERROR')?.message).toMatch(/^cannot verify: guardduty:ListDetectors timed out/);
    expect(ms).toBeLessThan(5_000);
  });

  it('audits the account\'s enabled regions when --regions is not given, and only the given ones when it is', async () => {
    const regions = ['ap-northeast-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
    const all = await audit(compliantAccount(A, regions));
    expect(by(all.result.findings, 'guardduty-enabled').map((f) => f.resource.region).sort()).toEqual(regions);
    const some = await audit(compliantAccount(A, regions), {}, { regions: ['us-west-2'] });
    expect(by(some.result.findings, 'guardduty-enabled').map((f) => f.resource.region)).toEqual(['us-west-2']);
    expect(some.fake.count('account:ListRegions')).toBe(0);
  });

  it('in an organization: a member with an administrator, a delegated administrator auto-enabling ALL', async () => {
    const org = { id: 'o-abcdefghij', managementAccountId: '999999999999' };
    const member = compliantAccount(A, ['us-east-1']);
    const m = await audit({ ...member, organization: org, guardduty: { 'us-east-1': { ...member.guardduty!['us-east-1'], administrator: { accountId: '444455556666', relationshipStatus: 'Enabled' } } } });
    expect(by(m.result.findings, 'guardduty-central')).toMatchObject([{ status: 'PASS', message: 'managed by GuardDuty administrator 444455556666 in us-east-1' }]);
    expect(m.fake.count('guardduty:DescribeOrganizationConfiguration')).toBe(0);
    const admin = await audit({ ...member, organization: org, guardduty: { 'us-east-1': { ...member.guardduty!['us-east-1'], organizationConfiguration: { autoEnableOrganizationMembers: 'ALL' } } } });
    expect(statusOf(admin.result.findings, 'guardduty-central')).toEqual(['PASS']);
    const lone = await audit({ ...member, organization: org });
    expect(by(lone.result.findings, 'guardduty-central')).toMatchObject([{ status: 'FAIL', message: 'account is in organization o-abcdefghij but GuardDuty in us-east-1 has no enabled administrator' }]);
  });

  it('no credentials that work: every check is ERROR naming sts:GetCallerIdentity', async () => {
    const { result } = await audit(compliantAccount(A, ['us-east-1']), { deny: ['sts:GetCallerIdentity'] });
    expect(result.findings.length).toBe(15);
    expect(result.findings.every((f) => f.status === 'ERROR' && f.message.includes('sts:GetCallerIdentity access denied'))).toBe(true);
  });
});

describe('the recovery path and stack drift through the real SDK', () => {
  const REGIONS2 = ['us-east-1', 'eu-west-1'];
  const seeded = (over: Partial<FakeAccount> = {}): FakeAccount => ({ ...compliantAccount(A, REGIONS2), ...hardenedRecovery('us-east-1'), ...over });
  const mine = (r: Run, id: string) => by(r.all.findings, id).map((f) => `${f.status} ${f.resource.region} ${f.resource.id.split(/[:/]/).pop()}`);

  it('an untouched environment passes, with bounded calls: one in a region without the vault, per plan and stack in the home region', async () => {
    const r = await audit(seeded(), {}, { regions: REGIONS2 });
    expect(mine(r, 'backup-vault-lock')).toEqual(['PASS us-east-1 Hardening-locked-vault', 'PASS eu-west-1 Hardening-locked-vault']);
    expect(mine(r, 'backup-plan-coverage')).toEqual(['PASS us-east-1 hardened-plan', 'PASS eu-west-1 *']);
    expect(by(r.all.findings, 'cloudformation-drift').map((f) => f.status)).toEqual(Array(7).fill('PASS'));
    const calls = (action: string, region: string) => r.fake.calls.filter((c) => c.action === action && c.region === region).length;
    // eu-west-1: the vault's absence and the stack listing, nothing else.
    expect(r.fake.calls.filter((c) => c.region === 'eu-west-1' && /^(backup|cloudformation):/.test(c.action)).map((c) => c.action).sort())
      .toEqual(['backup:DescribeBackupVault', 'cloudformation:DescribeStacks']);
    // us-east-1: both plans read (no listing says which write into the vault), selections only of the hardened one.
    expect([calls('backup:ListBackupPlans', 'us-east-1'), calls('backup:GetBackupPlan', 'us-east-1'), calls('backup:ListBackupSelections', 'us-east-1'), calls('backup:GetBackupSelection', 'us-east-1')]).toEqual([1, 2, 1, 1]);
    // Seven stacks over two pages; drift detected on the six of the environment only.
    expect([calls('cloudformation:DescribeStacks', 'us-east-1'), calls('cloudformation:DetectStackDrift', 'us-east-1'), calls('cloudformation:DescribeStackDriftDetectionStatus', 'us-east-1'), calls('cloudformation:DescribeStackResourceDrifts', 'us-east-1')])
      .toEqual([2, 6, 6, 6]);
  });

  it('drifts across pages are FAILs under their controls; a detection that takes polls is waited for (injected sleep); a failed one is ERROR', async () => {
    const base = hardenedRecovery('us-east-1');
    const stacks = base.stacks!['us-east-1'].map((st) => {
      if (st.name === 'HardeningData') {
        return { ...st, drifts: [
          { logicalId: 'PiiBucket', type: 'AWS::S3::Bucket', status: 'MODIFIED' as const, differences: [{ path: '/BucketEncryption/ServerSideEncryptionConfiguration/0', kind: 'NOT_EQUAL', expected: 'aws:kms', actual: 'AES256' }] },
          { logicalId: 'PiiKey', type: 'AWS::KMS::Key', status: 'MODIFIED' as const, differences: [{ path: '/EnableKeyRotation', kind: 'NOT_EQUAL', expected: 'true', actual: 'false' }] },
          { logicalId: 'PiiTable', type: 'AWS::DynamoDB::Table', status: 'DELETED' as const, differences: [] },
        ] };
      }
      if (st.name === 'HardeningLogging') return { ...st, detectionPolls: 2 };
      if (st.name === 'HardeningNetwork') return { ...st, detection: 'DETECTION_FAILED' as const };
      return st;
    });
    const delays: number[] = [];
    const r = await audit(seeded({ stacks: { 'us-east-1': stacks } }), {}, { regions: ['us-east-1'], driftPolling: { sleep: async (ms) => { delays.push(ms); } } });
    expect(by(r.all.findings, 'cloudformation-drift').filter((f) => f.status !== 'PASS').map((f) => `${f.status} ${f.controlId} ${f.resource.id}`)).toEqual([
      'FAIL DATA-CMK HardeningData#PiiBucket', 'FAIL DATA-ROTATION HardeningData#PiiKey', 'FAIL BAK-RETAIN HardeningData#PiiTable',
      expect.stringMatching(/^ERROR LOG-TAMPER arn:aws:cloudformation:us-east-1:111122223333:stack\/HardeningNetwork\//),
    ]);
    expect(delays).toEqual([2_000, 4_000]);
    expect(r.fake.calls.filter((c) => c.action === 'cloudformation:DescribeStackResourceDrifts').length).toBe(6 + 1);
  });

  it('rides out throttling with the SDK retries; throttling past them and denial are ERROR naming the action, never a pass', async () => {
    const ok = await audit(seeded(), { throttle: { 'backup:GetBackupPlan': 2, 'cloudformation:DescribeStacks': 1 } }, { regions: ['us-east-1'] });
    expect(mine(ok, 'backup-plan-coverage')).toEqual(['PASS us-east-1 hardened-plan']);
    expect(by(ok.all.findings, 'cloudformation-drift').every((f) => f.status === 'PASS')).toBe(true);
    const bad = await audit(seeded(), { throttle: { 'backup:ListBackupSelections': Infinity }, deny: ['cloudformation:DetectStackDrift'] }, { regions: ['us-east-1'] });
    expect(by(bad.all.findings, 'backup-plan-coverage')).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/^cannot verify: backup:ListBackupSelections throttled past the retries/) }]);
    expect(bad.fake.count('backup:ListBackupSelections')).toBe(3);
    const drift = by(bad.all.findings, 'cloudformation-drift');
    expect(drift).toHaveLength(6);
    expect(drift.every((f) => f.status === 'ERROR' && /^cannot verify: cloudformation:DetectStackDrift access denied/.test(f.message))).toBe(true);
  });

  it('a deleted plan, a removed lock and a narrowed selection are FAIL', async () => {
    const b = hardenedRecovery('us-east-1').backup!['us-east-1'];
    const narrowed = { ...b, vaults: [{ ...b.vaults[0], locked: false }], plans: b.plans.map((p) => (p.id === 'hardened-plan' ? { ...p, selections: [{ ...p.selections[0], notResources: ['arn:aws:dynamodb:*:*:table/*'] }] } : p)) };
    const r = await audit(seeded({ backup: { 'us-east-1': narrowed } }), {}, { regions: ['us-east-1'] });
    expect(by(r.all.findings, 'backup-vault-lock').map((f) => f.status)).toEqual(['FAIL']);
    expect(by(r.all.findings, 'backup-plan-coverage')[0].message).toBe('backup plan Resource in us-east-1: selection ByTag excludes arn:aws:dynamodb:*:*:table/*');
    const gone = await audit(seeded({ backup: { 'us-east-1': { ...b, plans: b.plans.filter((p) => p.id !== 'hardened-plan') } } }), {}, { regions: ['us-east-1'] });
    expect(by(gone.all.findings, 'backup-plan-coverage')[0]).toMatchObject({ status: 'FAIL', message: 'no backup plan backs up into vault Hardening-locked-vault in us-east-1' });
  });
});

describe('many accounts', () => {
  const B = '222233334444';
  const C = '333344445555';
  const mgmt = (): FakeAccount => ({ ...compliantAccount('999999999999', ['us-east-1']), organizationAccounts: [A, B, C] });

  it('--role-arn: assumes each role; an account whose role cannot be assumed is ERROR for every check', async () => {
    const a = { ...compliantAccount(A, ['us-east-1']), roles: { Auditor: null } };
    const b = { ...compliantAccount(B, ['us-east-1']), roles: {} };
    const { fake, result } = await audit([mgmt(), a, b], {}, { roleArns: [`arn:aws:iam::${A}:role/Auditor`, `arn:aws:iam::${B}:role/Auditor`] });
    expect(result.accounts.map((x) => x.account)).toEqual([A, B]);
    expect(result.accounts[0].findings).toHaveLength(15);
    expect(result.accounts[0].findings.every((f) => f.status === 'PASS' && f.resource.account === A)).toBe(true);
    expect(result.accounts[1].findings).toHaveLength(15);
    expect(result.accounts[1].findings.every((f) => f.status === 'ERROR' && f.resource.account === B)).toBe(true);
    expect(result.accounts[1].findings[0].message).toContain(`sts:AssumeRole access denied`);
    expect(result.accounts[1].findings[0].message).toContain(`arn:aws:iam::${B}:role/Auditor`);
    // IAM calls of account A went out with A's assumed-role credentials.
    expect(fake.calls.filter((c) => c.action === 'iam:GetCredentialReport').map((c) => c.account)).toEqual([A]);
  });

  it('organization mode: an account whose audit role refuses the audit names the auditor role it trusts and who the audit runs as', async () => {
    const a = { ...compliantAccount(A, ['us-east-1']), roles: { OrganizationAudit: null } };
    const b = { ...compliantAccount(B, ['us-east-1']), roles: {} };
    const organization: OrganizationAuditConfig = {
      governedRegions: ['us-east-1'], allowedRegions: ['us-east-1'], region: 'us-east-1', baselineTargets: ['ou-ab12-workload'], scpTargets: {},
      securityToolingAccountId: '999999999999', auditorRoleName: 'OrganizationAuditor', baselineStackSets: [],
      stackPrefix: DEFAULTS.stackPrefix, breakGlassRoleName: DEFAULTS.breakGlassRoleName, pipelineRoleName: DEFAULTS.pipelineRoleName,
    };
    const { result } = await audit([mgmt(), a, b], {}, { organizationRole: 'OrganizationAudit', organization, regions: ['us-east-1'] });
    expect(result.accounts.map((x) => x.account)).toEqual([A, B, C]);
    expect(result.accounts[0].findings.every((f) => f.status === 'PASS')).toBe(true);
    const denied = result.accounts[1].findings;
    expect(denied.every((f) => f.status === 'ERROR')).toBe(true);
    expect(denied[0].message).toContain(`arn:aws:iam::${B}:role/OrganizationAudit: `);
    expect(denied[0].message).toContain("the audit role trusts only the role 'OrganizationAuditor' (hardening:auditorRoleName) of the security-tooling account 999999999999, but this audit runs as arn:aws:iam::999999999999:user/auditor: run it as that role");
    // Without the configuration (plain --organization-role), the denial is told as AWS tells it.
    const plain = await audit([mgmt(), a, b], {}, { organizationRole: 'OrganizationAudit', regions: ['us-east-1'] });
    expect(plain.result.accounts[1].findings[0].message).toContain('sts:AssumeRole access denied');
    expect(plain.result.accounts[1].findings[0].message).not.toContain('auditorRoleName');
    // A refusal is what the trust explains; a throttled AssumeRole is not one.
    const throttled = await audit([mgmt(), a, b], { throttle: { 'sts:AssumeRole': Infinity } }, { organizationRole: 'OrganizationAudit', organization, regions: ['us-east-1'] });
    expect(throttled.result.accounts[0].findings[0].message).toContain('sts:AssumeRole throttled past the retries');
    expect(throttled.result.accounts[0].findings[0].message).not.toContain('auditorRoleName');
  });

  it('--organization-role with an external id: every active account, bounded concurrency, per-account findings', async () => {
    const accounts = [A, B, C].map((id) => ({ ...compliantAccount(id, ['us-east-1']), roles: { OrgAudit: 'ext-123' } }));
    const progress: string[] = [];
    const stsClients = jest.spyOn(AuditClients.prototype, 'sts');
    const { fake, result } = await audit([mgmt(), ...accounts], {}, {
      organizationRole: 'OrgAudit', externalId: 'ext-123', concurrency: 2, onProgress: (d, t, acct) => progress.push(`${d}/${t} ${acct}`),
    });
    expect(result.accounts.map((x) => x.account)).toEqual([A, B, C]);
    expect(result.findings.filter((f) => f.status !== 'PASS')).toEqual([]);
    expect(new Set(result.findings.map((f) => f.resource.account))).toEqual(new Set([A, B, C]));
    expect(fake.count('sts:AssumeRole')).toBe(3);
    // One STS client for GetCallerIdentity and every AssumeRole, not one per account.
    expect(stsClients).toHaveBeenCalledTimes(1);
    stsClients.mockRestore();
    expect(fake.count('organizations:ListAccounts')).toBe(1);
    expect(progress).toHaveLength(3);
    expect(progress[2]).toMatch(/^3\/3 /);
  });

  it('a wrong external id is ERROR per account, not a pass', async () => {
    const accounts = [A, B, C].map((id) => ({ ...compliantAccount(id, ['us-east-1']), roles: { OrgAudit: 'ext-123' } }));
    const { result } = await audit([mgmt(), ...accounts], {}, { organizationRole: 'OrgAudit', externalId: 'wrong' });
    expect(result.findings).toHaveLength(45);
    expect(result.findings.every((f) => f.status === 'ERROR')).toBe(true);
  });

  it('ListAccounts denied: the caller\'s account is ERROR naming organizations:ListAccounts', async () => {
    const { result } = await audit([mgmt()], { deny: ['organizations:ListAccounts'] }, { organizationRole: 'OrgAudit' });
    // The caller's account stays in the results, every check ERROR: never an empty (vacuously clean) list.
    expect(result.accounts.map((x) => x.account)).toEqual(['999999999999']);
    expect(result.findings).toHaveLength(15);
    expect(result.findings.every((f) => f.status === 'ERROR' && f.message.includes('organizations:ListAccounts'))).toBe(true);
  });
});

describe('least privilege: policies/iam/audit-readonly.json, and organization-auditor.json for the caller that assumes the audit roles', () => {
  // The caller holds both (OrganizationAuditor); the audit role of each account the reads alone.
  const ORG = 'o-a1b2c3d4e5';
  const policy = { Version: '2012-10-17', Statement: [...loadPolicy('iam/audit-readonly').Statement,
    ...loadPolicy('iam/organization-auditor', { Partition: 'aws', AuditRoleName: 'OrgAudit', OrganizationId: ORG }).Statement] };
  const principal = `arn:aws:iam::${A}:role/cdk-hardening-audit`;

  async function decide(action: string, resource = '*'): Promise<string> {
    const r = await runSimulation({
      request: { principal, action, resource: { resource, accountId: A }, contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': A, 'aws:ResourceOrgID': ORG } },
      identityPolicies: [{ name: 'audit-readonly', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    if (r.resultType === 'error') throw new Error(`simulation of ${action} failed: ${JSON.stringify(r.errors)}`);
    return r.overallResult;
  }

  /** The resource a request names: `*` for wildcard-only actions, else a representative ARN. */
  async function resourceFor(action: string): Promise<string> {
    const [service, name] = action.split(':');
    if (await isWildcardOnlyAction(service, name)) return '*';
    if (service === 'sts') return `arn:aws:iam::${A}:role/OrgAudit`;
    if (service === 'guardduty') return `arn:aws:guardduty:us-east-1:${A}:detector/d1`;
    return '*';
  }

  it('the tests above sent every action the policy allows, and nothing else', () => {
    const actions = (moto: boolean) => policy.Statement.filter((s) => MOTO_STATEMENTS.has(s.Sid ?? '') === moto).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .filter((a): a is string => a !== undefined && !AUTHORIZED_BY_AWS.has(a));
    // The organization-mode test also collects the organization's snapshot, whose actions test/audit/moto proves.
    const proven = new Set(actions(true));
    expect([...sent].filter((a) => !proven.has(a)).sort()).toEqual(actions(false).sort());
  });

  it('allows each action the audit sent', async () => {
    expect(sent.size).toBeGreaterThan(10);
    for (const action of sent) {
      expect(`${action}: ${await decide(action, await resourceFor(action))}`).toBe(`${action}: Allowed`);
    }
  });

  it('assumes the audit role only: another role of an account is refused', async () => {
    expect(await decide('sts:AssumeRole', `arn:aws:iam::${A}:role/OrgAudit`)).toBe('Allowed');
    expect(await decide('sts:AssumeRole', `arn:aws:iam::${A}:role/cdk-hnb659fds-deploy-role-${A}-us-east-1`)).not.toBe('Allowed');
  });

  it.each([
    'iam:CreateUser', 'iam:DeleteUser', 'iam:CreateAccessKey', 'iam:UpdateAccountPasswordPolicy', 'iam:DeactivateMFADevice',
    'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:PassRole', 'guardduty:DeleteDetector', 'guardduty:UpdateDetector',
    'guardduty:ArchiveFindings', 'guardduty:CreateFilter', 'guardduty:DisassociateFromAdministratorAccount', 'account:DisableRegion',
    'organizations:LeaveOrganization', 'organizations:CreateAccount', 's3:GetObject', 'sts:GetSessionToken',
    'backup:DeleteBackupPlan', 'backup:DeleteBackupVaultLockConfiguration', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
  ])('allows no write or unrelated action: %s', async (action) => {
    expect(await decide(action)).not.toBe('Allowed');
  });
});
