import { Finding, countByStatus, sortFindings } from '../findings';
import { RenderOptions } from './types';

function where(f: Finding): string {
  const r = f.resource;
  const scope = [r.account, r.region].filter(Boolean).join('/');
  return scope ? `${scope} ${r.id}` : r.id;
}

/** Plain text for a terminal: one line per finding, worst first, then a summary line. */
export function renderText(findings: readonly Finding[], options: RenderOptions): string {
  const lines: string[] = [`${options.title} — ${options.generatedAt.toISOString()}`, ''];
  for (const f of sortFindings(findings)) {
    lines.push(`${f.status.padEnd(12)} ${f.controlId.padEnd(18)} ${f.ruleId}  ${where(f)}`);
    if (f.status !== 'PASS') {
      lines.push(`             ${f.message}`);
      if (f.acknowledgement) {
        const a = f.acknowledgement;
        lines.push(`             acknowledged by ${a.owner} until ${a.expires}${a.expired ? ' (EXPIRED)' : ''}: ${a.reason}`);
      }
      if (f.remediation && f.status !== 'ACKNOWLEDGED') lines.push(`             fix: ${f.remediation}`);
    }
  }
  const c = countByStatus(findings);
  lines.push('', `${c.PASS} passed, ${c.FAIL} failed, ${c.ERROR} could not be evaluated, ${c.ACKNOWLEDGED} acknowledged`);
  return lines.join('\n') + '\n';
}
