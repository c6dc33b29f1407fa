import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { TOOL_VERSION } from '../../lib/cli/common';
import { run } from '../report/fake-io';
import { sarifValidator } from '../report/sarif-validator';

// Paths relative to the repository root (jest's cwd), so golden files do not depend on the checkout.
const FIXTURES = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'report'));
const ASSEMBLY = path.join(FIXTURES, 'assembly');
const AUDIT = path.join(FIXTURES, 'audit-results.json');
const GOLDEN = path.join(FIXTURES, 'golden');

/** The tool version is not part of the evidence: golden files hold a placeholder. */
function normalize(s: string): string {
  return s.split(`cdk-hardening ${TOOL_VERSION}`).join('cdk-hardening <version>').split(`"${TOOL_VERSION}"`).join('"<version>"');
}

function golden(name: string, output: string): void {
  const actual = normalize(output);
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(fs.existsSync(file)).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-report-'));
}

describe('cdk-hardening report: golden files on the fixture assembly', () => {
  it.each([['md', 'report.md'], ['json', 'report.json'], ['sarif', 'report.sarif']])('--format %s', async (format, file) => {
    const r = await run(['report', ASSEMBLY, '--audit', AUDIT, '--format', format]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    golden(file, r.stdout);
  });
});

describe('cdk-hardening report', () => {
  it('writes valid SARIF naming template files and logical ids', async () => {
    const r = await run(['report', ASSEMBLY, '--format', 'sarif']);
    const doc = JSON.parse(r.stdout);
    expect(sarifValidator()(doc)).toEqual([]);
    const fail = doc.runs[0].results.find((x: any) => x.ruleId === 'BreachLessons-SecurityGroupNoOpenIngress' && x.properties.status === 'FAIL');
    expect(fail.locations[0].physicalLocation.artifactLocation.uri).toBe(path.join(ASSEMBLY, 'NetworkStack.template.json'));
    expect(fail.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(fail.locations[0].logicalLocations[0]).toEqual({ name: 'WebSg1F2E3D4C', fullyQualifiedName: 'NetworkStack/WebSg/Resource', kind: 'resource' });
    const rule = doc.runs[0].tool.driver.rules.find((x: any) => x.id === 'BreachLessons-SecurityGroupNoOpenIngress');
    expect(rule.fullDescription.text).toBe('Ingress from anywhere.');
  });

  it('writes json that follows the documented schema (schemas/report.schema.json)', async () => {
    const r = await run(['report', ASSEMBLY, '--audit', AUDIT, '--format', 'json']);
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'report.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...doc, lessons: [{ ...doc.lessons[0], status: 'MAYBE' }] })).toBe(false);
  });

  it('organizes lesson → control → citations with design-time and live status, resources and acknowledgements', async () => {
    const r = await run(['report', ASSEMBLY, '--audit', AUDIT, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    const controls = doc.lessons.flatMap((l: any) => l.controls);
    const byId = (id: string) => controls.find((c: any) => c.id === id);
    expect(byId('DATA-CMK')).toMatchObject({ status: 'FAIL', designStatus: 'FAIL', liveStatus: 'NO_EVIDENCE', counts: { PASS: 1, FAIL: 2, ERROR: 0, ACKNOWLEDGED: 0 } });
    expect(byId('DATA-CMK').citations).toContainEqual({ framework: 'nydfs-500', section: '500.15', label: 'NYDFS 23 NYCRR 500.15', tag: 'nydfs-500:500.15' });
    expect(byId('IAM-MFA')).toMatchObject({ status: 'FAIL', designStatus: 'NO_CHECK', liveStatus: 'FAIL' });
    expect(byId('GD-ENABLED')).toMatchObject({ status: 'ERROR', liveStatus: 'ERROR' });
    expect(byId('IAM-NOUSERS')).toMatchObject({ status: 'NO_EVIDENCE', designStatus: 'NO_EVIDENCE' });
    // The PITR acknowledgement expired on 2026-01-31, before the report's clock: FAIL again, still listed.
    expect(byId('BAK-RETAIN').status).toBe('FAIL');
    expect(byId('BAK-RETAIN').acknowledgements).toEqual([
      expect.objectContaining({ ruleId: 'BreachLessons-DynamoDBTableRecovery', owner: 'loans-team@example.com', expires: '2026-01-31', expired: true, ticket: 'CHG-77' }),
      expect.objectContaining({ ruleId: 'BreachLessons-S3BucketVersioning', owner: 'data-platform@example.com', expired: false }),
    ]);
    expect(doc.notificationClocks.map((c: any) => c.hours)).toEqual(expect.arrayContaining([72, 24, 720, 48]));
    expect(doc.context.violations.map((v: any) => `${v.plugin} ${v.ruleName}`)).toEqual([
      'AwsSolutions AwsSolutions-EC23', 'AwsSolutions AwsSolutions-S1', 'AwsSolutions AwsSolutions-S10', 'NIST.800.53.R5 NIST.800.53.R5-DynamoDBPITREnabled',
    ]);
    expect(doc.context.violations.find((v: any) => v.ruleName === 'AwsSolutions-S10')).toMatchObject({ severity: 'error', acknowledged: { reason: 'TLS enforced by the bucket policy construct' } });
    expect(doc.inputs.templates).toEqual([
      { path: 'DataStack.template.json', resources: 4, evaluatedFindings: 8 },
      { path: 'NetworkStack.template.json', resources: 3, evaluatedFindings: 5 },
    ]);
  });

  it('filters by lesson, framework and status; the exit code still judges the lessons selected', async () => {
    const r = await run(['report', ASSEMBLY, '--lesson', 'l5', '--framework', 'glba', '--status', 'pass', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    // No GLBA-citing control of L5 passes outright: nothing to show, yet L5's failures still set the exit code.
    expect(doc.lessons).toEqual([]);
    expect(doc.filters).toEqual({ lessons: ['L5'], frameworks: ['glba'], statuses: ['PASS'] });
    expect(r.code).toBe(3);
    // DATA-ROTATION passes at design time, but its live check (kms-key-rotation) has no evidence in
    // this audit: not a pass overall, so it is found under no-evidence, never under pass.
    const rotPass = await run(['report', ASSEMBLY, '--lesson', 'L5', '--framework', 'nydfs-500', '--status', 'pass', '--format', 'json']);
    expect(JSON.parse(rotPass.stdout).lessons).toEqual([]);
    const rot = await run(['report', ASSEMBLY, '--lesson', 'L5', '--framework', 'nydfs-500', '--status', 'no-evidence', '--format', 'json']);
    const rotation = JSON.parse(rot.stdout).lessons[0].controls.find((c: any) => c.id === 'DATA-ROTATION');
    expect(rotation).toMatchObject({ status: 'NO_EVIDENCE', designStatus: 'PASS', liveStatus: 'NO_EVIDENCE' });
    const l7 = await run(['report', ASSEMBLY, '--lesson', 'L7', '--format', 'text', '--fail-on', 'error']);
    expect(l7.code).toBe(0);
    expect(l7.stdout).toContain('LOG-FLOW');
    expect((await run(['report', ASSEMBLY, '--lesson', 'L7', '--fail-on', 'warning'])).code).toBe(1);
    expect((await run(['report', ASSEMBLY, '--lesson', 'L7'])).code).toBe(1); // the default is 'warning', as in synthesis
    expect((await run(['report', ASSEMBLY, '--lesson', 'L4'])).code).toBe(1);
  });

  it('renders every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'junit', 'md', 'html']) {
      const r = await run(['report', ASSEMBLY, '--audit', AUDIT, '--format', format]);
      expect(r.code).toBe(3);
      expect(r.stdout).toContain(format === 'sarif' ? 'BreachLessons-S3BucketCustomerManagedKey' : 'DATA-CMK');
    }
  });

  it('writes --out files', async () => {
    const dir = tmpdir();
    const out = path.join(dir, 'report.html');
    const r = await run(['report', ASSEMBLY, '--format', 'html', '--out', out]);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('reports a missing evidence file loudly and exits 3, never as a pass', async () => {
    const dir = tmpdir();
    for (const f of ['manifest.json', 'DataStack.template.json', 'NetworkStack.template.json']) fs.copyFileSync(path.join(ASSEMBLY, f), path.join(dir, f));
    const r = await run(['report', dir, '--format', 'md', '--fail-on', 'never']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no BreachLessons evidence');
    expect(r.stdout).toContain('> [!WARNING]');
    expect(r.stdout).toContain('- BreachLessons evidence: **none**');
    const json = JSON.parse((await run(['report', dir, '--format', 'json'])).stdout);
    expect(json.summary.controls.PASS).toBe(0);
    expect(json.inputs.evidence).toBeNull();
  });

  it('warns, and exits 3 (incomplete), when the validation report and the evidence disagree, or a template has no evidence', async () => {
    const dir = tmpdir();
    for (const f of fs.readdirSync(ASSEMBLY)) fs.copyFileSync(path.join(ASSEMBLY, f), path.join(dir, f));
    const ev = JSON.parse(fs.readFileSync(path.join(dir, 'breach-lessons-evidence.json'), 'utf8'));
    ev.findings = ev.findings.filter((f: any) => !f.resource.template.startsWith('NetworkStack') && f.resource.logicalId !== 'ReportsBucket9C8D7E6F');
    fs.writeFileSync(path.join(dir, 'breach-lessons-evidence.json'), JSON.stringify(ev));
    const r = await run(['report', dir]);
    expect(r.stderr).toContain('template NetworkStack.template.json has resources the BreachLessons rules check but no design-time finding');
    expect(r.stderr).toContain('validation-report.json reports BreachLessons-S3BucketCustomerManagedKey on DataStack/ReportsBucket/Resource');
    // What the evidence never evaluated is not a pass, whatever --fail-on says.
    expect(r.code).toBe(3);
    expect((await run(['report', dir, '--lesson', 'L7', '--fail-on', 'never'])).code).toBe(3);
    // The same assembly with matching evidence is judged on its findings alone.
    expect((await run(['report', ASSEMBLY, '--lesson', 'L7', '--fail-on', 'never'])).code).toBe(0);
  });

  it.each([
    [['report', 'test/fixtures/report/nope'], 'test/fixtures/report/nope: no such directory'],
    [['report', 'test/fixtures/report/audit-results.json'], 'audit-results.json: not a directory'],
    [['report', ASSEMBLY, '--lesson', 'L11'], "--lesson 'L11' is not a lesson id (L1, L2"],
    [['report', ASSEMBLY, '--framework', 'pci'], "--framework 'pci' is not a framework (glba, nydfs-500, cis-aws, nist-800-53, aws-fsbp)"],
    [['report', ASSEMBLY, '--status', 'green'], "--status 'green' is not a status (fail, error, acknowledged, pass, no-evidence, no-check)"],
    [['report', ASSEMBLY, '--audit', 'test/fixtures/report/missing.json'], 'cannot read audit results test/fixtures/report/missing.json: no such file'],
    [['report', ASSEMBLY, '--audit', path.join(ASSEMBLY, 'manifest.json')], "have schema undefined, expected 'cdk-hardening/findings@1'"],
  ])('exits 2 on bad input: %j', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('exits 2 naming the field of a bad finding in the audit results', async () => {
    const dir = tmpdir();
    const audit = JSON.parse(fs.readFileSync(AUDIT, 'utf8'));
    audit.findings[1].controlId = 'IAM-NOPE';
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(audit));
    const r = await run(['report', ASSEMBLY, '--audit', path.join(dir, 'a.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.json: findings[1].controlId: not a control id of the catalogue (got "IAM-NOPE")');
  });

  it('exits 2 on a corrupt evidence file', async () => {
    const dir = tmpdir();
    fs.copyFileSync(path.join(ASSEMBLY, 'manifest.json'), path.join(dir, 'manifest.json'));
    fs.writeFileSync(path.join(dir, 'breach-lessons-evidence.json'), '{"schema":"cdk-hardening/evidence@0"}');
    const r = await run(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("has schema \"cdk-hardening/evidence@0\", expected 'cdk-hardening/evidence@1'");
  });
});
