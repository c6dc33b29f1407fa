import { Finding, FindingStatus, SEVERITIES, StatusCounts, countByLevel, countByStatus, failsAt, sortFindings } from '../findings';
import { RenderOptions } from './types';

function where(f: Finding): string {
  const r = f.resource;
  const scope = [r.account, r.region].filter(Boolean).join('/');
  return scope ? `${scope} ${r.id}` : r.id;
}

/** `3 passed, 1 failed, 0 could not be evaluated, 2 acknowledged`: the words of every summary line. */
export function statusSummary(c: StatusCounts): string {
  return `${c.PASS} passed, ${c.FAIL} failed, ${c.ERROR} could not be evaluated, ${c.ACKNOWLEDGED} acknowledged`;
}

const FAILING: readonly FindingStatus[] = ['FAIL', 'ERROR'];

/**
 * Plain text for a terminal: one line per finding, worst first, with its status and level (error or
 * warning); then the counts per level, the verdict at `--fail-on` when given, and the totals line.
 */
export function renderText(findings: readonly Finding[], options: RenderOptions): string {
  const lines: string[] = [`${options.title} — ${options.generatedAt.toISOString()}`, ''];
  for (const f of sortFindings(findings)) {
    lines.push(`${f.status.padEnd(12)} ${f.severity.padEnd(7)} ${f.controlId.padEnd(18)} ${f.ruleId}  ${where(f)}`);
    if (f.status !== 'PASS') {
      lines.push(`             ${f.message}`);
      if (f.acknowledgement) {
        const a = f.acknowledgement;
        lines.push(`             acknowledged by ${a.owner} until ${a.expires}${a.expired ? ' (EXPIRED)' : ''}: ${a.reason}`);
      }
      if (f.remediation && f.status !== 'ACKNOWLEDGED') lines.push(`             fix: ${f.remediation}`);
    }
  }
  lines.push('');
  const byLevel = countByLevel(findings);
  for (const level of SEVERITIES) lines.push(`${`${level}:`.padEnd(9)}${statusSummary(byLevel[level])}`);
  if (options.failOn) {
    const failing = findings.filter((f) => failsAt(f, options.failOn!));
    const per = SEVERITIES.map((l) => `${failing.filter((f) => f.severity === l).length} ${l}`).join(', ');
    const below = findings.filter((f) => FAILING.includes(f.status) && !failsAt(f, options.failOn!)).length;
    lines.push(failing.length > 0
      ? `FAILS at --fail-on ${options.failOn}: ${failing.length} finding${failing.length === 1 ? '' : 's'} (${per})${below ? `; ${below} below the threshold` : ''}`
      : `passes at --fail-on ${options.failOn}${below ? `: ${below} failed finding${below === 1 ? '' : 's'} below the threshold` : ''}`);
  }
  lines.push(statusSummary(countByStatus(findings)));
  return lines.join('\n') + '\n';
}
