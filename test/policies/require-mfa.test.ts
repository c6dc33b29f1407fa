import { loadPolicy } from '../../lib/policies';
import { ACCOUNT, ADMINISTRATOR_ACCESS, Decision, decide } from './simulate';

const requireMfa = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: ACCOUNT });
const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
const asAlice = { 'aws:username': 'alice' };
const NO_MFA = { ...asAlice, 'aws:MultiFactorAuthPresent': 'false' };
const WITH_MFA = { ...asAlice, 'aws:MultiFactorAuthPresent': 'true' };
/** Requests signed with long-term access keys carry no aws:MultiFactorAuthPresent at all. */
const ACCESS_KEY = asAlice;

// A member of a group holding require-mfa and an administrator policy.
const cases: [string, string, string, Record<string, string>, Decision][] = [
  ['ordinary action, MFA false', 's3:GetObject', 'arn:aws:s3:::pii/k', NO_MFA, 'ExplicitlyDenied'],
  ['ordinary action, key absent (access key)', 's3:GetObject', 'arn:aws:s3:::pii/k', ACCESS_KEY, 'ExplicitlyDenied'],
  ['ordinary action, with MFA', 's3:GetObject', 'arn:aws:s3:::pii/k', WITH_MFA, 'Allowed'],
  ['role assumption, MFA false', 'sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/admin`, NO_MFA, 'ExplicitlyDenied'],
  ['IAM change, key absent (access key)', 'iam:CreateAccessKey', alice, ACCESS_KEY, 'ExplicitlyDenied'],
  ['deactivating MFA, MFA false', 'iam:DeactivateMFADevice', alice, NO_MFA, 'ExplicitlyDenied'],
  ['MFA enrolment: create virtual device, MFA false', 'iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`, NO_MFA, 'Allowed'],
  ['MFA enrolment: enable device, MFA false', 'iam:EnableMFADevice', alice, NO_MFA, 'Allowed'],
  ['MFA enrolment: list own devices, MFA false', 'iam:ListMFADevices', alice, NO_MFA, 'Allowed'],
  // Issue 10 item 2: was 'Allowed' — a stolen access key could manage MFA devices. Only a console
  // session (key present, false) may enrol; see require-mfa-attack.test.ts.
  ['MFA enrolment: resync, key absent (access key)', 'iam:ResyncMFADevice', alice, ACCESS_KEY, 'ExplicitlyDenied'],
  ['get a session token to prove MFA, MFA false', 'sts:GetSessionToken', '*', NO_MFA, 'Allowed'],
];

describe('policies/iam/require-mfa.json with an administrator policy beside it', () => {
  it.each(cases)('%s: %s on %s is %s', async (_label, action, resource, context, expected) => {
    expect(await decide({ principal: alice, action, resource, context, identityPolicies: [requireMfa, ADMINISTRATOR_ACCESS] })).toBe(expected);
  });
});

describe('policies/iam/require-mfa.json alone', () => {
  const only = (action: string, resource: string, context: Record<string, string>) =>
    decide({ principal: alice, action, resource, context, identityPolicies: [requireMfa] });

  it('lets a user enrol an MFA device on their own user only', async () => {
    expect(await only('iam:EnableMFADevice', alice, NO_MFA)).toBe('Allowed');
    expect(await only('iam:EnableMFADevice', `arn:aws:iam::${ACCOUNT}:user/bob`, NO_MFA)).toBe('ImplicitlyDenied');
  });

  it('grants nothing beyond MFA self-service, even with MFA', async () => {
    expect(await only('s3:GetObject', 'arn:aws:s3:::pii/k', WITH_MFA)).toBe('ImplicitlyDenied');
    expect(await only('iam:DeactivateMFADevice', `arn:aws:iam::${ACCOUNT}:user/bob`, WITH_MFA)).toBe('ImplicitlyDenied');
  });

  it('exempts exactly the MFA self-service actions named in LESSONS.md', () => {
    const deny = requireMfa.Statement.find((s) => s.Effect === 'Deny');
    expect(deny?.NotAction).toEqual([
      'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices',
      'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken',
    ]);
    expect(deny?.Condition).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } });
  });
});
