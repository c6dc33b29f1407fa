import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../lib/config';
import { buildApp } from '../lib/stacks/app';
import { buildHardenedEnvironment, registerChecks } from '../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../test/helpers/app';
import { ORGANIZATION_EXAMPLE } from '../test/helpers/organization';
import { median, printTable, timeMs } from './util';

/**
 * Synthesis of the whole hardened app, bare and with the packs registered (AwsSolutions, NIST
 * 800-53 R5, BreachLessons), alternating in one run; medians and their ratio. Then organization mode
 * with three governed regions (three tooling stacks, the StackSet templates checked by every pack)
 * next to account mode, both with the packs, as bin/app.ts builds them.
 */
export async function run(rounds = 5): Promise<void> {
  const context = cdkJsonContext();
  const config = parseConfig(context);
  const timed = (build: (app: App) => void, ctx: Record<string, unknown> = context): number => {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    try {
      return timeMs(() => {
        const app = new App({ context: ctx, outdir });
        build(app);
        app.synth();
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };
  const synth = (withPacks: boolean): number => timed((app) => {
    buildHardenedEnvironment(app, config);
    if (withPacks) registerChecks(app);
  });
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

  // Organization mode: 3 governed regions (the example of docs/organization.md), beside account mode.
  const orgContext = { ...context, ...ORGANIZATION_EXAMPLE };
  const orgConfig = parseConfig(orgContext);
  const modeRounds = Math.max(1, Math.ceil(rounds / 2));
  const account: number[] = [];
  const organization: number[] = [];
  timed((app) => { buildApp(app, orgConfig); }, orgContext); // warm-up
  for (let i = 0; i < modeRounds; i++) {
    account.push(timed((app) => { buildApp(app, config); }));
    organization.push(timed((app) => { buildApp(app, orgConfig); }, orgContext));
  }
  const a = median(account);
  const o = median(organization);
  printTable(`synthesis by deployment mode, with packs (${modeRounds} rounds; organization: ${orgConfig.governedRegions.length} governed regions)`, [
    { mode: 'account', stacks: 6, 'median ms': a.toFixed(0), 'min ms': Math.min(...account).toFixed(0) },
    { mode: 'organization', stacks: 3 + orgConfig.governedRegions.length + 2, 'median ms': o.toFixed(0), 'min ms': Math.min(...organization).toFixed(0) },
  ]);
  console.log(`ratio organization / account: ${(o / a).toFixed(2)}x`);
}

if (require.main === module) void run();
