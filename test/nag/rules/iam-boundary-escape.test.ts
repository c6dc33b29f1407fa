import { Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule, param } from '../helpers';

/**
 * How a principal under a permissions boundary gets out of it (lib/nag/rules/iam/boundaries.ts,
 * boundaryEscape), seen through the rule that asks (CloudTrailPipelineBoundaryProtected): remove or
 * replace the boundary, rewrite it, or create a role or user without it and grant that principal a
 * policy. Each boundary here denies tampering with the trail, so only the way out decides.
 */
const rule = 'CloudTrailPipelineBoundaryProtected';
const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
const denyTrail = { Sid: 'DenyTrail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' };
const denyRemoval = { Sid: 'DenyRemoval', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], Resource: '*' };
const denyRewrite = { Sid: 'DenyRewrite', Effect: 'Deny', Action: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: '*' };
const denyCreate = { Sid: 'DenyCreate', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:CreateUser'], Resource: '*' };
const denyInline = { Sid: 'DenyInline', Effect: 'Deny', Action: ['iam:PutRolePolicy', 'iam:PutUserPolicy'], Resource: '*' };
const denyGrants = { Sid: 'DenyGrants', Effect: 'Deny', Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy', 'iam:AttachUserPolicy'], Resource: '*' };
/** A condition whose value is a parameter: whom the statement exempts is unknown until deployment. */
const exempting = (s: Stack, id: string) => ({ ArnNotLike: { 'aws:PrincipalArn': param(s, id) } });

/** A managed policy of the app holding `statements`, carried by a role `roleId`. */
const bounded = (s: Stack, statements: Record<string, unknown>[], id = 'Boundary', roleId = 'Ops') => {
  const b = new iam.ManagedPolicy(s, id, { managedPolicyName: id.toLowerCase(), document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }) });
  return new iam.Role(s, roleId, { assumedBy: new iam.AccountRootPrincipal(), permissionsBoundary: b });
};
const trail = (s: Stack) => new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'archive', trailName: 'sec-trail' });
/** The trail behind one boundary holding `statements` (a function of the stack, for parameters). */
const behind = (statements: (s: Stack) => Record<string, unknown>[]) => (s: Stack) => { bounded(s, [allowAll, denyTrail, ...statements(s)]); trail(s); };

describe('boundary escape: each boundary is asked on its own', () => {
  test('a second boundary its role may remove fails even when the first keeps its role under it', () => {
    const f = expectRule(rule, (s) => {
      bounded(s, [allowAll, denyTrail, denyRemoval, denyRewrite, denyCreate], 'Tight', 'Ops');
      bounded(s, [allowAll, denyTrail, denyRewrite, denyCreate], 'Loose', 'Dev');
      trail(s);
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/a principal under the boundary S\/Loose\/Resource can escape it, .* may call iam:DeleteRolePermissionsBoundary/);
    expect(f!.message).not.toMatch(/boundary S\/Tight\/Resource/);
  });
});

describe('boundary escape: the choices a bounded principal makes about its own requests', () => {
  const sparing = (Sid: string, Condition: Record<string, unknown>) => ({ ...denyRemoval, Sid, Condition });
  test('a deny of removing the boundary that spares calls through CloudFormation: the role removes it through a stack of its own: FAIL', () => {
    const f = expectRule(rule, behind(() => [sparing('NoRemoval', { StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }), denyRewrite, denyCreate]), 'T', 'FAIL');
    expect(f!.message).toMatch(/with an access key, sending aws:CalledViaFirst cloudformation\.amazonaws\.com may call iam:DeleteRolePermissionsBoundary/);
  });
  test('denies of removal sparing MFA sessions and the office\'s addresses, each alone: a session with MFA on an office host removes it: FAIL', () => {
    const f = expectRule(rule, behind(() => [
      sparing('NoRemovalWithoutMfa', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }),
      sparing('NoRemovalOffOffice', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }),
      denyRewrite, denyCreate,
    ]), 'T', 'FAIL');
    expect(f!.message).toMatch(/with MFA, from 198\.51\.100\.7 may call iam:DeleteRolePermissionsBoundary/);
  });
  test('the same denies with a third that spares neither: PASS', () => {
    expectRule(rule, behind(() => [
      sparing('NoRemovalWithoutMfa', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }),
      sparing('NoRemovalOffOffice', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }),
      denyRemoval, denyRewrite, denyCreate,
    ]), 'T', 'PASS');
  });
});

describe('boundary escape: replacing the boundary with another policy', () => {
  test('a deny of giving any policy as boundary (iam:PermissionsBoundary like arn:aws:iam::*:policy/*) keeps the role under it', () => {
    const noReplace = { Sid: 'NoReplace', Effect: 'Deny', Action: ['iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], Resource: '*', Condition: { ArnLike: { 'iam:PermissionsBoundary': 'arn:aws:iam::*:policy/*' } } };
    const noDelete = { ...denyRemoval, Sid: 'NoDelete', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'] };
    expectRule(rule, behind(() => [noReplace, noDelete, denyRewrite, denyCreate]), 'T', 'PASS');
  });
});

describe('boundary escape: granting a role it created without the boundary', () => {
  test('a boundary that lets new roles be given only AWS managed policies still lets AdministratorAccess be attached: FAIL', () => {
    const onlyAwsManaged = { Sid: 'OnlyAwsManaged', Effect: 'Deny', Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy'], Resource: '*', Condition: { ArnNotLike: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/*' } } };
    const f = expectRule(rule, behind(() => [denyRemoval, denyRewrite, denyInline, onlyAwsManaged]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreateRole on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role \(.*\), without this boundary, and then .* may call iam:AttachRolePolicy on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role \(/);
  });
  test('a deny of attaching any policy (iam:PolicyARN like arn:aws:iam::*:policy/*) with no inline policies keeps a new role powerless: PASS', () => {
    const noAttach = { Sid: 'NoAttach', Effect: 'Deny', Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy'], Resource: '*', Condition: { ArnLike: { 'iam:PolicyARN': 'arn:aws:iam::*:policy/*' } } };
    expectRule(rule, behind(() => [denyRemoval, denyRewrite, denyInline, noAttach]), 'T', 'PASS');
  });
});

describe('boundary escape: ways that depend on a parameter', () => {
  test('cannot verify when whom the removal deny exempts is a parameter, though nothing else gets out (never PASS)', () => {
    const f = expectRule(rule, behind((s) => [{ ...denyRemoval, Condition: exempting(s, 'Exempt') }, denyRewrite, denyCreate]), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the permissions boundaries protect the trail: S\/Boundary\/Resource: whether .* may call iam:DeleteRolePermissionsBoundary.* depends on/);
  });
  test('creating roles denied outright passes, even when whom the grant deny exempts is a parameter', () => {
    expectRule(rule, behind((s) => [denyRemoval, denyRewrite, denyCreate, { ...denyGrants, Condition: exempting(s, 'Exempt') }]), 'T', 'PASS');
  });
  test('granting denied outright passes, even when whom the create deny exempts is a parameter', () => {
    expectRule(rule, behind((s) => [denyRemoval, denyRewrite, { ...denyCreate, Condition: exempting(s, 'Exempt') }, denyGrants]), 'T', 'PASS');
  });
  test('creating roles allowed and whom the grant deny exempts a parameter: cannot verify, naming the grant (not a FAIL)', () => {
    const f = expectRule(rule, behind((s) => [denyRemoval, denyRewrite, { ...denyGrants, Condition: exempting(s, 'Exempt') }]), 'T', 'ERROR');
    expect(f!.message).toMatch(/whether .* may call iam:PutRolePolicy.* depends on/);
    expect(f!.message).not.toMatch(/iam:CreateRole/);
  });
  test('granting allowed and whom the create deny exempts a parameter: cannot verify, naming only the creation', () => {
    const f = expectRule(rule, behind((s) => [denyRemoval, denyRewrite, { ...denyCreate, Condition: exempting(s, 'Exempt') }]), 'T', 'ERROR');
    expect(f!.message).toMatch(/whether .* may call iam:CreateRole.* depends on/);
    expect(f!.message).not.toMatch(/iam:PutRolePolicy|iam:AttachRolePolicy/);
  });
});

describe('boundary escape: what the finding names', () => {
  test('a role and a user under one boundary, let through by different statements, are both named at each step of the way out', () => {
    const f = expectRule(rule, (s) => {
      const roles = { ...allowAll, Sid: 'Roles', Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } } };
      const users = { ...allowAll, Sid: 'Users', Condition: { StringEquals: { 'aws:PrincipalType': 'User' } } };
      const role = bounded(s, [roles, users, denyTrail, denyRemoval, denyRewrite]);
      new iam.User(s, 'Dev', { permissionsBoundary: role.permissionsBoundary });
      trail(s);
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreateRole on \S+ \(Roles; no statement denies it\); S\/Dev\/Resource with an access key may call iam:CreateRole on \S+ \(Users; no statement denies it\), without this boundary, and then /);
    expect(f!.message).toMatch(/may call iam:PutRolePolicy, iam:AttachRolePolicy on \S+ \(Roles; no statement denies it\); S\/Dev\/Resource with an access key may call iam:PutRolePolicy, iam:AttachRolePolicy on \S+ \(Users; no statement denies it\)/);
  });
});
