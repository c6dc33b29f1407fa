import { z } from 'zod';
import { CLOUDWATCH_RETENTION_DAYS, LIMITS } from './defaults';
import { ParsedConfig, RCP_SHORT_NAMES, SCP_SHORT_NAMES, configSchema, dataClassSchema } from './schema';
import { PolicyName, placeholdersOf } from '../policies';

/** Context keys this toolkit reads all start with this prefix. */
export const CONTEXT_PREFIX = 'hardening:';

/** The validated configuration, with every derived value resolved once. */
export interface HardeningConfig extends Omit<ParsedConfig, 'availabilityZones' | 'allowedRegions' | 'governedRegions' | 'baselineExcludeAccounts'> {
  readonly availabilityZones: string[];
  readonly allowedRegions: string[];
  /** Organization mode: the governed regions (default [region]); account mode: [region]. */
  readonly governedRegions: string[];
  /** Organization mode: accounts of the baseline targets left out (default none). */
  readonly baselineExcludeAccounts: string[];
  /** logRetentionDays rounded up to a period CloudWatch Logs accepts. */
  readonly logRetentionPeriod: number;
}

export interface ConfigProblem {
  /** The full context key, e.g. `hardening:logRetentionDays`. */
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

/** Every problem found in the configuration, reported at once. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`
      + problems.map((p) => `  - ${p.key}=${show(p.value)}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function show(v: unknown): string {
  if (v === undefined) return '(unset)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

const KNOWN_KEYS = Object.keys(configSchema.shape);

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggestion(key: string): string {
  const best = KNOWN_KEYS.map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean ${CONTEXT_PREFIX}${best.k}?)` : '';
}

/** The fields an object inside a list key may have (only data classes are objects). */
function knownFields(path: readonly PropertyKey[]): string {
  if (path[0] === 'scpTargets') return SCP_SHORT_NAMES.join(', ');
  if (path[0] === 'rcpTargets') return RCP_SHORT_NAMES.join(', ');
  return path[0] === 'dataClasses' ? Object.keys(dataClassSchema.shape).join(', ') : '(none)';
}

/** The keys organization mode cannot do without; reported together when missing. */
export const ORGANIZATION_REQUIRED_KEYS = [
  'organizationId', 'managementAccountId', 'securityToolingAccountId', 'logArchiveAccountId', 'baselineTargets', 'scpTargets',
] as const;

/** Keys only organization mode reads: set in account mode, they would look like they did something. */
const ORGANIZATION_ONLY_KEYS = [
  'managementAccountId', 'securityToolingAccountId', 'logArchiveAccountId', 'governedRegions', 'baselineTargets', 'baselineExcludeAccounts', 'scpTargets',
  'rcpTargets',
] as const;

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    // A list given with -c is still its string here: show the string rather than "(unset)".
    if (typeof cur === 'string' && cur !== obj) return cur;
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

function keyOf(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  return CONTEXT_PREFIX + String(head ?? '') + rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function cidrProblems(c: ParsedConfig, azs: string[]): string[] {
  const m = /\/(\d+)$/.exec(c.vpcCidr);
  const prefix = m ? Number(m[1]) : NaN;
  const octets = c.vpcCidr.split('/')[0].split('.').map(Number);
  const out: string[] = [];
  if (octets.some((o) => o > 255)) out.push('has an octet above 255');
  if (!(prefix >= 16 && prefix <= 24)) out.push('prefix must be between /16 and /24');
  if (out.length) return out;
  const size = (mask: number) => 2 ** (32 - mask);
  const needed = azs.length * (size(c.publicSubnetMask) + size(c.appSubnetMask) + size(c.dataSubnetMask));
  if (needed > size(prefix)) {
    out.push(`is too small for ${azs.length} AZs x (/${c.publicSubnetMask} + /${c.appSubnetMask} + /${c.dataSubnetMask}) subnets`);
  }
  return out;
}

/**
 * Parses and validates the `hardening:` keys of a CDK context object (other keys, such as CDK
 * feature flags, are left alone). Throws a ConfigError listing every problem at once.
 */
export function parseConfig(context: Record<string, unknown>): HardeningConfig {
  const input: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [k, v] of Object.entries(context)) {
    if (k.startsWith(CONTEXT_PREFIX)) {
      input[k.slice(CONTEXT_PREFIX.length)] = v;
    } else if (k.includes(':') && editDistance(k.split(':')[0].toLowerCase(), 'hardening') <= 2) {
      problems.push({ key: k, value: v, message: `unknown context key: the prefix is misspelt (expected ${CONTEXT_PREFIX}${k.split(':').slice(1).join(':')})` });
    }
  }

  // Keys the schema rejects are reported, then set aside so that the cross-field checks below
  // still run on the rest: every problem is reported at once.
  const rejected = new Set<string>();
  const result = configSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys' && issue.path.length > 0) {
        rejected.add(String(issue.path[0]));
        problems.push({ key: keyOf(issue.path), value: valueAt(input, issue.path), message: `${issue.message}; known fields are ${knownFields(issue.path)}` });
      } else if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          rejected.add(k);
          problems.push({ key: CONTEXT_PREFIX + k, value: input[k], message: `unknown context key${suggestion(k)}; a misspelt key must never drop a control` });
        }
      } else {
        rejected.add(String(issue.path[0]));
        problems.push({ key: keyOf(issue.path), value: valueAt(input, issue.path), message: issue.message });
      }
    }
  }
  const rest = configSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([k]) => !rejected.has(k))));
  if (!rest.success) throw new ConfigError(problems);

  const c = rest.data;
  const azs = c.availabilityZones ?? [`${c.region}a`, `${c.region}b`];
  const allowedRegions = c.allowedRegions ?? [c.region];
  const add = (key: string, value: unknown, message: string) => {
    if (!rejected.has(key)) problems.push({ key: CONTEXT_PREFIX + key, value, message });
  };

  if (azs.length < 2 || azs.length > 3) add('availabilityZones', azs, 'must list 2 or 3 availability zones');
  if (new Set(azs).size !== azs.length) add('availabilityZones', azs, 'lists an availability zone twice');
  for (const az of azs) {
    if (!az.startsWith(c.region)) add('availabilityZones', azs, `${az} is not in region ${c.region}`);
  }
  for (const p of cidrProblems(c, azs)) add('vpcCidr', c.vpcCidr, p);
  if (c.natGateways > azs.length) add('natGateways', c.natGateways, `must not exceed the number of availability zones (${azs.length})`);
  for (const port of c.databasePorts) {
    if (port === 22 || port === 3389) add('databasePorts', c.databasePorts, `port ${port} is an administration port (SSH/RDP); use Session Manager`);
  }
  if (c.databasePorts.length === 0) add('databasePorts', c.databasePorts, 'must list at least one port');
  if (c.alertEmails !== undefined && c.alertEmails.length === 0) add('alertEmails', c.alertEmails, 'must list at least one address: alarms that reach nobody are not response (IR-ROUTING); leave the key unset to give the address at deploy time');
  if (c.logRetentionDays < LIMITS.minLogRetentionDays) {
    add('logRetentionDays', c.logRetentionDays, `must be at least ${LIMITS.minLogRetentionDays} days (LOG-RETENTION; NYDFS 500.6 keeps cybersecurity-event trails 3 years)`);
  }
  if (c.archiveObjectLockDays < LIMITS.minArchiveObjectLockDays) {
    add('archiveObjectLockDays', c.archiveObjectLockDays, `must be at least ${LIMITS.minArchiveObjectLockDays} days (LOG-ARCHIVE keeps the trail archive 3 years)`);
  }
  if (c.noncurrentVersionExpirationDays > LIMITS.maxNoncurrentVersionExpirationDays) {
    add('noncurrentVersionExpirationDays', c.noncurrentVersionExpirationDays, `must be at most ${LIMITS.maxNoncurrentVersionExpirationDays} days (GLBA 314.4(c)(6) disposal within 2 years)`);
  }
  const names = c.dataClasses.map((d) => d.name);
  if (names.length === 0) add('dataClasses', c.dataClasses, 'must list at least one data class');
  if (new Set(names).size !== names.length) add('dataClasses', c.dataClasses, 'lists a data class name twice');
  if (new Set(c.groups).size !== c.groups.length) add('groups', c.groups, 'lists a group twice');
  if (c.roleMaxSessionSeconds > LIMITS.maxSessionSeconds) {
    add('roleMaxSessionSeconds', c.roleMaxSessionSeconds, `must be at most ${LIMITS.maxSessionSeconds} seconds (IAM-SESSION)`);
  }
  if (c.mfaMaxAgeSeconds > LIMITS.maxSessionSeconds) {
    add('mfaMaxAgeSeconds', c.mfaMaxAgeSeconds, `must be at most ${LIMITS.maxSessionSeconds} seconds (IAM-MFA: a recent MFA)`);
  }
  if (!allowedRegions.includes(c.region)) add('allowedRegions', allowedRegions, `must include the target region ${c.region}`);
  if (c.backupCopyRegion !== undefined) {
    if (c.backupCopyRegion === c.region) add('backupCopyRegion', c.backupCopyRegion, 'must differ from the target region');
    if (!allowedRegions.includes(c.backupCopyRegion)) add('backupCopyRegion', c.backupCopyRegion, 'must be one of allowedRegions, or the region guard denies the copy');
  }
  if (c.vaultLockMinRetentionDays > c.vaultLockMaxRetentionDays) {
    add('vaultLockMinRetentionDays', c.vaultLockMinRetentionDays, `must not exceed vaultLockMaxRetentionDays (${c.vaultLockMaxRetentionDays})`);
  }
  for (const key of ['backupDailyRetentionDays', 'backupMonthlyRetentionDays'] as const) {
    if (c[key] < c.vaultLockMinRetentionDays || c[key] > c.vaultLockMaxRetentionDays) {
      add(key, c[key], `must lie within the vault lock's ${c.vaultLockMinRetentionDays}-${c.vaultLockMaxRetentionDays} days, or the locked vault refuses the backups`);
    }
  }
  const governedRegions = c.governedRegions ?? [c.region];
  const baselineExcludeAccounts = c.baselineExcludeAccounts ?? [];
  if (rejected.has('deploymentMode')) {
    // The mode is unknown: whether the organization keys belong is not known either.
  } else if (c.deploymentMode === 'organization') {
    organizationProblems(c, governedRegions, allowedRegions, rejected, add);
  } else {
    for (const key of ORGANIZATION_ONLY_KEYS) {
      if (c[key] !== undefined) add(key, c[key], 'is read only in organization mode (hardening:deploymentMode=organization); remove it, or a reader would think it governs something');
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const logRetentionPeriod = CLOUDWATCH_RETENTION_DAYS.find((d) => d >= c.logRetentionDays) ?? CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1];
  return { ...c, availabilityZones: azs, allowedRegions, governedRegions, baselineExcludeAccounts, logRetentionPeriod };
}

/** The cross-field rules of organization mode; every missing required key is reported, not only the first. */
function organizationProblems(
  c: ParsedConfig, governedRegions: string[], allowedRegions: string[], rejected: ReadonlySet<string>,
  add: (key: string, value: unknown, message: string) => void,
): void {
  for (const key of ORGANIZATION_REQUIRED_KEYS) {
    if (c[key] === undefined && !rejected.has(key)) add(key, undefined, 'is required in organization mode (docs/organization.md lists an example value for every key)');
  }
  if (c.account !== undefined) {
    add('account', c.account, 'must be unset in organization mode: each stack goes to its own account (managementAccountId, logArchiveAccountId, securityToolingAccountId)');
  }
  const mgmt = c.managementAccountId;
  if (mgmt !== undefined) {
    if (c.securityToolingAccountId === mgmt) add('securityToolingAccountId', c.securityToolingAccountId, 'must differ from managementAccountId: the management account delegates security administration and runs nothing else');
    if (c.logArchiveAccountId === mgmt) add('logArchiveAccountId', c.logArchiveAccountId, 'must differ from managementAccountId: the archive must be out of reach of the account whose trail it keeps');
  }
  if (!governedRegions.includes(c.region)) add('governedRegions', governedRegions, `must include the home region ${c.region}, where the tooling account runs the StackSets`);
  const outside = governedRegions.filter((r) => !allowedRegions.includes(r));
  if (outside.length) add('governedRegions', governedRegions, `${outside.join(', ')} not in allowedRegions: the region-guard SCP would deny the baseline there`);
  const dupRegions = duplicates(governedRegions);
  if (dupRegions.length) add('governedRegions', governedRegions, `lists ${dupRegions.join(', ')} twice`);
  if (c.baselineTargets !== undefined) {
    if (c.baselineTargets.length === 0) add('baselineTargets', c.baselineTargets, 'must list at least one root or organizational unit');
    const dup = duplicates(c.baselineTargets);
    if (dup.length) add('baselineTargets', c.baselineTargets, `lists ${dup.join(', ')} twice`);
  }
  const excluded = c.baselineExcludeAccounts ?? [];
  const dupExcluded = duplicates(excluded);
  if (dupExcluded.length) add('baselineExcludeAccounts', excluded, `lists ${dupExcluded.join(', ')} twice`);
  for (const [key, id] of [['securityToolingAccountId', c.securityToolingAccountId], ['logArchiveAccountId', c.logArchiveAccountId]] as const) {
    if (id !== undefined && excluded.includes(id)) add('baselineExcludeAccounts', excluded, `excludes ${key} ${id}: the accounts that hold the security tooling and the archive need the baseline most`);
  }
  for (const [key, kind] of [['scpTargets', 'service control policies'], ['rcpTargets', 'resource control policies']] as const) {
    for (const [name, targets] of Object.entries(c[key] ?? {})) {
      if (targets === undefined) continue;
      if (targets.length === 0) add(key, c[key], `${name} lists no target; leave it out to attach it nowhere`);
      const dup = duplicates(targets);
      if (dup.length) add(key, c[key], `${name} lists ${dup.join(', ')} twice`);
      if (mgmt !== undefined && targets.includes(mgmt)) add(key, c[key], `${name} targets the management account ${mgmt}, which ${kind} never restrict`);
    }
  }
  // An SCP that exempts break-glass (and the pipeline role) by role name holds only where protect-security-services
  // keeps everyone else from creating or re-trusting a role of that name (its ProtectExemptRoles statement).
  const guard = 'protect-security-services';
  const guarded = c.scpTargets?.[guard] ?? [];
  for (const [name, targets] of Object.entries(c.scpTargets ?? {})) {
    if (name === guard || !placeholdersOf(`scp/${name}` as PolicyName).includes('BreakGlassRoleName')) continue;
    const open = guarded.some((t) => t.startsWith('r-')) ? [] : (targets ?? []).filter((t) => !guarded.includes(t));
    if (open.length) {
      add('scpTargets', c.scpTargets, `${name} exempts the break-glass role by name on ${open.join(', ')}, where ${guard} is not attached (nor at a root): `
        + `anyone there who may create roles could create or re-trust a role of that name and step outside it; attach ${guard} to the root or to ${open.join(', ')}`);
    }
  }
}

/** One row per key for documentation: key, default, description. */
export function describeConfig(): { key: string; default: unknown; description: string }[] {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  return Object.entries(configSchema.shape).map(([k, s]) => (
    { key: CONTEXT_PREFIX + k, default: defaults[k], description: (s as z.ZodTypeAny).description ?? '' }));
}
