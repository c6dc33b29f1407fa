import { frameworkTitle } from '../lessons';
import { ControlReport, ControlStatus, LessonReport, ReportModel, STATUS_LABEL, clockDuration } from './model';
import { STATUS_ICON, mdCell, whereOf } from './util';

const badge = (s: ControlStatus): string => `${STATUS_ICON[s]} ${STATUS_LABEL[s]}`;

function filtersLine(m: ReportModel): string {
  const f = m.filters;
  const parts = [
    f.lessons.length ? `lessons ${f.lessons.join(', ')}` : '',
    f.frameworks.length ? `frameworks ${f.frameworks.map(frameworkTitle).join(', ')}` : '',
    f.statuses.length ? `status ${f.statuses.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Filtered to ${parts.join('; ')}.` : 'No filters: every lesson, control and framework.';
}

function controlSection(c: ControlReport, out: string[]): void {
  out.push(`#### ${c.id}: ${mdCell(c.title)} — ${badge(c.status)}`, '');
  out.push(mdCell(c.description), '');
  out.push(`Design time: ${badge(c.designStatus)} · Live: ${badge(c.liveStatus)} · `
    + `findings: ${c.counts.PASS} pass, ${c.counts.FAIL} fail, ${c.counts.ERROR} cannot verify, ${c.counts.ACKNOWLEDGED} acknowledged`, '');
  out.push(`Citations: ${c.citations.map((x) => mdCell(x.label)).join('; ')}`, '');
  const open = c.resources.filter((r) => r.status !== 'PASS');
  const passing = c.resources.filter((r) => r.status === 'PASS');
  if (open.length) {
    out.push('| Status | Source | Resource | Rule | Finding |', '|---|---|---|---|---|');
    for (const r of open) {
      for (const rule of r.rules.filter((x) => x.status !== 'PASS')) {
        const msg = rule.remediation && rule.status !== 'ACKNOWLEDGED' ? `${rule.message} Fix: ${rule.remediation}` : rule.message;
        out.push(`| ${badge(rule.status)} | ${r.source} | ${mdCell(whereOf(r.resource))} | ${mdCell(rule.ruleId)} | ${mdCell(msg)} |`);
      }
    }
    out.push('');
  }
  if (passing.length) {
    out.push(`<details><summary>${passing.length} passing resource${passing.length === 1 ? '' : 's'}</summary>`, '');
    for (const r of passing) out.push(`- ${r.source}: ${mdCell(whereOf(r.resource))} (${r.rules.map((x) => mdCell(x.ruleId)).join(', ')})`);
    out.push('', '</details>', '');
  }
  if (c.acknowledgements.length) {
    out.push('Acknowledgements:', '', '| Rule | Resource | Owner | Expires | State | Reason | Ticket |', '|---|---|---|---|---|---|---|');
    for (const a of c.acknowledgements) {
      out.push(`| ${mdCell(a.ruleId)} | ${mdCell(whereOf(a.resource))} | ${mdCell(a.owner)} | ${a.expires} | ${a.expired ? '❌ expired (counts as fail)' : '📝 active'} | ${mdCell(a.reason)} | ${mdCell(a.ticket ?? '')} |`);
    }
    out.push('');
  }
}

function lessonSection(l: LessonReport, out: string[]): void {
  out.push(`### ${l.id}: ${mdCell(l.title)} — ${badge(l.status)}`, '');
  out.push(`Breach stage: ${mdCell(l.stage)}${l.attack.length ? ` · ATT&CK: ${l.attack.join(', ')}` : ''}`, '');
  for (const c of l.controls) controlSection(c, out);
}

/** Markdown that renders on GitHub: summary, coverage table, clocks, then lesson → control details. */
export function renderMarkdownReport(m: ReportModel): string {
  const out: string[] = [`# ${mdCell(m.title)}`, ''];
  out.push(`Generated ${m.generatedAt} by cdk-hardening ${m.toolVersion}. ${filtersLine(m)}`, '');
  for (const w of m.warnings) out.push('> [!WARNING]', `> ${mdCell(w)}`, '');

  const s = m.summary;
  out.push('## Summary', '');
  out.push('| Controls | ' + (['FAIL', 'ERROR', 'ACKNOWLEDGED', 'PASS', 'NO_EVIDENCE', 'NO_CHECK'] as ControlStatus[]).map(badge).join(' | ') + ' |');
  out.push('|---|---|---|---|---|---|---|');
  out.push('| count | ' + (['FAIL', 'ERROR', 'ACKNOWLEDGED', 'PASS', 'NO_EVIDENCE', 'NO_CHECK'] as ControlStatus[]).map((k) => String(s.controls[k])).join(' | ') + ' |', '');
  out.push(`Findings: ${s.findings.PASS} pass, ${s.findings.FAIL} fail, ${s.findings.ERROR} cannot verify, ${s.findings.ACKNOWLEDGED} acknowledged. `
    + `Acknowledgements: ${s.acknowledgements.active} active, ${s.acknowledgements.expired} expired.`, '');

  out.push('## Coverage', '', '| Lesson | Control | Design time | Live | Overall | Citations |', '|---|---|---|---|---|---|');
  for (const l of m.lessons) {
    for (const c of l.controls) {
      out.push(`| ${l.id} | **${c.id}** ${mdCell(c.title)} | ${badge(c.designStatus)} | ${badge(c.liveStatus)} | ${badge(c.status)} | ${c.citations.map((x) => mdCell(x.tag)).join(', ')} |`);
    }
  }
  out.push('');

  out.push('## Regulations', '', 'One answer per cited section: the worst status of the controls citing it, each judged only by the checks that cite the section (a section no check cites is "no check", never pass).', '');
  for (const r of m.regulations) {
    out.push(`<details><summary>${mdCell(r.title)}: ${badge(r.status)} (${r.citations.length} sections)</summary>`, '');
    out.push('| Section | Status | Controls |', '|---|---|---|');
    for (const c of r.citations) {
      out.push(`| ${mdCell(c.section)} | ${badge(c.status)} | ${c.controls.map((k) => `${k.id} ${STATUS_ICON[k.status]}`).join(', ')} |`);
    }
    out.push('', '</details>', '');
  }

  out.push('## Notification clocks', '', 'Deadlines that start when a cybersecurity event is detected (control IR-CLOCKS).', '');
  out.push('| Deadline | Authority | Trigger | Citation |', '|---|---|---|---|');
  for (const c of m.notificationClocks) out.push(`| ${clockDuration(c)} | ${mdCell(c.authority)} | ${mdCell(c.trigger)} | ${mdCell(c.citation)} (since ${c.effective}) |`);
  out.push('');

  out.push('## Lessons', '');
  if (!m.lessons.length) out.push('No control matches the filters.', '');
  for (const l of m.lessons) lessonSection(l, out);

  out.push('## Evidence used', '');
  const i = m.inputs;
  if (i.assembly) out.push(`- Cloud assembly: \`${i.assembly}\``);
  out.push(i.evidence ? `- BreachLessons evidence: \`${i.evidence.path}\` (${i.evidence.findings} findings${i.evidence.generatedAt ? `, generated ${i.evidence.generatedAt}` : ''})` : '- BreachLessons evidence: **none**');
  out.push(i.audit ? `- Live audit: \`${i.audit.path}\` (${i.audit.findings} findings${i.audit.generatedAt ? `, generated ${i.audit.generatedAt}` : ''})` : '- Live audit: none given');
  out.push(i.validationReport ? `- Validation report: \`${i.validationReport.path}\` (${i.validationReport.violations} violations from ${i.validationReport.plugins.join(', ') || 'no plugin'})` : '- Validation report: none');
  out.push('');
  if (i.templates.length) {
    out.push('| Template | Resources | Design-time findings |', '|---|---|---|');
    for (const t of i.templates) out.push(`| ${mdCell(t.path)} | ${t.resources} | ${t.evaluatedFindings} |`);
    out.push('');
  }

  if (m.context.violations.length) {
    out.push('## Other validation plugins (context)', '', 'Reported by other packs in validation-report.json; they do not change a control\'s status.', '');
    out.push('| Plugin | Rule | Severity | Construct | Description |', '|---|---|---|---|---|');
    for (const v of m.context.violations) {
      const sev = v.acknowledged ? `${v.severity} (acknowledged: ${v.acknowledged.reason || 'no reason given'})` : v.severity;
      out.push(`| ${mdCell(v.plugin)} | ${mdCell(v.ruleName)} | ${mdCell(sev)} | ${mdCell(v.constructPath)} | ${mdCell(v.description)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
