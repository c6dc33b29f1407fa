import { z } from 'zod';
import { DEFAULTS } from '../../config/defaults';
import { isKnownRegion } from '../known-regions';
import { OrganizationAuditConfig, SCP_SHORT_NAMES, ScpShortName } from './types';

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const POLICY_TARGET = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const STACK_SET_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,127}$/;

const region = z.string().refine(isKnownRegion, { message: 'must be a known region name' });
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must list at least one');

const schema = z.object({
  deploymentMode: z.literal('organization', { message: "must be 'organization' for an organization audit" }).optional(),
  region: region.default(DEFAULTS.region),
  governedRegions: nonEmpty(region).optional(),
  allowedRegions: nonEmpty(region).optional(),
  baselineTargets: nonEmpty(z.string().regex(ORGANIZATION_TARGET, 'must be an organization root (r-...) or organizational unit (ou-...-...) id')),
  baselineExcludeAccounts: z.array(z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id')).default([]),
  scpTargets: z.partialRecord(z.enum(SCP_SHORT_NAMES as [ScpShortName, ...ScpShortName[]]),
    z.array(z.string().regex(POLICY_TARGET, 'must be a root (r-...), organizational unit (ou-...-...) or 12-digit account id'))),
  managementAccountId: z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id').optional(),
  securityToolingAccountId: z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id').optional(),
  auditRoleName: z.string().optional(),
  baselineStackSets: nonEmpty(z.union([
    z.string().regex(STACK_SET_NAME, 'must be a StackSet name'),
    z.object({ name: z.string().regex(STACK_SET_NAME, 'must be a StackSet name'), regions: nonEmpty(region).optional() }).strict(),
  ])),
  stackPrefix: z.string().min(1).default(DEFAULTS.stackPrefix),
  breakGlassRoleName: z.string().min(1).default(DEFAULTS.breakGlassRoleName),
  pipelineRoleName: z.string().min(1).default(DEFAULTS.pipelineRoleName),
});

const KEYS = Object.keys(schema.shape);
const PREFIX = 'hardening:';

/**
 * The organization audit's configuration from a JSON document: a cdk.json (its `context`, keys
 * `hardening:<key>`) or an object of the keys themselves. It reads only the keys the organization
 * checks compare with, by the names of lib/config (`governedRegions`, `baselineTargets`,
 * `baselineExcludeAccounts`, `scpTargets`, `managementAccountId`, `auditRoleName`, ...) plus
 * `baselineStackSets` (names, each optionally with its regions); other keys are the rest of the app's
 * configuration and are ignored. Throws one error listing every problem.
 */
export function parseOrganizationAuditConfig(document: unknown): OrganizationAuditConfig & { readonly auditRoleName?: string } {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new Error('must be a JSON object (a cdk.json or the organization keys)');
  const d = document as Record<string, unknown>;
  const source = (d.context !== null && typeof d.context === 'object' && !Array.isArray(d.context) ? d.context : d) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const k of KEYS) {
    if (source[`${PREFIX}${k}`] !== undefined) picked[k] = source[`${PREFIX}${k}`];
    else if (source[k] !== undefined) picked[k] = source[k];
  }
  const r = schema.safeParse(picked);
  if (!r.success) {
    throw new Error(r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`).join('; '));
  }
  const c = r.data;
  const governedRegions = c.governedRegions ?? [c.region];
  const allowedRegions = c.allowedRegions ?? [c.region];
  const problems: string[] = [];
  const outside = governedRegions.filter((g) => !allowedRegions.includes(g));
  if (outside.length) problems.push(`governedRegions: ${outside.join(', ')} not among allowedRegions`);
  const stackSets = c.baselineStackSets.map((s) => (typeof s === 'string' ? { name: s } : s));
  const names = stackSets.map((s) => s.name);
  if (new Set(names).size !== names.length) problems.push(`baselineStackSets: a name is listed twice (${names.join(', ')})`);
  if (problems.length) throw new Error(problems.join('; '));
  return {
    governedRegions, allowedRegions, region: c.region,
    baselineTargets: c.baselineTargets, baselineExcludeAccounts: c.baselineExcludeAccounts,
    scpTargets: c.scpTargets as OrganizationAuditConfig['scpTargets'],
    ...(c.managementAccountId ? { managementAccountId: c.managementAccountId } : {}),
    ...(c.securityToolingAccountId ? { securityToolingAccountId: c.securityToolingAccountId } : {}),
    ...(c.auditRoleName ? { auditRoleName: c.auditRoleName } : {}),
    baselineStackSets: stackSets,
    stackPrefix: c.stackPrefix, breakGlassRoleName: c.breakGlassRoleName, pipelineRoleName: c.pipelineRoleName,
  };
}
