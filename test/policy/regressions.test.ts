/**
 * Minimal cases shrunk from disagreements the differential test found. Where the oracle was right, we
 * compare with it; where AWS's documentation says the oracle is wrong (oracle-disagreements.md), we pin
 * AWS's answer and that the oracle still differs (so the exclusion can be dropped when it is fixed).
 */
import { evaluate, PolicyRequest, PolicySet } from '../../lib/policy';
import { oracleDecide } from './oracle';

const A = '111122223333';
const SESSION = `arn:aws:sts::${A}:assumed-role/app-role/s1`;
const QUEUE = `arn:aws:sqs:us-east-1:${A}:queue1`;
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const AS_ORACLE = { Allow: 'Allowed', ExplicitDeny: 'ExplicitlyDenied', ImplicitDeny: 'ImplicitlyDenied', Undecidable: 'Undecidable' } as const;

async function both(request: PolicyRequest, policies: PolicySet): Promise<[string, string]> {
  return [AS_ORACLE[evaluate(request, policies).decision], (await oracleDecide(request, policies)).decision];
}

describe('regressions found by the differential test (the oracle was right)', () => {
  test('ForAnyValue:...IfExists on an absent key does not match', async () => {
    const request = { principal: { arn: SESSION, account: A }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A };
    const policies = { identity: [{ name: 'id', document: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }) }] };
    expect(await both(request, policies)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
  test('an unresolvable ${aws:username} in a Deny NotResource: the deny does not apply', async () => {
    const request = { principal: { arn: SESSION, account: A }, action: 's3:PutObject', resource: 'arn:aws:s3:::bucket-a/alice/new.csv', resourceAccount: A };
    const policies = { identity: [{ name: 'id', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:Put*', NotResource: 'arn:aws:s3:::bucket-a/${aws:username}/*' }) }] };
    expect(await both(request, policies)).toEqual(['Allowed', 'Allowed']);
  });
  test('...but a resource of another service is outside that NotResource whatever the variable', async () => {
    const request = { principal: { arn: SESSION, account: A }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A };
    const policies = { identity: [{ name: 'id', document: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }, { Effect: 'Deny', Action: 'sqs:*', NotResource: 'arn:aws:s3:::bucket-a/${aws:username}/*' }) }] };
    expect(await both(request, policies)).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
  });
  test('Principal "*" does not bypass a session policy', async () => {
    const request = { principal: { arn: SESSION, account: A }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A };
    const policies = {
      resourcePolicy: { name: 'q', document: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: QUEUE }) },
      sessionPolicies: [{ name: 'session', document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }],
    };
    expect(await both(request, policies)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

describe('found comparing with the oracle by hand (the oracle was right)', () => {
  test('a Date condition value padded with whitespace is no date: the condition does not match', async () => {
    const request = { principal: { arn: `arn:aws:iam::${A}:user/alice`, account: A }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A, context: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } };
    const policies = { identity: [{ name: 'id', document: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': ' 2020-01-01T00:00:00Z' } } }) }] };
    expect(await both(request, policies)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

describe('oracle-disagreements.md #1 (AWS documentation over the oracle)', () => {
  test('a resource policy naming the session ARN grants in addition to the session policy', async () => {
    const request = { principal: { arn: SESSION, account: A }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A };
    const policies = {
      resourcePolicy: { name: 'q', document: doc({ Effect: 'Allow', Principal: { AWS: SESSION }, Action: 'sqs:SendMessage', Resource: QUEUE }) },
      sessionPolicies: [{ name: 'session', document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }],
    };
    expect(await both(request, policies)).toEqual(['Allowed', 'ImplicitlyDenied']);
  });
});
