import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DEFAULT_FAIL_ON } from '../../lib/findings';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { BreachLessonsChecks } from '../../lib/nag/breach-lessons-checks';
import { readEvidence } from '../../lib/nag/evidence';
import { GateCase, buildGateApp } from '../fixtures/gate/gate-app';

/** Synthesizes a fixture app in process (CDK validation off): did synthesis fail, and with what. */
function synth(kase: GateCase, failOn?: 'error' | 'warning'): { error?: Error; pack: BreachLessonsChecks; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fail-on-'));
  const { app, pack } = buildGateApp(kase, { outdir, ...(failOn ? { failOn } : {}) });
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    app.synth();
    return { pack, outdir };
  } catch (e) {
    return { error: e as Error, pack, outdir };
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

describe('failOn: one level decides whether synthesis fails', () => {
  it("the default is 'warning', the same as --fail-on's", () => {
    expect(DEFAULT_FAIL_ON).toBe('warning');
    expect(new BreachLessonsChecks(new App()).failOn).toBe('warning');
  });

  it('a stack with only a warning-level FAIL fails synthesis by default and at failOn warning', () => {
    for (const failOn of [undefined, 'warning'] as const) {
      const { error } = synth('warning', failOn);
      expect(error?.message).toMatch(/DATA-ROTATION\] Gate\/Key/);
      expect(error?.message).toMatch(/level warning; fails synthesis at failOn 'warning'/);
    }
  });

  it('at failOn error the same stack synthesizes, and the warning stays in the report and the evidence', () => {
    const { error, pack, outdir } = synth('warning', 'error');
    expect(error).toBeUndefined();
    const rotation = pack.lastFindings.filter((f) => f.ruleId === 'BreachLessons-KMSKeyRotation');
    expect(rotation.map((f) => [f.status, f.severity])).toEqual([['FAIL', 'warning']]);
    const evidence = readEvidence(path.join(outdir, 'breach-lessons-evidence.json'));
    expect(evidence.findings.filter((f) => f.ruleId === 'BreachLessons-KMSKeyRotation' && f.status === 'FAIL')).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'BreachLessons');
    const v = plugin.violations.find((x: { ruleName: string }) => x.ruleName === 'BreachLessons-KMSKeyRotation');
    expect(v.severity).toBe('warning');
    expect(v.description).toMatch(/level warning; does not fail synthesis at failOn 'error'/);
  });

  it('an error-level FAIL fails synthesis at either level; a clean app passes at either', () => {
    for (const failOn of ['error', 'warning'] as const) {
      expect(synth('violation', failOn).error?.message).toMatch(/Gate\/Exports/);
      expect(synth('clean', failOn).error).toBeUndefined();
    }
  });

  it('a governed acknowledgement elsewhere in the app does not turn a failing warning into a pass', () => {
    // CDK re-judges a report's success when it suppresses one of its violations; nothing of the pack's may be suppressed.
    const app = new App();
    const stack = new Stack(app, 'S');
    new kms.CfnKey(stack, 'NoRotation', { enableKeyRotation: false, keyPolicy: {} });
    acknowledgeLesson(new kms.CfnKey(stack, 'Acked', { enableKeyRotation: false, keyPolicy: {} }), {
      id: 'BreachLessons-KMSKeyRotation', reason: 'imported key rotated by the owning team', owner: 'platform', expires: '2099-12-31',
    });
    Validations.of(app).addPlugins(new BreachLessonsChecks(app, { failOn: 'warning' }));
    const saved = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'false';
    try {
      expect(() => app.synth()).toThrow(/S\/NoRotation/);
    } finally {
      if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
    }
  });
});

describe('every violation says how to acknowledge it the governed way', () => {
  const { error } = synth('violation');

  it('an acknowledgeable finding names acknowledgeLesson with its rule id and refuses the plain form', () => {
    expect(error?.message).toMatch(/Accept it only with acknowledgeLesson\(<Gate\/Exports>, \{ id: 'BreachLessons-S3BucketVersioning', reason, owner, expires \}\); a plain CDK acknowledgement \(the "Acknowledge with" form\) is refused as ungoverned/);
  });

  it("a finding of a control that cannot be acknowledged says so, and is fatal so CDK offers no 'Acknowledge with'", () => {
    expect(error?.message).toMatch(/FATAL \[L5 Stolen PII is unreadable \/ DATA-CMK\] Gate\/Exports[^\n]*Control DATA-CMK cannot be acknowledged: fix it\./);
    expect(error?.message).not.toMatch(/Acknowledge with 'BreachLessons::BreachLessons-S3BucketCustomerManagedKey'/);
  });
});
