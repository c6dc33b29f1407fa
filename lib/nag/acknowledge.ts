import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ControlId } from '../lessons';
import { RULE_IDS } from './rules';

/** Construct metadata type under which `acknowledgeLesson` records owner, expiry and ticket. */
export const ACKNOWLEDGEMENT_METADATA_KEY = 'cdk-hardening:acknowledgement';

/** Controls no acknowledgement can waive unless the pack is configured otherwise. */
export const DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS: readonly ControlId[] = ['IAM-MFA', 'IAM-NOUSERS', 'DATA-CMK', 'DATA-PUBLIC', 'LOG-TRAIL'];

export const MIN_REASON_LENGTH = 20;

export interface LessonAcknowledgement {
  /** Rule id, e.g. `BreachLessons-S3BucketVersioning`. */
  readonly id: string;
  /** Why the finding is accepted: at least 20 characters. */
  readonly reason: string;
  /** Who accepted it (a person or a team). */
  readonly owner: string;
  /** ISO date YYYY-MM-DD; after this day (UTC) the finding fails again. */
  readonly expires: string;
  /** Change or risk ticket. */
  readonly ticket?: string;
}

/** Checks an acknowledgement; throws naming the first bad field and its value. */
export function validateAcknowledgement(ack: LessonAcknowledgement): void {
  if (!RULE_IDS.includes(ack.id)) {
    throw new Error(`acknowledgement id '${ack.id}' is not a BreachLessons rule id (e.g. '${RULE_IDS[0]}')`);
  }
  if (typeof ack.reason !== 'string' || ack.reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledgement reason '${ack.reason}' for ${ack.id} is too short: at least ${MIN_REASON_LENGTH} characters`);
  }
  if (typeof ack.owner !== 'string' || ack.owner.trim() === '') {
    throw new Error(`acknowledgement owner '${ack.owner}' for ${ack.id} must not be empty`);
  }
  if (!isIsoDate(ack.expires)) {
    throw new Error(`acknowledgement expires '${ack.expires}' for ${ack.id} is not an ISO date YYYY-MM-DD`);
  }
  if (ack.ticket !== undefined && (typeof ack.ticket !== 'string' || ack.ticket.trim() === '')) {
    throw new Error(`acknowledgement ticket '${ack.ticket}' for ${ack.id} must not be empty when given`);
  }
}

function isIsoDate(s: unknown): boolean {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Acknowledges a BreachLessons finding on a construct and everything under it, with governance:
 * records the plain CDK acknowledgement (`Validations.of(construct).acknowledge`) and, beside it,
 * owner, expiry and ticket in construct metadata. The pack turns the finding into ACKNOWLEDGED while
 * the date holds, FAIL after it, and FAIL whatever the date when the rule's control cannot be
 * acknowledged (DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS unless configured on the pack).
 */
export function acknowledgeLesson(construct: IConstruct, ack: LessonAcknowledgement): void {
  validateAcknowledgement(ack);
  Validations.of(construct).acknowledge({ id: ack.id, reason: ack.reason });
  const data: Record<string, string> = { id: ack.id, reason: ack.reason, owner: ack.owner, expires: ack.expires };
  if (ack.ticket !== undefined) data.ticket = ack.ticket;
  construct.node.addMetadata(ACKNOWLEDGEMENT_METADATA_KEY, data);
}

/** What the pack found on a resource or its ancestors for one rule. */
export type FoundAcknowledgement =
  | { readonly kind: 'governed'; readonly at: string; readonly ack: LessonAcknowledgement }
  | { readonly kind: 'ungoverned'; readonly at: string; readonly reason: string };

/**
 * The closest acknowledgement of `ruleId` on `resource` or an ancestor. At one construct a governed
 * record wins over the plain CDK record `acknowledgeLesson` writes beside it. A plain CDK
 * acknowledgement, namespaced (`BreachLessons::<id>`) or not, is 'ungoverned'.
 */
/**
 * Whether neither the construct nor any of its scopes carries acknowledgement metadata (governed or
 * plain) naming one of `ruleIds`, so {@link findAcknowledgement} finds nothing for any of those rules
 * (CDK itself acknowledges its own rules on stacks, e.g. `CloudFormation-Validate::W3010`: such an
 * entry names no rule of the pack). Cached per construct in `cache` (one map per validation and rule
 * set): the scopes a resource shares with its siblings are scanned once.
 */
export function carriesNoAcknowledgement(c: IConstruct | undefined, cache: Map<IConstruct, boolean>, ruleIds: ReadonlySet<string>): boolean {
  if (!c) return true;
  let free = cache.get(c);
  if (free === undefined) {
    free = !c.node.metadata.some((e) => namesRule(e, ruleIds)) && carriesNoAcknowledgement(c.node.scope, cache, ruleIds);
    cache.set(c, free);
  }
  return free;
}

/** Prefixes under which findAcknowledgement reads a plain acknowledgement of a rule id (besides the bare id). */
const PLAIN_PREFIXES = ['Annotation::', 'annotation::', 'BreachLessons::'];

/** Whether a metadata entry is an acknowledgement findAcknowledgement would read for one of `ruleIds`. */
function namesRule(entry: { readonly type: string; readonly data?: unknown }, ruleIds: ReadonlySet<string>): boolean {
  if (entry.type === ACKNOWLEDGEMENT_METADATA_KEY) {
    const d = entry.data as Partial<LessonAcknowledgement> | undefined;
    return !!d && typeof d.id === 'string' && ruleIds.has(d.id);
  }
  if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) return false;
  // The same `in` test as findAcknowledgement, for every rule id.
  const data = entry.data as Record<string, unknown>;
  for (const id of ruleIds) {
    if (id in data) return true;
    for (const p of PLAIN_PREFIXES) if (`${p}${id}` in data) return true;
  }
  return false;
}

export function findAcknowledgement(resource: IConstruct, ruleId: string): FoundAcknowledgement | undefined {
  const plainKeys = [...PLAIN_PREFIXES.map((p) => `${p}${ruleId}`), ruleId];
  let current: IConstruct | undefined = resource;
  while (current) {
    let plain: string | undefined;
    for (const entry of current.node.metadata) {
      if (entry.type === ACKNOWLEDGEMENT_METADATA_KEY) {
        const d = entry.data as LessonAcknowledgement;
        if (d && d.id === ruleId) return { kind: 'governed', at: current.node.path, ack: d };
      } else if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        const data = entry.data as Record<string, string>;
        for (const k of plainKeys) if (k in data) plain = data[k];
      }
    }
    if (plain !== undefined) return { kind: 'ungoverned', at: current.node.path, reason: plain };
    current = current.node.scope;
  }
  return undefined;
}
