import { App, Aws, CfnCondition, CfnParameter, CfnResource, Duration, Fn, SecretValue, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { AccountPasswordPolicy } from '../../../lib/constructs/account-password-policy';
import { ACCOUNT_PASSWORD_POLICY_METADATA } from '../../../lib/nag/rules/iam';
import { acknowledgeLesson } from '../../../lib/nag/acknowledge';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { l2CertainlyNotPublic } from '../../../lib/nag/rules/iam/l2-policy';
import { describeMetadata, expectRule, findingsOf, param } from '../helpers';

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
  test('Unresolved: a grant to everyone whose condition block is an Fn::If cannot be verified (it was read as a condition on keys named after the unresolved marker, never met: PASS)', () => {
    for (const op of ['StringEquals', 'StringNotEquals']) {
      expectRule(rule, (s) => {
        const prod = new CfnCondition(s, 'Prod', { expression: Fn.conditionEquals(param(s, 'Stage'), 'prod') });
        const b = new s3.CfnBucket(s, 'B');
        const block = Fn.conditionIf(prod.logicalId, { 'aws:PrincipalOrgID': 'o-abc' }, { 'aws:SourceVpce': 'vpce-1' });
        new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ ...open, Condition: { [op]: block } }] } });
      }, 'Pol', 'ERROR');
    }
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

describe('IAMAccountPasswordPolicyStrong', () => {
  const rule = 'IAMAccountPasswordPolicyStrong';
  const CIS = { MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true };
  const sdk = (parameters: Record<string, unknown>, service = 'IAM', action = 'updateAccountPasswordPolicy'): cr.AwsSdkCall =>
    ({ service, action, parameters, physicalResourceId: cr.PhysicalResourceId.of('password-policy') });
  const custom = (s: Stack, call: cr.AwsSdkCall, resourceType?: string) => new cr.AwsCustomResource(s, 'P', {
    resourceType, onCreate: call, onUpdate: call, policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  });
  const marked = (s: Stack, properties: Record<string, unknown>) => {
    const r = new CfnResource(s, 'P', { type: 'Custom::Anything', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f', ...properties } });
    r.addMetadata(ACCOUNT_PASSWORD_POLICY_METADATA, true);
  };
  test('Compliance 1: the AccountPasswordPolicy construct, recognized by its metadata marker', () => {
    const f = expectRule(rule, (s) => new AccountPasswordPolicy(s, 'PasswordPolicy'), 'PasswordPolicy/Resource/Resource/Default', 'PASS');
    expect(f?.resource.type).toBe('Custom::AccountPasswordPolicy');
  });
  test('Compliance 2: an unmarked AwsCustomResource (Custom::AWS) calling IAM UpdateAccountPasswordPolicy with the CIS values', () => {
    const f = expectRule(rule, (s) => custom(s, sdk({ ...CIS, MaxPasswordAge: 90 })), 'P/Resource/Default', 'PASS');
    expect(f?.resource.type).toBe('Custom::AWS');
  });
  test('Compliance 3: SDK v3 spelling (@aws-sdk/client-iam, UpdateAccountPasswordPolicyCommand) under a custom type', () => {
    expectRule(rule, (s) => custom(s, sdk(CIS, '@aws-sdk/client-iam', 'UpdateAccountPasswordPolicyCommand'), 'Custom::PasswordPolicy'), 'P/Resource/Default', 'PASS');
  });
  test('Noncompliance 1: length 8, no reuse prevention, no symbols', () => {
    const f = expectRule(rule, (s) => custom(s, sdk({ ...CIS, MinimumPasswordLength: 8, PasswordReusePrevention: undefined, RequireSymbols: false })), 'P/Resource/Default', 'FAIL');
    expect(f?.message).toMatch(/Create MinimumPasswordLength is 8, needs at least 14/);
    expect(f?.message).toMatch(/Create PasswordReusePrevention is unset, needs 24/);
    expect(f?.message).toMatch(/Create RequireSymbols is false, must be true/);
    expect(f?.message).toMatch(/Update MinimumPasswordLength is 8/);
  });
  test('Noncompliance 2: reuse prevention 5 and a missing character class', () => {
    const { RequireLowercaseCharacters: _omit, ...rest } = CIS;
    const f = expectRule(rule, (s) => custom(s, sdk({ ...rest, PasswordReusePrevention: 5 })), 'P/Resource/Default', 'FAIL');
    expect(f?.message).toMatch(/PasswordReusePrevention is 5, needs 24/);
    expect(f?.message).toMatch(/RequireLowercaseCharacters is unset, must be true/);
  });
  test('Noncompliance 3: a marked resource whose Create sends another call', () => {
    const f = expectRule(rule, (s) => marked(s, { Create: JSON.stringify(sdk(CIS, 'IAM', 'deleteAccountPasswordPolicy')) }), 'P', 'FAIL');
    expect(f?.message).toMatch(/Create calls IAM\.deleteAccountPasswordPolicy, not IAM UpdateAccountPasswordPolicy/);
  });
  test('Noncompliance 4: a marked resource with no Create call', () => {
    expect(expectRule(rule, (s) => marked(s, {}), 'P', 'FAIL')?.message).toMatch(/Create sends no call/);
  });
  test('Unresolved 1: a minimum length from a parameter cannot be verified', () => {
    expectRule(rule, (s) => custom(s, sdk({ ...CIS, MinimumPasswordLength: param(s, 'Length') })), 'P/Resource/Default', 'ERROR');
  });
  test('Unresolved 2: a marked resource whose Create is a parameter cannot be verified', () => {
    expectRule(rule, (s) => marked(s, { Create: param(s, 'Call') }), 'P', 'ERROR');
  });
  test('Not applicable: a custom resource making another SDK call has no finding', () => {
    expectRule(rule, (s) => custom(s, sdk({ Bucket: 'b' }, 'S3', 'listObjectsV2')), 'P/Resource/Default', 'N/A');
  });
});

describe('IAMTemplateNoUsersOrKeys', () => {
  const rule = 'IAMTemplateNoUsersOrKeys';
  test('Compliance 1: a template with no user and no key gets one PASS, on its first resource', () => {
    const all = findingsOf(rule, (s) => {
      new s3.Bucket(s, 'B');
      new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    });
    expect(all.map((f) => [f.status, f.resource.id, f.message])).toEqual([
      ['PASS', 'S/B/Resource', 'This template defines no IAM user with a console password and no access key'],
    ]);
  });
  test('Compliance 2: a user without a console password or key is not a breach of this control', () => {
    expect(findingsOf(rule, (s) => new iam.User(s, 'U')).map((f) => f.status)).toEqual(['PASS']);
  });
  test('Compliance 3: one finding per template, each judged on its own resources', () => {
    const app = new App();
    const clean = new Stack(app, 'Clean');
    new s3.Bucket(clean, 'B');
    const dirty = new Stack(app, 'Dirty');
    new s3.Bucket(dirty, 'B');
    new iam.AccessKey(dirty, 'K', { user: new iam.User(dirty, 'U') });
    const all = evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') });
    expect(all.map((f) => `${f.status} ${f.resource.id}`)).toEqual(['PASS Clean/B/Resource', 'FAIL Dirty/B/Resource']);
  });
  test('Noncompliance 1: the FAIL names every console-password user and access key of the template', () => {
    const all = findingsOf(rule, (s) => {
      new s3.Bucket(s, 'B');
      const u = new iam.CfnUser(s, 'Alice', { loginProfile: { password: 'Initial-Password-1' } });
      new iam.CfnAccessKey(s, 'Key', { userName: u.ref });
    });
    expect(all.map((f) => f.status)).toEqual(['FAIL']);
    expect(all[0].resource.id).toBe('S/B/Resource');
    expect(all[0].message).toMatch(/user Alice with a console password; access key Key/);
  });
  test('Unresolved 1: a console password from a parameter is still a console password', () => {
    const all = findingsOf(rule, (s) => new iam.User(s, 'U', { password: SecretValue.unsafePlainText(param(s)) }));
    expect(all.map((f) => f.status)).toEqual(['FAIL']);
  });
  test('Unresolved 2: a template with a transform cannot be attested (the resources it generates are unseen)', () => {
    const all = findingsOf(rule, (s) => {
      s.addTransform('AWS::Serverless-2016-10-31');
      new s3.Bucket(s, 'B');
    });
    expect(all.map((f) => f.status)).toEqual(['ERROR']);
    expect(all[0].message).toMatch(/cannot verify the template's generated resources: Transform AWS::Serverless-2016-10-31 is not expanded/);
  });
  test('Noncompliance 2: a transform does not hide the access key the template does define', () => {
    const all = findingsOf(rule, (s) => {
      s.addTransform('AWS::Serverless-2016-10-31');
      new iam.CfnAccessKey(s, 'Key', { userName: 'u' });
    });
    expect(all.map((f) => f.status)).toEqual(['FAIL']);
  });
  test('Acknowledgement: IAM-NOUSERS cannot be acknowledged on the anchor', () => {
    const all = findingsOf(rule, (s) => {
      const b = new s3.Bucket(s, 'B');
      acknowledgeLesson(b, { id: `BreachLessons-${rule}`, reason: 'the user is a temporary migration account', owner: 'identity-team', expires: '2027-01-01' });
      new iam.AccessKey(s, 'K', { user: new iam.User(s, 'U') });
    });
    expect(all.map((f) => f.status)).toEqual(['FAIL']);
    expect(all[0].message).toMatch(/cannot be acknowledged/);
  });
});

describe('what users read of the IAM rules', () => {
  describeMetadata('IAMAccountPasswordPolicyStrong', 'IAMGroupRequiresMFA', 'IAMNoAccessKeys', 'IAMPolicyNoWildcardAdmin', 'IAMRoleHumanSessionDuration',
    'IAMRolePermissionsBoundary', 'IAMRoleTrustRequiresMFA', 'IAMTemplateNoUsersOrKeys', 'IAMUserNoConsolePassword', 'ResourcePolicyNotPublic');
});

describe('IAMAccountPasswordPolicyStrong: thresholds, flags and calls it cannot read', () => {
  const rule = 'IAMAccountPasswordPolicyStrong';
  const CIS = { MinimumPasswordLength: 14, PasswordReusePrevention: 24, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true };
  const call = (parameters?: unknown, service = 'IAM', action = 'updateAccountPasswordPolicy') =>
    JSON.stringify({ service, action, ...(parameters === undefined ? {} : { parameters }), physicalResourceId: { id: 'password-policy' } });
  const resource = (s: Stack, properties: Record<string, unknown>, mark = true) => {
    const r = new CfnResource(s, 'P', { type: 'Custom::Anything', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f', ...properties } });
    if (mark) r.addMetadata(ACCOUNT_PASSWORD_POLICY_METADATA, true);
  };
  const judge = (parameters: unknown, status: 'PASS' | 'FAIL' | 'ERROR') => expectRule(rule, (s) => resource(s, { Create: call(parameters) }), 'P', status);

  test('14 characters and 24 remembered passwords pass; 13 or 23 fail and the FAIL says by how much', () => {
    judge(CIS, 'PASS');
    expect(judge({ ...CIS, MinimumPasswordLength: 13 }, 'FAIL')?.message).toContain('Create MinimumPasswordLength is 13, needs at least 14 (CIS 1.8)');
    expect(judge({ ...CIS, PasswordReusePrevention: 23 }, 'FAIL')?.message).toContain('Create PasswordReusePrevention is 23, needs 24 (CIS 1.9)');
  });
  test('a minimum length left out is the AWS default of 8, not a pass', () => {
    const { MinimumPasswordLength: _omit, ...rest } = CIS;
    expect(judge(rest, 'FAIL')?.message).toContain('Create MinimumPasswordLength is unset, needs at least 14 (CIS 1.8)');
  });
  test.each(['RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters'])('%s missing on its own fails', (k) => {
    const { [k as keyof typeof CIS]: _omit, ...rest } = CIS;
    expect(judge(rest, 'FAIL')?.message).toContain(`Create ${k} is unset, must be true`);
  });
  test('a maximum password age of any value is not a weakness this rule judges', () => {
    judge({ ...CIS, MaxPasswordAge: 90 }, 'PASS');
    judge({ ...CIS, MaxPasswordAge: 1095 }, 'PASS');
  });
  test('the AwsCustomResource boolean encoding: TRUE:BOOLEAN passes, FALSE:BOOLEAN fails', () => {
    judge({ ...CIS, RequireSymbols: 'TRUE:BOOLEAN' }, 'PASS');
    expect(judge({ ...CIS, RequireSymbols: 'FALSE:BOOLEAN' }, 'FAIL')?.message).toContain('Create RequireSymbols is FALSE:BOOLEAN, must be true');
  });
  test('a call with no parameters leaves the AWS defaults and fails', () => {
    expect(judge(undefined, 'FAIL')?.message).toContain('Create sends no parameters: AWS defaults are 8 characters and no reuse prevention');
  });
  test.each([['a string', '"x"'], ['null', 'null'], ['a list', '[14]']])('parameters that are %s cannot be verified', (_what, shown) => {
    expect(judge(JSON.parse(shown), 'ERROR')?.message).toContain(`cannot verify Create parameters: unresolved value ${shown}`);
  });
  test('unresolvable values are ERRORs that name the parameter, never a PASS', () => {
    const named = (k: string) => expectRule(rule, (s) => resource(s, { Create: call({ ...CIS, [k]: { Ref: 'P' } }) }), 'P', 'ERROR')?.message;
    expect(named('MinimumPasswordLength')).toContain('cannot verify Create MinimumPasswordLength');
    expect(named('PasswordReusePrevention')).toContain('cannot verify Create PasswordReusePrevention');
    expect(named('RequireNumbers')).toContain('cannot verify Create RequireNumbers');
  });
  test.each([['null', 'null'], ['a list', '[1]'], ['a number', '42'], ['a string', '"update"'], ['not JSON', 'updateAccountPasswordPolicy(']])(
    'a marked resource whose Create is %s is not an SDK call: ERROR', (_what, create) => {
      expect(expectRule(rule, (s) => resource(s, { Create: create }), 'P', 'ERROR')?.message).toContain(`cannot verify Create: not an SDK call ${JSON.stringify(create)}`);
    });
  test('a marked resource whose Create is a parameter: the ERROR says the value is unresolved', () => {
    expect(expectRule(rule, (s) => resource(s, { Create: param(s, 'Call') }), 'P', 'ERROR')?.message).toContain('cannot verify Create: unresolved value {"Ref":"Call"}');
  });
  test('an unmarked custom resource with an unreadable call that does not name the policy has no finding', () => {
    expectRule(rule, (s) => resource(s, { Create: param(s, 'Call') }, false), 'P', 'N/A');
    expectRule(rule, (s) => resource(s, {}, false), 'P', 'N/A');
  });
  test('Update may be left out: the policy Create set stays', () => {
    judge(CIS, 'PASS');
  });
  test.each([
    ['another service with the same action name', 'Organizations', 'updateAccountPasswordPolicy'],
    ['the v3 prefix not at the start of the service', 'iam@aws-sdk/client-', 'updateAccountPasswordPolicy'],
    ['Command not at the end of the action', 'IAM', 'CommandUpdateAccountPasswordPolicy'],
  ])('a marked resource calling %s never sets the policy: FAIL', (_what, service, action) => {
    const f = expectRule(rule, (s) => resource(s, { Create: call(CIS, service, action) }), 'P', 'FAIL');
    expect(f?.message).toContain(`Create calls ${service}.${action}, not IAM UpdateAccountPasswordPolicy`);
  });
});

describe('IAM role boundaries and session length: both sides', () => {
  test('a boundary ARN built from pseudo parameters is a literal boundary: PASS', () => {
    expectRule('IAMRolePermissionsBoundary', (s) => new iam.CfnRole(s, 'R', {
      assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/boundary`,
    }), 'R', 'PASS');
  });
  test('a boundary pointing at a resource that is not a managed policy cannot be verified', () => {
    expectRule('IAMRolePermissionsBoundary', (s) => new iam.CfnRole(s, 'R', {
      assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: new s3.Bucket(s, 'B').bucketArn,
    }), 'R', 'ERROR');
  });
  test('a boundary from a parameter: the ERROR names PermissionsBoundary', () => {
    const f = expectRule('IAMRolePermissionsBoundary', (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: param(s) }), 'R', 'ERROR');
    expect(f?.message).toContain('cannot verify PermissionsBoundary');
  });
  const human = (s: Stack, maxSessionDuration?: unknown) => new iam.CfnRole(s, 'R', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithSAML', Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/idp' } }] },
    maxSessionDuration: maxSessionDuration as number | undefined,
  });
  test('a human session of 3600 seconds passes, 3601 fails, unset is the one-hour default', () => {
    expectRule('IAMRoleHumanSessionDuration', (s) => human(s, 3600), 'R', 'PASS');
    expectRule('IAMRoleHumanSessionDuration', (s) => human(s, 3601), 'R', 'FAIL');
    expectRule('IAMRoleHumanSessionDuration', (s) => human(s), 'R', 'PASS');
  });
  test('a human session length from a parameter: the ERROR names MaxSessionDuration', () => {
    const f = expectRule('IAMRoleHumanSessionDuration', (s) => human(s, new CfnParameter(s, 'Max', { type: 'Number' }).valueAsNumber), 'R', 'ERROR');
    expect(f?.message).toContain('cannot verify MaxSessionDuration');
  });
});

describe('IAMTemplateNoUsersOrKeys: what it counts', () => {
  const rule = 'IAMTemplateNoUsersOrKeys';
  test('a custom resource with a property called LoginProfile is not an IAM user', () => {
    const all = findingsOf(rule, (s) => new CfnResource(s, 'C', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f', LoginProfile: { Password: 'x' } } }));
    expect(all.map((f) => f.status)).toEqual(['PASS']);
  });
  test('the ERROR names every unexpanded transform', () => {
    const all = findingsOf(rule, (s) => {
      s.addTransform('AWS::Serverless-2016-10-31');
      s.addTransform('AWS::LanguageExtensions');
      new s3.Bucket(s, 'B');
    });
    expect(all.map((f) => f.status)).toEqual(['ERROR']);
    expect(all[0].message).toContain('Transform AWS::Serverless-2016-10-31, AWS::LanguageExtensions is not expanded');
  });
});

describe('MFA trust and group survivors (what an intruder without MFA reaches)', () => {
  const rule = 'IAMRoleTrustRequiresMFA';
  const ROOT = 'arn:aws:iam::111122223333:root';
  const cfnRole = (statement: unknown, extra: Record<string, unknown> = {}) => (s: Stack) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: { Version: '2012-10-17', Statement: statement }, ...extra });
  const allow = (principal: unknown, more: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...more });
  const messages = (build: (s: Stack) => void) => findingsOf(rule, build).filter((f) => f.status === 'FAIL').map((f) => f.message).join('\n');

  test('the FAIL names the statement, the problem, and both the stolen access key user and a chained role session of the account', () => {
    const m = messages(cfnRole([allow({ AWS: ROOT }, { Sid: 'People' })]));
    expect(m).toMatch(/trust statement .*People.* does not require MFA/);
    expect(m).toContain('arn:aws:iam::111122223333:user/');
    expect(m).toContain('arn:aws:sts::111122223333:assumed-role/');
  });
  test('a bare 12-digit account principal without MFA fails', () => {
    expectRule(rule, cfnRole([allow({ AWS: '111122223333' })]), 'R', 'FAIL');
  });
  test('Principal "*" and AWS "*" without MFA fail: any account\'s access key walks in', () => {
    expectRule(rule, cfnRole([allow('*')]), 'R', 'FAIL');
    expectRule(rule, cfnRole([allow({ AWS: '*' })]), 'R', 'FAIL');
  });
  test('a list of principals is examined principal by principal', () => {
    expectRule(rule, cfnRole([allow({ AWS: ['arn:aws:iam::444455556666:role/Ci', ROOT] })]), 'R', 'FAIL');
    const m = messages(cfnRole([allow({ AWS: ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/bob'] })]));
    expect(m).toContain('user/alice');
    expect(m).toContain('user/bob');
  });
  test('a single statement object (not a list) is examined', () => {
    expectRule(rule, cfnRole(allow({ AWS: ROOT })), 'R', 'FAIL');
  });
  test('a statement admitting a person and a service together still needs MFA', () => {
    expectRule(rule, cfnRole([allow({ AWS: ROOT, Service: 'lambda.amazonaws.com' })]), 'R', 'FAIL');
  });
  test('an L1 role trusting only a service is not applicable (not PASS)', () => {
    expectRule(rule, cfnRole([allow({ Service: 'lambda.amazonaws.com' })]), 'R', 'N/A');
  });
  test('a Deny or a non-assume Allow naming people does not make a service role a human role', () => {
    expectRule(rule, cfnRole([allow({ Service: 'lambda.amazonaws.com' }), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: '*' } }]), 'R', 'N/A');
    expectRule(rule, cfnRole([allow({ Service: 'lambda.amazonaws.com' }), allow({ AWS: ROOT }, { Action: 'sts:TagSession' })]), 'R', 'N/A');
  });
  test('a NotAction trust statement admits AssumeRole and needs MFA', () => {
    expectRule(rule, cfnRole([{ Effect: 'Allow', NotAction: 'sts:TagSession', Principal: { AWS: ROOT } }]), 'R', 'FAIL');
  });
  test('assume actions are recognised in any case and among other actions', () => {
    expectRule(rule, cfnRole([allow({ AWS: ROOT }, { Action: 'STS:AssumeRole' })]), 'R', 'FAIL');
    expectRule(rule, cfnRole([allow({ AWS: ROOT }, { Action: ['sts:TagSession', 'sts:AssumeRole'] })]), 'R', 'FAIL');
  });
  test('an Allow NotPrincipal next to an MFA-bound statement is an ERROR that says why, whatever it grants', () => {
    const notPrincipal = (action: string) => ({ Effect: 'Allow', Action: action, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/alice' } });
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      const f = expectRule(rule, cfnRole([allow({ AWS: ROOT }, { Condition: mfa }), notPrincipal(action)]), 'R', 'ERROR');
      expect(f!.message).toMatch(/NotPrincipal is only valid with Effect "Deny"/);
    }
  });
  test('a Deny statement beside an MFA-bound trust leaves it compliant', () => {
    expectRule(rule, cfnRole([allow({ AWS: ROOT }, { Condition: mfa }), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::444455556666:root' } }]), 'R', 'PASS');
  });
  test('two statements admitting without MFA are both named', () => {
    const m = messages(cfnRole([allow({ AWS: ROOT }, { Sid: 'First' }), allow({ AWS: ROOT }, { Sid: 'Second' })]));
    expect(m).toMatch(/\bFirst\b.*\bSecond\b/);
  });
  test('the cannot-verify ERROR names what is unknown', () => {
    const f = findingsOf(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ AWS: ROOT },
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': param(s, 'MaxAge') } }) }));
    expect(f.map((x) => `${x.status} ${x.message}`).join('\n')).toMatch(/ERROR .*cannot verify.*MaxAge/);
  });

  test('an unresolvable principal or action anywhere in the trust is an ERROR naming what is unknown', () => {
    const e1 = expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: { Statement: [allow({ AWS: ROOT }, { Condition: mfa }),
      allow({ AWS: param(s, 'WhoTags') }, { Action: 'sts:TagSession' })] } }), 'R', 'ERROR');
    expect(e1!.message).toMatch(/trust principal.*WhoTags/);
    const e2 = expectRule(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: { Statement: [allow({ AWS: ROOT }, { Condition: mfa, Action: param(s, 'WhatAction') })] } }), 'R', 'ERROR');
    expect(e2!.message).toMatch(/trust Action/);
  });

  test('a workload role trusted beside an MFA-bound people statement is not reported as a person without MFA', () => {
    expectRule(rule, cfnRole([allow({ AWS: ROOT }, { Condition: mfa }), allow({ AWS: 'arn:aws:iam::111122223333:role/Ci' })]), 'R', 'PASS');
  });

  const session = 'IAMRoleHumanSessionDuration';
  test('session duration: a SAML statement among other actions, in any case, is a human role', () => {
    const saml = (action: unknown) => cfnRole([{ Effect: 'Allow', Action: action, Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/idp' } }], { maxSessionDuration: 14400 });
    expectRule(session, saml(['sts:AssumeRoleWithSAML', 'sts:TagSession']), 'R', 'FAIL');
    expectRule(session, saml('sts:assumerolewithsaml'), 'R', 'FAIL');
  });
  test('session duration: one human statement among service ones, or a mixed statement, makes a human role', () => {
    expectRule(session, cfnRole([allow({ Service: 'ec2.amazonaws.com' }), allow({ AWS: ROOT })], { maxSessionDuration: 43200 }), 'R', 'FAIL');
    expectRule(session, cfnRole([allow({ AWS: ROOT, Service: 'ec2.amazonaws.com' })], { maxSessionDuration: 43200 }), 'R', 'FAIL');
  });
  test('session duration: an L1 service role with a long session is not applicable', () => {
    expectRule(session, cfnRole([allow({ Service: 'ec2.amazonaws.com' })], { maxSessionDuration: 43200 }), 'R', 'N/A');
  });

  test('group: without any policy the FAIL says no policy denies requests without MFA', () => {
    const f = expectRule('IAMGroupRequiresMFA', (s) => new iam.CfnGroup(s, 'G'), 'G', 'FAIL');
    expect(f!.message).toMatch(/no policy denies requests without MFA/);
  });
  test('group: an unresolvable deny condition gives an ERROR saying what could not be verified', () => {
    const f = expectRule('IAMGroupRequiresMFA', (s) => new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMFA', policyDocument: {
      Statement: [{ Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': param(s) } } }],
    } }] }), 'G', 'ERROR');
    expect(f!.message).toMatch(/requests without MFA are denied/);
  });
});

describe('ResourcePolicyNotPublic: what a statement on NotResource or Resource "*" reaches', () => {
  const rule = 'ResourcePolicyNotPublic';
  const everyone = (extra: Record<string, unknown>) => ({ Effect: 'Allow', Principal: '*', ...extra });
  const topicPolicy = (s: Stack, n: number, statement: (arns: string[]) => Record<string, unknown>) => {
    const topics = Array.from({ length: n }, (_, i) => new sns.CfnTopic(s, `T${i}`));
    new sns.CfnTopicPolicy(s, 'Pol', { topics: topics.map((t) => t.ref), policyDocument: { Statement: [statement(topics.map((t) => t.ref))] } });
  };
  test('a topic policy statement excluding its only topic (NotResource) admits no one to it', () => {
    expectRule(rule, (s) => topicPolicy(s, 1, (arns) => everyone({ Action: 'sns:Publish', NotResource: arns })), 'Pol', 'PASS');
  });
  test('a topic policy over two topics whose statement excludes both admits no one (each topic is tried by its own ARN)', () => {
    expectRule(rule, (s) => topicPolicy(s, 2, (arns) => everyone({ Action: 'sns:Publish', NotResource: arns })), 'Pol', 'PASS');
  });
  test('a topic policy over three topics whose statement excludes two still opens the third', () => {
    const f = expectRule(rule, (s) => topicPolicy(s, 3, (arns) => everyone({ Action: 'sns:Publish', NotResource: arns.slice(0, 2) })), 'Pol', 'FAIL');
    expect(f!.message).toMatch(/sns:Publish/);
    expect(f!.message).toMatch(/a wildcard principal is not limited to the own account or organization/);
  });
  test('a topic the rule cannot resolve is not excluded by a NotResource naming the others', () => {
    expectRule(rule, (s) => {
      const t = new sns.CfnTopic(s, 'T');
      new sns.CfnTopicPolicy(s, 'Pol', { topics: [t.ref, param(s)], policyDocument: { Statement: [everyone({ Action: 'sns:Publish', NotResource: [t.ref] })] } });
    }, 'Pol', 'FAIL');
  });
  test('a queue policy statement excluding its queue by ARN admits no one to it; excluding another queue does', () => {
    const build = (excludeOwn: boolean) => (s: Stack) => {
      const q = new sqs.CfnQueue(s, 'Q');
      const other = new sqs.CfnQueue(s, 'Other');
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [q.ref], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', NotResource: (excludeOwn ? q : other).attrArn })] } });
    };
    expectRule(rule, build(true), 'Pol', 'PASS');
    expectRule(rule, build(false), 'Pol', 'FAIL');
  });
  test('a bucket policy excluding its bucket and objects admits no one; a literal bucket name is the bucket too', () => {
    expectRule(rule, (s) => {
      const b = new s3.Bucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.bucketName, policyDocument: { Statement: [everyone({ Action: 's3:GetObject', NotResource: [b.bucketArn, b.arnForObjects('*')] })] } });
    }, 'Pol', 'PASS');
    expectRule(rule, (s) => new s3.CfnBucketPolicy(s, 'Pol', { bucket: 'customer-exports', policyDocument: { Statement: [everyone({
      Action: 's3:GetObject', NotResource: ['arn:aws:s3:::customer-exports', 'arn:aws:s3:::customer-exports/*'],
    })] } }), 'Pol', 'PASS');
    expectRule(rule, (s) => new s3.CfnBucketPolicy(s, 'Pol', { bucket: 'customer-exports', policyDocument: { Statement: [everyone({
      Action: 's3:GetObject', NotResource: ['arn:aws:s3:::other-bucket/*'],
    })] } }), 'Pol', 'FAIL');
  });
  test('a key without a KeyPolicy gets the default policy (the account only): not public', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K'), 'K', 'PASS');
  });
  test('only a wildcard principal is judged here: a grant naming another account is not "public"', () => {
    expectRule(rule, (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 's3:GetObject', Resource: '*' }] } });
    }, 'Pol', 'PASS');
  });
  test('the same open document on a key and on a queue names the action each one exposes', () => {
    const doc = { Statement: [everyone({ Action: '*', Resource: '*' })] };
    const all = findingsOf(rule, (s) => {
      new kms.CfnKey(s, 'K', { keyPolicy: doc });
      const q = new sqs.CfnQueue(s, 'Q');
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [q.ref], policyDocument: doc });
    });
    const msg = (p: string) => all.find((f) => f.resource.id === `S/${p}`)!.message;
    expect(msg('K')).toMatch(/kms:Decrypt/);
    expect(msg('Pol')).toMatch(/sqs:ReceiveMessage/);
  });
});

describe('ResourcePolicyNotPublic: an AWS service delivering for an outsider\'s resource (confused deputy)', () => {
  const rule = 'ResourcePolicyNotPublic';
  const queueWith = (condition: Record<string, unknown>, account?: string) => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { region: 'us-east-1', ...(account ? { account } : {}) } });
    const q = new sqs.CfnQueue(s, 'Q');
    new sqs.CfnQueuePolicy(s, 'Pol', { queues: [q.ref], policyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: q.attrArn, Condition: condition }] } });
    return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z'), organizationId: 'o-own1234567' }).find((f) => f.resource.id === 'S/Pol')!;
  };
  test('aws:SourceArn with a wildcard account admits any account\'s topic of that name: FAIL naming the service and the outsider\'s topic', () => {
    const f = queueWith({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:orders' } }, '111122223333');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/sns\.amazonaws\.com acting for arn:aws:sns:any:444455556666:orders/);
  });
  test('aws:SourceArn of an own topic passes; of another account\'s topic fails', () => {
    expect(queueWith({ ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:orders' } }, '111122223333').status).toBe('PASS');
    const f = queueWith({ ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:999988887777:orders' } }, '111122223333');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/account 999988887777/);
  });
  test('aws:SourceAccount of the own account passes; of another account fails; unknown own account cannot be verified', () => {
    expect(queueWith({ StringEquals: { 'aws:SourceAccount': '111122223333' } }, '111122223333').status).toBe('PASS');
    expect(queueWith({ StringEquals: { 'aws:SourceAccount': '999988887777' } }, '111122223333').status).toBe('FAIL');
    expect(queueWith({ StringEquals: { 'aws:SourceAccount': '999988887777' } }).status).toBe('ERROR');
  });
  test('aws:SourceOrgID of the own organization passes; of another organization fails', () => {
    expect(queueWith({ StringEquals: { 'aws:SourceOrgID': 'o-own1234567' } }, '111122223333').status).toBe('PASS');
    expect(queueWith({ StringEquals: { 'aws:SourceOrgID': 'o-other123456' } }, '111122223333').status).toBe('FAIL');
  });
  test('aws:SourceArn of any bucket (S3 ARNs carry no account) admits an outsider\'s bucket notifications; a literal bucket does not', () => {
    const f = queueWith({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::uploads-*' } }, '111122223333');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/s3\.amazonaws\.com acting for arn:aws:s3:::uploads-any \(account 444455556666/);
    expect(queueWith({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::uploads-*' }, StringEquals: { 'aws:SourceAccount': '111122223333' } }, '111122223333').status).toBe('PASS');
    expect(queueWith({ ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::customer-uploads' } }, '111122223333').status).toBe('PASS');
  });
  test('a source condition that is negated admits every other account\'s service delivery', () => {
    expect(queueWith({ StringNotEquals: { 'aws:SourceAccount': '999988887777' } }, '111122223333').status).toBe('FAIL');
  });
});

/**
 * The permissions boundaries of the app as lib/nag/rules/iam/boundaries.ts finds them, seen through the
 * rule that reads them (CloudTrailPipelineBoundaryProtected: every boundary must deny stopping the trail).
 * A boundary that does not bound (it allows "*"), wherever it is found, fails; one that cannot be read is
 * cannot verify, never a pass.
 */
describe('permissions boundaries of the app: what counts as a boundary and what it is called', () => {
  const rule = 'CloudTrailPipelineBoundaryProtected';
  const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
  const denyTrail = { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' };
  /**
   * A boundary the bounded role may remove, rewrite or create principals without bounds nothing (the rule
   * asks, see cloudtrail-pipeline-boundary.test.ts), so the passing boundaries here deny all of it.
   */
  const keepBoundary = {
    Effect: 'Deny', Resource: '*',
    Action: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:CreateRole', 'iam:CreateUser'],
  };
  /** A managed policy of the app, optionally with a literal name and path. */
  const managed = (s: Stack, statements: Record<string, unknown>[], props: { id?: string; name?: string; path?: string } = {}) =>
    new iam.ManagedPolicy(s, props.id ?? 'Guard', { managedPolicyName: props.name, path: props.path, document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }) });
  /** An L2 role carrying `boundary`. */
  const l2Role = (s: Stack, boundary?: iam.IManagedPolicy, id = 'Ops', roleName?: string) =>
    new iam.Role(s, id, { assumedBy: new iam.AccountRootPrincipal(), roleName, permissionsBoundary: boundary });
  /** An L1 role whose PermissionsBoundary is exactly `boundary`. */
  const l1Role = (s: Stack, boundary: string, id = 'Ops') =>
    new iam.CfnRole(s, id, { assumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:root' }), permissionsBoundary: boundary });
  const CIS_TRAIL_CHANGES = CIS_METRIC_FILTERS.find((c) => c.cis === '4.5')!.pattern;
  const namedTrail = (s: Stack) => new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'archive', trailName: 'sec-trail' });

  test('a boundary of the app given by reference is judged: a deny of every CloudTrail action passes, "*" alone fails naming it', () => {
    expectRule(rule, (s) => { l2Role(s, managed(s, [allowAll, denyTrail, keepBoundary])); namedTrail(s); }, 'T', 'PASS');
    const f = expectRule(rule, (s) => { l2Role(s, managed(s, [allowAll])); namedTrail(s); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/under the boundary S\/Guard\/Resource, .*may call cloudtrail:StopLogging/);
  });

  test('a boundary ARN that ends in the literal name of a managed policy of the app is that policy (with or without a path, any account form)', () => {
    const arns = [
      'arn:aws:iam::111122223333:policy/pipeline-guard',
      'arn:aws:iam::111122223333:policy/security/pipeline-guard',
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/pipeline-guard`,
    ];
    for (const i of [0, 1, 2]) {
      const f = expectRule(rule, (s) => { managed(s, [allowAll], { name: 'pipeline-guard', path: '/security/' }); l1Role(s, arns[i]); namedTrail(s); }, 'T', 'FAIL');
      expect(f!.message).toMatch(/under the boundary S\/Guard\/Resource, .*may call cloudtrail:StopLogging/);
      expectRule(rule, (s) => { managed(s, [allowAll, denyTrail, keepBoundary], { name: 'pipeline-guard' }); l1Role(s, arns[i]); namedTrail(s); }, 'T', 'PASS');
    }
  });

  test('an AWS managed policy as boundary is read from the catalogue and named as such: AdministratorAccess fails, ReadOnlyAccess passes', () => {
    const f = expectRule(rule, (s) => { l2Role(s, iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')); namedTrail(s); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/under the boundary AWS managed policy AdministratorAccess, .*may call cloudtrail:StopLogging/);
    expectRule(rule, (s) => { l2Role(s, iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')); namedTrail(s); }, 'T', 'PASS');
  });

  test('a boundary outside the app cannot be verified: the ERROR names its ARN', () => {
    const f = expectRule(rule, (s) => { l1Role(s, 'arn:aws:iam::111122223333:policy/OrgGuard'); namedTrail(s); }, 'T', 'ERROR');
    expect(f!.message).toContain('the permissions boundary arn:aws:iam::111122223333:policy/OrgGuard is not in the app');
  });

  test('a parameter as boundary cannot be verified (never PASS, never "no boundary"): the ERROR names the role and the value', () => {
    const f = expectRule(rule, (s) => { l1Role(s, param(s, 'Boundary')); namedTrail(s); }, 'T', 'ERROR');
    expect(f!.message).toContain('the permissions boundary of S/Ops is an unresolved value {"Ref":"Boundary"}');
  });

  test('a boundary of the app whose document is a parameter cannot be verified: the ERROR names the role whose boundary it is and what could not be read', () => {
    const f = expectRule(rule, (s) => {
      const doc = new iam.CfnManagedPolicy(s, 'Guard', { policyDocument: new CfnParameter(s, 'Doc').value });
      l1Role(s, doc.ref);
      namedTrail(s);
    }, 'T', 'ERROR');
    // which boundary: the role carrying it is named (an app has many roles and boundaries)
    expect(f!.message).toContain('(cannot verify the permissions boundaries protect the trail: the permissions boundary of S/Ops: cannot verify the policy document: unresolved value {"Ref":"Doc"})');
  });

  test('every role sharing a boundary is tried: a deny that exempts the first role by name fails, naming that role', () => {
    const f = expectRule(rule, (s) => {
      const b = managed(s, [allowAll, { ...denyTrail, Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/first-admin' } } }]);
      l2Role(s, b, 'First', 'first-admin');
      l2Role(s, b, 'Second', 'second-admin');
      namedTrail(s);
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/S\/First\/Resource .*may call cloudtrail:StopLogging/);
  });

  test('a role without a boundary beside a bounded one is ignored, not an unreadable boundary', () => {
    expectRule(rule, (s) => { l2Role(s, managed(s, [allowAll, denyTrail, keepBoundary])); l2Role(s, undefined, 'Plain'); namedTrail(s); }, 'T', 'PASS');
  });

  test('an IAM user carrying a boundary that allows "*" fails, naming the user', () => {
    const f = expectRule(rule, (s) => { new iam.User(s, 'Dev', { permissionsBoundary: managed(s, [allowAll]) }); namedTrail(s); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/S\/Dev\/Resource with an access key may call cloudtrail:StopLogging/);
  });

  test('log groups are matched by their literal name (a CIS filter naming it); a log group named by a parameter is judged too (by reference), not an ERROR', () => {
    const f = expectRule(rule, (s) => {
      l2Role(s);
      new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      new logs.CfnMetricFilter(s, 'F', { logGroupName: 'sec-logs', filterPattern: CIS_TRAIL_CHANGES, metricTransformations: [{ metricNamespace: 'CIS', metricName: 'F', metricValue: '1' }] });
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/the CIS metric filter S\/F reads it/);
    const g = expectRule(rule, (s) => {
      l2Role(s);
      const group = new logs.LogGroup(s, 'Other', { logGroupName: param(s, 'Name') });
      group.addMetricFilter('Cis45', { filterPattern: logs.FilterPattern.literal(CIS_TRAIL_CHANGES), metricNamespace: 'CIS', metricName: 'TrailChanges' });
    }, 'Other/Resource', 'FAIL');
    expect(g!.message).toMatch(/no role or user of the app in the log group's account has a permissions boundary.*the CIS metric filter S\/Other\/Cis45\/Resource reads it/);
  });
});

/**
 * Policies built with iam.PolicyDocument are first read from the construct (lib/nag/rules/iam/l2-policy.ts):
 * only an answer certain from the L2 objects may be taken there. Everyone, a parameter, an account id partly
 * from a parameter, or a NotPrincipal must reach the rendered policy and fail or be cannot verify.
 */
describe('L2 resource policies: which principals are taken as certainly not everyone', () => {
  const rule = 'ResourcePolicyNotPublic';
  /** An L2 bucket whose policy holds the statement `st` builds. */
  const bucket = (st: (s: Stack) => iam.PolicyStatement) => (s: Stack) => { new s3.Bucket(s, 'B').addToResourcePolicy(st(s)); };
  const grant = (principals: iam.IPrincipal[]) => new iam.PolicyStatement({ principals, actions: ['s3:GetObject'], resources: ['*'] });

  test('fails when everyone is admitted as an L2 ArnPrincipal("*") or a StarPrincipal', () => {
    for (const p of [new iam.ArnPrincipal('*'), new iam.StarPrincipal()]) {
      const f = expectRule(rule, bucket(() => grant([p])), 'B/Policy/Resource', 'FAIL');
      expect(f!.message).toMatch(/may call s3:GetObject|call s3:GetObject: a wildcard principal is not limited/);
    }
  });
  test('fails when one statement names a service and everyone together', () => {
    expectRule(rule, bucket(() => grant([new iam.ServicePrincipal('logging.s3.amazonaws.com'), new iam.AnyPrincipal()])), 'B/Policy/Resource', 'FAIL');
  });
  test('cannot verify a principal ARN or account from a parameter, nor an account id built partly from one (never PASS)', () => {
    expectRule(rule, bucket((s) => grant([new iam.ArnPrincipal(param(s))])), 'B/Policy/Resource', 'ERROR');
    expectRule(rule, bucket((s) => grant([new iam.AccountPrincipal(param(s))])), 'B/Policy/Resource', 'ERROR');
    expectRule(rule, bucket((s) => grant([new iam.AccountPrincipal(`${param(s)}123456789012`)])), 'B/Policy/Resource', 'ERROR');
    expectRule(rule, bucket((s) => grant([new iam.AccountPrincipal(`123456789012${param(s)}`)])), 'B/Policy/Resource', 'ERROR');
  });
  test('an Allow with NotPrincipal (everyone but the named) is an ERROR that says why, not a pass', () => {
    const f = expectRule(rule, bucket(() => new iam.PolicyStatement({
      notPrincipals: [new iam.ArnPrincipal('arn:aws:iam::123456789012:role/Auditor')], actions: ['s3:GetObject'], resources: ['*'],
    })), 'B/Policy/Resource', 'ERROR');
    expect(f!.message).toMatch(/NotPrincipal is only valid with Effect "Deny"/);
  });
  test('an L1 key without a key policy passes: CloudFormation gives it the account\'s default policy', () => {
    expectRule(rule, (s) => { new kms.CfnKey(s, 'K', {}); }, 'K', 'PASS');
  });
});

describe('L2 trust policies: a role only services assume', () => {
  const session = 'IAMRoleHumanSessionDuration';
  const mfaRule = 'IAMRoleTrustRequiresMFA';
  /** An L2 role for EC2 with a twelve-hour session, and the statement `extra` added to its trust policy. */
  const ec2Role = (extra: (s: Stack) => iam.PolicyStatement) => (s: Stack) => {
    new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), maxSessionDuration: Duration.hours(12) }).assumeRolePolicy!.addStatements(extra(s));
  };
  test('services only, whatever the actions say (even a parameter): not a human role, no MFA needed', () => {
    const build = ec2Role((s) => new iam.PolicyStatement({ actions: [param(s)], principals: [new iam.ServicePrincipal('lambda.amazonaws.com')] }));
    expectRule(session, build, 'R/Resource', 'N/A');
    expectRule(mfaRule, build, 'R/Resource', 'N/A');
  });
  test('a statement admitting the account beside the service statement makes a human role', () => {
    const f = expectRule(session, ec2Role(() => new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [new iam.AccountRootPrincipal()] })), 'R/Resource', 'FAIL');
    expect(f!.message).toMatch(/longer than one hour/);
  });
  test('one statement naming a service and the account together makes a human role', () => {
    expectRule(session, (s) => {
      new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({
        actions: ['sts:AssumeRole'], principals: [new iam.ServicePrincipal('ec2.amazonaws.com'), new iam.AccountRootPrincipal()],
      })] }), maxSessionDuration: 43200 });
    }, 'R', 'FAIL');
  });
});

describe('L2 resource policies read before resolution: what is certain without the rendered policy', () => {
  const doc = (...statements: iam.PolicyStatement[]) => new iam.PolicyDocument({ statements });
  const allow = (...principals: iam.IPrincipal[]) => new iam.PolicyStatement({ principals, actions: ['s3:GetObject'], resources: ['*'] });
  const denyEveryone = () => new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:DeleteObject'], resources: ['*'] });
  test('certainly not public: a service, the own account root, a 12-digit account, a literal role ARN, with or without a Deny to everyone', () => {
    for (const p of [new iam.ServicePrincipal('logging.s3.amazonaws.com'), new iam.AccountRootPrincipal(), new iam.AccountPrincipal('123456789012'), new iam.ArnPrincipal('arn:aws:iam::123456789012:role/Reader')]) {
      expect(l2CertainlyNotPublic(doc(allow(p)))).toBe(true);
      expect(l2CertainlyNotPublic(doc(allow(p), denyEveryone()))).toBe(true);
    }
  });
  test('unsure, so left to the rendered policy: everyone, a parameter, an account id that is not 12 digits, a NotPrincipal, a policy that is not an L2 document', () => {
    const s = new Stack();
    for (const p of [new iam.AnyPrincipal(), new iam.ArnPrincipal('*'), new iam.StarPrincipal(), new iam.ArnPrincipal(param(s, 'Arn')),
      new iam.AccountPrincipal(param(s, 'Account')), new iam.AccountPrincipal('12345'), new iam.AccountPrincipal('????????????')]) {
      expect(l2CertainlyNotPublic(doc(allow(p)))).toBeUndefined();
    }
    expect(l2CertainlyNotPublic(doc(new iam.PolicyStatement({ notPrincipals: [new iam.ArnPrincipal('arn:aws:iam::123456789012:role/Reader')], actions: ['s3:GetObject'], resources: ['*'] })))).toBeUndefined();
    expect(l2CertainlyNotPublic({ Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' }] })).toBeUndefined();
    expect(l2CertainlyNotPublic(undefined)).toBeUndefined();
  });
});

/**
 * Admin grants spelled so a naive check misses them: a service wildcard in another spelling, a
 * resource pattern as wide as "*", a boundary that is also attached as a grant, and an IAM wildcard
 * that lets the holder grant itself anything. Each is judged in an L1 document (the resolved path)
 * and, where the L2 fast path could answer first, in an L2 one.
 */
describe('IAMPolicyNoWildcardAdmin: admin wildcards in other spellings', () => {
  const rule = 'IAMPolicyNoWildcardAdmin';
  const ROLE = 'arn:aws:iam::123456789012:role/app';
  /** An L1 policy attached to a role holding `statements`. */
  const l1 = (statements: Record<string, unknown>[]) => (s: Stack) => {
    new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['app'], policyDocument: { Version: '2012-10-17', Statement: statements } });
  };
  /** An L2 policy attached to a role holding one statement. */
  const l2 = (actions: string[], resources: string[], sid?: string) => (s: Stack) => {
    new iam.Policy(s, 'Pol', {
      roles: [new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })],
      statements: [new iam.PolicyStatement({ sid, actions, resources })],
    });
  };
  const allow = (Action: unknown, Resource: unknown, Sid?: string) => ({ ...(Sid ? { Sid } : {}), Effect: 'Allow', Action, Resource });

  describe('a service wildcard in any spelling is service:*', () => {
    // CDK's PolicyStatement rejects a wildcard in the service prefix, so those are L1 only.
    test.each([['iam:**', true], ['*:*', false], ['IAM:*', true], ['ia?:*', false], ['i*:*', false], ['iam*', false], ['iam:?*', false], ['*', true]])('fails when %s (every action of a service) is allowed on * (L1; L2 too: %s)', (pattern, l2Accepts) => {
      const f = expectRule(rule, l1([allow(['s3:GetObject', pattern], '*', 'Wide')]), 'Pol', 'FAIL');
      expect(f!.message).toContain(`statement 'Wide' allows ${pattern} on *`);
      expect(f!.message).toMatch(/every action of/);
      if (l2Accepts) expectRule(rule, l2([pattern as string], ['*']), 'Pol/Resource', 'FAIL');
    });
    test('the FAIL names the service the pattern covers and the statement by index when it has no Sid', () => {
      const f = expectRule(rule, l1([allow('s3:GetObject', '*'), allow('iam:**', '*')]), 'Pol', 'FAIL');
      expect(f!.message).toContain('statement #1 allows iam:** on *: the action pattern covers every action of iam');
      const all = expectRule(rule, l1([allow('*:*', '*')]), 'Pol', 'FAIL');
      expect(all!.message).toContain('statement #0 allows *:* on *: the action pattern covers every action of every service');
    });
    test('passes when a wildcard covers only part of a service (iam:Get*, s3:List*, iam:*Tag*) on *', () => {
      expectRule(rule, l1([allow(['iam:Get*', 'iam:List*', 's3:List*', 'ec2:Describe*', 'iam:?etUser'], '*')]), 'Pol', 'PASS');
      expectRule(rule, l2(['iam:Get*', 'iam:List*', 's3:List*'], ['*']), 'Pol/Resource', 'PASS');
    });
  });

  describe('a resource pattern that covers every ARN of the service is "*"', () => {
    test.each([
      ['s3:*', 'arn:*'],
      ['s3:*', 'arn:aws:*'],
      ['*', 'arn:*:*:*:*:*'],
      ['iam:*', 'arn:aws:iam::*:*'],
      ['iam:*', 'arn:aws:iam::123456789012:*'],
      ['s3:*', 'arn:aws:s3:::*'],
      ['lambda:*', 'arn:aws:lambda:*:123456789012:*'],
      ['ec2:*', 'arn:aws:ec2:us-east-1:*'],
      ['*', 'arn:aws:s3:::*'],
    ])('fails when %s is allowed on %s (L1 and L2)', (action, resource) => {
      const f = expectRule(rule, l1([allow(action, [`${ROLE}-data`, resource], 'Wide')]), 'Pol', 'FAIL');
      expect(f!.message).toContain(`statement 'Wide' allows ${action} on ${resource}`);
      expect(f!.message).toMatch(/the resource pattern covers every/);
      expectRule(rule, l2([action], [resource]), 'Pol/Resource', 'FAIL');
    });
    test('fails when the whole-service ARN is built with Fn::Sub or Fn::Join of pseudo parameters', () => {
      expectRule(rule, l1([allow('iam:*', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:*' })]), 'Pol', 'FAIL');
      expectRule(rule, l1([allow('s3:*', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] })]), 'Pol', 'FAIL');
      expectRule(rule, l2(['iam:*'], [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:*`]), 'Pol/Resource', 'FAIL');
    });
    test('fails when a parameter stands where any value still leaves the whole service (the account)', () => {
      expectRule(rule, (s) => l1([allow('iam:*', { 'Fn::Join': ['', ['arn:aws:iam::', param(s), ':*']] })])(s), 'Pol', 'FAIL');
    });
    test('cannot verify when a parameter in the resource part could be "*"', () => {
      expectRule(rule, (s) => l1([allow('iam:*', { 'Fn::Join': ['', ['arn:aws:iam::123456789012:', param(s)]] })])(s), 'Pol', 'ERROR');
    });
    test('passes when the pattern covers part of a service, or another service than the action\'s', () => {
      for (const [action, resource] of [
        ['s3:*', 'arn:aws:s3:::my-bucket/*'],
        ['s3:*', 'arn:aws:s3:::my-bucket*'],
        ['iam:*', 'arn:aws:s3:::*'],
        ['s3:*', 'arn:aws:iam::*:*'],
        ['lambda:*', 'arn:aws:lambda:*:123456789012:function:app-*'],
        ['IAM:*', 'arn:aws:IAM::*:*'],
      ]) {
        expectRule(rule, l1([allow(action, resource)]), 'Pol', 'PASS');
      }
      expectRule(rule, (s) => l1([allow('s3:*', { 'Fn::Join': ['', ['arn:aws:s3:::', param(s), '-data/*']] })])(s), 'Pol', 'PASS');
    });
  });

  describe('a customer managed policy that is a boundary and also attached is a grant', () => {
    const adminDoc = () => new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    const boundaryOf = (s: Stack, name?: string) => {
      const b = new iam.ManagedPolicy(s, 'Boundary', { managedPolicyName: name, document: adminDoc() });
      new iam.Role(s, 'Bounded', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: b });
      return b;
    };
    test('fails when another role attaches the boundary by its name (ManagedPolicy.fromManagedPolicyName)', () => {
      const f = expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new iam.Role(s, 'Other', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), managedPolicies: [iam.ManagedPolicy.fromManagedPolicyName(s, 'ByName', 'app-boundary')] });
      }, 'Boundary/Resource', 'FAIL');
      expect(f!.message).toContain('statement #0 allows * on *');
    });
    test('fails when an L1 user or group attaches it by a literal ARN (with a path)', () => {
      expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new iam.CfnUser(s, 'U', { managedPolicyArns: ['arn:aws:iam::123456789012:policy/app-boundary'] });
      }, 'Boundary/Resource', 'FAIL');
      expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new iam.CfnGroup(s, 'G', { managedPolicyArns: ['arn:aws:iam::123456789012:policy/team/app-boundary'] });
      }, 'Boundary/Resource', 'FAIL');
    });
    test('fails when it is attached by reference or through its own Roles / Users / Groups', () => {
      expectRule(rule, (s) => {
        const b = boundaryOf(s);
        new iam.Role(s, 'Other', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), managedPolicies: [b] });
      }, 'Boundary/Resource', 'FAIL');
      expectRule(rule, (s) => boundaryOf(s).attachToUser(new iam.User(s, 'U')), 'Boundary/Resource', 'FAIL');
    });
    test('fails when an Identity Center permission set references it by name', () => {
      expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new CfnResource(s, 'PS', { type: 'AWS::SSO::PermissionSet', properties: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1', Name: 'Ops', CustomerManagedPolicyReferences: [{ Name: 'app-boundary' }] } });
      }, 'Boundary/Resource', 'FAIL');
    });
    test('fails when a role names another role (not a managed policy) as its boundary: that role\'s inline grants are judged', () => {
      expectRule(rule, (s) => {
        const admin = new iam.CfnRole(s, 'Admin', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
          policies: [{ policyName: 'all', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
        });
        new iam.CfnRole(s, 'Bounded', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), permissionsBoundary: admin.attrArn });
      }, 'Admin', 'FAIL');
    });
    test('cannot verify when another principal attaches a managed policy ARN given by a parameter', () => {
      expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new iam.CfnRole(s, 'Other', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), managedPolicyArns: [param(s)] });
      }, 'Boundary/Resource', 'ERROR');
    });
    test('passes (not applicable) when it is only a boundary, though other policies are attached by name or by an AWS managed ARN', () => {
      expectRule(rule, (s) => {
        boundaryOf(s, 'app-boundary');
        new iam.ManagedPolicy(s, 'ReadOnly', { managedPolicyName: 'app-read', statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
        new iam.CfnRole(s, 'Other', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
          managedPolicyArns: ['arn:aws:iam::123456789012:policy/app-read', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/app-boundary-v2'],
        });
      }, 'Boundary/Resource', 'N/A');
    });
  });

  describe('an IAM wildcard that lets the holder grant itself anything is admin', () => {
    test.each([
      ['iam:Put*', 'iam:PutRolePolicy'],
      ['iam:Attach*', 'iam:AttachRolePolicy'],
      ['iam:Create*', 'iam:CreatePolicyVersion'],
      ['iam:Set*', 'iam:SetDefaultPolicyVersion'],
      ['iam:Update*', 'iam:UpdateAssumeRolePolicy'],
      ['iam:Add*', 'iam:AddUserToGroup'],
      ['iam:*ole*', 'iam:PutRolePolicy'],
      ['iam:*Policy', 'iam:PutUserPolicy'],
    ])('fails when %s is allowed on * and names %s (L1 and L2)', (pattern, covered) => {
      const f = expectRule(rule, l1([allow(['iam:GetRole', pattern], '*', 'SelfGrant')]), 'Pol', 'FAIL');
      expect(f!.message).toContain(`statement 'SelfGrant' allows ${pattern} on *`);
      expect(f!.message).toContain(covered);
      expect(f!.message).toMatch(/grant itself/);
      expectRule(rule, l2([pattern], ['*']), 'Pol/Resource', 'FAIL');
    });
    test('fails on a whole-IAM resource pattern too', () => {
      expectRule(rule, l1([allow('iam:Put*', 'arn:aws:iam::123456789012:*')]), 'Pol', 'FAIL');
    });
    test.each(['iam:PutRolePolicy', 'iam:attachuserpolicy', 'iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy'])('fails when the self-granting action %s is named (no wildcard) on * or on every IAM resource', (action) => {
      const f = expectRule(rule, l1([allow(['iam:GetRole', action], '*', 'Named')]), 'Pol', 'FAIL');
      expect(f!.message).toContain(`statement 'Named' allows ${action} on *`);
      expect(f!.message).toMatch(/grant itself any permission/);
      expectRule(rule, l1([allow(action, 'arn:aws:iam::123456789012:*')]), 'Pol', 'FAIL');
      expectRule(rule, l2([action], ['*']), 'Pol/Resource', 'FAIL');
    });
    test('passes for IAM wildcards that cover no self-granting action, and for a named action on a narrow resource', () => {
      expectRule(rule, l1([allow(['iam:Get*', 'iam:List*', 'iam:Tag*', 'iam:Generate*'], '*')]), 'Pol', 'PASS');
      expectRule(rule, l2(['iam:Get*', 'iam:List*'], ['*']), 'Pol/Resource', 'PASS');
      expectRule(rule, l1([allow('iam:PutRolePolicy', `${ROLE}-worker`)]), 'Pol', 'PASS');
      expectRule(rule, l1([allow('iam:Put*', `${ROLE}-worker`)]), 'Pol', 'PASS');
    });
    test.each([
      ['iam:PutRolePolicy', 'arn:aws:iam::*:role/*', 'role'],
      ['iam:Put*', 'arn:aws:iam::123456789012:role/*', 'role'],
      ['iam:*', 'arn:aws:iam::123456789012:role*', 'role'],
      ['iam:AttachRolePolicy', 'arn:*:iam::*:role/*', 'role'],
      ['iam:UpdateAssumeRolePolicy', 'arn:aws:iam::123456789012:role/*', 'role'],
      ['iam:PutUserPolicy', 'arn:aws:iam::*:user/*', 'user'],
      ['iam:Attach*', 'arn:aws:iam::123456789012:user/*', 'user'],
      ['iam:PutGroupPolicy', 'arn:aws:iam::*:group/*', 'group'],
      ['iam:AddUserToGroup', 'arn:aws:iam::123456789012:group/*', 'group'],
      ['iam:CreatePolicyVersion', 'arn:aws:iam::*:policy/*', 'policy'],
      ['iam:SetDefaultPolicyVersion', 'arn:aws:iam::123456789012:policy*', 'policy'],
    ])('fails when %s is allowed on %s: it covers every %s, the holder\'s own among them (L1 and L2)', (action, resource, type) => {
      const f = expectRule(rule, l1([allow(['iam:GetRole', action], resource, 'SelfGrant')]), 'Pol', 'FAIL');
      expect(f!.message).toContain(`statement 'SelfGrant' allows ${action} on ${resource}`);
      expect(f!.message).toContain(`the resource pattern covers every ${type}`);
      expect(f!.message).toMatch(/grant itself any permission/);
      expectRule(rule, l2([action], [resource]), 'Pol/Resource', 'FAIL');
    });
    test('fails when every role of the own account is built with Fn::Sub of pseudo parameters', () => {
      expectRule(rule, l1([allow('iam:PutRolePolicy', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' })]), 'Pol', 'FAIL');
      expectRule(rule, l2(['iam:AttachRolePolicy'], [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`]), 'Pol/Resource', 'FAIL');
    });
    test('passes when the type the pattern covers is not the one the action acts on, or the action grants nothing (iam:GetRole on role/*)', () => {
      expectRule(rule, l1([allow(['iam:GetRole', 'iam:PutUserPolicy', 'iam:AddUserToGroup', 'iam:CreatePolicyVersion'], 'arn:aws:iam::*:role/*')]), 'Pol', 'PASS');
      expectRule(rule, l2(['iam:GetRole', 'iam:List*'], ['arn:aws:iam::*:role/*']), 'Pol/Resource', 'PASS');
      expectRule(rule, l1([allow('iam:PutRolePolicy', 'arn:aws:iam::*:user/*')]), 'Pol', 'PASS');
      expectRule(rule, l1([allow(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], 'arn:aws:iam::aws:policy/*')]), 'Pol', 'PASS');
    });
    test('passes when the pattern is scoped to a narrower set (delegated IAM administration)', () => {
      for (const resource of ['arn:aws:iam::*:role/app-workers-*', 'arn:aws:iam::123456789012:role/app/*', 'arn:aws:iam::*:policy/app/*']) {
        expectRule(rule, l1([allow(['iam:Put*', 'iam:Attach*', 'iam:CreatePolicyVersion'], resource)]), 'Pol', 'PASS');
        expectRule(rule, (s) => { new iam.ManagedPolicy(s, 'Pol', { statements: [new iam.PolicyStatement({ actions: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'], resources: [resource] })] }); }, 'Pol/Resource', 'PASS');
      }
    });

    describe('an inline policy that matches the holder\'s own ARN', () => {
      const inline = (Action: string, Resource: unknown) => [{ policyName: 'admin-of-others', policyDocument: { Statement: [{ Sid: 'Own', Effect: 'Allow', Action, Resource }] } }];
      test('fails when a role under path /app/ may write the policies of role/app/*', () => {
        const f = expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), path: '/app/', roleName: 'deployer',
          policies: inline('iam:PutRolePolicy', 'arn:aws:iam::123456789012:role/app/*'),
        }), 'R', 'FAIL');
        expect(f!.message).toContain("inline policy 'admin-of-others' statement 'Own' allows iam:PutRolePolicy on arn:aws:iam::123456789012:role/app/*");
        expect(f!.message).toMatch(/the resource pattern covers the holder's own ARN/);
        expect(f!.message).toMatch(/grant itself any permission/);
      });
      test('fails when a role without a name (CloudFormation names it after the stack) may write the policies of role/S-*', () => {
        expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
          policies: inline('iam:Attach*', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/S-*' }),
        }), 'R', 'FAIL');
      });
      test('fails when a user may write the policies of user/app-* and is app-ops, or a group may write the policies of group/app-* and is app-admins', () => {
        expectRule(rule, (s) => new iam.CfnUser(s, 'U', { userName: 'app-ops', policies: inline('iam:PutUserPolicy', 'arn:aws:iam::*:user/app-*') }), 'U', 'FAIL');
        expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { groupName: 'app-admins', policies: inline('iam:PutGroupPolicy', 'arn:aws:iam::123456789012:group/app-*') }), 'G', 'FAIL');
      });
      test('passes when the holder is not among the resources the pattern covers', () => {
        expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), roleName: 'deployer',
          policies: inline('iam:Put*', 'arn:aws:iam::*:role/app-workers-*'),
        }), 'R', 'PASS');
        expectRule(rule, (s) => new iam.CfnUser(s, 'U', { userName: 'app-ops', policies: inline('iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*') }), 'U', 'PASS');
        expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { groupName: 'ops', policies: inline('iam:AddUserToGroup', 'arn:aws:iam::*:group/app-*') }), 'G', 'PASS');
      });
      test('fails when an L2 role under /app/ gets a policy (its DefaultPolicy, an AWS::IAM::Policy) to write the policies of role/app/*', () => {
        const f = expectRule(rule, (s) => {
          const r = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), path: '/app/' });
          r.addToPolicy(new iam.PolicyStatement({ sid: 'Own', actions: ['iam:PutRolePolicy'], resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/app/*`] }));
        }, 'R/DefaultPolicy/Resource', 'FAIL');
        expect(f!.message).toMatch(/statement 'Own' allows iam:PutRolePolicy on .*role\/app\/\*: .*the resource pattern covers the holder's own ARN/);
      });
      test('fails when a managed policy names its user (by literal name) among those it may write the policies of', () => {
        expectRule(rule, (s) => {
          new iam.CfnManagedPolicy(s, 'Pol', { users: ['app-ops'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: 'arn:aws:iam::*:user/app-*' }] } });
        }, 'Pol', 'FAIL');
      });
      test('fails when a policy names by its literal name a role of the app whose path the pattern covers', () => {
        expectRule(rule, (s) => {
          new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), path: '/app/', roleName: 'deployer' });
          new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['deployer'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:Put*', Resource: 'arn:aws:iam::*:role/app/*' }] } });
        }, 'Pol', 'FAIL');
      });
      test('passes when a policy\'s holders are outside the pattern', () => {
        expectRule(rule, (s) => {
          const r = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'deployer' });
          r.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'], resources: ['arn:aws:iam::*:role/app-workers-*'] }));
        }, 'R/DefaultPolicy/Resource', 'PASS');
      });
      test('cannot verify when the holder\'s name is a parameter the pattern could match', () => {
        expectRule(rule, (s) => new iam.CfnRole(s, 'R', {
          assumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }), roleName: param(s),
          policies: inline('iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*'),
        }), 'R', 'ERROR');
      });
    });
  });
});
