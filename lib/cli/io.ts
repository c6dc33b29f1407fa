import { writeFileSync } from 'fs';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress lines are shown only then). */
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  now(): Date;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    now: () => new Date(),
  };
}

/** Bad usage or unreadable input: exit code 2, one clear line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Writes a document to `--out FILE`, or to stdout when no file is given. */
export function writeOutput(io: CliIO, out: string | undefined, content: string): void {
  if (!out) {
    io.stdout(content);
    return;
  }
  try {
    writeFileSync(out, content);
  } catch (e) {
    throw new UsageError(`cannot write --out ${out}: ${(e as Error).message}`);
  }
}
