import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../helpers/app';
import { RunReplayResult, runReplay } from '../../lib/replay';
import { WEAK_ACCOUNT } from './weakened-app';

/** Writes templates to a fresh directory and replays them (no SCPs unless asked). */
export function replayTemplates(templates: Record<string, unknown>, options: { scps?: boolean; steps?: string[]; exhaustive?: boolean } = {}): RunReplayResult {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const files = Object.entries(templates).map(([name, t]) => {
    const f = join(dir, `${name}.template.json`);
    writeFileSync(f, JSON.stringify(t));
    return f;
  });
  return runReplay(files, { account: WEAK_ACCOUNT, cwd: ROOT, scps: options.scps, config: options.scps ? join(ROOT, 'cdk.json') : undefined, steps: options.steps, exhaustive: options.exhaustive });
}

