import { DEFAULTS } from '../config/defaults';
import { Finding, FindingStatus, Severity } from './finding';

export type FailOn = 'error' | 'warning' | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'never'];

/**
 * The level at and above which a FAIL fails the run, the same word in synthesis (the pack's `failOn`)
 * and in every command (`--fail-on`). The strict one: a warning-level failure fails too, so a stack
 * that fails `cdk synth` never passes `cdk-hardening check`, and loosening is an explicit choice.
 */
export const DEFAULT_FAIL_ON: 'error' | 'warning' = DEFAULTS.failOn;

/** The levels a finding can have, most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning'];

/** Exit codes pinned in DESIGN.md. */
export const ExitCode = {
  OK: 0,
  FINDINGS: 1,
  USAGE: 2,
  INCOMPLETE: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type StatusCounts = Record<FindingStatus, number>;

export function countByStatus(findings: readonly Finding[]): StatusCounts {
  const counts: StatusCounts = { PASS: 0, FAIL: 0, ERROR: 0, ACKNOWLEDGED: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

/** Whether a FAIL of this finding's severity reaches the `--fail-on` threshold. */
export function reachesThreshold(f: Finding, failOn: FailOn): boolean {
  if (f.status !== 'FAIL' || failOn === 'never') return false;
  return failOn === 'warning' || f.severity === 'error';
}

/**
 * Whether a finding fails the run at `failOn`: an ERROR always does (what could not be evaluated is
 * never a pass), a FAIL when its level reaches the threshold. Synthesis and every command decide with this.
 */
export function failsAt(f: Finding, failOn: FailOn): boolean {
  return f.status === 'ERROR' || reachesThreshold(f, failOn);
}

export type LevelCounts = Record<Severity, StatusCounts>;

/** Status counts per level (error, warning). */
export function countByLevel(findings: readonly Finding[]): LevelCounts {
  const counts: LevelCounts = { error: countByStatus([]), warning: countByStatus([]) };
  for (const f of findings) counts[f.severity][f.status]++;
  return counts;
}

/**
 * The process exit code for a list of findings. Any ERROR means the evidence is incomplete and
 * yields 3 whatever `--fail-on` says: a control that could not be evaluated is never a pass.
 * Otherwise 1 when a FAIL reaches the threshold, else 0.
 */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): ExitCodeValue {
  if (findings.some((f) => f.status === 'ERROR')) return ExitCode.INCOMPLETE;
  if (findings.some((f) => reachesThreshold(f, failOn))) return ExitCode.FINDINGS;
  return ExitCode.OK;
}

const STATUS_ORDER: Record<FindingStatus, number> = { ERROR: 0, FAIL: 1, ACKNOWLEDGED: 2, PASS: 3 };

/** Deterministic order for every report: worst status first, then control, rule and resource. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
    || a.controlId.localeCompare(b.controlId)
    || a.ruleId.localeCompare(b.ruleId)
    || (a.resource.account ?? '').localeCompare(b.resource.account ?? '')
    || (a.resource.region ?? '').localeCompare(b.resource.region ?? '')
    || a.resource.id.localeCompare(b.resource.id));
}
