import { loadPolicy } from '../../lib/policies';
import { ACCOUNT, ADMINISTRATOR_ACCESS, decide } from './simulate';

/**
 * Issue 10 item 2: MFA self-enrolment with stolen credentials. A member of a group holding
 * require-mfa (beside an administrator policy) is attacked with the credentials AWS really sees
 * (TOOLCHAIN.md): a stolen long-term access key sends no aws:MultiFactorAuthPresent at all; a phished
 * console password signs a session where it is present and "false".
 */
const requireMfa = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: ACCOUNT });
const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
const aliceDevice = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const asAlice = { 'aws:username': 'alice' };
const STOLEN_ACCESS_KEY = asAlice;
const PHISHED_CONSOLE = { ...asAlice, 'aws:MultiFactorAuthPresent': 'false' };
const WITH_MFA = { ...asAlice, 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' };

const asMember = (action: string, resource: string, context: Record<string, string>) =>
  decide({ principal: alice, action, resource, context, identityPolicies: [requireMfa, ADMINISTRATOR_ACCESS] });

describe('require-mfa against a stolen access key (aws:MultiFactorAuthPresent absent)', () => {
  // On main these were Allowed: the key enrolled its own device, then GetSessionToken with the
  // attacker's codes gave a full MFA session (persistence, T1098.005).
  it.each([
    ['iam:CreateVirtualMFADevice', aliceDevice],
    ['iam:EnableMFADevice', alice],
    ['iam:ResyncMFADevice', alice],
  ])('denies %s', async (action, resource) => {
    expect(await asMember(action, resource, STOLEN_ACCESS_KEY)).toBe('ExplicitlyDenied');
  });

  it.each([
    ['iam:DeactivateMFADevice', alice],
    ['iam:DeleteVirtualMFADevice', aliceDevice],
    ['iam:CreateAccessKey', alice],
    ['s3:GetObject', 'arn:aws:s3:::pii/k'],
  ])('still denies %s', async (action, resource) => {
    expect(await asMember(action, resource, STOLEN_ACCESS_KEY)).toBe('ExplicitlyDenied');
  });

  it('still lets the key read its own user and devices (no secret, no change)', async () => {
    expect(await asMember('iam:ListMFADevices', alice, STOLEN_ACCESS_KEY)).toBe('Allowed');
    expect(await asMember('iam:GetUser', alice, STOLEN_ACCESS_KEY)).toBe('Allowed');
  });
});

describe('require-mfa for a console session without MFA (present and false)', () => {
  // The first device of a new user (or after a help-desk reset) can only be enrolled this way, and
  // IAM cannot count devices: this path stays open by design and is DETECTED by the
  // <prefix>mfa-device-change alarm and rule (test/constructs/killchain-detection.test.ts).
  it('lets the user enrol a device on their own user: the detected path', async () => {
    expect(await asMember('iam:CreateVirtualMFADevice', aliceDevice, PHISHED_CONSOLE)).toBe('Allowed');
    expect(await asMember('iam:EnableMFADevice', alice, PHISHED_CONSOLE)).toBe('Allowed');
  });

  it('never on another user', async () => {
    expect(await decide({ principal: alice, action: 'iam:EnableMFADevice', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, context: PHISHED_CONSOLE, identityPolicies: [requireMfa] }))
      .toBe('ImplicitlyDenied');
  });

  it('denies removing a device without MFA', async () => {
    expect(await asMember('iam:DeactivateMFADevice', alice, PHISHED_CONSOLE)).toBe('ExplicitlyDenied');
    expect(await asMember('iam:DeleteVirtualMFADevice', aliceDevice, PHISHED_CONSOLE)).toBe('ExplicitlyDenied');
  });
});

describe('require-mfa with MFA', () => {
  it('lets the user manage their devices', async () => {
    for (const [action, resource] of [['iam:CreateVirtualMFADevice', aliceDevice], ['iam:EnableMFADevice', alice], ['iam:ResyncMFADevice', alice], ['iam:DeactivateMFADevice', alice]]) {
      expect([action, await asMember(action, resource, WITH_MFA)]).toEqual([action, 'Allowed']);
    }
  });
});

describe('the shape of the fix', () => {
  const enrolmentDeny = requireMfa.Statement.find((s) => s.Sid === 'DenyMfaEnrolmentWithAccessKeys');

  it('denies enrolment only when the MFA key is absent (Null), so console sessions keep first-device enrolment', () => {
    expect(enrolmentDeny?.Effect).toBe('Deny');
    expect(enrolmentDeny?.Condition).toEqual({ Null: { 'aws:MultiFactorAuthPresent': 'true' } });
  });

  it('claims nothing about sts:GetSessionToken, which no IAM policy controls', () => {
    // IAM user guide, "Permissions for GetSessionToken": policies cannot control authentication
    // operations. A deny naming it would show DENIED in a simulator and change nothing in AWS. The
    // path is closed elsewhere: credentials from GetSessionToken without MFA cannot call any IAM API
    // (STS API reference), so they cannot enrol a device; and the key itself can no longer enrol one.
    for (const s of requireMfa.Statement.filter((st) => st.Effect === 'Deny' && st.Action !== undefined)) {
      expect([s.Sid, [s.Action].flat()]).not.toContainEqual(expect.arrayContaining(['sts:GetSessionToken']));
    }
  });
});
