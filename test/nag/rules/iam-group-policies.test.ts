import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule, param, paramValue } from '../helpers';

/**
 * Which policies apply to a group (lib/nag/rules/iam/policy-documents.ts), seen through the rule that
 * reads them: IAMGroupRequiresMFA passes only when some policy of the group denies requests without
 * MFA. The basic cases live in iam.test.ts.
 */
const rule = 'IAMGroupRequiresMFA';
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];
const requireMfa = { Version: '2012-10-17', Statement: [{ Sid: 'DenyWithoutMfa', Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }] };
const readS3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const mfaInline = [{ policyName: 'RequireMfa', policyDocument: requireMfa }];

describe('IAMGroupRequiresMFA: policies that name the group', () => {
  test('a managed policy that lists the group in its Groups applies to it: PASS', () => {
    expectRule(rule, (s) => {
      const g = new iam.CfnGroup(s, 'G');
      new iam.CfnManagedPolicy(s, 'M', { groups: [g.ref], policyDocument: requireMfa });
    }, 'G', 'PASS');
  });
  test('a policy and a managed policy that both name the group both apply: the MFA deny of either one is enough', () => {
    expectRule(rule, (s) => {
      const g = new iam.CfnGroup(s, 'G');
      new iam.CfnPolicy(s, 'Mfa', { policyName: 'RequireMfa', groups: [g.ref], policyDocument: requireMfa });
      new iam.CfnManagedPolicy(s, 'Read', { groups: [g.ref], policyDocument: readS3 });
    }, 'G', 'PASS');
  });
});

describe('IAMGroupRequiresMFA: managed policy ARNs the group names', () => {
  test.each([
    ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ['arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess'],
  ])('an AWS managed policy written as a literal ARN (%s) adds nothing to judge: the group passes on its inline MFA deny', (arn) => {
    expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: mfaInline, managedPolicyArns: [arn] }), 'G', 'PASS');
  });
  test('a managed policy ARN taken from another resource of the app that is no managed policy (a custom resource\'s output) cannot be verified, never read as a policy of its own', () => {
    const f = expectRule(rule, (s) => {
      const lookup = new CfnResource(s, 'Lookup', { type: 'Custom::PolicyLookup', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:lookup' } });
      new iam.CfnGroup(s, 'G', { policies: mfaInline, managedPolicyArns: [lookup.getAtt('Arn').toString()] });
    }, 'G', 'ERROR');
    expect(f!.message).toContain('cannot verify the managed policy');
  });
  test('an own-account managed policy outside the app, named by its name (Fn::Join with the account), cannot be verified: it may deny or not', () => {
    const f = expectRule(rule, (s) => {
      const g = new iam.Group(s, 'G');
      g.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyName(s, 'Org', 'RequireMfa'));
    }, 'G/Resource', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the managed policy: unresolved value \{"Fn::Join":/);
  });
  test('a string that only contains an AWS managed policy ARN (text before arn:) is no AWS managed policy: cannot be verified', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: mfaInline, managedPolicyArns: ['policy arn:aws:iam::aws:policy/ReadOnlyAccess'] }), 'G', 'ERROR');
    expect(f!.message).toContain('cannot verify the managed policy: unresolved value "policy arn:aws:iam::aws:policy/ReadOnlyAccess"');
  });
  test('a managed policy ARN of another account cannot be verified, and the finding names it', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: mfaInline, managedPolicyArns: ['arn:aws:iam::111122223333:policy/RequireMfa'] }), 'G', 'ERROR');
    expect(f!.message).toContain('cannot verify the managed policy: unresolved value "arn:aws:iam::111122223333:policy/RequireMfa"');
  });
});

describe('IAMGroupRequiresMFA: what the finding names when a list is a parameter', () => {
  test('managed policy ARNs given as one List parameter: the finding names ManagedPolicyArns', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { managedPolicyArns: new CfnParameter(s, 'Arns', { type: 'List<String>' }).valueAsList }), 'G', 'ERROR');
    expect(f!.message).toMatch(/cannot verify ManagedPolicyArns: unresolved value \{"Ref":"Arns"\}/);
  });
  test('inline policies given as one parameter: the finding names Policies', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: paramValue(s, 'Policies') }), 'G', 'ERROR');
    expect(f!.message).toMatch(/cannot verify Policies: unresolved value \{"Ref":"Policies"\}/);
  });
  test('one inline policy given as a parameter: the finding names the inline policy', () => {
    const f = expectRule(rule, (s: Stack) => new iam.CfnGroup(s, 'G', { policies: [paramValue(s, 'One')] }), 'G', 'ERROR');
    expect(f!.message).toMatch(/cannot verify inline policy: unresolved value \{"Ref":"One"\}/);
  });
  test('a managed policy ARN overridden to null cannot be verified, and the finding says what is unknown', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: mfaInline }).addPropertyOverride('ManagedPolicyArns', [null]), 'G', 'ERROR');
    expect(f!.message).toContain('cannot verify the managed policy: unresolved value null');
  });
  test('a parameter for the managed policy ARN is named as the managed policy', () => {
    const f = expectRule(rule, (s) => new iam.CfnGroup(s, 'G', { policies: mfaInline, managedPolicyArns: [param(s, 'Arn')] }), 'G', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the managed policy: unresolved value \{"Ref":"Arn"\}/);
  });
});

describe('IAMGroupRequiresMFA: a deny without MFA that spares what a stolen key chooses (false pass)', () => {
  const sparing = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ ...requireMfa.Statement[0], Condition: { ...requireMfa.Statement[0].Condition, ...extra } }] });
  test.each<[string, Record<string, unknown>, string]>([
    ['calls through any service (AWS\'s own example adds this)', { Bool: { 'aws:ViaAWSService': 'false' } }, 'sending aws:ViaAWSService true'],
    ['calls through CloudFormation', { StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'sending aws:CalledViaFirst cloudformation.amazonaws.com'],
    ['the office (an intruder on an office host)', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'from 198.51.100.7'],
  ])('sparing %s: FAIL, naming the request without MFA that gets through', (_, extra, how) => {
    const f = expectRule(rule, (s) => {
      new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMfa', policyDocument: sparing(extra) }] });
    }, 'G', 'FAIL');
    expect(f!.message).toContain(`in an access-key request (no aws:MultiFactorAuthPresent), ${how}`);
  });
  test('sparing only a private range: PASS (AWS never sends a private aws:SourceIp)', () => {
    expectRule(rule, (s) => {
      new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMfa', policyDocument: sparing({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }) }] });
    }, 'G', 'PASS');
  });
});
