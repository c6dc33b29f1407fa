import { readFileSync } from 'fs';
import { join } from 'path';
import { App, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { StackSetTemplate, StackSetTemplateSynthesizer, StackSetTemplates } from '../../lib/constructs/stackset-template';
import { Finding } from '../../lib/findings';
import { evaluateScope } from '../../lib/nag/evaluate';
import { rulesNamed } from '../../lib/nag/rules';
import { ServiceControlPolicies } from '../../lib/constructs/service-control-policies';
import { scpValues } from '../../lib/policies';
import { registerChecks } from '../../lib/stacks/hardened-environment';
import { environmentOf, relatePart } from '../../lib/nag/resource-index';
import { featureFlags } from '../helpers/app';

const MGMT = '111111111111';
const TOOLING = '222222222222';
const OUS = ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'];
const VALUES = scpValues({ stackPrefix: 'Hardening', breakGlassRoleName: 'Hardening-break-glass', pipelineRoleName: 'Hardening-pipeline', allowedRegions: ['us-east-1'], securityToolingAccountId: TOOLING });

interface OrgApp {
  readonly app: App;
  readonly template: Stack;
  readonly parent: Stack;
  readonly management: Stack;
}

/**
 * A management stack (SCPs), a StackSet template holding a CustomerManagedKey (its administrator: the
 * StackSets execution role, by pattern) and the StackSet that deploys it to `targets`.
 */
function orgApp(o: { scps?: (s: Stack) => void; targets?: (parent: Stack) => string[]; stackSet?: boolean; build?: (t: Stack) => void } = {}): OrgApp {
  const app = new App({ context: featureFlags() });
  const management = new Stack(app, 'Management', { env: { account: MGMT, region: 'us-east-1' } });
  o.scps?.(management);
  const stage = new StackSetTemplates(app, 'Templates');
  const template = stage.add(new Stack(stage, 'Baseline', { synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: [MGMT] }) }));
  (o.build ?? ((t: Stack) => new CustomerManagedKey(t, 'Key', { alias: 'baseline/vault' })))(template);
  const parent = new Stack(app, 'Baseline', { env: { account: TOOLING, region: 'us-east-1' } });
  if (o.stackSet !== false) {
    new StackSetTemplate(parent, 'Global', {
      stackSetName: 'baseline', description: 'baseline', template, organizationalUnitIds: o.targets?.(parent) ?? OUS, regions: ['us-east-1'],
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' },
    });
  }
  return { app, template, parent, management };
}

function keyFinding(a: OrgApp, path = 'Templates/Baseline/Key/Resource/Resource'): Finding {
  const all = evaluateScope(a.app, { rules: rulesNamed('KMSKeyPolicyNamedAdministrators'), now: new Date('2026-01-01T00:00:00Z') });
  const hits = all.filter((f) => f.resource.id === path);
  expect(hits).toHaveLength(1);
  return hits[0];
}

const protectAt = (targetIds: string[]) => (s: Stack) => new ServiceControlPolicies(s, 'Scps', { values: VALUES, targetIds, policies: ['scp/protect-security-services'] });
const scpOf = (document: unknown, targetIds: string[]) => (s: Stack) => new organizations.CfnPolicy(s, 'Custom', {
  name: 'custom', type: 'SERVICE_CONTROL_POLICY', content: document, targetIds,
});
const denyTakeover = (Action: string[], Condition?: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Guard', Effect: 'Deny', Action, Resource: 'arn:*:iam::*:role/stacksets-exec-*', ...(Condition ? { Condition } : {}) }],
});

describe('BreachLessons-KMSKeyPolicyNamedAdministrators in a StackSet template: the stacksets-exec-* administrator', () => {
  test('Compliance 1: protect-security-services at the organization root guards the name in every account', () => {
    const f = keyFinding(orgApp({ scps: protectAt(['r-ab12']) }));
    expect([f.status, f.message]).toEqual(['PASS', 'Only the administrators the key policy names may change it']);
  });

  test('Compliance 2: attached to every OU the StackSets deploy to', () => {
    expect(keyFinding(orgApp({ scps: protectAt(OUS) })).status).toBe('PASS');
  });

  test('Compliance 3: a custom SCP denying both ways to take the name (create, re-trust) with break-glass exempt by exact name', () => {
    const doc = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/Hardening-break-glass' } });
    expect(keyFinding(orgApp({ scps: scpOf(doc, ['r-ab12']) })).status).toBe('PASS');
  });

  test('Compliance 4: an SCP that lets the StackSets role itself manage stacksets-exec-* roles still guards the name (only that role may)', () => {
    const doc = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/stacksets-exec-*' } });
    expect(keyFinding(orgApp({ scps: scpOf(doc, ['r-ab12']) })).status).toBe('PASS');
  });

  test('Noncompliance 1: the SCP reaches one of the two target OUs; the finding names the OU left open', () => {
    const f = keyFinding(orgApp({ scps: protectAt([OUS[0]]) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('a principal matching arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-* (arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-any) may change the key policy');
    expect(f.message).toContain(`no SCP that denies creating or re-trusting a stacksets-exec-* role is attached to ${OUS[1]}`);
  });

  test('Noncompliance 2: no SCP in the app at all', () => {
    const f = keyFinding(orgApp({}));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no SCP of the app denies creating or re-trusting a stacksets-exec-* role');
  });

  test('Noncompliance 3: reads right, means otherwise: the SCP denies creating the role but not rewriting the trust of one', () => {
    const f = keyFinding(orgApp({ scps: scpOf(denyTakeover(['iam:CreateRole']), ['r-ab12']) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no SCP of the app denies creating or re-trusting');
    expect(f.message).toContain('may call iam:UpdateAssumeRolePolicy on arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-breachlessons (no statement of the SCP custom denies it)');
  });

  test('Noncompliance 4: reads right, means otherwise: the SCP exempts every role named Admin* (anyone may create one)', () => {
    const doc = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/Admin*' } });
    const f = keyFinding(orgApp({ scps: scpOf(doc, ['r-ab12']) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('a principal matching arn:*:iam::*:role/Admin* (arn:aws:iam::${AWS::AccountId}:role/Adminany)');
  });

  test('Noncompliance 5: reads right, means otherwise: a negated condition on a key AWS always sends (the deny never applies)', () => {
    const doc = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { StringNotEquals: { 'aws:PrincipalAccount': '${aws:PrincipalAccount}' } });
    expect(keyFinding(orgApp({ scps: scpOf(doc, ['r-ab12']) })).status).toBe('FAIL');
  });

  test('Noncompliance 6: a template no StackSet of the app deploys: nothing shows which accounts get it', () => {
    const f = keyFinding(orgApp({ scps: protectAt(['r-ab12']), stackSet: false }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no service-managed StackSet of the app deploys this template');
  });

  test('Noncompliance 7: outside a StackSet template the pattern is a wildcard like any other, SCP or not', () => {
    const a = orgApp({ scps: protectAt(['r-ab12']) });
    const s = new Stack(a.app, 'Workload', { env: { account: '555555555555', region: 'us-east-1' } });
    new CustomerManagedKey(s, 'Key', { alias: 'workload', administratorArns: ['arn:aws:iam::555555555555:role/stacksets-exec-*'] });
    expect(keyFinding(a, 'Workload/Key/Resource/Resource').status).toBe('FAIL');
  });

  test('Error: an SCP whose content cannot be resolved is reported, never counted as a guard', () => {
    const a = orgApp({ scps: (s) => scpOf({ 'Fn::ImportValue': 'some-scp' }, ['r-ab12'])(s) });
    const f = keyFinding(a);
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/cannot verify/);
  });

  test('Noncompliance 8: a resource control policy with the same deny guards nothing (RCPs do not restrict IAM actions of principals)', () => {
    const rcp = (s: Stack) => new organizations.CfnPolicy(s, 'Rcp', {
      name: 'rcp', type: 'RESOURCE_CONTROL_POLICY', content: denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy']), targetIds: ['r-ab12'],
    });
    const f = keyFinding(orgApp({ scps: rcp }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no SCP of the app denies creating or re-trusting a stacksets-exec-* role');
  });

  test('Noncompliance 9: reads right, means otherwise: the deny exempts principals tagged team=security (anyone who may tag a role)', () => {
    const doc = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { StringNotEquals: { 'aws:PrincipalTag/team': 'security' } });
    const f = keyFinding(orgApp({ scps: scpOf(doc, ['r-ab12']) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('tagged team=security may call iam:CreateRole');
  });

  test('Error: an SCP whose deny depends on a value only known at deployment is reported, never counted as a guard', () => {
    const f = keyFinding(orgApp({
      scps: (s) => scpOf(denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { StringNotEquals: { 'aws:PrincipalTag/team': new CfnParameter(s, 'Team').valueAsString } }), ['r-ab12'])(s),
    }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify the SCP custom guards the stacksets-exec-* role names');
  });

  test('Error: a StackSet target given as a parameter cannot be verified (it may be any OU)', () => {
    const f = keyFinding(orgApp({ scps: protectAt([OUS[0]]), targets: (parent) => [OUS[0], new CfnParameter(parent, 'Ou').valueAsString] }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('OrganizationalUnitIds entry of Baseline/Global/Resource');
  });
});

describe('a StackSet template is never deployed to the management account', () => {
  test('its account excludes the management account: different from it, unknown against any other', () => {
    const a = orgApp({});
    const t = environmentOf(a.template).account;
    expect(relatePart(t, environmentOf(a.management).account)).toBe('different');
    expect(relatePart(environmentOf(a.management).account, t)).toBe('different');
    expect(relatePart(t, environmentOf(a.parent).account)).toBe('unknown');
  });

  test('BreachLessons-CloudTrailPipelineBoundaryProtected: the template\'s boundary does not judge the management trail\'s log group', () => {
    const a = orgApp({
      scps: protectAt(['r-ab12']),
      build: (t) => {
        new CustomerManagedKey(t, 'Key', { alias: 'baseline/vault' });
        // A boundary that allows everything: bounding a role of the template with it protects nothing.
        const boundary = new iam.ManagedPolicy(t, 'Open', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
        new iam.Role(t, 'Role', { assumedBy: new iam.AccountRootPrincipal(), permissionsBoundary: boundary });
      },
    });
    const group = new logs.LogGroup(a.management, 'TrailGroup', { logGroupName: 'Hardening-security-organization-cloudtrail' });
    new cloudtrail.CfnTrail(a.management, 'Trail', {
      isLogging: true, s3BucketName: 'archive', cloudWatchLogsLogGroupArn: group.logGroupArn, cloudWatchLogsRoleArn: 'arn:aws:iam::111111111111:role/x',
    });
    const f = evaluateScope(a.app, { rules: rulesNamed('CloudTrailPipelineBoundaryProtected'), now: new Date('2026-01-01T00:00:00Z') })
      .filter((x) => x.resource.id === 'Management/TrailGroup/Resource');
    expect(f).toHaveLength(1);
    // Only the management account's own (absent) boundaries count: the template's open boundary is not named.
    expect(f[0].status).toBe('FAIL');
    expect(f[0].message).toContain('no role or user of the app in the log group\'s account has a permissions boundary');
    expect(f[0].message).not.toContain('Templates/Baseline/Open');
  });
});

describe('cdk synth sees violations in StackSet templates: they are reported on the StackSet too', () => {
  function synthReport(o: Parameters<typeof orgApp>[0]): { error?: string; violations: { ruleName: string; paths: string[] }[] } {
    const a = orgApp(o);
    registerChecks(a.app);
    let error: string | undefined;
    try {
      a.app.synth();
    } catch (e) {
      error = (e as Error).message;
    }
    const report = JSON.parse(readFileSync(join(a.app.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath?: string }[] }[] }[];
    };
    return {
      error,
      violations: report.pluginReports.flatMap((r) => r.violations.map((v) => ({ ruleName: v.ruleName, paths: v.violatingConstructs.map((c) => c.constructPath ?? '') }))),
    };
  }

  test('a BreachLessons and a cdk-nag violation in the template name the template resource and the StackSet resource', () => {
    const r = synthReport({ scps: protectAt(['r-ab12']), build: (t) => { new s3.CfnBucket(t, 'Plain'); } });
    expect(r.error).toContain('Templates/Baseline/Plain');
    const on = (rule: RegExp) => r.violations.filter((v) => rule.test(v.ruleName));
    for (const rule of [/^BreachLessons-S3/, /^AwsSolutions-S1/, /^NIST/]) {
      const vs = on(rule);
      expect(vs.length).toBeGreaterThan(0);
      for (const v of vs) expect(v.paths).toEqual(expect.arrayContaining(['Templates/Baseline/Plain', 'Baseline/Global/Resource']));
    }
  });

  test('a plain CDK acknowledgement of a cdk-nag rule on the template resource still suppresses it (the StackSet is not named for it)', () => {
    const r = synthReport({
      scps: protectAt(['r-ab12']),
      build: (t) => {
        const b = new s3.CfnBucket(t, 'Plain');
        Validations.of(b).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'server access logs go to the organization archive' });
      },
    });
    expect(r.violations.filter((v) => v.ruleName === 'AwsSolutions-S1')).toEqual([]);
    // Not acknowledged: still reported on the template resource and its StackSet.
    expect(r.violations.find((v) => v.ruleName === 'AwsSolutions-S10')?.paths).toEqual(expect.arrayContaining(['Templates/Baseline/Plain', 'Baseline/Global/Resource']));
  });

  test('a plain CDK acknowledgement of a BreachLessons rule is refused (fatal): the violation stays, on the StackSet too', () => {
    const r = synthReport({
      scps: protectAt(['r-ab12']),
      build: (t) => {
        const b = new s3.CfnBucket(t, 'Plain');
        Validations.of(b).acknowledge({ id: 'BreachLessons::BreachLessons-S3BucketVersioning', reason: 'versioning is not needed for this bucket' });
      },
    });
    expect(r.violations.find((v) => v.ruleName === 'BreachLessons-S3BucketVersioning')?.paths).toEqual(expect.arrayContaining(['Templates/Baseline/Plain', 'Baseline/Global/Resource']));
  });

  test('a violation outside any template is not attributed to a StackSet', () => {
    const r = synthReport({ scps: (s) => { protectAt(['r-ab12'])(s); new s3.CfnBucket(s, 'Plain'); } });
    const management = r.violations.filter((v) => v.paths.includes('Management/Plain'));
    expect(management.length).toBeGreaterThan(0);
    for (const v of management) expect(v.paths).toEqual(['Management/Plain']);
  });
});

describe('the stacksets-exec-* guard: what the finding shows an auditor, and shapes that must not pass', () => {
  const GUARD = denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy']);
  const named = (name: string, document: unknown, targetIds: unknown) => (s: Stack) => new organizations.CfnPolicy(s, `Scp-${name}`, {
    name, type: 'SERVICE_CONTROL_POLICY', content: document, targetIds: targetIds as string[],
  });
  /** A key naming the StackSets execution role of ANY account as administrator: SCPs never reach another organization's accounts. */
  const anyAccountExec = (t: Stack) => new CustomerManagedKey(t, 'Key', { alias: 'baseline/vault', administratorArns: ['arn:aws:iam::*:role/stacksets-exec-*'] });
  /** A StackSet of the management stack, written in L1. */
  const rawStackSet = (s: Stack, permissionModel: string, deploymentTargets: unknown) => new cloudformation.CfnStackSet(s, 'Raw', {
    stackSetName: 'raw', permissionModel, templateBody: '{}',
    stackInstancesGroup: [{ regions: ['us-east-1'], deploymentTargets: deploymentTargets as cloudformation.CfnStackSet.DeploymentTargetsProperty }],
  });

  test('fails when the key names the execution role of any account, however well the SCPs at the root guard the organization; the SCPs found are named', () => {
    const f = keyFinding(orgApp({ scps: (s) => { named('custom', GUARD, ['r-ab12'])(s); named('second', GUARD, ['r-ab12'])(s); }, build: anyAccountExec }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('a principal matching arn:aws:iam::*:role/stacksets-exec-*');
    expect(f.message).toContain('custom, second at the organization root r-ab12 deny creating or re-trusting a stacksets-exec-* role');
  });

  test('fails when the key names the execution role of any account, with the SCPs at the target OUs; each OU is named with its SCPs', () => {
    const f = keyFinding(orgApp({ scps: (s) => { named('custom', GUARD, OUS)(s); named('second', GUARD, [OUS[0]])(s); }, build: anyAccountExec }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`custom, second at ${OUS[0]}; custom at ${OUS[1]}`);
  });

  test('a guarded pattern excuses only itself: role/Admin* beside it among the administrators fails, and only Admin* is named', () => {
    const f = keyFinding(orgApp({
      scps: protectAt(['r-ab12']),
      build: (t) => new CustomerManagedKey(t, 'Key', { alias: 'baseline/vault' }).addAdministrators(`arn:aws:iam::${t.account}:role/Admin*`),
    }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('a principal matching arn:aws:iam::${AWS::AccountId}:role/Admin*');
    expect(f.message).not.toContain('role/stacksets-exec-any');
  });

  test('an unguarded pattern beside a grant to the account root: both reasons, and why the pattern is not guarded', () => {
    const f = keyFinding(orgApp({
      build: (t) => new kms.CfnKey(t, 'Key', { keyPolicy: { Version: '2012-10-17', Statement: [
        { Sid: 'Exec', Effect: 'Allow', Principal: { AWS: `arn:${t.partition}:iam::${t.account}:role/stacksets-exec-*` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:${t.partition}:iam::${t.account}:root` }, Action: 'kms:*', Resource: '*' },
      ] } }),
    }), 'Templates/Baseline/Key');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('any principal of account ${AWS::AccountId} whose IAM policies allow it may change the key policy');
    expect(f.message).toContain('no SCP of the app denies creating or re-trusting a stacksets-exec-* role, so a principal of an account the StackSets deploy to');
  });

  test('a template key that does not name the pattern is not blamed on the SCPs: the finding gives only its own reason', () => {
    const f = keyFinding(orgApp({ stackSet: false, build: (t) => new kms.Key(t, 'Key') }), 'Templates/Baseline/Key/Resource');
    expect([f.status, f.message]).toEqual(['FAIL', 'Principals other than the administrators the key policy names may change the key policy (kms:PutKeyPolicy) '
      + '(any principal of account ${AWS::AccountId} whose IAM policies allow it may change the key policy with an access key (statement 1))']);
  });

  test('fails when the only StackSet is self-managed (its role is not stacksets-exec-*), even with the SCP at the OUs it names', () => {
    const f = keyFinding(orgApp({ stackSet: false, scps: (s) => { protectAt(OUS)(s); rawStackSet(s, 'SELF_MANAGED', { organizationalUnitIds: OUS }); } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no service-managed StackSet of the app deploys this template');
  });

  test('Error: DeploymentTargets given as a parameter cannot be verified; the error names the StackSet', () => {
    const f = keyFinding(orgApp({ stackSet: false, scps: (s) => { protectAt(OUS)(s); rawStackSet(s, 'SERVICE_MANAGED', new CfnParameter(s, 'Targets').value); } }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify DeploymentTargets of Management/Raw');
  });

  test('a StackInstancesGroup whose DeploymentTargets an override removed reaches no OU: fails, never passes nor crashes', () => {
    const f = keyFinding(orgApp({ stackSet: false, scps: (s) => {
      protectAt(['r-ab12'])(s);
      rawStackSet(s, 'SERVICE_MANAGED', { organizationalUnitIds: OUS }).addDeletionOverride('Properties.StackInstancesGroup.0.DeploymentTargets');
    } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no service-managed StackSet of the app deploys this template');
  });

  test('an override leaving an empty slot in StackInstancesGroup (rendered as null) reaches no OU: fails, never passes nor crashes', () => {
    const f = keyFinding(orgApp({ stackSet: false, scps: (s) => {
      protectAt(['r-ab12'])(s);
      rawStackSet(s, 'SERVICE_MANAGED', { organizationalUnitIds: OUS }).addPropertyOverride('StackInstancesGroup', [undefined]);
    } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no service-managed StackSet of the app deploys this template');
  });

  test('the finding lists the target OUs in one order whatever order the StackSet gives them', () => {
    const f = keyFinding(orgApp({ targets: () => [OUS[1], OUS[0]] }));
    expect(f.message).toContain(`an account the StackSets deploy to (${OUS[0]}, ${OUS[1]})`);
  });

  test('the whole reason when no SCP guards the name: the SCP gap and every account reached, nothing else', () => {
    const f = keyFinding(orgApp({}));
    expect(f.message).toBe('Principals other than the administrators the key policy names may change the key policy (kms:PutKeyPolicy) '
      + '(a principal matching arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-* (arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-any) may change the key policy with an access key (NamedKeyAdministrators); '
      + `no SCP of the app denies creating or re-trusting a stacksets-exec-* role, so a principal of an account the StackSets deploy to (${OUS[0]}, ${OUS[1]}) may create one and, through the key policy's grant to that pattern, change the key policy)`);
  });

  test('an SCP attached only to OUs the StackSets do not deploy to guards nothing; the finding names every target left open', () => {
    const f = keyFinding(orgApp({ scps: protectAt(['ou-ab12-elsewhere1', 'ou-ab12-elsewhere2']) }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`no SCP that denies creating or re-trusting a stacksets-exec-* role is attached to ${OUS[0]}, ${OUS[1]}`);
  });

  test('SCPs that mention the name but guard neither way or only one are each named by their first gap; an unrelated SCP is not named', () => {
    const f = keyFinding(orgApp({ scps: (s) => {
      named('deletes-only', denyTakeover(['iam:DeleteRole']), ['r-ab12'])(s);
      named('create-only', denyTakeover(['iam:CreateRole']), ['r-ab12'])(s);
      named('regions', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] }, ['r-ab12'])(s);
    } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('may call iam:CreateRole on arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-breachlessons (no statement of the SCP deletes-only denies it); '
      + 'a role of the member account ${AWS::AccountId} with an access key may call iam:UpdateAssumeRolePolicy on arn:aws:iam::${AWS::AccountId}:role/stacksets-exec-breachlessons (no statement of the SCP create-only denies it)');
    expect(f.message.split('the SCP deletes-only')).toHaveLength(2);
    expect(f.message).not.toContain('the SCP regions');
  });

  test('Error: an SCP whose Name is a parameter: the error names the property and the SCP', () => {
    const f = keyFinding(orgApp({ scps: (s) => named(new CfnParameter(s, 'Name').valueAsString, GUARD, ['r-ab12'])(s) }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify Name of Management/Scp-');
  });

  test('Error: an SCP whose deny depends on a parameter: each unverifiable request is listed apart', () => {
    const f = keyFinding(orgApp({
      scps: (s) => named('custom', denyTakeover(['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], { StringNotEquals: { 'aws:PrincipalTag/team': new CfnParameter(s, 'Team').valueAsString } }), ['r-ab12'])(s),
    }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('depends on unresolved value {"Ref":"Team"}; whether the SCP custom denies iam:UpdateAssumeRolePolicy');
  });

  test('Error: an SCP attached to targets given as a parameter list cannot be verified (it may be attached anywhere)', () => {
    const f = keyFinding(orgApp({ scps: (s) => named('custom', GUARD, new CfnParameter(s, 'Targets', { type: 'List<String>' }).valueAsList)(s) }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify TargetIds of Management/Scp-custom');
  });

  test('Error: an SCP attached to one target given as a parameter cannot be verified', () => {
    const f = keyFinding(orgApp({ scps: (s) => named('custom', GUARD, [new CfnParameter(s, 'Target').valueAsString])(s) }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify a TargetIds entry of Management/Scp-custom');
  });

  test('an SCP written for the aws partition guards a commercial template, not a GovCloud one in the same app', () => {
    const a = orgApp({ scps: named('aws-only', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy'], Resource: 'arn:aws:iam::*:role/stacksets-exec-*' }] }, ['r-ab12']) });
    const stage = a.template.node.scope as StackSetTemplates;
    const gov = stage.add(new Stack(stage, 'Gov', { env: { region: 'us-gov-west-1' }, synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: [MGMT] }) }));
    new CustomerManagedKey(gov, 'Key', { alias: 'gov/vault' });
    new StackSetTemplate(a.parent, 'GovSet', {
      stackSetName: 'gov', description: 'gov', template: gov, organizationalUnitIds: OUS, regions: ['us-gov-west-1'],
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' },
    });
    expect(keyFinding(a).status).toBe('PASS');
    const f = keyFinding(a, 'Templates/Gov/Key/Resource/Resource');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('may call iam:CreateRole on arn:aws-us-gov:iam::${AWS::AccountId}:role/stacksets-exec-breachlessons (no statement of the SCP aws-only denies it)');
  });
});

describe('the stacksets-exec-* guard counts the accounts a StackSet adds beside its OUs (AccountFilterType UNION)', () => {
  const EXTRA = '333333333333';
  /** A service-managed StackSet of the management stack deploying to OUS[0], with `targets` added to its DeploymentTargets. */
  const stackSet = (targets: Record<string, unknown>) => (s: Stack) => new cloudformation.CfnStackSet(s, 'Raw', {
    stackSetName: 'raw', permissionModel: 'SERVICE_MANAGED', templateBody: '{}',
    stackInstancesGroup: [{ regions: ['us-east-1'], deploymentTargets: { organizationalUnitIds: [OUS[0]], ...targets } }],
  });
  const app = (targets: Record<string, unknown>, scpTargets = [OUS[0]]) => orgApp({ stackSet: false, scps: (s) => { protectAt(scpTargets)(s); stackSet(targets)(s); } });

  test('Compliance: the SCP at the one OU the StackSet deploys to guards the name', () => {
    expect(keyFinding(app({})).status).toBe('PASS');
  });

  test('Noncompliance: UNION deploys to an account outside that OU too: the SCP at the OU does not reach it; the account is named', () => {
    const f = keyFinding(app({ accounts: [EXTRA], accountFilterType: 'UNION' }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`no SCP that denies creating or re-trusting a stacksets-exec-* role is attached to ${EXTRA}`);
  });

  test('Noncompliance: accounts without AccountFilterType are added (UNION is the default)', () => {
    expect(keyFinding(app({ accounts: [EXTRA] })).status).toBe('FAIL');
  });

  test('Compliance: the SCP attached to the added account too guards it', () => {
    expect(keyFinding(app({ accounts: [EXTRA], accountFilterType: 'UNION' }, [OUS[0], EXTRA])).status).toBe('PASS');
  });

  test('Compliance: INTERSECTION and DIFFERENCE only narrow the OU; NONE ignores the accounts', () => {
    for (const accountFilterType of ['INTERSECTION', 'DIFFERENCE', 'NONE']) {
      expect([accountFilterType, keyFinding(app({ accounts: [EXTRA], accountFilterType })).status]).toEqual([accountFilterType, 'PASS']);
    }
  });

  test('Error: accounts added from an S3 list (AccountsUrl) cannot be verified', () => {
    const f = keyFinding(app({ accountsUrl: 'https://s3.amazonaws.com/lists/accounts.csv', accountFilterType: 'UNION' }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('AccountsUrl of Management/Raw');
  });

  test('Error: added accounts given as a parameter list, or one added account given as a parameter, cannot be verified', () => {
    const list = keyFinding(orgApp({ stackSet: false, scps: (s) => { protectAt([OUS[0]])(s); stackSet({ accounts: new CfnParameter(s, 'Accounts', { type: 'List<String>' }).valueAsList, accountFilterType: 'UNION' })(s); } }));
    expect([list.status, list.message]).toEqual(['ERROR', expect.stringContaining('cannot verify Accounts of Management/Raw')]);
    const entry = keyFinding(orgApp({ stackSet: false, scps: (s) => { protectAt([OUS[0]])(s); stackSet({ accounts: [new CfnParameter(s, 'Account').valueAsString], accountFilterType: 'UNION' })(s); } }));
    expect([entry.status, entry.message]).toEqual(['ERROR', expect.stringContaining('cannot verify an Accounts entry of Management/Raw')]);
  });

  test('Error: an AccountFilterType given as a parameter cannot be verified', () => {
    const f = keyFinding(orgApp({ stackSet: false, scps: (s) => { protectAt([OUS[0]])(s); stackSet({ accounts: [EXTRA], accountFilterType: new CfnParameter(s, 'Filter').valueAsString })(s); } }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('cannot verify AccountFilterType of Management/Raw');
  });
});

describe('the stacksets-exec-* guard judges each template by the StackSets that deploy it', () => {
  const OTHER = 'Templates/Other/Key/Resource/Resource';
  /** orgApp (Baseline deployed to OUS) plus a second template, Other, with the same key, deployed by `deployOther` if given. */
  function twoTemplates(scps: (s: Stack) => void, deployOther?: string[]): OrgApp {
    const a = orgApp({ scps });
    const stage = a.template.node.scope as StackSetTemplates;
    const other = stage.add(new Stack(stage, 'Other', { synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: [MGMT] }) }));
    new CustomerManagedKey(other, 'Key', { alias: 'other/vault' });
    if (deployOther) {
      new StackSetTemplate(a.parent, 'OtherSet', {
        stackSetName: 'other', description: 'other', template: other, organizationalUnitIds: deployOther, regions: ['us-east-1'],
        operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' },
      });
    }
    return a;
  }

  test('Noncompliance: a template no StackSet of the app deploys is not vouched for by another template\'s StackSet and its SCPs', () => {
    const a = twoTemplates(protectAt(OUS));
    expect(keyFinding(a).status).toBe('PASS');
    const f = keyFinding(a, OTHER);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('no service-managed StackSet of the app deploys this template');
  });

  test('each template is judged by its own targets: the one deployed to an unguarded OU fails, naming only that OU', () => {
    const a = twoTemplates(protectAt(OUS), ['ou-ab12-unguarded']);
    expect(keyFinding(a).status).toBe('PASS');
    const f = keyFinding(a, OTHER);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('an account the StackSets deploy to (ou-ab12-unguarded)');
  });

  test('an L1 StackSet may deploy any template: its targets count for every template', () => {
    const a = twoTemplates((s) => {
      protectAt(OUS)(s);
      new cloudformation.CfnStackSet(s, 'Raw', {
        stackSetName: 'raw', permissionModel: 'SERVICE_MANAGED', templateUrl: 'https://s3.amazonaws.com/templates/other.json',
        stackInstancesGroup: [{ regions: ['us-east-1'], deploymentTargets: { organizationalUnitIds: ['ou-ab12-unguarded'] } }],
      });
    });
    for (const path of ['Templates/Baseline/Key/Resource/Resource', OTHER]) {
      const f = keyFinding(a, path);
      expect([path, f.status]).toEqual([path, 'FAIL']);
      expect(f.message).toContain('is attached to ou-ab12-unguarded');
    }
  });
});
