/**
 * `npm run bench`: every benchmark in one process, one after the other, each printing its own
 * measurements and the ratios measured in the same run. Targets are printed, never asserted.
 */
import { existsSync } from 'fs';
import { join } from 'path';

const BENCHES = ['synth', 'nag', 'nag-policy', 'audit', 'audit-detection', 'check', 'replay'];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const name of BENCHES) {
    if (only.length && !only.includes(name)) continue;
    if (!existsSync(join(__dirname, `${name}.ts`))) {
      console.error(`bench/${name}.ts is missing`);
      process.exitCode = 1;
      continue;
    }
    console.log(`\n# bench: ${name}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`./${name}`) as { run: () => Promise<void> };
    await mod.run();
  }
}

void main();
