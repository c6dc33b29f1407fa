/**
 * The speed-ups of the pack (L2 fast path for inline policies of roles, groups and users; the
 * acknowledgement scan skipped where no scope carries acknowledgement metadata) change no outcome:
 * each case here has the answer the resolved path gives.
 */
import { Construct } from 'constructs';
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { expectRule, findingsOf } from './helpers';

const RULE = 'IAMPolicyNoWildcardAdmin';

function roleWith(s: Stack, ...statements: iam.PolicyStatement[]): iam.Role {
  return new iam.Role(s, 'R', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: { p: new iam.PolicyDocument({ statements }) },
  });
}

describe('IAMPolicyNoWildcardAdmin on inline policies of roles, groups and users', () => {
  it('Compliance: named actions (and a wildcard Deny) in an L2 inline policy', () => {
    expectRule(RULE, (s) => roleWith(s,
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })), 'R/Resource', 'PASS');
  });

  it('Compliance: a role without inline policies', () => {
    expectRule(RULE, (s) => new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'R/Resource', 'PASS');
  });

  it('Noncompliance: "*" or "service:*" on * in an L2 inline policy of a role', () => {
    expectRule(RULE, (s) => roleWith(s, new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })), 'R/Resource', 'FAIL');
    expectRule(RULE, (s) => roleWith(s, new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })), 'R/Resource', 'FAIL');
  });

  it('Noncompliance: NotAction on * in an L2 inline policy of a user and of a group', () => {
    const notAction = () => new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] })] });
    expectRule(RULE, (s) => new iam.CfnUser(s, 'U2', { policies: [{ policyName: 'p', policyDocument: notAction() }] }), 'U2', 'FAIL');
    expectRule(RULE, (s) => new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'p', policyDocument: notAction() }] }), 'G', 'FAIL');
  });

  it('Noncompliance: an escape-hatch override replacing a narrow L2 policy with a wildcard is judged as rendered', () => {
    expectRule(RULE, (s) => {
      const r = roleWith(s, new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      (r.node.defaultChild as iam.CfnRole).addPropertyOverride('Policies.0.PolicyDocument.Statement.0.Action', '*');
    }, 'R/Resource', 'FAIL');
  });

  it('Noncompliance: an inline policy given as JSON (not an L2 document) is still read', () => {
    expectRule(RULE, (s) => new iam.CfnRole(s, 'J', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      policies: [{ policyName: 'p', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } }],
    }), 'J', 'FAIL');
  });
});

describe('acknowledgements are still found on the resource or any of its scopes', () => {
  const wildRole = (scope: Construct) => roleWith(scope as Stack, new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));

  it('a governed acknowledgement on the stack (a scope of the resource) acknowledges it', () => {
    const all = findingsOf(RULE, (s) => {
      wildRole(s);
      acknowledgeLesson(s, { id: 'BreachLessons-IAMPolicyNoWildcardAdmin', reason: 'break-glass role, reviewed', owner: 'secops@example.com', expires: '2026-12-31' });
    });
    expect(all.filter((f) => f.resource.id === 'S/R/Resource').map((f) => f.status)).toEqual(['ACKNOWLEDGED']);
  });

  it('a plain CDK acknowledgement on the role is found and rejected as ungoverned', () => {
    const all = findingsOf(RULE, (s) => {
      const r = wildRole(s);
      Validations.of(r).acknowledge({ id: 'BreachLessons-IAMPolicyNoWildcardAdmin', reason: 'trust me' });
    });
    const f = all.filter((x) => x.resource.id === 'S/R/Resource');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain('ungoverned');
  });
});
