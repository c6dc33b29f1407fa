import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Command, Option } from 'commander';
import { DEFAULT_FAIL_ON, FAIL_ON_VALUES, FailOn } from '../findings';
import { REPORT_FORMATS, ReportFormat } from '../report/types';

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
    .addOption(new Option('--fail-on <level>', 'exit 1 when a failure at or above this level remains (the BreachLessons pack\'s failOn: same words, same default)')
      .choices([...FAIL_ON_VALUES]).default(DEFAULT_FAIL_ON));
}

/** This package's version, from the package.json above this file (lib/cli in the source, dist/lib/cli when built). */
export const TOOL_VERSION: string = (() => {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'cdk-hardening' && pkg.version) return pkg.version;
  }
  throw new Error(`cannot find the cdk-hardening package.json above ${__dirname}`);
})();
