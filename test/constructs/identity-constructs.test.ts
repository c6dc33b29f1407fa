import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AccountPasswordPolicy } from '../../lib/constructs/account-password-policy';
import { HumanRole } from '../../lib/constructs/human-role';
import { IdentityCenterPermissionSets, isoDuration } from '../../lib/constructs/identity-center-permission-sets';
import { MfaEnforcedGroups } from '../../lib/constructs/mfa-enforced-groups';
import { applyPermissionsBoundary } from '../../lib/constructs/permissions-boundary-aspect';
import { SECURITY_AUTOMATION_ROLE_PATH } from '../../lib/constructs/security-automation';
import { boundaryValues, loadPolicy } from '../../lib/policies';
import { featureFlags, testStack } from '../helpers/app';

const ENV = { account: '111122223333', region: 'us-east-1' };

describe('identity constructs, synthesized once', () => {
  let app: App;
  let stack: Stack;
  let other: Stack;
  let t: Template;
  let tOther: Template;
  beforeAll(() => {
    app = new App({ context: featureFlags() });
    stack = new Stack(app, 'Identity', { env: ENV });
    new MfaEnforcedGroups(stack, 'Groups');
    new HumanRole(stack, 'Admin', { accessLevel: 'administrators', roleName: 'admins', mfaMaxAge: Duration.minutes(30) });
    new HumanRole(stack, 'Auditor', { accessLevel: 'auditors' });
    new AccountPasswordPolicy(stack, 'PasswordPolicy', { maxPasswordAgeDays: 60 });
    new IdentityCenterPermissionSets(stack, 'Sets', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', accessLevels: ['auditors'] });
    // Another stack holding the kinds of role the app never writes itself.
    other = new Stack(app, 'Other', { env: ENV });
    new lambda.Function(other, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    new CfnResource(other, 'RawRole', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } });
    applyPermissionsBoundary(app);
    t = Template.fromStack(stack);
    tOther = Template.fromStack(other);
  });

  describe('MfaEnforcedGroups', () => {
    // Issue 10 item 4: a group carrying AdministratorAccess or PowerUserAccess let its members bypass the
    // permissions boundary (which only roles carry). Groups now hold require-mfa and, given roles, the right
    // to assume their level's MFA-bound, bounded role (test/constructs/killchain-identity.test.ts).
    test('creates the three groups, each with require-mfa and no access-level policy of its own', () => {
      t.resourceCountIs('AWS::IAM::Group', 3);
      for (const g of Object.values(t.findResources('AWS::IAM::Group'))) expect(g.Properties.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/^GroupsRequireMfa/) }]);
    });

    test('require-mfa is the document from policies/iam/require-mfa.json, not an inline copy', () => {
      const file = loadPolicy('iam/require-mfa', { Partition: 'P', AccountId: 'A' });
      const policies = t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('require-mfa') } });
      const doc = Object.values(policies)[0].Properties.PolicyDocument;
      expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(file.Statement.map((s) => s.Sid));
      expect(doc.Statement[2]).toEqual({ ...file.Statement[2] });
    });

    test('puts no inline policy on any group', () => {
      for (const g of Object.values(t.findResources('AWS::IAM::Group'))) expect(g.Properties.Policies).toBeUndefined();
    });

    test('fails when an access level is listed twice or unknown', () => {
      const { stack: s } = testStack();
      expect(() => new MfaEnforcedGroups(s, 'Twice', { accessLevels: ['auditors', 'auditors'] })).toThrow('access levels listed twice: auditors, auditors');
      expect(() => new MfaEnforcedGroups(s, 'Unknown', { accessLevels: ['gods' as 'auditors'] })).toThrow("unknown access level 'gods'");
    });
  });

  describe('HumanRole', () => {
    test('trust requires MFA present and proved within the configured age, sessions of one hour', () => {
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'admins',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'sts:AssumeRole',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '1800' } },
          })],
        },
      });
    });

    test('defaults the MFA age to one hour', () => {
      t.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }) })] },
        ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/SecurityAudit']] }]),
      });
    });

    test('fails when the session or the MFA age exceeds one hour', () => {
      const { stack: s } = testStack();
      expect(() => new HumanRole(s, 'Long', { accessLevel: 'operators', maxSessionDuration: Duration.hours(2) }))
        .toThrow('maxSessionDuration must be at most 3600 seconds (IAM-SESSION), got 7200');
      expect(() => new HumanRole(s, 'Stale', { accessLevel: 'operators', mfaMaxAge: Duration.hours(12) }))
        .toThrow('mfaMaxAge must be between 1 and 3600 seconds (IAM-MFA), got 43200');
    });
  });

  describe('AccountPasswordPolicy', () => {
    test('calls UpdateAccountPasswordPolicy with CIS 1.8/1.9 values and every character class, and nothing on delete', () => {
      const cr = Object.values(t.findResources('Custom::AccountPasswordPolicy'))[0];
      const create = JSON.parse(cr.Properties.Create['Fn::Join'] ? cr.Properties.Create['Fn::Join'][1].join('') : cr.Properties.Create);
      expect(create).toMatchObject({
        service: 'IAM',
        action: 'updateAccountPasswordPolicy',
        parameters: {
          MinimumPasswordLength: 14, PasswordReusePrevention: 24, MaxPasswordAge: 60,
          RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
        },
      });
      // Retained: deleting the resource or the stack never drops the account to AWS's weak defaults.
      expect(cr.Properties.Delete).toBeUndefined();
    });

    test('runs under a security-automation role that may only set the password policy', () => {
      t.hasResourceProperties('AWS::IAM::Role', { Path: SECURITY_AUTOMATION_ROLE_PATH });
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:UpdateAccountPasswordPolicy', Resource: '*' }] },
        Roles: [{ Ref: Match.stringLikeRegexp('SecurityAutomationRole') }],
      });
      t.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('the function logs to its own encrypted log group, kept three years and retained', () => {
      t.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: '/aws/lambda/Identity-SecurityAutomation', RetentionInDays: 1096, KmsKeyId: Match.anyValue() },
        DeletionPolicy: 'Retain',
      });
      t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'Identity-SecurityAutomation', LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }) });
    });

    test('fails below the CIS floor', () => {
      const { stack: s } = testStack();
      expect(() => new AccountPasswordPolicy(s, 'Short', { minimumPasswordLength: 8 })).toThrow('minimumPasswordLength must be an integer from 14 to 128 (CIS 1.8), got 8');
      expect(() => new AccountPasswordPolicy(s, 'Reuse', { passwordReusePrevention: 5 })).toThrow('passwordReusePrevention must be 24 (CIS 1.9; IAM allows at most 24), got 5');
      expect(() => new AccountPasswordPolicy(s, 'Age', { maxPasswordAgeDays: 0 })).toThrow('maxPasswordAgeDays must be an integer from 1 to 1095, got 0');
    });
  });

  describe('IdentityCenterPermissionSets', () => {
    test('one permission set per access level, sessions of one hour', () => {
      t.hasResourceProperties('AWS::SSO::PermissionSet', {
        Name: 'HardeningAuditors', SessionDuration: 'PT1H', InstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      });
      t.resourceCountIs('AWS::SSO::PermissionSet', 1);
    });

    test('formats durations as ISO 8601', () => {
      expect([isoDuration(3600), isoDuration(5400), isoDuration(900)]).toEqual(['PT1H', 'PT1H30M', 'PT15M']);
    });

    test('fails on a bad instance ARN, a long session or a name over 32 characters', () => {
      const { stack: s } = testStack();
      expect(() => new IdentityCenterPermissionSets(s, 'A', { instanceArn: 'arn:aws:sso:::instance/nope' })).toThrow("instanceArn must be an IAM Identity Center instance ARN, got 'arn:aws:sso:::instance/nope'");
      expect(() => new IdentityCenterPermissionSets(s, 'B', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', sessionDuration: Duration.hours(8) }))
        .toThrow('sessionDuration must be between 900 and 3600 seconds (IAM-SESSION), got 28800');
      expect(() => new IdentityCenterPermissionSets(s, 'C', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', namePrefix: 'AVeryLongPrefixForPermissionSets' }))
        .toThrow("permission set name 'AVeryLongPrefixForPermissionSetsAdministrators' is longer than 32 characters");
    });
  });

  describe('PermissionsBoundaryAspect', () => {
    test('bounds every role: human roles, the custom-resource role, a Lambda role and a raw CfnResource role', () => {
      for (const template of [t, tOther]) {
        const roles = Object.values(template.findResources('AWS::IAM::Role'));
        expect(roles.length).toBeGreaterThan(0);
        for (const r of roles) expect(r.Properties.PermissionsBoundary.Ref).toMatch(/^PermissionsBoundary/);
      }
      expect(Object.keys(tOther.findResources('AWS::IAM::Role'))).toEqual(expect.arrayContaining(['RawRole']));
    });

    test('each stack gets its own boundary policy, loaded from policies/iam/permissions-boundary.json', () => {
      for (const template of [t, tOther]) {
        const boundary = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('permissions boundary') } });
        expect(Object.keys(boundary)).toHaveLength(1);
        const sids = Object.values(boundary)[0].Properties.PolicyDocument.Statement.map((s: { Sid: string }) => s.Sid);
        const values = boundaryValues('p', 'a', 'x/', { stackPrefix: 'Hardening', pipelineRoleName: 'ci', breakGlassRoleName: 'BreakGlass' });
        expect(sids).toEqual(loadPolicy('iam/permissions-boundary', values).Statement.map((s) => s.Sid));
      }
    });

    test('the boundary exempts exactly the security-automation path from its IAM and GuardDuty denies', () => {
      const boundary = Object.values(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('permissions boundary') } }))[0];
      const iamDeny = boundary.Properties.PolicyDocument.Statement.find((s: { Sid: string }) => s.Sid === 'DenyIamChanges');
      expect(JSON.stringify(iamDeny.Condition)).toContain(`:role${SECURITY_AUTOMATION_ROLE_PATH}*`);
    });
  });

  test('no unacknowledged AwsSolutions or NIST 800-53 R5 finding', () => {
    for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
      expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    }
  });

  test('the boundary policy of the other stack is acknowledged too (its findings are not the fixture Lambda\'s)', () => {
    const found = new NIST80053R5Checks().validateScope(other).violations.filter((v) => v.violatingResources.some((r) => (r.constructPath ?? '').includes('PermissionsBoundary')));
    expect(found).toEqual([]);
  });

  test('creates no IAM user and no access key', () => {
    t.resourceCountIs('AWS::IAM::User', 0);
    t.resourceCountIs('AWS::IAM::AccessKey', 0);
  });

  test('keeps iam.Role construct type for the automation role (a grantable principal)', () => {
    expect(stack.node.findAll().some((c) => c instanceof iam.Role && c.node.path.endsWith('SecurityAutomation/Role'))).toBe(true);
  });
});
