/**
 * lib/policy/questions, the key, trust, boundary and SCP questions: each asked as a rule or an audit check
 * asks it, on policies written to read right and mean otherwise (negated operators, IfExists, principal
 * tags, foreign accounts, kms:* to the root), asserting the answer and whom and what it names.
 */
import {
  FOREIGN_ACCOUNT, Own, OWN_ACCOUNT_PLACEHOLDER, PRINCIPAL_SESSIONS, boundaryDenies, deniesWithoutMfa, keyAllows, keyPolicyChangers,
  parseKeyPolicy, principalPatterns, principalSessions, scpDenies, serviceMayUseKey, trustAdmitsWithoutMfa, unnamedSamples, withPrincipalTags,
} from '../../lib/policy/questions';
import { unknown } from '../../lib/policy';

const OWN: Own = { account: '111122223333', organizationId: 'o-ours1234567', partition: 'aws', region: 'us-east-1' };
const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
const ROOT = 'arn:aws:iam::111122223333:root';
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];
const MALFORMED = doc({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquall: { 'aws:PrincipalOrgID': 'o-x' } } });

describe('deniesWithoutMfa: does every request without MFA get denied?', () => {
  const canonical = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
  const mfaDeny = (Condition: Record<string, unknown>) => doc({ Sid: 'NoMfa', Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition });
  test('the deny in a second document counts beside an allow-only first: yes, and nothing to report', () => {
    expect(deniesWithoutMfa([doc({ Effect: 'Allow', Action: '*', Resource: '*' }), mfaDeny(canonical)], OWN)).toEqual({ yes: true, why: [] });
  });
  test('a malformed second document is unknown, naming that document and its fault', () => {
    const a = deniesWithoutMfa([mfaDeny(canonical), MALFORMED], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/policy 2/);
    expect(a.why[0]).toMatch(/StringEquall/);
  });
  test('a deny only from outside the own network: no, naming the request from the own network that gets through', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 10.0.1.20 in eu-south-2 is not denied']);
  });
  test('a deny limited to the own region names the other region tried (ap-southeast-4 when the own region is eu-south-2)', () => {
    const inRegion = (region: string) => mfaDeny({ ...canonical, StringEquals: { 'aws:RequestedRegion': region } });
    expect(deniesWithoutMfa([inRegion('us-east-1')], OWN).why[0]).toMatch(/from 10\.0\.1\.20 in eu-south-2 is not denied$/);
    expect(deniesWithoutMfa([inRegion('eu-south-2')], { ...OWN, region: 'eu-south-2' }).why[0]).toMatch(/from 10\.0\.1\.20 in ap-southeast-4 is not denied$/);
  });
  test('a deny that depends on an unresolved value is unknown, naming the action, the session and the value', () => {
    const a = deniesWithoutMfa([mfaDeny({ ...canonical, StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountParam') } })], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/^whether s3:GetObject in an access-key request \(no aws:MultiFactorAuthPresent\) is denied depends on .*Ref AccountParam/);
  });
});

describe('trustAdmitsWithoutMfa: who may assume the role without (recent) MFA?', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/Operator';
  const caller = { arn: 'arn:aws:iam::111122223333:user/someone', account: '111122223333', type: 'User' as const };
  const trust = (Condition?: Record<string, unknown>) => doc({ Sid: 'People', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
  const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  test('an age bound beyond a year: the year-old sign-in, named, through the statement that lets it', () => {
    expect(trustAdmitsWithoutMfa(trust({ ...mfa, NumericLessThan: { 'aws:MultiFactorAuthAge': '40000000' } }), ROLE, caller, OWN, 43200))
      .toEqual([{ statements: ['People'], problem: 'no-age-bound', session: 'an MFA sign-in a year old' }]);
  });
  test('a bound one second wider than allowed: the sign-in one second too old, named by its age', () => {
    expect(trustAdmitsWithoutMfa(trust({ ...mfa, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '43201' } }), ROLE, caller, OWN, 43200))
      .toEqual([{ statements: ['People'], problem: 'old-mfa', session: 'an MFA sign-in 43201 seconds old' }]);
    expect(trustAdmitsWithoutMfa(trust({ ...mfa, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '43200' } }), ROLE, caller, OWN, 43200)).toEqual([]);
  });
  test('IfExists on the age: no MFA at all gets in, and so does an old MFA sign-in', () => {
    expect(trustAdmitsWithoutMfa(trust({ NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '86400' } }), ROLE, caller, OWN, 43200)).toEqual([
      { statements: ['People'], problem: 'no-mfa', session: 'an access-key request (no aws:MultiFactorAuthPresent)' },
      { statements: ['People'], problem: 'no-mfa', session: 'a console session without MFA (aws:MultiFactorAuthPresent false)' },
      { statements: ['People'], problem: 'old-mfa', session: 'an MFA sign-in 43201 seconds old' },
    ]);
  });
  test('no condition: every session, the year-old one reported once (not again as merely old)', () => {
    expect((trustAdmitsWithoutMfa(trust(), ROLE, caller, OWN, 43200) as { session: string }[]).map((f) => f.session)).toEqual([
      'an access-key request (no aws:MultiFactorAuthPresent)', 'a console session without MFA (aws:MultiFactorAuthPresent false)', 'an MFA sign-in a year old',
    ]);
  });
  test('a trust policy for another action (sts:TagSession only) admits nobody', () => {
    expect(trustAdmitsWithoutMfa(doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:TagSession' }), ROLE, caller, OWN, 43200)).toEqual([]);
  });
  test('a malformed trust policy is unknown, naming it and its fault', () => {
    const a = trustAdmitsWithoutMfa(MALFORMED, ROLE, caller, OWN, 43200) as { unknown: string[] };
    expect(a.unknown).toHaveLength(1);
    expect(a.unknown[0]).toMatch(/trust policy/);
    expect(a.unknown[0]).toMatch(/StringEquall/);
  });
});

describe('keyAllows: may this principal call this action on the key?', () => {
  const app = { name: 'App', principal: { arn: 'arn:aws:iam::111122223333:role/App', account: '111122223333', type: 'AssumedRole' as const } };
  const key = (...s: Record<string, unknown>[]) => { const p = parseKeyPolicy(doc(...s)); if (typeof p === 'string') throw new Error(p); return p; };
  const rootAdmin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
  const useByName = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Decrypt', Resource: '*' };
  test('a key policy that admits nobody for the action: no, whatever IAM allows', () => {
    expect(keyAllows(key(useByName), KEY, app, 'kms:PutKeyPolicy', OWN)).toStrictEqual({ allowed: false, keyStatements: [] });
  });
  test('a deny in the key policy wins over a grant by name', () => {
    expect(keyAllows(key(useByName, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }), KEY, { ...app, identity: [] }, 'kms:Decrypt', OWN))
      .toStrictEqual({ allowed: false, keyStatements: [] });
  });
  test('a deny in its own IAM policy wins over a grant by name', () => {
    expect(keyAllows(key(useByName), KEY, { ...app, identity: [doc({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })] }, 'kms:Decrypt', OWN))
      .toStrictEqual({ allowed: false, keyStatements: [] });
  });
  test('named and delegated through the root at once: allowed with no IAM allow, naming both statements', () => {
    expect(keyAllows(key(rootAdmin, useByName), KEY, { ...app, identity: [] }, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: true, keyStatements: ['Admin', 'Use'] });
  });
  test('through the root, an IAM policy for another service allows nothing', () => {
    expect(keyAllows(key(rootAdmin), KEY, { ...app, identity: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] }, 'kms:Decrypt', OWN))
      .toStrictEqual({ allowed: false, keyStatements: [] });
  });
  test('a session of a role the key policy names is the role, named', () => {
    const session = { name: 'App session', principal: { arn: 'arn:aws:sts::111122223333:assumed-role/App/i-0abc', account: '111122223333', type: 'AssumedRole' as const, roleArn: 'arn:aws:iam::111122223333:role/App' } };
    expect(keyAllows(key(useByName), KEY, { ...session, identity: [] }, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: true, keyStatements: ['Use'] });
    // Named in a list beside another role, and spelled in another case.
    const listed = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/Other', 'arn:aws:iam::111122223333:role/APP'] }, Action: 'kms:Decrypt', Resource: '*' };
    expect(keyAllows(key(rootAdmin, listed), KEY, { ...session, identity: [] }, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: true, keyStatements: ['Admin', 'Use'] });
  });
  test('the key policy sees the caller\'s account (kms:CallerAccount) and the probe\'s own context keys', () => {
    const callerAccount = { Sid: 'Account', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } };
    expect(keyAllows(key(callerAccount), KEY, app, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: true, keyStatements: ['Account'] });
    const withMfa = { Sid: 'Mfa', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
    expect(keyAllows(key(withMfa), KEY, { ...app, context: { 'aws:MultiFactorAuthPresent': 'true' } }, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: true, keyStatements: ['Mfa'] });
    expect(keyAllows(key(withMfa), KEY, app, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: false, keyStatements: [] });
  });
  test('a key statement on an unresolved value: not allowed, unknown naming the value', () => {
    const r = keyAllows(key({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': unknown('Ref Team') } } }), KEY, app, 'kms:Decrypt', OWN);
    expect(r).toMatchObject({ allowed: false, keyStatements: [] });
    expect(r.unknown?.join()).toMatch(/Ref Team/);
  });
  test('a malformed second IAM policy: unknown, naming the principal\'s policy and its fault', () => {
    const r = keyAllows(key(rootAdmin), KEY, { ...app, identity: [doc({ Effect: 'Allow', Action: '*', Resource: '*' }), MALFORMED] }, 'kms:Decrypt', OWN);
    expect(r).toMatchObject({ allowed: false, keyStatements: [] });
    expect(r.unknown).toHaveLength(1);
    expect(r.unknown?.[0]).toMatch(/App identity policy 2/);
    expect(r.unknown?.[0]).toMatch(/StringEquall/);
  });
  test('an IAM allow on an unresolved value through the root: unknown naming it, never allowed', () => {
    const r = keyAllows(key(rootAdmin), KEY, { ...app, identity: [doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': unknown('Ref Team') } } })] }, 'kms:Decrypt', OWN);
    expect(r).toMatchObject({ allowed: false, keyStatements: [] });
    expect(r.unknown).toHaveLength(1);
    expect(r.unknown?.[0]).toMatch(/Ref Team/);
  });
  test('a principal whose ARN is unresolved is never taken as named: through the root it needs its IAM allow', () => {
    const p = { name: 'Param', principal: { arn: unknown('Ref RoleArn'), account: '111122223333', type: 'AssumedRole' as const }, identity: [] };
    expect(keyAllows(key(rootAdmin), KEY, p, 'kms:Decrypt', OWN)).toStrictEqual({ allowed: false, keyStatements: [] });
  });
});

describe('unnamedSamples and principalPatterns: who a pattern admits without naming it', () => {
  const arns = (pattern: string) => unnamedSamples(pattern, OWN).map((p) => [p.principal.arn, p.principal.type]);
  test('a role pattern samples a role session; a user pattern a user; the whole account a role', () => {
    expect(arns('arn:aws:iam::111122223333:role/KeyAdmin*')).toEqual([['arn:aws:iam::111122223333:role/KeyAdminany', 'AssumedRole']]);
    expect(arns('arn:aws:iam::111122223333:*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
    expect(unnamedSamples('arn:aws:iam::111122223333:user/ops-?', OWN)).toEqual([{
      name: 'a principal matching arn:aws:iam::111122223333:user/ops-? (arn:aws:iam::111122223333:user/ops-x)',
      principal: { arn: 'arn:aws:iam::111122223333:user/ops-x', account: '111122223333', type: 'User' },
    }]);
  });
  test('an STS session pattern samples a session of the role; a malformed session pattern a role of the account', () => {
    expect(arns('arn:aws:sts::111122223333:assumed-role/Admin/*')).toEqual([['arn:aws:sts::111122223333:assumed-role/Admin/any', 'AssumedRole']]);
    expect(arns('arn:aws:sts::111122223333:assumed-role/*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
    expect(arns('arn:aws:sts::111122223333:x-assumed-role/Admin/*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
    expect(arns('arn:aws:iam::111122223333:assumed-role/Admin/*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
  });
  test('a value that is not an IAM or STS ARN admits no sample', () => {
    expect(unnamedSamples('*', OWN)).toEqual([]);
    expect(unnamedSamples('1111222*', OWN)).toEqual([]);
    expect(unnamedSamples('x-arn:aws:iam::*:role/*', OWN)).toEqual([]);
    expect(unnamedSamples('arn:aws:iam::*:role/a\nb', OWN)).toEqual([]);
  });
  test('only string principal values, only aws:PrincipalArn conditions; odd statements are skipped', () => {
    expect(principalPatterns(null)).toEqual([]);
    expect(principalPatterns(doc(
      null as unknown as Record<string, unknown>,
      { Effect: 'Allow', Principal: null, Action: '*', Resource: '*', Condition: null },
      { Effect: 'Allow', Principal: { AWS: [unknown('Ref Admin'), 'arn:aws:iam::1:role/a'] }, Action: '*', Resource: '*', Condition: { StringEquals: null, ArnLike: { 'aws:PrincipalOrgID': 'o-abcdefghij', 'aws:PrincipalArn': 'arn:aws:iam::1:role/b*' } } },
    ))).toEqual(['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b*']);
    expect(principalPatterns({ Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:role/c' }, Action: '*', Resource: '*' } })).toEqual(['arn:aws:iam::1:role/c']);
  });
});
