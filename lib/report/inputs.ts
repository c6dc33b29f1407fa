import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { FINDING_STATUSES, Finding, finding } from '../findings';
import { ControlId, isControlId } from '../lessons';
import { BREACH_LESSONS_PACK_NAME } from '../nag/breach-lessons-checks';
import { EVIDENCE_FILE_NAME, EVIDENCE_SCHEMA } from '../nag/evidence';
import { BREACH_LESSONS_RULES } from '../nag/rules';
import { cloudAssemblyTemplates } from '../template/assembly';
import { FINDINGS_JSON_SCHEMA_ID } from './json';
import { ContextViolation, SourceInfo, TemplateInfo } from './model';

/** The evidence file a synthesis writes into the assembly, its schema, and the pack's plugin name (lib/nag). */
export const EVIDENCE_FILE = EVIDENCE_FILE_NAME;
export const EVIDENCE_SCHEMA_ID = EVIDENCE_SCHEMA;
export const PACK_PLUGIN_NAME = BREACH_LESSONS_PACK_NAME;

/** Bad or unreadable report input; the message names the file and the problem. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

const resourceSchema = z.object({
  id: z.string().min(1),
  type: z.string().optional(),
  constructPath: z.string().optional(),
  logicalId: z.string().optional(),
  template: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
});

const findingSchema = z.object({
  ruleId: z.string().min(1),
  controlId: z.string().refine(isControlId, { message: 'not a control id of the catalogue' }),
  source: z.enum(['synth', 'template', 'live']),
  status: z.enum(FINDING_STATUSES as unknown as [string, ...string[]]),
  severity: z.enum(['error', 'warning']),
  resource: resourceSchema,
  message: z.string(),
  remediation: z.string().optional(),
  acknowledgement: z.object({
    reason: z.string(),
    owner: z.string(),
    expires: z.string(),
    ticket: z.string().optional(),
    expired: z.boolean(),
  }).optional(),
});

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let bad: unknown = value;
  for (const p of issue.path) bad = (bad as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
  return `${at || '(root)'}: ${issue.message}${bad !== undefined && typeof bad !== 'object' ? ` (got ${JSON.stringify(bad)})` : ''}`;
}

/** A BreachLessons rule's controls and citations, by rule id: findings read back cite what their rule checks. */
const RULE_CITATIONS = new Map(BREACH_LESSONS_RULES.map((r) => [r.id, r] as const));

/**
 * Checks a list of findings read from a file and rebuilds each with `finding()`, so lesson and
 * citations come from this version's catalogue (a rule's own citations for a BreachLessons rule). Throws naming the file and the first bad field.
 */
export function parseFindings(file: string, value: unknown, where: string): Finding[] {
  const parsed = z.array(findingSchema).safeParse(value);
  if (!parsed.success) {
    throw new ReportInputError(`${file}: ${where}${describeIssue(parsed.error.issues[0], value).replace(/^\[/, '[')}`);
  }
  return parsed.data.map((f) => {
    try {
      const rule = RULE_CITATIONS.get(f.ruleId);
      return finding({
        ...f, controlId: f.controlId as ControlId, status: f.status as Finding['status'],
        ...(rule && rule.controlIds.includes(f.controlId as ControlId) ? { citations: rule.citations } : {}),
      });
    } catch (e) {
      throw new ReportInputError(`${file}: ${(e as Error).message}`);
    }
  });
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ReportInputError(`cannot read ${what} ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export interface EvidenceInput {
  readonly info: SourceInfo;
  readonly findings: Finding[];
  readonly rules: ReadonlyArray<{ readonly id: string; readonly controlIds: readonly ControlId[]; readonly info: string }>;
}

/** Reads `<assembly>/breach-lessons-evidence.json`; undefined when the assembly has none. */
export function readEvidenceFile(assembly: string): EvidenceInput | undefined {
  const file = path.join(assembly, EVIDENCE_FILE);
  if (!fs.existsSync(file)) return undefined;
  const o = readJson(file, 'evidence file') as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.schema !== EVIDENCE_SCHEMA_ID) {
    throw new ReportInputError(`evidence file ${file} has schema ${JSON.stringify((o as Record<string, unknown> | null)?.schema)}, expected '${EVIDENCE_SCHEMA_ID}'`);
  }
  if (!Array.isArray(o.rules)) throw new ReportInputError(`evidence file ${file} has no rules list`);
  const rules = z.array(z.object({ id: z.string(), controlIds: z.array(z.string().refine(isControlId, { message: 'not a control id of the catalogue' })), info: z.string() }).loose())
    .safeParse(o.rules);
  if (!rules.success) throw new ReportInputError(`${file}: rules${describeIssue(rules.error.issues[0], o.rules)}`);
  const findings = parseFindings(file, o.findings, 'findings');
  return {
    info: { path: file, ...(typeof o.generatedAt === 'string' ? { generatedAt: o.generatedAt } : {}), findings: findings.length },
    findings,
    rules: rules.data.map((r) => ({ id: r.id, controlIds: r.controlIds as ControlId[], info: r.info })),
  };
}

/** Reads the `--audit` file: the audit's `--format json` output (`cdk-hardening/findings@1`). */
export function readAuditFile(file: string): { info: SourceInfo; findings: Finding[] } {
  const o = readJson(file, 'audit results') as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.schema !== FINDINGS_JSON_SCHEMA_ID) {
    throw new ReportInputError(`audit results ${file} have schema ${JSON.stringify((o as Record<string, unknown> | null)?.schema)}, expected '${FINDINGS_JSON_SCHEMA_ID}' (cdk-hardening audit --format json)`);
  }
  const findings = parseFindings(file, o.findings, 'findings');
  return { info: { path: file, ...(typeof o.generatedAt === 'string' ? { generatedAt: o.generatedAt } : {}), findings: findings.length }, findings };
}

interface RawViolation {
  readonly ruleName?: string;
  readonly reason?: string;
  readonly description?: string;
  readonly severity?: string;
  readonly violatingConstructs?: ReadonlyArray<{
    readonly constructPath?: string;
    readonly cloudFormationResource?: { readonly templatePath?: string; readonly logicalId?: string };
    // Legacy report shape.
    readonly resourceLogicalId?: string;
    readonly templatePath?: string;
  }>;
}

export interface ValidationReportInput {
  readonly path: string;
  readonly plugins: string[];
  /** Violations of every plugin except the BreachLessons pack (its evidence file is the source). */
  readonly context: ContextViolation[];
  /** BreachLessons violations, to cross-check with the evidence: `ruleName` and construct path. */
  readonly packViolations: Array<{ ruleName: string; constructPath: string }>;
  readonly violations: number;
}

/**
 * Reads validation-report.json (or the legacy policy-validation-report.json): every plugin's
 * violations, suppressed ones included and marked. Undefined when the assembly has neither.
 */
export function readValidationReport(assembly: string): ValidationReportInput | undefined {
  const file = ['validation-report.json', 'policy-validation-report.json'].map((n) => path.join(assembly, n)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const o = readJson(file, 'validation report') as { pluginReports?: unknown };
  if (typeof o !== 'object' || o === null || !Array.isArray(o.pluginReports)) {
    throw new ReportInputError(`validation report ${file} has no pluginReports list`);
  }
  const plugins: string[] = [];
  const context: ContextViolation[] = [];
  const packViolations: Array<{ ruleName: string; constructPath: string }> = [];
  let violations = 0;
  for (const rep of o.pluginReports as Array<Record<string, unknown>>) {
    const summary = rep.summary as Record<string, unknown> | undefined;
    const plugin = String(rep.pluginName ?? summary?.pluginName ?? 'unknown plugin');
    plugins.push(plugin);
    const lists: Array<[RawViolation[], boolean]> = [
      [Array.isArray(rep.violations) ? rep.violations as RawViolation[] : [], false],
      [Array.isArray(rep.suppressedViolations) ? rep.suppressedViolations as RawViolation[] : [], true],
    ];
    for (const [list, suppressed] of lists) {
      for (const v of list) {
        for (const c of v.violatingConstructs ?? [{}]) {
          violations++;
          const ruleName = String(v.ruleName ?? '?');
          const constructPath = String(c.constructPath ?? '?');
          if (plugin === PACK_PLUGIN_NAME) {
            if (!suppressed) packViolations.push({ ruleName, constructPath });
            continue;
          }
          const logicalId = c.cloudFormationResource?.logicalId ?? c.resourceLogicalId;
          const template = c.cloudFormationResource?.templatePath ?? c.templatePath;
          context.push({
            plugin, ruleName, constructPath,
            severity: String(v.severity ?? '?'),
            description: String(v.description ?? ''),
            ...(suppressed ? { acknowledged: { reason: String(v.reason ?? '') } } : {}),
            ...(logicalId ? { logicalId } : {}),
            ...(template ? { template: path.basename(template) } : {}),
          });
        }
      }
    }
  }
  context.sort((a, b) => a.plugin.localeCompare(b.plugin) || a.ruleName.localeCompare(b.ruleName, 'en', { numeric: true }) || a.constructPath.localeCompare(b.constructPath));
  return { path: file, plugins, context, packViolations, violations };
}

/** Template files of the assembly (from manifest.json, nested assemblies included; else *.template.json). */
export function assemblyTemplates(assembly: string): string[] {
  let listed: string[] | undefined;
  try {
    listed = cloudAssemblyTemplates(assembly);
  } catch (e) {
    throw new ReportInputError((e as Error).message);
  }
  return listed ?? fs.readdirSync(assembly).filter((n) => n.endsWith('.template.json')).sort().map((n) => path.join(assembly, n));
}

/** Resource types per template; a template that cannot be read is an input error naming it. */
export function templateResourceTypes(file: string): string[] {
  const t = readJson(file, 'template') as { Resources?: Record<string, { Type?: unknown }> };
  if (typeof t !== 'object' || t === null || typeof t.Resources !== 'object' || t.Resources === null) {
    throw new ReportInputError(`template ${file} has no Resources section`);
  }
  return Object.values(t.Resources).map((r) => String(r?.Type ?? '?'));
}

/** Template inventory for the report: resource count and how many design-time findings name each. */
export function templateInfos(assembly: string, files: readonly string[], designFindings: readonly Finding[]): Array<TemplateInfo & { types: string[] }> {
  const counts = new Map<string, number>();
  for (const f of designFindings) {
    if (f.resource.template) counts.set(path.basename(f.resource.template), (counts.get(path.basename(f.resource.template)) ?? 0) + 1);
  }
  return files.map((file) => {
    const types = templateResourceTypes(file);
    return { path: path.relative(assembly, file) || file, resources: types.length, evaluatedFindings: counts.get(path.basename(file)) ?? 0, types };
  });
}
