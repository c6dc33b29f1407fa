import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, IPolicyValidationContext, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { BreachLessonsChecks, acknowledgeHint, validatePackProps } from '../../lib/nag/breach-lessons-checks';
import { rulesNamed } from '../../lib/nag/rules';
import { CannotVerify } from '../../lib/nag/types';

/**
 * The violation a platform engineer reads in `cdk synth` for each finding, field by field: its level
 * (fatal when nothing may acknowledge it), whether it fails synthesis at the pack's failOn, the
 * metadata CI tools read, and how it may be acknowledged.
 */

const NOW = new Date('2026-06-01T12:00:00Z');
const rotation = rulesNamed('KMSKeyRotation')[0]; // a warning-level rule (DATA-ROTATION)
const versioning = rulesNamed('S3BucketVersioning')[0]; // an error-level rule (BAK-RETAIN)

function violationsOf(build: (s: Stack) => void, props: ConstructorParameters<typeof BreachLessonsChecks>[1] = {}) {
  const app = new App();
  build(new Stack(app, 'S'));
  const pack = new BreachLessonsChecks(app, { now: NOW, writeEvidence: false, ...props });
  return { report: pack.validateScope(app), pack };
}

describe('the pack\'s violations', () => {
  test('a warning-level FAIL: level warning, fails synthesis at failOn warning only; metadata says so', () => {
    for (const [failOn, fails] of [['warning', true], ['error', false]] as const) {
      const { report } = violationsOf((s) => new kms.CfnKey(s, 'K', { enableKeyRotation: false, keyPolicy: {} }), { rules: [rotation], failOn });
      expect(report.success).toBe(!fails);
      const [v] = report.violations;
      expect(v.severity).toBe('warning');
      expect(v.ruleMetadata).toEqual({ lesson: 'L5', control: 'DATA-ROTATION', status: 'FAIL', level: 'warning', failOn, failsSynthesis: String(fails) });
      expect(v.description).toMatch(new RegExp(`\\(level warning; ${fails ? 'fails' : 'does not fail'} synthesis at failOn '${failOn}'\\)$`));
      expect(v.fix).toBe(rotation.fix);
      expect(v.violatingResources).toEqual([{ constructPath: 'S/K', locations: ['Properties'] }]);
    }
  });
  test('an ERROR (cannot verify): level error whatever the rule\'s level, and it fails at either failOn', () => {
    const cannot = { ...rotation, rule: () => { throw new CannotVerify('unresolved'); } };
    for (const failOn of ['warning', 'error'] as const) {
      const { report } = violationsOf((s) => new kms.CfnKey(s, 'K', { keyPolicy: {} }), { rules: [cannot], failOn });
      expect(report.success).toBe(false);
      expect(report.violations[0]).toMatchObject({ severity: 'error', ruleMetadata: { status: 'ERROR', level: 'warning', failsSynthesis: 'true' } });
    }
  });
  test('PASS and ACKNOWLEDGED findings are no violations', () => {
    const passing = { ...rotation, rule: () => NagRuleCompliance.COMPLIANT };
    expect(violationsOf((s) => new kms.CfnKey(s, 'K', { keyPolicy: {} }), { rules: [passing] }).report).toEqual({ success: true, violations: [] });
    const acked = violationsOf((s) => acknowledgeLesson(new s3.Bucket(s, 'B'), { id: versioning.id, reason: 'scratch artifacts rebuilt on every run', owner: 'platform', expires: '2026-12-31' }), { rules: [versioning] });
    expect(acked.report).toEqual({ success: true, violations: [] });
    expect(acked.pack.lastFindings.map((f) => f.status)).toEqual(['ACKNOWLEDGED']);
  });
  test('a FAIL whose acknowledgement the pack rejected (expired) is fatal: CDK must not offer or honour a plain one', () => {
    const { report } = violationsOf((s) => acknowledgeLesson(new s3.Bucket(s, 'B'), { id: versioning.id, reason: 'scratch artifacts rebuilt on every run', owner: 'platform', expires: '2026-05-31' }), { rules: [versioning] });
    expect(report.violations[0].severity).toBe('fatal');
    expect(report.violations[0].description).toMatch(/expired on 2026-05-31/);
  });
  test('a FAIL of a control that cannot be acknowledged is fatal and says to fix it; another control\'s is its own level', () => {
    const blocked = violationsOf((s) => new s3.Bucket(s, 'B'), { rules: [versioning], nonAcknowledgeableControls: ['BAK-RETAIN'] }).report.violations[0];
    expect(blocked.severity).toBe('fatal');
    expect(blocked.description).toContain('Control BAK-RETAIN cannot be acknowledged: fix it.');
    const open = violationsOf((s) => new s3.Bucket(s, 'B'), { rules: [versioning], nonAcknowledgeableControls: ['DATA-CMK'] }).report.violations[0];
    expect(open.severity).toBe('error');
    expect(open.description).toContain(`Accept it only with acknowledgeLesson(<S/B/Resource>, { id: '${versioning.id}', reason, owner, expires });`);
  });
  test('the description: lesson and control, the resource with its template and logical id, the message, the fix', () => {
    const [v] = violationsOf((s) => new s3.Bucket(s, 'B'), { rules: [versioning] }).report.violations;
    expect(v.description).toMatch(new RegExp(`^\\[L8 Recovery without paying / BAK-RETAIN\\] S/B/Resource \\(S\\.template\\.json#B[0-9A-F]{8}\\): ${versioning.info.replace(/\.$/, '').replace(/[.()]/g, '\\$&')}\\. Fix: `));
  });
});

describe('the pack\'s settings', () => {
  test('failOn outside error and warning, and an organization id that is none, are refused naming the value', () => {
    expect(() => validatePackProps({ failOn: 'never' as never })).toThrow("BreachLessonsChecks failOn 'never' is not one of 'error', 'warning'");
    expect(() => validatePackProps({ failOn: 'error' })).not.toThrow();
    expect(() => validatePackProps({})).not.toThrow();
    expect(() => new BreachLessonsChecks(new App(), { organizationId: 'o-1' })).toThrow('BreachLessonsChecks: organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got "o-1"');
  });
  test('its rule ids are the rules it runs', () => {
    expect(new BreachLessonsChecks(new App(), { rules: [rotation, versioning] }).ruleIds).toEqual([rotation.id, versioning.id]);
  });
  test('acknowledgeHint: the governed form, or why there is none', () => {
    const f = { controlId: 'BAK-RETAIN', ruleId: versioning.id } as Parameters<typeof acknowledgeHint>[0];
    expect(acknowledgeHint(f, 'S/B', new Set())).toBe(`Accept it only with acknowledgeLesson(<S/B>, { id: '${versioning.id}', reason, owner, expires }); a plain CDK acknowledgement (the "Acknowledge with" form) is refused as ungoverned.`);
    expect(acknowledgeHint(f, 'S/B', new Set(['BAK-RETAIN']))).toBe('Control BAK-RETAIN cannot be acknowledged: fix it.');
  });
});

describe('the pack at synthesis (validate with CDK\'s context)', () => {
  const unversionedApp = () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'S'), 'B');
    new s3.Bucket(new Stack(app, 'Unlisted'), 'B');
    return app;
  };
  const withDir = (f: (dir: string) => void) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-ctx-'));
    try { f(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  };
  const context = (app: App, stackTemplates: Array<{ stackConstructPath: string; templatePath: string }>, templatePaths?: string[]) =>
    ({ appConstruct: app, stackTemplates, ...(templatePaths ? { templatePaths } : {}) }) as unknown as IPolicyValidationContext;

  test('a violation names the template file CDK wrote for its stack; a stack CDK did not list is named by its artifact id', () => withDir((dir) => {
    const pack = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning], writeEvidence: false });
    const app = unversionedApp();
    const file = path.join(dir, 'Custom-S.json');
    const r = pack.validate(context(app, [{ stackConstructPath: 'S', templatePath: file }]));
    const byPath = Object.fromEntries(r.violations.map((v) => [v.violatingResources[0].constructPath, v]));
    expect(byPath['S/B/Resource'].violatingResources[0]).toEqual({ constructPath: 'S/B/Resource', locations: ['Properties'], templatePath: file });
    expect(byPath['S/B/Resource'].description).toMatch(/S\/B\/Resource \(Custom-S\.json#B[0-9A-F]{8}\)/);
    expect(byPath['Unlisted/B/Resource'].violatingResources[0]).toEqual({ constructPath: 'Unlisted/B/Resource', locations: ['Properties'] });
    expect(pack.lastFindings.find((f) => f.resource.id === 'Unlisted/B/Resource')!.resource.template).toBe('Unlisted.template.json');
    expect(pack.lastFindings.every((f) => f.source === 'synth')).toBe(true);
    expect(pack.lastEvidenceFile).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  }));
  test('the evidence goes beside the first template, or the first template path when CDK lists no stack; with neither, none and no failure', () => withDir((dir) => {
    const viaStack = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning] });
    viaStack.validate(context(unversionedApp(), [{ stackConstructPath: 'S', templatePath: path.join(dir, 'S.template.json') }]));
    expect(viaStack.lastEvidenceFile).toBe(path.join(dir, 'breach-lessons-evidence.json'));
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    const viaPaths = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning] });
    viaPaths.validate(context(unversionedApp(), [], [path.join(sub, 'S.template.json')]));
    expect(viaPaths.lastEvidenceFile).toBe(path.join(sub, 'breach-lessons-evidence.json'));
    const none = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning] });
    const r = none.validate(context(unversionedApp(), []));
    expect(none.lastEvidenceFile).toBeUndefined();
    expect(r.violations.map((v) => v.ruleName)).toEqual([versioning.id, versioning.id]);
  }));
  test('the clock given is the clock acknowledgements are judged against, at synthesis and for validateScope', () => {
    // Valid on 2026-06-01 (NOW), expired by the time this test runs.
    const build = () => {
      const app = new App();
      acknowledgeLesson(new s3.Bucket(new Stack(app, 'S'), 'B'), { id: versioning.id, reason: 'scratch artifacts rebuilt on every run', owner: 'platform', expires: '2026-07-01' });
      return app;
    };
    const scoped = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning], writeEvidence: false });
    expect(scoped.validateScope(build()).violations).toEqual([]);
    const synth = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning], writeEvidence: false });
    expect(synth.validate(context(build(), [])).success).toBe(true);
    expect(synth.lastFindings.map((f) => f.status)).toEqual(['ACKNOWLEDGED']);
  });
  test('a pack that cannot attribute its violations to StackSets fails synthesis naming why, keeping its violations', () => {
    // The evaluation walks the tree child by child; the attribution's findAll fails.
    const app = unversionedApp();
    let walks = 0;
    const node = new Proxy(app.node, { get: (t, k) => (k === 'findAll' && ++walks > 0 ? () => { throw new Error('tree unreadable'); } : Reflect.get(t, k)) });
    const pack = new BreachLessonsChecks(undefined, { now: NOW, rules: [versioning], writeEvidence: false });
    const r = pack.validate({ appConstruct: { node }, stackTemplates: [{ stackConstructPath: 'S', templatePath: '/out/S.template.json' }] } as never);
    expect(r.success).toBe(false);
    expect(r.violations.map((v) => v.ruleName)).toEqual(['BreachLessons-PackFailure', versioning.id, versioning.id]);
    expect(r.violations[0].description).toContain('the pack could not attribute violations to StackSets: tree unreadable');
    expect(r.violations[0].violatingResources).toEqual([{ constructPath: 'S', locations: [], templatePath: '/out/S.template.json' }]);
  });
  test('its name is BreachLessons, and it has no findings before it runs', () => {
    const pack = new BreachLessonsChecks();
    expect(pack.name).toBe('BreachLessons');
    expect(pack.lastFindings).toEqual([]);
  });
});
