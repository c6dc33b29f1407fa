/**
 * Statement matching as AWS defines it: Action/NotAction (case-insensitive), Resource/NotResource
 * (case-sensitive ARN globs), Principal/NotPrincipal (account root delegating to every principal of the
 * account, `*`, AWS/Service/Federated/CanonicalUser entries), and the three-valued answer (true, false,
 * or Unknown carrying why) wherever a value cannot be known.
 */
import {
  buildContext, isUnknown, matchAction, matchPrincipal, matchResource, parsePolicy, PolicyError, principalMatchKind,
  RequestPrincipal, statementApplies, unknown, Unknown,
} from '../../lib/policy';
import { resourcePatternMatches, resourceRegex } from '../../lib/policy/statements';
import { ParsedPrincipal, ParsedStatement, RequestContext } from '../../lib/policy/types';

const A = '111122223333';
const B = '444455556666';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const BOB = `arn:aws:iam::${A}:user/bob`;
const ROLE = `arn:aws:iam::${A}:role/app-role`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app-role/s1`;
const QUEUE = `arn:aws:sqs:us-east-1:${A}:queue1`;
const OBJECT = 'arn:aws:s3:::bucket/alice/report.csv';

const stmt = (s: object, version = '2012-10-17'): ParsedStatement => parsePolicy({ Version: version, Statement: [s] }, 'p').statements[0];
const ctx = (principal: string | RequestPrincipal, action = 's3:GetObject', resource: string | Unknown = OBJECT, context = {}): RequestContext =>
  buildContext({ principal: typeof principal === 'string' ? { arn: principal } : principal, action, resource, context });
/** the reason of an Unknown answer, or the plain answer */
const answer = (m: unknown): unknown => (isUnknown(m) ? `unknown: ${m.reason}` : m);
const kind = (p: object, c: RequestContext) => answer(principalMatchKind(stmt({ Effect: 'Allow', Action: '*', Resource: '*', Principal: p }).principal!, c));
const block = (p: Partial<ParsedPrincipal>): ParsedPrincipal => ({ wildcard: false, aws: [], service: [], federated: [], canonicalUser: [], ...p });

describe('Action / NotAction', () => {
  test('an Action entry the caller could not resolve makes the answer unknown, naming why', () => {
    const s = stmt({ Effect: 'Allow', Action: [unknown('Ref ActionParam')], Resource: '*' });
    expect(answer(matchAction(s, 's3:getobject'))).toBe('unknown: Ref ActionParam');
  });
  test('an unknown Action entry does not hide a known entry that matches', () => {
    const s = stmt({ Effect: 'Allow', Action: [unknown('Ref ActionParam'), 's3:Get*'], Resource: '*' });
    expect(matchAction(s, 's3:getobject')).toBe(true);
    expect(answer(matchAction(s, 's3:putobject'))).toBe('unknown: Ref ActionParam');
  });
  test('with several unknown Action entries, the first one is the reason given', () => {
    const s = stmt({ Effect: 'Allow', Action: [unknown('first'), unknown('second')], Resource: '*' });
    expect(answer(matchAction(s, 's3:getobject'))).toBe('unknown: first');
  });
  test('NotAction with an unknown entry is unknown too (not a match, not a non-match)', () => {
    const s = stmt({ Effect: 'Deny', NotAction: [unknown('Ref Excepted')], Resource: '*' });
    expect(answer(matchAction(s, 'iam:createuser'))).toBe('unknown: Ref Excepted');
  });
  test('actions compare case-insensitively', () => {
    expect(matchAction(stmt({ Effect: 'Allow', Action: 'S3:GetObject', Resource: '*' }), 's3:getobject')).toBe(true);
  });
});

describe('Resource / NotResource', () => {
  const res = (Resource: unknown, resource: string | Unknown, principal: string | RequestPrincipal = ALICE, context = {}) =>
    answer(matchResource(stmt({ Effect: 'Allow', Action: '*', Resource }), ctx(principal, 's3:GetObject', resource, context)));
  const notRes = (NotResource: unknown, resource: string | Unknown, principal: string | RequestPrincipal = ALICE, context = {}) =>
    answer(matchResource(stmt({ Effect: 'Allow', Action: '*', NotResource }), ctx(principal, 's3:GetObject', resource, context)));

  test('a pattern with fewer than six ARN fields that ends in * matches as if the missing fields were *', () => {
    expect(res('arn:aws:s3:*', OBJECT)).toBe(true);
    expect(res('arn:aws:sqs:*', QUEUE)).toBe(true);
    expect(res('arn:aws:sqs:*', OBJECT)).toBe(false);
  });
  test('a pattern with fewer than six fields and no wildcard matches nothing, not even a resource it prefixes', () => {
    expect(res(`arn:aws:sqs:us-east-1:${A}`, QUEUE)).toBe(false);
    expect(res('bucket', 'bucket')).toBe(false);
  });
  test('? in region or account stands for one character of that field', () => {
    expect(res(`arn:aws:sqs:us-east-?:${A}:queue1`, QUEUE)).toBe(true);
    expect(res(`arn:aws:sqs:us-east-1:11112222333?:queue1`, QUEUE)).toBe(true);
    expect(res(`arn:aws:sqs:us-east-?:${A}:queue1`, `arn:aws:sqs:us-east-10:${A}:queue1`)).toBe(false);
  });
  test('resources compare case-sensitively, also after a policy variable is substituted', () => {
    expect(res('arn:aws:s3:::bucket/${aws:username}/*', OBJECT)).toBe(true);
    expect(res('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/ALICE/report.csv')).toBe(false);
  });
  test('an unresolved Resource entry is unknown; with a known entry that matches, the statement covers the resource', () => {
    expect(res([unknown('GetAtt Bucket.Arn')], OBJECT)).toBe('unknown: GetAtt Bucket.Arn');
    expect(res([unknown('GetAtt Bucket.Arn'), 'arn:aws:s3:::bucket/*'], OBJECT)).toBe(true);
    expect(notRes([unknown('GetAtt Bucket.Arn')], OBJECT)).toBe('unknown: GetAtt Bucket.Arn');
  });
  test('a variable whose value is unknown makes the answer unknown', () => {
    expect(res('arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*', OBJECT, ALICE, { 'aws:PrincipalTag/team': unknown('tag of alice') }))
      .toBe('unknown: tag of alice');
  });
  test('a request without a resource (*) is covered by NotResource, even an entry with an unresolvable variable', () => {
    // a role session has no aws:username: the variable cannot be resolved
    expect(notRes('${aws:username}', '*', SESSION)).toBe(true);
    expect(res('${aws:username}', '*', SESSION)).toBe(false);
  });
  test('an unresolvable variable in the region: NotResource does not apply in that account, applies to other accounts', () => {
    const pattern = `arn:aws:sqs:\${aws:RequestedRegion}:${A}:*`;
    expect(notRes(pattern, QUEUE)).toBe(false);
    expect(notRes(pattern, `arn:aws:sqs:us-east-1:${B}:queue1`)).toBe(true);
    expect(res(pattern, QUEUE)).toBe(false);
  });
  test('resourcePatternMatches: an unresolvable variable answers "no match" unless told otherwise', () => {
    const c = ctx(SESSION, 's3:GetObject', 'arn:aws:s3:::bucket/x/y');
    expect(resourcePatternMatches({ source: 'arn:aws:s3:::bucket/${aws:username}/*', hasVariables: true }, c)).toBe(false);
    expect(resourcePatternMatches({ source: 'arn:aws:s3:::bucket/${aws:username}/*', hasVariables: true }, c, true)).toBe(true);
  });
  test('a Resource entry that is not an ARN matches nothing, even when its variable resolves to the resource text', () => {
    expect(res('${aws:username}', 'alice')).toBe(false);
    expect(res('${aws:username}', ALICE.replace('alice', 'x'))).toBe(false);
  });
  test('resourceRegex compiles each pattern once, and keeps patterns compiled while others are compiled', () => {
    const p = `arn:aws:sqs:*:${A}:memo-${Date.now()}`;
    const first = resourceRegex(p);
    resourceRegex(`arn:aws:sqs:*:${A}:memo-other`);
    expect(resourceRegex(p)).toBe(first);
  });
  test('resourceRegex: its cache is bounded (after more than 50,000 other patterns the first is compiled afresh)', () => {
    const p = `arn:aws:sqs:*:${A}:evicted`;
    const first = resourceRegex(p)!;
    for (let i = 0; i <= 50_001; i++) resourceRegex(`arn:aws:sqs:*:${A}:q-${i}`);
    const again = resourceRegex(p)!;
    expect(again.source).toBe(first.source);
    expect(again).not.toBe(first);
  });
});

describe('Principal: AWS entries', () => {
  test('an AWS "*" entry reaches everyone as a wildcard, services and anonymous callers included', () => {
    const p = block({ aws: ['*'] });
    expect(principalMatchKind(p, ctx(ALICE))).toBe('wildcard');
    expect(principalMatchKind(p, ctx('events.amazonaws.com'))).toBe('wildcard');
  });
  test('an AWS entry never names a service principal or an anonymous caller, even with the same text', () => {
    expect(kind({ AWS: 'events.amazonaws.com' }, ctx('events.amazonaws.com'))).toBe('none');
    expect(kind({ AWS: 'anonymous' }, ctx('anonymous'))).toBe('none');
    expect(kind({ AWS: A }, ctx({ arn: 'events.amazonaws.com', account: A }))).toBe('none');
  });
  test('the account (12 digits or :root) reaches every principal of that account, and only of that account', () => {
    expect(kind({ AWS: A }, ctx(ALICE))).toBe('account');
    expect(kind({ AWS: `arn:aws:iam::${A}:root` }, ctx(SESSION))).toBe('account');
    expect(kind({ AWS: B }, ctx(ALICE))).toBe('none');
  });
  test('only exactly 12 digits is an account id', () => {
    const odd = { arn: 'arn:aws:iam::1111222233334:user/x', account: '1111222233334' };
    expect(kind({ AWS: '1111222233334' }, ctx(odd))).toBe('none');
  });
  test('a user whose name ends in 12 digits is a user, not an account', () => {
    const user = `arn:aws:iam::${A}:user/bob${B}`;
    expect(kind({ AWS: user }, ctx(user))).toBe('direct');
    expect(kind({ AWS: `arn:aws:iam::${A}:user/Bob${B}` }, ctx(user))).toBe('direct');
  });
  test('an account entry against a caller whose account is unknown is unknown', () => {
    expect(kind({ AWS: A }, ctx({ arn: ALICE, account: unknown('Ref AccountId') }))).toBe('unknown: Ref AccountId');
  });
  test('naming the caller ARN itself: a user is named directly, a role ARN as the caller names the role', () => {
    expect(kind({ AWS: ALICE }, ctx(ALICE))).toBe('direct');
    expect(kind({ AWS: ROLE }, ctx(ROLE))).toBe('role');
    expect(kind({ AWS: SESSION }, ctx(SESSION))).toBe('direct');
  });
  test('a caller whose ARN is unknown: any entry but * and the account is unknown', () => {
    const c = ctx({ arn: unknown('GetAtt Fn.Arn'), account: A, type: 'User' });
    expect(kind({ AWS: `arn:aws:sts::${A}:federated-user/bob` }, c)).toBe('unknown: GetAtt Fn.Arn');
    expect(kind({ AWS: BOB }, c)).toBe('unknown: GetAtt Fn.Arn');
  });
  test('an AWS entry that is not an ARN names nobody', () => {
    expect(kind({ AWS: 'alice' }, ctx(ALICE))).toBe('none');
  });
  test('a user of the same name in another account is not the caller', () => {
    expect(kind({ AWS: `arn:aws:iam::${B}:user/alice` }, ctx(ALICE))).toBe('none');
    expect(kind({ AWS: `arn:aws:iam::${B}:role/app-role` }, ctx(SESSION))).toBe('none');
  });
  test('with the caller account unknown, an ARN entry is unknown', () => {
    expect(kind({ AWS: `arn:aws:iam::${B}:user/bob` }, ctx({ arn: ALICE, account: unknown('Ref Acct') }))).toBe('unknown: Ref Acct');
  });
  test('IAM user names are case-insensitive: the entry reaches the user whatever the case', () => {
    expect(kind({ AWS: `arn:aws:iam::${A}:user/ALICE` }, ctx(ALICE))).toBe('direct');
  });
  test('another user of the account, or a role with the user\'s name, is not the user', () => {
    expect(kind({ AWS: BOB }, ctx(ALICE))).toBe('none');
    expect(kind({ AWS: `arn:aws:iam::${A}:role/alice` }, ctx(ALICE))).toBe('none');
  });
  test('a role entry reaches the role\'s sessions (case-insensitive name), not other roles\' sessions, not a same-named user', () => {
    expect(kind({ AWS: ROLE }, ctx(SESSION))).toBe('role');
    expect(kind({ AWS: `arn:aws:iam::${A}:role/APP-ROLE` }, ctx(SESSION))).toBe('role');
    expect(kind({ AWS: `arn:aws:iam::${A}:role/other-role` }, ctx(SESSION))).toBe('none');
    expect(kind({ AWS: `arn:aws:iam::${A}:user/app-role` }, ctx(SESSION))).toBe('none');
  });
  test('a session whose role is unknown: a role entry of its account is unknown', () => {
    expect(kind({ AWS: ROLE }, ctx({ arn: SESSION, roleArn: unknown('role of session') }))).toBe('unknown: role of session');
  });
  test('a session whose role cannot be told (no role name, or a role that is not an IAM role ARN) is not reached by a role entry', () => {
    expect(kind({ AWS: ROLE }, ctx(`arn:aws:sts::${A}:assumed-role//s1`))).toBe('none');
    expect(kind({ AWS: ROLE }, ctx({ arn: SESSION, roleArn: 'app-role' }))).toBe('none');
  });
  test('an entry reaches a caller only through the caller\'s own ARN, whatever type or role the request declares', () => {
    // a user is not a session of a role, even when the request carries a roleArn for it
    expect(kind({ AWS: ROLE }, ctx({ arn: ALICE, roleArn: ROLE }))).toBe('none');
    // a user ARN declared as a session is not reached by a user entry of another case
    expect(kind({ AWS: `arn:aws:iam::${A}:user/ALICE` }, ctx({ arn: ALICE, type: 'AssumedRole' }))).toBe('none');
    // a role ARN declared as a user is not the user of the same name
    expect(kind({ AWS: `arn:aws:iam::${A}:user/alice` }, ctx({ arn: `arn:aws:iam::${A}:role/alice`, type: 'User' }))).toBe('none');
  });
  test('a direct entry wins over an unknown one; an unknown one wins over the account', () => {
    expect(kind({ AWS: [unknown('Ref Other'), ALICE] }, ctx(ALICE))).toBe('direct');
    expect(kind({ AWS: [unknown('Ref Other'), A] }, ctx(ALICE))).toBe('unknown: Ref Other');
  });
});

describe('Principal: Service, Federated, CanonicalUser entries', () => {
  test('a Service entry names the service case-insensitively, and only a service', () => {
    expect(kind({ Service: 'Events.amazonaws.com' }, ctx('events.amazonaws.com'))).toBe('direct');
    expect(kind({ Service: 'sns.amazonaws.com' }, ctx('events.amazonaws.com'))).toBe('none');
    expect(kind({ Service: ALICE }, ctx(ALICE))).toBe('none');
  });
  test('Federated and CanonicalUser entries name exactly that principal', () => {
    const fed = `arn:aws:sts::${A}:federated-user/carol`;
    expect(kind({ Federated: fed }, ctx(fed))).toBe('direct');
    expect(kind({ Federated: 'cognito-identity.amazonaws.com' }, ctx(ALICE))).toBe('none');
    expect(kind({ CanonicalUser: 'abc123' }, ctx(ALICE))).toBe('none');
  });
  test('a caller whose ARN is unknown: Service and Federated entries are unknown', () => {
    expect(kind({ Federated: 'cognito-identity.amazonaws.com' }, ctx({ arn: unknown('caller'), account: A, type: 'User' }))).toBe('unknown: caller');
    expect(kind({ Service: 'events.amazonaws.com' }, ctx({ arn: unknown('svc'), type: 'Service' }))).toBe('unknown: svc');
  });
});

describe('matchPrincipal and NotPrincipal', () => {
  const denyNot = (NotPrincipal: object) => stmt({ Effect: 'Deny', Action: '*', Resource: '*', NotPrincipal });
  test('a statement with neither Principal nor NotPrincipal reaches nobody in a resource policy', () => {
    expect(matchPrincipal(stmt({ Effect: 'Allow', Action: '*', Resource: '*' }), ctx(ALICE))).toBe(false);
  });
  test('NotPrincipal spares the principals it names; without a boundary said to be attached, by default', () => {
    expect(matchPrincipal(denyNot({ AWS: ALICE }), ctx(ALICE))).toBe(false);
    expect(matchPrincipal(denyNot({ AWS: ALICE }), ctx(BOB))).toBe(true);
  });
  test('with a boundary attached, a Deny with NotPrincipal reaches IAM principals, but still spares a named service and anonymous callers under *', () => {
    expect(matchPrincipal(denyNot({ AWS: ALICE }), ctx(ALICE), true)).toBe(true);
    expect(matchPrincipal(denyNot({ Service: 'events.amazonaws.com' }), ctx('events.amazonaws.com'), true)).toBe(false);
    expect(matchPrincipal(denyNot({ AWS: '*' }), ctx('anonymous'), true)).toBe(false);
  });
  test('statementApplies: the boundary is not attached unless said', () => {
    const s = stmt({ Effect: 'Deny', Action: '*', Resource: '*', NotPrincipal: { AWS: ALICE } });
    expect(statementApplies(s, ctx(ALICE), true)).toBe(false);
    expect(statementApplies(s, ctx(ALICE), true, true)).toBe(true);
  });
  test('a condition that is false decides, even after one that is unknown', () => {
    const s = stmt({
      Effect: 'Allow', Action: '*', Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red', 'aws:username': 'bob' } },
    });
    expect(statementApplies(s, ctx(ALICE, 's3:GetObject', OBJECT, { 'aws:PrincipalTag/team': unknown('tag') }), false)).toBe(false);
  });
});

describe('Unknown markers and PolicyError', () => {
  test('an Unknown marker prints its reason', () => {
    expect(String(unknown('GetAtt Bucket.Arn'))).toContain('GetAtt Bucket.Arn');
  });
  test('a marker made by another copy of the library (same shape, not instanceof) is still recognized; null and plain objects are not markers', () => {
    const copy = JSON.parse(JSON.stringify(unknown('other copy')));
    expect(isUnknown(copy)).toBe(true);
    expect(isUnknown(null)).toBe(false);
    expect(isUnknown({ reason: 'x' })).toBe(false);
    expect(isUnknown({ isUnknownValue: 'yes' })).toBe(false);
  });
  test('a malformed policy throws a PolicyError that says so by name', () => {
    let err: unknown;
    try { parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*' }] }, 'bad'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PolicyError);
    expect(String(err)).toMatch(/^PolicyError: .*Effect/);
  });
});
