import { Citation, ControlId, LessonId, assertCitationsOf, control } from '../lessons';

/** Where a finding came from: a rule at synthesis, a rule over a template file, or a live audit check. */
export type FindingSource = 'synth' | 'template' | 'live';

/**
 * PASS — the control holds for this resource; FAIL — it is broken; ERROR — it could not be evaluated
 * (never counted as compliant); ACKNOWLEDGED — broken, but accepted by a named owner until a date.
 */
export type FindingStatus = 'PASS' | 'FAIL' | 'ERROR' | 'ACKNOWLEDGED';
export const FINDING_STATUSES: readonly FindingStatus[] = ['PASS', 'FAIL', 'ERROR', 'ACKNOWLEDGED'];

/** error: on the breach path; warning: hardening that matters less directly. */
export type Severity = 'error' | 'warning';

/** What the finding is about. Only `id` is required; the rest say where to find it. */
export interface FindingResource {
  /** Stable identity, e.g. a construct path, `template.json#LogicalId`, or an ARN / `account/region`. */
  readonly id: string;
  readonly type?: string;
  readonly constructPath?: string;
  readonly logicalId?: string;
  /** Template file or stack name the resource is in. */
  readonly template?: string;
  readonly account?: string;
  readonly region?: string;
}

export interface Acknowledgement {
  readonly reason: string;
  readonly owner: string;
  /** ISO date (YYYY-MM-DD); the acknowledgement lapses at the end of this day (UTC). */
  readonly expires: string;
  readonly ticket?: string;
  /** True when the expiry date has passed: the finding is FAIL again. */
  readonly expired: boolean;
}

export interface Finding {
  /** Rule or check id, e.g. `BreachLessons-S3BucketCustomerManagedKey` or `iam-root-mfa`. */
  readonly ruleId: string;
  readonly controlId: ControlId;
  readonly lessonId: LessonId;
  readonly source: FindingSource;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly resource: FindingResource;
  readonly message: string;
  readonly remediation?: string;
  readonly citations: readonly Citation[];
  readonly acknowledgement?: Acknowledgement;
}

export interface NewFinding {
  readonly ruleId: string;
  readonly controlId: ControlId;
  readonly source: FindingSource;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly resource: FindingResource;
  readonly message: string;
  readonly remediation?: string;
  readonly acknowledgement?: Acknowledgement;
  /**
   * The citations the rule or check that produced it checks (a rule's `cites`): a subset of the
   * control's citations. @default every citation of the control
   */
  readonly citations?: readonly Citation[];
}

/** Builds a finding, filling the lesson and the citations from the catalogue so they never drift. */
export function finding(f: NewFinding): Finding {
  const c = control(f.controlId);
  if (f.status === 'ACKNOWLEDGED' && !f.acknowledgement) {
    throw new Error(`finding ${f.ruleId} on ${f.resource.id} is ACKNOWLEDGED without an acknowledgement`);
  }
  if (f.citations) assertCitationsOf(`finding ${f.ruleId} of ${f.controlId}`, c.citations, f.citations);
  return { ...f, lessonId: c.lessonId, citations: f.citations ?? c.citations };
}

/** What every finding of one rule (or check) on one resource shares: all of NewFinding but its outcome. */
export type FindingBase = Pick<NewFinding, 'ruleId' | 'controlId' | 'source' | 'severity' | 'resource' | 'remediation' | 'citations'>;

/**
 * `finding({ ...base, status, message })` for the many findings of one rule, without acknowledgement:
 * the control and the citations are looked up and checked once, when the maker is built (so a bad
 * citation still throws before any finding exists), and each finding is one object literal with the
 * keys in the order `finding` gives them (object spread costs microseconds per finding, which the
 * BreachLessons pack pays thousands of times per validation).
 */
export function findingMaker(fixed: Omit<FindingBase, 'resource'>): (resource: FindingResource, status: Exclude<FindingStatus, 'ACKNOWLEDGED'>, message: string) => Finding {
  const c = control(fixed.controlId);
  if (fixed.citations) assertCitationsOf(`finding ${fixed.ruleId} of ${fixed.controlId}`, c.citations, fixed.citations);
  const { ruleId, controlId, source, severity, remediation } = fixed;
  const citations = fixed.citations ?? c.citations;
  const lessonId = c.lessonId;
  return (resource, status, message) => ({ ruleId, controlId, source, severity, resource, remediation, citations, status, message, lessonId });
}

/** A stable fingerprint of rule + resource, for SARIF partialFingerprints and de-duplication. */
export function fingerprint(f: Pick<Finding, 'ruleId' | 'resource'>): string {
  const key = `${f.ruleId}\u0000${f.resource.account ?? ''}\u0000${f.resource.region ?? ''}\u0000${f.resource.id}`;
  // FNV-1a 64-bit: deterministic, dependency-free, enough to tell findings apart.
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    h ^= BigInt(key.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Whether an acknowledgement expiring on `expires` (YYYY-MM-DD) has lapsed at `now`. */
export function isExpired(expires: string, now: Date): boolean {
  const end = Date.parse(`${expires}T23:59:59.999Z`);
  if (Number.isNaN(end)) return true;
  return now.getTime() > end;
}
