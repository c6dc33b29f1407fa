import * as fs from 'fs';
import { Command, Option } from 'commander';
import { FailOn } from '../findings';
import { FRAMEWORKS, Framework, LESSONS, LessonId } from '../lessons';
import { CONTROL_STATUSES, ControlStatus } from '../report/model';
import { renderReport } from '../report/render';
import { ReportFormat } from '../report/types';
import type { RegisterCommand } from './commands';
import { TOOL_VERSION, withCommonOptions } from './common';
import { CliIO, UsageError, writeOutput } from './io';

interface ReportOptions {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  readonly audit?: string;
  readonly lesson: string[];
  readonly framework: string[];
  readonly status: string[];
  readonly title: string;
  readonly killChain: boolean;
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

/** The replayed kill chain added to a rendered report (`report --kill-chain`); the exit code stays the report's. */
async function withKillChain(io: CliIO, assembly: string, format: ReportFormat, content: string, lessons: readonly LessonId[]): Promise<string> {
  const [{ runReplay, ReplayInputError }, kc] = await Promise.all([import('../replay'), import('../report/killchain')]);
  let run;
  try {
    run = runReplay([assembly]);
  } catch (e) {
    if (e instanceof ReplayInputError) throw new UsageError(`--kill-chain: ${e.message}`);
    throw e;
  }
  for (const w of run.warnings) io.stderr(`cdk-hardening: warning: kill chain: ${w}\n`);
  const section = kc.filterKillChain(kc.killChainSection(run.result), lessons);
  const open = section.lessons.flatMap((l) => l.steps).filter((s) => s.verdict === 'OPEN' || s.verdict === 'UNDECIDABLE');
  if (open.length) io.stderr(`cdk-hardening: warning: kill chain: ${open.length} step${open.length > 1 ? 's are' : ' is'} not denied or detected (${open.map((s) => `${s.id} ${s.verdict}`).join(', ')}): the controls they test hold only on paper; \`cdk-hardening replay\` is the gate\n`);
  const added = kc.appendKillChain(format, content, section);
  if (added === undefined) io.stderr(`cdk-hardening: warning: --kill-chain is shown in text, md, html and json, not in ${format}\n`);
  return added ?? content;
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
      .addOption(new Option('--title <title>', 'report title').default('cdk-hardening evidence report'))
      .addOption(new Option('--kill-chain', 'replay the kill chain on the assembly and show it per lesson (step → verdict → evidence); text, md, html, json').default(false)),
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
      let content = renderReport(opts.format, report.model, report.findings, report.renderOptions);
      if (opts.killChain) content = await withKillChain(io, assembly, opts.format, content, filters.lessons);
      writeOutput(io, opts.out, content);
      for (const w of report.warnings) io.stderr(`cdk-hardening: warning: ${w}\n`);
      setExitCode(report.exitCode(opts.failOn));
    } catch (e) {
      if (e instanceof ReportInputError) throw new UsageError(e.message);
      throw e;
    }
  });
};
