import * as path from 'path';
import { ExitCode, ExitCodeValue, FailOn, Finding, exitCodeFor, finding } from '../findings';
import { AUDIT_CHECKS } from '../audit/checks';
import { ControlId, citationTag } from '../lessons';
import { BREACH_LESSONS_RULES } from '../nag/rules';
import { LoadedTemplate, loadTemplate } from '../template/load';
import {
  EVIDENCE_FILE, assemblyTemplates, readAuditFile, readEvidenceFile, readValidationReport, templateInfos,
} from './inputs';
import { ReportFilters, ReportModel, buildReport } from './model';
import { RenderOptions } from './types';

export interface AssemblyReportOptions {
  /** The cloud assembly directory (cdk.out). */
  readonly assembly: string;
  /** Live audit results (`cdk-hardening audit --format json`). */
  readonly audit?: string;
  readonly filters?: Partial<ReportFilters>;
  /** The report's clock: acknowledgements are judged against it. */
  readonly now: Date;
  readonly title: string;
  readonly toolVersion: string;
}

export interface AssemblyReport {
  readonly model: ReportModel;
  /** The findings the report shows, templates named as reachable from the working directory (for SARIF). */
  readonly findings: readonly Finding[];
  /** What the reader must know before trusting the report; also in `model.warnings`. */
  readonly warnings: readonly string[];
  /** Render options for `renderReport`: rule descriptions and template line numbers. */
  readonly renderOptions: RenderOptions;
  /**
   * The exit code: every finding within --lesson/--framework (--status only narrows the view); 3 without
   * evidence, or with evidence that does not match the assembly's templates or validation report.
   */
  exitCode(failOn: FailOn): ExitCodeValue;
}

function consistencyWarnings(
  design: readonly Finding[],
  templates: ReadonlyArray<{ path: string; types: string[]; evaluatedFindings: number }>,
  packViolations: ReadonlyArray<{ ruleName: string; constructPath: string }>,
): string[] {
  const warnings: string[] = [];
  const coveredTypes = new Set(BREACH_LESSONS_RULES.flatMap((r) => r.resourceTypes));
  for (const t of templates) {
    if (t.evaluatedFindings === 0 && t.types.some((ty) => coveredTypes.has(ty))) {
      warnings.push(`template ${t.path} has resources the BreachLessons rules check but no design-time finding in the evidence: the evidence may be stale`);
    }
  }
  const flagged = new Set(design.filter((f) => f.status !== 'PASS').map((f) => `${f.ruleId}\u0000${f.resource.constructPath ?? f.resource.id}`));
  for (const v of packViolations) {
    if (!flagged.has(`${v.ruleName.replace(/\[.*\]$/, '')}\u0000${v.constructPath}`)) {
      warnings.push(`validation-report.json reports ${v.ruleName} on ${v.constructPath}, which the evidence file does not show as failing: the two files are from different syntheses`);
    }
  }
  return warnings;
}

/**
 * Reads a cloud assembly — templates, the BreachLessons evidence file, validation-report.json — and
 * optionally live audit results, and builds the lesson-organized report. A missing evidence file, or
 * one that does not match the assembly, is a warning and exit code 3, never a pass. Throws
 * ReportInputError naming a file that cannot be read.
 */
export function assemblyReport(options: AssemblyReportOptions): AssemblyReport {
  const { assembly, now } = options;
  const evidence = readEvidenceFile(assembly);
  const audit = options.audit ? readAuditFile(options.audit) : undefined;
  const validation = readValidationReport(assembly);
  const templateFiles = assemblyTemplates(assembly);
  const design: Finding[] = evidence?.findings ?? [];
  const templates = templateInfos(assembly, templateFiles, design);

  // Evidence that does not match the assembly (a template whose checked resources it never evaluated,
  // a pack violation it does not show as failing) may pass what was not evaluated: incomplete, like none.
  const inconsistencies = evidence ? consistencyWarnings(design, templates, validation?.packViolations ?? []) : [];
  const warnings: string[] = evidence
    ? [...inconsistencies]
    : [`no BreachLessons evidence: ${path.join(assembly, EVIDENCE_FILE)} does not exist, so no control has design-time evidence. `
      + 'Register BreachLessonsChecks in the app and synthesize again (or run `cdk-hardening check` on the templates).'];
  if (!templateFiles.length) warnings.push(`${assembly} holds no CloudFormation template`);

  const designControls = evidence ? new Set<ControlId>(evidence.rules.flatMap((r) => r.controlIds)) : undefined;
  // Sections the evidence's rules check (their citations in this version): a section no rule checks is "no check".
  const designCitations = evidence
    ? new Set<string>(evidence.rules.flatMap((r) => BREACH_LESSONS_RULES.find((k) => k.id === r.id)?.citations.map(citationTag) ?? []))
    : undefined;
  // Controls a live check exists for: without audit results they are unproven, not "no check".
  const liveControls = new Set<ControlId>(AUDIT_CHECKS.map((c) => c.controlId));
  const base = {
    findings: [...design, ...(audit?.findings ?? [])],
    title: options.title, generatedAt: now, toolVersion: options.toolVersion,
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
    ...(designCitations ? { designCitations } : {}),
    liveControls,
  };
  const filters = options.filters ?? {};
  const { model, findings: shown } = buildReport({ ...base, filters });
  const scoped = filters.statuses?.length ? buildReport({ ...base, filters: { ...filters, statuses: [] } }).findings : shown;

  // Design-time findings name templates relative to the assembly; SARIF names the file as reachable
  // from the working directory (e.g. cdk.out/Data.template.json), with the logical id's line.
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
  return {
    model,
    findings: located,
    warnings,
    renderOptions: {
      title: options.title, generatedAt: now, toolVersion: options.toolVersion, lineOf,
      ruleDescriptions: Object.fromEntries((evidence?.rules ?? []).map((r) => [r.id, r.info])),
    },
    exitCode: (failOn) => {
      const code = exitCodeFor(scoped, failOn);
      return evidence && inconsistencies.length === 0 ? code : ExitCode.INCOMPLETE;
    },
  };
}
