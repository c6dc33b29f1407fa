import { evaluate, parsePolicy, PolicyError, PolicyRequest, PolicySet, resolveVariables, buildContext, unknown, wildcardMatch } from '../../lib/policy';
import { A, ALICE, allow, B, BOB, deny, doc, KEY, QUEUE, ROLE, SESSION } from './fixtures';


const id = (...statements: object[]) => [{ name: 'identity', document: doc(...statements) }];
const req = (principal: string, action: string, resource: string, context: PolicyRequest['context'] = {}, resourceAccount?: string): PolicyRequest =>
  ({ principal: { arn: principal }, action, resource, context, resourceAccount });
const decide = (r: PolicyRequest, p: PolicySet) => evaluate(r, p).decision;

describe('actions', () => {
  test('case-insensitive globs with * and ?; NotAction', () => {
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('SQS:send*')) })).toBe('Allow');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:?endMessage')) })).toBe('Allow');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:Receive*')) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) })).toBe('Allow');
    expect(decide(req(ALICE, 'iam:CreateUser', '*'), { identity: id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) })).toBe('ImplicitDeny');
  });
  test('wildcardMatch', () => {
    expect(wildcardMatch('a*c?', 'abbbcd', false)).toBe(true);
    expect(wildcardMatch('A*', 'abc', false)).toBe(false);
    expect(wildcardMatch('A*', 'abc', true)).toBe(true);
    expect(wildcardMatch('a.c', 'abc', false)).toBe(false);
  });
});

describe('resources', () => {
  test('ARN wildcards stay inside a field for region/account; case-sensitive', () => {
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE, {}, A), { identity: id(allow('sqs:*', `arn:aws:sqs:*:${A}:*`)) })).toBe('Allow');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE, {}, A), { identity: id(allow('sqs:*', `arn:aws:sqs:*:${B}:*`)) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE, {}, A), { identity: id(allow('sqs:*', `arn:aws:sqs:us-east-1:${A}:QUEUE1`)) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/x/y.csv', {}, A), { identity: id(allow('s3:*', 'arn:aws:s3:::b/*')) })).toBe('Allow');
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b', {}, A), { identity: id(allow('s3:*', 'arn:aws:s3:::b/*')) })).toBe('ImplicitDeny');
  });
  test('a TLS deny on the bucket ARN alone does not cover its objects', () => {
    const tlsDeny = deny('s3:*', 'arn:aws:s3:::b', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const p = { identity: id(allow('s3:*')), resourcePolicy: { name: 'bucket', document: doc({ ...tlsDeny, Principal: '*' }) } };
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k', { 'aws:SecureTransport': 'false' }, A), p)).toBe('Allow');
    expect(decide(req(ALICE, 's3:ListBucket', 'arn:aws:s3:::b', { 'aws:SecureTransport': 'false' }, A), p)).toBe('ExplicitDeny');
  });
  test('NotResource', () => {
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k', {}, A), { identity: id(allow('*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::b/*' }) })).toBe('Allow');
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::c/k', {}, A), { identity: id(allow('*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::b/*' }) })).toBe('ExplicitDeny');
  });
  test('policy variables: ${aws:username}, ${*}, defaults; unresolvable -> the statement does not match', () => {
    const home = allow('s3:GetObject', 'arn:aws:s3:::b/home/${aws:username}/*');
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/home/alice/x', {}, A), { identity: id(home) })).toBe('Allow');
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/home/bob/x', {}, A), { identity: id(home) })).toBe('ImplicitDeny');
    // a role session has no aws:username: the statement does not match
    expect(decide(req(SESSION, 's3:GetObject', 'arn:aws:s3:::b/home/alice/x', {}, A), { identity: id(allow('*'), deny('s3:*', 'arn:aws:s3:::b/home/${aws:username}/*')) })).toBe('Allow');
    expect(decide(req(SESSION, 's3:GetObject', 'arn:aws:s3:::b/x', {}, A), { identity: id(allow('*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::b/${aws:username}/*' }) })).toBe('Allow');
    const ctx = buildContext(req(ALICE, 's3:GetObject', '*', { 'aws:PrincipalTag/team': 'red' }));
    expect(resolveVariables('x/${aws:PrincipalTag/team}/${*}${?}${$}', ctx)).toBe('x/red/*?$');
    expect(resolveVariables("${aws:PrincipalTag/none, 'dflt'}", ctx)).toBe('dflt');
    expect(resolveVariables('${aws:PrincipalTag/none}', ctx)).toBeUndefined();
    expect(resolveVariables('${aws:PrincipalAccount}', ctx)).toBe(A);
    // a substituted ${*} is a literal star, not a wildcard
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/zzz', {}, A), { identity: id(allow('s3:*', 'arn:aws:s3:::b/${*}')) })).toBe('ImplicitDeny');
  });
  test('variables are literal text in a document without Version 2012-10-17', () => {
    const old = { Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/${aws:username}')] };
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/alice', {}, A), { identity: [{ name: 'old', document: old }] })).toBe('ImplicitDeny');
  });
});

describe('principals in resource policies', () => {
  const queuePolicy = (Principal: unknown, extra: object = {}) => ({ name: 'queue', document: doc({ ...allow('sqs:SendMessage', QUEUE), Principal, ...extra }) });
  test('"*" and {"AWS": "*"} reach every principal; same account needs nothing more', () => {
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy('*') })).toBe('Allow');
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:*')), resourcePolicy: queuePolicy({ AWS: '*' }) })).toBe('Allow');
  });
  test('the account root (or bare id) delegates to IAM: the identity policy must allow', () => {
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:*')), resourcePolicy: queuePolicy({ AWS: A }) })).toBe('Allow');
    // and it reaches every principal of that account, the administrators included
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), resourcePolicy: queuePolicy({ AWS: `arn:aws:iam::${B}:root` }) })).toBe('Allow');
  });
  test('a role ARN reaches its sessions (path ignored); a session ARN only that session', () => {
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy({ AWS: `arn:aws:iam::${A}:role/team/app-role` }) })).toBe('Allow');
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy({ AWS: `arn:aws:sts::${A}:assumed-role/app-role/other` }) })).toBe('ImplicitDeny');
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy({ AWS: SESSION }) })).toBe('Allow');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: queuePolicy({ AWS: ROLE }) })).toBe('ImplicitDeny');
  });
  test('Service, Federated and CanonicalUser principals match by name', () => {
    const svc = { principal: { arn: 'events.amazonaws.com' }, action: 'sqs:SendMessage', resource: QUEUE };
    expect(decide(svc, { resourcePolicy: queuePolicy({ Service: 'events.amazonaws.com' }) })).toBe('Allow');
    expect(decide(svc, { resourcePolicy: queuePolicy({ Service: 'sns.amazonaws.com' }) })).toBe('ImplicitDeny');
    expect(decide(svc, { resourcePolicy: queuePolicy({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitDeny');
    const fed = { principal: { arn: 'cognito-identity.amazonaws.com', type: 'FederatedUser' as const, account: A }, action: 'sts:AssumeRoleWithWebIdentity', resource: ROLE };
    expect(decide(fed, { resourcePolicy: { name: 'trust', document: doc({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'cognito-identity.amazonaws.com' } }) } })).toBe('Allow');
    const cu = { principal: { arn: '79a59df900b949e55d96a1e698fbace', type: 'User' as const, account: B }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A };
    expect(decide(cu, { identity: id(allow('s3:*')), resourcePolicy: { name: 'bucket', document: doc({ ...allow('s3:GetObject', 'arn:aws:s3:::b/*'), Principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbace' } }) } })).toBe('Allow');
  });
  test('NotPrincipal with Deny: everyone except the listed principals; a permissions boundary makes it deny always', () => {
    const policy = { name: 'queue', document: doc({ ...allow('sqs:*', QUEUE), Principal: '*' }, { ...deny('sqs:*', QUEUE), NotPrincipal: { AWS: [ALICE] } }) };
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: policy })).toBe('Allow');
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { resourcePolicy: policy })).toBe('ExplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: policy, permissionsBoundary: { name: 'pb', document: doc(allow('*')) } })).toBe('ExplicitDeny');
    expect(() => parsePolicy(doc({ ...allow('*'), NotPrincipal: { AWS: ALICE } }), 'bad')).toThrow(/notprincipal is only valid with effect "deny"/i);
  });
});

describe('the evaluation sequence', () => {
  test('an explicit deny in any policy wins, and the evidence names it', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('*'), { ...deny('sqs:*'), Sid: 'NoSqs' }) });
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.decidedBy).toEqual([{ policyType: 'identity', policy: 'identity', index: 1, sid: 'NoSqs', effect: 'Deny' }]);
    expect(r.reason).toBe("explicit deny by identity 'identity' statement 1 (NoSqs)");
  });
  test('SCPs: every level, root first, must allow; a deny at any level wins', () => {
    const full = { name: 'FullAWSAccess', document: doc(allow('*')) };
    const p = (level: object) => ({ identity: id(allow('*')), scps: [[full], [{ name: 'ou', document: doc(level) }]] });
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), p(allow('sqs:*')))).toBe('Allow');
    expect(evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), p(allow('s3:*'))).reason).toBe('implicit deny: no scp allows it at every level');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), scps: [[full, { name: 'd', document: doc(deny('sqs:*')) }]] })).toBe('ExplicitDeny');
    const ok = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), p(allow('sqs:*')));
    expect(ok.decidedBy.map((r) => `${r.policyType}:${r.policy}`)).toEqual(['scp:FullAWSAccess', 'scp:ou', 'identity:identity']);
  });
  test('RCPs of the resource account must allow', () => {
    const rcps = [[{ name: 'RCPFullAWSAccess', document: doc({ ...allow('*'), Principal: '*' }) }, { name: 'perimeter', document: doc({ ...deny('sqs:*'), Principal: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': A } } }) }]];
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: '*' }) }, rcps })).toBe('ExplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), rcps })).toBe('Allow');
  });
  test('a permissions boundary caps identity allows, not a resource grant naming the user', () => {
    const pb = { name: 'pb', document: doc(allow('s3:*')) };
    expect(evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), permissionsBoundary: pb }).reason).toBe('implicit deny: the permissions boundary does not allow it');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), { permissionsBoundary: pb, resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: { AWS: ALICE } }) } })).toBe('Allow');
    // naming the role (not the session) is capped by the boundary
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { permissionsBoundary: pb, resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: { AWS: ROLE } }) } })).toBe('ImplicitDeny');
  });
  test('session policies cap identity allows and grants to the role or "*", not grants naming the session', () => {
    const session = [{ name: 'session', document: doc(allow('s3:*')) }];
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { identity: id(allow('*')), sessionPolicies: session })).toBe('ImplicitDeny');
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { sessionPolicies: session, resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: '*' }) } })).toBe('ImplicitDeny');
    expect(decide(req(SESSION, 'sqs:SendMessage', QUEUE), { sessionPolicies: session, resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: { AWS: SESSION } }) } })).toBe('Allow');
  });
  test('cross-account: the resource policy and the identity side must both allow', () => {
    const queue = { name: 'q', document: doc({ ...allow('sqs:*'), Principal: { AWS: BOB } }) };
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { resourcePolicy: queue })).toBe('ImplicitDeny');
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:*')) })).toBe('ImplicitDeny');
    expect(decide(req(BOB, 'sqs:SendMessage', QUEUE), { identity: id(allow('sqs:*')), resourcePolicy: queue })).toBe('Allow');
  });
  test('same account: an unknown resource account (S3 ARNs carry none) is Undecidable when it matters', () => {
    const r = evaluate(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k'), { identity: id(allow('s3:*')) });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/resource account is not known/);
    expect(decide(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k'), { identity: id(allow('sqs:*')) })).toBe('ImplicitDeny');
  });
});

describe('KMS key policies', () => {
  const keyPolicy = (Principal: unknown, extra: object = {}) => ({ name: 'key', document: doc({ ...allow('kms:*'), Principal, ...extra }) });
  test('IAM alone never grants a key: no key policy is Undecidable, a key policy without the caller denies', () => {
    const r = evaluate(req(ALICE, 'kms:Decrypt', KEY), { identity: id(allow('kms:*')) });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/no key policy given/);
    expect(decide(req(ALICE, 'kms:Decrypt', KEY), { identity: id(allow('kms:*')), resourcePolicy: keyPolicy({ AWS: `arn:aws:iam::${A}:role/admin` }) })).toBe('ImplicitDeny');
  });
  test('the account root delegates to IAM: the identity policy must then allow', () => {
    expect(decide(req(ALICE, 'kms:Decrypt', KEY), { resourcePolicy: keyPolicy({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 'kms:Decrypt', KEY), { identity: id(allow('kms:Decrypt')), resourcePolicy: keyPolicy({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('Allow');
  });
  test('a key policy naming the user admits it without an identity policy', () => {
    expect(decide(req(ALICE, 'kms:Decrypt', KEY), { resourcePolicy: keyPolicy({ AWS: ALICE }) })).toBe('Allow');
  });
  test('EventBridge calls KMS without aws:SourceAccount: a key-policy condition on it drops the call', () => {
    const events = { principal: { arn: 'events.amazonaws.com' }, action: 'kms:GenerateDataKey', resource: KEY };
    const conditioned = keyPolicy({ Service: 'events.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': A } } });
    expect(decide(events, { resourcePolicy: conditioned })).toBe('ImplicitDeny');
    expect(decide(events, { resourcePolicy: keyPolicy({ Service: 'events.amazonaws.com' }) })).toBe('Allow');
  });
  test('service principals are decided by the resource policy alone: SCPs do not apply', () => {
    const events = { principal: { arn: 'events.amazonaws.com' }, action: 'kms:GenerateDataKey', resource: KEY };
    const scps = [[{ name: 'deny-all', document: doc(deny('*')) }]];
    expect(decide(events, { resourcePolicy: keyPolicy({ Service: 'events.amazonaws.com' }), scps })).toBe('Allow');
  });
});

describe('role trust policies', () => {
  const trust = (Principal: unknown) => ({ name: 'trust', document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal }) });
  const admin = `arn:aws:iam::${A}:role/admin`;
  test('same account: naming the user suffices; naming the account needs the identity policy', () => {
    expect(decide(req(ALICE, 'sts:AssumeRole', admin), { resourcePolicy: trust({ AWS: ALICE }) })).toBe('Allow');
    expect(decide(req(ALICE, 'sts:AssumeRole', admin), { resourcePolicy: trust({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('ImplicitDeny');
    expect(decide(req(ALICE, 'sts:AssumeRole', admin), { identity: id(allow('sts:AssumeRole', admin)), resourcePolicy: trust({ AWS: `arn:aws:iam::${A}:root` }) })).toBe('Allow');
  });
  test('the identity policy alone never assumes a role: the trust policy must allow', () => {
    expect(decide(req(ALICE, 'sts:AssumeRole', admin), { identity: id(allow('*')), resourcePolicy: trust({ Service: 'ec2.amazonaws.com' }) })).toBe('ImplicitDeny');
    expect(evaluate(req(ALICE, 'sts:AssumeRole', admin), { identity: id(allow('*')) }).decision).toBe('Undecidable');
  });
  test('cross account: the trust policy and the identity policy must both allow', () => {
    expect(decide(req(BOB, 'sts:AssumeRole', admin), { resourcePolicy: trust({ AWS: BOB }) })).toBe('ImplicitDeny');
    expect(decide(req(BOB, 'sts:AssumeRole', admin), { identity: id(allow('sts:AssumeRole')), resourcePolicy: trust({ AWS: `arn:aws:iam::${B}:root` }) })).toBe('Allow');
  });
});

describe('the request context AWS sets', () => {
  test('derived keys: aws:PrincipalArn of a session is its role; aws:username only for users; no MFA key invented', () => {
    const s = buildContext(req(SESSION, 's3:GetObject', '*'));
    expect(s.keys.get('aws:principalarn')?.values).toEqual([ROLE]);
    expect(s.keys.get('aws:principaltype')?.values).toEqual(['AssumedRole']);
    expect(s.keys.has('aws:username')).toBe(false);
    expect(s.keys.has('aws:multifactorauthpresent')).toBe(false);
    const u = buildContext({ principal: { arn: ALICE, orgId: 'o-abc' }, action: 's3:GetObject', resource: '*' });
    expect(u.keys.get('aws:username')?.values).toEqual(['alice']);
    expect(u.keys.get('aws:principalorgid')?.values).toEqual(['o-abc']);
    expect(u.keys.get('aws:principalaccount')?.values).toEqual([A]);
  });
  test('deny-unless-MFA: an access-key request (key absent) is denied by BoolIfExists, allowed by Bool', () => {
    const p = (op: string) => ({ identity: id(allow('*'), deny('*', '*', { Condition: { [op]: { 'aws:MultiFactorAuthPresent': 'false' } } })) });
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), p('BoolIfExists'))).toBe('ExplicitDeny');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE), p('Bool'))).toBe('Allow');
    expect(decide(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:MultiFactorAuthPresent': 'true' }), p('BoolIfExists'))).toBe('Allow');
  });
  test('a policy "limited" to another account or organization does not reach the own principals', () => {
    const p = { identity: id(allow('*')), resourcePolicy: { name: 'q', document: doc({ ...deny('sqs:*'), Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-other' } } }) } };
    expect(decide({ principal: { arn: ALICE, orgId: 'o-mine' }, action: 'sqs:SendMessage', resource: QUEUE }, p)).toBe('ExplicitDeny');
    expect(decide({ principal: { arn: ALICE, orgId: 'o-other' }, action: 'sqs:SendMessage', resource: QUEUE }, p)).toBe('Allow');
  });
});

describe('Unknown values: the third outcome', () => {
  test('an unknown resource matched by a specific pattern is Undecidable; by "*" it is decided', () => {
    const r = evaluate({ principal: { arn: ALICE }, action: 'sqs:SendMessage', resource: unknown('Fn::GetAtt Queue.Arn'), resourceAccount: A }, { identity: id(allow('sqs:*', QUEUE)) });
    expect(r.decision).toBe('Undecidable');
    expect(r.unknowns.join()).toMatch(/Fn::GetAtt Queue.Arn/);
    expect(decide({ principal: { arn: ALICE }, action: 'sqs:SendMessage', resource: unknown('x'), resourceAccount: A }, { identity: id(allow('sqs:*')) })).toBe('Allow');
  });
  test('an allow with a deny that may apply is Undecidable; no allow at all stays denied, with the unknown reported', () => {
    const maybeDeny = deny('*', '*', { Condition: { StringEquals: { 'aws:SourceVpce': unknown('Ref Vpce') } } });
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:SourceVpce': 'vpce-1' }), { identity: id(allow('*'), maybeDeny) });
    expect(r.decision).toBe('Undecidable');
    const d = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:SourceVpce': 'vpce-1' }), { identity: id(allow('s3:*'), maybeDeny) });
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.unknowns.join()).toMatch(/Ref Vpce/);
  });
  test('an unknown principal in a resource policy is Undecidable', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: { name: 'q', document: doc({ ...allow('sqs:*'), Principal: { AWS: unknown('Fn::GetAtt Role.Arn') } }) } });
    expect(r.decision).toBe('Undecidable');
  });
  test('an unknown principal ARN needs its type', () => {
    const r = evaluate({ principal: { arn: unknown('Ref Principal') }, action: 'sqs:SendMessage', resource: QUEUE }, { identity: id(allow('*')) });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/principal type is required/);
  });
});

describe('parsing', () => {
  test('malformed documents fail with a lowercase message naming the document and the bad value', () => {
    expect(() => parsePolicy({ Version: '2012-10-17' }, 'p')).toThrow("policy 'p' has no Statement");
    expect(() => parsePolicy(doc({ Effect: 'allow', Action: '*', Resource: '*' }), 'p')).toThrow(/effect must be "Allow" or "Deny", got "allow"/i);
    expect(() => parsePolicy(doc({ Effect: 'Allow', Resource: '*' }), 'p')).toThrow(/exactly one of Action and NotAction/);
    expect(() => parsePolicy(doc({ Effect: 'Allow', Action: 'getobject', Resource: '*' }), 'p')).toThrow(/"getobject" is not service:action/);
    expect(() => parsePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*', Principal: { Aws: '*' } }), 'p')).toThrow(/unknown Principal type "Aws"/);
    expect(() => parsePolicy({ Version: '2012-10-18', Statement: [] }, 'p')).toThrow(/unknown Version "2012-10-18"/);
    expect(() => parsePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condtion: {} }), 'p')).toThrow(/unknown element "Condtion"/);
    expect(new PolicyError('x')).toBeInstanceOf(Error);
  });
  test('a document is parsed once and cached by object', () => {
    const d = doc(allow(['S3:GetObject', 's3:List*']));
    expect(parsePolicy(d, 'n')).toBe(parsePolicy(d, 'n'));
    const [literal, pattern] = parsePolicy(d, 'n').statements[0].action!;
    expect(literal.literal).toBe('s3:getobject');
    expect(pattern.regex!.test('s3:listbucket')).toBe(true);
  });
});
