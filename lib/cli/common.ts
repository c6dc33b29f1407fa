import { Command, Option } from 'commander';
import { FAIL_ON_VALUES, FailOn } from '../findings';
import { REPORT_FORMATS, ReportFormat } from '../report';

export interface CommonOptions {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
}

/** Adds the flags every reporting command shares: --format, --out, --fail-on. */
export function withCommonOptions(cmd: Command, formats: readonly ReportFormat[] = REPORT_FORMATS): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices([...formats]).default('text'))
    .addOption(new Option('--out <file>', 'write the output to this file instead of stdout'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a failure at or above this level remains').choices([...FAIL_ON_VALUES]).default('error'));
}

export const TOOL_VERSION: string = (() => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
