import { CfnResource } from 'aws-cdk-lib';
import { GUARDDUTY_HIGH_SEVERITY } from '../../../lessons';
import { EnvRelation, ResourceIndex, arnEnvironment, describeEnvironment, environmentOf, relatePart, sameEnvironment } from '../../resource-index';
import { CannotVerify } from '../../types';
import { bool, cannotVerify, joinLiteral, list, obj, str } from '../common';

const HIGH_SEVERITY = GUARDDUTY_HIGH_SEVERITY;
/** The top of GuardDuty's severity scale (critical findings are 9.0-10.0). */
const MAX_SEVERITY = 10;

/** An EventBridge rule that matches GuardDuty findings, and whether it forwards every finding of severity >= 7. */
export interface GuardDutyEventRule {
  readonly node: CfnResource;
  /** Why it does not forward every high-severity finding (empty: it does). */
  readonly gaps: string[];
  /** Set when part of the rule cannot be resolved. */
  readonly unresolved?: string;
  /**
   * Whether a target delivers in the rule's own account and region (EventBridge sends to topics,
   * queues and functions of its own region and account only): 'same' when one does, 'unknown' when
   * one cannot be placed or is an event bus (which forwards on, by rules not followed here),
   * 'different' when every target is elsewhere.
   */
  readonly delivery: { readonly relation: EnvRelation; readonly why: string };
}

type Interval = { lo: number; loIn: boolean; hi: number; hiIn: boolean };

/** A `{ numeric: [...] }` matcher as an interval; undefined when it is something else. */
function interval(m: unknown): Interval | undefined {
  if (typeof m === 'number') return { lo: m, loIn: true, hi: m, hiIn: true };
  const n = (m as Record<string, unknown> | null)?.numeric;
  if (!Array.isArray(n) || n.length % 2 !== 0) return undefined;
  const i: Interval = { lo: -Infinity, loIn: false, hi: Infinity, hiIn: false };
  for (let k = 0; k < n.length; k += 2) {
    const [op, v] = [n[k], Number(n[k + 1])];
    if (Number.isNaN(v)) return undefined;
    if (op === '>') Object.assign(i, { lo: v, loIn: false });
    else if (op === '>=') Object.assign(i, { lo: v, loIn: true });
    else if (op === '<') Object.assign(i, { hi: v, hiIn: false });
    else if (op === '<=') Object.assign(i, { hi: v, hiIn: true });
    else if (op === '=') Object.assign(i, { lo: v, loIn: true, hi: v, hiIn: true });
    else return undefined;
  }
  return i;
}

const contains = (i: Interval, x: number): boolean => (x > i.lo || (x === i.lo && i.loIn)) && (x < i.hi || (x === i.hi && i.hiIn));

/**
 * Whether the severity matchers admit every severity from 7 to 10. The union of intervals is
 * constant between boundaries, so checking each boundary and each midpoint between them is exact.
 */
export function coversHighSeverity(matchers: unknown[]): boolean | undefined {
  const intervals = matchers.map(interval);
  if (intervals.some((i) => i === undefined)) return undefined;
  const iv = intervals as Interval[];
  const bounds = [...new Set([HIGH_SEVERITY, MAX_SEVERITY, ...iv.flatMap((i) => [i.lo, i.hi])])]
    .filter((b) => b >= HIGH_SEVERITY && b <= MAX_SEVERITY).sort((a, b) => a - b);
  const points = bounds.flatMap((b, k) => (k + 1 < bounds.length ? [b, (b + bounds[k + 1]) / 2] : [b]));
  return points.every((x) => iv.some((i) => contains(i, x)));
}

const ALLOWED_TOP = new Set(['source', 'detail-type', 'detail', 'account', 'region', 'version']);

/** The name of a rule's event bus: 'default' for the default bus (by name or ARN), the bus name or path otherwise. */
function busName(ix: ResourceIndex, node: CfnResource, value: unknown): string {
  if (value === undefined) return 'default';
  const t = ix.deref(node, value);
  if (t.kind === 'literal') return /(^|:event-bus\/)default$/.test(t.value) ? 'default' : t.value;
  if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::Events::EventBus') return str(ix.props(t.node).Name, 'event bus Name') ?? t.node.node.path;
  return cannotVerify('EventBusName', value);
}

/**
 * GuardDuty puts a finding on the default bus of its own account and region, as an event of version "0":
 * a pattern's filter on `account`, `region` or `version` must admit that, or the rule matches nothing.
 */
function envelopeGap(ix: ResourceIndex, node: CfnResource, key: 'account' | 'region' | 'version', matcher: unknown): string | undefined {
  if (matcher === undefined) return undefined;
  const values = list(matcher, key);
  const relation = (v: unknown): EnvRelation => {
    if (key === 'version') return v === '0' ? 'same' : typeof v === 'string' ? 'different' : 'unknown';
    const own = environmentOf(node)[key];
    const t = ix.deref(node, v);
    if (t.kind === 'pseudo') return t.name === (key === 'account' ? 'AWS::AccountId' : 'AWS::Region') ? 'same' : 'unknown';
    return t.kind === 'literal' ? relatePart({ literal: t.value, group: own.group }, own) : 'unknown';
  };
  const rels = values.map(relation);
  if (rels.includes('same')) return undefined;
  if (rels.includes('unknown')) cannotVerify(`that the pattern's ${key} filter admits the rule's own ${key} (${describeEnvironment(node)})`, matcher);
  return key === 'version'
    ? `the pattern filters on version ${JSON.stringify(values)}, GuardDuty's events are version 0: it matches no finding`
    : `the pattern filters on ${key} ${JSON.stringify(values)}, the rule is in ${describeEnvironment(node)}: it matches no finding GuardDuty publishes there`;
}

function gapsOf(ix: ResourceIndex, node: CfnResource, pattern: Record<string, unknown>): string[] {
  const p = ix.props(node);
  const gaps: string[] = [];
  if (str(p.State, 'State') === 'DISABLED') gaps.push('the rule is disabled');
  const bus = busName(ix, node, p.EventBusName);
  if (bus !== 'default') gaps.push(`the rule is on event bus '${bus}', GuardDuty publishes to the default bus`);
  if (list(p.Targets, 'Targets').length === 0) gaps.push('the rule has no target');
  const types = list(pattern['detail-type'], 'detail-type');
  if (types.length > 0 && !types.includes('GuardDuty Finding')) gaps.push('detail-type does not include GuardDuty Finding');
  for (const k of Object.keys(pattern)) if (!ALLOWED_TOP.has(k)) gaps.push(`the pattern also filters on ${k}`);
  for (const k of ['account', 'region', 'version'] as const) {
    const gap = envelopeGap(ix, node, k, pattern[k]);
    if (gap !== undefined) gaps.push(gap);
  }
  const detail = obj(pattern.detail, 'pattern detail') ?? {};
  for (const k of Object.keys(detail)) if (k !== 'severity') gaps.push(`the pattern also filters on detail.${k}`);
  if (detail.severity !== undefined) {
    const covered = coversHighSeverity(list(detail.severity, 'detail.severity'));
    if (covered === undefined) cannotVerify('the detail.severity matcher', detail.severity);
    if (!covered) gaps.push('detail.severity does not admit every severity from 7 to 10');
  }
  return gaps;
}

/** Where one target ARN points, relative to the rule, and whether it is an event bus. */
function targetPlace(ix: ResourceIndex, node: CfnResource, arn: unknown): { rel: EnvRelation; bus: boolean } {
  const t = ix.deref(node, arn);
  if (t.kind === 'resource') return { rel: sameEnvironment(node, t.node), bus: t.node.cfnResourceType === 'AWS::Events::EventBus' };
  const s = t.kind === 'literal' ? t.value : joinLiteral(t.kind === 'unresolved' ? t.value : undefined);
  return s === undefined ? { rel: 'unknown', bus: false } : { rel: arnEnvironment(node, s), bus: s.includes(':event-bus/') };
}

/**
 * The best delivery of a rule's targets (see {@link GuardDutyEventRule.delivery}). An event bus, of this
 * account and region or another, delivers only what the rules on it forward: those are not followed,
 * so a bus proves no delivery (a bus without a matching rule drops every finding).
 */
function deliveryOf(ix: ResourceIndex, node: CfnResource): GuardDutyEventRule['delivery'] {
  const arns = list(ix.props(node).Targets, 'Targets').map((t) => obj(t, 'target')!.Arn);
  const places = arns.map((a) => targetPlace(ix, node, a));
  const rels = places.map((p) => (p.bus ? 'unknown' : p.rel));
  if (rels.includes('same') || arns.length === 0) return { relation: 'same', why: '' };
  const k = rels.indexOf('unknown');
  if (k >= 0) {
    const a = JSON.stringify(arns[k]);
    return {
      relation: 'unknown',
      why: places[k].bus ? `cannot verify where target ${a}, an event bus, delivers the findings: the rules on it are not followed`
        : `cannot verify that target ${a} is in the rule's account and region (${describeEnvironment(node)})`,
    };
  }
  return { relation: 'different', why: `no target is in the rule's own account and region (${describeEnvironment(node)}): EventBridge delivers nothing to a topic elsewhere` };
}

/** Whether a pattern's source names GuardDuty (undefined when the pattern cannot be read). */
function patternOf(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw === 'string') {
    try {
      return obj(JSON.parse(raw), 'EventPattern');
    } catch {
      return undefined;
    }
  }
  return obj(raw, 'EventPattern');
}

/** The app's EventBridge rules matching aws.guardduty, built once per validation. */
export function guardDutyEventRules(ix: ResourceIndex): GuardDutyEventRule[] {
  return ix.memo('guardDutyEventRules', () => {
    const out: GuardDutyEventRule[] = [];
    for (const node of ix.ofType('AWS::Events::Rule')) {
      const raw = ix.props(node).EventPattern;
      if (raw === undefined) continue;
      try {
        const pattern = patternOf(raw);
        if (!pattern) cannotVerify('EventPattern', raw);
        const sources = list(pattern!.source, 'source');
        if (!sources.includes('aws.guardduty')) {
          if (sources.every((x) => typeof x === 'string')) continue;
          cannotVerify('the pattern source', pattern!.source);
        }
        out.push({ node, gaps: gapsOf(ix, node, pattern!), delivery: deliveryOf(ix, node) });
      } catch (e) {
        if (!(e instanceof CannotVerify)) throw e;
        out.push({ node, gaps: [], unresolved: e.message, delivery: { relation: 'unknown', why: e.message } });
      }
    }
    return out;
  });
}

/** Whether the detector is switched off (then GD-ENABLED reports it, not the routing rule). */
export function detectorDisabled(ix: ResourceIndex, node: CfnResource): boolean {
  return node.cfnResourceType === 'AWS::GuardDuty::Detector' && bool(ix.props(node).Enable, 'Enable') === false;
}
