import { CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule } from '../helpers';

/**
 * IAMPolicyNoWildcardAdmin reads L2 policy documents before resolution when they are plainly narrow;
 * anything else in them (an admin pattern anywhere, a NotAction, an action from a parameter, an
 * escape-hatch override, policies given as a token) is judged as CloudFormation will see it.
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const stmt = (actions: string[], resources = ['*']) => new iam.PolicyStatement({ actions, resources });
const role = (s: Stack) => new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
const admin = { policyName: 'admin', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

describe('IAMPolicyNoWildcardAdmin: L2 policies and managed policies', () => {
  test('an admin statement after a narrow one fails (policy and managed policy)', () => {
    expectRule(rule, (s) => new iam.Policy(s, 'Pol', { roles: [role(s)], statements: [stmt(['s3:GetObject']), stmt(['ec2:*'])] }), 'Pol/Resource', 'FAIL');
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', { statements: [stmt(['s3:GetObject']), stmt(['iam:Put*'])] }), 'Pol/Resource', 'FAIL');
  });
  test('an admin action beside a named one in the same statement fails', () => {
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', { statements: [stmt(['s3:GetObject', 's3:*'])] }), 'Pol/Resource', 'FAIL');
  });
  test('a NotAction statement fails, whatever it excludes', () => {
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', {
      statements: [stmt(['s3:GetObject']), new iam.PolicyStatement({ notActions: ['iam:*', 'organizations:*'], resources: ['*'] })],
    }), 'Pol/Resource', 'FAIL');
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', { statements: [new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] })] }), 'Pol/Resource', 'FAIL');
  });
  test('an action from a parameter cannot be verified', () => {
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', {
      statements: [stmt(['s3:GetObject', new CfnParameter(s, 'Action').valueAsString])],
    }), 'Pol/Resource', 'ERROR');
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', { statements: [stmt([new CfnParameter(s, 'Action').valueAsString])] }), 'Pol/Resource', 'ERROR');
  });
  test('a Deny of * beside named actions passes', () => {
    expectRule(rule, (s) => new iam.ManagedPolicy(s, 'Pol', {
      statements: [stmt(['s3:GetObject']), new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
    }), 'Pol/Resource', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: inline policies of L2 and L1 roles, users and groups', () => {
  test('an admin inline document after a narrow one fails', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { read: new iam.PolicyDocument({ statements: [stmt(['s3:GetObject'])] }), ops: new iam.PolicyDocument({ statements: [stmt(['ec2:*'])] }) },
    }), 'R/Resource', 'FAIL');
  });
  test('an escape-hatch override adding an admin inline policy to a role without one fails', () => {
    expectRule(rule, (s) => {
      (role(s).node.defaultChild as iam.CfnRole).addPropertyOverride('Policies', [{ PolicyName: 'admin', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }]);
    }, 'R/Resource', 'FAIL');
  });
  test('a group without any property passes', () => {
    expectRule(rule, (s) => new iam.CfnGroup(s, 'G'), 'G', 'PASS');
  });
  test('inline policies given as a token are resolved and judged', () => {
    expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: Lazy.any({ produce: () => [admin] }) }), 'G', 'FAIL');
  });
  test('an inline policy that is null cannot be verified', () => {
    const f = expectRule(rule, (s) => new iam.CfnUser(s, 'U', { policies: [null as unknown as iam.CfnUser.PolicyProperty, admin] }), 'U', 'ERROR');
    expect(f!.message).toContain('cannot verify inline policy: unresolved value null');
  });
});
