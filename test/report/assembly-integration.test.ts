import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BreachLessonsChecks, acknowledgeLesson } from '../../lib/nag';
import { run } from './fake-io';
import { sarifValidator } from './sarif-validator';

/** The pinned interface end to end: a real synthesis writes the evidence file that `report` reads. */
describe('report over a cloud assembly synthesized with the BreachLessons pack', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-assembly-'));
  const saved = process.env.CDK_VALIDATION;

  beforeAll(() => {
    process.env.CDK_VALIDATION = 'false';
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'Data');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Pii', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true, removalPolicy: RemovalPolicy.RETAIN });
    const plain = new s3.Bucket(stack, 'Plain', { removalPolicy: RemovalPolicy.RETAIN });
    acknowledgeLesson(plain, { id: 'BreachLessons-S3BucketVersioning', reason: 'scratch data, regenerated every night', owner: 'data-team@example.com', expires: '2099-12-31', ticket: 'RISK-9' });
    Validations.of(app).addPlugins(new BreachLessonsChecks(app, { now: new Date('2026-06-01T00:00:00Z') }), new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/A copy of this report can be found in/);
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('reads the evidence, the validation report and the templates, consistently', async () => {
    expect(fs.existsSync(path.join(outdir, 'breach-lessons-evidence.json'))).toBe(true);
    const r = await run(['report', outdir, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const byId = (id: string) => doc.lessons.flatMap((l: any) => l.controls).find((c: any) => c.id === id);
    expect(byId('DATA-CMK').designStatus).toBe('FAIL');
    expect(byId('DATA-CMK').resources.find((x: any) => x.resource.constructPath === 'Data/Pii/Resource').status).toBe('PASS');
    expect(byId('DATA-ROTATION').designStatus).toBe('PASS');
    expect(byId('BAK-RETAIN').acknowledgements).toEqual([expect.objectContaining({
      ruleId: 'BreachLessons-S3BucketVersioning', owner: 'data-team@example.com', expires: '2099-12-31', ticket: 'RISK-9', expired: false,
    })]);
    expect(byId('GD-TRIAGE').designStatus).toBe('NO_CHECK');
    expect(doc.inputs.templates).toEqual([expect.objectContaining({ path: 'Data.template.json', resources: expect.any(Number) })]);
    expect(doc.inputs.templates[0].evaluatedFindings).toBeGreaterThan(5);
    expect(doc.context.violations.some((v: any) => v.plugin === 'AwsSolutions' && v.ruleName === 'AwsSolutions-S1')).toBe(true);
    expect(doc.context.violations.some((v: any) => v.plugin === 'BreachLessons')).toBe(false);
  });

  it('writes SARIF locations into the synthesized templates', async () => {
    const r = await run(['report', outdir, '--format', 'sarif']);
    const doc = JSON.parse(r.stdout);
    expect(sarifValidator()(doc)).toEqual([]);
    const res = doc.runs[0].results.find((x: any) => x.ruleId === 'BreachLessons-S3BucketCustomerManagedKey');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(pathToFileURL(path.join(outdir, 'Data.template.json')).href);
    expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toBe('Data/Plain/Resource');
  });
});
