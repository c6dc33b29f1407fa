import { Finding, FindingResource, FindingSource, FindingStatus, StatusCounts, countByStatus, isExpired, sortFindings } from '../findings';
import {
  ATTACK_VERSION, Citation, ControlId, FRAMEWORKS, Framework, LESSONS, LessonId, NOTIFICATION_CLOCKS, NotificationClock,
  citationLabel, citationTag, frameworkTitle,
} from '../lessons';

/** `cdk-hardening/report@1`: the lesson-organized evidence report (docs/report-schema.md). */
export const REPORT_SCHEMA_ID = 'cdk-hardening/report@1';

/**
 * The status of a control (or lesson) in one view:
 * the four finding statuses rolled up worst first (FAIL > ERROR > ACKNOWLEDGED > PASS), plus
 * NO_EVIDENCE — nothing was evaluated for it (never a pass) — and
 * NO_CHECK — no check of that kind exists for the control (e.g. a live-only control at design time).
 */
export type ControlStatus = FindingStatus | 'NO_EVIDENCE' | 'NO_CHECK';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['FAIL', 'ERROR', 'ACKNOWLEDGED', 'PASS', 'NO_EVIDENCE', 'NO_CHECK'];

const ROLLUP_ORDER: Record<ControlStatus, number> = { FAIL: 0, ERROR: 1, ACKNOWLEDGED: 2, PASS: 3, NO_EVIDENCE: 4, NO_CHECK: 5 };

/** Worst status of a list; NO_EVIDENCE for an empty list. */
export function rollup(statuses: readonly ControlStatus[]): ControlStatus {
  let worst: ControlStatus | undefined;
  for (const s of statuses) if (worst === undefined || ROLLUP_ORDER[s] < ROLLUP_ORDER[worst]) worst = s;
  return worst ?? 'NO_EVIDENCE';
}

/** Combines the design-time and live status: the worst evaluated one; NO_EVIDENCE when neither was evaluated. */
/**
 * A control's overall status: the worst of its design-time and live status, except that a pass on
 * one side is not a pass while the other side has a check that produced no evidence — a control
 * is proven only where every check it has was evaluated.
 */
function overallOf(design: ControlStatus, live: ControlStatus): ControlStatus {
  return rollupLesson([design, live]);
}

export interface ReportCitation extends Citation {
  /** e.g. "NYDFS 23 NYCRR 500.12" */
  readonly label: string;
  /** e.g. "nydfs-500:500.12" */
  readonly tag: string;
}

export interface ResourceRuleResult {
  readonly ruleId: string;
  readonly status: FindingStatus;
  readonly message: string;
  readonly remediation?: string;
}

/** One resource under one control: its worst status over every rule that evaluated it. */
export interface ResourceEntry {
  readonly resource: FindingResource;
  readonly source: FindingSource;
  readonly status: FindingStatus;
  readonly rules: readonly ResourceRuleResult[];
}

export interface AcknowledgementEntry {
  readonly ruleId: string;
  readonly source: FindingSource;
  readonly resource: FindingResource;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly ticket?: string;
  /** True when the acknowledgement had lapsed at report time: the finding counts as FAIL again. */
  readonly expired: boolean;
}

export interface ControlReport {
  readonly id: ControlId;
  readonly lessonId: LessonId;
  readonly title: string;
  readonly description: string;
  readonly citations: readonly ReportCitation[];
  /** Worst of designStatus and liveStatus (the evaluated ones). */
  readonly status: ControlStatus;
  /** From `synth` and `template` findings. */
  readonly designStatus: ControlStatus;
  /** From `live` findings. */
  readonly liveStatus: ControlStatus;
  /** Counts over every finding of the control (before --status). */
  readonly counts: StatusCounts;
  /** Resources, worst first (only those matching --status). */
  readonly resources: readonly ResourceEntry[];
  /** Every acknowledgement recorded for the control, current and expired. */
  readonly acknowledgements: readonly AcknowledgementEntry[];
}

export interface LessonReport {
  readonly id: LessonId;
  readonly title: string;
  readonly stage: string;
  readonly attack: readonly string[];
  readonly status: ControlStatus;
  readonly designStatus: ControlStatus;
  readonly liveStatus: ControlStatus;
  readonly controls: readonly ControlReport[];
}

export interface CitationReport {
  readonly section: string;
  /** e.g. "NYDFS 23 NYCRR 500.15" */
  readonly label: string;
  /**
   * Worst of the citing controls' statuses for this section, each from the findings that cite the
   * section; NO_EVIDENCE when any of them is unproven and none fails; NO_CHECK when no check cites it.
   */
  readonly status: ControlStatus;
  /** The citing controls, each with its status for this section (not its overall status). */
  readonly controls: ReadonlyArray<{ readonly id: ControlId; readonly status: ControlStatus }>;
}

export interface RegulationReport {
  readonly framework: Framework;
  /** e.g. "NYDFS 23 NYCRR" */
  readonly title: string;
  readonly status: ControlStatus;
  readonly citations: readonly CitationReport[];
}

/** A violation another validation plugin (AwsSolutions, NIST 800-53 …) wrote to validation-report.json. */
export interface ContextViolation {
  readonly plugin: string;
  readonly ruleName: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPath: string;
  readonly logicalId?: string;
  readonly template?: string;
  /** Set when the plugin's violation was acknowledged (suppressed): the reason recorded with it. */
  readonly acknowledged?: { readonly reason: string };
}

export interface TemplateInfo {
  readonly path: string;
  readonly resources: number;
  /** Design-time findings that name this template. */
  readonly evaluatedFindings: number;
}

export interface SourceInfo {
  readonly path: string;
  readonly generatedAt?: string;
  readonly findings: number;
}

export interface ReportInputs {
  readonly assembly?: string;
  readonly templates: readonly TemplateInfo[];
  /** The BreachLessons evidence file; null when the assembly has none. */
  readonly evidence: SourceInfo | null;
  /** The live audit results (`--audit`); null when not given. */
  readonly audit: SourceInfo | null;
  readonly validationReport: { readonly path: string; readonly plugins: readonly string[]; readonly violations: number } | null;
}

export interface ReportFilters {
  readonly lessons: readonly LessonId[];
  readonly frameworks: readonly Framework[];
  readonly statuses: readonly ControlStatus[];
}

export interface ReportSummary {
  /** Finding counts over the controls shown (before --status, which is a view). */
  readonly findings: StatusCounts;
  /** How many controls shown have each overall status. */
  readonly controls: Record<ControlStatus, number>;
  readonly acknowledgements: { readonly active: number; readonly expired: number };
}

export interface ReportModel {
  readonly schema: typeof REPORT_SCHEMA_ID;
  readonly title: string;
  readonly generatedAt: string;
  readonly toolVersion: string;
  readonly attackVersion: string;
  readonly filters: ReportFilters;
  readonly inputs: ReportInputs;
  /** Things the reader must know before trusting the report (missing evidence, stale files…). */
  readonly warnings: readonly string[];
  readonly summary: ReportSummary;
  /** Deadlines that start at detection (control IR-CLOCKS). */
  readonly notificationClocks: readonly NotificationClock[];
  readonly lessons: readonly LessonReport[];
  /** One answer per regulation citation: every cited section with the controls citing it. */
  readonly regulations: readonly RegulationReport[];
  /** Violations from other validation plugins, for context; they do not change a control's status. */
  readonly context: { readonly violations: readonly ContextViolation[] };
}

export interface BuildReportInput {
  readonly findings: readonly Finding[];
  readonly title: string;
  readonly generatedAt: Date;
  readonly toolVersion: string;
  readonly filters?: Partial<ReportFilters>;
  readonly inputs?: ReportInputs;
  readonly warnings?: readonly string[];
  readonly contextViolations?: readonly ContextViolation[];
  /**
   * Controls some design-time rule checks (from the evidence file's rule list). When given, a control
   * outside it has design status NO_CHECK instead of NO_EVIDENCE.
   */
  readonly designControls?: ReadonlySet<ControlId>;
  /** Same for live checks. */
  readonly liveControls?: ReadonlySet<ControlId>;
  /**
   * Citation tags (`cis-aws:3.6`) some design-time rule checks (the evidence file's rules). A cited
   * section no rule checks has design status NO_CHECK in the per-regulation view, whatever the
   * status of its control. @default - unknown: a section no finding cites is NO_EVIDENCE (never PASS)
   */
  readonly designCitations?: ReadonlySet<string>;
}

/**
 * Re-evaluates acknowledgements at report time: an ACKNOWLEDGED finding whose expiry has passed
 * counts as FAIL again, with the acknowledgement kept and marked expired.
 */
export function applyExpiry(f: Finding, now: Date): Finding {
  const a = f.acknowledgement;
  if (!a) return f;
  const expired = a.expired || isExpired(a.expires, now);
  if (f.status === 'ACKNOWLEDGED' && expired) {
    return { ...f, status: 'FAIL', message: `${f.message} [acknowledgement expired on ${a.expires}: FAIL again]`, acknowledgement: { ...a, expired: true } };
  }
  return expired === a.expired ? f : { ...f, acknowledgement: { ...a, expired } };
}

const isDesign = (f: Finding): boolean => f.source !== 'live';

function resourceKey(f: Finding): string {
  return `${f.source}\u0000${f.resource.account ?? ''}\u0000${f.resource.region ?? ''}\u0000${f.resource.id}`;
}

function resourcesOf(findings: readonly Finding[]): ResourceEntry[] {
  const groups = new Map<string, Finding[]>();
  for (const f of sortFindings(findings)) {
    const k = resourceKey(f);
    const g = groups.get(k);
    if (g) g.push(f); else groups.set(k, [f]);
  }
  const entries: ResourceEntry[] = [...groups.values()].map((g) => ({
    resource: g[0].resource,
    source: g[0].source,
    status: rollup(g.map((f) => f.status)) as FindingStatus,
    rules: g.map((f) => ({ ruleId: f.ruleId, status: f.status, message: f.message, ...(f.remediation ? { remediation: f.remediation } : {}) })),
  }));
  return entries.sort((a, b) => ROLLUP_ORDER[a.status] - ROLLUP_ORDER[b.status]
    || a.source.localeCompare(b.source)
    || (a.resource.account ?? '').localeCompare(b.resource.account ?? '')
    || (a.resource.region ?? '').localeCompare(b.resource.region ?? '')
    || a.resource.id.localeCompare(b.resource.id));
}

function acknowledgementsOf(findings: readonly Finding[]): AcknowledgementEntry[] {
  return sortFindings(findings).filter((f) => f.acknowledgement).map((f) => {
    const a = f.acknowledgement!;
    return {
      ruleId: f.ruleId, source: f.source, resource: f.resource,
      reason: a.reason, owner: a.owner, expires: a.expires, ...(a.ticket ? { ticket: a.ticket } : {}), expired: a.expired,
    };
  });
}

function emptyControlCounts(): Record<ControlStatus, number> {
  return { FAIL: 0, ERROR: 0, ACKNOWLEDGED: 0, PASS: 0, NO_EVIDENCE: 0, NO_CHECK: 0 };
}

const EMPTY_INPUTS: ReportInputs = { templates: [], evidence: null, audit: null, validationReport: null };

/**
 * Builds the lesson → control → citations report from findings of any source. Every control of the
 * catalogue appears (within the filters), evaluated or not: a control nobody evaluated shows
 * NO_EVIDENCE, never PASS.
 */
export function buildReportModel(input: BuildReportInput): ReportModel {
  return buildReport(input).model;
}

/**
 * The model and the findings it shows (controls within the filters, --status applied, expiry
 * re-evaluated), in report order — for the per-finding formats (sarif).
 */
export function buildReport(input: BuildReportInput): { model: ReportModel; findings: Finding[] } {
  const now = input.generatedAt;
  const filters: ReportFilters = {
    lessons: input.filters?.lessons ?? [],
    frameworks: input.filters?.frameworks ?? [],
    statuses: input.filters?.statuses ?? [],
  };
  const statusFilter = new Set(filters.statuses);
  const byControl = new Map<ControlId, Finding[]>();
  for (const raw of input.findings) {
    const f = applyExpiry(raw, now);
    const list = byControl.get(f.controlId);
    if (list) list.push(f); else byControl.set(f.controlId, [f]);
  }

  const shownFindings: Finding[] = [];
  const visibleFindings: Finding[] = [];
  const controlCounts = emptyControlCounts();
  const acks = { active: 0, expired: 0 };
  const lessons: LessonReport[] = [];
  const sectionStatuses = new Map<ControlId, ReadonlyMap<string, ControlStatus>>();

  for (const lesson of LESSONS) {
    if (filters.lessons.length && !filters.lessons.includes(lesson.id)) continue;
    const controls: ControlReport[] = [];
    for (const c of lesson.controls) {
      const citations = filters.frameworks.length ? c.citations.filter((x) => filters.frameworks.includes(x.framework)) : c.citations;
      if (!citations.length) continue;
      const all = byControl.get(c.id) ?? [];
      const design = all.filter(isDesign);
      const live = all.filter((f) => !isDesign(f));
      const designStatus = design.length ? rollup(design.map((f) => f.status))
        : (input.designControls && !input.designControls.has(c.id) ? 'NO_CHECK' : 'NO_EVIDENCE');
      const liveStatus = live.length ? rollup(live.map((f) => f.status))
        : (input.liveControls && !input.liveControls.has(c.id) ? 'NO_CHECK' : 'NO_EVIDENCE');
      const status = overallOf(designStatus, liveStatus);
      if (statusFilter.size && !statusFilter.has(status)) continue;
      sectionStatuses.set(c.id, sectionStatusesOf(c.id, citations, design, live, input));
      shownFindings.push(...all);
      controlCounts[status]++;
      const acknowledgements = acknowledgementsOf(all);
      for (const a of acknowledgements) acks[a.expired ? 'expired' : 'active']++;
      const visible = statusFilter.size ? all.filter((f) => statusFilter.has(f.status)) : all;
      visibleFindings.push(...visible);
      controls.push({
        id: c.id, lessonId: c.lessonId, title: c.title, description: c.description,
        citations: citations.map((x) => ({ framework: x.framework, section: x.section, label: citationLabel(x), tag: citationTag(x) })),
        status, designStatus, liveStatus,
        counts: countByStatus(all),
        resources: resourcesOf(visible),
        acknowledgements,
      });
    }
    if (!controls.length) continue;
    lessons.push({
      id: lesson.id, title: lesson.title, stage: lesson.stage, attack: lesson.attack,
      status: rollupLesson(controls.map((c) => c.status)),
      designStatus: rollupLesson(controls.map((c) => c.designStatus)),
      liveStatus: rollupLesson(controls.map((c) => c.liveStatus)),
      controls,
    });
  }

  const model: ReportModel = {
    schema: REPORT_SCHEMA_ID,
    title: input.title,
    generatedAt: now.toISOString(),
    toolVersion: input.toolVersion,
    attackVersion: ATTACK_VERSION,
    filters,
    inputs: input.inputs ?? EMPTY_INPUTS,
    warnings: input.warnings ?? [],
    summary: { findings: countByStatus(shownFindings), controls: controlCounts, acknowledgements: acks },
    notificationClocks: NOTIFICATION_CLOCKS,
    lessons,
    regulations: regulationsOf(lessons, sectionStatuses),
    context: { violations: input.contextViolations ?? [] },
  };
  return { model, findings: sortFindings(visibleFindings) };
}

const citesTag = (tag: string) => (f: Finding): boolean => f.citations.some((x) => citationTag(x) === tag);

/**
 * The status of each cited section of one control, from the findings that cite that section — not
 * from the control's status: a rule that passes proves only what it checks. A section no finding
 * cites is NO_EVIDENCE when some check of that kind cites it, NO_CHECK when none does.
 */
function sectionStatusesOf(
  controlId: ControlId, citations: readonly Citation[], design: readonly Finding[], live: readonly Finding[], input: BuildReportInput,
): ReadonlyMap<string, ControlStatus> {
  const out = new Map<string, ControlStatus>();
  for (const x of citations) {
    const tag = citationTag(x);
    const d = design.filter(citesTag(tag));
    const l = live.filter(citesTag(tag));
    const designStatus: ControlStatus = d.length ? rollup(d.map((f) => f.status))
      : (input.designControls && !input.designControls.has(controlId)) || (input.designCitations && !input.designCitations.has(tag)) ? 'NO_CHECK' : 'NO_EVIDENCE';
    const liveStatus: ControlStatus = l.length ? rollup(l.map((f) => f.status))
      : (input.liveControls && !input.liveControls.has(controlId) ? 'NO_CHECK' : 'NO_EVIDENCE');
    out.set(tag, overallOf(designStatus, liveStatus));
  }
  return out;
}

/**
 * Groups the controls shown by framework and cited section, in catalogue framework order. A section's
 * status is the worst of its citing controls' statuses for that section (sectionStatusesOf): a
 * section that no evaluated check cites is never PASS.
 */
function regulationsOf(lessons: readonly LessonReport[], sectionStatuses: ReadonlyMap<ControlId, ReadonlyMap<string, ControlStatus>>): RegulationReport[] {
  const byFramework = new Map<Framework, Map<string, { label: string; controls: Array<{ id: ControlId; status: ControlStatus }> }>>();
  for (const c of lessons.flatMap((l) => l.controls)) {
    for (const x of c.citations) {
      let sections = byFramework.get(x.framework);
      if (!sections) byFramework.set(x.framework, (sections = new Map()));
      let entry = sections.get(x.section);
      if (!entry) sections.set(x.section, (entry = { label: x.label, controls: [] }));
      entry.controls.push({ id: c.id, status: sectionStatuses.get(c.id)?.get(x.tag) ?? 'NO_EVIDENCE' });
    }
  }
  return FRAMEWORKS.filter((f) => byFramework.has(f)).map((f) => {
    const citations = [...byFramework.get(f)!.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([section, e]) => ({ section, label: e.label, status: rollupLesson(e.controls.map((k) => k.status)), controls: e.controls }));
    return { framework: f, title: frameworkTitle(f), status: rollupLesson(citations.map((k) => k.status)), citations };
  });
}

/**
 * A lesson's status: the worst of its controls; a lesson with some controls unevaluated and the
 * rest passing is NO_EVIDENCE, not PASS — part of it is unproven.
 */
function rollupLesson(statuses: readonly ControlStatus[]): ControlStatus {
  const evaluated = statuses.filter((s) => s !== 'NO_EVIDENCE' && s !== 'NO_CHECK');
  if (!evaluated.length) return statuses.every((s) => s === 'NO_CHECK') && statuses.length ? 'NO_CHECK' : 'NO_EVIDENCE';
  const worst = rollup(evaluated);
  if (worst === 'PASS' && evaluated.length < statuses.filter((s) => s !== 'NO_CHECK').length) return 'NO_EVIDENCE';
  return worst;
}


/** Human words for a status, shared by md, html and text. */
export const STATUS_LABEL: Record<ControlStatus, string> = {
  PASS: 'pass', FAIL: 'fail', ERROR: 'cannot verify', ACKNOWLEDGED: 'acknowledged', NO_EVIDENCE: 'no evidence', NO_CHECK: 'no check',
};

/** Duration of a notification clock in words: "72 hours", "30 days". */
export function clockDuration(c: NotificationClock): string {
  return c.hours % 24 === 0 && c.hours >= 24 * 7 ? `${c.hours / 24} days` : `${c.hours} hours`;
}
