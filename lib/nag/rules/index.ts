import * as backup from './backup';
import * as cloudtrail from './cloudtrail';
import * as dynamodb from './dynamodb';
import * as ec2 from './ec2';
import * as guardduty from './guardduty';
import * as iam from './iam';
import * as kms from './kms';
import * as logs from './logs';
import * as rds from './rds';
import * as s3 from './s3';
import * as sns from './sns';
import * as sqs from './sqs';
import { Citation, citationTag, control } from '../../lessons';
import { BreachLessonsRule, BreachLessonsRuleFn, RuleMetadata } from '../types';

export { backup, cloudtrail, dynamodb, ec2, guardduty, iam, kms, logs, rds, s3, sns, sqs };

export const RULE_ID_PREFIX = 'BreachLessons-';

/** Pairs every `<RuleName>` function of a service barrel with its `<RuleName>Meta`. */
function collect(service: string, barrel: Record<string, unknown>): BreachLessonsRule[] {
  const out: BreachLessonsRule[] = [];
  for (const [name, value] of Object.entries(barrel)) {
    if (!name.endsWith('Meta') || typeof value !== 'object' || value === null || !('ruleName' in value)) continue;
    const meta = value as RuleMetadata;
    const fn = barrel[meta.ruleName];
    if (typeof fn !== 'function' || `${meta.ruleName}Meta` !== name) {
      throw new Error(`rule ${service}/${meta.ruleName}: the file must export function ${meta.ruleName} beside ${name}`);
    }
    out.push({ ...meta, id: `${RULE_ID_PREFIX}${meta.ruleName}`, citations: resolveCites(meta), rule: fn as BreachLessonsRuleFn });
  }
  return out;
}

/**
 * A rule's `cites` as citations of its controls; throws naming the rule and the tag when a tag is not
 * a citation of any of its controls, is repeated, or the rule cites nothing.
 */
export function resolveCites(meta: Pick<RuleMetadata, 'ruleName' | 'controlIds' | 'cites'>): Citation[] {
  const own = meta.controlIds.flatMap((c) => control(c).citations);
  if (!Array.isArray(meta.cites) || meta.cites.length === 0) throw new Error(`rule ${meta.ruleName} cites nothing: list the citations of ${meta.controlIds.join(', ')} it checks`);
  const out: Citation[] = [];
  for (const tag of meta.cites) {
    const c = own.find((k) => citationTag(k) === tag);
    if (!c) throw new Error(`rule ${meta.ruleName} cites '${tag}', which its control ${meta.controlIds.join(', ')} does not cite (it cites ${own.map(citationTag).join(', ')})`);
    if (out.includes(c)) throw new Error(`rule ${meta.ruleName} cites '${tag}' twice`);
    out.push(c);
  }
  return out;
}

/**
 * Every BreachLessons rule, grouped by concern: identity, network, data, logging, detection,
 * recovery. RULES.md, reports, the evidence file and tests all read this list.
 */
export const BREACH_LESSONS_RULES: readonly BreachLessonsRule[] = [
  ...collect('iam', iam),
  ...collect('ec2', ec2),
  ...collect('s3', s3),
  ...collect('dynamodb', dynamodb),
  ...collect('rds', rds),
  ...collect('kms', kms),
  ...collect('sns', sns),
  ...collect('sqs', sqs),
  ...collect('logs', logs),
  ...collect('cloudtrail', cloudtrail),
  ...collect('guardduty', guardduty),
  ...collect('backup', backup),
];

export const RULE_IDS: readonly string[] = BREACH_LESSONS_RULES.map((r) => r.id);

/** The rule with this id; throws on an unknown id. */
export function ruleById(id: string): BreachLessonsRule {
  const r = BREACH_LESSONS_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown BreachLessons rule id '${id}'`);
  return r;
}

/** The rules with these names (tests build a pack holding only the rules under test). */
export function rulesNamed(...names: string[]): BreachLessonsRule[] {
  return names.map((n) => ruleById(`${RULE_ID_PREFIX}${n}`));
}
