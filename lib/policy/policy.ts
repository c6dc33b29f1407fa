import { statementApplies } from './statements';
import { ParsedPolicy, PolicyType, RequestContext, StatementRef, isUnknown } from './types';

/** Which statements of one document allow or deny a request; `unknown*` depend on Unknown values. */
export interface PolicyEvaluation {
  readonly allows: readonly StatementRef[];
  readonly denies: readonly StatementRef[];
  readonly unknownAllows: ReadonlyArray<{ readonly ref: StatementRef; readonly reason: string }>;
  readonly unknownDenies: ReadonlyArray<{ readonly ref: StatementRef; readonly reason: string }>;
}

/** The evidence reference of a statement. */
export function refOf(policy: ParsedPolicy, type: PolicyType, index: number): StatementRef {
  const s = policy.statements[index];
  return { policyType: type, policy: policy.name, index: s.index, sid: s.sid, effect: s.effect };
}

/**
 * Sorts the statements of one document by whether they apply to the request. The Principal element is
 * checked only for resource-based policies; `boundaryAttached` makes a Deny with NotPrincipal apply
 * (AWS's rule for principals with a permissions boundary).
 */
export function evaluatePolicy(policy: ParsedPolicy, type: PolicyType, ctx: RequestContext, boundaryAttached = false): PolicyEvaluation {
  const allows: StatementRef[] = [];
  const denies: StatementRef[] = [];
  const unknownAllows: Array<{ ref: StatementRef; reason: string }> = [];
  const unknownDenies: Array<{ ref: StatementRef; reason: string }> = [];
  const checkPrincipal = type === 'resource';
  policy.statements.forEach((s, i) => {
    const m = statementApplies(s, ctx, checkPrincipal, boundaryAttached);
    if (m === false) return;
    const ref = refOf(policy, type, i);
    if (isUnknown(m)) (s.effect === 'Allow' ? unknownAllows : unknownDenies).push({ ref, reason: m.reason });
    else (s.effect === 'Allow' ? allows : denies).push(ref);
  });
  return { allows, denies, unknownAllows, unknownDenies };
}
