import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { expectRule, param } from '../helpers';

const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];
const denyUnlessMfa = () => new iam.PolicyStatement({
  sid: 'WhateverItIsCalled', effect: iam.Effect.DENY, notActions: MFA_SELF_SERVICE, resources: ['*'],
  conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
});
const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } };
const trust = (principal: unknown, condition?: unknown) => ({
  Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(condition ? { Condition: condition } : {}) }],
});

describe('IAMGroupRequiresMFA', () => {
  const rule = 'IAMGroupRequiresMFA';
  test('Compliance 1: L2 group with an inline deny-unless-MFA statement under any name', () => {
    expectRule(rule, (s) => new iam.Group(s, 'G').addToPolicy(denyUnlessMfa()), 'G/Resource', 'PASS');
  });
  test('Compliance 2: L2 managed policy of the app attached to the group', () => {
    expectRule(rule, (s) => {
      const g = new iam.Group(s, 'G');
      g.addManagedPolicy(new iam.ManagedPolicy(s, 'M', { statements: [denyUnlessMfa()] }));
    }, 'G/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 group without the statement', () => {
    expectRule(rule, (s) => new iam.Group(s, 'G', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] }), 'G/Resource', 'FAIL');
  });
  test('Noncompliance 2: a Bool (not BoolIfExists) deny lets access keys pass', () => {
    expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMFA', policyDocument: {
      Statement: [{ Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }],
    } }] }), 'G', 'FAIL');
  });
  test('Noncompliance 3: a NotAction that exempts more than MFA self-service denies nothing that matters', () => {
    for (const notAction of ['*', ['s3:*', ...MFA_SELF_SERVICE]]) {
      expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMFA', policyDocument: {
        Statement: [{ Effect: 'Deny', NotAction: notAction, Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }],
      } }] }), 'G', 'FAIL');
    }
  });
  test('Unresolved 1: a customer managed policy ARN from a parameter', () => {
    expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { managedPolicyArns: [param(s)] }), 'G', 'ERROR');
  });
});

describe('IAMRoleTrustRequiresMFA', () => {
  const rule = 'IAMRoleTrustRequiresMFA';
  test('Compliance 1: L2 account principal with an MFA condition', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal().withConditions(mfa) }), 'R/Resource', 'PASS');
  });
  test('Compliance 2: a service role is not applicable', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'R/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 account principal without MFA', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountPrincipal('111122223333') }), 'R/Resource', 'FAIL');
  });
  test('Noncompliance 3: MFA required but no MFA age bound', () => {
    const f = expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) }), 'R/Resource', 'FAIL');
    expect(f!.message).toMatch(/sets no aws:MultiFactorAuthAge bound/);
  });
  test('Noncompliance 4: an MFA age of a day is not recent', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:root' },
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '86400' } }) }), 'R', 'FAIL');
  });
  test('Unresolved 3: the MFA age is a parameter', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:root' },
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': param(s) } }) }), 'R', 'ERROR');
  });
  test('Noncompliance 2: L1 user principal without MFA', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:user/alice' }) }), 'R', 'FAIL');
  });
  test('Unresolved 1: the principal is a parameter', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: param(s) }, mfa) }), 'R', 'ERROR');
  });
  test('Unresolved 2: L2 account principal whose account is a parameter', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountPrincipal(param(s)).withConditions(mfa) }), 'R/Resource', 'ERROR');
  });
});

describe('IAMUserNoConsolePassword', () => {
  const rule = 'IAMUserNoConsolePassword';
  test('Compliance 1: L2 user without a password', () => {
    expectRule(rule, (s) => new iam.User(s, 'U'), 'U/Resource', 'PASS');
  });
  test('Noncompliance 1: L1 user with a login profile', () => {
    expectRule(rule, (s) => new iam.CfnUser(s, 'U', { loginProfile: { password: 'Initial-Password-1' } }), 'U', 'FAIL');
  });
  test('Unresolved 1: a password from a parameter is still a console password', () => {
    expectRule(rule, (s) => new iam.User(s, 'U', { password: SecretValue.unsafePlainText(param(s)) }), 'U/Resource', 'FAIL');
  });
});

describe('IAMNoAccessKeys', () => {
  const rule = 'IAMNoAccessKeys';
  test('Compliance 1: a user without keys has no finding', () => {
    expectRule(rule, (s) => new iam.User(s, 'U'), 'U/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 access key', () => {
    expectRule(rule, (s) => new iam.AccessKey(s, 'K', { user: new iam.User(s, 'U') }), 'K/Resource', 'FAIL');
  });
  test('Unresolved 1: an access key for a user named by a parameter is still a key', () => {
    expectRule(rule, (s) => new iam.CfnAccessKey(s, 'K', { userName: param(s) }), 'K', 'FAIL');
  });
});

describe('IAMPolicyNoWildcardAdmin', () => {
  const rule = 'IAMPolicyNoWildcardAdmin';
  test('Compliance 1: L2 policy with named actions on specific resources', () => {
    expectRule(rule, (s) => {
      const q = new sqs.Queue(s, 'Q');
      new iam.Policy(s, 'Pol', { users: [new iam.User(s, 'U')], statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [q.queueArn] })] });
    }, 'Pol/Resource', 'PASS');
  });
  test('Compliance 2: a boundary-only managed policy allowing * is a ceiling, not a grant', () => {
    expectRule(rule, (s) => {
      const boundary = new iam.ManagedPolicy(s, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
      new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: boundary });
    }, 'Boundary/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 policy allowing s3:* on *', () => {
    expectRule(rule, (s) => new iam.Policy(s, 'Pol', { roles: [new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') })], statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] }), 'Pol/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 role inline policy allowing * on *', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
      assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
      policies: [{ policyName: 'admin', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    }), 'R', 'FAIL');
  });
  test('Unresolved 1: the resource is a parameter', () => {
    expectRule(rule, (s) => new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['r'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: param(s) }] } }), 'Pol', 'ERROR');
  });
});

describe('IAMRolePermissionsBoundary', () => {
  const rule = 'IAMRolePermissionsBoundary';
  test('Compliance 1: L2 role with a boundary of the app', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      permissionsBoundary: new iam.ManagedPolicy(s, 'B', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }),
    }), 'R/Resource', 'PASS');
  });
  test('Compliance 2: L1 role with a literal boundary ARN', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: 'arn:aws:iam::111122223333:policy/boundary' }), 'R', 'PASS');
  });
  test('Noncompliance 1: L2 role without a boundary', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'R/Resource', 'FAIL');
  });
  test('Unresolved 1: the boundary is a parameter', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: param(s) }), 'R', 'ERROR');
  });
});

describe('IAMRoleHumanSessionDuration', () => {
  const rule = 'IAMRoleHumanSessionDuration';
  test('Compliance 1: L2 human role with one hour', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal().withConditions(mfa), maxSessionDuration: Duration.hours(1) }), 'R/Resource', 'PASS');
  });
  test('Compliance 2: a long service role session is not applicable', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), maxSessionDuration: Duration.hours(12) }), 'R/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 human role with twelve hours', () => {
    expectRule(rule, (s) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal(), maxSessionDuration: Duration.hours(12) }), 'R/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 SAML-federated role with four hours', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithSAML', Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/idp' } }] },
      maxSessionDuration: 14400,
    }), 'R', 'FAIL');
  });
  test('Unresolved 1: the trust principal is a parameter', () => {
    expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: param(s) }) }), 'R', 'ERROR');
  });
});

describe('ResourcePolicyNotPublic', () => {
  const rule = 'ResourcePolicyNotPublic';
  const open = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };
  test('Compliance 1: L2 key policy (account root)', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K'), 'K/Resource', 'PASS');
  });
  test('Compliance 2: Principal * narrowed by a condition', () => {
    expectRule(rule, (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ ...open, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }] } });
    }, 'Pol', 'PASS');
  });
  test('Noncompliance 1: L2 bucket policy granting everyone', () => {
    expectRule(rule, (s) => {
      const b = new s3.Bucket(s, 'B');
      b.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] }));
    }, 'B/Policy/Resource', 'FAIL');
  });
  test('Noncompliance 3: L2 key policy granting everyone (the L2 fast path defers to the rendered policy)', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K').addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'],
    })), 'K/Resource', 'FAIL');
  });
  test('Noncompliance 4: a condition that does not narrow the caller (TLS only) leaves it public', () => {
    expectRule(rule, (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ ...open, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] } });
    }, 'Pol', 'FAIL');
  });
  test('Noncompliance 5: L2 key policy open to everyone on TLS only', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K').addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'], conditions: { Bool: { 'aws:SecureTransport': 'true' } },
    })), 'K/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 queue policy granting everyone', () => {
    expectRule(rule, (s) => {
      const q = new sqs.CfnQueue(s, 'Q');
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [q.ref], policyDocument: { Statement: [{ ...open, Action: 'sqs:*' }] } });
    }, 'Pol', 'FAIL');
  });
  test('Unresolved 1: the principal is a parameter', () => {
    expectRule(rule, (s: Stack) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ ...open, Principal: { AWS: param(s) } }] } });
    }, 'Pol', 'ERROR');
  });
});
