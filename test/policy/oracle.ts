/**
 * The oracle side of the differential test: runs a generated case through @cloud-copilot/iam-simulate
 * (AGPL: tests only). The simulator fills no global keys, so every key our evaluator derives from the
 * principal (aws:PrincipalArn, aws:PrincipalAccount, ...) is passed to it explicitly.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { buildContext, isUnknown, NamedPolicy, PolicyRequest, PolicySet } from '../../lib/policy';
import { principalKeys } from '../../lib/policy/context';

export type OracleDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

function plain(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (isUnknown(value)) throw new Error('the oracle cannot take unknown values');
  return String(value);
}

/** Every context key as the request carries it, plus those AWS sets from the principal. */
export function oracleContext(request: PolicyRequest): Record<string, string | string[]> {
  const ctx = buildContext(request);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of principalKeys(request, ctx.principalType, ctx.roleArn, ctx.principalAccount)) out[k] = plain(v);
  for (const [k, v] of Object.entries(request.context ?? {})) out[k] = plain(v);
  return out;
}

const named = (p: NamedPolicy) => ({ name: p.name, policy: p.document });

export interface OracleAnswer { readonly decision: OracleDecision; readonly ignoredContextKeys: readonly string[] }

/** The oracle's decision; throws when it rejects the input (a generator bug, not a disagreement). */
export async function oracleDecide(request: PolicyRequest, policies: PolicySet): Promise<OracleAnswer> {
  const principal = request.principal.arn as string;
  const result = await runSimulation({
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource as string, accountId: (request.resourceAccount as string) ?? '' },
      contextVariables: oracleContext(request),
    },
    identityPolicies: (policies.identity ?? []).map(named),
    permissionBoundaryPolicies: policies.permissionsBoundary ? [named(policies.permissionsBoundary)] : undefined,
    sessionPolicy: policies.sessionPolicies?.[0]?.document,
    serviceControlPolicies: (policies.scps ?? []).map((level, i) => ({ orgIdentifier: i === 0 ? 'r-root' : `level-${i}`, policies: level.map(named) })),
    // the oracle attaches RCPFullAWSAccess to every level itself (and rejects it as input)
    resourceControlPolicies: (policies.rcps ?? []).map((level, i) => ({ orgIdentifier: i === 0 ? 'r-root' : `level-${i}`, policies: level.filter((p) => !p.name.startsWith('RCPFullAWSAccess')).map(named) })),
    resourcePolicy: policies.resourcePolicy?.document,
  }, {});
  if (result.resultType === 'error') throw new Error(`oracle rejected the case: ${JSON.stringify(result.errors).slice(0, 600)}`);
  const ignored = result.resultType === 'single' ? result.result.ignoredContextKeys ?? [] : [];
  return { decision: result.overallResult as OracleDecision, ignoredContextKeys: ignored };
}
