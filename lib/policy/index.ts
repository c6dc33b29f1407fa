/**
 * lib/policy: the project's policy evaluator, AWS's documented evaluation logic as small pure functions.
 *
 * PUBLIC API (stable: the nag rules, lib/replay and lib/audit code against it)
 *
 *   evaluate(request: PolicyRequest, policies: PolicySet): EvaluationResult
 *     The whole decision: explicit deny anywhere -> RCPs -> SCPs -> resource policy (same-account allow
 *     naming the principal suffices; KMS key policy must admit the caller; role trust policy must allow
 *     sts:AssumeRole*) -> identity policies capped by permissions boundary and session policies;
 *     cross-account both sides must allow. Returns decision 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' |
 *     'Undecidable', the statements that decided (document, index, Sid), every step, and the reasons of
 *     Unknown values the decision depends on. A malformed document or unknown operator yields
 *     'Undecidable' with the parse error as reason (fail closed), never a silent non-match.
 *
 *   parsePolicy(document, name): ParsedPolicy            normalize once (cached per document object);
 *                                                         throws PolicyError on a malformed document
 *   buildContext(request): RequestContext                 prepare a request once for many statements
 *   evaluatePolicy(policy, type, ctx): PolicyEvaluation   which statements of one document allow/deny
 *   statementApplies(stmt, ctx, checkPrincipal): Match    Action & Resource & (Principal) & Condition
 *   principalMatchKind(principal, ctx)                    'direct' | 'role' | 'account' | 'none' | Unknown
 *   matchAction(stmt, action) / matchResource(stmt, ctx) / matchPrincipal(stmt, ctx) / matchConditions(stmt, ctx)
 *   evaluateCondition(cond, ctx): Match                   one operator/key/values triple
 *   wildcardMatch(pattern, value, caseInsensitive): boolean
 *   resolveVariables(text, ctx): string | Unknown | undefined   ${aws:username}, ${*}, ... (undefined = unresolvable)
 *   unknown(reason) / isUnknown(v) / Unknown              the "could not resolve" marker for any value
 *
 * A Match is true, false or an Unknown (carrying why). The evaluator never invents context keys beyond
 * those AWS sets from the principal (see PolicyRequest.context): an absent key is ABSENT.
 *
 * Semantics worth knowing (each pinned by tests in test/policy):
 * - Undecidable, never a guess: a kms request on a key with no key policy given, an sts:AssumeRole with no
 *   trust policy given, a same- vs cross-account question when the resource account is unknown (S3 ARNs carry
 *   none: pass resourceAccount), any Unknown value the outcome depends on, a malformed document.
 * - Resource-policy principals: naming the user or the session ARN grants on its own (not capped by boundary or
 *   session policies); naming the role, capped by both; `*`, capped by session policies; naming the account
 *   (12 digits or :root) delegates to the identity side. A Deny naming the account reaches all its principals.
 * - Absent keys: negated operators and ...IfExists match; ForAllValues matches (vacuous); ForAnyValue does not
 *   (IfExists or not); a list value under an operator without a set qualifier does not match.
 * - Unresolvable policy variables (`${aws:username}` for a role session): the value or Resource entry fails in
 *   either polarity, so the statement does not apply - unless the resource is of another service/region/account.
 * - SCPs do not apply to service principals; RCPs do. Pass SCPs/RCPs only where AWS applies them (member accounts).
 * - Differential-tested against @cloud-copilot/iam-simulate (tests only, AGPL); see test/policy/oracle-disagreements.md.
 *
 * Example:
 *   const r = evaluate(
 *     { principal: { arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333' },
 *       action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context: { 'aws:SecureTransport': 'true' } },
 *     { identity: [{ name: 'user-policy', document: { Version: '2012-10-17', Statement: [...] } }] });
 *   r.decision  // 'Allow'; r.decidedBy[0] = { policyType: 'identity', policy: 'user-policy', index: 0, ... }
 */
export * from './types';
export { parsePolicy } from './parse';
export { buildContext } from './context';
export { wildcardMatch, compilePattern } from './wildcard';
export { resolveVariables } from './variables';
export { evaluateCondition } from './conditions';
export { matchAction, matchResource, matchPrincipal, matchConditions, statementApplies } from './statements';
export { evaluatePolicy } from './policy';
export type { PolicyEvaluation } from './policy';
export { principalMatchKind } from './statements';
export type { PrincipalMatchKind } from './statements';
export { inferResourcePolicyKind, sameAccount } from './evaluate';
export { INTERNET_ADDRESS, VPC_HOST_ADDRESS, addressesInside, madeByService } from './request-facts';
export { conditionPairs, conditionEntries, conditionValues } from './condition-values';
export { evaluate } from './evaluate';
