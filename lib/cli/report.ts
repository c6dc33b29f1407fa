import * as fs from 'fs';
import { Command, Option } from 'commander';
import { FailOn } from '../findings';
import { FRAMEWORKS, Framework, LESSONS, LessonId } from '../lessons';
import { CONTROL_STATUSES, ControlStatus } from '../report/model';
import { renderReport } from '../report/render';
import { ReportFormat } from '../report/types';
import type { RegisterCommand } from './commands';
import { TOOL_VERSION, withCommonOptions } from './common';
import { UsageError, writeOutput } from './io';

interface ReportOptions {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  readonly audit?: string;
  readonly lesson: string[];
  readonly framework: string[];
  readonly status: string[];
  readonly title: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** `--lesson l1,L5` → ['L1', 'L5']; an unknown id is a usage error listing the valid ones. */
export function parseLessonFilter(values: readonly string[]): LessonId[] {
  const ids = LESSONS.map((l) => l.id as string);
  return values.map((v) => {
    const id = v.toUpperCase();
    if (!ids.includes(id)) throw new UsageError(`--lesson '${v}' is not a lesson id (${ids.join(', ')})`);
    return id as LessonId;
  });
}

export function parseFrameworkFilter(values: readonly string[]): Framework[] {
  return values.map((v) => {
    const f = v.toLowerCase();
    if (!(FRAMEWORKS as readonly string[]).includes(f)) throw new UsageError(`--framework '${v}' is not a framework (${FRAMEWORKS.join(', ')})`);
    return f as Framework;
  });
}

/** `--status fail,no-evidence` → ['FAIL', 'NO_EVIDENCE']. */
export function parseStatusFilter(values: readonly string[]): ControlStatus[] {
  const names = CONTROL_STATUSES.map((s) => s.toLowerCase().replace('_', '-'));
  return values.map((v) => {
    const s = v.toUpperCase().replace('-', '_');
    if (!(CONTROL_STATUSES as readonly string[]).includes(s)) throw new UsageError(`--status '${v}' is not a status (${names.join(', ')})`);
    return s as ControlStatus;
  });
}

/**
 * `cdk-hardening report <cdk.out>`: evidence for auditors, lesson → control → citations, from the
 * cloud assembly (templates, the pack's evidence file, validation-report.json) and optionally a live
 * audit's results.
 */
export const registerReport: RegisterCommand = (program: Command, io, setExitCode) => {
  withCommonOptions(
    program.command('report')
      .description('evidence report from a cloud assembly (and optionally live audit results), organized by lesson, control and citation')
      .argument('<assembly-dir>', 'the cloud assembly directory, e.g. cdk.out')
      .addOption(new Option('--audit <file>', 'results of `cdk-hardening audit --format json`'))
      .addOption(new Option('--lesson <ids>', 'only these lessons, e.g. L1,L5 (repeatable)').argParser(collect).default([]))
      .addOption(new Option('--framework <names>', `only controls citing these frameworks (${FRAMEWORKS.join(', ')})`).argParser(collect).default([]))
      .addOption(new Option('--status <statuses>', 'only controls with this overall status (fail, error, acknowledged, pass, no-evidence, no-check)').argParser(collect).default([]))
      .addOption(new Option('--title <title>', 'report title').default('cdk-hardening evidence report')),
  ).action(async (assembly: string, opts: ReportOptions) => {
    const filters = {
      lessons: parseLessonFilter(opts.lesson),
      frameworks: parseFrameworkFilter(opts.framework),
      statuses: parseStatusFilter(opts.status),
    };
    const stat = fs.statSync(assembly, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new UsageError(`${assembly}: ${stat ? 'not a directory' : 'no such directory'}: give the cloud assembly directory (cdk.out)`);
    // The rule metadata (aws-cdk-lib, cdk-nag) is loaded when a report is built, not at start-up of every command.
    const [{ assemblyReport }, { ReportInputError }] = await Promise.all([import('../report/assembly-report'), import('../report/inputs')]);
    try {
      const report = assemblyReport({ assembly, audit: opts.audit, filters, now: io.now(), title: opts.title, toolVersion: TOOL_VERSION });
      writeOutput(io, opts.out, renderReport(opts.format, report.model, report.findings, report.renderOptions));
      for (const w of report.warnings) io.stderr(`cdk-hardening: warning: ${w}\n`);
      setExitCode(report.exitCode(opts.failOn));
    } catch (e) {
      if (e instanceof ReportInputError) throw new UsageError(e.message);
      throw e;
    }
  });
};
