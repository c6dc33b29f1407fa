import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, ok } from '../../../lib/audit/types';
import mfaRecentEnrolment from '../../../lib/audit/checks/iam/mfa-recent-enrolment';
import mfaSingleDevice from '../../../lib/audit/checks/iam/mfa-single-device';
import noUsers from '../../../lib/audit/checks/iam/no-users';
import privilegedHardwareMfa from '../../../lib/audit/checks/iam/privileged-hardware-mfa';
import userMfaGroup from '../../../lib/audit/checks/iam/user-mfa-group';
import { isVirtualSerial } from '../../../lib/audit/checks/iam/mfa-devices';
import { privilegedUsers } from '../../../lib/audit/privileged';
import {
  ACCOUNT, NO_KEY, REQUIRE_MFA, SETTINGS, daysAgo, deniedResult, goodSnapshot, key, row, withIam, withReport,
} from '../support/snapshots';

const run = (check: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => check.evaluate(s, settings);
const statuses = (check: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => run(check, s, settings).map((f) => f.status);

const user = (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`;
const vmfa = (n: string) => `arn:aws:iam::${ACCOUNT}:mfa/${n}`;
const fido = (n: string) => `arn:aws:iam::${ACCOUNT}:u2f/user/${n}/key-ABCDEF`;

const ADMIN_INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const READ_ONLY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:Get*', 'iam:List*'], Resource: '*' }] };

/** alice (operators, read-only) and root-like admin bob: bob is privileged through group admins' inline policy. */
function withAdmin(devices: { serialNumber: string; enableDate?: string }[] | undefined, over: Partial<AccountSnapshot['iam']> = {}): AccountSnapshot {
  const base = goodSnapshot();
  return {
    ...base,
    iam: {
      ...base.iam,
      authorization: ok({
        users: [
          { name: 'alice', arn: user('alice'), groups: ['operators'] },
          { name: 'bob', arn: user('bob'), groups: ['admins', 'operators'] },
        ],
        groups: [
          { name: 'operators', arn: `arn:aws:iam::${ACCOUNT}:group/operators`, inlinePolicies: [{ name: 'read', document: READ_ONLY }], attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/require-mfa`] },
          { name: 'admins', arn: `arn:aws:iam::${ACCOUNT}:group/admins`, inlinePolicies: [{ name: 'all', document: ADMIN_INLINE }], attachedPolicyArns: [] },
        ],
        policies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/require-mfa`, name: 'require-mfa', document: REQUIRE_MFA }],
      }),
      privilegedMfaDevices: devices === undefined ? undefined : ok([{ user: 'bob', arn: user('bob'), devices }]),
      ...over,
    },
  };
}

describe('privileged users (lib/policy decides, not names)', () => {
  const auth = (u: object, groups: object[] = [], policies: object[] = []) => ({ users: [{ name: 'u', arn: user('u'), groups: [], ...u }], groups, policies } as never);
  it('a group inline policy allowing * makes its members privileged; read-only does not', () => {
    const s = withAdmin([]);
    const p = privilegedUsers((s.iam.authorization as unknown as { value: never }).value, ACCOUNT);
    expect(p.map((x) => x.user.name)).toEqual(['bob']);
    expect(p[0].why).toBe('group admins inline policy all allows iam:AttachUserPolicy');
  });
  it('AWS-managed AdministratorAccess on the user is privileged; ReadOnlyAccess is not', () => {
    expect(privilegedUsers(auth({ attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }), ACCOUNT)).toHaveLength(1);
    expect(privilegedUsers(auth({ attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }), ACCOUNT)).toHaveLength(0);
  });
  it('a user inline policy allowing only iam:PassRole is privileged; a Deny of it is not', () => {
    const pass = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] };
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] };
    expect(privilegedUsers(auth({ inlinePolicies: [{ name: 'p', document: pass }] }), ACCOUNT)[0].why).toBe('inline policy p allows iam:PassRole');
    expect(privilegedUsers(auth({ inlinePolicies: [{ name: 'd', document: deny }] }), ACCOUNT)).toHaveLength(0);
  });
  it('a malformed policy counts as privileged (fail closed)', () => {
    expect(privilegedUsers(auth({ inlinePolicies: [{ name: 'bad', document: { Statement: [{ Effect: 'Perhaps' }] } }] }), ACCOUNT)[0].why).toMatch(/unreadable policy/);
  });
});

describe('iam-mfa-single-device', () => {
  it('passes with one device per user', () => {
    expect(statuses(mfaSingleDevice, goodSnapshot())).toEqual(['PASS']);
  });
  it('fails a user with two virtual devices, naming both', () => {
    const s = withIam({ virtualMfaDevices: ok([{ serialNumber: vmfa('alice'), userArn: user('alice') }, { serialNumber: vmfa('alice-2'), userArn: user('alice') }]) });
    expect(run(mfaSingleDevice, s)).toMatchObject([{ status: 'FAIL', controlId: 'IAM-MFA', resource: { id: user('alice') }, message: `user alice has 2 MFA devices: ${vmfa('alice')}, ${vmfa('alice-2')}` }]);
  });
  it('fails a privileged user with a FIDO key and a virtual device; the same virtual device listed twice counts once', () => {
    const s = withAdmin([{ serialNumber: fido('bob') }, { serialNumber: vmfa('bob') }], { virtualMfaDevices: ok([{ serialNumber: vmfa('bob'), userArn: user('bob') }]) });
    expect(run(mfaSingleDevice, s).map((f) => [f.status, f.message])).toEqual([['FAIL', `user bob has 2 MFA devices: ${vmfa('bob')}, ${fido('bob')}`]]);
    const once = withAdmin([{ serialNumber: vmfa('bob') }], { virtualMfaDevices: ok([{ serialNumber: vmfa('bob'), userArn: user('bob') }]) });
    expect(statuses(mfaSingleDevice, once)).toEqual(['PASS']);
  });
  it('is ERROR when a listing is denied or the privileged devices were never collected', () => {
    expect(run(mfaSingleDevice, withIam({ virtualMfaDevices: deniedResult('iam:ListVirtualMFADevices') }))[0].message).toMatch(/^cannot verify: iam:ListVirtualMFADevices access denied/);
    expect(run(mfaSingleDevice, withIam({ privilegedMfaDevices: deniedResult('iam:ListMFADevices') }))[0].message).toMatch(/^cannot verify: iam:ListMFADevices access denied/);
    expect(run(mfaSingleDevice, withIam({ privilegedMfaDevices: undefined }))).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/not collected/) }]);
  });
});

describe('iam-privileged-hardware-mfa', () => {
  it('passes a privileged user with a FIDO key', () => {
    expect(run(privilegedHardwareMfa, withAdmin([{ serialNumber: fido('bob') }]))).toMatchObject([{ status: 'PASS', message: 'all 1 privileged users have a FIDO2 or hardware MFA device' }]);
  });
  it('passes a hardware TOTP token (plain serial)', () => {
    expect(statuses(privilegedHardwareMfa, withAdmin([{ serialNumber: 'GAHT12345678' }]))).toEqual(['PASS']);
  });
  it('fails a privileged user with only a virtual TOTP device, saying why the user is privileged', () => {
    expect(run(privilegedHardwareMfa, withAdmin([{ serialNumber: vmfa('bob') }]))).toMatchObject([{
      status: 'FAIL', resource: { id: user('bob') },
      message: `privileged user bob (group admins inline policy all allows iam:AttachUserPolicy) has only virtual TOTP MFA (${vmfa('bob')})`,
    }]);
  });
  it('fails a privileged user with no device at all', () => {
    expect(run(privilegedHardwareMfa, withAdmin([]))[0]).toMatchObject({ status: 'FAIL', message: expect.stringContaining('has no MFA device') });
  });
  it('is ERROR for a privileged user whose devices are missing from the snapshot (never a pass)', () => {
    const s = withAdmin(undefined, { privilegedMfaDevices: ok([]) });
    expect(run(privilegedHardwareMfa, s)).toMatchObject([{ status: 'ERROR', resource: { id: user('bob') }, message: expect.stringMatching(/^cannot verify: privileged user bob/) }]);
  });
  it('is ERROR when authorization details or ListMFADevices are denied', () => {
    expect(run(privilegedHardwareMfa, withIam({ authorization: deniedResult('iam:GetAccountAuthorizationDetails') }))[0].status).toBe('ERROR');
    expect(run(privilegedHardwareMfa, withAdmin(undefined, { privilegedMfaDevices: deniedResult('iam:ListMFADevices') }))[0].message).toMatch(/iam:ListMFADevices access denied/);
  });
});

describe('iam-mfa-recent-enrolment (both sides of mfaRecentDays)', () => {
  const at = (enableDate: string) => withIam({ virtualMfaDevices: ok([{ serialNumber: vmfa('alice'), userArn: user('alice'), enableDate }]) });
  const justInside = new Date(SETTINGS.now.getTime() - 7 * 86_400_000 + 60_000).toISOString();
  const justOutside = new Date(SETTINGS.now.getTime() - 7 * 86_400_000 - 60_000).toISOString();
  it('fails a device enabled a minute inside the window, naming it and the date', () => {
    expect(run(mfaRecentEnrolment, at(justInside))).toMatchObject([{ status: 'FAIL', resource: { id: user('alice') }, message: `MFA device ${vmfa('alice')} of alice was enabled ${justInside}, within the last 7 days` }]);
  });
  it('passes a device enabled a minute before the window', () => {
    expect(statuses(mfaRecentEnrolment, at(justOutside))).toEqual(['PASS']);
  });
  it('follows the configured window', () => {
    expect(statuses(mfaRecentEnrolment, at(daysAgo(20)), { ...SETTINGS, mfaRecentDays: 30 })).toEqual(['FAIL']);
    expect(statuses(mfaRecentEnrolment, at(daysAgo(20)), { ...SETTINGS, mfaRecentDays: 14 })).toEqual(['PASS']);
  });
  it('sees a recent FIDO key of a privileged user (not in the virtual listing)', () => {
    expect(run(mfaRecentEnrolment, withAdmin([{ serialNumber: fido('bob'), enableDate: daysAgo(1) }]))[0]).toMatchObject({ status: 'FAIL', resource: { id: user('bob') } });
  });
  it('flags root enrolling a new virtual device', () => {
    const s = withIam({ virtualMfaDevices: ok([{ serialNumber: vmfa('root-account-mfa-device'), userArn: `arn:aws:iam::${ACCOUNT}:root`, enableDate: daysAgo(2) }]) });
    expect(run(mfaRecentEnrolment, s)[0]).toMatchObject({ status: 'FAIL', resource: { type: 'AWS::IAM::Root' } });
  });
  it('is ERROR when the listing is denied', () => {
    expect(statuses(mfaRecentEnrolment, withIam({ virtualMfaDevices: deniedResult('iam:ListVirtualMFADevices') }))).toEqual(['ERROR']);
  });
});

describe('iam-no-users', () => {
  const NONE: CheckSettings = { ...SETTINGS, breakGlassUsers: [] };
  const noCreds = (n: string) => row(n, { passwordEnabled: false, mfaActive: false, keys: [NO_KEY, NO_KEY] });
  it('passes when no user has a password or an active key', () => {
    expect(statuses(noUsers, withReport([noCreds('a'), row('b', { passwordEnabled: false, keys: [{ ...key(10), active: false }, NO_KEY] })]), NONE)).toEqual(['PASS']);
  });
  it('fails a console password and an active access key, one finding per user naming both', () => {
    const fs = run(noUsers, withReport([row('alice', { keys: [NO_KEY, key(10, 1)] }), noCreds('b'), row('svc', { passwordEnabled: false, keys: [key(3), NO_KEY] })]), NONE);
    expect(fs.map((f) => [f.status, f.resource.id, f.message])).toEqual([
      ['FAIL', user('alice'), 'IAM user alice has a console password and active access key 2'],
      ['FAIL', user('svc'), 'IAM user svc has active access key 1'],
    ]);
    expect(fs[0]).toMatchObject({ controlId: 'IAM-NOUSERS', lessonId: 'L1', source: 'live' });
  });
  it('excepts the break-glass users named in configuration, and says so', () => {
    const s = withReport([row('breakglass'), noCreds('b')]);
    expect(statuses(noUsers, s, NONE)).toEqual(['FAIL']);
    expect(run(noUsers, s, { ...SETTINGS, breakGlassUsers: ['breakglass'] })).toMatchObject([{ status: 'PASS', message: expect.stringContaining('break-glass excepted: breakglass') }]);
  });
  it('does not count root (its own checks cover it)', () => {
    expect(statuses(noUsers, withReport([]), NONE)).toEqual(['PASS']);
  });
  it('is ERROR when the credential report is denied', () => {
    expect(run(noUsers, withIam({ credentialReport: deniedResult('iam:GetCredentialReport') }), NONE)[0].message).toMatch(/^cannot verify: iam:GetCredentialReport access denied/);
  });
});

describe('MFA enrolment, devices and groups: the cases mutation testing found untested', () => {
  it('a recent enrolment cannot be judged without the privileged users\' devices (never PASS)', () => {
    expect(run(mfaRecentEnrolment, withIam({ privilegedMfaDevices: undefined }))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('iam:ListMFADevices) were not collected') }]);
    expect(run(mfaRecentEnrolment, withIam({ privilegedMfaDevices: deniedResult('iam:ListMFADevices') }))).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/^cannot verify: iam:ListMFADevices access denied/) }]);
  });
  it('a device enrolled exactly mfaRecentDays ago is no longer recent; an unassigned or undated device is no enrolment', () => {
    const at = (enableDate: string | undefined, assigned = true) =>
      statuses(mfaRecentEnrolment, withIam({ virtualMfaDevices: ok([{ serialNumber: vmfa('alice'), userArn: assigned ? user('alice') : undefined, enableDate }]), privilegedMfaDevices: ok([]) }));
    expect(at(daysAgo(SETTINGS.mfaRecentDays))).toEqual(['PASS']);
    expect(at(daysAgo(1), false)).toEqual(['PASS']);
    expect(at(undefined)).toEqual(['PASS']);
    expect(at(daysAgo(1))).toEqual(['FAIL']);
  });
  it('the same device seen in both listings is one enrolment, one FAIL', () => {
    const s = withAdmin([{ serialNumber: vmfa('bob'), enableDate: daysAgo(1) }], { virtualMfaDevices: ok([{ serialNumber: vmfa('bob'), userArn: user('bob'), enableDate: daysAgo(1) }]) });
    expect(statuses(mfaRecentEnrolment, s)).toEqual(['FAIL']);
  });
  it('a privileged user\'s devices never collected is ERROR; a FIDO key beside a virtual device is enough; only-virtual devices are all named', () => {
    expect(run(privilegedHardwareMfa, withAdmin(undefined))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('were not collected') }]);
    expect(statuses(privilegedHardwareMfa, withAdmin([{ serialNumber: vmfa('bob') }, { serialNumber: fido('bob') }]))).toEqual(['PASS']);
    expect(run(privilegedHardwareMfa, withAdmin([{ serialNumber: vmfa('bob') }, { serialNumber: vmfa('bob-2') }]))[0].message).toContain(`(${vmfa('bob')}, ${vmfa('bob-2')})`);
  });
  it('a virtual device is recognised by its ARN form only; a FIDO key or a hardware serial is not virtual', () => {
    expect(isVirtualSerial(vmfa('bob'))).toBe(true);
    expect(isVirtualSerial(`x${vmfa('bob')}`)).toBe(false);
    expect(isVirtualSerial(fido('bob'))).toBe(false);
    expect(isVirtualSerial('GAHT12345678')).toBe(false);
  });
  it('only users with more than one device fail; the root user\'s and unassigned virtual devices are no user\'s', () => {
    const s = withIam({
      virtualMfaDevices: ok([
        { serialNumber: vmfa('alice'), userArn: user('alice') },
        { serialNumber: vmfa('carol'), userArn: user('carol') }, { serialNumber: vmfa('carol-2'), userArn: user('carol') },
        { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, userArn: `arn:aws:iam::${ACCOUNT}:root` },
        { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-2`, userArn: `arn:aws:iam::${ACCOUNT}:root` },
        { serialNumber: vmfa('spare') }, { serialNumber: vmfa('spare-2') },
      ]),
      privilegedMfaDevices: ok([]),
    });
    expect(run(mfaSingleDevice, s).map((f) => [f.status, f.resource.id])).toEqual([['FAIL', user('carol')]]);
  });
  it('a group enforces MFA if any of its inline policies does', () => {
    const base = withAdmin([{ serialNumber: fido('bob') }]);
    const auth = base.iam.authorization.ok ? base.iam.authorization.value : undefined!;
    const groups = auth.groups.map((g) => ({ ...g, attachedPolicyArns: [], inlinePolicies: [{ name: 'read', document: READ_ONLY }, { name: 'mfa', document: REQUIRE_MFA }] }));
    expect(statuses(userMfaGroup, { ...base, iam: { ...base.iam, authorization: ok({ ...auth, groups }) } })).toEqual(['PASS']);
  });
});

describe('MFA devices and IAM users: what each outcome says (mutation survivors)', () => {
  it('a PASS counts only the devices with an enable date; an undated listing of a device does not hide its dated one', () => {
    const virtual = ok([
      { serialNumber: vmfa('alice'), userArn: user('alice'), enableDate: daysAgo(100) },
      { serialNumber: vmfa('carol'), userArn: user('carol') },
    ]);
    expect(run(mfaRecentEnrolment, withIam({ virtualMfaDevices: virtual, privilegedMfaDevices: ok([]) }))).toMatchObject([
      { status: 'PASS', message: 'no MFA device enabled in the last 7 days (1 devices with an enable date)' },
    ]);
    const undatedFirst = withAdmin([{ serialNumber: vmfa('bob'), enableDate: daysAgo(1) }], { virtualMfaDevices: ok([{ serialNumber: vmfa('bob'), userArn: user('bob') }]) });
    expect(run(mfaRecentEnrolment, undatedFirst)).toMatchObject([{ status: 'FAIL', message: `MFA device ${vmfa('bob')} of bob was enabled ${daysAgo(1)}, within the last 7 days` }]);
  });
  it('users with several devices fail in name order, each listing its devices sorted', () => {
    const s = withIam({
      virtualMfaDevices: ok([
        { serialNumber: vmfa('zed-2'), userArn: user('zed') }, { serialNumber: vmfa('zed-1'), userArn: user('zed') },
        { serialNumber: vmfa('amy-b'), userArn: user('amy') }, { serialNumber: vmfa('amy-a'), userArn: user('amy') },
      ]),
      privilegedMfaDevices: ok([]),
    });
    expect(run(mfaSingleDevice, s).map((f) => [f.status, f.resource.id, f.message])).toEqual([
      ['FAIL', user('amy'), `user amy has 2 MFA devices: ${vmfa('amy-a')}, ${vmfa('amy-b')}`],
      ['FAIL', user('zed'), `user zed has 2 MFA devices: ${vmfa('zed-1')}, ${vmfa('zed-2')}`],
    ]);
  });
  it('a PASS with no break-glass user says nothing more; with several it names each', () => {
    const noCreds = row('b', { passwordEnabled: false, mfaActive: false, keys: [NO_KEY, NO_KEY] });
    expect(run(noUsers, withReport([noCreds]), { ...SETTINGS, breakGlassUsers: [] })).toMatchObject([
      { status: 'PASS', message: 'no IAM user has a console password or an active access key' },
    ]);
    expect(run(noUsers, withReport([row('glass-1'), row('glass-2'), noCreds]), { ...SETTINGS, breakGlassUsers: ['glass-1', 'glass-2'] })).toMatchObject([
      { status: 'PASS', message: 'no IAM user has a console password or an active access key (break-glass excepted: glass-1, glass-2)' },
    ]);
  });
});
