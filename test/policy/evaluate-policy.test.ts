/**
 * evaluatePolicy: which statements of ONE document allow or deny a request (the building block that the
 * audit's privileged-principal scan and the questions API call directly, without the whole evaluate()).
 */
import { buildContext, evaluatePolicy, parsePolicy, PolicyRequest } from '../../lib/policy';

const A = '111122223333';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const BOB = `arn:aws:iam::${A}:user/bob`;
const QUEUE = `arn:aws:sqs:us-east-1:${A}:queue1`;
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const req = (principal: string): PolicyRequest => ({ principal: { arn: principal }, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: A });

describe('a Deny with NotPrincipal in a resource policy', () => {
  const queuePolicy = parsePolicy(doc(
    { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: QUEUE },
    { Sid: 'OnlyAlice', Effect: 'Deny', NotPrincipal: { AWS: [ALICE] }, Action: 'sqs:*', Resource: QUEUE },
  ), 'queue-policy');

  test('by default (no permissions boundary said to be attached) does not deny the principal it excepts', () => {
    const r = evaluatePolicy(queuePolicy, 'resource', buildContext(req(ALICE)));
    expect(r.denies).toEqual([]);
    expect(r.allows.map((s) => s.sid)).toEqual(['Everyone']);
  });
  test('denies every other principal, naming the statement', () => {
    const r = evaluatePolicy(queuePolicy, 'resource', buildContext(req(BOB)));
    expect(r.denies).toEqual([expect.objectContaining({ policyType: 'resource', policy: 'queue-policy', index: 1, sid: 'OnlyAlice', effect: 'Deny' })]);
  });
  test('denies even the excepted principal when a permissions boundary is attached (AWS\'s NotPrincipal rule)', () => {
    const r = evaluatePolicy(queuePolicy, 'resource', buildContext(req(ALICE)), true);
    expect(r.denies.map((s) => s.sid)).toEqual(['OnlyAlice']);
  });
});
