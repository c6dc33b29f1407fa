import { frameworkTitle } from '../lessons';
import { ControlReport, ControlStatus, LessonReport, RegulationReport, ReportModel, STATUS_LABEL, clockDuration } from './model';
import { escapeHtml as h, whereOf } from './util';

const STATUS_CLASS: Record<ControlStatus, string> = {
  PASS: 'pass', FAIL: 'fail', ERROR: 'error', ACKNOWLEDGED: 'ack', NO_EVIDENCE: 'none', NO_CHECK: 'nocheck',
};
const SYMBOL: Record<ControlStatus, string> = { PASS: '✔', FAIL: '✘', ERROR: '?', ACKNOWLEDGED: '≈', NO_EVIDENCE: '–', NO_CHECK: '·' };

const badge = (s: ControlStatus): string => `<span class="badge s-${STATUS_CLASS[s]}">${SYMBOL[s]} ${h(STATUS_LABEL[s])}</span>`;

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--error:#bf8700;--ack:#8250df;--none:#6e7781;--nocheck:#afb8c1;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}
h3{font-size:16px;margin:24px 0 4px}h4{font-size:14px;margin:16px 0 4px}
.meta{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.s-pass{background:var(--pass)}.s-fail{background:var(--fail)}.s-error{background:var(--error)}.s-ack{background:var(--ack)}
.s-none{background:var(--none)}.s-nocheck{background:var(--nocheck);color:var(--fg)}
.warning{border-left:4px solid var(--error);background:#fff8c5;padding:8px 12px;margin:8px 0}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:110px}
.card b{display:block;font-size:22px}
#coverage-matrix th a{color:inherit}
#coverage-matrix td.cell{padding:0;width:14%;color:#fff}
#coverage-matrix td.cell a{display:block;padding:4px 6px;color:inherit;text-decoration:none}
#coverage-matrix td.s-nocheck{color:var(--fg)}
#coverage-matrix .cid{font-weight:700;display:block;white-space:nowrap;font-size:12px}
#coverage-matrix .cst{font-size:11px;display:block}
#coverage-matrix td.empty{background:#f6f8fa}
.legend span{margin-right:8px}
.control{border:1px solid var(--line);border-radius:6px;padding:4px 12px 8px;margin:12px 0;break-inside:avoid}
.control.s-fail-b{border-left:6px solid var(--fail)}.control.s-error-b{border-left:6px solid var(--error)}
.control.s-ack-b{border-left:6px solid var(--ack)}.control.s-pass-b{border-left:6px solid var(--pass)}
.control.s-none-b,.control.s-nocheck-b{border-left:6px solid var(--none)}
.cites{color:var(--muted);font-size:12px}
code{font-size:12px}
@media print{
  body{max-width:none;padding:0;font-size:11px}
  a{color:inherit;text-decoration:none}
  h2{break-after:avoid}
  .lesson{break-before:auto}
  .badge,#coverage-matrix td,.s-pass,.s-fail,.s-error,.s-ack,.s-none,.s-nocheck{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  details>summary{list-style:none}
}
`;

// Opens every collapsed list before printing, so the printout carries the full evidence.
const SCRIPT = `window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});`;

function matrix(m: ReportModel): string {
  const width = Math.max(1, ...m.lessons.map((l) => l.controls.length));
  const rows = m.lessons.map((l) => {
    const cells = l.controls.map((c) => `<td class="cell s-${STATUS_CLASS[c.status]}"><a href="#control-${h(c.id)}" title="${h(`${c.id}: ${c.title} — design ${STATUS_LABEL[c.designStatus]}, live ${STATUS_LABEL[c.liveStatus]}`)}">`
      + `<span class="cid">${SYMBOL[c.status]} ${h(c.id)}</span><span class="cst">design: ${h(STATUS_LABEL[c.designStatus])}</span><span class="cst">live: ${h(STATUS_LABEL[c.liveStatus])}</span></a></td>`);
    while (cells.length < width) cells.push('<td class="empty"></td>');
    return `<tr><th scope="row"><a href="#lesson-${l.id}">${h(l.id)}</a> ${h(l.title)}<br>${badge(l.status)}</th>${cells.join('')}</tr>`;
  });
  const legend = (['FAIL', 'ERROR', 'ACKNOWLEDGED', 'PASS', 'NO_EVIDENCE', 'NO_CHECK'] as ControlStatus[]).map((s) => badge(s)).join(' ');
  return `<table id="coverage-matrix" aria-label="lesson by control coverage matrix"><thead><tr><th>Lesson</th><th colspan="${width}">Controls (overall status; design time and live)</th></tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table><p class="legend">${legend}</p>`;
}

function regulationBlock(r: RegulationReport): string {
  const rows = r.citations.map((c) => `<tr><td>${h(c.section)}</td><td>${badge(c.status)}</td><td>${c.controls.map((k) => `<a href="#control-${h(k.id)}">${h(k.id)}</a> ${SYMBOL[k.status]}`).join(', ')}</td></tr>`);
  return `<section class="regulation" id="framework-${h(r.framework)}"><h3>${h(r.title)} ${badge(r.status)}</h3>`
    + `<table><thead><tr><th>Section</th><th>Status</th><th>Controls</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function controlBlock(c: ControlReport): string {
  const parts: string[] = [];
  parts.push(`<section class="control s-${STATUS_CLASS[c.status]}-b" id="control-${h(c.id)}">`);
  parts.push(`<h4>${h(c.id)}: ${h(c.title)} ${badge(c.status)}</h4>`);
  parts.push(`<p>${h(c.description)}</p>`);
  parts.push(`<p>Design time ${badge(c.designStatus)} · Live ${badge(c.liveStatus)} · ${c.counts.PASS} pass, ${c.counts.FAIL} fail, ${c.counts.ERROR} cannot verify, ${c.counts.ACKNOWLEDGED} acknowledged</p>`);
  parts.push(`<p class="cites">${c.citations.map((x) => h(x.label)).join(' · ')}</p>`);
  const open = c.resources.filter((r) => r.status !== 'PASS');
  const passing = c.resources.filter((r) => r.status === 'PASS');
  if (open.length) {
    parts.push('<table><thead><tr><th>Status</th><th>Source</th><th>Resource</th><th>Rule</th><th>Finding</th></tr></thead><tbody>');
    for (const r of open) {
      for (const rule of r.rules.filter((x) => x.status !== 'PASS')) {
        const fix = rule.remediation && rule.status !== 'ACKNOWLEDGED' ? `<br><i>Fix:</i> ${h(rule.remediation)}` : '';
        parts.push(`<tr><td>${badge(rule.status)}</td><td>${h(r.source)}</td><td><code>${h(whereOf(r.resource))}</code></td><td><code>${h(rule.ruleId)}</code></td><td>${h(rule.message)}${fix}</td></tr>`);
      }
    }
    parts.push('</tbody></table>');
  }
  if (passing.length) {
    parts.push(`<details><summary>${passing.length} passing resource${passing.length === 1 ? '' : 's'}</summary><ul>`);
    for (const r of passing) parts.push(`<li>${h(r.source)}: <code>${h(whereOf(r.resource))}</code> (${r.rules.map((x) => h(x.ruleId)).join(', ')})</li>`);
    parts.push('</ul></details>');
  }
  if (c.acknowledgements.length) {
    parts.push('<table><thead><tr><th>Acknowledged rule</th><th>Resource</th><th>Owner</th><th>Expires</th><th>State</th><th>Reason</th><th>Ticket</th></tr></thead><tbody>');
    for (const a of c.acknowledgements) {
      parts.push(`<tr><td><code>${h(a.ruleId)}</code></td><td><code>${h(whereOf(a.resource))}</code></td><td>${h(a.owner)}</td><td>${h(a.expires)}</td>`
        + `<td>${a.expired ? badge('FAIL') + ' expired' : badge('ACKNOWLEDGED')}</td><td>${h(a.reason)}</td><td>${h(a.ticket ?? '')}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function lessonBlock(l: LessonReport): string {
  return `<section class="lesson" id="lesson-${l.id}"><h3>${h(l.id)}: ${h(l.title)} ${badge(l.status)}</h3>`
    + `<p class="meta">Breach stage: ${h(l.stage)}${l.attack.length ? ` · ATT&amp;CK: ${l.attack.map(h).join(', ')}` : ''}</p>`
    + l.controls.map(controlBlock).join('\n') + '</section>';
}

/** One self-contained HTML file: no external resource, a coverage matrix on top, details below, printable. */
export function renderHtmlReport(m: ReportModel): string {
  const s = m.summary;
  const f = m.filters;
  const filters = [
    f.lessons.length ? `lessons ${f.lessons.join(', ')}` : '',
    f.frameworks.length ? `frameworks ${f.frameworks.map(frameworkTitle).join(', ')}` : '',
    f.statuses.length ? `status ${f.statuses.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  const cards = (['FAIL', 'ERROR', 'ACKNOWLEDGED', 'PASS', 'NO_EVIDENCE', 'NO_CHECK'] as ControlStatus[])
    .map((k) => `<div class="card"><b>${s.controls[k]}</b>${badge(k)}</div>`).join('');
  const i = m.inputs;
  const evidence = [
    i.assembly ? `<li>Cloud assembly: <code>${h(i.assembly)}</code></li>` : '',
    `<li>BreachLessons evidence: ${i.evidence ? `<code>${h(i.evidence.path)}</code> (${i.evidence.findings} findings${i.evidence.generatedAt ? `, generated ${h(i.evidence.generatedAt)}` : ''})` : '<b>none</b>'}</li>`,
    `<li>Live audit: ${i.audit ? `<code>${h(i.audit.path)}</code> (${i.audit.findings} findings${i.audit.generatedAt ? `, generated ${h(i.audit.generatedAt)}` : ''})` : 'none given'}</li>`,
    `<li>Validation report: ${i.validationReport ? `<code>${h(i.validationReport.path)}</code> (${i.validationReport.violations} violations from ${h(i.validationReport.plugins.join(', ') || 'no plugin')})` : 'none'}</li>`,
  ].join('');
  const templates = i.templates.length
    ? `<table><thead><tr><th>Template</th><th>Resources</th><th>Design-time findings</th></tr></thead><tbody>${i.templates.map((t) => `<tr><td><code>${h(t.path)}</code></td><td>${t.resources}</td><td>${t.evaluatedFindings}</td></tr>`).join('')}</tbody></table>`
    : '';
  const context = m.context.violations.length
    ? `<h2>Other validation plugins (context)</h2><p>Reported by other packs in validation-report.json; they do not change a control's status.</p>`
      + `<table><thead><tr><th>Plugin</th><th>Rule</th><th>Severity</th><th>Construct</th><th>Description</th></tr></thead><tbody>`
      + m.context.violations.map((v) => `<tr><td>${h(v.plugin)}</td><td><code>${h(v.ruleName)}</code></td><td>${h(v.acknowledged ? `${v.severity} (acknowledged: ${v.acknowledged.reason || 'no reason given'})` : v.severity)}</td><td><code>${h(v.constructPath)}</code></td><td>${h(v.description)}</td></tr>`).join('')
      + '</tbody></table>'
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(m.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${h(m.title)}</h1>
<p class="meta">Generated ${h(m.generatedAt)} by cdk-hardening ${h(m.toolVersion)}. ${filters ? `Filtered to ${h(filters)}.` : 'No filters: every lesson, control and framework.'} ATT&amp;CK ids: ${h(m.attackVersion)}.</p>
${m.warnings.map((w) => `<p class="warning" role="alert">${h(w)}</p>`).join('\n')}
</header>
<main>
<h2>Summary</h2>
<div class="cards" id="summary">${cards}</div>
<p>Findings: ${s.findings.PASS} pass, ${s.findings.FAIL} fail, ${s.findings.ERROR} cannot verify, ${s.findings.ACKNOWLEDGED} acknowledged. Acknowledgements: ${s.acknowledgements.active} active, ${s.acknowledgements.expired} expired.</p>
<h2>Coverage</h2>
${m.lessons.length ? matrix(m) : '<p>No control matches the filters.</p>'}
<h2>Regulations</h2>
<p>One answer per cited section: the worst status of the controls citing it, each judged only by the checks that cite the section (a section no check cites is "no check", never pass).</p>
${m.regulations.map(regulationBlock).join('\n')}
<h2>Notification clocks</h2>
<p>Deadlines that start when a cybersecurity event is detected (control IR-CLOCKS).</p>
<table id="clocks"><thead><tr><th>Deadline</th><th>Authority</th><th>Trigger</th><th>Citation</th></tr></thead><tbody>
${m.notificationClocks.map((c) => `<tr><td><b>${h(clockDuration(c))}</b></td><td>${h(c.authority)}</td><td>${h(c.trigger)}</td><td>${h(c.citation)} (since ${h(c.effective)})</td></tr>`).join('\n')}
</tbody></table>
<h2>Lessons</h2>
${m.lessons.map(lessonBlock).join('\n')}
<h2>Evidence used</h2>
<ul>${evidence}</ul>
${templates}
${context}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
