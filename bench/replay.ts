/**
 * The replay's cost against synthesis of the same app: the hardened app of cdk.json, and the
 * generated app of bench/nag.ts at about 2,400 resources. Synthesis is timed with CDK_VALIDATION=false
 * (bare synthesis, the stricter comparison); the replay reads the synthesized assembly, with the
 * default CDK bootstrap, without and with the SCPs. Target: replay under synthesis time.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../lib/config';
import { runReplay } from '../lib/replay';
import { buildHardenedEnvironment } from '../lib/stacks/hardened-environment';
import { generate } from './nag';
import { median, printTable, timeMs } from './util';

const ROOT = join(__dirname, '..');
const TRIALS = 3;

function hardenedApp(outdir: string): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const context = (require('../cdk.json') as { context: Record<string, unknown> }).context;
  const app = new App({ context, outdir });
  buildHardenedEnvironment(app, parseConfig(context));
  return app;
}

function generatedApp(outdir: string): App {
  // generate() builds its own App, which takes its output directory from CDK_OUTDIR.
  const saved = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    return generate(120);
  } finally {
    if (saved === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = saved;
  }
}

function measure(name: string, build: (outdir: string) => App): Record<string, string | number> {
  const synth: number[] = [];
  const alone: number[] = [];
  const scps: number[] = [];
  let resources = 0;
  let evaluations = 0;
  let open = 0;
  for (let t = 0; t < TRIALS; t++) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
    try {
      synth.push(timeMs(() => build(outdir).synth()));
      let r;
      alone.push(timeMs(() => { r = runReplay([outdir], { cwd: ROOT }); }));
      resources = r!.resourceCount;
      evaluations = r!.result.evaluations;
      open = r!.result.counts.OPEN;
      scps.push(timeMs(() => runReplay([outdir], { cwd: ROOT, scps: true, config: join(ROOT, 'cdk.json') })));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const s = median(synth);
  const a = median(alone);
  const c = median(scps);
  return {
    app: name, resources, 'policy evaluations': evaluations, 'open steps': open,
    'synth ms': s.toFixed(0), 'replay ms': a.toFixed(0), 'replay --scps ms': c.toFixed(0),
    'replay/synth (target < 1)': (a / s).toFixed(2), 'replay --scps/synth': (c / s).toFixed(2),
  };
}

export async function run(): Promise<void> {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    // Warm-up: module loading and JIT are not the replay's cost.
    const warm = mkdtempSync(join(tmpdir(), 'bench-replay-warm-'));
    hardenedApp(warm).synth();
    runReplay([warm], { cwd: ROOT });
    rmSync(warm, { recursive: true, force: true });
    printTable(`replay vs synthesis (median of ${TRIALS}; synthesis with CDK_VALIDATION=false)`, [
      measure('hardened (cdk.json)', hardenedApp),
      measure('generated, 120 units', generatedApp),
    ]);
  } finally {
    process.env.CDK_VALIDATION = saved;
  }
}
