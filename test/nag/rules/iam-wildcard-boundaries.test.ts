import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule, param } from '../helpers';

/**
 * IAMPolicyNoWildcardAdmin exempts an admin managed policy of the app used only as a permissions
 * boundary (a ceiling); attached anywhere as a grant, or where the rule cannot tell, it is judged.
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const adminDoc = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
/** An admin customer managed policy, named `name`, bounding an L1 role. */
const boundary = (s: Stack, name?: string) => {
  const b = new iam.CfnManagedPolicy(s, 'Boundary', { managedPolicyName: name, policyDocument: adminDoc });
  new iam.CfnRole(s, 'Bounded', { assumeRolePolicyDocument: {}, permissionsBoundary: b.ref });
  return b;
};

describe('IAMPolicyNoWildcardAdmin: what is not an attachment of the boundary', () => {
  test('AWS managed policies of the same name, in any partition, are other policies: the boundary stays exempt', () => {
    expectRule(rule, (s) => {
      boundary(s, 'AdministratorAccess');
      new iam.CfnRole(s, 'Other', { assumeRolePolicyDocument: {} }).addPropertyOverride('ManagedPolicyArns', [
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws-us-gov:iam::aws:policy/AdministratorAccess',
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] },
      ]);
    }, 'Boundary', 'N/A');
  });
  test('permission sets referencing other policies by name, or none: the boundary stays exempt', () => {
    expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: [{ Name: 'app-read', Path: '/' }] } });
      new CfnResource(s, 'PS2', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'ReadOnly', ManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } });
    }, 'Boundary', 'N/A');
  });
  test('a role bounded by an AWS managed policy (no policy of the app) leaves an attached admin policy a grant: FAIL', () => {
    expectRule(rule, (s) => {
      const p = new iam.CfnManagedPolicy(s, 'Admin', { policyDocument: adminDoc });
      new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {}, managedPolicyArns: [p.ref], permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' });
      new iam.CfnRole(s, 'R2', { assumeRolePolicyDocument: {}, permissionsBoundary: 'arn:aws:iam::123456789012:policy/not-in-app' });
    }, 'Admin', 'FAIL');
  });
});

describe('IAMPolicyNoWildcardAdmin: a boundary also attached as a grant is judged', () => {
  test('attached by reference by another role: FAIL', () => {
    expectRule(rule, (s) => {
      const b = boundary(s);
      new iam.CfnUser(s, 'U', { managedPolicyArns: [b.ref] });
    }, 'Boundary', 'FAIL');
  });
  test('attached by an ARN ending in its name (with a path): FAIL', () => {
    expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new iam.CfnGroup(s, 'G', { managedPolicyArns: ['arn:aws:iam::123456789012:policy/team/app-boundary'] });
    }, 'Boundary', 'FAIL');
  });
  test('referenced by name by an Identity Center permission set: FAIL', () => {
    expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: [{ Name: 'app-read' }, { Name: 'app-boundary' }] } });
    }, 'Boundary', 'FAIL');
  });
  test('naming a role or a user itself (the boundary\'s own Roles or Users): FAIL', () => {
    expectRule(rule, (s) => {
      const b = boundary(s);
      b.roles = [new iam.CfnRole(s, 'Granted', { assumeRolePolicyDocument: {} }).ref];
    }, 'Boundary', 'FAIL');
    expectRule(rule, (s) => {
      const b = boundary(s);
      b.users = [new iam.CfnUser(s, 'U').ref];
    }, 'Boundary', 'FAIL');
  });
  test('naming a group itself: FAIL', () => {
    expectRule(rule, (s) => {
      const b = boundary(s);
      b.groups = [new iam.CfnGroup(s, 'G').ref];
    }, 'Boundary', 'FAIL');
  });
  test('a group cannot have a boundary: a policy a group names as one (CloudFormation rejects it) is not exempt', () => {
    expectRule(rule, (s) => {
      const b = new iam.CfnManagedPolicy(s, 'Boundary', { policyDocument: adminDoc });
      new iam.CfnGroup(s, 'G').addPropertyOverride('PermissionsBoundary', b.ref);
    }, 'Boundary', 'FAIL');
  });
});

describe('IAMPolicyNoWildcardAdmin: an attachment the rule cannot read may be the boundary: cannot verify', () => {
  test('ManagedPolicyArns as one parameter (a list)', () => {
    const f = expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new iam.CfnRole(s, 'Other', { assumeRolePolicyDocument: {} }).addPropertyOverride('ManagedPolicyArns', { Ref: 'Arns' });
    }, 'Boundary', 'ERROR');
    expect(f!.message).toContain('attached as a grant through ManagedPolicyArns of S/Other');
  });
  test('a permission set reference whose name is a parameter, or references given as one parameter (fixed: they were skipped, and the boundary exempt)', () => {
    const one = expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: [{ Name: 'app-read' }, { Name: param(s) }] } });
    }, 'Boundary', 'ERROR');
    expect(one!.message).toContain('attached as a grant through CustomerManagedPolicyReferences of S/PS');
    expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: { Ref: 'Refs' } } });
    }, 'Boundary', 'ERROR');
    expectRule(rule, (s) => {
      boundary(s, 'app-boundary');
      new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: [null] } });
    }, 'Boundary', 'ERROR');
  });
});
