/**
 * lib/policy/evaluate: what decides, step by step, and the explanation a report shows (decision, the
 * statements that decided, the reason line, every step with its outcome, the unknowns). Expected values
 * follow AWS's documented evaluation logic; each case also pins the evidence a user reads.
 */
import { buildContext, evaluate, inferResourcePolicyKind, PolicyRequest, PolicySet, PolicyType, StatementRef, unknown } from '../../lib/policy';
import { A, ALICE, allow, BOB, deny, doc, KEY, QUEUE, ROLE, SESSION } from './fixtures';

const ADMIN = `arn:aws:iam::${A}:role/admin`;

const named = (name: string, ...statements: object[]) => ({ name, document: doc(...statements) });
const req = (principal: string, action: string, resource: string, context: PolicyRequest['context'] = {}, resourceAccount?: string): PolicyRequest =>
  ({ principal: { arn: principal }, action, resource, context, resourceAccount });
const ref = (policyType: PolicyType, policy: string, index: number, effect: 'Allow' | 'Deny' = 'Allow', sid?: string): StatementRef =>
  ({ policyType, policy, index, sid, effect });
/** the steps nothing took part in, as an evaluation without SCPs, RCPs or a resource policy shows them */
const NA = (step: 'rcp' | 'scp' | 'resource' | 'cross-account') => ({ step, outcome: 'n/a', statements: [] });
const maybe = (reason: string) => ({ Condition: { StringEquals: { 'aws:SourceVpce': unknown(reason) } } });

describe('what decides: explicit deny, boundaries, unknowns', () => {
  test('a Deny in a resource policy is never read as an allow, even when its condition cannot be decided', () => {
    const queue = named('q', deny('sqs:*', QUEUE, { Principal: { AWS: ALICE }, ...maybe('Ref Vpce') }));
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:SourceVpce': 'vpce-1' }), { resourcePolicy: queue });
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.reason).toBe('implicit deny: no policy allows it');
    expect(r.unknowns).toEqual([expect.stringMatching(/^resource 'q' statement 0 may deny: .*Ref Vpce/)]);
  });
  test('a resource-policy Allow for another action does not apply, whatever its (unknown) principal', () => {
    const queue = named('q', allow('sqs:ReceiveMessage', QUEUE, { Principal: { AWS: unknown('Fn::GetAtt Role.Arn') } }));
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { resourcePolicy: queue });
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.unknowns).toEqual([]);
  });
  test('a kind given by the caller wins: a key whose ARN is a token still needs its key policy', () => {
    const r = evaluate({ principal: { arn: ALICE }, action: 'kms:Decrypt', resource: unknown('Fn::GetAtt Key.Arn'), resourceAccount: A },
      { identity: [named('id', allow('kms:*'))], resourcePolicyKind: 'kms-key' });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/^no key policy given for kms:Decrypt/);
  });
  test('an anonymous caller is decided by the resource policy alone, like a service: a public object is readable', () => {
    const bucket = named('bucket', allow('s3:GetObject', 'arn:aws:s3:::b/*', { Principal: '*' }));
    const r = evaluate({ principal: { arn: '*' }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A }, { resourcePolicy: bucket });
    expect(r.decision).toBe('Allow');
    expect(r.decidedBy).toEqual([ref('resource', 'bucket', 0)]);
    expect(r.steps.find((s) => s.step === 'cross-account')).toEqual(NA('cross-account'));
  });
  test('an action on "*" (no resource) is same-account: the identity policy alone allows it', () => {
    const r = evaluate(req(ALICE, 'iam:ListUsers', '*'), { identity: [named('id', allow('iam:List*'))] });
    expect(r.decision).toBe('Allow');
    expect(r.steps.find((s) => s.step === 'cross-account')?.outcome).toBe('n/a');
  });
  test('an unknown resource account or principal account is Undecidable, never cross-account', () => {
    const ra = evaluate({ principal: { arn: ALICE }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: unknown('Ref BucketOwner') },
      { identity: [named('id', allow('s3:*'))] });
    expect(ra.decision).toBe('Undecidable');
    expect(ra.unknowns).toEqual(['Ref BucketOwner']);
    const pa = evaluate({ principal: { arn: ALICE, account: unknown('Ref AWS::AccountId') }, action: 'sqs:SendMessage', resource: QUEUE },
      { identity: [named('id', allow('sqs:*'))] });
    expect(pa.decision).toBe('Undecidable');
    expect(pa.unknowns).toEqual(['Ref AWS::AccountId']);
  });
  test('cross-account Allow: the evidence names the resource statement and the identity statement, both required', () => {
    const r = evaluate(req(BOB, 'sqs:SendMessage', QUEUE), {
      identity: [named('bob-policy', allow('sqs:*'))], resourcePolicy: named('q', allow('sqs:SendMessage', QUEUE, { Principal: { AWS: BOB } })),
    });
    expect(r.decision).toBe('Allow');
    expect(r.decidedBy).toEqual([ref('resource', 'q', 0), ref('identity', 'bob-policy', 0)]);
    expect(r.reason).toBe("allowed by resource 'q' statement 0, identity 'bob-policy' statement 0");
    expect(r.steps.find((s) => s.step === 'cross-account')).toEqual({
      step: 'cross-account', outcome: 'allow', statements: [], note: 'cross-account: the resource policy and the identity side must both allow',
    });
  });
  test('a programming error of the caller (SCPs not grouped in levels) throws: it is not a policy that cannot be evaluated', () => {
    const flat = { identity: [named('id', allow('*'))], scps: [named('FullAWSAccess', allow('*'))] } as unknown as PolicySet;
    expect(() => evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), flat)).toThrow(TypeError);
  });
});

describe('which resource policy rules apply (inferResourcePolicyKind)', () => {
  const kind = (action: string, resource: string) => inferResourcePolicyKind(buildContext(req(ALICE, action, resource)), undefined);
  test('a kms action on a key ARN is judged by the key policy; other actions or resources are not', () => {
    expect(kind('kms:Decrypt', KEY)).toBe('kms-key');
    expect(kind('kms:CreateKey', '*')).toBe('resource');
    expect(kind('tag:TagResources', KEY)).toBe('resource');
    // an ARN that merely holds a key ARN inside (an S3 object named after it) is not a key
    expect(kind('kms:Decrypt', `arn:aws:s3:::exports/${KEY}`)).toBe('resource');
  });
  test('sts:AssumeRole* on a role ARN is judged by the trust policy; other actions on the role are not', () => {
    expect(kind('sts:AssumeRole', ADMIN)).toBe('role-trust');
    expect(kind('iam:GetRole', ADMIN)).toBe('resource');
    expect(kind('sts:AssumeRole', `arn:aws:s3:::exports/${ADMIN}`)).toBe('resource');
    expect(inferResourcePolicyKind(buildContext(req(ALICE, 'kms:Decrypt', KEY)), 'resource')).toBe('resource');
  });
  test('reading a role or creating a key needs no trust or key policy: the identity policy decides', () => {
    expect(evaluate(req(ALICE, 'iam:GetRole', ADMIN), { identity: [named('id', allow('iam:GetRole'))] }).decision).toBe('Allow');
    expect(evaluate(req(ALICE, 'kms:CreateKey', '*'), { identity: [named('id', allow('kms:CreateKey'))] }).decision).toBe('Allow');
  });
});

describe('the explanation: decision, evidence, reason, every step', () => {
  test('explicit deny: the deny statement (no Sid) decides, the evaluation stops there', () => {
    expect(evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('identity', allow('*'), deny('sqs:*'))] })).toEqual({
      decision: 'ExplicitDeny', allowed: false,
      decidedBy: [ref('identity', 'identity', 1, 'Deny')],
      reason: "explicit deny by identity 'identity' statement 1",
      steps: [{ step: 'explicit-deny', outcome: 'deny', statements: [ref('identity', 'identity', 1, 'Deny')] }],
      unknowns: [],
    });
  });
  test('an explicit deny in an RCP names the rcp', () => {
    const rcps = [[named('RCPFullAWSAccess', { ...allow('*'), Principal: '*' }), named('perimeter', { ...deny('sqs:*'), Principal: '*', Sid: 'Perimeter' })]];
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('id', allow('*'))], rcps });
    expect(r.reason).toBe("explicit deny by rcp 'perimeter' statement 0 (Perimeter)");
  });
  test('allow through every layer: each step allows and names its statement; the evidence is what was required', () => {
    const r = evaluate(req(SESSION, 'sqs:SendMessage', QUEUE), {
      scps: [[named('FullAWSAccess', allow('*'))]],
      rcps: [[named('RCPFullAWSAccess', { ...allow('*'), Principal: '*' })]],
      identity: [named('id', allow('sqs:*'))],
      permissionsBoundary: named('pb', allow('sqs:*')),
      sessionPolicies: [named('s', allow('sqs:SendMessage'))],
      resourcePolicy: named('q', allow('sqs:SendMessage', QUEUE, { Principal: { AWS: ROLE } })),
    });
    // the queue names the role: that grant is capped by the boundary and the session policy (not by the identity policy)
    const decidedBy = [ref('rcp', 'RCPFullAWSAccess', 0), ref('scp', 'FullAWSAccess', 0), ref('resource', 'q', 0), ref('permissions-boundary', 'pb', 0), ref('session', 's', 0)];
    expect(r).toEqual({
      decision: 'Allow', allowed: true, decidedBy,
      reason: "allowed by rcp 'RCPFullAWSAccess' statement 0, scp 'FullAWSAccess' statement 0, resource 'q' statement 0, permissions-boundary 'pb' statement 0, session 's' statement 0",
      steps: [
        { step: 'explicit-deny', outcome: 'n/a', statements: [] },
        { step: 'rcp', outcome: 'allow', statements: [ref('rcp', 'RCPFullAWSAccess', 0)] },
        { step: 'scp', outcome: 'allow', statements: [ref('scp', 'FullAWSAccess', 0)] },
        { step: 'identity', outcome: 'allow', statements: [ref('identity', 'id', 0)] },
        { step: 'permissions-boundary', outcome: 'allow', statements: [ref('permissions-boundary', 'pb', 0)] },
        { step: 'session', outcome: 'allow', statements: [ref('session', 's', 0)] },
        { step: 'resource', outcome: 'allow', statements: [ref('resource', 'q', 0)] },
        NA('cross-account'),
      ],
      unknowns: [],
    });
  });
  test('no allow anywhere: implicit deny, each step says what it found (nothing), no boundary or session step', () => {
    expect(evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('id', allow('s3:*'))] })).toEqual({
      decision: 'ImplicitDeny', allowed: false, decidedBy: [], reason: 'implicit deny: no policy allows it',
      steps: [{ step: 'explicit-deny', outcome: 'n/a', statements: [] }, NA('rcp'), NA('scp'), { step: 'identity', outcome: 'deny', statements: [] }, NA('resource'), NA('cross-account')],
      unknowns: [],
    });
  });
  test('no RCP allows it: the reason names the RCPs and the rcp step denies', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('id', allow('*'))], rcps: [[named('only-s3', { ...allow('s3:*'), Principal: '*' })]] });
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.reason).toBe('implicit deny: no rcp allows it at every level');
    expect(r.steps[1]).toEqual({ step: 'rcp', outcome: 'deny', statements: [] });
  });
  test('the boundary is blamed only when the identity policy allowed and the boundary did not', () => {
    const pb = named('pb', allow('s3:*'));
    const neither = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('id', allow('ec2:*'))], permissionsBoundary: pb });
    expect(neither.reason).toBe('implicit deny: no policy allows it');
    expect(neither.steps.find((s) => s.step === 'permissions-boundary')).toEqual({ step: 'permissions-boundary', outcome: 'deny', statements: [] });
    const boundaryOk = evaluate(req(SESSION, 'sqs:SendMessage', QUEUE), {
      identity: [named('id', allow('sqs:*'))], permissionsBoundary: named('pb', allow('sqs:*')), sessionPolicies: [named('s', allow('s3:*'))],
    });
    expect(boundaryOk.reason).toBe('implicit deny: the session policy does not allow it');
    expect(boundaryOk.steps.find((s) => s.step === 'session')).toEqual({ step: 'session', outcome: 'deny', statements: [] });
  });
  test('the session policy is blamed only when the identity policy allowed and the session policy did not', () => {
    const r = evaluate(req(SESSION, 'sqs:SendMessage', QUEUE), { identity: [named('id', allow('ec2:*'))], sessionPolicies: [named('s', allow('s3:*'))] });
    expect(r.reason).toBe('implicit deny: no policy allows it');
  });
  test('a key policy that does not admit the caller: the kms-key step denies and the reason says so', () => {
    const r = evaluate(req(ALICE, 'kms:Decrypt', KEY), { identity: [named('id', allow('kms:*'))], resourcePolicy: named('key', { ...allow('kms:*'), Principal: { AWS: ADMIN } }) });
    expect(r).toEqual({
      decision: 'ImplicitDeny', allowed: false, decidedBy: [],
      reason: 'implicit deny: the key policy does not admit the caller (directly or through the account)',
      steps: [{ step: 'explicit-deny', outcome: 'n/a', statements: [] }, NA('rcp'), NA('scp'), { step: 'identity', outcome: 'allow', statements: [ref('identity', 'id', 0)] },
        { step: 'kms-key', outcome: 'deny', statements: [] }, NA('cross-account')],
      unknowns: [],
    });
  });
  test('a trust policy that does not allow the caller: the role-trust step denies and the reason says so', () => {
    const trust = named('trust', { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } });
    const r = evaluate(req(ALICE, 'sts:AssumeRole', ADMIN), { identity: [named('id', allow('*'))], resourcePolicy: trust });
    expect(r.reason).toBe('implicit deny: the trust policy does not allow the caller');
    expect(r.steps.find((s) => s.step === 'role-trust')).toEqual({ step: 'role-trust', outcome: 'deny', statements: [] });
  });
  test('no key policy / no trust policy: Undecidable, the reason says which document is missing', () => {
    const k = evaluate(req(ALICE, 'kms:Decrypt', KEY), { identity: [named('id', allow('*'))] });
    expect(k).toMatchObject({ decision: 'Undecidable', allowed: false, decidedBy: [], unknowns: [k.reason] });
    expect(k.steps.find((s) => s.step === 'kms-key')).toEqual({ step: 'kms-key', outcome: 'n/a', statements: [] });
    const t = evaluate(req(ALICE, 'sts:AssumeRole', ADMIN), { identity: [named('id', allow('*'))] });
    expect(t.reason).toBe('no trust policy given for sts:AssumeRole: a role can be assumed only when its trust policy allows it');
    expect(t).toMatchObject({ decision: 'Undecidable', allowed: false, decidedBy: [], unknowns: [t.reason] });
  });
  test('a malformed document: Undecidable before any step, the parse error as the only unknown', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE), { identity: [named('broken', { Effect: 'allow', Action: '*', Resource: '*' })] });
    expect(r).toEqual({ decision: 'Undecidable', allowed: false, decidedBy: [], reason: r.reason, steps: [], unknowns: [r.reason] });
    expect(r.reason).toMatch(/^cannot evaluate: .*broken/);
  });
  test('cross-account without the resource side: the cross-account step denies, with its note, and the reason says why', () => {
    const r = evaluate(req(BOB, 'sqs:SendMessage', QUEUE), { identity: [named('bob-policy', allow('sqs:*'))] });
    expect(r.reason).toBe('implicit deny: cross-account: the resource policy and the identity side do not both allow it');
    expect(r.steps.find((s) => s.step === 'cross-account')).toEqual({
      step: 'cross-account', outcome: 'deny', statements: [], note: 'cross-account: the resource policy and the identity side must both allow',
    });
  });
  test('same or cross account unknown: the cross-account step is unknown, the unknown named once', () => {
    const allowed = evaluate(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k'), { identity: [named('id', allow('s3:*'))] });
    expect(allowed.unknowns).toEqual([expect.stringMatching(/resource account is not known/)]);
    expect(allowed.reason).toBe(`undecidable: ${allowed.unknowns[0]}`);
    expect(allowed.steps.find((s) => s.step === 'cross-account')).toEqual({ step: 'cross-account', outcome: 'unknown', statements: [] });
    // denied either way: decided, but whether the cross-account rule applied is still unknown
    const denied = evaluate(req(ALICE, 's3:GetObject', 'arn:aws:s3:::b/k'), { identity: [named('id', allow('sqs:*'))] });
    expect(denied.decision).toBe('ImplicitDeny');
    expect(denied.steps.find((s) => s.step === 'cross-account')).toEqual({ step: 'cross-account', outcome: 'unknown', statements: [] });
  });
  test('denies that may apply: the explicit-deny step is unknown and names them; the reason lists every unknown', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:SourceVpce': 'vpce-1' }),
      { identity: [named('id', allow('*'), deny('sqs:*', '*', maybe('Ref VpceA')), deny('*', '*', maybe('Ref VpceB')))] });
    expect(r).toMatchObject({ decision: 'Undecidable', allowed: false, decidedBy: [] });
    expect(r.unknowns).toEqual([expect.stringMatching(/^identity 'id' statement 1 may deny: .*Ref VpceA/), expect.stringMatching(/^identity 'id' statement 2 may deny: .*Ref VpceB/)]);
    expect(r.reason).toBe(`undecidable: ${r.unknowns[0]}; ${r.unknowns[1]}`);
    expect(r.steps[0]).toEqual({ step: 'explicit-deny', outcome: 'unknown', statements: [ref('identity', 'id', 1, 'Deny'), ref('identity', 'id', 2, 'Deny')] });
  });
  test('an identity allow that may apply: the identity step is unknown', () => {
    const r = evaluate(req(ALICE, 'sqs:SendMessage', QUEUE, { 'aws:SourceVpce': 'vpce-1' }), { identity: [named('id', allow('sqs:*', '*', maybe('Ref Vpce')))] });
    expect(r.decision).toBe('Undecidable');
    expect(r.steps.find((s) => s.step === 'identity')).toEqual({ step: 'identity', outcome: 'unknown', statements: [] });
  });
  test('a service principal: SCP and identity steps are n/a, and the scp step says SCPs do not apply to services', () => {
    const events = { principal: { arn: 'events.amazonaws.com' }, action: 'sqs:SendMessage', resource: QUEUE };
    const r = evaluate(events, { scps: [[named('deny-all', deny('*'))]], resourcePolicy: named('q', allow('sqs:SendMessage', QUEUE, { Principal: { Service: 'events.amazonaws.com' } })) });
    expect(r.decision).toBe('Allow');
    expect(r.steps).toEqual([
      { step: 'explicit-deny', outcome: 'n/a', statements: [] }, NA('rcp'),
      { step: 'scp', outcome: 'n/a', statements: [], note: 'scps do not apply to service principals' },
      { step: 'identity', outcome: 'n/a', statements: [] },
      { step: 'resource', outcome: 'allow', statements: [ref('resource', 'q', 0)] },
      // the cross-account rule (both sides must allow) is not applied to a service: no note claims it
      NA('cross-account'),
    ]);
  });
});
