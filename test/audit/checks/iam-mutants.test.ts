/**
 * IAM live checks: the behaviours mutation testing (issue 14) found unpinned — both sides of every
 * threshold, every fallback and error path, every key of a user examined, the messages a user reads.
 */
import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, CredentialReportRow, ok } from '../../../lib/audit/types';
import consoleUserMfa from '../../../lib/audit/checks/iam/console-user-mfa';
import keyInitialSetup, { INITIAL_SETUP_WINDOW_MS } from '../../../lib/audit/checks/iam/key-initial-setup';
import keyRotation from '../../../lib/audit/checks/iam/key-rotation';
import keySingleActive from '../../../lib/audit/checks/iam/key-single-active';
import keyUnused from '../../../lib/audit/checks/iam/key-unused';
import passwordPolicy from '../../../lib/audit/checks/iam/password-policy';
import rootAccessKeys from '../../../lib/audit/checks/iam/root-access-keys';
import rootHardwareMfa from '../../../lib/audit/checks/iam/root-hardware-mfa';
import rootMfa from '../../../lib/audit/checks/iam/root-mfa';
import rootRecentUse from '../../../lib/audit/checks/iam/root-recent-use';
import userMfaGroup from '../../../lib/audit/checks/iam/user-mfa-group';
import {
  ACCOUNT, NO_KEY, NOW, REQUIRE_MFA, ROOT_ROW, SETTINGS, daysAgo, deniedResult, goodSnapshot, key, row, withIam, withReport,
} from '../support/snapshots';

const run = (c: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => c.evaluate(s, settings);
const lines = (c: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => run(c, s, settings).map((f) => `${f.status} ${f.message}`);
const report = (rows: CredentialReportRow[]) => ok({ generatedAt: NOW.toISOString(), rows });
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const NO_ROOT_ROW = 'ERROR cannot verify: iam:GetCredentialReport failed (the report has no <root_account> row)';

describe('root MFA: credential report first, account summary as fallback, ERROR when neither answers', () => {
  it('passes with the root row saying MFA, and the report wins over the summary', () => {
    expect(lines(rootMfa, goodSnapshot())).toEqual(['PASS root user has MFA']);
    const s = withIam({ credentialReport: report([{ ...ROOT_ROW, mfaActive: false }]), accountSummary: ok({ AccountMFAEnabled: 1 }) });
    expect(lines(rootMfa, s)).toEqual(['FAIL root user has no MFA device']);
  });
  it('falls back to the summary when the report has no root row', () => {
    const rows = [row('alice')];
    expect(lines(rootMfa, withIam({ credentialReport: report(rows), accountSummary: ok({ AccountMFAEnabled: 1 }) }))).toEqual(['PASS root user has MFA']);
    expect(lines(rootMfa, withIam({ credentialReport: report(rows), accountSummary: ok({ AccountMFAEnabled: 0 }) }))).toEqual(['FAIL root user has no MFA device']);
  });
  it('is ERROR (never FAIL or PASS) when the summary lacks AccountMFAEnabled and the report is denied', () => {
    const s = withIam({ credentialReport: deniedResult('iam:GetCredentialReport'), accountSummary: ok({ Users: 2 }) });
    expect(run(rootMfa, s)).toMatchObject([{ status: 'ERROR', resource: { id: ROOT }, message: expect.stringContaining('iam:GetCredentialReport access denied') }]);
  });
  it('is ERROR naming the missing root row when the report has none and the summary cannot help', () => {
    expect(lines(rootMfa, withIam({ credentialReport: report([row('alice')]), accountSummary: ok({}) }))).toEqual([NO_ROOT_ROW]);
    expect(lines(rootMfa, withIam({ credentialReport: report([row('alice')]), accountSummary: deniedResult('iam:GetAccountSummary') }))).toEqual([NO_ROOT_ROW]);
  });
});

describe('root access keys', () => {
  const rootKeys = (keys: CredentialReportRow['keys']) => withIam({ credentialReport: report([{ ...ROOT_ROW, keys }]) });
  it('passes with both keys inactive, counts each active key (both slots examined)', () => {
    expect(lines(rootAccessKeys, goodSnapshot())).toEqual(['PASS root user has no active access key']);
    expect(lines(rootAccessKeys, rootKeys([NO_KEY, key(5)]))).toEqual(['FAIL root user has 1 active access key']);
    expect(lines(rootAccessKeys, rootKeys([key(5), key(6)]))).toEqual(['FAIL root user has 2 active access keys']);
  });
  it('the report wins over the summary', () => {
    const s = withIam({ credentialReport: report([{ ...ROOT_ROW, keys: [key(5), NO_KEY] }]), accountSummary: ok({ AccountAccessKeysPresent: 0 }) });
    expect(lines(rootAccessKeys, s)).toEqual(['FAIL root user has 1 active access key']);
  });
  it('falls back to AccountAccessKeysPresent when the report is denied', () => {
    const denied = { credentialReport: deniedResult('iam:GetCredentialReport') };
    expect(lines(rootAccessKeys, withIam({ ...denied, accountSummary: ok({ AccountAccessKeysPresent: 1 }) }))).toEqual(['FAIL root user has 1 active access key']);
    expect(lines(rootAccessKeys, withIam({ ...denied, accountSummary: ok({ AccountAccessKeysPresent: 0 }) }))).toEqual(['PASS root user has no active access key']);
  });
  it('is ERROR when neither the report nor the summary says', () => {
    const s = withIam({ credentialReport: deniedResult('iam:GetCredentialReport'), accountSummary: ok({ AccountMFAEnabled: 1 }) });
    expect(run(rootAccessKeys, s)).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('iam:GetCredentialReport access denied') }]);
    expect(lines(rootAccessKeys, withIam({ credentialReport: report([row('alice')]), accountSummary: ok({}) }))).toEqual([NO_ROOT_ROW]);
  });
});

describe('root hardware MFA', () => {
  it('passes naming the device kind; a virtual device of another user does not count, an unassigned one neither', () => {
    const s = withIam({ virtualMfaDevices: ok([{ serialNumber: 'arn:aws:iam::111122223333:mfa/spare' }, { serialNumber: 'arn:aws:iam::111122223333:mfa/bob', userArn: `arn:aws:iam::${ACCOUNT}:user/bob` }]) });
    expect(lines(rootHardwareMfa, s)).toEqual(['PASS root MFA is a hardware or FIDO2 device']);
  });
  it('fails naming the virtual device serial when root has one among others', () => {
    const s = withIam({ virtualMfaDevices: ok([
      { serialNumber: 'arn:aws:iam::111122223333:mfa/bob', userArn: `arn:aws:iam::${ACCOUNT}:user/bob` },
      { serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device', userArn: ROOT },
    ]) });
    expect(lines(rootHardwareMfa, s)).toEqual(['FAIL root MFA is a virtual device (arn:aws:iam::111122223333:mfa/root-account-mfa-device); TOTP codes can be phished']);
  });
  it('is ERROR when only the account summary is denied', () => {
    expect(run(rootHardwareMfa, withIam({ accountSummary: deniedResult('iam:GetAccountSummary') }))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('iam:GetAccountSummary access denied') }]);
  });
});

describe('root recent use: both sides of the window, each credential examined', () => {
  const used = (over: Partial<CredentialReportRow>) => withIam({ credentialReport: report([{ ...ROOT_ROW, ...over }]) });
  it('a use exactly rootRecentUseDays ago is outside the window; one day later is inside', () => {
    expect(lines(rootRecentUse, used({ passwordLastUsed: daysAgo(7) }))).toEqual(['PASS root user not used within the last 7 days']);
    expect(lines(rootRecentUse, used({ passwordLastUsed: daysAgo(6) }))).toEqual([`FAIL root user used within the last 7 days: password at ${daysAgo(6)}`]);
  });
  it('each access key is examined, and every recent use is listed', () => {
    expect(lines(rootRecentUse, used({ passwordLastUsed: undefined, keys: [key(300, 1), NO_KEY] }))).toEqual([`FAIL root user used within the last 7 days: access key 1 at ${daysAgo(1)}`]);
    expect(lines(rootRecentUse, used({ passwordLastUsed: undefined, keys: [NO_KEY, key(300, 2)] }))).toEqual([`FAIL root user used within the last 7 days: access key 2 at ${daysAgo(2)}`]);
    expect(lines(rootRecentUse, used({ passwordLastUsed: daysAgo(3), keys: [key(300, 1), key(300, 2)] }))).toEqual([
      `FAIL root user used within the last 7 days: password at ${daysAgo(3)}, access key 1 at ${daysAgo(1)}, access key 2 at ${daysAgo(2)}`]);
  });
  it('a root never used passes', () => {
    expect(lines(rootRecentUse, used({ passwordLastUsed: undefined }))).toEqual(['PASS root user not used within the last 7 days']);
  });
});

describe('console user MFA', () => {
  it('passes counting the console users only', () => {
    const s = withReport([row('alice'), row('bob'), row('svc', { passwordEnabled: false, mfaActive: false }), row('odd', { passwordEnabled: undefined, mfaActive: false })]);
    expect(lines(consoleUserMfa, s)).toEqual(['PASS all 2 console users have MFA']);
  });
  it('fails every console user without MFA, not only the first', () => {
    const s = withReport([row('a', { mfaActive: false }), row('b'), row('c', { mfaActive: false })]);
    expect(run(consoleUserMfa, s).map((f) => `${f.status} ${f.resource.id}`)).toEqual([`FAIL arn:aws:iam::${ACCOUNT}:user/a`, `FAIL arn:aws:iam::${ACCOUNT}:user/c`]);
  });
});

describe('access key rotation: both sides of keyMaxAgeDays, each key examined', () => {
  it('a key exactly keyMaxAgeDays old passes; one day older fails', () => {
    expect(lines(keyRotation, withReport([row('u', { keys: [key(90, 1), NO_KEY] })]))).toEqual(['PASS every active access key was rotated within 90 days']);
    expect(lines(keyRotation, withReport([row('u', { keys: [key(91, 1), NO_KEY] })]))).toEqual(['FAIL user u access key 1 is 91 days old (limit 90)']);
  });
  it('the second key is examined too', () => {
    expect(lines(keyRotation, withReport([row('u', { keys: [key(10, 1), key(200, 1)] })]))).toEqual(['FAIL user u access key 2 is 200 days old (limit 90)']);
  });
  it('an inactive key without a rotation date is not flagged; the configured limit is honoured', () => {
    expect(lines(keyRotation, withReport([row('u', { keys: [{ active: false }, NO_KEY] })]))).toEqual(['PASS every active access key was rotated within 90 days']);
    expect(lines(keyRotation, withReport([row('u', { keys: [key(31, 1), NO_KEY] })]), { ...SETTINGS, keyMaxAgeDays: 30 })).toEqual(['FAIL user u access key 1 is 31 days old (limit 30)']);
  });
});

describe('single active key', () => {
  it('passes naming the rule; every user with two active keys fails', () => {
    expect(lines(keySingleActive, goodSnapshot())).toEqual(['PASS no user has two active access keys']);
    const s = withReport([row('a', { keys: [key(1), key(2)] }), row('b', { keys: [NO_KEY, key(2)] }), row('c', { keys: [key(1), key(2)] })]);
    expect(lines(keySingleActive, s)).toEqual(['FAIL user a has two active access keys', 'FAIL user c has two active access keys']);
  });
});

describe('unused credentials: both sides of keyUnusedDays, the date each is measured from', () => {
  const keyRow = (k: CredentialReportRow['keys'][0], over: Partial<CredentialReportRow> = {}) => withReport([row('u', { keys: [NO_KEY, k], ...over })]);
  const PASS = 'PASS every enabled credential was used within 45 days';
  it('a key last used exactly 45 days ago passes; 46 days ago fails (the second key examined)', () => {
    expect(lines(keyUnused, keyRow(key(300, 45)))).toEqual([PASS]);
    expect(lines(keyUnused, keyRow(key(300, 46)))).toEqual([`FAIL user u access key 2 is active and last used ${daysAgo(46)} (limit 45 days)`]);
  });
  it('a recent use counts even when the key is old', () => {
    expect(lines(keyUnused, keyRow(key(300, 2)))).toEqual([PASS]);
  });
  it('a never-used key is measured from its creation, then from the user creation', () => {
    expect(lines(keyUnused, keyRow(key(10)))).toEqual([PASS]);
    expect(lines(keyUnused, keyRow({ active: true }, { userCreationTime: daysAgo(10) }))).toEqual([PASS]);
    expect(lines(keyUnused, keyRow({ active: true }, { userCreationTime: daysAgo(46) }))).toEqual(['FAIL user u access key 2 is active and never used (limit 45 days)']);
  });
  it('an active key with no date at all fails; an inactive stale key does not', () => {
    expect(lines(keyUnused, keyRow({ active: true }, { userCreationTime: undefined }))).toEqual(['FAIL user u access key 2 is active and never used (limit 45 days)']);
    expect(lines(keyUnused, keyRow({ active: false, lastRotated: daysAgo(400), lastUsedDate: daysAgo(300) }))).toEqual([PASS]);
  });
  it('a console password: last use, else last change, else user creation; exactly 45 days passes', () => {
    const pw = (over: Partial<CredentialReportRow>) => withReport([row('u', over)]);
    expect(lines(keyUnused, pw({ passwordLastUsed: daysAgo(45) }))).toEqual([PASS]);
    expect(lines(keyUnused, pw({ passwordLastUsed: daysAgo(46) }))).toEqual([`FAIL user u console password is enabled and last used ${daysAgo(46)} (limit 45 days)`]);
    expect(lines(keyUnused, pw({ passwordLastUsed: undefined, passwordLastChanged: daysAgo(10) }))).toEqual([PASS]);
    expect(lines(keyUnused, pw({ passwordLastUsed: undefined, passwordLastChanged: daysAgo(50) }))).toEqual(['FAIL user u console password is enabled and never used (limit 45 days)']);
    expect(lines(keyUnused, pw({ passwordLastUsed: undefined, passwordLastChanged: undefined, userCreationTime: daysAgo(10) }))).toEqual([PASS]);
    expect(lines(keyUnused, pw({ passwordLastUsed: undefined, passwordLastChanged: undefined, userCreationTime: daysAgo(50) }))).toEqual(['FAIL user u console password is enabled and never used (limit 45 days)']);
    expect(lines(keyUnused, pw({ passwordLastUsed: undefined, passwordLastChanged: undefined, userCreationTime: undefined }))).toEqual(['FAIL user u console password is enabled and never used (limit 45 days)']);
  });
  it('a user without a console password is not judged on its password dates', () => {
    expect(lines(keyUnused, withReport([row('u', { passwordEnabled: false, passwordLastUsed: daysAgo(400) }), row('v', { passwordEnabled: undefined, passwordLastUsed: daysAgo(400) })]))).toEqual([PASS]);
  });
});

describe('key created at user setup and never used: both sides of the window', () => {
  const created = daysAgo(10);
  const at = (offsetMs: number, over: Partial<CredentialReportRow['keys'][0]> = {}) => withReport([row('u', {
    userCreationTime: created, keys: [NO_KEY, { active: true, lastRotated: new Date(Date.parse(created) + offsetMs).toISOString(), ...over }],
  })]);
  const PASS = 'PASS no never-used access key created with its user';
  it('a key made exactly one window after the user fails; a second later passes (second key examined)', () => {
    expect(lines(keyInitialSetup, at(INITIAL_SETUP_WINDOW_MS))).toEqual(['FAIL user u access key 2 was created with the user and never used']);
    expect(lines(keyInitialSetup, at(INITIAL_SETUP_WINDOW_MS + 1000))).toEqual([PASS]);
  });
  it('an inactive setup key is not flagged', () => {
    expect(lines(keyInitialSetup, at(0, { active: false }))).toEqual([PASS]);
  });
});

describe('password policy: both sides of each minimum, every character class', () => {
  const STRONG = { minimumPasswordLength: 14, passwordReusePrevention: 24, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true };
  const pp = (over: Record<string, unknown>) => withIam({ passwordPolicy: ok({ ...STRONG, ...over }) });
  it('the minimums pass exactly and fail one below', () => {
    expect(lines(passwordPolicy, pp({}))).toEqual(['PASS password policy: length >= 14, reuse prevention 24, all character classes']);
    expect(lines(passwordPolicy, pp({ minimumPasswordLength: 13 }))).toEqual(['FAIL password policy too weak: minimum length 13 < 14']);
    expect(lines(passwordPolicy, pp({ passwordReusePrevention: 23 }))).toEqual(['FAIL password policy too weak: reuse prevention 23 < 24']);
  });
  it('an unset length or reuse prevention fails as unset', () => {
    expect(lines(passwordPolicy, pp({ minimumPasswordLength: undefined, passwordReusePrevention: undefined })))
      .toEqual(['FAIL password policy too weak: minimum length unset < 14; reuse prevention unset < 24']);
  });
  it.each([
    ['requireSymbols', 'symbols'], ['requireNumbers', 'numbers'], ['requireUppercaseCharacters', 'uppercase'], ['requireLowercaseCharacters', 'lowercase'],
  ])('a policy without %s fails naming %s', (field, name) => {
    expect(lines(passwordPolicy, pp({ [field]: false }))).toEqual([`FAIL password policy too weak: does not require ${name}`]);
    expect(lines(passwordPolicy, pp({ [field]: undefined }))).toEqual([`FAIL password policy too weak: does not require ${name}`]);
  });
  it('the no-policy FAIL names the AWS defaults', () => {
    expect(lines(passwordPolicy, withIam({ passwordPolicy: ok(null) }))).toEqual(['FAIL the account has no password policy (AWS defaults: 8 characters, no reuse prevention)']);
  });
});

describe('users in an MFA-enforcing group', () => {
  const auth = (value: object) => withIam({ authorization: ok(value as never) });
  const alice = { name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, groups: ['ops'] };
  it('passes listing the enforcing groups, sorted', () => {
    const s = auth({
      users: [alice, { name: 'bob', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, groups: ['admins'] }],
      groups: [
        { name: 'ops', arn: 'g1', inlinePolicies: [], attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'p'] },
        { name: 'admins', arn: 'g2', inlinePolicies: [{ name: 'mfa', document: REQUIRE_MFA }], attachedPolicyArns: [] },
      ],
      policies: [{ arn: 'p', name: 'require-mfa', document: REQUIRE_MFA }],
    });
    expect(lines(userMfaGroup, s)).toEqual(['PASS all 2 users are in an MFA-enforcing group (admins, ops)']);
  });
  it('an account without users passes, no group needed', () => {
    expect(lines(userMfaGroup, auth({ users: [], groups: [], policies: [] }))).toEqual(['PASS all 0 users are in an MFA-enforcing group (none needed)']);
  });
  it('a managed policy attached to the group that does not enforce MFA does not count', () => {
    const s = auth({
      users: [alice],
      groups: [{ name: 'ops', arn: 'g1', inlinePolicies: [{ name: 'other', document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }], attachedPolicyArns: ['p'] }],
      policies: [{ arn: 'p', name: 'require-mfa-but-not', document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    });
    expect(lines(userMfaGroup, s)).toEqual(['FAIL user alice is outside every MFA-enforcing group (groups ops do not enforce MFA)']);
  });
});

describe('root recent use and MFA groups: what each outcome says (mutation survivors)', () => {
  it('root recent use is ERROR naming the report and the missing root row', () => {
    expect(lines(rootRecentUse, withIam({ credentialReport: report([row('alice')]) }))).toEqual([NO_ROOT_ROW]);
  });
  it('a user outside every MFA-enforcing group is told each of its groups', () => {
    const s = withIam({ authorization: ok({
      users: [{ name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, groups: ['ops', 'dev'] }],
      groups: [{ name: 'ops', arn: 'g1', inlinePolicies: [], attachedPolicyArns: [] }, { name: 'dev', arn: 'g2', inlinePolicies: [], attachedPolicyArns: [] }],
      policies: [],
    } as never) });
    expect(lines(userMfaGroup, s)).toEqual(['FAIL user alice is outside every MFA-enforcing group (groups ops, dev do not enforce MFA)']);
  });
});
