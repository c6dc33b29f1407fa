import { buildContext, evaluateCondition, isUnknown, Match, parsePolicy, PolicyError, PolicyRequest, RequestPrincipal, sameAccount, unknown } from '../../lib/policy';
import { principalKeys } from '../../lib/policy/context';

const USER = 'arn:aws:iam::111122223333:user/alice';
const SESSION = 'arn:aws:sts::111122223333:assumed-role/Admin/s1';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

function request(principal: RequestPrincipal, action = 'sns:Publish'): PolicyRequest {
  return { principal, action, resource: TOPIC };
}

/** One condition (operator, key, values) against the keys AWS sets from `principal` (the request carries no others). */
function check(principal: RequestPrincipal, operator: string, key: string, values: string | string[]): Match {
  const policy = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [operator]: { [key]: values } } }] }, 't');
  return evaluateCondition(policy.statements[0].conditions[0], buildContext(request(principal)));
}
const present = (principal: RequestPrincipal, key: string) => check(principal, 'Null', key, 'false');

describe('the keys AWS sets from an IAM user', () => {
  const alice = { arn: USER };
  test('aws:PrincipalArn is the user ARN, aws:PrincipalType User, aws:PrincipalAccount its account', () => {
    expect(check(alice, 'StringEquals', 'aws:PrincipalArn', USER)).toBe(true);
    expect(check(alice, 'StringEquals', 'aws:PrincipalType', 'User')).toBe(true);
    expect(check(alice, 'StringEquals', 'aws:PrincipalAccount', '111122223333')).toBe(true);
    expect(check(alice, 'StringEquals', 'aws:username', 'alice')).toBe(true);
  });
  test('aws:PrincipalIsAWSService is present and false', () => {
    expect(check(alice, 'Bool', 'aws:PrincipalIsAWSService', 'false')).toBe(true);
    expect(check(alice, 'Bool', 'aws:PrincipalIsAWSService', 'true')).toBe(false);
  });
  test('aws:PrincipalOrgID and aws:userid only when known; then with their values', () => {
    expect(present(alice, 'aws:PrincipalOrgID')).toBe(false);
    expect(present(alice, 'aws:userid')).toBe(false);
    expect(check({ ...alice, orgId: 'o-abc123' }, 'StringEquals', 'aws:PrincipalOrgID', 'o-abc123')).toBe(true);
    expect(check({ ...alice, userId: 'AIDAEXAMPLE' }, 'StringEquals', 'aws:userid', 'AIDAEXAMPLE')).toBe(true);
  });
  test('no account in the ARN and none given: aws:PrincipalAccount is absent, never the text "undefined"', () => {
    const p = { arn: 'arn:aws:iam:::user/alice' };
    expect(present(p, 'aws:PrincipalAccount')).toBe(false);
    expect(check(p, 'StringEquals', 'aws:username', 'alice')).toBe(true);
  });
  test('a user ARN without a name sets no aws:username (never an empty one)', () => {
    expect(present({ arn: 'arn:aws:iam::111122223333:user/' }, 'aws:username')).toBe(false);
  });
  test('a user whose ARN is unknown: no aws:username and no role, the ARN key Unknown', () => {
    const p: RequestPrincipal = { arn: unknown('Fn::GetAtt User.Arn'), type: 'User', account: '111122223333' };
    expect(present(p, 'aws:username')).toBe(false);
    expect(isUnknown(check(p, 'StringEquals', 'aws:PrincipalArn', USER))).toBe(true);
    expect(buildContext(request(p)).roleArn).toBeUndefined();
  });
});

describe('the keys AWS sets from a role session', () => {
  test('aws:PrincipalArn is the ROLE ARN, not the session ARN; aws:userid when given', () => {
    const s = { arn: SESSION, userId: 'AROAEXAMPLE:s1' };
    expect(check(s, 'StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/Admin')).toBe(true);
    expect(check(s, 'StringEquals', 'aws:PrincipalType', 'AssumedRole')).toBe(true);
    expect(check(s, 'StringEquals', 'aws:userid', 'AROAEXAMPLE:s1')).toBe(true);
  });
  test('a role has no aws:username (AWS sets it for IAM users only)', () => {
    expect(present({ arn: SESSION }, 'aws:username')).toBe(false);
    expect(present({ arn: 'arn:aws:iam::111122223333:role/Admin' }, 'aws:username')).toBe(false);
  });
  test('a session ARN whose role cannot be derived keeps its own ARN as aws:PrincipalArn', () => {
    const odd = 'arn:aws:sts::111122223333:assumed-role/';
    expect(check({ arn: odd }, 'StringEquals', 'aws:PrincipalArn', odd)).toBe(true);
  });
});

describe('a role ARN given for a principal that is no role session', () => {
  test('does not replace aws:PrincipalArn: a user or federated user is still itself', () => {
    const roleArn = 'arn:aws:iam::111122223333:role/Admin';
    expect(check({ arn: USER, roleArn }, 'StringEquals', 'aws:PrincipalArn', USER)).toBe(true);
    expect(check({ arn: USER, roleArn }, 'StringEquals', 'aws:PrincipalArn', roleArn)).toBe(false);
    const fed = 'arn:aws:sts::111122223333:federated-user/bob';
    expect(check({ arn: fed, roleArn }, 'StringEquals', 'aws:PrincipalArn', fed)).toBe(true);
  });
});

describe('service and anonymous principals', () => {
  test('a service principal: aws:PrincipalServiceName and aws:PrincipalIsAWSService true, no aws:PrincipalArn', () => {
    const sns = { arn: 'sns.amazonaws.com' };
    expect(check(sns, 'StringEquals', 'aws:PrincipalServiceName', 'sns.amazonaws.com')).toBe(true);
    expect(check(sns, 'Bool', 'aws:PrincipalIsAWSService', 'true')).toBe(true);
    expect(present(sns, 'aws:PrincipalArn')).toBe(false);
    expect(principalKeys(request(sns), 'Service', undefined, undefined)).toEqual([
      ['aws:PrincipalServiceName', 'sns.amazonaws.com'], ['aws:PrincipalIsAWSService', 'true'],
    ]);
  });
  test('an anonymous request carries no principal key at all', () => {
    expect([...buildContext(request({ arn: '*' })).keys.keys()]).toEqual([]);
    expect(principalKeys(request({ arn: '*' }), 'Anonymous', undefined, undefined)).toEqual([]);
    expect(present({ arn: 'anonymous' }, 'aws:PrincipalArn')).toBe(false);
  });
  test('a service or anonymous principal is in no account, even when its name is an unresolved token', () => {
    for (const type of ['Service', 'Anonymous'] as const) {
      const ctx = buildContext({ principal: { arn: unknown('Ref PrincipalName'), type }, action: 'sns:Publish', resource: TOPIC });
      expect(ctx.principalAccount).toBeUndefined();
      expect(sameAccount(ctx)).toBe(false);
    }
  });
});

describe('malformed requests are refused with a message naming what is wrong', () => {
  test('an action without service prefix, or no action at all', () => {
    expect(() => buildContext(request({ arn: USER }, 'Publish'))).toThrow(PolicyError);
    expect(() => buildContext(request({ arn: USER }, 'Publish'))).toThrow(/service:action.*"Publish"/);
    const noAction = { principal: { arn: USER }, resource: TOPIC } as unknown as PolicyRequest;
    expect(() => buildContext(noAction)).toThrow(PolicyError);
    expect(() => buildContext(noAction)).toThrow(/service:action/);
  });
  test('a principal whose type cannot be told from its ARN names the ARN and asks for principal.type', () => {
    expect(() => buildContext(request({ arn: 'arn:aws:s3:::my-bucket' }))).toThrow(/arn:aws:s3:::my-bucket.*principal\.type/);
  });
});
