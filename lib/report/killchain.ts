import { LESSONS, LessonId } from '../lessons';
import type { AttemptResult, ReplayResult, StepResult, Verdict } from '../replay/replay';
import { escapeHtml as h, mdCell } from './util';

/**
 * The kill chain in the evidence report: per lesson, each replayed step with its verdict and the
 * evidence (which statement denies, which alarm detects and how it is delivered, why it is open).
 * `cdk-hardening replay` prints the same section; `report` appends it to the lesson report.
 */

export const KILL_CHAIN_SCHEMA_ID = 'cdk-hardening/replay@1';

export interface KillChainStep {
  readonly id: string;
  readonly title: string;
  readonly tactic: string;
  readonly attack: readonly string[];
  readonly controlId: string;
  readonly verdict: Verdict | 'NOT_APPLICABLE';
  /** One line per persona and target that did not end DENIED, and one DENIED/DETECTED example. */
  readonly evidence: readonly string[];
  readonly attempts: number;
}

export interface KillChainLesson {
  readonly id: LessonId;
  readonly title: string;
  readonly verdict: Verdict | 'NOT_APPLICABLE';
  readonly steps: readonly KillChainStep[];
}

export interface KillChainSection {
  readonly schema: typeof KILL_CHAIN_SCHEMA_ID;
  readonly attackVersion: string;
  readonly withScps: boolean;
  readonly counts: ReplayResult['counts'];
  readonly personas: ReplayResult['personas'];
  readonly lessons: readonly KillChainLesson[];
  readonly continuity: ReplayResult['continuity'];
}

const ORDER: Record<Verdict | 'NOT_APPLICABLE', number> = { OPEN: 0, UNDECIDABLE: 1, DETECTED: 2, DENIED: 3, NOT_APPLICABLE: 4 };

function evidenceLines(step: StepResult, limit: number): string[] {
  const line = (a: AttemptResult) => `${a.verdict} ${a.persona} → ${a.target}: ${a.evidence}`;
  const bad = step.attempts.filter((a) => a.verdict === 'OPEN' || a.verdict === 'UNDECIDABLE');
  const good = step.attempts.filter((a) => a.verdict === 'DETECTED').slice(0, 1).concat(step.attempts.filter((a) => a.verdict === 'DENIED').slice(0, 1));
  const lines = [...bad.slice(0, limit).map(line), ...(bad.length > limit ? [`… and ${bad.length - limit} more attempts not denied`] : []), ...good.map(line)];
  const tried = new Set(step.attempts.flatMap((a) => a.requests.map((r) => r.action)));
  const targets = new Set(step.attempts.flatMap((a) => a.targets ?? [a.target]));
  if (step.attempts.length) lines.push(`tried: ${[...tried].join(', ') || 'requests no policy of the personas allows'} by ${new Set(step.attempts.map((a) => a.persona)).size} personas on ${targets.size} resources`);
  return lines;
}

/** Groups the replay by lesson, worst step first. `limit` caps the non-denied attempts listed per step. */
export function killChainSection(result: ReplayResult, limit = 5): KillChainSection {
  const lessons: KillChainLesson[] = [];
  for (const l of LESSONS) {
    const steps = result.steps.filter((s) => s.lessonId === l.id).map((s): KillChainStep => ({
      id: s.id, title: s.title, tactic: s.tactic, attack: s.attack, controlId: s.controlId, verdict: s.verdict,
      evidence: evidenceLines(s, limit), attempts: s.attempts.length,
    })).sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);
    if (!steps.length) continue;
    const verdict = steps.map((s) => s.verdict).sort((a, b) => ORDER[a] - ORDER[b])[0];
    lessons.push({ id: l.id, title: l.title, verdict, steps });
  }
  return {
    schema: KILL_CHAIN_SCHEMA_ID, attackVersion: result.attackVersion, withScps: result.withScps, counts: result.counts,
    personas: result.personas, lessons, continuity: result.continuity,
  };
}

const summaryLine = (k: KillChainSection) =>
  `steps: ${k.counts.OPEN} open, ${k.counts.UNDECIDABLE} undecidable, ${k.counts.DETECTED} detected, ${k.counts.DENIED} denied, ${k.counts.NOT_APPLICABLE} not applicable`;

export function renderKillChainText(k: KillChainSection): string {
  const out = [`Kill chain (${k.attackVersion}; ${k.withScps ? 'with the organization\'s SCPs/RCPs' : 'workload account alone, no SCPs'}):`];
  for (const l of k.lessons) {
    out.push(`${l.id} ${l.title}: ${l.verdict}`);
    for (const s of l.steps) {
      out.push(`  ${s.verdict.padEnd(14)} ${s.id}  [${s.tactic}; ${s.attack.join(', ')}; ${s.controlId}]`);
      for (const e of s.evidence) out.push(`      ${e}`);
    }
  }
  if (k.continuity.length) {
    out.push('Services the app relies on:');
    for (const c of k.continuity) out.push(`  ${c.status.padEnd(14)} ${c.title}: ${c.evidence}`);
  }
  out.push(`personas: ${k.personas.map((p) => p.id).join(', ')}`);
  out.push(summaryLine(k));
  return out.join('\n') + '\n';
}

export function renderKillChainMarkdown(k: KillChainSection): string {
  const out = ['## Kill chain', '', `${k.attackVersion}; ${k.withScps ? 'with the organization\'s SCPs/RCPs' : 'workload account alone, no SCPs'}. ${summaryLine(k)}.`, ''];
  for (const l of k.lessons) {
    out.push(`### ${l.id} ${mdCell(l.title)}: ${l.verdict}`, '', '| step | verdict | ATT&CK | control | evidence |', '|---|---|---|---|---|');
    for (const s of l.steps) out.push(`| ${mdCell(s.title)} (\`${s.id}\`) | ${s.verdict} | ${s.attack.join(', ')} | ${s.controlId} | ${s.evidence.map(mdCell).join('<br>')} |`);
    out.push('');
  }
  if (k.continuity.length) {
    out.push('### Services the app relies on', '', '| check | status | evidence |', '|---|---|---|');
    for (const c of k.continuity) out.push(`| ${mdCell(c.title)} | ${c.status} | ${mdCell(c.evidence)} |`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

export function renderKillChainHtml(k: KillChainSection): string {
  const rows = k.lessons.map((l) => `<h3>${h(l.id)} ${h(l.title)}: ${h(l.verdict)}</h3>
<table><thead><tr><th>step</th><th>verdict</th><th>ATT&amp;CK</th><th>control</th><th>evidence</th></tr></thead><tbody>
${l.steps.map((s) => `<tr class="${h(s.verdict.toLowerCase())}"><td>${h(s.title)} (<code>${h(s.id)}</code>)</td><td>${h(s.verdict)}</td><td>${h(s.attack.join(', '))}</td><td>${h(s.controlId)}</td><td>${s.evidence.map(h).join('<br>')}</td></tr>`).join('\n')}
</tbody></table>`).join('\n');
  return `<section id="kill-chain"><h2>Kill chain</h2><p>${h(k.attackVersion)}; ${k.withScps ? 'with the organization\'s SCPs/RCPs' : 'workload account alone, no SCPs'}. ${h(summaryLine(k))}.</p>
${rows}
</section>`;
}

/** Only the lessons asked for (`report --lesson`); every lesson when none is given. */
export function filterKillChain(k: KillChainSection, lessons: readonly LessonId[]): KillChainSection {
  return lessons.length ? { ...k, lessons: k.lessons.filter((l) => lessons.includes(l.id)) } : k;
}

/**
 * Adds the kill-chain section to a rendered lesson report: text and md get it appended, html before
 * </body>, json as a `killChain` member; sarif and junit are left as they are (undefined is returned).
 */
export function appendKillChain(format: string, content: string, k: KillChainSection): string | undefined {
  switch (format) {
    case 'text': return `${content}\n${renderKillChainText(k)}`;
    case 'md': return `${content}\n${renderKillChainMarkdown(k)}`;
    case 'html': return content.includes('</body>') ? content.replace('</body>', `${renderKillChainHtml(k)}\n</body>`) : `${content}${renderKillChainHtml(k)}`;
    case 'json': return JSON.stringify({ ...JSON.parse(content), killChain: k }, null, 2) + '\n';
    default: return undefined;
  }
}
