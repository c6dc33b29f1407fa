/**
 * Differential test: lib/policy against @cloud-copilot/iam-simulate (the oracle, AGPL, tests only) on
 * thousands of seeded, generated (policy set, request) cases. Every case must agree, except the patterns
 * listed in test/policy/oracle-disagreements.md, where AWS's documentation says the oracle is wrong;
 * those are excluded by the exact predicate below and pinned by regression tests.
 */
import { evaluate, EvaluationResult, PolicyRequest, PolicySet } from '../../lib/policy';
import { generateCase } from './generator';
import { oracleDecide, saveOracleAnswers } from './oracle';

const CASES = 2500;
const SEED = 20261202;
const AS_ORACLE = { Allow: 'Allowed', ExplicitDeny: 'ExplicitlyDenied', ImplicitDeny: 'ImplicitlyDenied', Undecidable: 'Undecidable' } as const;

/**
 * oracle-disagreements.md #1: a resource policy naming the role SESSION ARN grants in addition to the
 * session policy (STS AssumeRole / GetFederationToken "Policy": "If that policy specifically references the
 * ... session in the Principal element ..., the session has the permissions allowed by the policy"); the
 * oracle caps every grant with the session policy. Exactly: a session policy is present, ours allows via a
 * resource-policy statement whose Principal names the request's session ARN, and the oracle implicitly denies.
 */
function sessionArnGrantPattern(request: PolicyRequest, policies: PolicySet, ours: EvaluationResult, oracle: string): boolean {
  if (!policies.sessionPolicies?.length || ours.decision !== 'Allow' || oracle !== 'ImplicitlyDenied') return false;
  const doc = policies.resourcePolicy?.document as { Statement: Array<{ Principal?: { AWS?: string | string[] } }> } | undefined;
  return ours.decidedBy.some((ref) => {
    if (ref.policyType !== 'resource') return false;
    const aws = doc?.Statement[ref.index]?.Principal?.AWS;
    return (Array.isArray(aws) ? aws : [aws]).includes(request.principal.arn as string);
  });
}

describe('lib/policy agrees with iam-simulate on generated cases', () => {
  test(`${CASES} seeded cases`, async () => {
    const disagreements: string[] = [];
    const decisions: Record<string, number> = {};
    let excluded = 0;
    for (let i = 0; i < CASES; i++) {
      const c = generateCase(SEED, i);
      const oracle = await oracleDecide(c.request, c.policies);
      expect(oracle.ignoredContextKeys).toEqual([]);
      const ours = evaluate(c.request, c.policies);
      decisions[ours.decision] = (decisions[ours.decision] ?? 0) + 1;
      if (AS_ORACLE[ours.decision] === oracle.decision) continue;
      if (sessionArnGrantPattern(c.request, c.policies, ours, oracle.decision)) { excluded++; continue; }
      disagreements.push(JSON.stringify({ case: i, ours: ours.decision, why: ours.reason, oracle: oracle.decision, request: c.request, policies: c.policies }));
      if (disagreements.length === 3) break; // enough to show the pattern; a broken evaluator fails in milliseconds, not seconds
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // the generator must exercise every outcome, or agreement proves little
    expect(decisions.Allow).toBeGreaterThan(CASES * 0.15);
    expect(decisions.ExplicitDeny).toBeGreaterThan(CASES * 0.1);
    expect(decisions.ImplicitDeny).toBeGreaterThan(CASES * 0.2);
    expect(decisions.Undecidable ?? 0).toBe(0);
    expect(excluded).toBeLessThan(CASES * 0.01);
    saveOracleAnswers(); // only after every case agreed: a failing (or mutated) evaluator writes nothing
  });
});
