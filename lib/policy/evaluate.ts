import { buildContext } from './context';
import { parsePolicy } from './parse';
import { evaluatePolicy, PolicyEvaluation, refOf } from './policy';
import { principalMatchKind, statementApplies } from './statements';
import { and3, or3 } from './tri';
import {
  EvaluationResult, Match, NamedPolicy, ParsedPolicy, PolicyError, PolicyRequest, PolicySet, RequestContext,
  ResourcePolicyKind, StatementRef, StepResult, Unknown, isUnknown,
} from './types';

/** A tri-state grant with the statements that make it. */
interface Grant { readonly match: Match; readonly refs: readonly StatementRef[] }

const YES: Grant = { match: true, refs: [] };
const NO: Grant = { match: false, refs: [] };

function allOf(grants: readonly Grant[]): Grant {
  return { match: and3(grants.map((g) => g.match)), refs: grants.flatMap((g) => g.refs) };
}

function anyOf(grants: readonly Grant[]): Grant {
  const m = or3(grants.map((g) => g.match));
  return { match: m, refs: m === true ? grants.find((g) => g.match === true)!.refs : [] };
}

/** An allow from a set of evaluations: any allow statement of any of them. */
function allowGrant(evals: readonly PolicyEvaluation[]): Grant {
  const refs = evals.flatMap((e) => e.allows);
  if (refs.length > 0) return { match: true, refs };
  const pending = evals.flatMap((e) => e.unknownAllows);
  return { match: pending.length > 0 ? new Unknown(pending[0].reason) : false, refs: [] };
}

interface ParsedSet {
  readonly identity: readonly ParsedPolicy[];
  readonly resource: ParsedPolicy | undefined;
  readonly boundary: ParsedPolicy | undefined;
  readonly session: readonly ParsedPolicy[];
  readonly scps: ReadonlyArray<readonly ParsedPolicy[]>;
  readonly rcps: ReadonlyArray<readonly ParsedPolicy[]>;
}

function parseNamed(p: NamedPolicy): ParsedPolicy {
  return parsePolicy(p.document, p.name);
}

/** Parses every document of the set once (cached); throws PolicyError naming the bad document. */
export function parsePolicySet(set: PolicySet): ParsedSet {
  return {
    identity: (set.identity ?? []).map(parseNamed),
    resource: set.resourcePolicy ? parseNamed(set.resourcePolicy) : undefined,
    boundary: set.permissionsBoundary ? parseNamed(set.permissionsBoundary) : undefined,
    session: (set.sessionPolicies ?? []).map(parseNamed),
    scps: (set.scps ?? []).map((level) => level.map(parseNamed)),
    rcps: (set.rcps ?? []).map((level) => level.map(parseNamed)),
  };
}

const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext']);

/** The kind of resource policy: given, or inferred from the action and resource ARN. */
export function inferResourcePolicyKind(ctx: RequestContext, given: ResourcePolicyKind | undefined): ResourcePolicyKind {
  if (given) return given;
  const resource = isUnknown(ctx.resource) ? '' : ctx.resource;
  if (ctx.action.startsWith('kms:') && /^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(resource)) return 'kms-key';
  if (TRUST_ACTIONS.has(ctx.action) && /^arn:[^:]+:iam::[^:]*:role\//.test(resource)) return 'role-trust';
  return 'resource';
}

/** The resource policy's Allow statements, split by how their Principal reaches the request's principal. */
function resourceGrants(policy: ParsedPolicy | undefined, ctx: RequestContext): { direct: Grant; wildcard: Grant; role: Grant; any: Grant } {
  if (!policy) return { direct: NO, wildcard: NO, role: NO, any: NO };
  const direct: Grant[] = []; const wildcard: Grant[] = []; const role: Grant[] = []; const any: Grant[] = [];
  policy.statements.forEach((s, i) => {
    if (s.effect !== 'Allow' || !s.principal) return;
    const applies = statementApplies(s, ctx, false);
    if (applies === false) return;
    const kind = principalMatchKind(s.principal, ctx);
    if (kind === 'none') return;
    const ref = refOf(policy, 'resource', i);
    const m: Match = isUnknown(kind) ? kind : applies;
    const g = { match: m, refs: [ref] };
    any.push(g);
    if (isUnknown(kind) || kind === 'direct') direct.push(g);
    if (isUnknown(kind) || kind === 'wildcard') wildcard.push(g);
    if (isUnknown(kind) || kind === 'role') role.push(g);
  });
  return { direct: anyOf(direct), wildcard: anyOf(wildcard), role: anyOf(role), any: anyOf(any) };
}

/** Each level of SCPs / RCPs must hold an allow; a level without one denies implicitly. */
function levelsGrant(levels: ReadonlyArray<readonly PolicyEvaluation[]>): Grant {
  if (levels.length === 0) return YES;
  return allOf(levels.map((level) => allowGrant(level)));
}

/** Whether the principal and the resource are in the same account (Unknown when the resource account is not known). */
export function sameAccount(ctx: RequestContext): Match {
  if (ctx.resource === '*') return true;
  const r = ctx.resourceAccount; const p = ctx.principalAccount;
  if (isUnknown(r)) return r;
  if (isUnknown(p)) return p;
  if (r === undefined) return new Unknown('the resource account is not known: the resource arn carries none and the request gives no resourceAccount');
  return p !== undefined && p === r;
}

function show(ref: StatementRef): string {
  return `${ref.policyType} '${ref.policy}' statement ${ref.index}${ref.sid ? ` (${ref.sid})` : ''}`;
}

function undecidable(reason: string, steps: StepResult[] = [], unknowns: string[] = [reason]): EvaluationResult {
  return { decision: 'Undecidable', allowed: false, decidedBy: [], reason, steps, unknowns };
}

function outcome(g: Grant): StepResult['outcome'] {
  return g.match === true ? 'allow' : g.match === false ? 'deny' : 'unknown';
}

/**
 * The whole decision, in AWS's documented order:
 * 1. an explicit deny in any applicable policy wins;
 * 2. RCPs of the resource's account, every level, must allow;
 * 3. SCPs of the principal's account, every level (root first), must allow (not for service principals);
 * 4. the allow: same account - a resource-policy allow naming the principal suffices (naming a role: capped by
 *    boundary and session policies), else the identity policies capped by boundary and session policies; a KMS
 *    key policy or a role trust policy must admit the caller (naming its account delegates to the identity side);
 *    cross-account - the resource policy AND the identity side must allow; service principals - the resource policy alone.
 */
export function evaluate(request: PolicyRequest, policies: PolicySet): EvaluationResult {
  let ctx: RequestContext;
  let set: ParsedSet;
  try {
    ctx = buildContext(request);
    set = parsePolicySet(policies);
  } catch (e) {
    if (e instanceof PolicyError) return undecidable(`cannot evaluate: ${e.message}`);
    throw e;
  }
  const isService = ctx.principalType === 'Service' || ctx.principalType === 'Anonymous';
  const boundaryAttached = !isService && set.boundary !== undefined;
  const ev = (p: ParsedPolicy, t: Parameters<typeof evaluatePolicy>[1]) => evaluatePolicy(p, t, ctx, boundaryAttached);
  const scpEvals = isService ? [] : set.scps.map((level) => level.map((p) => ev(p, 'scp')));
  const rcpEvals = set.rcps.map((level) => level.map((p) => ev(p, 'rcp')));
  const resourceEval = set.resource ? ev(set.resource, 'resource') : undefined;
  const identityEvals = isService ? [] : set.identity.map((p) => ev(p, 'identity'));
  const boundaryEval = !isService && set.boundary ? ev(set.boundary, 'permissions-boundary') : undefined;
  const sessionEvals = isService ? [] : set.session.map((p) => ev(p, 'session'));
  const all: PolicyEvaluation[] = [...scpEvals.flat(), ...rcpEvals.flat(), ...identityEvals, ...sessionEvals];
  if (resourceEval) all.push(resourceEval);
  if (boundaryEval) all.push(boundaryEval);

  const steps: StepResult[] = [];
  // 1. explicit deny
  const denies = all.flatMap((e) => e.denies);
  const pendingDenies = all.flatMap((e) => e.unknownDenies);
  steps.push({ step: 'explicit-deny', outcome: denies.length ? 'deny' : pendingDenies.length ? 'unknown' : 'n/a', statements: [...denies, ...pendingDenies.map((d) => d.ref)] });
  if (denies.length > 0) {
    return { decision: 'ExplicitDeny', allowed: false, decidedBy: denies, reason: `explicit deny by ${show(denies[0])}`, steps, unknowns: [] };
  }
  // 2-3. RCPs and SCPs
  const rcp = levelsGrant(rcpEvals);
  steps.push({ step: 'rcp', outcome: rcpEvals.length ? outcome(rcp) : 'n/a', statements: rcp.refs });
  const scp = levelsGrant(scpEvals);
  steps.push({ step: 'scp', outcome: scpEvals.length ? outcome(scp) : 'n/a', statements: scp.refs, note: isService && set.scps.length ? 'scps do not apply to service principals' : undefined });

  // 4. the allow
  const kind = inferResourcePolicyKind(ctx, policies.resourcePolicyKind);
  const identity = identityEvals.length ? allowGrant(identityEvals) : NO;
  const boundary = boundaryEval ? allowGrant([boundaryEval]) : YES;
  const session = sessionEvals.length ? allowGrant(sessionEvals) : YES;
  const capped = allOf([identity, boundary, session]);
  steps.push({ step: 'identity', outcome: isService ? 'n/a' : outcome(identity), statements: identity.refs });
  if (boundaryEval) steps.push({ step: 'permissions-boundary', outcome: outcome(boundary), statements: boundary.refs });
  if (sessionEvals.length) steps.push({ step: 'session', outcome: outcome(session), statements: session.refs });
  const res = resourceGrants(set.resource, ctx);
  const resourceStep: StepResult['step'] = kind === 'kms-key' ? 'kms-key' : kind === 'role-trust' ? 'role-trust' : 'resource';
  steps.push({ step: resourceStep, outcome: set.resource ? outcome(res.any) : 'n/a', statements: res.any.refs });
  if (kind !== 'resource' && !set.resource) {
    return undecidable(kind === 'kms-key'
      ? `no key policy given for ${request.action}: a kms key is usable only when its key policy admits the caller (iam alone never grants a key)`
      : `no trust policy given for ${request.action}: a role can be assumed only when its trust policy allows it`, steps);
  }

  const allowedFor = (same: boolean): Grant => {
    if (isService) return anyOf([res.direct, res.wildcard]);
    if (!same) return allOf([res.any, capped]);
    // naming the user or the session: not capped; `*`: capped by session policies only; naming the role: by both
    const viaResource = anyOf([res.direct, allOf([res.wildcard, session]), allOf([res.role, boundary, session])]);
    const viaIdentity = kind === 'resource' ? capped : allOf([res.any, capped]);
    return anyOf([viaResource, viaIdentity]);
  };
  const same = sameAccount(ctx);
  let allow: Grant;
  if (isService || same === true || same === false) {
    allow = allowedFor(same === true);
  } else {
    const a = allowedFor(true); const b = allowedFor(false);
    allow = a.match === b.match && !isUnknown(a.match) ? a : { match: isUnknown(a.match) ? a.match : isUnknown(b.match) ? b.match : same, refs: [] };
  }
  steps.push({ step: 'cross-account', outcome: isService ? 'n/a' : same === true ? 'n/a' : same === false ? outcome(allow) : 'unknown', statements: [], note: !isService && same === false ? 'cross-account: the resource policy and the identity side must both allow' : undefined });

  const total = allOf([rcp, scp, allow]);
  const unknowns = [
    ...pendingDenies.map((d) => `${show(d.ref)} may deny: ${d.reason}`),
    ...[rcp, scp, allow].filter((g) => isUnknown(g.match)).map((g) => (g.match as Unknown).reason),
  ];
  if (total.match === false) {
    const failed = rcp.match === false ? 'no rcp allows it at every level' : scp.match === false ? 'no scp allows it at every level'
      : same === false ? 'cross-account: the resource policy and the identity side do not both allow it'
        : kind === 'kms-key' ? 'the key policy does not admit the caller (directly or through the account)'
          : kind === 'role-trust' ? 'the trust policy does not allow the caller'
            : boundaryEval && identity.match === true && boundary.match === false ? 'the permissions boundary does not allow it'
              : sessionEvals.length && identity.match === true && session.match === false ? 'the session policy does not allow it'
                : 'no policy allows it';
    return { decision: 'ImplicitDeny', allowed: false, decidedBy: [], reason: `implicit deny: ${failed}`, steps, unknowns };
  }
  if (total.match === true && pendingDenies.length === 0) {
    return { decision: 'Allow', allowed: true, decidedBy: total.refs, reason: `allowed by ${total.refs.map(show).join(', ')}`, steps, unknowns: [] };
  }
  return undecidable(`undecidable: ${unknowns.join('; ')}`, steps, unknowns);
}
