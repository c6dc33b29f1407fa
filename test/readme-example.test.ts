import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { BASELINE_LINE, readmeConstructExample, transpile, withoutBaseline } from './helpers/readme';

/**
 * Runs TypeScript app source in this process, with `cdk-hardening` resolved to lib/ (the packed
 * tarball is tested in test/package-app.test.ts), and returns its App (the example names it `app`).
 */
function runApp(source: string): App {
  const module = { exports: {} as Record<string, unknown> };
  const load = (id: string): unknown => (id === 'cdk-hardening' ? require('../lib') : require(id));
  new Function('require', 'module', 'exports', transpile(`${source}\nexports.__app = app;`))(load, module, module.exports);
  const app = module.exports.__app;
  if (!(app instanceof App)) throw new Error('the README construct example must name its App `app`');
  return app;
}

/** Synthesizes; returns the validation failure text, or '' when every registered pack is satisfied. */
function synthProblems(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** Synthesizes without aws-cdk-lib's own CloudFormation validation (the packs still run). */
function synthProblemsFast(app: App): string {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return synthProblems(app);
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

interface Evidence { readonly findings: { readonly ruleId: string; readonly status: string; readonly resource: { readonly id: string } }[] }

describe("the README's construct example (read from README.md)", () => {
  const example = readmeConstructExample();

  test('registers the packs and adds the baseline, so what users copy is what is checked', () => {
    expect(example).toMatch(/registerChecks\(app\)/);
    expect(example).toMatch(BASELINE_LINE);
    expect(example).toMatch(/from 'cdk-hardening'/);
  });

  test('synthesizes with zero unacknowledged findings of AwsSolutions, NIST 800-53 R5 and BreachLessons', () => {
    const app = runApp(example);
    expect(synthProblems(app)).toBe('');
    // The pack did run: its evidence holds a PASS for each app-level control on the example's stores.
    const evidence = JSON.parse(readFileSync(join(app.outdir, 'breach-lessons-evidence.json'), 'utf8')) as Evidence;
    expect(evidence.findings.filter((f) => f.status !== 'PASS')).toEqual([]);
    const passes = (rule: string) => evidence.findings.filter((f) => f.ruleId === `BreachLessons-${rule}`).map((f) => f.resource.id);
    expect(passes('S3BucketDataEventsLogged')).toEqual(expect.arrayContaining([expect.stringMatching(/^Loans\/LoanFiles\//)]));
    expect(passes('StatefulResourceBackedUp')).toEqual(expect.arrayContaining([expect.stringMatching(/^Loans\/LoanFiles\//), expect.stringMatching(/^Loans\/Borrowers\//)]));
    expect(passes('GuardDutyDetectorPresent')).toEqual([expect.stringMatching(/^Loans\/Borrowers\//)]);
    expect(passes('IAMRolePermissionsBoundary').length).toBeGreaterThan(0);
  });

  test('without the WorkloadBaseline line it fails synthesis on the app-level controls', () => {
    const problems = synthProblemsFast(runApp(withoutBaseline(example)));
    expect(problems).toMatch(/BAK-VAULTLOCK\] Loans\/Borrowers/);
    expect(problems).toMatch(/EXF-DATAEVENTS\] Loans\/LoanFiles/);
    expect(problems).toMatch(/GD-ENABLED\] Loans\/Borrowers/);
  });

  test('the stock packs are live in the same app: a default bucket added to it fails AwsSolutions and NIST 800-53 R5', () => {
    const problems = synthProblemsFast(runApp(`${example}\nnew (require('aws-cdk-lib/aws-s3').Bucket)(stack, 'Plain');`));
    expect(problems).toMatch(/AwsSolutions-S\d+/);
    expect(problems).toMatch(/NIST\.800\.53\.R5-S3/);
  });
});
