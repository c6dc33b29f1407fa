import { Finding, finding } from '../findings';
import { AttemptResult, ReplayResult, StepResult, Verdict, worstVerdict } from './replay';

/**
 * The replay as findings (one per step and attacked resource), so every report format views it:
 * OPEN is FAIL, UNDECIDABLE is ERROR (never a pass), DENIED and DETECTED are PASS. A broken
 * continuity check (the pipeline cannot deploy) is FAIL; an undecidable one ERROR.
 */
const STATUS: Record<Verdict, Finding['status']> = { OPEN: 'FAIL', UNDECIDABLE: 'ERROR', DETECTED: 'PASS', DENIED: 'PASS' };

function byTarget(step: StepResult): Map<string, AttemptResult[]> {
  const out = new Map<string, AttemptResult[]>();
  for (const a of step.attempts) {
    for (const t of a.targets ?? [a.target]) {
      const list = out.get(t) ?? [];
      list.push(a.targets ? { ...a, target: t } : a);
      out.set(t, list);
    }
  }
  return out;
}

/** The line of evidence for a step on one target: the worst attempt first, then who else got which verdict. */
export function targetMessage(step: StepResult, attempts: readonly AttemptResult[]): { verdict: Verdict; message: string } {
  const verdict = worstVerdict(attempts.map((a) => a.verdict)) as Verdict;
  const worst = attempts.filter((a) => a.verdict === verdict);
  const others = attempts.length - worst.length;
  const who = worst.length <= 3 ? worst.map((a) => a.persona).join(', ') : `${worst.slice(0, 3).map((a) => a.persona).join(', ')} and ${worst.length - 3} more`;
  return {
    verdict,
    message: `${verdict}: ${step.title} — ${who}: ${worst[0].evidence}${others ? ` (${others} other persona attempt${others > 1 ? 's' : ''} less severe)` : ''}`,
  };
}

export function replayFindings(result: ReplayResult): Finding[] {
  const out: Finding[] = [];
  for (const step of result.steps) {
    for (const [target, attempts] of byTarget(step)) {
      const { verdict, message } = targetMessage(step, attempts);
      const loc = attempts.find((a) => a.located)?.located;
      out.push(finding({
        ruleId: `replay-${step.id}`, controlId: step.controlId, source: 'template', status: STATUS[verdict], severity: 'error',
        resource: { id: target, template: loc?.file, logicalId: loc?.logicalId, constructPath: loc?.constructPath },
        message, remediation: verdict === 'OPEN' ? step.defence : undefined,
      }));
    }
  }
  for (const c of result.continuity) {
    out.push(finding({
      ruleId: `replay-continuity-${c.id.replace(/[^A-Za-z0-9-]/g, '-')}`, controlId: 'LOG-TAMPER', source: 'template',
      status: c.status === 'WORKS' ? 'PASS' : c.status === 'BROKEN' ? 'FAIL' : 'ERROR', severity: 'error',
      resource: { id: c.id }, message: `${c.status}: ${c.title}: ${c.evidence}`,
      remediation: c.status === 'BROKEN' ? 'exempt the pipeline execution role from the guardrails it must pass (SCP/boundary conditions on aws:PrincipalArn)' : undefined,
    }));
  }
  return out;
}
