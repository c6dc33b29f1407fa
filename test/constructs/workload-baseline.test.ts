import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { PiiBucket } from '../../lib/constructs/pii-bucket';
import { PiiTable } from '../../lib/constructs/pii-table';
import { WorkloadBaseline, WorkloadBaselineProps } from '../../lib/constructs/workload-baseline';
import { Finding } from '../../lib/findings';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { evaluateScope } from '../../lib/nag/evaluate';

const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail';

interface Built {
  readonly app: App;
  readonly stack: Stack;
  readonly baseline: WorkloadBaseline;
  readonly t: Template;
  readonly id: (c: { node: { defaultChild?: unknown } } | Stack, path?: string) => string;
}

/** The README's stores (a key, a PiiBucket, a PiiTable) and a baseline; `extra` adds to the stack after it. */
function loans(props: WorkloadBaselineProps = {}, extra?: (stack: Stack) => void, stackName = 'Loans'): Built {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { region: 'us-east-1' } });
  const key = new CustomerManagedKey(stack, 'LoansKey', { alias: 'loans', viaServices: ['s3', 'dynamodb'] });
  new PiiBucket(stack, 'LoanFiles', { encryptionKey: key.key });
  new PiiTable(stack, 'Borrowers', { encryptionKey: key.key });
  const baseline = new WorkloadBaseline(stack, 'Baseline', props);
  extra?.(stack);
  const t = withoutCfnValidation(() => Template.fromStack(stack));
  return { app, stack, baseline, t, id: (c, path) => logicalIdAt(stack, path ?? (c as { node: { path: string } }).node.path) };
}

function withoutCfnValidation<T>(f: () => T): T {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

/** The logical id of the CfnResource at a construct path (`Loans/LoanFiles/Resource/Resource`). */
function logicalIdAt(stack: Stack, path: string): string {
  const node = stack.node.findAll().find((c) => c.node.path === path);
  if (!node || !CfnElement.isCfnElement(node)) throw new Error(`no CloudFormation resource at ${path}`);
  return stack.getLogicalId(node);
}

/** BreachLessons findings that are not PASS (the tree was synthesized, so the aspects have run). */
function problems(app: App): Finding[] {
  return evaluateScope(app, { now: new Date('2026-01-01T00:00:00Z') }).filter((f) => f.status !== 'PASS');
}

function resourcesOf(t: Template, type: string): [string, { Properties: Record<string, any>; DeletionPolicy?: string }][] {
  return Object.entries(t.findResources(type)) as never;
}

describe('WorkloadBaseline with no props', () => {
  let b: Built;
  beforeAll(() => {
    b = loans({}, (stack) => {
      // Added after the baseline: found at synthesis all the same.
      new PiiBucket(stack, 'LateFiles');
      new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new s3.Bucket(stack, 'NotPii', { enforceSSL: true });
      const other = new Stack(stack.node.root, 'Other', { env: { region: 'us-east-1' } });
      new iam.Role(other, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    });
  });
  const bucket = () => b.id(b.stack, 'Loans/LoanFiles/Resource/Resource');
  const late = () => b.id(b.stack, 'Loans/LateFiles/Resource/Resource');
  const table = () => b.id(b.stack, 'Loans/Borrowers/Resource/Resource');

  test('a vault locked in compliance mode with the default bounds, under its own key, retained', () => {
    const vaults = resourcesOf(b.t, 'AWS::Backup::BackupVault');
    expect(vaults).toHaveLength(1);
    const [, vault] = vaults[0];
    expect(vault.Properties).toMatchObject({
      BackupVaultName: 'Hardening-security-Loans-locked-vault',
      LockConfiguration: { MinRetentionDays: 90, MaxRetentionDays: 3650, ChangeableForDays: 3 },
      EncryptionKeyArn: { 'Fn::GetAtt': [b.id(b.stack, 'Loans/Baseline/Vault/Key/Resource/Resource'), 'Arn'] },
    });
    expect(vault.DeletionPolicy).toBe('Retain');
  });

  test('a daily and monthly plan into that vault, selecting the backup tag every PII store carries', () => {
    const [[vaultId]] = resourcesOf(b.t, 'AWS::Backup::BackupVault');
    const [[planId, plan]] = resourcesOf(b.t, 'AWS::Backup::BackupPlan');
    const rules = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => [r.RuleName, r.Lifecycle.DeleteAfterDays])).toEqual([['Daily', 90], ['Monthly', 365]]);
    for (const r of rules) expect(r.TargetBackupVault).toEqual({ 'Fn::GetAtt': [vaultId, 'BackupVaultName'] });
    b.t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupPlanId: { 'Fn::GetAtt': [planId, 'BackupPlanId'] },
      BackupSelection: { ListOfTags: [{ ConditionKey: 'hardening:backup', ConditionValue: 'required', ConditionType: 'STRINGEQUALS' }] },
    });
    const tagged = Object.entries({ ...b.t.findResources('AWS::S3::Bucket'), ...b.t.findResources('AWS::DynamoDB::Table') })
      .filter(([, r]) => (r.Properties?.Tags ?? []).some((x: any) => x.Key === 'hardening:backup' && x.Value === 'required')).map(([id]) => id);
    expect(tagged).toEqual(expect.arrayContaining([bucket(), late(), table()]));
    expect(tagged).not.toContain(b.id(b.stack, 'Loans/NotPii/Resource'));
  });

  test("the backup role may use the stores' key and the vault key (through their services), and nobody else is added", () => {
    const roleArn = { 'Fn::GetAtt': [b.id(b.stack, 'Loans/Baseline/Plan/Resource/ByTag/Role/Resource'), 'Arn'] };
    for (const keyPath of ['Loans/LoansKey/Resource/Resource', 'Loans/Baseline/Vault/Key/Resource/Resource']) {
      const key = b.t.toJSON().Resources[b.id(b.stack, keyPath)];
      const use = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'KeyUseThroughServices');
      expect(use.Condition.ArnLike['aws:PrincipalArn']).toEqual([roleArn]);
    }
  });

  test('a multi-region trail records object and item events of every store the stack has, and of no other bucket', () => {
    const [[, trail]] = resourcesOf(b.t, 'AWS::CloudTrail::Trail');
    expect(trail.Properties).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true, TrailName: 'Hardening-security-Loans-trail' });
    const selectors = trail.Properties.EventSelectors;
    expect(selectors[0]).toEqual({ IncludeManagementEvents: true, ReadWriteType: 'All' });
    const data = (type: string) => selectors.filter((s: any) => s.DataResources?.[0].Type === type);
    expect(data('AWS::S3::Object')).toEqual([{
      DataResources: [{ Type: 'AWS::S3::Object', Values: [bucket(), late()].map((id) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/']] })) }],
      IncludeManagementEvents: false, ReadWriteType: 'All',
    }]);
    expect(data('AWS::DynamoDB::Table')).toEqual([{
      DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [{ 'Fn::GetAtt': [table(), 'Arn'] }] }],
      IncludeManagementEvents: false, ReadWriteType: 'All',
    }]);
    expect(b.baseline.stores.buckets).toHaveLength(2);
    expect(b.baseline.stores.tables).toHaveLength(1);
  });

  test('the trail log group carries the CIS 4.1-4.15 and kill-chain alarms and a heartbeat, to the alarm topic', () => {
    const names = Object.values(b.t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(names.filter((n) => n.startsWith('Hardening-security-Loans-cis-'))).toHaveLength(15);
    expect(names).toEqual(expect.arrayContaining(['Hardening-security-Loans-trail-heartbeat', 'Hardening-security-Loans-break-glass-use']));
  });

  test('GuardDuty findings of severity >= 7 and backup changes reach the encrypted alert topic, subscribed at deploy time', () => {
    const [[topicId, topic]] = resourcesOf(b.t, 'AWS::SNS::Topic').filter(([, t]) => t.Properties.TopicName === 'Hardening-security-Loans-alerts');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [b.id(b.stack, 'Loans/Baseline/Alerts/Key/Resource/Resource'), 'Arn'] });
    b.t.hasResourceProperties('AWS::Events::Rule', {
      Name: 'Hardening-security-Loans-guardduty-high-severity',
      EventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } },
      Targets: [Match.objectLike({ Arn: { Ref: topicId } })],
    });
    b.t.hasResourceProperties('AWS::Events::Rule', { Name: 'Hardening-security-Loans-backup-changes', Targets: [Match.objectLike({ Arn: { Ref: topicId } })] });
    b.t.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: topicId }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } });
    b.t.hasParameter('AlertEmail', { Type: 'String' });
  });

  test('a GuardDuty detector with every protection plan, retained', () => {
    const [[, detector]] = resourcesOf(b.t, 'AWS::GuardDuty::Detector');
    expect(detector.Properties).toMatchObject({ Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' });
    expect(detector.DeletionPolicy).toBe('Retain');
  });

  test("the permissions boundary is on every role of the stack, the user's own included", () => {
    const boundary = { Ref: b.id(b.stack, 'Loans/PermissionsBoundary/Resource') };
    b.t.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'Loans-permissions-boundary' });
    const roles = resourcesOf(b.t, 'AWS::IAM::Role');
    expect(roles.map(([id]) => id)).toContain(b.id(b.stack, 'Loans/Worker/Resource'));
    for (const [, role] of roles) expect(role.Properties.PermissionsBoundary).toEqual(boundary);
  });

  test('every stateful resource is retained', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault', 'AWS::CloudTrail::Trail']) {
      for (const [id, r] of resourcesOf(b.t, type)) expect(`${id} ${r.DeletionPolicy}`).toBe(`${id} Retain`);
    }
  });

  test('the BreachLessons pack finds nothing but the plain bucket the test added', () => {
    expect(problems(b.app).map((f) => f.resource.id).filter((id) => !id.startsWith('Loans/NotPii/') && !id.startsWith('Other/'))).toEqual([]);
  });

  test('without a baseline in its stack, a role of another stack of the same app gets no boundary', () => {
    const t = withoutCfnValidation(() => Template.fromStack(b.app.node.findChild('Other') as Stack));
    t.resourceCountIs('AWS::IAM::Role', 1);
    for (const role of Object.values(t.findResources('AWS::IAM::Role'))) expect(role.Properties.PermissionsBoundary).toBeUndefined();
  });
});

describe('WorkloadBaseline options', () => {
  test('stores named in props are tagged for backup and recorded by the trail', () => {
    const stack = new Stack(new App(), 'Loans', { env: { region: 'us-east-1' } });
    const plain = new s3.Bucket(stack, 'Plain');
    const baseline = new WorkloadBaseline(stack, 'Baseline', { buckets: [plain] });
    const named = withoutCfnValidation(() => Template.fromStack(stack));
    const plainId = stack.getLogicalId(plain.node.defaultChild as s3.CfnBucket);
    expect(baseline.stores.buckets).toEqual([plain]);
    expect(named.toJSON().Resources[plainId].Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'hardening:backup', Value: 'required' }]));
    const [trail] = Object.values(named.findResources('AWS::CloudTrail::Trail'));
    expect(JSON.stringify(trail.Properties.EventSelectors)).toContain(`"${plainId}","Arn"`);
  });

  test('settings are the hardening: keys with their validation: retentions reach the vault lock and the plan', () => {
    const b = loans({ vaultLockMinRetentionDays: 120, backupDailyRetentionDays: 120, backupMonthlyRetentionDays: 400, stackPrefix: 'Acme' });
    const [[, vault]] = resourcesOf(b.t, 'AWS::Backup::BackupVault');
    expect(vault.Properties).toMatchObject({ BackupVaultName: 'Acme-security-Loans-locked-vault', LockConfiguration: { MinRetentionDays: 120 } });
    const [[, plan]] = resourcesOf(b.t, 'AWS::Backup::BackupPlan');
    expect(plan.Properties.BackupPlan.BackupPlanRule.map((r: any) => r.Lifecycle.DeleteAfterDays)).toEqual([120, 400]);
    b.t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyDeploymentRoles', Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/Acme-*']] }]) })]) } });
  });

  test('invalid settings throw, naming the prop and the rule it breaks', () => {
    expect(() => loans({ logRetentionDays: 30 })).toThrow(/invalid WorkloadBaseline props:\n {2}- logRetentionDays=30: must be at least 365 days/);
    expect(() => loans({ backupDailyRetentionDays: 30 })).toThrow(/backupDailyRetentionDays=30: must lie within the vault lock's 90-3650 days/);
    expect(() => loans({ alertEmails: ['oncall@example.com'] })).toThrow(/alertEmails/);
  });

  test('given addresses replace the deploy-time parameter', () => {
    const b = loans({ alertEmails: ['oncall@acme-bank.io'] });
    expect(b.t.toJSON().Parameters?.AlertEmail).toBeUndefined();
    b.t.resourcePropertiesCountIs('AWS::SNS::Subscription', { Endpoint: 'oncall@acme-bank.io', Protocol: 'email' }, 2);
  });

  test('adoptExistingDetector: no detector is created; the existing one is adopted, and the pack counts it', () => {
    const b = loans({ adoptExistingDetector: true });
    b.t.resourceCountIs('AWS::GuardDuty::Detector', 0);
    b.t.resourceCountIs('Custom::GuardDutyDetectorAdoption', 1);
    expect(problems(b.app)).toEqual([]);
  });

  describe('existingTrailArn', () => {
    let b: Built;
    beforeAll(() => { b = loans({ existingTrailArn: ORG_TRAIL }); });

    test('the own trail records only the data events of the stores: no management events, no alarms on them', () => {
      const [[, trail]] = resourcesOf(b.t, 'AWS::CloudTrail::Trail');
      const selectors = trail.Properties.EventSelectors as any[];
      expect(selectors.map((s) => s.DataResources[0].Type)).toEqual(['AWS::S3::Object', 'AWS::DynamoDB::Table']);
      for (const s of selectors) expect(s.IncludeManagementEvents).toBe(false);
      b.t.resourceCountIs('AWS::Logs::MetricFilter', 0);
    });

    test('the deployment looks the trail up with GetTrail on that ARN only (and fails when it does not exist)', () => {
      const [lookup] = Object.values(b.t.findResources('Custom::ExistingTrailLookup'));
      const create = JSON.parse(lookup.Properties.Create as string);
      expect(create).toMatchObject({ service: 'CloudTrail', action: 'getTrail', parameters: { Name: ORG_TRAIL }, outputPaths: ['Trail.TrailARN'] });
      b.t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'cloudtrail:GetTrail', Resource: ORG_TRAIL })] } });
    });

    test('the pack reports LOG-ALARMS, which it cannot see on the other trail, until it is acknowledged', () => {
      expect(problems(b.app).map((f) => `${f.ruleId} ${f.status} ${f.resource.id}`)).toEqual(['BreachLessons-CloudTrailCisAlarms FAIL Loans/Baseline/Trail/Resource/Resource']);
      const acked = loans({ existingTrailArn: ORG_TRAIL }, (stack) => {
        const baseline = stack.node.findChild('Baseline') as WorkloadBaseline;
        acknowledgeLesson(baseline.audit.trail, { id: 'BreachLessons-CloudTrailCisAlarms', reason: 'CIS 4.1-4.15 alarms run on the organization trail', owner: 'security-operations', expires: '2099-12-31' });
      });
      expect(problems(acked.app).map((f) => `${f.ruleId} ${f.status}`)).toEqual(['BreachLessons-CloudTrailCisAlarms ACKNOWLEDGED']);
    });

    test('a malformed ARN throws; a stack without PII stores fails synthesis naming the cause', () => {
      const stack = new Stack(new App(), 'Empty', { env: { region: 'us-east-1' } });
      expect(() => new WorkloadBaseline(stack, 'Baseline', { existingTrailArn: 'org-trail' })).toThrow(/existingTrailArn must be a trail ARN/);
      const empty = new Stack(new App(), 'Empty', { env: { region: 'us-east-1' } });
      new WorkloadBaseline(empty, 'Baseline', { existingTrailArn: ORG_TRAIL });
      expect(() => withoutCfnValidation(() => Template.fromStack(empty))).toThrow(/records only the data events of PII stores, and the stack has none/);
    });
  });
});

describe('WorkloadBaseline names and limits', () => {
  test('one per stack', () => {
    const stack = new Stack(new App(), 'Loans');
    new WorkloadBaseline(stack, 'Baseline');
    expect(() => new WorkloadBaseline(stack, 'Again')).toThrow(/already has a WorkloadBaseline \(Loans\/Baseline\)/);
  });

  test('a long stack name is shortened with a hash: every rule and vault name within its limit, under the protected prefix, distinct per stack', () => {
    const prefixes = ['LoansOriginationServiceProduction', 'LoansOriginationServiceStaging'].map((name) => {
      const b = loans({}, undefined, name);
      const rules = Object.values(b.t.findResources('AWS::Events::Rule')).map((r) => r.Properties.Name as string);
      expect(rules.length).toBeGreaterThanOrEqual(10);
      for (const n of rules) {
        expect(n.length).toBeLessThanOrEqual(64);
        expect(n.startsWith('Hardening-security-')).toBe(true);
      }
      const [vault] = Object.values(b.t.findResources('AWS::Backup::BackupVault'));
      expect((vault.Properties.BackupVaultName as string).length).toBeLessThanOrEqual(50);
      return b.baseline.names.prefix;
    });
    expect(prefixes[0]).not.toBe(prefixes[1]);
    expect(prefixes[0].length).toBeLessThanOrEqual(37);
  });

  test('a stack prefix too long to leave room for the stack part throws, naming the longest that fits', () => {
    expect(() => loans({ stackPrefix: 'A'.repeat(19) })).toThrow(/use a stackPrefix of at most 18 characters/);
    expect(() => loans({ stackPrefix: 'A'.repeat(18) })).not.toThrow();
  });

  test('the stores are known only once synthesis has visited the stack', () => {
    const stack = new Stack(new App(), 'Loans');
    const baseline = new WorkloadBaseline(stack, 'Baseline');
    expect(() => baseline.stores).toThrow(/known only after synthesis/);
  });
});
