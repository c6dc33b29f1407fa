/**
 * lib/policy/questions: each question on compliant and adversarial documents, and the requests the
 * MFA and TLS questions rest on held to the oracle (@cloud-copilot/iam-simulate, tests only).
 */
import {
  FOREIGN_ACCOUNT, NO_MFA_SESSIONS, Own, OWN_ACCOUNT_PLACEHOLDER, PRINCIPAL_SESSIONS, boundaryDenies, deniesWithoutMfa, deniesWithoutTls, keyAllows,
  keyPolicyChangers, mfaDenyCandidates, namedIdentities, olderVersions, outsiderAccess, parseKeyPolicy, principalPatterns, sampleOf, serviceMayUseKey,
  showOwn, trustAdmitsWithoutMfa, unnamedSamples,
} from '../../lib/policy/questions';
import { unknown } from '../../lib/policy';
import { oracleDecide } from './oracle';

const OWN: Own = { account: '111122223333', organizationId: 'o-ours1234567', partition: 'aws', region: 'us-east-1' };
const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });
const BUCKET = 'arn:aws:s3:::customer-data';
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];

describe('outsiderAccess', () => {
  const o = { defaultActions: ['s3:GetObject'], defaultResources: [BUCKET, `${BUCKET}/k`], wildcardOnly: true };
  const open = (Condition?: Record<string, unknown>) => doc({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*`, ...(Condition ? { Condition } : {}) });
  test('a wildcard limited to the own organization or account keeps outsiders out', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } }), OWN, o).yes).toBe(false);
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalAccount': OWN.account } }), OWN, o).yes).toBe(false);
  });
  test('negation, IfExists, ForAllValues and a foreign value let outsiders in, and say who and through which statement', () => {
    for (const c of [
      { StringNotEquals: { 'aws:PrincipalOrgID': OWN.organizationId } },
      { StringEqualsIfExists: { 'aws:PrincipalAccount': OWN.account } },
      { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': OWN.organizationId } },
      { StringEquals: { 'aws:PrincipalAccount': '999988887777' } },
      { StringEquals: { 'aws:PrincipalOrgID': 'o-other987654' } },
    ]) {
      const a = outsiderAccess(open(c), OWN, o);
      expect([JSON.stringify(c), a.yes]).toEqual([JSON.stringify(c), true]);
      expect(a.why[0]).toMatch(/^Open lets (a principal of account \d{12}|an anonymous caller|sns\.amazonaws\.com acting for arn:aws:sns:[a-z0-9-]+:\d{12}:any-topic \(account \d{12})/);
    }
  });
  test('an organization or account it cannot compare is unknown, never a pass', () => {
    const noOrg: Own = { ...OWN, organizationId: undefined };
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }), noOrg, o)).toMatchObject({ yes: 'unknown' });
    const agnostic: Own = { ...OWN, account: OWN_ACCOUNT_PLACEHOLDER };
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalAccount': '111122223333' } }), agnostic, o)).toMatchObject({ yes: 'unknown' });
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalAccount': unknown('a parameter') } }), OWN, o)).toMatchObject({ yes: 'unknown' });
  });
  test('a named foreign principal is not a wildcard (wildcardOnly); without the option it is an outsider', () => {
    const named = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${FOREIGN_ACCOUNT}:root` }, Action: 's3:GetObject', Resource: '*' });
    expect(outsiderAccess(named, OWN, o).yes).toBe(false);
    expect(outsiderAccess(named, OWN, { ...o, wildcardOnly: false }).yes).toBe(true);
  });
  test('a deny in the same document keeps outsiders out', () => {
    const d = doc(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': OWN.organizationId } } },
    );
    expect(outsiderAccess(d, OWN, o).yes).toBe(false);
  });
  test('a malformed document is unknown, naming the problem', () => {
    const a = outsiderAccess(doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquall: { 'aws:PrincipalOrgID': 'o-x' } } }), OWN, o);
    expect(a.yes).toBe('unknown');
    expect(a.why.join()).toMatch(/StringEquall/);
  });
});

describe('deniesWithoutTls', () => {
  const deny = (Resource: unknown, Condition: Record<string, unknown> = { Bool: { 'aws:SecureTransport': 'false' } }, extra: Record<string, unknown> = {}) =>
    doc({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource, Condition, ...extra });
  test('the bucket and its objects: yes', () => {
    expect(deniesWithoutTls([deny([BUCKET, `${BUCKET}/*`])], BUCKET, OWN).yes).toBe(true);
    expect(deniesWithoutTls([deny('*', { BoolIfExists: { 'aws:SecureTransport': 'false' } })], BUCKET, OWN).yes).toBe(true);
  });
  test('the bucket only, one prefix, an exempt action or a narrowing condition: no, naming the request let through', () => {
    expect(deniesWithoutTls([deny(BUCKET)], BUCKET, OWN)).toEqual({ yes: false, why: [expect.stringMatching(/on every object .* without TLS .* is not denied/)] });
    expect(deniesWithoutTls([deny([BUCKET, `${BUCKET}/public/*`])], BUCKET, OWN).yes).toBe(false);
    expect(deniesWithoutTls([doc({ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })], BUCKET, OWN).yes).toBe(false);
    expect(deniesWithoutTls([deny('*', { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })], BUCKET, OWN).yes).toBe(false);
  });
  test('TLS versions: each older version must be denied', () => {
    expect(olderVersions('1.2')).toEqual(['1.0', '1.1']);
    const v = (op: string, value: string) => deny('*', { [op]: { 's3:TlsVersion': value } });
    expect(deniesWithoutTls([v('NumericLessThan', '1.2')], BUCKET, OWN, '1.2').yes).toBe(true);
    expect(deniesWithoutTls([v('NumericLessThan', '1.1')], BUCKET, OWN, '1.2').yes).toBe(false);
    expect(deniesWithoutTls([v('NumericEquals', '1.1')], BUCKET, OWN, '1.2').yes).toBe(false);
    expect(() => olderVersions('abc')).toThrow(/tls version must be a number, got "abc"/);
  });
  test('a deny that depends on an unresolved value is unknown', () => {
    expect(deniesWithoutTls([deny('*', { NumericLessThan: { 's3:TlsVersion': unknown('a parameter') } })], BUCKET, OWN, '1.2').yes).toBe('unknown');
  });
});

describe('deniesWithoutMfa', () => {
  const mfaDeny = (Condition: Record<string, unknown>, rest: Record<string, unknown> = { NotAction: MFA_SELF_SERVICE, Resource: '*' }) => doc({ Effect: 'Deny', ...rest, Condition });
  const canonical = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
  test('the canonical deny: yes', () => {
    expect(deniesWithoutMfa([mfaDeny(canonical)], OWN).yes).toBe(true);
  });
  test('Bool (no IfExists), a region, a network, a resource, or an exemption beyond MFA self-service: no', () => {
    expect(deniesWithoutMfa([mfaDeny({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } })], OWN).why[0]).toMatch(/access-key request/);
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, StringEquals: { 'aws:RequestedRegion': OWN.region } })], OWN).yes).toBe(false);
    expect(deniesWithoutMfa([mfaDeny({ ...canonical, NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } })], OWN).yes).toBe(false);
    expect(deniesWithoutMfa([mfaDeny(canonical, { Action: '*', Resource: 'arn:aws:s3:::*' })], OWN).yes).toBe(false);
    expect(deniesWithoutMfa([mfaDenyCandidates(mfaDeny(canonical, { NotAction: [...MFA_SELF_SERVICE, 'secretsmanager:*'], Resource: '*' }))], OWN).yes).toBe(false);
  });
  test('held to the oracle: the access-key request the Bool form lets through is not denied there either', async () => {
    const request = { principal: { arn: 'arn:aws:iam::111122223333:user/member', account: '111122223333' }, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'true', ...NO_MFA_SESSIONS[0].context } };
    const allowAll = { name: 'allow', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
    const bool = await oracleDecide(request, { identity: [allowAll, { name: 'mfa', document: mfaDeny({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }) }] });
    const ifExists = await oracleDecide(request, { identity: [allowAll, { name: 'mfa', document: mfaDeny(canonical) }] });
    expect([bool.decision, ifExists.decision]).toEqual(['Allowed', 'ExplicitlyDenied']);
  });
});

describe('trustAdmitsWithoutMfa', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/Operator';
  const caller = { arn: 'arn:aws:iam::111122223333:user/someone', account: '111122223333', type: 'User' as const };
  const trust = (Condition?: Record<string, unknown>) => doc({ Sid: 'People', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
  test('MFA present and recent: nothing', () => {
    expect(trustAdmitsWithoutMfa(trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }), ROLE, caller, OWN, 43200)).toEqual([]);
  });
  test('no condition, no age bound, an age bound too wide', () => {
    expect((trustAdmitsWithoutMfa(trust(), ROLE, caller, OWN, 43200) as { problem: string }[]).map((f) => f.problem)).toEqual(['no-mfa', 'no-mfa', 'no-age-bound']);
    expect((trustAdmitsWithoutMfa(trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), ROLE, caller, OWN, 43200) as { problem: string }[]).map((f) => f.problem)).toEqual(['no-age-bound']);
    expect((trustAdmitsWithoutMfa(trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600', '86400'] } }), ROLE, caller, OWN, 43200) as { problem: string }[]).map((f) => f.problem)).toEqual(['old-mfa']);
  });
  test('an unresolved bound is unknown', () => {
    expect(trustAdmitsWithoutMfa(trust({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': unknown('a parameter') } }), ROLE, caller, OWN, 43200)).toHaveProperty('unknown');
  });
});

describe('keyAllows: the account root delegates to every principal of the account', () => {
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
  const policy = parseKeyPolicy(doc(
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:PutKeyPolicy', Resource: '*' },
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Decrypt', Resource: '*' },
  ));
  if (typeof policy === 'string') throw new Error(policy);
  const app = { name: 'App', principal: { arn: 'arn:aws:iam::111122223333:role/App', account: '111122223333', type: 'AssumedRole' as const } };
  test('a principal named in the key policy needs no IAM allow', () => {
    expect(keyAllows(policy, KEY, { ...app, identity: [] }, 'kms:Decrypt', OWN)).toMatchObject({ allowed: true, keyStatements: ['Use'] });
  });
  test('through the root, only when its IAM policy allows', () => {
    expect(keyAllows(policy, KEY, { ...app, identity: [] }, 'kms:PutKeyPolicy', OWN).allowed).toBe(false);
    expect(keyAllows(policy, KEY, { ...app, identity: [doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })] }, 'kms:PutKeyPolicy', OWN)).toMatchObject({ allowed: true, keyStatements: ['Admin'] });
    expect(keyAllows(policy, KEY, app, 'kms:PutKeyPolicy', OWN).allowed).toBe(true); // unknown policies: the worst case
  });
  test('a foreign account is not delegated to by this root', () => {
    expect(keyAllows(policy, KEY, { name: 'x', principal: { arn: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/Admin`, account: FOREIGN_ACCOUNT, type: 'AssumedRole' } }, 'kms:PutKeyPolicy', OWN).allowed).toBe(false);
  });
});

describe('unnamedSamples and principalPatterns: who a pattern admits without naming', () => {
  test('an exact ARN names its principal; a wildcard name or account does not', () => {
    expect(unnamedSamples('arn:aws:iam::111122223333:role/KeyAdmin', OWN)).toEqual([]);
    expect(unnamedSamples('arn:aws:iam::111122223333:role/KeyAdmin*', OWN).map((p) => p.principal.arn)).toEqual(['arn:aws:iam::111122223333:role/KeyAdminany']);
    expect(unnamedSamples('arn:aws:iam::*:role/KeyAdmin', OWN).map((p) => p.principal.arn)).toEqual([`arn:aws:iam::${FOREIGN_ACCOUNT}:role/KeyAdmin`]);
    expect(unnamedSamples('arn:*:iam::*:user/ops-*', OWN).map((p) => [p.principal.arn, p.principal.type])).toEqual([
      ['arn:aws:iam::111122223333:user/ops-any', 'User'], [`arn:aws:iam::${FOREIGN_ACCOUNT}:user/ops-any`, 'User'],
    ]);
    expect(unnamedSamples('arn:aws:iam::111122223333:*', OWN).map((p) => p.principal.arn)).toEqual(['arn:aws:iam::111122223333:role/breachlessons-any']);
  });
  test('an Identity Center permission-set role pattern names its role (random suffix, path reserved to AWS)', () => {
    expect(unnamedSamples('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_KeyAdmins_*', OWN)).toEqual([]);
    expect(unnamedSamples('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*', OWN)).toHaveLength(1);
  });
  test('patterns come from Principal, NotPrincipal and aws:PrincipalArn under any operator', () => {
    expect(principalPatterns(doc(
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:role/a', '2'] }, Action: '*', Resource: '*', Condition: { ArnLike: { 'AWS:PrincipalArn': 'arn:aws:iam::1:role/b*' } } },
      { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::1:role/c' }, Action: '*', Resource: '*', Condition: { StringNotLikeIfExists: { 'aws:PrincipalArn': ['arn:aws:iam::1:role/d'] } } },
    )).sort()).toEqual(['2', 'arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b*', 'arn:aws:iam::1:role/c', 'arn:aws:iam::1:role/d']);
  });
});

describe('keyPolicyChangers: who the key policy does not name may still rewrite it', () => {
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
  const ROOT = 'arn:aws:iam::111122223333:root';
  test('named principals only: no', () => {
    expect(keyPolicyChangers(doc(
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Put*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Pipeline' } } },
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
    ), KEY, OWN)).toEqual({ yes: false, why: [] });
  });
  test('the account root, another account, and every way of spelling PutKeyPolicy: yes, once per account', () => {
    for (const Action of ['kms:*', 'kms:Put*', 'kms:putkeypolicy', '*']) {
      const a = keyPolicyChangers(doc({ Sid: 'Root', Effect: 'Allow', Principal: { AWS: [ROOT, '999988887777'] }, Action, Resource: '*' }), KEY, OWN);
      expect([Action, a.why]).toEqual([Action, [
        'any principal of account 111122223333 whose IAM policies allow it may change the key policy with an access key (Root)',
        'any principal of account 999988887777 whose IAM policies allow it may change the key policy with an access key (Root)',
      ]]);
    }
  });
  test('an unresolved principal: unknown, never no', () => {
    expect(keyPolicyChangers(doc({ Effect: 'Allow', Principal: { AWS: unknown('Ref Admin') }, Action: 'kms:PutKeyPolicy', Resource: '*' }), KEY, OWN).yes).toBe('unknown');
  });
  test('held to the oracle: a grant to the root lets an unnamed role with kms:* rewrite the policy; an exact aws:PrincipalArn does not', async () => {
    const request = { principal: { arn: 'arn:aws:iam::111122223333:role/breachlessons-unnamed-principal', account: '111122223333', type: 'AssumedRole' as const }, action: 'kms:PutKeyPolicy', resource: KEY, resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'true', ...PRINCIPAL_SESSIONS[0].context } };
    const identity = [{ name: 'admin', document: doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) }];
    const root = await oracleDecide(request, { identity, resourcePolicy: { name: 'key', document: doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }) } });
    const named = await oracleDecide(request, { identity, resourcePolicy: { name: 'key', document: doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/KeyAdmin' } } }) } });
    expect([root.decision, named.decision]).toEqual(['Allowed', 'ImplicitlyDenied']);
  });
});

describe('boundaryDenies: a boundary caps what the principals it bounds may do', () => {
  const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/security-trail';
  const stop = [{ action: 'cloudtrail:StopLogging', resource: TRAIL }];
  const ops = { name: 'Ops', principal: { arn: 'arn:aws:iam::111122223333:role/Ops', account: '111122223333', type: 'AssumedRole' as const } };
  const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
  test('an explicit deny, or nothing that allows it: yes', () => {
    expect(boundaryDenies(doc(allowAll, { Sid: 'Trail', Effect: 'Deny', Action: 'cloudtrail:Stop*', Resource: '*' }), stop, [ops], OWN)).toEqual({ yes: true, why: ['Trail'] });
    expect(boundaryDenies(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), stop, [ops], OWN)).toEqual({ yes: true, why: ['nothing it allows'] });
  });
  test('a deny on another resource, lifted by MFA, or exempting a wildcard of roles: no, naming who and how', () => {
    expect(boundaryDenies(doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: 'arn:aws:cloudtrail:*:*:trail/other-*' }), stop, [ops], OWN).why)
      .toEqual([`Ops with an access key may call cloudtrail:StopLogging on ${TRAIL} (statement 1; no statement denies it)`]);
    expect(boundaryDenies(doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }), stop, [ops], OWN).why[0])
      .toMatch(/^Ops in a session with MFA may call/);
    expect(boundaryDenies(doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-*' } } }), stop, [ops], OWN).why[0])
      .toMatch(/^a principal matching arn:aws:iam::111122223333:role\/break-\* \(arn:aws:iam::111122223333:role\/break-any\) with an access key may call/);
  });
  test('a condition on an unresolved value: unknown, never yes', () => {
    expect(boundaryDenies(doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': unknown('Ref Account') } } }), stop, [ops], OWN).yes).toBe('unknown');
  });
  test('held to the oracle: the boundary\'s deny on another name leaves the request to the identity policy', async () => {
    const request = { principal: ops.principal, action: 'cloudtrail:StopLogging', resource: TRAIL, resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'true' } };
    const identity = [{ name: 'admin', document: doc(allowAll) }];
    const other = await oracleDecide(request, { identity, permissionsBoundary: { name: 'b', document: doc(allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: 'arn:aws:cloudtrail:*:*:trail/other-*' }) } });
    const implicit = await oracleDecide(request, { identity, permissionsBoundary: { name: 'b', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) } });
    expect([other.decision, implicit.decision]).toEqual(['Allowed', 'ImplicitlyDenied']);
  });
});

describe('serviceMayUseKey: services call KMS with the keys they send', () => {
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
  const events = (Condition?: Record<string, unknown>) => doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', ...(Condition ? { Condition } : {}) });
  test('EventBridge sends no aws:SourceAccount: a condition on it shuts it out', () => {
    expect(serviceMayUseKey(events(), KEY, 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {}).yes).toBe(true);
    expect(serviceMayUseKey(events({ StringEquals: { 'aws:SourceAccount': OWN.account } }), KEY, 'events.amazonaws.com', ['kms:GenerateDataKey'], {}).yes).toBe(false);
  });
});

describe('helpers', () => {
  test('namedIdentities finds accounts and organizations anywhere in a document', () => {
    expect(namedIdentities(doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } })))
      .toEqual({ accounts: ['999988887777'], orgs: ['o-abcdefghij'] });
  });
  test('sampleOf gives a value the pattern matches; showOwn names the placeholder', () => {
    expect(sampleOf('s3:Get*')).toBe('s3:Getany');
    expect(sampleOf('arn:aws:s3:::b/?')).toBe('arn:aws:s3:::b/x');
    expect(showOwn(`arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:root`)).toBe('arn:aws:iam::${AWS::AccountId}:root');
  });
});
