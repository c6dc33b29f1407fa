import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { ExitCode } from '../findings';
import { COMMANDS } from './commands';
import { TOOL_VERSION } from './common';
import { CliIO, UsageError, processIO } from './io';

/**
 * The CLI: parses argv (without the node and script entries), runs one command and returns the
 * exit code. It never calls process.exit; errors print one line, not a stack trace.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = ExitCode.OK;
  const program = new Command('cdk-hardening')
    .description('Breach lessons as AWS controls: check templates, audit live accounts, report evidence.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => undefined })
    .showSuggestionAfterError(true);

  for (const register of COMMANDS) {
    register(program, io, (c) => { code = c; });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
      io.stderr(`cdk-hardening: ${e.message.replace(/^error: /, '')}\n`);
      return ExitCode.USAGE;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`cdk-hardening: ${e.message}\n`);
      return ExitCode.USAGE;
    }
    io.stderr(`cdk-hardening: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (io.env.CDK_HARDENING_DEBUG) io.stderr(`${(e as Error).stack ?? ''}\n`);
    return ExitCode.INCOMPLETE;
  }
}
