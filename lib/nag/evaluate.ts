import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { Finding, FindingResource, FindingSource, finding, findingMaker, isExpired } from '../findings';
import { ControlId, control } from '../lessons';
import { DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS, carriesNoAcknowledgement, findAcknowledgement } from './acknowledge';
import { ResourceIndex } from './resource-index';
import { BREACH_LESSONS_RULES } from './rules';
import { BreachLessonsRule, CannotVerify } from './types';

export interface EvaluateOptions {
  /** 'synth' (default) inside an app, 'template' for templates loaded with CfnInclude. */
  readonly source?: FindingSource;
  /** The clock acknowledgement expiry is judged against (default: now). */
  readonly now?: Date;
  /** Template file name of a stack (default `<artifactId>.template.json`). */
  readonly templateNameOf?: (stack: Stack) => string;
  /** Controls that cannot be acknowledged (default DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS). */
  readonly nonAcknowledgeable?: readonly ControlId[];
  /** The rules to run (default every BreachLessons rule); tests pass only the rules under test. */
  readonly rules?: readonly BreachLessonsRule[];
  /** The own AWS Organizations id policies are compared with. @default - none: an organization a policy names cannot be verified */
  readonly organizationId?: string;
}

/**
 * Whether a rule's resource-type entry matches a type: an exact type, `Custom::*` (any custom
 * resource type) or `*` (every resource, for rules that attest a fact about a whole template).
 */
export function resourceTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

/** Dispatch table: resource type to the rules that look at it (in pack order), filled once per type and rule list. */
const dispatchCache = new WeakMap<readonly BreachLessonsRule[], Map<string, BreachLessonsRule[]>>();
function dispatch(rules: readonly BreachLessonsRule[]): (type: string) => BreachLessonsRule[] {
  let m = dispatchCache.get(rules);
  if (!m) dispatchCache.set(rules, (m = new Map()));
  const table = m;
  return (type) => {
    let l = table.get(type);
    if (!l) table.set(type, (l = rules.filter((r) => r.resourceTypes.some((p) => resourceTypeMatches(p, type)))));
    return l;
  };
}

/**
 * Runs every BreachLessons rule over every CfnResource under `scope` and returns one finding per
 * (rule, resource) evaluated: PASS, FAIL, ERROR (cannot verify: never a pass) or ACKNOWLEDGED.
 * Not-applicable evaluations are omitted. The index is built once; each resource meets only the
 * rules registered for its type.
 */
export function evaluateScope(scope: IConstruct, options: EvaluateOptions = {}): Finding[] {
  const source = options.source ?? 'synth';
  const now = options.now ?? new Date();
  const templateNameOf = options.templateNameOf ?? ((s: Stack) => `${s.artifactId}.template.json`);
  const blocked = new Set<ControlId>(options.nonAcknowledgeable ?? DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS);
  const rules = options.rules ?? BREACH_LESSONS_RULES;
  const byType = dispatch(rules);
  const ruleIds = new Set(rules.map((r) => r.id));
  const ix = new ResourceIndex(scope, { organizationId: options.organizationId });
  const templates = new Map<Stack, string>();
  const out: Finding[] = [];
  const noAcks = new Map<IConstruct, boolean>();
  const ctx: JudgeContext = { source, now, blocked, makers: new Map() };

  for (const node of ix.resources) {
    const applicable = byType(node.cfnResourceType);
    if (applicable.length === 0) continue;
    let resource: FindingResource | undefined;
    let acknowledgeable: boolean | undefined;
    for (const rule of applicable) {
      const outcome = run(rule, node, ix);
      if (outcome === undefined) continue;
      if (!resource) {
        const stack = Stack.of(node);
        let template = templates.get(stack);
        if (template === undefined) templates.set(stack, (template = templateNameOf(stack)));
        resource = { id: node.node.path, constructPath: node.node.path, logicalId: ix.logicalId(node), template, type: node.cfnResourceType };
      }
      acknowledgeable ??= !carriesNoAcknowledgement(node, noAcks, ruleIds);
      out.push(judge(rule, node, outcome, resource, ctx, acknowledgeable));
    }
  }
  return out;
}

type Outcome = { status: 'PASS' } | { status: 'FAIL'; detail: string[] } | { status: 'ERROR'; message: string };

function run(rule: BreachLessonsRule, node: CfnResource, ix: ResourceIndex): Outcome | undefined {
  let result: NagRuleResult;
  try {
    result = rule.rule(node, ix);
  } catch (e) {
    const message = e instanceof CannotVerify ? e.message : `rule failed: ${(e as Error).message ?? String(e)}`;
    return { status: 'ERROR', message };
  }
  if (Array.isArray(result)) return result.length === 0 ? { status: 'PASS' } : { status: 'FAIL', detail: result };
  if (result === NagRuleCompliance.COMPLIANT) return { status: 'PASS' };
  if (result === NagRuleCompliance.NON_COMPLIANT) return { status: 'FAIL', detail: [] };
  return undefined;
}

const PASS_MESSAGES = new Map<ControlId, string>();
function passMessage(c: ControlId): string {
  let m = PASS_MESSAGES.get(c);
  if (m === undefined) PASS_MESSAGES.set(c, (m = `${control(c).title}: holds`));
  return m;
}

interface JudgeContext {
  readonly source: FindingSource;
  readonly now: Date;
  readonly blocked: Set<ControlId>;
  /** Per rule, the maker of its unacknowledged findings (control and citations checked once). */
  readonly makers: Map<BreachLessonsRule, ReturnType<typeof findingMaker>>;
}

function makerOf(rule: BreachLessonsRule, ctx: JudgeContext): ReturnType<typeof findingMaker> {
  let m = ctx.makers.get(rule);
  if (!m) {
    m = findingMaker({ ruleId: rule.id, controlId: rule.controlIds[0], source: ctx.source, severity: rule.level, remediation: rule.fix, citations: rule.citations });
    ctx.makers.set(rule, m);
  }
  return m;
}

function judge(rule: BreachLessonsRule, node: CfnResource, outcome: Outcome, resource: FindingResource, ctx: JudgeContext, acknowledgeable: boolean): Finding {
  const controlId = rule.controlIds[0];
  if (outcome.status === 'PASS') return makerOf(rule, ctx)(resource, 'PASS', rule.passes ?? passMessage(controlId));
  const base = { ruleId: rule.id, controlId, source: ctx.source, severity: rule.level, resource, remediation: rule.fix, citations: rule.citations };
  const problem = outcome.status === 'ERROR'
    ? `${rule.ruleName} could not be evaluated (${outcome.message}); an unverifiable value is never compliant`
    : outcome.detail.length > 0 ? `${rule.info.replace(/\.$/, '')} (${outcome.detail.join('; ')})` : rule.info.replace(/\.$/, '');

  const found = ctx.source === 'live' || !acknowledgeable ? undefined : findAcknowledgement(node, rule.id);
  if (!found) return makerOf(rule, ctx)(resource, outcome.status, problem);
  if (found.kind === 'ungoverned') {
    return finding({
      ...base, status: 'FAIL',
      message: `${problem}; the plain acknowledgement at ${found.at} is ungoverned: use acknowledgeLesson with an owner and an expiry date`,
    });
  }
  const { ack } = found;
  const blockedControl = rule.controlIds.find((c) => ctx.blocked.has(c));
  const expired = isExpired(ack.expires, ctx.now);
  const acknowledgement = { reason: ack.reason, owner: ack.owner, expires: ack.expires, expired, ...(ack.ticket ? { ticket: ack.ticket } : {}) };
  if (blockedControl) {
    return finding({
      ...base, status: 'FAIL', acknowledgement,
      message: `${problem}; control ${blockedControl} cannot be acknowledged: the acknowledgement by ${ack.owner} at ${found.at} is rejected`,
    });
  }
  if (expired) {
    return finding({
      ...base, status: 'FAIL', acknowledgement,
      message: `${problem}; the acknowledgement by ${ack.owner} at ${found.at} expired on ${ack.expires}`,
    });
  }
  return finding({ ...base, status: 'ACKNOWLEDGED', acknowledgement, message: `${problem}; acknowledged by ${ack.owner} until ${ack.expires}: ${ack.reason}` });
}
