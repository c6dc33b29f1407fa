import { readFileSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { STACKSET_TEMPLATE_BODY_MAX_BYTES } from '../../lib/constructs/stackset-template';
import { GUARDDUTY_PLAN_NAMES } from '../../lib/lessons';
import { evaluate } from '../../lib/policy';
import { buildApp } from '../../lib/stacks/app';
import { Organization, buildOrganization } from '../../lib/stacks/organization';
import { registerChecks } from '../../lib/stacks/hardened-environment';
import { resolvePseudo } from '../../lib/template/intrinsics';
import { cdkJsonContext } from '../helpers/app';
import { ORGANIZATION_EXAMPLE } from '../helpers/organization';
import { decideWithResource } from '../policies/killchain-attack-helpers';
import { FULL_AWS_ACCESS } from '../policies/simulate';

const MGMT = '111111111111';
const TOOLING = '222222222222';
const ARCHIVE = '333333333333';
const ORG = 'o-a1b2c3d4e5';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('organization mode', () => {
  let outdir: string;
  let org: Organization;
  let synthError: unknown;
  const t: Record<string, Template> = {};
  let children: { global: Json; regional: Json; globalText: string; regionalText: string };

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'org-synth-'));
    const context = { ...cdkJsonContext(), ...ORGANIZATION_EXAMPLE };
    const app = new App({ context, outdir });
    const config = parseConfig(context);
    org = buildOrganization(app, config);
    registerChecks(app, { failOn: config.failOn, organizationId: config.organizationId });
    try {
      app.synth();
    } catch (e) {
      synthError = e;
    }
    // The templates as `cdk synth` wrote them (Template.fromStack would synthesize the app again).
    const template = (s: Stack) => Template.fromJSON(JSON.parse(readFileSync(join(outdir, s.templateFile), 'utf8')));
    t.logArchive = template(org.logArchive);
    t.management = template(org.management);
    t.baseline = template(org.baseline);
    for (const s of org.tooling) t[s.region] = template(s);
    const file = (s: Stack) => readFileSync(join(org.templates.stage.outdir, s.templateFile), 'utf8');
    const globalText = file(org.templates.global);
    const regionalText = file(org.templates.regional);
    children = { global: JSON.parse(globalText), regional: JSON.parse(regionalText), globalText, regionalText };
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes offline, clean under AwsSolutions, NIST 800-53 R5 and BreachLessons (the StackSet templates included)', () => {
    expect(synthError).toBeUndefined();
    // No plugin reported any violation (a report is listed only when it has one).
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
    const evidence = readFileSync(join(outdir, 'breach-lessons-evidence.json'), 'utf8');
    expect(evidence).toContain('HardeningBaselineTemplates/HardeningBaselineRegional');
    expect(evidence).toContain('HardeningBaselineTemplates/HardeningBaselineGlobal');
  });

  test('the stacks, each in its account, in deploy order; the templates are not among them', () => {
    expect(org.stacks.map((s) => [s.stackName, s.account, s.region])).toEqual([
      ['HardeningOrgLogArchive', ARCHIVE, 'us-east-1'],
      ['HardeningOrgManagement', MGMT, 'us-east-1'],
      ...REGIONS.map((r) => [`HardeningSecurityTooling-${r}`, TOOLING, r]),
      ['HardeningOrgBaseline', TOOLING, 'us-east-1'],
    ]);
    expect(org.management.dependencies).toContain(org.logArchive);
    for (const s of org.tooling) expect(s.dependencies).toContain(org.management);
    expect(org.baseline.dependencies).toEqual(expect.arrayContaining(org.tooling));
    expect(org.stacks.every((s) => s.terminationProtection)).toBe(true);
  });

  describe('log archive', () => {
    const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:us-east-1:${MGMT}:trail/Hardening-security-organization-trail`]] };
    test('an object-locked archive (compliance, 3 years) under a customer-managed key, logging to an access-log bucket', () => {
      t.logArchive.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `hardening-security-org-archive-${ARCHIVE}`,
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1095 } } },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'organization-trail-archive/' }),
      });
    });
    test('the bucket admits AWSLogs/<orgId>/* and AWSLogs/<management>/*, only from the organization trail', () => {
      const policies = Object.values(t.logArchive.findResources('AWS::S3::BucketPolicy')).map((p) => p.Properties.PolicyDocument.Statement).flat();
      const write = policies.find((s: Json) => s.Sid === 'OrganizationTrailWrite');
      expect(JSON.stringify(write.Resource)).toContain(`/AWSLogs/${MGMT}/*`);
      expect(JSON.stringify(write.Resource)).toContain(`/AWSLogs/${ORG}/*`);
      expect(write.Condition.StringEquals).toEqual({ 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn });
      const acl = policies.find((s: Json) => s.Sid === 'OrganizationTrailAclCheck');
      expect(acl.Condition).toEqual({ StringEquals: { 'aws:SourceArn': trailArn } });
    });
    test('the key lets CloudTrail encrypt only for the management account\'s trails, only from the organization trail', () => {
      const key = Object.values(t.logArchive.findResources('AWS::KMS::Key')).find((k) => JSON.stringify(k).includes('AllowOrganizationTrailEncrypt'))!;
      const stmt = key.Properties.KeyPolicy.Statement.find((s: Json) => s.Sid === 'AllowOrganizationTrailEncrypt');
      expect(stmt.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
      expect(stmt.Condition.StringLike).toEqual({ 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${MGMT}:trail/*` });
      expect(stmt.Condition.StringEquals).toEqual({ 'aws:SourceArn': trailArn });
      const perimeter = key.Properties.KeyPolicy.Statement.find((s: Json) => s.Sid === 'DataPerimeter');
      expect(perimeter.Condition.StringNotEqualsIfExists).toEqual({ 'aws:PrincipalOrgID': ORG });
    });
  });

  describe('management', () => {
    test('each configured SCP attached to its targets, after the organization setup; none other', () => {
      const policies = t.management.findResources('AWS::Organizations::Policy');
      const byName = Object.fromEntries(Object.values(policies).map((p) => [p.Properties.Name, p]));
      expect(Object.keys(byName).sort()).toEqual(['hardening-data-perimeter', 'hardening-deny-root-user', 'hardening-protect-security-services', 'hardening-region-guard']);
      // The data perimeter (RCP) at the root, rendered for this organization.
      expect(byName['hardening-data-perimeter'].Properties).toMatchObject({ Type: 'RESOURCE_CONTROL_POLICY', TargetIds: ['r-ab12'] });
      expect(JSON.stringify(byName['hardening-data-perimeter'].Properties.Content)).toContain(`"aws:PrincipalOrgID":"${ORG}"`);
      expect(byName['hardening-region-guard'].Properties.TargetIds).toEqual(['ou-ab12-cdefgh34']);
      expect(byName['hardening-deny-root-user'].Properties.TargetIds).toEqual(['r-ab12']);
      expect(byName['hardening-protect-security-services'].Properties.TargetIds).toEqual(['r-ab12']);
      expect(byName['hardening-protect-security-services'].Properties.Type).toBe('SERVICE_CONTROL_POLICY');
      expect(JSON.stringify(byName['hardening-protect-security-services'].Properties.Content)).toContain('arn:*:iam::*:role/stacksets-exec-*');
      for (const p of Object.values(policies)) expect(p.DependsOn?.some((d: string) => d.startsWith('OrganizationSetup'))).toBe(true);
    });
    test('the organization setup: trusted access, SCPs enabled, the tooling account delegated administrator, GuardDuty in every governed region', () => {
      t.management.hasResourceProperties('Custom::OrganizationSetup', {
        TrustedServicePrincipals: Match.arrayWith(['cloudtrail.amazonaws.com', 'member.org.stacksets.cloudformation.amazonaws.com', 'access-analyzer.amazonaws.com', 'guardduty.amazonaws.com']),
        PolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'],
        DelegatedAdministrators: [
          { AccountId: TOOLING, ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' },
          { AccountId: TOOLING, ServicePrincipal: 'access-analyzer.amazonaws.com' },
        ],
        GuardDutyAdminAccountId: TOOLING,
        GovernedRegions: REGIONS,
      });
    });
    test('the organization trail: every account and region, validated, into the archive under the archive\'s key, retained', () => {
      const trails = t.management.findResources('AWS::CloudTrail::Trail');
      expect(Object.values(trails)).toHaveLength(1);
      const [trail] = Object.values(trails);
      expect(trail.Properties).toMatchObject({
        IsOrganizationTrail: true, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true,
        S3BucketName: `hardening-security-org-archive-${ARCHIVE}`,
        KMSKeyId: `arn:aws:kms:us-east-1:${ARCHIVE}:alias/hardening/organization-trail`,
        TrailName: 'Hardening-security-organization-trail',
      });
      expect(trail.DeletionPolicy).toBe('Retain');
      expect(trail.DependsOn.some((d: string) => d.startsWith('OrganizationSetup'))).toBe(true);
      t.management.resourceCountIs('AWS::CloudWatch::Alarm', 15);
    });
    test('the management account\'s own audit role: trusted only by the tooling account\'s auditor role within the organization, bounded', () => {
      t.management.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'OrganizationAudit',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: `arn:aws:iam::${TOOLING}:root` }, Condition: {
          StringEquals: { 'aws:PrincipalOrgID': ORG }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${TOOLING}:role/OrganizationAuditor` },
        } })] },
        PermissionsBoundary: Match.anyValue(),
      });
    });
  });

  describe('security tooling, per governed region', () => {
    test.each(REGIONS)('%s: GuardDuty organization configuration with every plan, finding alerts, an organization analyzer, no detector', (region) => {
      const tpl = t[region];
      const config = Object.values(tpl.findResources('Custom::GuardDutyOrganizationConfiguration'));
      expect(config).toHaveLength(1);
      expect(config[0].Properties.Features.map((f: Json) => f.Name).sort()).toEqual([...GUARDDUTY_PLAN_NAMES].sort());
      tpl.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ORGANIZATION', AnalyzerName: 'Hardening-organization' });
      tpl.hasResourceProperties('AWS::Events::Rule', { Name: 'Hardening-security-guardduty-high-severity', EventPattern: Match.objectLike({ source: ['aws.guardduty'] }) });
      tpl.resourceCountIs('AWS::GuardDuty::Detector', 0);
    });
  });

  describe('baseline StackSets', () => {
    const stackSets = () => Object.values(t.baseline.findResources('AWS::CloudFormation::StackSet'));
    const named = (n: string) => stackSets().find((s) => s.Properties.StackSetName === n)!;

    test('service-managed, run by the delegated administrator, auto-deployed and retained, operation preferences from config', () => {
      expect(stackSets()).toHaveLength(2);
      for (const s of stackSets()) {
        expect(s.Properties).toMatchObject({
          PermissionModel: 'SERVICE_MANAGED',
          CallAs: 'DELEGATED_ADMIN',
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
          ManagedExecution: { Active: true },
          OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 0, RegionConcurrencyType: 'SEQUENTIAL' },
        });
        expect(s.Properties.StackInstancesGroup).toEqual([expect.objectContaining({
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'], Accounts: ['444444444444'], AccountFilterType: 'DIFFERENCE' },
        })]);
      }
      expect(named('Hardening-baseline-global').Properties.StackInstancesGroup[0].Regions).toEqual(['us-east-1']);
      expect(named('Hardening-baseline-regional').Properties.StackInstancesGroup[0].Regions).toEqual(REGIONS);
    });

    test('the regional baseline waits for the global one (auto-deployment and first deployment), and gets the alert address', () => {
      const regional = named('Hardening-baseline-regional');
      expect(JSON.stringify(regional.Properties.AutoDeployment.DependsOn)).toContain('GlobalBaseline');
      expect(regional.DependsOn).toEqual([expect.stringMatching(/^GlobalBaseline/)]);
      expect(regional.Properties.Parameters).toEqual([{ ParameterKey: 'AlertEmail', ParameterValue: { Ref: 'AlertEmail' } }]);
    });

    test('each TemplateBody is the template the packs checked, byte for byte (minified), under the 51,200-byte limit', () => {
      const global = named('Hardening-baseline-global').Properties.TemplateBody;
      const regional = named('Hardening-baseline-regional').Properties.TemplateBody;
      expect(global).toBe(JSON.stringify(children.global));
      expect(regional).toBe(JSON.stringify(children.regional));
      for (const body of [global, regional]) expect(Buffer.byteLength(body)).toBeLessThan(STACKSET_TEMPLATE_BODY_MAX_BYTES);
    });

    test('the templates are free of assets, bootstrap parameter and rule, imports and literal accounts or regions', () => {
      for (const [text, tpl] of [[children.globalText, children.global], [children.regionalText, children.regional]] as const) {
        expect(tpl.Rules).toBeUndefined();
        expect(Object.keys(tpl.Parameters ?? {})).not.toContain('BootstrapVersion');
        expect(text).not.toContain('Fn::ImportValue');
        expect(text).not.toMatch(/cdk-[a-z0-9]+-assets-|AssetParameters|"S3Bucket"/);
        // The Metadata says it is a StackSet template, never deployed to the management or the excluded account
        // (the packs and `check` compare environments with it); it deploys nothing.
        expect(tpl.Metadata).toEqual({ 'cdk-hardening:stackset-template': { excludedAccounts: [MGMT, '444444444444'] } });
        const deployed = JSON.stringify({ ...tpl, Metadata: undefined });
        // The only literal account deployed is the tooling account the audit role trusts; no literal region at all.
        expect([...new Set(deployed.match(/\b\d{12}\b/g) ?? [])].filter((a) => a !== TOOLING)).toEqual([]);
        expect(text).not.toMatch(/\b(us|eu)-(east|west)-\d\b/);
      }
    });

    test('every role of the templates carries the permissions boundary; the regional template has no role (it would collide across regions)', () => {
      const roles = Object.values(children.global.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::IAM::Role');
      expect(roles.map((r) => r.Properties.RoleName).filter(Boolean).sort()).toEqual(['Hardening-administrators', 'Hardening-auditors', 'Hardening-backup-service', 'Hardening-operators', 'OrganizationAudit']);
      // and the password policy's function role, on the security-automation path
      expect(roles.filter((r) => !r.Properties.RoleName).map((r) => r.Properties.Path)).toEqual(['/cdk-hardening/security-automation/']);
      for (const r of roles) expect(r.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^PermissionsBoundary/) });
      expect(Object.values(children.regional.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::IAM::Role')).toEqual([]);
    });

    test('the global template sets the account password policy through inline code, with the CIS floor', () => {
      const res = Object.values(children.global.Resources as Record<string, Json>);
      const policy = res.find((r) => r.Type === 'Custom::AccountPasswordPolicy')!;
      const call = JSON.parse(policy.Properties.Create);
      expect(call).toMatchObject({ service: 'IAM', action: 'updateAccountPasswordPolicy', parameters: { MinimumPasswordLength: 14, PasswordReusePrevention: 24, MaxPasswordAge: 90 } });
      expect(policy.Properties.Update).toBe(policy.Properties.Create);
      const fn = res.find((r) => r.Type === 'AWS::Lambda::Function')!;
      expect(fn.Properties.Code.ZipFile).toContain('UpdateAccountPasswordPolicyCommand');
      expect(fn.Properties.Code.S3Bucket).toBeUndefined();
    });

    test('the global template: the audit role trusted only by the tooling account\'s auditor role within the organization; human roles need MFA', () => {
      const audit = Object.values(children.global.Resources as Record<string, Json>).find((r) => r.Properties?.RoleName === 'OrganizationAudit')!;
      expect(audit.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TOOLING}:root`]] } },
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': ORG },
          ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TOOLING}:role/OrganizationAuditor`]] } },
        },
      })]);
      const admins = Object.values(children.global.Resources as Record<string, Json>).find((r) => r.Properties?.RoleName === 'Hardening-administrators')!;
      expect(admins.Properties.AssumeRolePolicyDocument.Statement[0].Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
    });

    test('the audit role, attacked: a stolen user key or another role of the tooling account, a same-named role outside it or outside the organization are refused; the auditor role\'s session is let in (our evaluator and the simulator agree)', async () => {
      const audit = Object.values(children.global.Resources as Record<string, Json>).find((r) => r.Properties?.RoleName === 'OrganizationAudit')!;
      const trust = resolvePseudo(audit.Properties.AssumeRolePolicyDocument, { 'AWS::Partition': 'aws' });
      const role = 'arn:aws:iam::555555555555:role/OrganizationAudit';
      const session = (account: string, roleName: string, orgId = ORG) => ({
        principal: { arn: `arn:aws:sts::${account}:assumed-role/${roleName}/s`, account, type: 'AssumedRole' as const, orgId, roleArn: `arn:aws:iam::${account}:role/${roleName}` },
        pa: `arn:aws:iam::${account}:role/${roleName}`,
      });
      const attempts = {
        'the auditor role of the tooling account': { ...session(TOOLING, 'OrganizationAuditor'), allowed: true },
        'a stolen access key of a tooling user': { principal: { arn: `arn:aws:iam::${TOOLING}:user/ci`, account: TOOLING, type: 'User' as const, orgId: ORG }, pa: `arn:aws:iam::${TOOLING}:user/ci`, allowed: false },
        'a compromised workload role of the tooling account': { ...session(TOOLING, 'build-runner'), allowed: false },
        'a role named like the auditor in a member account': { ...session('444455556666', 'OrganizationAuditor'), allowed: false },
        'the auditor role of a tooling account that left the organization': { ...session(TOOLING, 'OrganizationAuditor', 'o-zzzzzzzzzz'), allowed: false },
      };
      for (const [who, a] of Object.entries(attempts)) {
        const ours = evaluate({ principal: a.principal, action: 'sts:AssumeRole', resource: role },
          { identity: [{ name: 'caller', document: FULL_AWS_ACCESS }], resourcePolicy: { name: 'trust', document: trust } });
        const oracle = await decideWithResource({ principal: a.principal.arn, principalAccount: a.principal.account, action: 'sts:AssumeRole', resource: role, resourceAccount: '555555555555',
          resourcePolicy: trust as object, context: { 'aws:PrincipalArn': a.pa, 'aws:PrincipalOrgID': a.principal.orgId } });
        expect([who, ours.decision, oracle]).toEqual([who, a.allowed ? 'Allow' : 'ImplicitDeny', a.allowed ? 'Allowed' : 'ImplicitlyDenied']);
      }
    });

    test('the audit role, attacked from inside: a session of it cannot chain into another role its account trusts (it holds no sts:AssumeRole)', async () => {
      const res = Object.values(children.global.Resources as Record<string, Json>);
      const reads = res.find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).includes('organization audit: the reads'))!;
      const identity = resolvePseudo(reads.Properties.PolicyDocument, { 'AWS::Partition': 'aws' }) as Json;
      const member = '555555555555';
      const principal = { arn: `arn:aws:sts::${member}:assumed-role/OrganizationAudit/cdk-hardening-audit`, account: member, type: 'AssumedRole' as const, orgId: ORG, roleArn: `arn:aws:iam::${member}:role/OrganizationAudit` };
      // A role trusting its own account (the CDK bootstrap's deploy role does; so do many workload roles).
      const target = `arn:aws:iam::${member}:role/cdk-hnb659fds-deploy-role-${member}-us-east-1`;
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${member}:root` }, Action: 'sts:AssumeRole' }] };
      const ours = evaluate({ principal, action: 'sts:AssumeRole', resource: target }, { identity: [{ name: 'reads', document: identity }], resourcePolicy: { name: 'trust', document: trust } });
      const oracle = await decideWithResource({ principal: principal.arn, principalAccount: member, action: 'sts:AssumeRole', resource: target, resourceAccount: member,
        identityPolicies: [identity], resourcePolicy: trust, context: { 'aws:PrincipalArn': principal.roleArn, 'aws:PrincipalOrgID': ORG } });
      expect([ours.decision, oracle]).toEqual(['ImplicitDeny', 'ImplicitlyDenied']);
    });

    test('the auditor role people run the audit as: in the tooling account, one region\'s stack only; MFA required; it may assume only the audit role, only in the organization', async () => {
      const [first, ...others] = REGIONS;
      const auditors = (r: string) => Object.values(t[r].findResources('AWS::IAM::Role', { Properties: { RoleName: 'OrganizationAuditor' } }));
      expect(others.map(auditors)).toEqual(others.map(() => []));
      const resources = t[first].toJSON().Resources as Record<string, Json>;
      const [role] = auditors(first) as Json[];
      expect(role.Properties.MaxSessionDuration).toBe(3600);
      expect(role.Properties.PermissionsBoundary).toBeDefined();
      const trust = resolvePseudo(role.Properties.AssumeRolePolicyDocument, { 'AWS::Partition': 'aws', 'AWS::AccountId': TOOLING }) as Json;
      const policies = (role.Properties.ManagedPolicyArns as Json[]).map((ref) => resolvePseudo(resources[ref.Ref].Properties.PolicyDocument, { 'AWS::Partition': 'aws' }) as Json);
      expect(policies).toHaveLength(2);
      const auditor = `arn:aws:iam::${TOOLING}:role/OrganizationAuditor`;
      const user = { arn: `arn:aws:iam::${TOOLING}:user/alice`, account: TOOLING, type: 'User' as const, orgId: ORG };
      const MFA = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' };
      const trustAttempts: Array<[string, Record<string, string>, boolean]> = [
        ['a stolen access key of a tooling user (no MFA)', {}, false],
        ['the user with MFA a minute ago', MFA, true],
        ['the user with MFA two hours ago', { ...MFA, 'aws:MultiFactorAuthAge': '7200' }, false],
      ];
      for (const [who, context, allowed] of trustAttempts) {
        const ours = evaluate({ principal: user, action: 'sts:AssumeRole', resource: auditor, context }, { identity: [{ name: 'caller', document: FULL_AWS_ACCESS }], resourcePolicy: { name: 'trust', document: trust } });
        const oracle = await decideWithResource({ principal: user.arn, principalAccount: TOOLING, action: 'sts:AssumeRole', resource: auditor, resourceAccount: TOOLING,
          resourcePolicy: trust as object, context: { 'aws:PrincipalOrgID': ORG, ...context } });
        expect([who, ours.decision, oracle]).toEqual([who, allowed ? 'Allow' : 'ImplicitDeny', allowed ? 'Allowed' : 'ImplicitlyDenied']);
      }
      const session = { arn: `arn:aws:sts::${TOOLING}:assumed-role/OrganizationAuditor/alice`, account: TOOLING, type: 'AssumedRole' as const, orgId: ORG, roleArn: auditor };
      const identity = policies.map((document, i) => ({ name: `p${i}`, document }));
      // Each role trusts the auditor: the audit role as the stacks build it, the others as an intruder would wish.
      const auditTrust = resolvePseudo(Object.values(children.global.Resources as Record<string, Json>).find((r) => r.Properties?.RoleName === 'OrganizationAudit')!
        .Properties.AssumeRolePolicyDocument, { 'AWS::Partition': 'aws' }) as Json;
      const trustsAuditor = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: auditor }, Action: 'sts:AssumeRole' }] };
      const attempts: Array<[string, string, string, string, Json | undefined, boolean]> = [
        ['the audit role of a member account', 'sts:AssumeRole', 'arn:aws:iam::555555555555:role/OrganizationAudit', ORG, auditTrust, true],
        ['the audit role of the management account', 'sts:AssumeRole', `arn:aws:iam::${MGMT}:role/OrganizationAudit`, ORG, auditTrust, true],
        ['a deploy role of a member account', 'sts:AssumeRole', 'arn:aws:iam::555555555555:role/cdk-hnb659fds-deploy-role-555555555555-us-east-1', ORG, trustsAuditor, false],
        ['a role named like the audit role outside the organization', 'sts:AssumeRole', 'arn:aws:iam::999999999999:role/OrganizationAudit', 'o-zzzzzzzzzz', trustsAuditor, false],
        ['a write in its own account', 'iam:CreateUser', `arn:aws:iam::${TOOLING}:user/backdoor`, ORG, undefined, false],
      ];
      for (const [what, action, resource, resourceOrg, resourcePolicy, allowed] of attempts) {
        const account = resource.split(':')[4];
        const context = { 'aws:ResourceOrgID': resourceOrg };
        const ours = evaluate({ principal: session, action, resource, resourceAccount: account, context },
          { identity, ...(resourcePolicy ? { resourcePolicy: { name: 'trust', document: resourcePolicy } } : {}) });
        const oracle = await decideWithResource({ principal: session.arn, principalAccount: TOOLING, action, resource, resourceAccount: account, resourcePolicy,
          identityPolicies: policies, context: { 'aws:PrincipalArn': auditor, 'aws:PrincipalOrgID': ORG, ...context } });
        expect([what, ours.decision === 'Allow', oracle]).toEqual([what, allowed, allowed ? 'Allowed' : 'ImplicitlyDenied']);
      }
    });

    test('the regional template: no detector; a locked vault and a plan using the global backup role; the account alert rules', () => {
      const res = Object.values(children.regional.Resources as Record<string, Json>);
      expect(res.filter((r) => r.Type.startsWith('AWS::GuardDuty::'))).toEqual([]);
      const vault = res.find((r) => r.Type === 'AWS::Backup::BackupVault')!;
      expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 90, MaxRetentionDays: 3650, ChangeableForDays: 3 });
      const selection = res.find((r) => r.Type === 'AWS::Backup::BackupSelection')!;
      expect(JSON.stringify(selection.Properties.BackupSelection.IamRoleArn)).toContain(':role/Hardening-backup-service');
      const rules = res.filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.Name);
      expect(rules).toEqual(expect.arrayContaining(['Hardening-security-root-sign-in', 'Hardening-security-console-sign-in-without-mfa', 'Hardening-security-break-glass-use']));
      // Key administrators: the StackSets execution role (the deployer in a member account) and break-glass.
      expect(JSON.stringify(res.filter((r) => r.Type === 'AWS::KMS::Key'))).toContain(':role/stacksets-exec-*');
    });
  });
});

describe('buildApp', () => {
  test('branches on deploymentMode: organization mode builds no account-mode stack', () => {
    const app = new App({ context: { ...cdkJsonContext(), ...ORGANIZATION_EXAMPLE } });
    const stacks = buildApp(app, parseConfig({ ...cdkJsonContext(), ...ORGANIZATION_EXAMPLE }));
    expect(stacks.map((s) => s.stackName)).not.toContain('HardeningData');
    expect(stacks.map((s) => s.stackName)).toContain('HardeningOrgBaseline');
  });

  test('an auditor role IAM Identity Center creates (a name with *) is not built; a literal one is, in the first region only', () => {
    const build = (auditorRoleName?: string) => {
      const context = { ...cdkJsonContext(), ...ORGANIZATION_EXAMPLE, ...(auditorRoleName ? { 'hardening:auditorRoleName': auditorRoleName } : {}) };
      return buildOrganization(new App({ context }), parseConfig(context)).tooling.map((s) => s.auditor?.role.node.path);
    };
    expect(build('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Audit_*')).toEqual(REGIONS.map(() => undefined));
    expect(build()).toEqual([`HardeningSecurityTooling-${REGIONS[0]}/Auditor/Resource`, undefined, undefined]);
  });
});
