/**
 * lib/policy/questions, the key, trust, boundary and SCP questions: each asked as a rule or an audit check
 * asks it, on policies written to read right and mean otherwise (negated operators, IfExists, principal
 * tags, foreign accounts, kms:* to the root), asserting the answer and whom and what it names.
 */
import {
  FOREIGN_ACCOUNT, Own, OWN_ACCOUNT_PLACEHOLDER, boundaryDenies, deniesWithoutMfa, keyAllows, keyPolicyChangers,
  canMake, parseKeyPolicy, principalChoices, principalPatterns, scpDenies, serviceMayUseKey, trustAdmitsWithoutMfa, unnamedSamples,
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
  test('denies in two documents that both depend on unresolved values: unknown, naming both values', () => {
    const onAccount = (x: string) => mfaDeny({ ...canonical, StringEquals: { 'aws:PrincipalAccount': unknown(`Ref Account${x}`) } });
    const a = deniesWithoutMfa([onAccount('A'), onAccount('B')], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why[0]).toMatch(/Ref AccountA.*; .*Ref AccountB/);
  });
  test('a malformed second document is unknown, naming that document and its fault', () => {
    const a = deniesWithoutMfa([mfaDeny(canonical), MALFORMED], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/policy 2/);
    expect(a.why[0]).toMatch(/StringEquall/);
  });
  test.each<[string, Record<string, unknown>, string]>([
    ['calls through a service (aws:ViaAWSService false in the deny)', { Bool: { 'aws:ViaAWSService': 'false' } }, 'sending aws:ViaAWSService true from 203.0.113.7'],
    ['calls through CloudFormation', { StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'sending aws:CalledViaFirst cloudformation.amazonaws.com from 203.0.113.7'],
    ['the office\'s addresses', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'from 198.51.100.7'],
  ])('a deny without MFA that spares %s: no, naming the stolen key\'s request that makes that choice', (_, spare, how) => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, ...spare })], OWN).why)
      .toEqual([`s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent), ${how} in us-east-1 is not denied`]);
  });
  test('a deny without MFA that spares only a private range holds: AWS never sends a private aws:SourceIp, and through an endpoint none', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], OWN)).toEqual({ yes: true, why: [] });
  });
  test('the choices of every document count together: a deny in one (as JSON text, a single statement) sparing the office, an allow in another', () => {
    const single = { Version: '2012-10-17', Statement: mfaDeny({ ...canonical, NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }).Statement[0] };
    expect(deniesWithoutMfa([doc({ Effect: 'Allow', Action: '*', Resource: '*' }), JSON.stringify(single)], OWN).yes).toBe(false);
  });
  test('a deny sparing a source identity holds for the user a stolen key belongs to: a user has none to choose', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, StringNotEquals: { 'aws:SourceIdentity': 'break-glass' } })], OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny only from outside the own network: no, naming the request from the own network that gets through', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 10.0.1.20 through vpce-0a1b2c3d4e5f60718 in eu-south-2 is not denied']);
  });
  test('a private range in aws:SourceIp spares no request (AWS sends none there, and none through an endpoint): yes', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], OWN).yes).toBe(true);
  });
  test('a deny of every internet address: no, naming the request through the own endpoint, which carries no aws:SourceIp', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 10.0.1.20 through vpce-0a1b2c3d4e5f60718 in eu-south-2 is not denied']);
  });
  test('a deny only from the own network: no, naming the request from the internet that gets through', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 203.0.113.7 in us-east-1 is not denied']);
  });
  test('a deny limited to IAM users (aws:username present) covers the member user it is asked about: yes', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, Null: { 'aws:username': 'false' } })], OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny limited to the own region names the other region tried (ap-southeast-4 when the own region is eu-south-2)', () => {
    const inRegion = (region: string) => mfaDeny({ ...canonical, StringEquals: { 'aws:RequestedRegion': region } });
    expect(deniesWithoutMfa([inRegion('us-east-1')], OWN).why[0]).toMatch(/from 10\.0\.1\.20 through vpce-0a1b2c3d4e5f60718 in eu-south-2 is not denied$/);
    expect(deniesWithoutMfa([inRegion('eu-south-2')], { ...OWN, region: 'eu-south-2' }).why[0]).toMatch(/from 10\.0\.1\.20 through vpce-0a1b2c3d4e5f60718 in ap-southeast-4 is not denied$/);
  });
  test('a deny that depends on an unresolved value is unknown, naming the action, the session and the value', () => {
    const a = deniesWithoutMfa([mfaDeny({ ...canonical, StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountParam') } })], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/^whether s3:GetObject in an access-key request \(no aws:MultiFactorAuthPresent\) is denied depends on .*Ref AccountParam/);
  });
  // Every network from every region: a deny limited to a region and one limited to a network leave the rest open.
  const inRegion = { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };
  test('a deny of the own region beside a deny of calls through an endpoint: no, naming the internet request in the other region', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, ...inRegion }), mfaDeny({ ...canonical, Null: { 'aws:SourceIp': 'true' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 203.0.113.7 in eu-south-2 is not denied']);
  });
  test('a deny of the own region beside a deny of every address but the office\'s: no, naming the office host\'s request in the other region', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, ...inRegion }), mfaDeny({ ...canonical, NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent), from 198.51.100.7 in eu-south-2 is not denied']);
  });
  test('a deny of the other region beside a deny of internet requests: no, naming the own network\'s request in the own region', () => {
    const a = deniesWithoutMfa([mfaDeny({ ...canonical, StringEquals: { 'aws:RequestedRegion': 'eu-south-2' } }), mfaDeny({ ...canonical, Null: { 'aws:SourceIp': 'false' } })], OWN);
    expect(a.why).toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent) from 10.0.1.20 through vpce-0a1b2c3d4e5f60718 in us-east-1 is not denied']);
  });
  test('denies of requests with no endpoint and of requests with no address cover every request: an office address is never sent through an endpoint', () => {
    const officeInRegion = { ...canonical, ...inRegion, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } };
    const docs = [mfaDeny({ ...canonical, Null: { 'aws:SourceVpce': 'true' } }), mfaDeny({ ...canonical, Null: { 'aws:SourceIp': 'true' } }), mfaDeny(officeInRegion)];
    expect(deniesWithoutMfa(docs, OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny that spares users tagged mfa-exempt=true: no, naming the tag (whoever may tag a user exempts it)', () => {
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, StringNotEquals: { 'aws:PrincipalTag/mfa-exempt': 'true' } })], OWN).why)
      .toEqual(['s3:GetObject in an access-key request (no aws:MultiFactorAuthPresent), tagged mfa-exempt=true from 203.0.113.7 in us-east-1 is not denied']);
  });
});

describe('trustAdmitsWithoutMfa: who may assume the role without (recent) MFA?', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/Operator';
  const caller = { arn: 'arn:aws:iam::111122223333:user/someone', account: '111122223333', type: 'User' as const };
  const trust = (Condition?: Record<string, unknown>) => doc({ Sid: 'People', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
  const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  test('AWS sends every caller\'s unique id: a trust narrowed to user or role ids admits the plain caller of that kind, as it is', () => {
    const noMfa = (session = '') => ['an access-key request (no aws:MultiFactorAuthPresent)', 'a console session without MFA (aws:MultiFactorAuthPresent false)']
      .map((s) => ({ statements: ['People'], problem: 'no-mfa', session: `${s}${session}` }));
    const plain = [...noMfa(), { statements: ['People'], problem: 'no-age-bound', session: 'an MFA sign-in a year old' }];
    expect(trustAdmitsWithoutMfa(trust({ StringLike: { 'aws:userid': 'AIDA*' } }), ROLE, caller, OWN, 43200)).toEqual(plain);
    const session = { arn: 'arn:aws:sts::111122223333:assumed-role/Ops/alice', roleArn: 'arn:aws:iam::111122223333:role/Ops', account: '111122223333', type: 'AssumedRole' as const };
    expect(trustAdmitsWithoutMfa(trust({ StringLike: { 'aws:userid': 'AROA*:*' } }), ROLE, session, OWN, 43200)).toEqual(plain);
    // a caller that comes with its own unique id keeps it
    const own = { ...caller, userId: 'AIDACALLERSOWN000001' };
    expect(trustAdmitsWithoutMfa(trust({ StringEquals: { 'aws:userid': 'AIDACALLERSOWN000001' } }), ROLE, own, OWN, 43200)).toEqual(plain);
  });
  test('what only a role session carries is no way in for a user: a source identity on the session, a role\'s unique id', () => {
    expect(trustAdmitsWithoutMfa(trust({ StringEquals: { 'aws:SourceIdentity': 'alice' } }), ROLE, caller, OWN, 43200)).toEqual([]);
    expect(trustAdmitsWithoutMfa(trust({ StringLike: { 'aws:userid': 'AROAPARTNER*:*' } }), ROLE, caller, OWN, 43200)).toEqual([]);
  });
  test('the source identity a caller sets in its own AssumeRole request (sts:SourceIdentity) is its choice: a user with a stolen key sets it', () => {
    const found = trustAdmitsWithoutMfa(trust({ StringEquals: { 'sts:SourceIdentity': 'alice' } }), ROLE, caller, OWN, 43200);
    expect(Array.isArray(found) && found.map((f) => [f.problem, f.session])).toEqual([
      ['no-mfa', 'an access-key request (no aws:MultiFactorAuthPresent), sending sts:SourceIdentity alice'],
      ['no-mfa', 'a console session without MFA (aws:MultiFactorAuthPresent false), sending sts:SourceIdentity alice'],
      ['no-age-bound', 'an MFA sign-in a year old, sending sts:SourceIdentity alice'],
    ]);
  });
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
  test('a trust policy for another account\'s principals admits nobody of the own account', () => {
    expect(trustAdmitsWithoutMfa(doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${FOREIGN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }), ROLE, caller, OWN, 43200)).toEqual([]);
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
  test('a principal the request cannot be built for: unknown, naming why; a bug in building it propagates', () => {
    const nameless = { name: 'Nameless', principal: { arn: unknown('the role ARN (Fn::GetAtt Role.Arn)'), account: '111122223333' } };
    expect(keyAllows(key(rootAdmin), KEY, nameless, 'kms:Decrypt', OWN))
      .toStrictEqual({ allowed: false, keyStatements: [], unknown: ['principal type is required when the principal arn is unknown (the role ARN (Fn::GetAtt Role.Arn))'] });
    const broken = { name: 'Broken', principal: { account: '111122223333', type: 'AssumedRole' as const, get arn(): string { throw new TypeError('a bug, not a policy fault'); } } };
    expect(() => keyAllows(key(rootAdmin), KEY, broken, 'kms:Decrypt', OWN)).toThrow(TypeError);
  });
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
  test('STS patterns of users or roles are no IAM principals: a role of the account', () => {
    expect(arns('arn:aws:sts::111122223333:user/ops-*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
    expect(arns('arn:aws:sts::111122223333:role/ops-*')).toEqual([['arn:aws:iam::111122223333:role/breachlessons-any', 'AssumedRole']]);
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

describe('keyPolicyChangers: who that the key policy does not name may rewrite it?', () => {
  const putBy = (Sid: string, Condition?: Record<string, unknown>) => ({ Sid, Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...(Condition ? { Condition } : {}) });
  test('kms:* to the root for a wildcard of role names: the made-up role it admits, named with its pattern and the statement', () => {
    const pattern = 'arn:aws:iam::111122223333:role/KeyAdmin*';
    const d = doc(putBy('KeyAdmins', { ArnLike: { 'aws:PrincipalArn': pattern } }));
    expect(keyPolicyChangers(d, KEY, OWN)).toEqual({ yes: true, why: [
      `a principal matching ${pattern} (arn:aws:iam::111122223333:role/KeyAdminany) may change the key policy with an access key (KeyAdmins)`,
    ] });
    // The caller has shown that no principal can come to match the pattern (an SCP guards its names): a named administrator.
    expect(keyPolicyChangers(d, KEY, OWN, (p) => p === pattern)).toEqual({ yes: false, why: [] });
    expect(keyPolicyChangers(d, KEY, OWN, (p) => p === 'arn:aws:iam::111122223333:role/Other*').yes).toBe(true);
  });
  test('a grant to the root of users only, or of roles only: the account, named once', () => {
    const line = 'any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key (Kind)';
    expect(keyPolicyChangers(doc(putBy('Kind', { StringEquals: { 'aws:PrincipalType': 'User' } })), KEY, OWN)).toEqual({ yes: true, why: [line] });
    expect(keyPolicyChangers(doc(putBy('Kind', { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } })), KEY, OWN)).toEqual({ yes: true, why: [line] });
  });
  test('a grant to the root for every principal but its roles and users: a federated user of the account (GetFederationToken) still rewrites it (false pass: read as nobody)', () => {
    const spare = (arns: string[]) => doc(putBy('Others', { ArnNotLike: { 'aws:PrincipalArn': arns } }));
    const roles = 'arn:aws:iam::111122223333:role/*'; const users = 'arn:aws:iam::111122223333:user/*';
    expect(keyPolicyChangers(spare([roles, users]), KEY, OWN)).toEqual({ yes: true, why: [
      'any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key (Others)',
    ] });
    expect(keyPolicyChangers(spare([roles, users, 'arn:aws:sts::111122223333:federated-user/*']), KEY, OWN).why)
      .toEqual(expect.not.arrayContaining([expect.stringContaining('any principal of account 111122223333')]));
    // the principals tried have names, as every IAM principal does: patterns needing one spare them too
    expect(keyPolicyChangers(spare(['arn:aws:iam::111122223333:role/?*', 'arn:aws:iam::111122223333:user/?*', 'arn:aws:sts::111122223333:federated-user/?*']), KEY, OWN).why)
      .toEqual(expect.not.arrayContaining([expect.stringContaining('any principal of account 111122223333')]));
  });
  test('a grant to every role of the own account: any role of the account may change it, and the pattern is named too', () => {
    const acct = (sid: string) => `any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key (${sid})`;
    const pat = (sid: string) => `a principal matching arn:aws:iam::111122223333:role/* (arn:aws:iam::111122223333:role/any) may change the key policy with an access key (${sid})`;
    const roles = { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } };
    expect(keyPolicyChangers(doc(putBy('Roles', roles)), KEY, OWN)).toEqual({ yes: true, why: [acct('Roles'), pat('Roles')] });
    // Only role sessions (a role's ARN and the AssumedRole type together): an unnamed role of the account still gets in.
    expect(keyPolicyChangers(doc(putBy('Sessions', { ...roles, StringEquals: { 'aws:PrincipalType': 'AssumedRole' } })), KEY, OWN))
      .toEqual({ yes: true, why: [acct('Sessions'), pat('Sessions')] });
  });
  test('two statements that both let it: both named', () => {
    expect(keyPolicyChangers(doc(putBy('All'), { ...putBy('Put'), Action: 'kms:PutKeyPolicy' }), KEY, OWN).why)
      .toEqual(['any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key (All, Put)']);
  });
  test('a grant only to principals tagged admin=true: whoever can tag a role of the account gets in, named with the tag', () => {
    expect(keyPolicyChangers(doc(putBy('Tagged', { StringEquals: { 'aws:PrincipalTag/admin': 'true' } })), KEY, OWN)).toEqual({ yes: true, why: [
      'any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key, tagged admin=true (Tagged)',
    ] });
  });
  // A principal of the account chooses about its request what the grant looks at: an office host, MFA, a call
  // through CloudFormation, the account's own VPC endpoint (an intruder on an internal host).
  test.each<[string, Record<string, unknown>, string]>([
    ['from the office', { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'with an access key, from 198.51.100.7'],
    ['with MFA from the office', { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'with MFA, from 198.51.100.7'],
    ['through CloudFormation', { StringEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'with an access key, sending aws:CalledViaFirst cloudformation.amazonaws.com'],
    ['through the own VPC endpoint', { StringEquals: { 'aws:SourceVpce': 'vpce-1234567890abcdef0' } }, 'with an access key, through its own vpce-1234567890abcdef0'],
  ])('a grant to the root only %s: any principal of the account making that choice rewrites it (false pass: read as nobody)', (_, Condition, how) => {
    expect(keyPolicyChangers(doc(putBy('Narrowed', Condition)), KEY, OWN)).toEqual({ yes: true, why: [
      `any principal of account 111122223333 whose IAM policies allow it may change the key policy ${how} (Narrowed)`,
    ] });
  });
  test('a grant to users matching a pattern, only with a source identity: no user has one, so nobody may change it', () => {
    const d = doc(putBy('Users', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/ops-*' }, StringEquals: { 'aws:SourceIdentity': 'key-admin' } }));
    expect(keyPolicyChangers(d, KEY, OWN)).toEqual({ yes: false, why: [] });
  });
  test('a grant to the root only with a source identity: a role session sets one, named once for the account', () => {
    expect(keyPolicyChangers(doc(putBy('Sourced', { StringEquals: { 'aws:SourceIdentity': 'key-admin' } })), KEY, OWN)).toEqual({ yes: true, why: [
      'any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key, with source identity key-admin (Sourced)',
    ] });
  });
  test('kms:* to a foreign account\'s root: that account, named once', () => {
    expect(keyPolicyChangers(doc({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${FOREIGN_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }), KEY, OWN)).toEqual({ yes: true, why: [
      `any principal of account ${FOREIGN_ACCOUNT} whose IAM policies allow it may change the key policy with an access key (Partner)`,
    ] });
  });
  test('the own-account placeholder is not another account when the own account is known', () => {
    expect(keyPolicyChangers(doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:root` }, Action: 'kms:*', Resource: '*' }), KEY, OWN))
      .toEqual({ yes: false, why: [] });
  });
  test('unresolved conditions: unknown, naming at most three of them', () => {
    const d = doc(...['A', 'B', 'C', 'D'].map((x) => putBy(x, { StringEquals: { 'kms:CallerAccount': unknown(`Ref Account${x}`) } })));
    const a = keyPolicyChangers(d, KEY, OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(3);
    expect(a.why.join(' ')).toMatch(/Ref AccountA/);
  });
  test('parseKeyPolicy: a key policy that is not JSON is named as the key policy in the reason', () => {
    expect(parseKeyPolicy('{not json')).toEqual(expect.stringContaining("'key policy' is not valid json"));
  });
  test('a malformed key policy: unknown, naming it and its fault', () => {
    const a = keyPolicyChangers(MALFORMED, KEY, OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/key policy.*StringEquall/);
  });
});

describe('boundaryDenies: does the boundary keep its principals from these requests?', () => {
  const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/security-trail';
  const OTHER = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit-trail';
  const stop = [{ action: 'cloudtrail:StopLogging', resource: TRAIL }];
  const role = (n: string) => ({ name: n, principal: { arn: `arn:aws:iam::111122223333:role/${n}`, account: '111122223333', type: 'AssumedRole' as const } });
  const ops = role('Ops');
  const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
  const denyTrail = (Condition: Record<string, unknown>) => doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition });
  const through = `with an access key may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`;
  test('who got through, listed: one, two, three, then "and N more"', () => {
    const open = doc(allowAll);
    const names = (n: number) => boundaryDenies(open, stop, ['A', 'B', 'C', 'D', 'E'].slice(0, n).map(role), OWN);
    expect(names(1)).toEqual({ yes: false, why: [`A ${through}`] });
    expect(names(2).why).toEqual([`A and B ${through}`]);
    expect(names(3).why).toEqual([`A, B and C ${through}`]);
    expect(names(4).why).toEqual([`A, B, C and 1 more ${through}`]);
    expect(names(5).why).toEqual([`A, B, C and 2 more ${through}`]);
  });
  test('several actions and resources through several statements: each named', () => {
    const requests = [...stop, { action: 'cloudtrail:DeleteTrail', resource: TRAIL }, { action: 'cloudtrail:StopLogging', resource: OTHER }];
    expect(boundaryDenies(doc({ Sid: 'All', ...allowAll }, { Sid: 'Trails', Effect: 'Allow', Action: 'cloudtrail:*', Resource: '*' }), requests, [ops], OWN).why).toEqual([
      `Ops with an access key may call cloudtrail:StopLogging, cloudtrail:DeleteTrail on ${TRAIL}; cloudtrail:StopLogging on ${OTHER} (All, Trails; no statement denies it)`,
    ]);
  });
  test('one action tried with several request contexts is named once', () => {
    const twice = [{ ...stop[0], context: { 'iam:PermissionsBoundary': 'a' } }, { ...stop[0], context: { 'iam:PermissionsBoundary': 'b' } }];
    expect(boundaryDenies(doc(allowAll), twice, [ops], OWN)).toEqual({ yes: false, why: [`Ops ${through}`] });
  });
  test('a deny that spares the own network, its VPC endpoint or its VPC: the request from there gets through', () => {
    for (const c of [
      { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } },
      { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } },
      { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
      { StringNotEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d4e5f60718' } },
    ]) expect([c, boundaryDenies(denyTrail(c), stop, [ops], OWN)]).toEqual([c, { yes: false, why: [`Ops ${through}`] }]);
  });
  test('a deny that spares calls through CloudFormation, any service, or the office: the bounded principal makes that choice', () => {
    for (const [c, sends] of [
      [{ StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'sending aws:CalledViaFirst cloudformation.amazonaws.com'],
      [{ Bool: { 'aws:ViaAWSService': 'false' } }, 'sending aws:ViaAWSService true'],
      [{ NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'from 198.51.100.7'],
    ] as const) {
      expect([c, boundaryDenies(denyTrail(c), stop, [ops], OWN)]).toEqual([c, { yes: false, why: [`Ops with an access key, ${sends} may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`] }]);
    }
  });
  test('denies each sparing one choice (MFA, a tag, the office): the principal making both choices gets through', () => {
    const deny = (Sid: string, Condition: Record<string, unknown>) => ({ Sid, Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition });
    const office = deny('OffOffice', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } });
    expect(boundaryDenies(doc(allowAll, deny('NoMfa', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }), office), stop, [ops], OWN))
      .toEqual({ yes: false, why: [`Ops with MFA, from 198.51.100.7 may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`] });
    expect(boundaryDenies(doc(allowAll, deny('Untagged', { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } }), office), stop, [ops], OWN))
      .toEqual({ yes: false, why: [`Ops with an access key, tagged team=platform, from 198.51.100.7 may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`] });
  });
  test('a deny of every internet address beside a deny of every endpoint: yes, a request from the internet carries its address', () => {
    const d = doc(allowAll,
      { Sid: 'Internet', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } } },
      { Sid: 'Endpoints', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { Null: { 'aws:SourceVpce': 'false' } } });
    expect(boundaryDenies(d, stop, [ops], OWN)).toEqual({ yes: true, why: ['Internet', 'Endpoints'] });
  });
  test('a deny that spares the own VPC\'s endpoint or the VPC, by id: the bounded principal on an internal host calls through it', () => {
    for (const [c, through] of [
      [{ StringNotEquals: { 'aws:SourceVpce': 'vpce-1234567890abcdef0' } }, 'vpce-1234567890abcdef0'],
      [{ StringNotEquals: { 'aws:SourceVpc': 'vpc-1234567890abcdef0' } }, 'vpc-1234567890abcdef0'],
    ] as const) {
      expect([c, boundaryDenies(denyTrail(c), stop, [ops], OWN)]).toEqual([c, { yes: false, why: [`Ops with an access key, through its own ${through} may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`] }]);
    }
  });
  test('a source identity the deny spares is a role session\'s choice: a bounded role gets through, a bounded user does not', () => {
    const d = denyTrail({ StringNotEquals: { 'aws:SourceIdentity': 'break-glass' } });
    const alice = { name: 'Alice', principal: { arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333', type: 'User' as const } };
    expect(boundaryDenies(d, stop, [ops], OWN)).toEqual({ yes: false, why: [`Ops with an access key, with source identity break-glass may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`] });
    expect(boundaryDenies(d, stop, [alice], OWN).yes).toBe(true);
  });
  test('a deny that spares an outside address range: the request from the internet gets through', () => {
    expect(boundaryDenies(denyTrail({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), stop, [ops], OWN)).toEqual({ yes: false, why: [`Ops ${through}`] });
  });
  test('an exemption of a wildcard of role names in any account: the own account\'s made-up role, not a foreign one', () => {
    expect(boundaryDenies(denyTrail({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/break-*' } }), stop, [ops], OWN)).toEqual({ yes: false, why: [
      `a principal matching arn:aws:iam::*:role/break-* (arn:aws:iam::111122223333:role/break-any) ${through}`,
    ] });
  });
  test('a deny of everything: yes, naming the denying statement', () => {
    expect(boundaryDenies(doc(allowAll, { Sid: 'NoTrail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }), stop, [ops], OWN)).toEqual({ yes: true, why: ['NoTrail'] });
  });
  test('unresolved conditions: unknown, naming who, what and the values, at most three lines', () => {
    const d = doc(allowAll,
      { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountA') } } },
      { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountB') } } });
    const one = boundaryDenies(d, stop, [ops], OWN);
    expect(one.yes).toBe('unknown');
    expect(one.why).toHaveLength(1);
    expect(one.why[0]).toMatch(new RegExp(`^whether Ops may call cloudtrail:StopLogging on ${TRAIL} depends on .*Ref AccountA.*; .*Ref AccountB`));
    expect(boundaryDenies(d, stop, ['A', 'B', 'C', 'D'].map(role), OWN).why).toHaveLength(3);
  });
  test('a malformed boundary: unknown, naming it by the name given, or as the permissions boundary', () => {
    const a = boundaryDenies(MALFORMED, stop, [ops], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why[0]).toMatch(/permissions boundary.*StringEquall/);
    expect(boundaryDenies(MALFORMED, stop, [ops], OWN, 'boundary OpsBoundary').why[0]).toMatch(/boundary OpsBoundary/);
  });
});

describe('principalChoices: a principal of the account may carry the tags a condition names, and choose how it calls', () => {
  const names = (d: unknown, senders = true) => principalChoices([d], senders).map((c) => c.name);
  test('one choice per tag value the conditions name, on any operator, each value once, and every pair of keys', () => {
    const d = doc(
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['ops', 'sec'] }, StringLike: { 'AWS:PRINCIPALTAG/level': 'admin', 'aws:PrincipalOrgID': 'o-abcdefghij' } } },
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'ops' } } },
    );
    expect(principalChoices([d])).toEqual([
      { name: 'with an access key, tagged team=ops', context: { 'aws:PrincipalTag/team': 'ops' } },
      { name: 'with an access key, tagged team=sec', context: { 'aws:PrincipalTag/team': 'sec' } },
      { name: 'with an access key, tagged level=admin', context: { 'aws:PrincipalTag/level': 'admin' } },
      { name: 'with an access key, tagged team=ops, tagged level=admin', context: { 'aws:PrincipalTag/team': 'ops', 'aws:PrincipalTag/level': 'admin' }, roleOnly: false },
      { name: 'with an access key, tagged team=sec, tagged level=admin', context: { 'aws:PrincipalTag/team': 'sec', 'aws:PrincipalTag/level': 'admin' }, roleOnly: false },
    ]);
  });
  test('an unresolved tag value gives a choice of its own, each value apart, alone and beside another key (false pass: the second shared the first\'s name and was skipped)', () => {
    const a = unknown('Ref TeamA');
    const b = unknown('Ref TeamB');
    const d = doc(
      null as unknown as Record<string, unknown>,
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: null },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: null, NumericEquals: { 'aws:PrincipalTag/n': 5 } } },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': [a, b], 'x-aws:PrincipalTag/fake': 'no', 'aws:PrincipalTag/': 'no', 'aws:PrincipalTag/a\nb': 'no' } } },
    );
    expect(principalChoices([d]).map((c) => c.context)).toEqual([
      { 'aws:PrincipalTag/n': '5' }, { 'aws:PrincipalTag/team': a }, { 'aws:PrincipalTag/team': b },
      { 'aws:PrincipalTag/n': '5', 'aws:PrincipalTag/team': a }, { 'aws:PrincipalTag/n': '5', 'aws:PrincipalTag/team': b },
    ]);
    expect(names(d)[1]).toBe('with an access key, tagged team=(unresolved)');
    expect(principalChoices([null])).toEqual([]);
    // A value no policy may hold (the parser refuses it) names no tag value: no choice tagged "null" or "[object Object]".
    for (const v of [null, { a: 1 }]) expect(principalChoices([doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': v } } })])).toEqual([]);
    expect(names({ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/x': 'y' } } } })).toEqual(['with an access key, tagged x=y']);
  });
  test('unresolved tag values that went through a JSON copy (plain markers) still give a choice each', () => {
    const d = JSON.parse(JSON.stringify(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': [unknown('Ref TeamA'), unknown('Ref TeamB')] } } })));
    expect(principalChoices([d]).map((c) => (c.context['aws:PrincipalTag/team'] as { reason?: string } | undefined)?.reason)).toEqual(['Ref TeamA', 'Ref TeamB']);
  });
  test('MFA, an office host and a source identity (a role\'s), in every combination; how a call is sent only with senders', () => {
    const d = doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: {
      Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' }, StringEquals: { 'aws:SourceIdentity': 'admin', 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' },
    } });
    // each network (an IPv6 address outside the range, the office, an endpoint of its own) is one choice among the others
    const nets = ['from 2001:db8::7', 'from 198.51.100.7', 'through a VPC endpoint of its own'];
    expect(names(d, false)).toEqual([
      'with an access key, with source identity admin', ...nets.map((n) => `with an access key, ${n}`), 'with MFA, with source identity admin',
      ...nets.flatMap((n) => [`with an access key, with source identity admin, ${n}`, `with MFA, ${n}`, `with MFA, with source identity admin, ${n}`]),
    ]);
    expect(principalChoices([d], false).filter((c) => c.roleOnly).map((c) => c.name).every((n) => n.includes('source identity'))).toBe(true);
    expect(principalChoices([d], false).filter((c) => !c.roleOnly).map((c) => c.name).some((n) => n.includes('source identity'))).toBe(false);
    expect(names(d)).toContain('with MFA, with source identity admin, sending aws:CalledViaFirst cloudformation.amazonaws.com, from 198.51.100.7');
  });
});

describe('scpDenies: does the SCP deny these requests to a member account\'s principals?', () => {
  const DETECTOR = 'arn:aws:guardduty:us-east-1:111122223333:detector/d1';
  const off = [{ action: 'guardduty:DeleteDetector', resource: DETECTOR }];
  const denyGd = (Condition?: Record<string, unknown>, Sid = 'KeepGuardDuty') => ({ Sid, Effect: 'Deny', Action: ['guardduty:DeleteDetector', 'guardduty:UpdateDetector'], Resource: '*', ...(Condition ? { Condition } : {}) });
  const role = `a role of the member account ${OWN.account}`;
  const user = `an IAM user of the member account ${OWN.account}`;
  // an SCP binds the member account's root user and federated users too
  const root = `the root user of the member account ${OWN.account}`;
  const fed = `a federated user of the member account ${OWN.account}`;
  const members = [role, user, root, fed];
  const gets = (who: string, session: string) => `${who} ${session} may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`;
  test('a plain deny: yes, naming the denying statements', () => {
    expect(scpDenies(doc(denyGd(), denyGd(undefined, 'Again')), off, OWN)).toEqual({ yes: true, why: ['KeepGuardDuty', 'Again'] });
  });
  test('a deny that does not cover the action: no, naming every member principal and session let through', () => {
    expect(scpDenies(doc({ ...denyGd(), Action: 'guardduty:UpdateDetector' }), off, OWN)).toEqual({ yes: false, why:
      members.flatMap((who) => [gets(who, 'with an access key'), gets(who, 'in a session with MFA')]) });
  });
  test('a deny that spares the office range: a member principal on an office host gets through; a private range spares nobody AWS names so', () => {
    expect(scpDenies(doc(denyGd({ NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })), off, OWN)).toEqual({ yes: false, why:
      members.map((who) => gets(who, 'with an access key, from 198.51.100.7')) });
    expect(scpDenies(doc(denyGd({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } })), off, OWN)).toEqual({ yes: false, why:
      members.flatMap((who) => [gets(who, 'with an access key'), gets(who, 'in a session with MFA')]) });
    expect(scpDenies(doc(denyGd({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })), off, OWN)).toEqual({ yes: true, why: ['KeepGuardDuty'] });
  });
  test('a deny for the own organization counts: the member\'s principals carry it', () => {
    expect(scpDenies(doc(denyGd({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } })), off, OWN)).toEqual({ yes: true, why: ['KeepGuardDuty'] });
  });
  test('denies of roles and of users (by type or by ARN) spare the root user and federated users (false pass: read as every member principal)', () => {
    const rest = [root, fed].flatMap((who) => [gets(who, 'with an access key'), gets(who, 'in a session with MFA')]);
    expect(scpDenies(doc(denyGd({ StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }), denyGd({ StringEquals: { 'aws:PrincipalType': 'User' } }, 'Users')), off, OWN))
      .toEqual({ yes: false, why: rest });
    const byArn = doc(denyGd({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'] } }));
    expect(scpDenies(byArn, off, OWN)).toEqual({ yes: false, why: rest });
    const all = denyGd({ StringEquals: { 'aws:PrincipalType': ['AssumedRole', 'User', 'Account', 'FederatedUser'] } }, 'Everyone');
    expect(scpDenies(doc(all), off, OWN)).toEqual({ yes: true, why: ['Everyone'] });
    // by ARN: the root user's is the account's root ARN, a federated user's an sts federated-user ARN
    const every = denyGd({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*', 'arn:aws:iam::*:root', 'arn:aws:sts::*:federated-user/*'] } }, 'EveryArn');
    expect(scpDenies(doc(every), off, OWN)).toEqual({ yes: true, why: ['EveryArn'] });
    // the member principals tried have names, as every IAM principal does: a pattern needing one covers them
    const named = denyGd({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/?*', 'arn:aws:iam::*:user/?*', 'arn:aws:iam::*:root', 'arn:aws:sts::*:federated-user/?*'] } }, 'Named');
    expect(scpDenies(doc(named), off, OWN)).toEqual({ yes: true, why: ['Named'] });
    // by aws:userid as AWS sends it: the account id for the root user, <account>:<name> for a federated user
    const byUserId = doc(
      denyGd({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'] } }, 'RolesUsers'),
      denyGd({ StringEquals: { 'aws:userid': OWN.account } }, 'Root'),
      denyGd({ StringLike: { 'aws:userid': `${OWN.account}:*` } }, 'Federated'),
    );
    expect(scpDenies(byUserId, off, OWN)).toEqual({ yes: true, why: ['RolesUsers', 'Root', 'Federated'] });
  });
  test('a deny that spares a wildcard of role names: the made-up role of the member account (not a foreign one), unless spared', () => {
    const pattern = 'arn:aws:iam::*:role/OrgAdmin*';
    const d = doc(denyGd({ ArnNotLike: { 'aws:PrincipalArn': pattern } }));
    const sample = `a principal matching ${pattern} (arn:aws:iam::111122223333:role/OrgAdminany)`;
    expect(scpDenies(d, off, OWN)).toEqual({ yes: false, why: [gets(sample, 'with an access key'), gets(sample, 'in a session with MFA')] });
    expect(scpDenies(d, off, OWN, 'service control policy', (p) => p === pattern)).toEqual({ yes: true, why: ['KeepGuardDuty'] });
  });
  test('a sampled role carries the own organization too', () => {
    const d = doc(
      denyGd({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }, 'Roles'),
      denyGd({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/*' } }, 'Users'),
      denyGd({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId, 'aws:PrincipalType': ['Account', 'FederatedUser'] } }, 'Others'),
    );
    expect(scpDenies(d, off, OWN)).toEqual({ yes: true, why: ['Roles', 'Users', 'Others'] });
  });
  test('a deny that spares principals tagged team=security: a member admin tags a role and gets through', () => {
    const a = scpDenies(doc(denyGd({ StringNotEquals: { 'aws:PrincipalTag/team': 'security' } })), off, OWN, 'SCP ProtectSecurity');
    // the root user has no tags: only the others get through
    expect(a).toEqual({ yes: false, why: [role, user, fed].map((who) =>
      `${who} with an access key, tagged team=security may call guardduty:DeleteDetector on ${DETECTOR} (no statement of SCP ProtectSecurity denies it)`) });
  });
  test('a deny "from every address": a member administrator calls through a VPC endpoint (no aws:SourceIp) and gets through; without the address condition: yes', () => {
    const everyAddress = { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } };
    const a = scpDenies(doc(denyGd(everyAddress)), off, OWN);
    expect(a.yes).toBe(false);
    expect(a.why).toContain(`${role} with an access key, through a VPC endpoint of its own may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`);
    expect(a.why.every((w) => /through a VPC endpoint of its own/.test(w))).toBe(true);
  });
  test('a deny that spares calls made through a service: a member administrator calls through CloudFormation and gets through', () => {
    for (const spare of [{ Bool: { 'aws:ViaAWSService': 'false' } }, { Null: { 'aws:CalledVia': 'true' } }]) {
      const a = scpDenies(doc(denyGd(spare)), off, OWN);
      expect([spare, a.yes]).toEqual([spare, false]);
      expect(a.why.every((w) => / with an access key, sending aws:(ViaAWSService true|CalledVia any)/.test(w))).toBe(true);
    }
    // The same spare of a service's calls that names no service AWS sends from a member account's own request: still denied.
    expect(scpDenies(doc(denyGd()), off, OWN).yes).toBe(true);
  });
  test('a deny that spares one source identity: only a role session sets one; a user is still denied, the role gets through', () => {
    const a = scpDenies(doc(denyGd({ StringNotEquals: { 'aws:SourceIdentity': 'admin' } })), off, OWN);
    expect(a).toEqual({ yes: false, why: [`${role} with an access key, with source identity admin may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`] });
  });
  test('a deny that spares a tag pattern: each member principal is named once, tagged with the pattern\'s sample', () => {
    const a = scpDenies(doc(denyGd({ StringNotLike: { 'aws:PrincipalTag/team': 'sec*' } })), off, OWN);
    expect(a).toEqual({ yes: false, why: [
      `${role} with an access key, tagged team=secany may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`,
      `${user} with an access key, tagged team=secany may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`,
      `${fed} with an access key, tagged team=secany may call guardduty:DeleteDetector on ${DETECTOR} (no statement of service control policy denies it)`,
    ] });
  });
  test('a deny that spares sessions with MFA: each member principal named once, in a session with MFA', () => {
    expect(scpDenies(doc(denyGd({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })), off, OWN))
      .toEqual({ yes: false, why: members.map((who) => gets(who, 'in a session with MFA')) });
  });
  test('denies each sparing one choice (MFA, a tag, the office): a member principal making both choices gets through', () => {
    const office = denyGd({ NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'OffOffice');
    const through = (how: string, who = members) => who.map((w) => gets(w, how));
    expect(scpDenies(doc(denyGd({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }), office), off, OWN))
      .toEqual({ yes: false, why: through('with MFA, from 198.51.100.7') });
    expect(scpDenies(doc(denyGd({ StringNotEquals: { 'aws:PrincipalTag/team': 'security' } }), office), off, OWN))
      .toEqual({ yes: false, why: through('with an access key, tagged team=security, from 198.51.100.7', [role, user, fed]) });
  });
  test('a deny on unresolved values: unknown, naming the SCP, the request, who and the values, at most three lines', () => {
    const d = doc(
      denyGd({ StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountA') } }),
      denyGd({ StringEquals: { 'aws:PrincipalAccount': unknown('Ref AccountB') } }),
    );
    const a = scpDenies(d, off, OWN);
    expect(a.yes).toBe('unknown');
    // four member principals, three lines
    expect(a.why).toHaveLength(3);
    expect(a.why[0]).toMatch(new RegExp(`^whether service control policy denies guardduty:DeleteDetector on ${DETECTOR} to ${role} depends on .*Ref AccountA.*; .*Ref AccountB`));
    expect(scpDenies(d, off, OWN, 'service control policy').why[2]).toContain(root);
    expect(scpDenies(d, [...off, { action: 'guardduty:UpdateDetector', resource: DETECTOR }], OWN).why).toHaveLength(3);
  });
  test('a malformed SCP: unknown, naming it and its fault', () => {
    const a = scpDenies(MALFORMED, off, OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(1);
    expect(a.why[0]).toMatch(/service control policy.*StringEquall/);
  });
});

describe('serviceMayUseKey: may the service use the key, calling as it calls KMS?', () => {
  const events = (Condition?: Record<string, unknown>, extra: Record<string, unknown>[] = []) => doc(
    { Sid: 'Events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', ...(Condition ? { Condition } : {}) }, ...extra);
  test('yes names each action and the statements that let it', () => {
    expect(serviceMayUseKey(events(undefined, [{ Sid: 'Also', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }]), KEY, 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {}))
      .toEqual({ yes: true, why: ['kms:GenerateDataKey (Events)', 'kms:Decrypt (Events, Also)'] });
  });
  test('no names the action, the service and whether it sent other context keys', () => {
    const d = events({ StringEquals: { 'aws:SourceAccount': OWN.account } });
    expect(serviceMayUseKey(d, KEY, 'events.amazonaws.com', ['kms:GenerateDataKey'], {}))
      .toEqual({ yes: false, why: ['kms:GenerateDataKey by events.amazonaws.com without any context keys is not allowed'] });
    expect(serviceMayUseKey(d, KEY, 'events.amazonaws.com', ['kms:GenerateDataKey'], { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/r' }))
      .toEqual({ yes: false, why: ['kms:GenerateDataKey by events.amazonaws.com without other context keys is not allowed'] });
  });
  test('the service calls over TLS: a grant on TLS lets it, a deny without TLS does not stop it', () => {
    expect(serviceMayUseKey(events({ Bool: { 'aws:SecureTransport': 'true' } }), KEY, 'events.amazonaws.com', ['kms:Decrypt'], {}).yes).toBe(true);
    expect(serviceMayUseKey(events(undefined, [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }]), KEY, 'events.amazonaws.com', ['kms:Decrypt'], {}).yes).toBe(true);
  });
  test('another service is not let in', () => {
    expect(serviceMayUseKey(events(), KEY, 'sns.amazonaws.com', ['kms:Decrypt'], {}).yes).toBe(false);
  });
  test('an unresolved condition: unknown, naming the value; a malformed policy: unknown, naming it', () => {
    const a = serviceMayUseKey(events({ StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': unknown('Ref Topic') } }), KEY, 'events.amazonaws.com', ['kms:Decrypt'], { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111122223333:alerts' });
    expect(a.yes).toBe('unknown');
    expect(a.why.join()).toMatch(/Ref Topic/);
    const m = serviceMayUseKey(MALFORMED, KEY, 'events.amazonaws.com', ['kms:Decrypt'], {});
    expect(m.yes).toBe('unknown');
    expect(m.why).toHaveLength(1);
    expect(m.why[0]).toMatch(/key policy.*StringEquall/);
  });
});

describe('the oracle (iam-simulate) agrees with the requests the questions name', () => {
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const role = { arn: 'arn:aws:sts::111122223333:assumed-role/Ops/s', roleArn: 'arn:aws:iam::111122223333:role/Ops', account: '111122223333', type: 'AssumedRole' as const };
  const mfa = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' };
  const office = { 'aws:SourceIp': '198.51.100.7' };
  const deny = (Sid: string, Action: string, Condition: Record<string, unknown>) => ({ Sid, Effect: 'Deny', Action, Resource: '*', Condition });
  test('MFA denies of the own region and of endpoint calls: a stolen key from the internet in another region is allowed, in the own region denied', async () => {
    const { oracleDecide } = await import('./oracle');
    const noMfa = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
    const identity = [{ name: 'grant', document: allowAll }, { name: 'mfa', document: doc(deny('Region', 's3:*', { ...noMfa, StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }), deny('Endpoint', 's3:*', { ...noMfa, Null: { 'aws:SourceIp': 'true' } })) }];
    const ask = async (region: string) => (await oracleDecide({ principal: { arn: 'arn:aws:iam::111122223333:user/u', account: '111122223333', type: 'User' }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', 'aws:RequestedRegion': region } }, { identity })).decision;
    expect(await ask('eu-south-2')).toBe('Allowed');
    expect(await ask('us-east-1')).toBe('ExplicitlyDenied');
  });
  const request = (action: string, resource: string, context: Record<string, string>) => ({ principal: role, action, resource, resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'true', 'aws:RequestedRegion': 'us-east-1', ...context } });
  test('a boundary\'s denies sparing MFA and the office, each alone: a session with MFA on an office host is allowed, each choice alone denied', async () => {
    const { oracleDecide } = await import('./oracle');
    const boundary = doc(allowAll.Statement[0], deny('NoMfa', 'cloudtrail:*', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }), deny('OffOffice', 'cloudtrail:*', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }));
    const ask = async (context: Record<string, string>) => (await oracleDecide(request('cloudtrail:StopLogging', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', context), { identity: [{ name: 'grant', document: allowAll }], permissionsBoundary: { name: 'boundary', document: boundary } })).decision;
    expect(await ask({ ...mfa, ...office })).toBe('Allowed');
    expect(await ask(office)).toBe('ExplicitlyDenied');
    expect(await ask({ ...mfa, 'aws:SourceIp': '203.0.113.7' })).toBe('ExplicitlyDenied');
  });
  test('an SCP\'s denies sparing a tag and the office, each alone: a tagged role on an office host is allowed, each choice alone denied', async () => {
    const { oracleDecide } = await import('./oracle');
    const scp = doc(allowAll.Statement[0], deny('Untagged', 'guardduty:*', { StringNotEquals: { 'aws:PrincipalTag/team': 'security' } }), deny('OffOffice', 'guardduty:*', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }));
    const ask = async (context: Record<string, string>) => (await oracleDecide(request('guardduty:DeleteDetector', 'arn:aws:guardduty:us-east-1:111122223333:detector/d1', context), { identity: [{ name: 'grant', document: allowAll }], scps: [[{ name: 'scp', document: scp }]] })).decision;
    expect(await ask({ 'aws:PrincipalTag/team': 'security', ...office })).toBe('Allowed');
    expect(await ask(office)).toBe('ExplicitlyDenied');
    expect(await ask({ 'aws:PrincipalTag/team': 'security', 'aws:SourceIp': '203.0.113.7' })).toBe('ExplicitlyDenied');
  });
});

describe('canMake: only a role session sets a source identity', () => {
  const roleOnly = { roleOnly: true };
  test('a role session, or a role told by its ARN, may; a user or an account root may not; a principal of unknown type may (never a pass by leaving it out)', () => {
    expect(canMake(roleOnly, { arn: 'arn:aws:sts::111122223333:assumed-role/Ops/s' })).toBe(true);
    expect(canMake(roleOnly, { arn: 'arn:aws:iam::111122223333:role/Ops' })).toBe(true);
    expect(canMake(roleOnly, { arn: 'arn:aws:iam::111122223333:user/alice' })).toBe(false);
    expect(canMake(roleOnly, { arn: 'arn:aws:iam::111122223333:root' })).toBe(false);
    expect(canMake(roleOnly, { arn: 'arn:aws:iam::111122223333:role/Ops', type: 'User' })).toBe(false);
    expect(canMake(roleOnly, { arn: unknown('Ref Principal') })).toBe(true);
    expect(canMake({}, { arn: 'arn:aws:iam::111122223333:user/alice' })).toBe(true);
  });
});
