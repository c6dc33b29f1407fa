import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config';
import { RunReplayResult, STEPS, runReplay } from '../../lib/replay';
import { synthesizeHardenedBootstrap } from '../../lib/constructs/hardened-bootstrap';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { ROOT, cdkJsonContext } from '../helpers/app';

/**
 * The target of issue 10: on the app's own synthesis no kill-chain step is OPEN (nor undecidable),
 * for the workload account alone and with the organization's SCPs attached. Each step is its own
 * test, so a path that reopens fails by name.
 */

/** The project's hardened bootstrap (lib/constructs/hardened-bootstrap.ts), with the configuration's pipeline, as `cdk bootstrap --template` would deploy it. */
function hardenedBootstrap(): string {
  const config = parseConfig(cdkJsonContext());
  const template = synthesizeHardenedBootstrap({
    // cdk.json names no CI role by default: the test's stands for the one a deployment would name.
    pipelinePrincipalArns: config.pipelinePrincipalArns.length ? config.pipelinePrincipalArns : ['arn:aws:iam::111122223333:role/ci-deploy'], pipelineRoleName: config.pipelineRoleName, qualifier: config.cdkQualifier,
  }, mkdtempSync(join(tmpdir(), 'bootstrap-out-')));
  const file = join(mkdtempSync(join(tmpdir(), 'bootstrap-')), 'hardened-bootstrap.json');
  writeFileSync(file, JSON.stringify(template));
  return file;
}

function synthHardened(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'hardened-'));
  const context = cdkJsonContext();
  const app = new App({ context, outdir });
  buildHardenedEnvironment(app, parseConfig(context));
  app.synth();
  return outdir;
}

const saved = process.env.CDK_VALIDATION;
let assembly: string;
const runs: Record<'alone' | 'scps', RunReplayResult | undefined> = { alone: undefined, scps: undefined };
beforeAll(() => {
  process.env.CDK_VALIDATION = 'false';
  assembly = synthHardened();
  const bootstrap = hardenedBootstrap();
  runs.alone = runReplay([assembly], { cwd: ROOT, bootstrap });
  runs.scps = runReplay([assembly], { cwd: ROOT, bootstrap, scps: true, config: join(ROOT, 'cdk.json') });
});
afterAll(() => {
  process.env.CDK_VALIDATION = saved;
});

describe.each(['alone', 'scps'] as const)('the hardened app (%s)', (mode) => {
  test.each(STEPS.map((s) => s.id))('%s is denied or detected', (id) => {
    const step = runs[mode]!.result.steps.find((s) => s.id === id)!;
    const open = step.attempts.filter((a) => a.verdict === 'OPEN' || a.verdict === 'UNDECIDABLE');
    // The message lists what reopened, so a failure reads as the attack that now succeeds.
    expect(open.map((a) => `${a.verdict} ${a.persona} → ${a.target}: ${a.evidence}`).slice(0, 3)).toEqual([]);
  });

  test('every service the app relies on keeps working (the pipeline deploys)', () => {
    expect(runs[mode]!.result.continuity.filter((c) => c.status !== 'WORKS').map((c) => `${c.status} ${c.title}: ${c.evidence}`)).toEqual([]);
  });

  test('the replay reads every principal and resource of the app (nothing unknown)', () => {
    expect(runs[mode]!.warnings).toEqual([]);
  });
});

describe('replay of the app without --bootstrap (the README command: `cdk-hardening replay cdk.out`)', () => {
  let run: RunReplayResult;
  beforeAll(() => { run = runReplay([assembly], { cwd: ROOT }); });

  test('judges the toolkit\'s own hardened bootstrap, because the app deploys through its pipeline role, and says so', () => {
    expect(run.assumptions.join('\n')).toMatch(/hardened bootstrap, rendered with .*cdk\.json.*stand-in CI role cdk-hardening-ci-not-yet-named/);
    expect(run.result.continuity.filter((c) => c.status !== 'WORKS').map((c) => c.title)).toEqual([]);
  });

  test('no step is open or undecidable', () => {
    const open = run.result.steps.flatMap((s) => s.attempts.filter((a) => a.verdict === 'OPEN' || a.verdict === 'UNDECIDABLE').map((a) => `${s.id} ${a.persona}`));
    expect(open).toEqual([]);
  });
});
