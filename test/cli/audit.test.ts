import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CHECK_SETTINGS } from '../../lib/audit';
import { auditOptionsFromFlags } from '../../lib/cli/audit';
import { main } from '../../lib/cli/main';
import { parseConfig } from '../../lib/config';
import { CliIO } from '../../lib/cli/io';
import { readAuditFile } from '../../lib/report/inputs';
import { FakeAccount, FakeAws, Faults, compliantAccount } from '../audit/support/fake-aws';

const A = '111122223333';
const B = '222233334444';
const DAY = 86_400_000;
/**
 * The checks over the services this loopback fake speaks (IAM, GuardDuty, STS, Organizations,
 * Account); the detection path, keys and account settings are tested against moto and with mocks.
 */
const FAKE_SPEAKS = ['iam-root-mfa', 'iam-root-hardware-mfa', 'iam-root-access-keys', 'iam-root-recent-use', 'iam-console-user-mfa',
  'iam-user-mfa-group', 'iam-key-rotation', 'iam-key-unused', 'iam-key-single-active', 'iam-key-initial-setup', 'iam-password-policy',
  'GD-ENABLED', 'GD-TRIAGE', 'GD-CENTRAL'].join(',');

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  fake: FakeAws;
}

function fakeIO(stderrIsTTY = false): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTTY, env: {}, now: () => new Date() };
}

const saved = { ...process.env };
beforeAll(() => {
  // Static fake credentials: nothing here can reach a real account.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDCLITEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
});
afterAll(() => {
  process.env = saved;
});

async function cli(args: string[], account: FakeAccount | FakeAccount[] = compliantAccount(A, ['us-east-1']), faults: Faults = {}, tty = false): Promise<Captured> {
  const fake = new FakeAws(account, faults);
  const url = await fake.start();
  const io = fakeIO(tty);
  try {
    const code = await main(['audit', '--endpoint-url', url, ...(args.includes('--checks') ? [] : ['--checks', FAKE_SPEAKS]), ...args], io);
    return { code, stdout: io.out.join(''), stderr: io.err.join(''), fake };
  } finally {
    await fake.stop();
  }
}

async function usage(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = fakeIO();
  const code = await main(['audit', ...args], io);
  return { code, stderr: io.err.join(''), stdout: io.out.join('') };
}

describe('cdk-hardening audit: exit codes', () => {
  it('0 for a compliant account; json carries schema, live source, account and region', async () => {
    const r = await cli(['--regions', 'us-east-1', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('cdk-hardening/findings@1');
    expect(doc.title).toBe('cdk-hardening audit');
    expect(doc.summary).toMatchObject({ FAIL: 0, ERROR: 0 });
    expect(doc.findings.length).toBe(15);
    for (const f of doc.findings) {
      expect(f).toMatchObject({ source: 'live', resource: { account: A } });
      expect(typeof f.resource.region).toBe('string');
      expect(f.citations.length).toBeGreaterThan(0);
      expect(f.controlId).toMatch(/^(IAM|GD)-/);
    }
    expect(r.stderr).toBe('');
  });

  it('1 when a failure reaches --fail-on; 0 with --fail-on never', async () => {
    const bad: FakeAccount = { ...compliantAccount(A, ['us-east-1']), passwordPolicy: null };
    const r = await cli(['--regions', 'us-east-1'], bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL         error   IAM-PASSWORD       iam-password-policy');
    expect((await cli(['--regions', 'us-east-1', '--fail-on', 'never'], bad)).code).toBe(0);
  });

  it('a warning-level failure: 0 at --fail-on error, 1 at --fail-on warning (the default)', async () => {
    const warn: FakeAccount = { ...compliantAccount(A, ['us-east-1']), root: { mfa: true, virtualMfa: true } };
    expect((await cli(['--regions', 'us-east-1', '--fail-on', 'error'], warn)).code).toBe(0);
    expect((await cli(['--regions', 'us-east-1'], warn)).code).toBe(1);
    expect((await cli(['--regions', 'us-east-1', '--fail-on', 'warning'], warn)).code).toBe(1);
  });

  it('3 when any check could not be evaluated, naming the denied action', async () => {
    const r = await cli(['--regions', 'us-east-1', '--fail-on', 'never'], compliantAccount(A, ['us-east-1']), { deny: ['iam:GetAccountAuthorizationDetails'] });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('ERROR');
    expect(r.stdout).toContain('cannot verify: iam:GetAccountAuthorizationDetails access denied');
  });
});

describe('cdk-hardening audit: flags', () => {
  it.each([
    [['--concurrency', '0'], "--concurrency '0' must be a whole number from 1 to 64"],
    [['--concurrency', 'many'], "--concurrency 'many' must be a whole number from 1 to 64"],
    [['--triage-hours', '0'], "--triage-hours '0' must be a whole number from 1 to 8760"],
    [['--role-arn', 'arn:aws:iam::123:role/x'], "--role-arn 'arn:aws:iam::123:role/x' is not an IAM role ARN"],
    [['--role-arn', 'arn:aws:iam::123456789012:user/bob'], "--role-arn 'arn:aws:iam::123456789012:user/bob' is not an IAM role ARN"],
    [['--regions', 'us-east-1,us-east-9'], "--regions: unknown region 'us-east-9'"],
    [['--regions', 'us-east-1,,eu-west-1'], "--regions 'us-east-1,,eu-west-1' must be a comma-separated list"],
    [['--regions', 'us-east-1,us-gov-west-1'], "--regions 'us-east-1,us-gov-west-1' mixes partitions (aws, aws-us-gov)"],
    [['--endpoint-url', 'not a url'], "--endpoint-url 'not a url' is not a URL"],
    [['--endpoint-url', 'ftp://127.0.0.1'], "--endpoint-url 'ftp://127.0.0.1' must be an http or https URL"],
    [['--organization-role', 'Audit', '--role-arn', 'arn:aws:iam::123456789012:role/x'], '--organization-role and --role-arn cannot be combined'],
    [['--organization-role', 'bad role!'], "--organization-role 'bad role!' is not an IAM role name"],
    [['--external-id', 'abc'], '--external-id needs --role-arn, --organization-role or an organization-mode --config'],
    [['--profile', 'bad profile'], "--profile 'bad profile' is not a profile name"],
    [['--format', 'pdf'], "option '--format <format>' argument 'pdf' is invalid"],
    [['--mfa-recent-days', '0'], "--mfa-recent-days '0': "],
    [['--mfa-recent-days', '366'], "--mfa-recent-days '366': "],
    [['--mfa-recent-days', 'week'], "--mfa-recent-days 'week': "],
    [['--break-glass-users', 'alice,,bob'], "--break-glass-users 'alice,,bob' must be a comma-separated list"],
    [['--break-glass-users', 'alice,bad name!'], "--break-glass-users 'alice,bad name!': must be an IAM user name"],
    [['--key-administrators', 'arn:aws:iam::123:role/x'], "--key-administrators 'arn:aws:iam::123:role/x': must be an IAM root, user or role ARN"],
    [['--key-administrators', 'arn:aws:kms:us-east-1:123456789012:key/k'], "--key-administrators 'arn:aws:kms:us-east-1:123456789012:key/k': must be an IAM root, user or role ARN"],
    [['--config', '/nonexistent/cdk.json'], '--config /nonexistent/cdk.json: no such file'],
    [['--bogus'], "unknown option '--bogus'"],
  ])('%j is a usage error (exit 2) naming the flag and value', async (args, message) => {
    const r = await usage(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('--help lists every flag of the pinned interface', async () => {
    const io = fakeIO();
    expect(await main(['audit', '--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const flag of ['--regions', '--profile', '--role-arn', '--organization-role', '--external-id', '--endpoint-url', '--concurrency', '--triage-hours', '--format', '--out', '--fail-on',
      '--config', '--break-glass-users', '--key-administrators', '--mfa-recent-days']) {
      expect(help).toContain(flag);
    }
    // The defaults shown are the library's, not copies.
    expect(help).toMatch(new RegExp(`accounts audited at once \\(default: "${DEFAULT_ACCOUNT_CONCURRENCY}"\\)`));
    expect(help).toMatch(new RegExp(`within this many hours \\(default:\\s+"${DEFAULT_CHECK_SETTINGS.triageHours}"\\)`));
  });

  it('--out writes the document to a file; an unwritable --out is exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    const out = join(dir, 'results.json');
    const r = await cli(['--regions', 'us-east-1', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(15);
    // The contract with `cdk-hardening report --audit results.json`.
    const read = readAuditFile(out);
    expect(read.findings).toHaveLength(15);
    expect(read.findings.every((f) => f.source === 'live' && f.resource.account === A && f.resource.region)).toBe(true);
    const bad = await cli(['--regions', 'us-east-1', '--out', join(dir, 'missing', 'x.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`cannot write --out ${join(dir, 'missing', 'x.json')}`);
  });

  it('--triage-hours sets the window', async () => {
    const acct = compliantAccount(A, ['us-east-1']);
    const withFinding: FakeAccount = { ...acct, guardduty: { 'us-east-1': { ...acct.guardduty!['us-east-1'], findings: [{ id: 'f30h', severity: 7.5, createdAt: new Date(Date.now() - 30 * 3_600_000) }] } } };
    expect((await cli(['--regions', 'us-east-1'], withFinding)).code).toBe(1);
    expect((await cli(['--regions', 'us-east-1', '--triage-hours', '48'], withFinding)).code).toBe(0);
  });

  it('--regions limits GuardDuty to those regions; without it the enabled regions are audited', async () => {
    const acct = compliantAccount(A, ['eu-west-1', 'us-east-1', 'us-west-2']);
    const some = await cli(['--regions', 'us-west-2,eu-west-1', '--format', 'json'], acct);
    expect(new Set(some.fake.calls.filter((c) => c.action.startsWith('guardduty:')).map((c) => c.region))).toEqual(new Set(['us-west-2', 'eu-west-1']));
    const all = await cli(['--format', 'json'], acct);
    expect(new Set(all.fake.calls.filter((c) => c.action.startsWith('guardduty:')).map((c) => c.region))).toEqual(new Set(['eu-west-1', 'us-east-1', 'us-west-2']));
  });

  it('GovCloud --regions send the global services to the partition\'s home region', async () => {
    const r = await cli(['--regions', 'us-gov-east-1'], compliantAccount(A, ['us-gov-east-1']));
    expect(r.code).toBe(0);
    expect(new Set(r.fake.calls.filter((c) => c.action.startsWith('iam:')).map((c) => c.region))).toEqual(new Set(['us-gov-west-1']));
    expect(new Set(r.fake.calls.filter((c) => c.action.startsWith('guardduty:')).map((c) => c.region))).toEqual(new Set(['us-gov-east-1']));
  });

  it('--role-arn (repeatable) audits each account; --external-id is sent', async () => {
    const base = { ...compliantAccount('999999999999', ['us-east-1']) };
    const a = { ...compliantAccount(A, ['us-east-1']), roles: { Audit: 'x-1' } };
    const b = { ...compliantAccount(B, ['us-east-1']), roles: { Audit: 'x-1' } };
    const r = await cli(['--regions', 'us-east-1', '--format', 'json', '--role-arn', `arn:aws:iam::${A}:role/Audit`, '--role-arn', `arn:aws:iam::${B}:role/Audit`, '--external-id', 'x-1', '--concurrency', '1'], [base, a, b]);
    expect(r.code).toBe(0);
    const accounts = new Set(JSON.parse(r.stdout).findings.map((f: { resource: { account: string } }) => f.resource.account));
    expect(accounts).toEqual(new Set([A, B]));
  });

  it('--organization-role audits every account of the organization and shows progress only on a terminal', async () => {
    const mgmt = { ...compliantAccount('999999999999', ['us-east-1']), organizationAccounts: [A, B] };
    const members = [A, B].map((id) => ({ ...compliantAccount(id, ['us-east-1']), roles: { OrgAudit: null } }));
    const tty = await cli(['--regions', 'us-east-1', '--organization-role', 'OrgAudit'], [mgmt, ...members], {}, true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('audited 2/2 accounts');
    const pipe = await cli(['--regions', 'us-east-1', '--organization-role', 'OrgAudit'], [mgmt, ...members]);
    expect(pipe.stderr).toBe('');
  });

  it('--profile passes through to the SDK credential provider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-profile-'));
    writeFileSync(join(dir, 'credentials'), '[auditor]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = fake-profile-secret\n');
    writeFileSync(join(dir, 'config'), '[profile auditor]\nregion = us-east-1\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const r = await cli(['--regions', 'us-east-1', '--profile', 'auditor']);
      expect(r.code).toBe(0);
      expect(new Set(r.fake.calls.map((c) => c.accessKey))).toEqual(new Set(['AKIDFROMPROFILE']));
    } finally {
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
      process.env.AWS_ACCESS_KEY_ID = 'AKIDCLITEST';
      process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    }
  });
});

describe('cdk-hardening audit: credentials', () => {
  it('a profile with no credentials is a usage error naming the profile (exit 2), not evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-noprofile-'));
    writeFileSync(join(dir, 'credentials'), '');
    writeFileSync(join(dir, 'config'), '');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    try {
      const r = await cli(['--regions', 'us-east-1', '--profile', 'nope']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^cdk-hardening: --profile 'nope': no usable credentials \(/);
      expect(r.stdout).toBe('');
      expect(r.fake.calls).toEqual([]);
    } finally {
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
    }
  });
});

describe('cdk-hardening audit: formats', () => {
  const bad: FakeAccount = { ...compliantAccount(A, ['us-east-1']), users: [{ name: 'carol', created: new Date(Date.now() - 100 * DAY), password: { lastUsed: new Date() }, mfa: false }] };

  it('text lists each finding with control id and a summary line', async () => {
    const r = await cli(['--regions', 'us-east-1', '--format', 'text'], bad);
    expect(r.stdout).toMatch(/^cdk-hardening audit — /);
    expect(r.stdout).toContain(`FAIL         error   IAM-MFA            iam-console-user-mfa  ${A}/global arn:aws:iam::${A}:user/carol`);
    expect(r.stdout).toMatch(/\d+ passed, \d+ failed, 0 could not be evaluated, 0 acknowledged\n$/);
  });

  it('sarif is SARIF 2.1.0 naming each live rule', async () => {
    const r = await cli(['--regions', 'us-east-1', '--format', 'sarif'], bad);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe('2.1.0');
    const ruleIds = doc.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    expect(ruleIds).toContain('iam-console-user-mfa');
  });

  it('junit and md render the live findings', async () => {
    const junit = await cli(['--regions', 'us-east-1', '--format', 'junit'], bad);
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toContain('iam-console-user-mfa');
    const md = await cli(['--regions', 'us-east-1', '--format', 'md'], bad);
    expect(md.stdout).toContain('IAM-MFA');
    expect(md.stdout).toContain('carol');
    const html = await cli(['--regions', 'us-east-1', '--format', 'html'], bad);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/i);
    expect(html.stdout).toContain('iam-console-user-mfa');
  });
});

describe('cdk-hardening audit: configuration and the flags that override it', () => {
  const configFile = (context: Record<string, unknown>): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-config-')), 'cdk.json');
    writeFileSync(file, JSON.stringify({ app: 'x', context }));
    return file;
  };
  /** compliantAccount's alice (password and key) and bob (password) are IAM users with credentials. */
  const noUsers = async (args: string[]) => {
    const r = await cli(['--regions', 'us-east-1', '--format', 'json', '--checks', 'iam-no-users', ...args]);
    return { code: r.code, fails: (JSON.parse(r.stdout).findings as { status: string; resource: { id: string } }[]).filter((f) => f.status === 'FAIL').map((f) => f.resource.id.split('/').pop()) };
  };

  it('--break-glass-users overrides hardening:breakGlassUsers; without either every user with credentials fails', async () => {
    expect(await noUsers([])).toEqual({ code: 1, fails: ['alice', 'bob'] });
    const cfg = configFile({ 'hardening:breakGlassUsers': ['alice', 'bob'] });
    expect(await noUsers(['--config', cfg])).toEqual({ code: 0, fails: [] });
    expect(await noUsers(['--config', cfg, '--break-glass-users', 'alice'])).toEqual({ code: 1, fails: ['bob'] });
    expect(await noUsers(['--config', cfg, '--break-glass-users', ''])).toEqual({ code: 1, fails: ['alice', 'bob'] });
  });

  it('--mfa-recent-days overrides hardening:mfaRecentDays (devices enrolled 300 days ago: recent within 365, not within 7)', async () => {
    const recent = async (args: string[]) => (await cli(['--regions', 'us-east-1', '--checks', 'iam-mfa-recent-enrolment', ...args])).code;
    expect(await recent([])).toBe(0);
    expect(await recent(['--mfa-recent-days', '365'])).toBe(1);
    const cfg = configFile({ 'hardening:mfaRecentDays': 365 });
    expect(await recent(['--config', cfg])).toBe(1);
    expect(await recent(['--config', cfg, '--mfa-recent-days', '299'])).toBe(0);
  });

  it('an invalid cdk.json is bad usage on one line naming the key', async () => {
    const r = await usage(['--config', configFile({ 'hardening:mfaRecentDays': 0 })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid configuration: hardening:mfaRecentDays: /);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('the configuration reaches every setting: prefixes, retention, vault, key administrators; the flags override', () => {
    const flags = { format: 'text' as const, failOn: 'warning' as const, roleArn: [], concurrency: '4', triageHours: '24' };
    const role = 'arn:aws:iam::111122223333:role/KeyAdmin';
    const config = parseConfig({
      'hardening:stackPrefix': 'Bank', 'hardening:region': 'eu-west-1', 'hardening:logRetentionDays': 2000, 'hardening:vaultLockMinRetentionDays': 120,
      'hardening:backupDailyRetentionDays': 120, 'hardening:keyAdministratorArns': [role], 'hardening:mfaRecentDays': 14,
    });
    const o = auditOptionsFromFlags(flags, config);
    expect(o.logging).toEqual({ securityNamePrefix: 'Bank-security-', minLogRetentionDays: 2000 });
    expect(o.recovery).toMatchObject({ vaultName: 'Bank-locked-vault', vaultRegions: ['eu-west-1'], planRegions: ['eu-west-1'], minRetentionDays: 120, maxRetentionDays: 3650 });
    expect(o.drift).toEqual({ stackPrefix: 'Bank' });
    expect(o.thresholds).toEqual({ triageHours: 24, breakGlassUsers: [], keyAdministrators: [role], mfaRecentDays: 14 });
    const over = auditOptionsFromFlags({ ...flags, keyAdministrators: 'arn:aws:iam::111122223333:root,arn:aws:iam::111122223333:user/kim', mfaRecentDays: '3', breakGlassUsers: 'svc' }, config);
    expect(over.thresholds).toEqual({ triageHours: 24, breakGlassUsers: ['svc'], keyAdministrators: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/kim'], mfaRecentDays: 3 });
    expect(auditOptionsFromFlags({ ...flags, keyAdministrators: '' }, config).thresholds?.keyAdministrators).toEqual([]);
    // No configuration at all: the defaults of lib/config, which the library's defaults are.
    expect(auditOptionsFromFlags(flags).thresholds).toEqual({ triageHours: 24, breakGlassUsers: [], keyAdministrators: [], mfaRecentDays: DEFAULT_CHECK_SETTINGS.mfaRecentDays });
  });
});

describe('cdk-hardening audit: --checks', () => {
  it('runs only the named checks and controls; every one of them is still reported', async () => {
    const r = await cli(['--regions', 'us-east-1', '--format', 'json', '--checks', 'iam-root-mfa,GD-TRIAGE']);
    const ids = new Set((JSON.parse(r.stdout).findings as { ruleId: string }[]).map((f) => f.ruleId));
    expect([...ids].sort()).toEqual(['guardduty-triage', 'iam-root-mfa']);
    expect(r.code).toBe(0);
  });

  it('without --checks every check runs, and those over services the endpoint does not speak are ERROR (exit 3), never PASS', async () => {
    const fake = new FakeAws(compliantAccount(A, ['us-east-1']), {});
    const url = await fake.start();
    const io = fakeIO();
    try {
      const code = await main(['audit', '--endpoint-url', url, '--regions', 'us-east-1', '--format', 'json'], io);
      const findings = JSON.parse(io.out.join('')).findings as { ruleId: string; status: string }[];
      expect(code).toBe(3);
      expect(findings.filter((f) => f.ruleId === 'kms-key-rotation').map((f) => f.status)).toEqual(expect.arrayContaining(['ERROR']));
      expect(findings.filter((f) => f.ruleId === 'kms-key-rotation' && f.status === 'PASS')).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('an unknown check or control is bad usage naming it', async () => {
    const r = await usage(['--checks', 'iam-root-mfa,nope,GD-X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--checks: unknown check or control 'nope', 'GD-X'");
    expect((await usage(['--checks', 'iam-root-mfa,'])).code).toBe(2);
  });
});
