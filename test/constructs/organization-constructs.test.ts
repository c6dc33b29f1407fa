import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { GuardDutyOrganizationConfiguration } from '../../lib/constructs/guardduty-organization-configuration';
import { OrganizationAuditRole } from '../../lib/constructs/organization-audit-role';
import { OrganizationAuditor } from '../../lib/constructs/organization-auditor';
import { OrganizationSetup, OrganizationSetupProps } from '../../lib/constructs/organization-setup';
import { applyPermissionsBoundary, exemptOrganizationSetup } from '../../lib/constructs/permissions-boundary-aspect';
import { SECURITY_AUTOMATION_ROLE_PATH } from '../../lib/constructs/security-automation';
import { GUARDDUTY_FEATURES } from '../../lib/lessons';
import { evaluateScope } from '../../lib/nag/evaluate';
import { PolicyDocumentJson, boundaryValues, loadPolicy } from '../../lib/policies';
import { featureFlags } from '../helpers/app';
import { ACCOUNT, decide } from '../policies/simulate';

const STACKSETS = 'member.org.stacksets.cloudformation.amazonaws.com';
const TOOLING = '222233334444';
const PROPS: OrganizationSetupProps = {
  trustedServicePrincipals: [STACKSETS],
  policyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'],
  delegatedAdministrators: [{ accountId: TOOLING, servicePrincipal: STACKSETS }],
  guardDutyAdminAccountId: TOOLING,
  governedRegions: ['us-east-1', 'eu-west-1'],
};

/** Replaces the pseudo-parameters of a synthesized value with literals, so the simulator can read it. */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o) return ({ 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': 'us-east-1' } as Record<string, string>)[o.Ref as string] ?? `<${String(o.Ref)}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

function resourcesOf(t: Template, type: string): Record<string, { Properties: Record<string, unknown>; DeletionPolicy?: string; DependsOn?: string[] }> {
  return t.findResources(type) as never;
}

describe('organization constructs, synthesized once', () => {
  let management: Stack;
  let tooling: Stack;
  let account: Stack;
  let tm: Template;
  let tt: Template;
  let ta: Template;
  beforeAll(() => {
    const app = new App({ context: featureFlags() });
    management = new Stack(app, 'OrgManagement', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new OrganizationSetup(management, 'OrganizationSetup', PROPS);
    tooling = new Stack(app, 'SecurityTooling', { env: { account: TOOLING, region: 'eu-west-1' } });
    new GuardDutyOrganizationConfiguration(tooling, 'GuardDutyOrganization');
    account = new Stack(app, 'Other', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new GuardDutyOrganizationConfiguration(account, 'Plans', { features: ['S3_DATA_EVENTS', 'RUNTIME_MONITORING'] });
    applyPermissionsBoundary(app);
    tm = Template.fromStack(management);
    tt = Template.fromStack(tooling);
    ta = Template.fromStack(account);
  });

  /** The statements of the managed policies attached to the role of a stack's one custom-resource function. */
  function functionPolicies(t: Template): PolicyDocumentJson['Statement'] {
    const fns = Object.values(resourcesOf(t, 'AWS::Lambda::Function'));
    expect(fns).toHaveLength(1);
    const roleId = (fns[0].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    return Object.values(resourcesOf(t, 'AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(`"${roleId}"`))
      .flatMap((p) => resolve(p.Properties.PolicyDocument) as PolicyDocumentJson)
      .flatMap((d) => d.Statement);
  }

  describe('OrganizationSetup', () => {
    test('is a custom resource with the settings, GuardDuty\'s trusted access added, retained, answered within 15 minutes', () => {
      tm.hasResource('Custom::OrganizationSetup', {
        Properties: {
          TrustedServicePrincipals: [STACKSETS, 'guardduty.amazonaws.com'],
          PolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'],
          DelegatedAdministrators: [{ AccountId: TOOLING, ServicePrincipal: STACKSETS }],
          GuardDutyAdminAccountId: TOOLING,
          GovernedRegions: ['us-east-1', 'eu-west-1'],
          ServiceTimeout: '900',
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('its function has inline code (no asset), the latest Node.js runtime, a fixed protected name and a retained encrypted log group', () => {
      const [fn] = Object.values(resourcesOf(tm, 'AWS::Lambda::Function'));
      const code = fn.Properties.Code as Record<string, unknown>;
      expect(Object.keys(code)).toEqual(['ZipFile']);
      expect(code.ZipFile).toContain('exports.handler = handler');
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', FunctionName: 'OrgManagement-SecurityAutomation-OrgSetup', Timeout: 600 });
      expect(JSON.stringify(tm.toJSON())).not.toMatch(/AssetParameters|cdk-hnb659fds-assets|S3Bucket/);
      tm.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: '/aws/lambda/OrgManagement-SecurityAutomation-OrgSetup', RetentionInDays: 1096, KmsKeyId: Match.anyValue() },
        DeletionPolicy: 'Retain',
      });
    });

    test('its role is on the security-automation path, bounded, with managed policies only', () => {
      tm.hasResourceProperties('AWS::IAM::Role', {
        Path: SECURITY_AUTOMATION_ROLE_PATH,
        PermissionsBoundary: Match.anyValue(),
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      });
      for (const role of Object.values(resourcesOf(tm, 'AWS::IAM::Role'))) expect(role.Properties.PermissionsBoundary).toBeDefined();
      expect(Object.keys(resourcesOf(tm, 'AWS::IAM::Policy'))).toEqual([]);
    });

    test('the role may make exactly the calls the handler makes (plus what GuardDuty reads for its admin), writes narrowed by condition', () => {
      const statements = functionPolicies(tm);
      const actions = statements.flatMap((s) => s.Action as string[]).sort();
      expect(actions).toEqual([
        'guardduty:EnableOrganizationAdminAccount', 'guardduty:ListOrganizationAdminAccounts',
        'logs:CreateLogStream', 'logs:PutLogEvents',
        'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
        'organizations:EnableAWSServiceAccess', 'organizations:EnablePolicyType', 'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListAccounts', 'organizations:ListDelegatedAdministrators', 'organizations:ListRoots',
        'organizations:RegisterDelegatedAdministrator',
      ]);
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
      expect(bySid.EnableTrustedAccess.Condition).toEqual({ StringEquals: { 'organizations:ServicePrincipal': [STACKSETS, 'guardduty.amazonaws.com'] } });
      expect(bySid.EnablePolicyTypes).toMatchObject({
        Resource: `arn:aws:organizations::${ACCOUNT}:root/o-*/r-*`,
        Condition: { StringEquals: { 'organizations:PolicyType': ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] } },
      });
      expect(bySid.RegisterDelegatedAdministrators).toMatchObject({
        Resource: `arn:aws:organizations::${ACCOUNT}:account/o-*/${TOOLING}`,
        Condition: { StringEquals: { 'organizations:ServicePrincipal': [STACKSETS, 'guardduty.amazonaws.com'] } },
      });
      expect(bySid.DesignateGuardDutyAdministrator.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } });
    });

    describe('by simulation, the role under its stack\'s boundary', () => {
      let identity: PolicyDocumentJson;
      let boundary: PolicyDocumentJson;
      const role = `arn:aws:iam::${ACCOUNT}:role/cdk-hardening/security-automation/OrgSetupRole`;
      const workload = `arn:aws:iam::${ACCOUNT}:role/app-role`;
      const root = `arn:aws:organizations::${ACCOUNT}:root/o-abc123defg/r-ab12`;
      const acct = (id: string) => `arn:aws:organizations::${ACCOUNT}:account/o-abc123defg/${id}`;
      beforeAll(() => {
        identity = { Version: '2012-10-17', Statement: functionPolicies(tm) };
        const [b] = Object.values(resourcesOf(tm, 'AWS::IAM::ManagedPolicy')).filter((p) => p.Properties.ManagedPolicyName === 'OrgManagement-permissions-boundary');
        boundary = resolve(b.Properties.PolicyDocument) as PolicyDocumentJson;
      });
      const sp = (p: string) => ({ 'organizations:ServicePrincipal': p });
      test.each([
        ['organizations:EnableAWSServiceAccess', '*', sp(STACKSETS), 'Allowed'],
        ['organizations:EnableAWSServiceAccess', '*', sp('config.amazonaws.com'), 'ImplicitlyDenied'],
        ['organizations:EnablePolicyType', root, { 'organizations:PolicyType': 'SERVICE_CONTROL_POLICY' }, 'Allowed'],
        ['organizations:EnablePolicyType', root, { 'organizations:PolicyType': 'TAG_POLICY' }, 'ImplicitlyDenied'],
        ['organizations:RegisterDelegatedAdministrator', acct(TOOLING), sp(STACKSETS), 'Allowed'],
        ['organizations:RegisterDelegatedAdministrator', acct('999988887777'), sp(STACKSETS), 'ImplicitlyDenied'],
        ['organizations:RegisterDelegatedAdministrator', acct(TOOLING), sp('securityhub.amazonaws.com'), 'ImplicitlyDenied'],
        ['guardduty:EnableOrganizationAdminAccount', '*', { 'aws:RequestedRegion': 'eu-west-1' }, 'Allowed'],
        ['guardduty:EnableOrganizationAdminAccount', '*', { 'aws:RequestedRegion': 'sa-east-1' }, 'ImplicitlyDenied'],
        ['organizations:DisableAWSServiceAccess', '*', sp(STACKSETS), 'ExplicitlyDenied'],
        ['organizations:DeregisterDelegatedAdministrator', acct(TOOLING), sp(STACKSETS), 'ExplicitlyDenied'],
        ['organizations:AttachPolicy', root, {}, 'ExplicitlyDenied'],
        ['guardduty:DisableOrganizationAdminAccount', '*', {}, 'ImplicitlyDenied'],
      ])('%s on %s %j is %s', async (action, resource, context, expected) => {
        expect(await decide({ principal: role, action, resource, context, identityPolicies: [identity], boundary })).toBe(expected);
      });

      test('a role off the security-automation path, even with AdministratorAccess, still may not enable or register anything', async () => {
        expect(await decide({ principal: workload, action: 'organizations:EnableAWSServiceAccess', context: sp(STACKSETS), boundary })).toBe('ExplicitlyDenied');
        expect(await decide({ principal: workload, action: 'organizations:RegisterDelegatedAdministrator', resource: acct(TOOLING), context: sp(STACKSETS), boundary }))
          .toBe('ExplicitlyDenied');
      });
    });

    test('only the stack holding it gets the boundary exemption; every other stack\'s boundary is the document as it is', () => {
      const rendered = (t: Template, name: string) => resolve(Object.values(resourcesOf(t, 'AWS::IAM::ManagedPolicy'))
        .find((p) => p.Properties.ManagedPolicyName === name)!.Properties.PolicyDocument);
      const plain = loadPolicy('iam/permissions-boundary', boundaryValues('aws', TOOLING, SECURITY_AUTOMATION_ROLE_PATH.slice(1),
        { stackPrefix: 'Hardening', pipelineRoleName: 'cdk-hardening-pipeline-execution', breakGlassRoleName: 'BreakGlass' }));
      const tooling = rendered(tt, 'SecurityTooling-permissions-boundary') as PolicyDocumentJson;
      expect(tooling.Statement.map((s) => s.Sid)).toEqual(plain.Statement.map((s) => s.Sid));
      expect(tooling.Statement.map((s) => s.Sid)).not.toContain('DenyOrganizationSetup');
      const mgmt = rendered(tm, 'OrgManagement-permissions-boundary') as PolicyDocumentJson;
      expect(mgmt.Statement.map((s) => s.Sid)).toContain('DenyOrganizationSetup');
    });

    test('the exemption fails closed when the boundary document no longer has the statements it moves', () => {
      expect(() => exemptOrganizationSetup({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }))
        .toThrow(/expected one unconditional Deny of organizations:Enable\*, organizations:Register\*/);
    });

    test('fails when it would be added after the boundary is rendered', () => {
      const app = new App();
      const s = new Stack(app, 'Late', { env: { account: ACCOUNT, region: 'us-east-1' } });
      new iam.Role(s, 'Workload', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      applyPermissionsBoundary(app);
      app.synth();
      expect(() => new OrganizationSetup(s, 'Late', PROPS)).toThrow(/already rendered/);
    });
  });

  describe('GuardDutyOrganizationConfiguration', () => {
    test('asks for auto-enable ALL of every plan of lib/lessons, runtime monitoring with its agents; retained', () => {
      tt.hasResource('Custom::GuardDutyOrganizationConfiguration', {
        Properties: {
          Features: GUARDDUTY_FEATURES.map((f) => (f.additionalConfiguration ? { Name: f.name, AdditionalConfiguration: [...f.additionalConfiguration] } : { Name: f.name })),
        },
        DeletionPolicy: 'Retain',
      });
      expect(JSON.stringify(tt.toJSON())).toContain('ECS_FARGATE_AGENT_MANAGEMENT');
    });

    test('takes a subset of the plans when told', () => {
      ta.hasResourceProperties('Custom::GuardDutyOrganizationConfiguration', {
        Features: [{ Name: 'S3_DATA_EVENTS' }, { Name: 'RUNTIME_MONITORING', AdditionalConfiguration: ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'] }],
      });
    });

    test('its role may list detectors, read and update the organization configuration, in its own region only', () => {
      const statements = functionPolicies(tt).filter((s) => !(s.Action as string[]).includes('logs:PutLogEvents'));
      expect(statements).toEqual([{
        Sid: 'ConfigureGuardDutyOrganization', Effect: 'Allow', Resource: '*',
        Action: ['guardduty:DescribeOrganizationConfiguration', 'guardduty:ListDetectors', 'guardduty:UpdateOrganizationConfiguration'],
        Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      }]);
      tt.hasResourceProperties('AWS::IAM::Role', { Path: SECURITY_AUTOMATION_ROLE_PATH, PermissionsBoundary: Match.anyValue() });
    });
  });

  test('no unacknowledged AwsSolutions, NIST 800-53 R5 or BreachLessons finding', () => {
    for (const s of [management, tooling]) {
      for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
        expect(pack.validateScope(s).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath ?? '')}`)).toEqual([]);
      }
      expect(evaluateScope(s).filter((f) => f.status === 'FAIL' || f.status === 'ERROR').map((f) => `${f.ruleId} ${f.resource.id} ${f.message}`)).toEqual([]);
    }
  });
});

describe('construction fails, naming every problem at once', () => {
  const build = (props: Partial<OrganizationSetupProps>) => () => {
    const s = new Stack(new App(), 'M', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new OrganizationSetup(s, 'Org', { ...PROPS, ...props });
  };
  test.each([
    ['a trusted principal that is not a service principal', { trustedServicePrincipals: ['stacksets'] }, "'stacksets' is not a service principal"],
    ['an unknown policy type', { policyTypes: ['TAG_POLICY' as never] }, "'TAG_POLICY' is not one of"],
    ['a delegated administrator of an untrusted service', { delegatedAdministrators: [{ accountId: TOOLING, servicePrincipal: 'config.amazonaws.com' }] }, 'not among trustedServicePrincipals'],
    ['a malformed account id', { guardDutyAdminAccountId: '1234' }, "guardDutyAdminAccountId must be a 12-digit account id, got '1234'"],
    ['the management account as GuardDuty administrator', { guardDutyAdminAccountId: ACCOUNT }, 'is the management account'],
    ['the management account as a delegated administrator', { delegatedAdministrators: [{ accountId: ACCOUNT, servicePrincipal: STACKSETS }] }, 'is the management account'],
    ['no governed region', { governedRegions: [] }, 'governedRegions must name at least one region'],
    ['a malformed region', { governedRegions: ['us-east'] }, "'us-east' is not a region name"],
  ])('when given %s', (_name, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('lists every problem in one message', () => {
    expect(build({ guardDutyAdminAccountId: 'x', governedRegions: [] })).toThrow(/guardDutyAdminAccountId.*; governedRegions must name/);
  });

  test.each([
    [['NOT_A_PLAN'], "'NOT_A_PLAN' is not a protection plan"],
    [[], 'at least one protection plan'],
    [['S3_DATA_EVENTS', 'S3_DATA_EVENTS'], 'lists a plan twice'],
  ])('GuardDutyOrganizationConfiguration with features %j', (features, message) => {
    expect(() => new GuardDutyOrganizationConfiguration(new Stack(new App(), 'T'), 'G', { features })).toThrow(message);
  });

  const AUDIT = { roleName: 'OrganizationAudit', auditorAccountId: TOOLING, auditorRoleName: 'OrganizationAuditor', organizationId: 'o-a1b2c3d4e5' };
  test.each([
    [{ auditorAccountId: '2222' }, "auditorAccountId must be a 12-digit account id, got '2222'"],
    [{ auditorRoleName: '*' }, "auditorRoleName must be an IAM role name (at most 64 characters) with an optional path and * wildcards, not only *, got '*'"],
    [{ auditorRoleName: 'a'.repeat(65) }, `got '${'a'.repeat(65)}'`],
    [{ auditorRoleName: `${'p/'.repeat(260)}Name` }, "got 'p/p/"],
    [{ auditorRoleName: 'a/*' }, "not only *, got 'a/*'"],
    [{ auditorRoleName: 'two words' }, "got 'two words'"],
    [{ auditorRoleName: '/Auditor' }, "got '/Auditor'"],
    [{ organizationId: 'o-short' }, "organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got 'o-short'"],
  ])('OrganizationAuditRole with %j', (props, message) => {
    expect(() => new OrganizationAuditRole(new Stack(new App(), 'T'), 'A', { ...AUDIT, ...props })).toThrow(message);
  });
  test('OrganizationAuditRole trusts the auditor role pattern it is given, in the stack\'s partition', () => {
    const s = new Stack(new App({ context: featureFlags() }), 'T', { env: { account: ACCOUNT, region: 'us-gov-west-1' } });
    new OrganizationAuditRole(s, 'A', { ...AUDIT, auditorRoleName: 'aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Audit_*' });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({
      Principal: { AWS: `arn:aws-us-gov:iam::${TOOLING}:root` },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, ArnLike: { 'aws:PrincipalArn': `arn:aws-us-gov:iam::${TOOLING}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Audit_*` } },
    })] } });
  });

  const AUDITOR = { roleName: 'OrganizationAuditor', auditRoleName: 'OrganizationAudit', organizationId: 'o-a1b2c3d4e5' };
  test.each([
    [{ roleName: 'aws-reserved/sso.amazonaws.com/AWSReservedSSO_Audit_*' }, "roleName must be an IAM role name with an optional path and no *, got 'aws-reserved/sso.amazonaws.com/AWSReservedSSO_Audit_*'"],
    [{ roleName: 'two words' }, "got 'two words'"],
    [{ auditRoleName: 'Audit*' }, "auditRoleName must be an IAM role name, got 'Audit*'"],
    [{ organizationId: 'o-short' }, "organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got 'o-short'"],
    [{ mfaMaxAge: Duration.seconds(3601) }, 'mfaMaxAge must be between 1 and 3600 seconds (IAM-MFA), got 3601'],
    [{ mfaMaxAge: Duration.seconds(0) }, 'got 0'],
  ])('OrganizationAuditor with %j', (props, message) => {
    expect(() => new OrganizationAuditor(new Stack(new App(), 'T'), 'A', { ...AUDITOR, ...props })).toThrow(message);
  });
  test('OrganizationAuditor: a name with a path becomes the role path; MFA within the age given; one hour at most; the bounds are kept', () => {
    expect(OrganizationAuditor.isCreatable('audit/team/Auditor')).toBe(true);
    expect(OrganizationAuditor.isCreatable('*Auditor')).toBe(false);
    expect(OrganizationAuditor.isCreatable('*')).toBe(false);
    const s = new Stack(new App({ context: featureFlags() }), 'T', { env: { account: TOOLING, region: 'us-east-1' } });
    new OrganizationAuditor(s, 'A', { ...AUDITOR, roleName: 'audit/team/Auditor', mfaMaxAge: Duration.minutes(15) });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'Auditor', Path: '/audit/team/', MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '900' } },
      })] },
    });
    // The app bounds every role (applyPermissionsBoundary; test/stacks/organization.test.ts): this stack alone has no boundary.
    const nag = evaluateScope(s, { organizationId: 'o-a1b2c3d4e5' }).filter((f) => f.status === 'FAIL' || f.status === 'ERROR');
    expect(nag.map((f) => `${f.ruleId} ${f.status}: ${f.message}`)).toEqual(['BreachLessons-IAMRolePermissionsBoundary FAIL: The IAM role has no permissions boundary']);
  });
});
