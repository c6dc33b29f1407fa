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
  quietSdkNodeVersionWarning();
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

/**
 * The AWS SDK v3 writes a nine-line NodeVersionSupportWarning to stderr on every run under Node 20
 * (its releases after January 2027 will need Node 22). It speaks to whoever picks the SDK version -
 * this package, whose lock file pins one that runs on Node 20 (README, engines) - not to the person
 * reading an audit, and stderr is where the CLI puts only its own errors. Switched off through the
 * SDK's own variable, unless the user set that variable.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
