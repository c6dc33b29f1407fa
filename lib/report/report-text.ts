import { ReportModel, STATUS_LABEL, clockDuration } from './model';
import { whereOf } from './util';

/** The lesson-organized report as plain text for a terminal. */
export function renderTextReport(m: ReportModel): string {
  const out: string[] = [`${m.title} — ${m.generatedAt}`, ''];
  for (const w of m.warnings) out.push(`WARNING: ${w}`);
  if (m.warnings.length) out.push('');
  for (const l of m.lessons) {
    out.push(`${l.id} ${l.title}: ${STATUS_LABEL[l.status]}`);
    for (const c of l.controls) {
      out.push(`  ${c.id.padEnd(18)} ${STATUS_LABEL[c.status].padEnd(13)} design: ${STATUS_LABEL[c.designStatus].padEnd(13)} live: ${STATUS_LABEL[c.liveStatus]}`);
      for (const r of c.resources.filter((k) => k.status !== 'PASS')) {
        // Acknowledged ones are listed below with owner and expiry.
        for (const rule of r.rules.filter((k) => k.status === 'FAIL' || k.status === 'ERROR')) {
          out.push(`    ${rule.status.padEnd(12)} ${rule.ruleId}  ${whereOf(r.resource)}`, `                 ${rule.message}`);
        }
      }
      for (const a of c.acknowledgements) {
        out.push(`    acknowledged ${a.ruleId} on ${whereOf(a.resource)} by ${a.owner} until ${a.expires}${a.expired ? ' (EXPIRED)' : ''}: ${a.reason}`);
      }
    }
  }
  if (!m.lessons.length) out.push('no control matches the filters');
  out.push('', 'Regulations (worst status of the controls citing each section):');
  for (const r of m.regulations) {
    const counts = new Map<string, number>();
    for (const c of r.citations) counts.set(STATUS_LABEL[c.status], (counts.get(STATUS_LABEL[c.status]) ?? 0) + 1);
    out.push(`  ${r.title}: ${STATUS_LABEL[r.status]} (${[...counts.entries()].map(([k, v]) => `${v} ${k}`).join(', ')})`);
  }
  out.push('', 'Notification clocks (start at detection):');
  for (const c of m.notificationClocks) out.push(`  ${clockDuration(c).padEnd(9)} ${c.authority}: ${c.trigger} (${c.citation})`);
  const s = m.summary;
  out.push('', `controls: ${s.controls.FAIL} fail, ${s.controls.ERROR} cannot verify, ${s.controls.ACKNOWLEDGED} acknowledged, ${s.controls.PASS} pass, ${s.controls.NO_EVIDENCE} no evidence, ${s.controls.NO_CHECK} no check`);
  out.push(`findings: ${s.findings.PASS} passed, ${s.findings.FAIL} failed, ${s.findings.ERROR} could not be evaluated, ${s.findings.ACKNOWLEDGED} acknowledged`);
  return out.join('\n') + '\n';
}
