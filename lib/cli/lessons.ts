import { Command, Option } from 'commander';
import { ATTACK_VERSION, LESSONS, NOTIFICATION_CLOCKS, citationLabel, citationTag } from '../lessons';
import { clockDuration } from '../report/model';
import { mdCell } from '../report/util';
import type { RegisterCommand } from './commands';
import { writeOutput } from './io';

export const LESSONS_JSON_SCHEMA_ID = 'cdk-hardening/lessons@1';
const LESSONS_FORMATS = ['text', 'json', 'md'] as const;
type LessonsFormat = (typeof LESSONS_FORMATS)[number];

export function renderLessons(format: LessonsFormat): string {
  if (format === 'json') {
    return JSON.stringify({ schema: LESSONS_JSON_SCHEMA_ID, attackVersion: ATTACK_VERSION, lessons: LESSONS, notificationClocks: NOTIFICATION_CLOCKS }, null, 2) + '\n';
  }
  const out: string[] = [];
  if (format === 'md') {
    out.push('# Breach lessons and their controls', '', `ATT&CK technique ids: ${ATTACK_VERSION}.`, '');
    for (const l of LESSONS) {
      out.push(`## ${l.id}: ${mdCell(l.title)}`, '', `Breach stage: ${mdCell(l.stage)}${l.attack.length ? ` · ATT&CK: ${l.attack.join(', ')}` : ''}`, '');
      out.push('| Control | What holds | Citations |', '|---|---|---|');
      for (const c of l.controls) out.push(`| **${c.id}** ${mdCell(c.title)} | ${mdCell(c.description)} | ${c.citations.map((x) => mdCell(citationLabel(x))).join('<br>')} |`);
      out.push('');
    }
    out.push('## Notification clocks', '', '| Deadline | Authority | Trigger | Citation |', '|---|---|---|---|');
    for (const c of NOTIFICATION_CLOCKS) out.push(`| ${clockDuration(c)} | ${mdCell(c.authority)} | ${mdCell(c.trigger)} | ${mdCell(c.citation)} |`);
    return out.join('\n') + '\n';
  }
  for (const l of LESSONS) {
    out.push(`${l.id} ${l.title}${l.attack.length ? `  [${l.attack.join(', ')}]` : ''}`);
    for (const c of l.controls) {
      out.push(`  ${c.id.padEnd(18)} ${c.title}`);
      out.push(`  ${''.padEnd(18)} ${c.citations.map(citationTag).join(' ')}`);
    }
  }
  out.push('', 'Notification clocks (start at detection):');
  for (const c of NOTIFICATION_CLOCKS) out.push(`  ${clockDuration(c).padEnd(9)} ${c.authority}: ${c.trigger} (${c.citation})`);
  out.push('', `ATT&CK ids: ${ATTACK_VERSION}`);
  return out.join('\n') + '\n';
}

/** `cdk-hardening lessons`: the catalogue — lessons, controls, citations, notification clocks. */
export const registerLessons: RegisterCommand = (program: Command, io) => {
  program.command('lessons')
    .description('list the breach lessons, their controls and regulation citations')
    .addOption(new Option('--format <format>', 'output format').choices([...LESSONS_FORMATS]).default('text'))
    .addOption(new Option('--out <file>', 'write the output to this file instead of stdout'))
    .action((opts: { format: LessonsFormat; out?: string }) => {
      writeOutput(io, opts.out, renderLessons(opts.format));
    });
};
