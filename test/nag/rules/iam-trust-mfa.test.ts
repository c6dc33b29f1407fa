import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule, param } from '../helpers';

/**
 * IAMRoleTrustRequiresMFA as the holder of a stolen access key sees it: which callers a trust
 * statement lets in, and what the finding names. The basic cases live in iam.test.ts.
 */
const rule = 'IAMRoleTrustRequiresMFA';
const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } };
const cfnRole = (statement: unknown) => (s: Stack) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: { Version: '2012-10-17', Statement: statement } });
const allow = (principal: unknown, condition?: Record<string, unknown>) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(condition ? { Condition: condition } : {}) });

describe('IAMRoleTrustRequiresMFA: "*" or an account narrowed by a condition to some accounts or users still needs MFA', () => {
  test('Principal "*" limited by aws:PrincipalAccount to a partner account, without MFA, fails naming a user of that account; with MFA it passes', () => {
    const partner = { StringEquals: { 'aws:PrincipalAccount': '999988887777' } };
    const f = expectRule(rule, cfnRole([allow('*', partner)]), 'R', 'FAIL');
    expect(f!.message).toMatch(/does not require MFA: admits arn:aws:iam::999988887777:user\/someone with an access-key request/);
    expectRule(rule, cfnRole([allow('*', { ...partner, ...mfa })]), 'R', 'PASS');
  });
  test('the partner account written as a JSON number (IAM reads it as the string) fails the same', () => {
    const f = expectRule(rule, cfnRole([allow('*', { StringEquals: { 'aws:PrincipalAccount': 999988887777 } })]), 'R', 'FAIL');
    expect(f!.message).toMatch(/does not require MFA: admits arn:aws:iam::999988887777:user\/someone with an access-key request/);
  });
  test('AWS "*" limited by aws:PrincipalOrgID to an organization, without MFA, fails: a user of any member account walks in', () => {
    const org = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' } };
    const f = expectRule(rule, cfnRole([allow({ AWS: '*' }, org)]), 'R', 'FAIL');
    expect(f!.message).toMatch(/does not require MFA: admits arn:aws:iam::444455556666:user\/someone with an access-key request/);
    expectRule(rule, cfnRole([allow({ AWS: '*' }, { ...org, ...mfa })]), 'R', 'PASS');
  });
  test('AWS "*" limited by aws:PrincipalArn to one user, or to a user name pattern in any account, without MFA, fails naming that user', () => {
    const alice = expectRule(rule, cfnRole([allow({ AWS: '*' }, { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::999988887777:user/alice' } })]), 'R', 'FAIL');
    expect(alice!.message).toMatch(/admits arn:aws:iam::999988887777:user\/alice with an access-key request/);
    const ops = expectRule(rule, cfnRole([allow({ AWS: '*' }, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/ops-*' } })]), 'R', 'FAIL');
    expect(ops!.message).toMatch(/admits arn:aws:iam::444455556666:user\/ops-any with an access-key request/);
  });
  test('an account, or one of its users, limited by aws:PrincipalOrgID to the organization, without MFA, fails: its users are in it (it passed: they were tried in no organization)', () => {
    const org = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' } };
    const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, org)]), 'R', 'FAIL');
    expect(f!.message).toMatch(/does not require MFA: admits arn:aws:iam::111122223333:user\/someone with an access-key request/);
    const alice = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:user/alice' }, org)]), 'R', 'FAIL');
    expect(alice!.message).toMatch(/admits arn:aws:iam::111122223333:user\/alice with an access-key request/);
    const named = expectRule(rule, cfnRole([allow({ AWS: '111122223333' }, { ...org, ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/bob' } })]), 'R', 'FAIL');
    expect(named!.message).toMatch(/admits arn:aws:iam::111122223333:user\/bob with an access-key request/);
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, { ...org, ...mfa })]), 'R', 'PASS');
  });
  test('an account limited to one of its roles (aws:PrincipalArn, a pattern) within the organization is a workload trust: passes; the same account limited to users does not', () => {
    const org = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' } };
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, { ...org, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Audit_*' } })]), 'R', 'PASS');
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, { ...org, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:*' } })]), 'R', 'FAIL');
  });
  test('an account principal limited by aws:PrincipalArn to one of its users, without MFA, fails naming the user; with MFA it passes', () => {
    const bob = { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/bob' } };
    const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, bob)]), 'R', 'FAIL');
    expect(f!.message).toMatch(/admits arn:aws:iam::111122223333:user\/bob with an access-key request/);
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, { ...bob, ...mfa })]), 'R', 'PASS');
  });
});

describe('IAMRoleTrustRequiresMFA: principals the rule reads', () => {
  test('a service statement beside an MFA-bound people statement passes (a statement naming no AWS principal admits no person)', () => {
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, mfa), allow({ Service: 'lambda.amazonaws.com' })]), 'R', 'PASS');
  });
  test('a Deny of everyone but the own account (NotPrincipal) beside an MFA-bound people statement passes: a Deny admits no one', () => {
    const denyOthers = { Effect: 'Deny', Action: 'sts:AssumeRole', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } };
    expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, mfa), denyOthers]), 'R', 'PASS');
  });
  test('a user whose name ends in twelve digits is that user, not an account: the finding names the user', () => {
    const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:user/backup-444455556666' })]), 'R', 'FAIL');
    expect(f!.message).toMatch(/admits arn:aws:iam::111122223333:user\/backup-444455556666 with an access-key request/);
  });
  test('a mistyped account id (13 digits) cannot be verified, and the finding says it is the trust Principal', () => {
    const f = expectRule(rule, cfnRole([allow({ AWS: '1111222233334' }, mfa)]), 'R', 'ERROR');
    expect(f!.message).toMatch(/cannot verify trust Principal: unresolved value "1111222233334"/);
  });
  test('when two trust statements each depend on a parameter, the finding names both', () => {
    const f = expectRule(rule, (s) => cfnRole([
      allow({ AWS: 'arn:aws:iam::111122223333:root' }, { Bool: { 'aws:MultiFactorAuthPresent': param(s, 'PeoplePresent') } }),
      allow({ AWS: 'arn:aws:iam::111122223333:root' }, { Bool: { 'aws:MultiFactorAuthPresent': param(s, 'AdminsPresent') } }),
    ])(s), 'R', 'ERROR');
    expect(f!.message).toMatch(/cannot verify who may assume the role: [^;]*PeoplePresent[^;]*; [^;]*AdminsPresent/);
  });
  test('a trust policy that is a parameter cannot be verified, and the finding names AssumeRolePolicyDocument', () => {
    const f = expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: param(s, 'Trust') }), 'R', 'ERROR');
    expect(f!.message).toMatch(/cannot verify AssumeRolePolicyDocument: unresolved value \{"Ref":"Trust"\}/);
  });
});

describe('IAMRoleTrustRequiresMFA: a principal the rule cannot read is never a pass', () => {
  test.each([
    ['an account id followed by :root', '111122223333:root'],
    ['text before an account root ARN', 'xarn:aws:iam::111122223333:root'],
    ['text after an account root ARN that still ends in :root', 'arn:aws:iam::111122223333:root/x:root'],
    ['text before a user ARN', 'xarn:aws:iam::111122223333:user/bob'],
  ])('%s (%s) cannot be verified', (_, principal) => {
    const f = expectRule(rule, cfnRole([allow({ AWS: principal })]), 'R', 'ERROR');
    expect(f!.message).toContain(`cannot verify the trust principal: "${principal}" is no account, user or role ARN`);
  });
  test('text before a role ARN, or a role ARN without its account, is no role: cannot verify', () => {
    for (const principal of ['xarn:aws:iam::111122223333:role/ops', 'arn:aws:iam:::role/ops', 'arn:aws:sts::1:assumed-role/ops/s']) {
      const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, mfa), allow({ AWS: principal })]), 'R', 'ERROR');
      expect(f!.message).toContain(`cannot verify the trust principal: "${principal}" is no account, user or role ARN`);
    }
  });
  test('a role, or a session of one, is a workload, not a person: a trust of them alone is not a human trust to judge', () => {
    for (const principal of ['arn:aws:iam::111122223333:role/ops', 'arn:aws:sts::111122223333:assumed-role/ops/session']) {
      expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, mfa), allow({ AWS: principal })]), 'R', 'PASS');
    }
  });
  test('a principal written as a JSON number, even in a statement that only tags sessions, cannot be verified', () => {
    const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::111122223333:root' }, mfa), { Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: 111122223333 } }]), 'R', 'ERROR');
    expect(f!.message).toContain('cannot verify the trust principal: 111122223333 is no account, user or role ARN');
  });
});

// Class "a condition on what the caller chooses read as a limit": a trust narrowed by a tag on the caller's
// own principal, a source identity or a unique-id pattern admits every principal carrying it, with or
// without MFA; those callers were tried without tags, source identity or unique id, so the trust passed.
describe('IAMRoleTrustRequiresMFA: a condition on the caller\'s tags, source identity or unique id still needs MFA (false pass)', () => {
  const own = 'arn:aws:iam::123456789012:root';
  test.each([
    ['a principal tag of the own account\'s users', { AWS: own }, { StringEquals: { 'aws:PrincipalTag/team': 'admins' } }, /admits arn:aws:iam::123456789012:user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), tagged team=admins/],
    ['a principal tag, any account', { AWS: '*' }, { StringLike: { 'aws:PrincipalTag/team': 'admin*' } }, /admits arn:aws:iam::444455556666:user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), tagged team=adminany/],
    ['the own users by unique id pattern', { AWS: own }, { StringLike: { 'aws:userid': 'AIDA*' } }, /admits arn:aws:iam::123456789012:user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\)/],
    ['one user named by its unique id', { AWS: own }, { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID0001' } }, /user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), with unique id AIDAEXAMPLEUSERID0001/],
    ['role sessions of one role by unique id', { AWS: own }, { StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID0001:*' } }, /assumed-role\/SomeRole\/session with an access-key request \(no aws:MultiFactorAuthPresent\), with unique id AROAEXAMPLEROLEID0001:any/],
    ['a source identity (a chained role session)', { AWS: own }, { StringEquals: { 'aws:SourceIdentity': 'alice' } }, /assumed-role\/SomeRole\/session with an access-key request \(no aws:MultiFactorAuthPresent\), with source identity alice/],
    ['the source identity the caller sets in its AssumeRole request', { AWS: own }, { StringEquals: { 'sts:SourceIdentity': 'alice' } }, /user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), sending sts:SourceIdentity alice/],
    ['a session tag the caller passes on', { AWS: own }, { 'ForAnyValue:StringEquals': { 'sts:TransitiveTagKeys': 'project' } }, /user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), sending sts:TransitiveTagKeys project/],
  ])('%s, without MFA: FAIL naming the caller as it chose; with MFA: PASS', (_, principal, condition, message) => {
    const f = expectRule(rule, cfnRole([allow(principal, condition)]), 'R', 'FAIL');
    expect(f!.message).toMatch(message);
    expectRule(rule, cfnRole([allow(principal, { ...condition, ...mfa })]), 'R', 'PASS');
  });

  test('a unique id or a source identity known only at deployment: cannot verify, never a pass (AWS sends aws:userid on every request)', () => {
    for (const key of ['aws:userid', 'aws:SourceIdentity']) {
      const f = expectRule(rule, (s: Stack) => cfnRole([allow({ AWS: own }, { StringEquals: { [key]: param(s, 'Who') } })])(s), 'R', 'ERROR');
      expect([key, f!.message]).toEqual([key, expect.stringMatching(/Who/)]);
    }
  });
  test('a tag value known only at deployment: cannot verify, never a pass', () => {
    const f = expectRule(rule, (s: Stack) => cfnRole([allow({ AWS: own }, { StringEquals: { 'aws:PrincipalTag/team': param(s, 'Team') } })])(s), 'R', 'ERROR');
    expect(f!.message).toMatch(/Team/);
  });

  test('the oracle agrees: a tagged user of the account assumes the role with an access key, an untagged one does not', async () => {
    const { oracleDecide } = await import('../../policy/oracle');
    const trust = { Version: '2012-10-17', Statement: [allow({ AWS: own }, { StringEquals: { 'aws:PrincipalTag/team': 'admins' } })] };
    const ask = (context: Record<string, string>) => oracleDecide({
      principal: { arn: 'arn:aws:iam::123456789012:user/someone', account: '123456789012', type: 'User' },
      action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/R', context: { 'aws:SecureTransport': 'true', ...context },
    }, { identity: [{ name: 'user', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }], resourcePolicy: { name: 'trust', document: trust } });
    expect((await ask({ 'aws:PrincipalTag/team': 'admins' })).decision).toBe('Allowed');
    expect((await ask({})).decision).not.toBe('Allowed');
  });
});

describe('IAMRoleTrustRequiresMFA: a request through a VPC endpoint carries no aws:SourceIp (false pass)', () => {
  const own = 'arn:aws:iam::123456789012:root';
  // "From any address", written as halves: iam-simulate (the oracle) reads 0.0.0.0/0 as matching nothing.
  const everyAddress = { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'] } };
  const denyNoMfa = { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: '*' }, Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } };
  const denyOldMfa = { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: '*' }, Condition: { NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } } };
  const fromEveryAddress = (d: { Condition: Record<string, unknown> }) => ({ ...d, Condition: { ...d.Condition, ...everyAddress } });

  test('Denies without MFA and of old MFA, each "from every address", leave the role open to a caller through an STS endpoint of its own VPC: FAIL naming it', () => {
    const f = expectRule(rule, cfnRole([allow({ AWS: own }), fromEveryAddress(denyNoMfa), fromEveryAddress(denyOldMfa)]), 'R', 'FAIL');
    expect(f!.message).toMatch(/admits arn:aws:iam::123456789012:user\/someone with an access-key request \(no aws:MultiFactorAuthPresent\), through a VPC endpoint of its own/);
  });
  test('the same Denies without the address condition hold: PASS', () => {
    expectRule(rule, cfnRole([allow({ AWS: own }), denyNoMfa, denyOldMfa]), 'R', 'PASS');
  });
  test('the oracle agrees: through an endpoint (aws:SourceVpce, no aws:SourceIp) the Deny does not apply and the role is assumed without MFA', async () => {
    const { oracleDecide } = await import('../../policy/oracle');
    const trust = { Version: '2012-10-17', Statement: [allow({ AWS: own }), fromEveryAddress(denyNoMfa)] };
    const ask = (context: Record<string, string>) => oracleDecide({
      principal: { arn: 'arn:aws:iam::123456789012:user/someone', account: '123456789012', type: 'User' },
      action: 'sts:AssumeRole', resource: 'arn:aws:iam::123456789012:role/R', context: { 'aws:SecureTransport': 'true', ...context },
    }, { identity: [{ name: 'user', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }], resourcePolicy: { name: 'trust', document: trust } });
    expect((await ask({ 'aws:SourceIp': '203.0.113.7' })).decision).toBe('ExplicitlyDenied');
    expect((await ask({ 'aws:SourceVpce': 'vpce-0fedcba9876543210', 'aws:VpcSourceIp': '10.0.1.20' })).decision).toBe('Allowed');
  });
});

describe('IAMRoleTrustRequiresMFA: an address range is no MFA (false pass)', () => {
  const own = { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } };
  test('the own account, from the office range, without MFA: FAIL naming a stolen key used on an office host', () => {
    const f = expectRule(rule, cfnRole([allow(own, { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })]), 'R', 'FAIL');
    expect(f!.message).toContain('admits arn:aws:iam::${AWS::AccountId}:user/someone with an access-key request (no aws:MultiFactorAuthPresent), from 198.51.100.7');
  });
  test('a partner account, from its office range, without MFA: FAIL (its users\' keys are stolen there too)', () => {
    const f = expectRule(rule, cfnRole([allow({ AWS: 'arn:aws:iam::999988887777:root' }, { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })]), 'R', 'FAIL');
    expect(f!.message).toContain('admits arn:aws:iam::999988887777:user/someone with an access-key request (no aws:MultiFactorAuthPresent), from 198.51.100.7');
  });
  test('from the office and with recent MFA: PASS; from a private range only (no address AWS sends): PASS', () => {
    expectRule(rule, cfnRole([allow(own, { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' }, ...mfa })]), 'R', 'PASS');
    expectRule(rule, cfnRole([allow(own, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })]), 'R', 'PASS');
  });
});
