import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BreachLessonsChecks, PACK_FAILURE_RULE } from '../../lib/nag/breach-lessons-checks';
import { MIN_AWS_CDK_LIB, copyProblem, isSupportedAwsCdkLib, packCdkLib, versionProblem } from '../../lib/nag/compat';
import { EVIDENCE_FILE_NAME } from '../../lib/nag/evidence';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';
import { buildGateApp } from '../fixtures/gate/gate-app';
import { foreignApp } from './helpers';

const now = new Date('2026-06-01T00:00:00Z');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fail-closed-'));

/** A context as aws-cdk-lib 2.262+ passes it, for an app whose template is (to be) in `dir`. */
function contextFor(app: App, dir: string): IPolicyValidationContext {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const stackTemplates = stacks.map((s) => ({ stackConstructPath: s.node.path, templatePath: path.join(dir, `${s.artifactId}.template.json`), accountId: undefined, region: undefined }));
  return { templatePaths: stackTemplates.map((t) => t.templatePath), stackTemplates, appConstruct: app };
}

function unversionedBucketApp(): App {
  const app = new App();
  new s3.CfnBucket(new Stack(app, 'S'), 'Plain');
  return app;
}

const failure = (r: PolicyValidationPluginReport) => r.violations.find((v) => v.ruleName === PACK_FAILURE_RULE);

describe('validate() never throws: a pack that cannot run fails synthesis, naming the cause', () => {
  it('a context without stackTemplates (aws-cdk-lib < 2.262) is a fatal violation naming the field and the supported range', () => {
    const app = unversionedBucketApp();
    const ctx = contextFor(app, tmp());
    const r = new BreachLessonsChecks(app, { now }).validate({ ...ctx, stackTemplates: undefined } as unknown as IPolicyValidationContext);
    expect(r.success).toBe(false);
    const v = failure(r)!;
    expect(v.severity).toBe('fatal');
    expect(v.description).toMatch(/no stackTemplates: the app runs an aws-cdk-lib older than 2\.262\.0/);
    expect(v.description).toContain('>=2.262.0 <3.0.0');
    // CDK prints no violation without a resource: it must name one.
    expect(v.violatingResources.length).toBe(1);
  });

  it('a context without appConstruct names it', () => {
    const app = unversionedBucketApp();
    const ctx = contextFor(app, tmp());
    const r = new BreachLessonsChecks(app, { now }).validate({ ...ctx, appConstruct: undefined } as unknown as IPolicyValidationContext);
    expect(r.success).toBe(false);
    expect(failure(r)!.description).toMatch(/no appConstruct/);
    expect(failure(r)!.violatingResources[0].constructPath).toBe('S');
  });

  it('an exception outside any rule (a malformed rule list) is a failing violation naming the exception', () => {
    const app = unversionedBucketApp();
    const broken = [{ ...BREACH_LESSONS_RULES[0], resourceTypes: undefined as unknown as string[] }];
    const pack = new BreachLessonsChecks(app, { now, rules: broken, writeEvidence: false });
    let r: PolicyValidationPluginReport | undefined;
    expect(() => { r = pack.validate(contextFor(app, tmp())); }).not.toThrow();
    expect(r!.success).toBe(false);
    expect(failure(r!)!.description).toMatch(/the pack failed while evaluating the app: .*(undefined|resourceTypes)/);
  });

  it('a rule that throws is ERROR ("could not be evaluated", naming the exception) and fails even at failOn error', () => {
    const { app } = buildGateApp('throwing-rule', { failOn: 'error' });
    const pack = new BreachLessonsChecks(app, {
      now, failOn: 'error', writeEvidence: false,
      rules: BREACH_LESSONS_RULES.map((r) => (r.ruleName === 'KMSKeyRotation' ? { ...r, rule: () => { throw new Error('kaboom'); } } : r)),
    });
    const r = pack.validate(contextFor(app, tmp()));
    expect(r.success).toBe(false);
    const v = r.violations.find((x) => x.ruleName === 'BreachLessons-KMSKeyRotation')!;
    expect(v.description).toMatch(/could not be evaluated \(rule failed: kaboom\)/);
    expect(v.severity).toBe('error');
  });

  it('an evidence file that cannot be written fails synthesis, naming the file error, and keeps the other violations', () => {
    const dir = tmp();
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'a file where the assembly directory should be');
    const app = unversionedBucketApp();
    const r = new BreachLessonsChecks(app, { now }).validate(contextFor(app, blocker));
    expect(r.success).toBe(false);
    expect(failure(r)!.description).toMatch(/the evidence file could not be written: .*(EEXIST|ENOTDIR)/);
    expect(r.violations.some((v) => v.ruleName === 'BreachLessons-S3BucketVersioning')).toBe(true);
  });

  it('a clean app validates with success and writes its evidence', () => {
    const dir = tmp();
    const { app } = buildGateApp('clean');
    const pack = new BreachLessonsChecks(app, { now });
    const r = pack.validate(contextFor(app, dir));
    expect(r).toEqual({ success: true, violations: [] });
    expect(fs.existsSync(path.join(dir, EVIDENCE_FILE_NAME))).toBe(true);
  });
});

describe('supported aws-cdk-lib: checked at plugin construction', () => {
  it.each([
    ['2.262.0', true], ['2.262.2', true], ['2.276.0', true], ['2.300.1', true],
    ['2.261.0', false], ['2.260.0', false], ['2.257.0', false], ['3.0.0', false], ['1.204.0', false], ['not-a-version', false],
  ])('aws-cdk-lib %s supported: %s', (v, ok) => {
    expect(isSupportedAwsCdkLib(v)).toBe(ok);
    expect(versionProblem({ version: v, dir: '/x/node_modules/aws-cdk-lib' }) === undefined).toBe(ok);
  });

  it('an unsupported version is named with its path, the range and what to do', () => {
    const msg = versionProblem({ version: '2.260.0', dir: '/app/node_modules/cdk-hardening/node_modules/aws-cdk-lib' })!;
    expect(msg).toContain('aws-cdk-lib 2.260.0 (at /app/node_modules/cdk-hardening/node_modules/aws-cdk-lib)');
    expect(msg).toContain(`>=${MIN_AWS_CDK_LIB} <3.0.0`);
    expect(msg).toMatch(/npm install aws-cdk-lib@\^2\.262\.0/);
  });

  it('this repository runs a supported aws-cdk-lib, so the constructor accepts its apps', () => {
    expect(versionProblem(packCdkLib())).toBeUndefined();
    expect(() => new BreachLessonsChecks(new App())).not.toThrow();
  });

  it('an app built with a second copy of aws-cdk-lib fails at construction, naming both copies', () => {
    const foreign = foreignApp();
    expect(App.isApp(foreign)).toBe(true);
    expect(foreign instanceof App).toBe(false);
    expect(() => new BreachLessonsChecks(foreign)).toThrow(/two copies of aws-cdk-lib, so the pack would check the app against the wrong one/);
    const msg = copyProblem(foreign, { version: '2.276.0', dir: '/app/node_modules/cdk-hardening/node_modules/aws-cdk-lib' },
      { version: '2.270.0', dir: '/app/node_modules/aws-cdk-lib' })!;
    expect(msg).toContain('aws-cdk-lib 2.270.0 at /app/node_modules/aws-cdk-lib');
    expect(msg).toContain('aws-cdk-lib 2.276.0 at /app/node_modules/cdk-hardening/node_modules/aws-cdk-lib');
    // The same copy is no problem.
    expect(copyProblem(new App(), packCdkLib(), packCdkLib())).toBeUndefined();
  });

  it('fails when failOn is not a level, naming the value', () => {
    expect(() => new BreachLessonsChecks(new App(), { failOn: 'never' as never })).toThrow("BreachLessonsChecks failOn 'never' is not one of 'error', 'warning'");
  });
});
