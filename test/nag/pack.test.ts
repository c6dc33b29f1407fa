import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { BreachLessonsChecks } from '../../lib/nag/breach-lessons-checks';
import { EVIDENCE_FILE_NAME, readEvidence } from '../../lib/nag/evidence';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';
import { cell, renderRulesMarkdown } from '../../lib/nag/rules-doc';
import { expectCompleteMetadata } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

describe('BreachLessons rule list', () => {
  test('pins the exact rule ids', () => {
    expect(BREACH_LESSONS_RULES.map((r) => r.id)).toEqual([
      'BreachLessons-IAMAccountPasswordPolicyStrong', 'BreachLessons-IAMGroupRequiresMFA', 'BreachLessons-IAMNoAccessKeys', 'BreachLessons-IAMPolicyNoWildcardAdmin',
      'BreachLessons-IAMRoleHumanSessionDuration', 'BreachLessons-IAMRolePermissionsBoundary', 'BreachLessons-IAMRoleTrustRequiresMFA',
      'BreachLessons-IAMTemplateNoUsersOrKeys', 'BreachLessons-IAMUserNoConsolePassword', 'BreachLessons-ResourcePolicyNotPublic',
      'BreachLessons-DataStoreIsolatedSubnets', 'BreachLessons-DataStoreRestrictedEgress', 'BreachLessons-DefaultSecurityGroupClosed',
      'BreachLessons-EBSEncryptedCustomerManagedKey', 'BreachLessons-EC2IMDSv2Required', 'BreachLessons-NetworkAclNoOpenIngress',
      'BreachLessons-NoAdminPortsBeyondVpc', 'BreachLessons-SecurityGroupNoOpenIngress', 'BreachLessons-VPCEndpointPolicyRestricted',
      'BreachLessons-VPCFlowLogAllTraffic', 'BreachLessons-VPCHasServiceEndpoints',
      'BreachLessons-S3BucketBlockPublicAccess', 'BreachLessons-S3BucketCustomerManagedKey', 'BreachLessons-S3BucketDataEventsLogged',
      'BreachLessons-S3BucketMinimumTLS12', 'BreachLessons-S3BucketNoPublicAcl', 'BreachLessons-S3BucketNoncurrentVersionExpiry',
      'BreachLessons-S3BucketTLSOnly', 'BreachLessons-S3BucketVersioning',
      'BreachLessons-DynamoDBTableCustomerManagedKey', 'BreachLessons-DynamoDBTableRecovery',
      'BreachLessons-RDSDeletionProtection', 'BreachLessons-RDSNotPubliclyAccessible', 'BreachLessons-RDSStorageCustomerManagedKey',
      'BreachLessons-KMSKeyPolicyNamedAdministrators', 'BreachLessons-KMSKeyPolicySeparatesDuties', 'BreachLessons-KMSKeyRotation', 'BreachLessons-SNSAlertTopicEncryptedSubscribed',
      'BreachLessons-SNSTopicCustomerManagedKey', 'BreachLessons-SQSQueueCustomerManagedKey',
      'BreachLessons-LogGroupCustomerManagedKey', 'BreachLessons-LogGroupRetention',
      'BreachLessons-CloudTrailArchiveObjectLock', 'BreachLessons-CloudTrailCisAlarms', 'BreachLessons-CloudTrailMultiRegionTrail',
      'BreachLessons-CloudTrailPipelineBoundaryProtected', 'BreachLessons-CloudTrailValidatedEncrypted', 'BreachLessons-GuardDutyAllProtections', 'BreachLessons-GuardDutyDetectorPresent',
      'BreachLessons-GuardDutyHighSeverityRouted',
      'BreachLessons-BackupPlanLockedVault', 'BreachLessons-BackupVaultLocked', 'BreachLessons-StatefulResourceBackedUp',
      'BreachLessons-StatefulResourceRetained',
    ]);
  });

  test.each(BREACH_LESSONS_RULES.map((r) => [r.id, r] as const))('%s: one file, named after the rule, with complete metadata', (_id, r) => {
    const files = fs.readdirSync(path.join(ROOT, 'lib', 'nag', 'rules'), { recursive: true }) as string[];
    expect(files.filter((f) => path.basename(f) === `${r.ruleName}.ts`)).toHaveLength(1);
    expect(r.rule.name).toBe(r.ruleName);
    expectCompleteMetadata(r);
  });

  test('RULES.md is generated from the list and mentions every rule', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'RULES.md'), 'utf8');
    expect(doc).toBe(renderRulesMarkdown());
    for (const r of BREACH_LESSONS_RULES) expect(doc).toContain(`| ${r.id} |`);
  });

  test('a rule text holding a | or a line break stays in its cell (the table keeps its columns)', () => {
    expect(cell('Principal | NotPrincipal\nor both')).toBe('Principal \\| NotPrincipal or both');
    expect(cell('a|b|c')).toBe('a\\|b\\|c');
    expect(cell('a\n\nb')).toBe('a  b');
  });
});

describe('BreachLessonsChecks at synthesis', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-pack-'));
  const now = new Date('2026-06-01T00:00:00Z');
  let synthError: Error | undefined;
  let pack: BreachLessonsChecks;
  const saved = process.env.CDK_VALIDATION;

  beforeAll(() => {
    process.env.CDK_VALIDATION = 'false';
    const app = new App({ outdir });
    const stack = new Stack(app, 'S');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const good = { encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL };
    new s3.Bucket(stack, 'Plain', good);
    acknowledgeLesson(new s3.Bucket(stack, 'Scratch', good), {
      id: 'BreachLessons-S3BucketVersioning', reason: 'scratch data rebuilt from source every night', owner: 'data-team', expires: '2026-12-31',
    });
    Validations.of(new s3.Bucket(stack, 'Sneaky', good)).acknowledge({ id: 'BreachLessons::BreachLessons-S3BucketVersioning', reason: 'plain CDK acknowledgement' });
    pack = new BreachLessonsChecks(app, { now });
    Validations.of(app).addPlugins(pack);
    try {
      app.synth();
    } catch (e) {
      synthError = e as Error;
    }
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('a violation fails synthesis', () => {
    expect(synthError?.message).toMatch(/\[L8 Recovery without paying \/ BAK-RETAIN\] S\/Plain\/Resource/);
  });

  test('validation-report.json names lesson, control, resource and fix', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'BreachLessons');
    const plain = plugin.violations.find((v: { violatingConstructs: { constructPath: string }[] }) =>
      v.violatingConstructs.some((c) => c.constructPath === 'S/Plain/Resource'));
    expect(plain.ruleName).toBe('BreachLessons-S3BucketVersioning');
    expect(plain.description).toMatch(/^\[L8 Recovery without paying \/ BAK-RETAIN\] S\/Plain\/Resource \(S\.template\.json#Plain[0-9A-F]{8}\): The S3 bucket does not have versioning enabled\. Fix: Set versioned: true/);
    expect(plain.suggestedFix).toMatch(/versioned: true/);
    expect(plain.severity).toBe('error');
  });

  test('a plain namespaced acknowledgement does not silence the violation (fatal)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'BreachLessons');
    const sneaky = plugin.violations.find((v: { violatingConstructs: { constructPath: string }[] }) =>
      v.violatingConstructs.some((c) => c.constructPath === 'S/Sneaky/Resource'));
    expect(sneaky.severity).toBe('fatal');
    expect(sneaky.description).toMatch(/ungoverned: use acknowledgeLesson/);
  });

  test('the evidence file lists every rule and every evaluation, PASS and ACKNOWLEDGED included', () => {
    const file = path.join(outdir, EVIDENCE_FILE_NAME);
    expect(pack.lastEvidenceFile).toBe(file);
    const evidence = readEvidence(file);
    expect(evidence.schema).toBe('cdk-hardening/evidence@1');
    expect(evidence.pack).toBe('BreachLessons');
    expect(evidence.generatedAt).toBe(now.toISOString());
    expect(evidence.rules.map((r) => r.id)).toEqual(BREACH_LESSONS_RULES.map((r) => r.id));
    const versioning = evidence.findings.filter((f) => f.ruleId === 'BreachLessons-S3BucketVersioning');
    expect(Object.fromEntries(versioning.map((f) => [f.resource.id, f.status]))).toEqual({
      'S/Plain/Resource': 'FAIL', 'S/Scratch/Resource': 'ACKNOWLEDGED', 'S/Sneaky/Resource': 'FAIL',
    });
    expect(evidence.findings.some((f) => f.status === 'PASS')).toBe(true);
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'S.template.json'), 'utf8'));
    for (const f of evidence.findings) {
      expect(f.source).toBe('synth');
      expect(f.resource.template).toBe('S.template.json');
      expect(Object.keys(template.Resources)).toContain(f.resource.logicalId);
      expect(f.citations.length).toBeGreaterThan(0);
    }
    const acknowledged = versioning.find((f) => f.status === 'ACKNOWLEDGED')!;
    expect(acknowledged.acknowledgement).toMatchObject({ owner: 'data-team', expires: '2026-12-31', expired: false });
  });

  test('a compliant app synthesizes and still writes its evidence', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-clean-'));
    try {
      const app = new App({ outdir: out });
      new CustomerManagedKey(new Stack(app, 'Clean'), 'Key', { alias: 'clean/key' });
      Validations.of(app).addPlugins(new BreachLessonsChecks(app));
      expect(() => app.synth()).not.toThrow();
      const evidence = readEvidence(path.join(out, EVIDENCE_FILE_NAME));
      expect(evidence.findings.map((f) => `${f.ruleId} ${f.status}`).sort()).toEqual([
        'BreachLessons-IAMTemplateNoUsersOrKeys PASS',
        'BreachLessons-KMSKeyPolicyNamedAdministrators PASS', 'BreachLessons-KMSKeyPolicySeparatesDuties PASS', 'BreachLessons-KMSKeyRotation PASS', 'BreachLessons-ResourcePolicyNotPublic PASS', 'BreachLessons-StatefulResourceRetained PASS',
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('fails when the evidence file is not evidence', () => {
    const file = path.join(outdir, 'not-evidence.json');
    fs.writeFileSync(file, JSON.stringify({ schema: 'other' }));
    expect(() => readEvidence(file)).toThrow(/has schema 'other', expected 'cdk-hardening\/evidence@1'/);
  });
});
