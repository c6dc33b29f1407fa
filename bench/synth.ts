import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../lib/config';
import { buildHardenedEnvironment, registerChecks } from '../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../test/helpers/app';
import { median, printTable, timeMs } from './util';

/**
 * Synthesis of the whole hardened app, bare and with the packs registered (AwsSolutions, NIST
 * 800-53 R5, BreachLessons), alternating in one run; medians and their ratio.
 */
export async function run(rounds = 5): Promise<void> {
  const context = cdkJsonContext();
  const config = parseConfig(context);
  const synth = (withPacks: boolean): number => {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    try {
      return timeMs(() => {
        const app = new App({ context, outdir });
        buildHardenedEnvironment(app, config);
        if (withPacks) registerChecks(app);
        app.synth();
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };
  synth(false); synth(true); // warm-up: module loading is not synthesis
  const bare: number[] = [];
  const packs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(synth(false));
    packs.push(synth(true));
  }
  const b = median(bare);
  const p = median(packs);
  printTable(`whole-app synthesis (${rounds} rounds, CDK_VALIDATION=${process.env.CDK_VALIDATION ?? 'default'})`, [
    { variant: 'bare', 'median ms': b.toFixed(0), 'min ms': Math.min(...bare).toFixed(0) },
    { variant: 'with packs', 'median ms': p.toFixed(0), 'min ms': Math.min(...packs).toFixed(0) },
  ]);
  console.log(`ratio with packs / bare: ${(p / b).toFixed(2)}x`);
}

if (require.main === module) void run();
