import { main } from '../../lib/cli/main';
import { CliIO } from '../../lib/cli/io';

export const FIXED_NOW = new Date('2026-06-01T00:00:00.000Z');

export interface RunResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs the CLI with a fake io: captured output, a fixed clock, no environment. */
export async function run(argv: readonly string[], now: Date = FIXED_NOW): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTTY: false, env: {}, now: () => now };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
