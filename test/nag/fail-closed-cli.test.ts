import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { THROWING_PACK_MESSAGE, THROWING_RULE_MESSAGE } from '../fixtures/gate/gate-app';

// The way users run the pack: the real CDK CLI synthesizes a fixture app that never calls app.synth()
// itself, into a temporary output directory, with no AWS calls. Measured before this change: a
// validation plugin that throws makes the app process exit 1 but `cdk synth` exit 0.
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const APP = path.join(ROOT, 'test', 'fixtures', 'gate', 'app.ts');

interface Synth { readonly code: number | null; readonly output: string }

function cdkSynth(kase: string): Synth {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-cli-'));
  const r = spawnSync(path.join(BIN, 'cdk'), ['synth', '--app', `${path.join(BIN, 'tsx')} ${APP}`, '--output', path.join(dir, 'cdk.out'), '--quiet', '--no-notices', '--no-version-reporting'], {
    cwd: dir, // no cdk.json here: only the fixture app and the CLI's defaults
    env: { ...process.env, GATE_CASE: kase, CDK_VALIDATION: 'false', CI: 'true', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('cdk synth (the CDK CLI) fails closed', () => {
  const runs = new Map<string, Synth>();
  beforeAll(() => {
    for (const kase of ['clean', 'violation', 'throwing-rule', 'no-stack-templates', 'throwing-pack']) runs.set(kase, cdkSynth(kase));
  });

  it('exits 0 for a clean app', () => {
    expect(runs.get('clean')).toMatchObject({ code: 0 });
  });

  it('exits non-zero for a normal violation, naming resource, control and the governed acknowledgement', () => {
    const r = runs.get('violation')!;
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toMatch(/\[L8 Recovery without paying \/ BAK-RETAIN\] Gate\/Exports \(Gate\.template\.json#Exports\)/);
    expect(r.output).toMatch(/acknowledgeLesson\(<Gate\/Exports>, \{ id: 'BreachLessons-S3BucketVersioning'/);
  });

  it('exits non-zero when a rule throws, naming the exception', () => {
    const r = runs.get('throwing-rule')!;
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toContain(`KMSKeyRotation could not be evaluated (rule failed: ${THROWING_RULE_MESSAGE})`);
  });

  it('exits non-zero when another registered pack throws (CDK records a failed report without violations, which the CLI counts as a success; the wrapper turns it into a fatal violation)', () => {
    const r = runs.get('throwing-pack')!;
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toContain(`Thrower could not check the app, so no rule is verified and synthesis fails closed: the pack failed while evaluating the app: ${THROWING_PACK_MESSAGE}`);
  });

  it('exits non-zero when the validation context has no stackTemplates, naming the field and the supported aws-cdk-lib', () => {
    const r = runs.get('no-stack-templates')!;
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toMatch(/BreachLessons could not check the app, so no lesson is verified and synthesis fails closed: the validation context has no stackTemplates/);
    expect(r.output).toContain('aws-cdk-lib >=2.262.0 <3.0.0');
  });
});
