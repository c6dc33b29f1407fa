import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, ok } from '../../../lib/audit/types';
import consoleUserMfa from '../../../lib/audit/checks/iam/console-user-mfa';
import keyInitialSetup from '../../../lib/audit/checks/iam/key-initial-setup';
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

function run(check: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) {
  return check.evaluate(s, settings);
}
const statuses = (check: AuditCheck, s: AccountSnapshot): string[] => run(check, s).map((f) => f.status);

const reportDenied = withIam({ credentialReport: deniedResult('iam:GetCredentialReport'), accountSummary: deniedResult('iam:GetAccountSummary') });

describe('every IAM check on a compliant snapshot', () => {
  const checks = [rootMfa, rootHardwareMfa, rootAccessKeys, rootRecentUse, consoleUserMfa, userMfaGroup, keyRotation, keyUnused, keySingleActive, keyInitialSetup, passwordPolicy];
  it.each(checks.map((c) => [c.id, c] as const))('%s passes, with live source, account and region', (_id, check) => {
    const fs = run(check, goodSnapshot());
    expect(fs.map((f) => f.status)).toEqual(['PASS']);
    expect(fs[0]).toMatchObject({ source: 'live', ruleId: check.id, controlId: check.controlId, resource: { account: ACCOUNT, region: 'global' } });
    expect(fs[0].citations.length).toBeGreaterThan(0);
  });
  it.each(checks.map((c) => [c.id, c] as const))('%s is ERROR naming the denied action when its source is denied', (_id, check) => {
    const s = withIam({
      credentialReport: deniedResult('iam:GetCredentialReport'), accountSummary: deniedResult('iam:GetAccountSummary'),
      passwordPolicy: deniedResult('iam:GetAccountPasswordPolicy'), virtualMfaDevices: deniedResult('iam:ListVirtualMFADevices'),
      authorization: deniedResult('iam:GetAccountAuthorizationDetails'),
    });
    const fs = run(check, s);
    expect(fs).toHaveLength(1);
    expect(fs[0].status).toBe('ERROR');
    expect(fs[0].message).toMatch(/^cannot verify: iam:\w+ access denied/);
  });
});

describe('root checks', () => {
  it('root MFA fails without MFA', () => {
    const s = withReport([]);
    const bad = { ...s, iam: { ...s.iam, credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [{ ...ROOT_ROW, mfaActive: false }] }) } };
    expect(run(rootMfa, bad)).toMatchObject([{ status: 'FAIL', message: 'root user has no MFA device', resource: { id: `arn:aws:iam::${ACCOUNT}:root` } }]);
  });
  it('root MFA falls back to the account summary when the report is denied', () => {
    const s = withIam({ credentialReport: deniedResult('iam:GetCredentialReport') });
    expect(statuses(rootMfa, s)).toEqual(['PASS']);
    expect(statuses(rootMfa, withIam({ credentialReport: deniedResult('iam:GetCredentialReport'), accountSummary: ok({ AccountMFAEnabled: 0 }) }))).toEqual(['FAIL']);
    expect(run(rootMfa, reportDenied)[0].message).toContain('iam:GetCredentialReport');
  });
  it('hardware MFA fails when root uses a virtual device', () => {
    const s = withIam({ virtualMfaDevices: ok([{ serialNumber: 'arn:aws:iam::111122223333:mfa/root-account-mfa-device', userArn: `arn:aws:iam::${ACCOUNT}:root` }]) });
    const [f] = run(rootHardwareMfa, s);
    expect(f).toMatchObject({ status: 'FAIL', severity: 'warning' });
    expect(f.message).toContain('virtual device');
  });
  it('hardware MFA fails when root has no MFA at all', () => {
    expect(run(rootHardwareMfa, withIam({ accountSummary: ok({ AccountMFAEnabled: 0 }) }))[0].message).toBe('root user has no MFA device at all');
  });
  it('hardware MFA is ERROR when the virtual devices cannot be listed', () => {
    expect(run(rootHardwareMfa, withIam({ virtualMfaDevices: deniedResult('iam:ListVirtualMFADevices') }))[0].message).toContain('iam:ListVirtualMFADevices access denied');
  });
  it('root access keys fail when root has an active key', () => {
    const s = withIam({ credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [{ ...ROOT_ROW, keys: [key(500), NO_KEY] }] }) });
    expect(run(rootAccessKeys, s)).toMatchObject([{ status: 'FAIL', message: 'root user has 1 active access key' }]);
  });
  it('recent root use fails within the window and passes outside it', () => {
    const used = withIam({ credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [{ ...ROOT_ROW, passwordLastUsed: daysAgo(2) }] }) });
    expect(run(rootRecentUse, used)[0]).toMatchObject({ status: 'FAIL' });
    expect(run(rootRecentUse, used)[0].message).toContain('password at');
    expect(run(rootRecentUse, used, { ...SETTINGS, rootRecentUseDays: 1 }).map((f) => f.status)).toEqual(['PASS']);
  });
  it('root checks are ERROR when the report lacks the root row', () => {
    const s = withIam({ credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [row('alice')] }) });
    expect(run(rootRecentUse, s)[0]).toMatchObject({ status: 'ERROR' });
    expect(run(rootRecentUse, s)[0].message).toContain('<root_account>');
  });
});

describe('user MFA checks', () => {
  it('flags each console user without MFA, not users without a password', () => {
    const s = withReport([row('alice'), row('carol', { mfaActive: false }), row('svc', { passwordEnabled: false, mfaActive: false })]);
    const fs = run(consoleUserMfa, s);
    expect(fs.map((f) => [f.status, f.resource.id])).toEqual([['FAIL', `arn:aws:iam::${ACCOUNT}:user/carol`]]);
    expect(fs[0].message).toBe('user carol has a console password and no MFA');
  });
  it('flags users outside every MFA-enforcing group, recognizing inline policies too', () => {
    const s = goodSnapshot();
    const auth = s.iam.authorization.ok ? s.iam.authorization.value : undefined;
    const changed = withIam({
      authorization: ok({
        ...auth!,
        users: [
          { name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, groups: ['operators'] },
          { name: 'dave', arn: `arn:aws:iam::${ACCOUNT}:user/dave`, groups: ['readers'] },
          { name: 'erin', arn: `arn:aws:iam::${ACCOUNT}:user/erin`, groups: [] },
          { name: 'fay', arn: `arn:aws:iam::${ACCOUNT}:user/fay`, groups: ['inline-mfa'] },
        ],
        groups: [...auth!.groups,
          { name: 'readers', arn: 'g', inlinePolicies: [{ name: 'weak', document: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }] } }], attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
          { name: 'inline-mfa', arn: 'g2', inlinePolicies: [{ name: 'mfa', document: JSON.stringify(REQUIRE_MFA) }], attachedPolicyArns: [] }],
      }),
    });
    const fs = run(userMfaGroup, changed);
    expect(fs.map((f) => `${f.status} ${f.resource.id}`)).toEqual([`FAIL arn:aws:iam::${ACCOUNT}:user/dave`, `FAIL arn:aws:iam::${ACCOUNT}:user/erin`]);
    expect(fs[0].message).toContain('groups readers do not enforce MFA');
    expect(fs[1].message).toContain('(no group)');
  });
});

describe('access key checks', () => {
  it('rotation fails for an active key older than 90 days, ignores inactive ones', () => {
    const s = withReport([row('old', { keys: [key(120, 1), { ...key(400), active: false }] }), row('new', { keys: [key(10, 1), NO_KEY] })]);
    const fs = run(keyRotation, s);
    expect(fs.map((f) => f.status)).toEqual(['FAIL']);
    expect(fs[0].message).toBe('user old access key 1 is 120 days old (limit 90)');
  });
  it('rotation fails when an active key has no rotation date', () => {
    const s = withReport([row('odd', { keys: [{ active: true }, NO_KEY] })]);
    expect(run(keyRotation, s)[0].message).toContain('rotation date is unknown');
  });
  it('unused fails for keys unused 45 days and never-used old keys and unused passwords', () => {
    const s = withReport([
      row('stale', { keys: [key(80, 60), NO_KEY] }),
      row('never', { keys: [key(50), NO_KEY] }),
      row('fresh', { keys: [key(10), NO_KEY] }),
      row('nologin', { passwordLastUsed: daysAgo(100) }),
    ]);
    const fs = run(keyUnused, s);
    expect(fs.map((f) => f.message)).toEqual([
      expect.stringMatching(/^user stale access key 1 is active and last used/),
      'user never access key 1 is active and never used (limit 45 days)',
      expect.stringMatching(/^user nologin console password is enabled and last used/),
    ]);
  });
  it('two active keys fail', () => {
    const s = withReport([row('two', { keys: [key(10, 1), key(5, 1)] }), row('one', { keys: [key(10, 1), { ...key(5), active: false }] })]);
    expect(run(keySingleActive, s).map((f) => `${f.status} ${f.message}`)).toEqual(['FAIL user two has two active access keys']);
  });
  it('keys created with the user and never used fail; used ones and later ones pass', () => {
    const created = daysAgo(10);
    const s = withReport([
      row('setup', { userCreationTime: created, keys: [{ active: true, lastRotated: created }, NO_KEY] }),
      row('used', { userCreationTime: created, keys: [{ active: true, lastRotated: created, lastUsedDate: daysAgo(1) }, NO_KEY] }),
      row('later', { userCreationTime: created, keys: [{ active: true, lastRotated: daysAgo(3) }, NO_KEY] }),
    ]);
    expect(run(keyInitialSetup, s).map((f) => f.message)).toEqual(['user setup access key 1 was created with the user and never used']);
  });
  it('an active never-used key whose dates the report lacks is ERROR, never a silent pass', () => {
    const s = withReport([
      row('nodate', { userCreationTime: undefined, keys: [{ active: true, lastRotated: daysAgo(10) }, NO_KEY] }),
      row('nokeydate', { userCreationTime: daysAgo(10), keys: [{ active: true }, NO_KEY] }),
    ]);
    expect(run(keyInitialSetup, s).map((f) => `${f.status} ${f.message}`)).toEqual([
      'ERROR cannot verify: user nodate access key 1 is active and never used, but the credential report gives no user creation time',
      'ERROR cannot verify: user nokeydate access key 1 is active and never used, but the credential report gives no key creation time',
    ]);
  });
});

describe('password policy', () => {
  it('fails when there is no policy', () => {
    expect(run(passwordPolicy, withIam({ passwordPolicy: ok(null) }))[0]).toMatchObject({ status: 'FAIL', message: expect.stringContaining('no password policy') });
  });
  it('fails naming every shortfall', () => {
    const [f] = run(passwordPolicy, withIam({ passwordPolicy: ok({ minimumPasswordLength: 8, passwordReusePrevention: 5, requireSymbols: true, requireNumbers: true }) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toBe('password policy too weak: minimum length 8 < 14; reuse prevention 5 < 24; does not require uppercase, lowercase');
    expect(f.citations).toEqual(expect.arrayContaining([{ framework: 'cis-aws', section: '1.8' }, { framework: 'cis-aws', section: '1.9' }]));
  });
});

describe('access keys: unknown dates and which key (mutation survivors)', () => {
  it('an active never-used key whose user or key creation time the report omits cannot be verified (never a silent PASS)', () => {
    const noUserTime = withReport([ROOT_ROW, row('a', { userCreationTime: undefined, keys: [{ active: true, lastRotated: daysAgo(400) }, NO_KEY] })]);
    expect(run(keyInitialSetup, noUserTime)).toMatchObject([{ status: 'ERROR', message: 'cannot verify: user a access key 1 is active and never used, but the credential report gives no user creation time' }]);
    const noKeyTime = withReport([ROOT_ROW, row('b', { keys: [NO_KEY, { active: true }] })]);
    expect(run(keyInitialSetup, noKeyTime)).toMatchObject([{ status: 'ERROR', message: 'cannot verify: user b access key 2 is active and never used, but the credential report gives no key creation time' }]);
  });
  it('names the second key by its number', () => {
    const s = withReport([ROOT_ROW, row('c', { keys: [NO_KEY, { active: true }] })]);
    expect(run(keyRotation, s).map((f) => f.message)).toEqual(['user c access key 2 is active and its rotation date is unknown']);
  });
});
