import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { ExitCode, FailOn, Finding, exitCodeFor, finding } from '../findings';
import { ControlId, FRAMEWORKS, Framework, LESSONS, LessonId } from '../lessons';
import { BREACH_LESSONS_RULES } from '../nag/rules';
import { CONTROL_STATUSES, ControlStatus, ReportFormat, buildReport, renderReport } from '../report';
import {
  EVIDENCE_FILE, ReportInputError, assemblyTemplates, readAuditFile, readEvidenceFile, readValidationReport, templateInfos,
} from '../report/inputs';
import { LoadedTemplate, loadTemplate } from '../template/load';
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
  ).action((assembly: string, opts: ReportOptions) => {
    const filters = {
      lessons: parseLessonFilter(opts.lesson),
      frameworks: parseFrameworkFilter(opts.framework),
      statuses: parseStatusFilter(opts.status),
    };
    const stat = fs.statSync(assembly, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new UsageError(`${assembly}: ${stat ? 'not a directory' : 'no such directory'}: give the cloud assembly directory (cdk.out)`);
    const now = io.now();
    try {
      const warnings: string[] = [];
      const evidence = readEvidenceFile(assembly);
      const audit = opts.audit ? readAuditFile(opts.audit) : undefined;
      const validation = readValidationReport(assembly);
      const templateFiles = assemblyTemplates(assembly);
      const design: Finding[] = evidence?.findings ?? [];
      const templates = templateInfos(assembly, templateFiles, design);

      if (!evidence) {
        warnings.push(`no BreachLessons evidence: ${assembly}/${EVIDENCE_FILE} does not exist, so no control has design-time evidence. `
          + 'Register BreachLessonsChecks in the app and synthesize again (or run `cdk-hardening check` on the templates).');
      } else {
        const coveredTypes = new Set(BREACH_LESSONS_RULES.flatMap((r) => r.resourceTypes));
        for (const t of templates) {
          if (t.evaluatedFindings === 0 && t.types.some((ty) => coveredTypes.has(ty))) {
            warnings.push(`template ${t.path} has resources the BreachLessons rules check but no design-time finding in the evidence: the evidence may be stale`);
          }
        }
        const flagged = new Set(design.filter((f) => f.status !== 'PASS').map((f) => `${f.ruleId}\u0000${f.resource.constructPath ?? f.resource.id}`));
        for (const v of validation?.packViolations ?? []) {
          const rule = v.ruleName.replace(/\[.*\]$/, '');
          if (!flagged.has(`${rule}\u0000${v.constructPath}`)) {
            warnings.push(`validation-report.json reports ${v.ruleName} on ${v.constructPath}, which the evidence file does not show as failing: the two files are from different syntheses`);
          }
        }
      }
      if (!templateFiles.length) warnings.push(`${assembly} holds no CloudFormation template`);

      const findings = [...design, ...(audit?.findings ?? [])];
      const designControls = evidence ? new Set<ControlId>(evidence.rules.flatMap((r) => r.controlIds)) : undefined;
      const base = {
        findings, title: opts.title, generatedAt: now, toolVersion: TOOL_VERSION,
        inputs: {
          assembly,
          templates: templates.map((t) => ({ path: t.path, resources: t.resources, evaluatedFindings: t.evaluatedFindings })),
          evidence: evidence?.info ?? null,
          audit: audit?.info ?? null,
          validationReport: validation ? { path: validation.path, plugins: validation.plugins, violations: validation.violations } : null,
        },
        warnings,
        contextViolations: validation?.context ?? [],
        ...(designControls ? { designControls } : {}),
      };
      const { model, findings: shown } = buildReport({ ...base, filters });
      // The exit code judges every finding within --lesson/--framework; --status only narrows the view.
      const scoped = filters.statuses.length ? buildReport({ ...base, filters: { ...filters, statuses: [] } }).findings : shown;
      const ruleDescriptions = Object.fromEntries((evidence?.rules ?? []).map((r) => [r.id, r.info]));
      // Design-time findings name templates relative to the assembly; SARIF locations name the file
      // as reachable from where the command ran (e.g. cdk.out/Data.template.json), with its line.
      const located = shown.map((f) => (f.source !== 'live' && f.resource.template && !path.isAbsolute(f.resource.template)
        ? finding({ ...f, resource: { ...f.resource, template: path.join(assembly, f.resource.template) } })
        : f));
      const lines = new Map<string, LoadedTemplate | undefined>();
      const lineOf = (template: string, logicalId: string): number | undefined => {
        if (!lines.has(template)) {
          try { lines.set(template, loadTemplate(template)); } catch { lines.set(template, undefined); }
        }
        return lines.get(template)?.lineOf(logicalId);
      };
      writeOutput(io, opts.out, renderReport(opts.format, model, located, {
        title: opts.title, generatedAt: now, toolVersion: TOOL_VERSION, ruleDescriptions, lineOf,
      }));
      for (const w of warnings) io.stderr(`cdk-hardening: warning: ${w}\n`);
      const code = exitCodeFor(scoped, opts.failOn);
      setExitCode(evidence ? code : Math.max(code, ExitCode.INCOMPLETE));
    } catch (e) {
      if (e instanceof ReportInputError) throw new UsageError(e.message);
      throw e;
    }
  });
};
