import { citationTag, control, lessonOf } from '../lessons';
import { BREACH_LESSONS_RULES } from './rules';
import { DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS } from './acknowledge';

/** Text as one cell of a Markdown table row: a `|` escaped, a line break as a space. */
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** RULES.md, rendered from BREACH_LESSONS_RULES so the document cannot drift from the pack. */
export function renderRulesMarkdown(): string {
  const lines: string[] = [
    '# BreachLessons rules',
    '',
    '<!-- Generated from lib/nag (BREACH_LESSONS_RULES) by `npx tsx -e "process.stdout.write(require(\'./lib/nag/rules-doc\').renderRulesMarkdown())" > RULES.md`; test/nag/pack.test.ts fails when it is stale. -->',
    '',
    'The `BreachLessons` pack is a cdk-nag 3 policy-validation plugin: `Validations.of(app).addPlugins(new BreachLessonsChecks(app))`.',
    'Every rule names the control it enforces (LESSONS.md), the lesson, its level (error on the breach path, warning otherwise) and the fix.',
    'A value a rule cannot resolve (a parameter, an import from outside the app, an intrinsic) is reported as ERROR, never as compliant.',
    `Acknowledge a finding only with \`acknowledgeLesson(construct, { id, reason, owner, expires, ticket })\`; controls ${DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS.join(', ')} cannot be acknowledged by default.`,
    '',
    'Citations: each rule lists only the citations of what it checks (a subset of its control\'s, checked when the pack loads). CIS numbers are recommendations of the CIS AWS Foundations Benchmark v4.0.1 (Security Hub\'s CIS v3.0.0 and v5.0.0 standards number differently); NIST ids are SP 800-53 Rev. 5; FSBP ids are controls of the AWS Security Hub Foundational Security Best Practices standard v1.0.0. The real ids are kept in lib/lessons/reference-ids.ts.',
    '',
    `${BREACH_LESSONS_RULES.length} rules.`,
    '',
    '| Rule ID | Control | Lesson | Level | Cause | Explanation | Fix | Resource types | Citations |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of BREACH_LESSONS_RULES) {
    const c = control(r.controlIds[0]);
    const l = lessonOf(c.id);
    const citations = r.citations.map(citationTag);
    lines.push(`| ${r.id} | ${r.controlIds.join(', ')} | ${l.id} ${cell(l.title)} | ${r.level} | ${cell(r.info)} | ${cell(r.explanation)} | ${cell(r.fix)} | ${r.resourceTypes.join(', ')} | ${citations.join(', ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
