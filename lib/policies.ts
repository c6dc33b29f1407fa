import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { z } from 'zod';

/**
 * The policy documents under policies/ are the single source of every IAM policy and SCP the
 * toolkit uses: stacks and tests load them from these files, never from inline copies.
 */
export const POLICY_NAMES = [
  'iam/require-mfa',
  'iam/permissions-boundary',
  'iam/audit-readonly',
  'iam/organization-auditor',
  'iam/human-group',
  'iam/pipeline-execution',
  'iam/pipeline-boundary',
  'scp/protect-security-services',
  'scp/protect-keys-and-data',
  'scp/protect-recovery',
  'scp/protect-detection-pipeline',
  'scp/deny-root-user',
  'scp/region-guard',
  'scp/deny-iam-user-credentials',
  'rcp/data-perimeter',
] as const;

export type PolicyName = typeof POLICY_NAMES[number];

/** The service control policies, in the order they are usually attached. */
export const SCP_NAMES = POLICY_NAMES.filter((n): n is Extract<PolicyName, `scp/${string}`> => n.startsWith('scp/'));

/** AWS Organizations refuses a service control policy longer than this (characters of the minified JSON). */
export const SCP_MAX_CHARS = 5120;

/** The resource control policies (policies/rcp): the organization's data perimeter. */
export const RCP_NAMES = POLICY_NAMES.filter((n): n is Extract<PolicyName, `rcp/${string}`> => n.startsWith('rcp/'));

/**
 * The placeholder values of the resource control policies: the organization they keep the data in.
 * RCPs exist only in an organization: without an organization id there is nothing to render.
 */
export function rcpValues(config: { readonly organizationId?: string }): PlaceholderValues {
  if (!config.organizationId) throw new Error('resource control policies need the organization id (hardening:organizationId)');
  return { OrganizationId: config.organizationId };
}

/** A statement of an IAM policy document, as JSON. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document, as JSON. */
export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatementJson[];
}

/**
 * Values for the `{{Name}}` placeholders of a document. A string value may stand inside a longer
 * string (`arn:*:iam::*:role/{{BreakGlassRoleName}}`); a list value must be a whole JSON string
 * (`"aws:RequestedRegion": "{{AllowedRegions}}"`) and replaces it with an array.
 */
export type PlaceholderValues = Readonly<Record<string, string | readonly string[]>>;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{([A-Za-z][A-Za-z0-9]*)\}\}$/;

let cachedRoot: string | undefined;

/**
 * The directory holding policies/: the package root, found by walking up from this file, so the
 * loader works from lib/ (tsx, jest) and from dist/lib (after `npm run build`) alike.
 */
export function policiesRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'policies')) && existsSync(join(dir, 'package.json'))) {
      cachedRoot = join(dir, 'policies');
      return cachedRoot;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the policies/ directory above ${__dirname}`);
    dir = up;
  }
}

/** The path of a policy document. */
export function policyPath(name: PolicyName): string {
  if (!(POLICY_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown policy "${name}"; known: ${POLICY_NAMES.join(', ')}`);
  }
  return join(policiesRoot(), `${name}.json`);
}

function readDocument(name: PolicyName): unknown {
  const path = policyPath(name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`policy ${name} not found at ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`policy ${name} is not valid JSON (${path}): ${(e as Error).message}`);
  }
}

const placeholderCache = new Map<PolicyName, readonly string[]>();

/** The placeholder names a document uses, sorted (read once per document: the shipped files do not change). */
export function placeholdersOf(name: PolicyName): string[] {
  let names = placeholderCache.get(name);
  if (!names) {
    const found = new Set<string>();
    for (const m of JSON.stringify(readDocument(name)).matchAll(PLACEHOLDER)) found.add(m[1]);
    placeholderCache.set(name, (names = [...found].sort()));
  }
  return [...names];
}

function substitute(name: PolicyName, value: unknown, values: PlaceholderValues): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole) {
      const v = values[whole[1]];
      if (v === undefined) throw new Error(`policy ${name} needs a value for {{${whole[1]}}}`);
      if (typeof v !== 'string') {
        if (v.length === 0) throw new Error(`policy ${name}: {{${whole[1]}}} must not be an empty list`);
        return [...v];
      }
      return v;
    }
    return value.replace(PLACEHOLDER, (_, key: string) => {
      const v = values[key];
      if (v === undefined) throw new Error(`policy ${name} needs a value for {{${key}}}`);
      if (typeof v !== 'string') throw new Error(`policy ${name}: {{${key}}} stands inside "${value}", so it must be a string, not a list`);
      return v;
    });
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const r = substitute(name, item, values);
      return Array.isArray(r) && typeof item === 'string' ? r : [r];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(name, v, values)]));
  }
  return value;
}

function checkShape(name: PolicyName, doc: unknown): asserts doc is PolicyDocumentJson {
  const d = doc as { Version?: unknown; Statement?: unknown };
  if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new Error(`policy ${name} must be a JSON object`);
  if (d.Version !== '2012-10-17') throw new Error(`policy ${name} has Version ${JSON.stringify(d.Version)}; expected "2012-10-17"`);
  if (!Array.isArray(d.Statement) || d.Statement.length === 0) throw new Error(`policy ${name} must have a non-empty Statement array`);
  d.Statement.forEach((s: { Effect?: unknown; Action?: unknown; NotAction?: unknown }, i: number) => {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new Error(`policy ${name} statement ${i} has Effect ${JSON.stringify(s.Effect)}; expected "Allow" or "Deny"`);
    if ((s.Action === undefined) === (s.NotAction === undefined)) throw new Error(`policy ${name} statement ${i} needs exactly one of Action or NotAction`);
  });
}

/**
 * Loads a policy document from policies/ and fills its `{{Name}}` placeholders. Throws, naming the
 * document, when the file is missing or malformed or a placeholder has no value; values the
 * document does not use are ignored, so callers may pass one common set.
 */
export function loadPolicy(name: PolicyName, values: PlaceholderValues = {}): PolicyDocumentJson {
  const doc = substitute(name, readDocument(name), values);
  checkShape(name, doc);
  return doc;
}

/** The size AWS Organizations measures: the characters of the document's minified JSON. */
export function minifiedLength(doc: PolicyDocumentJson): number {
  return JSON.stringify(doc).length;
}

/**
 * IAM path of the roles that run security automation (password policy, detector adoption, the
 * organization's GuardDuty configuration). The permissions boundary lets roles on this path — and only
 * them — make the IAM and GuardDuty changes their identity policy grants; bounded roles cannot create
 * roles, so cannot join the path, and the protect-security-services SCP lets only the deployment
 * roles create or change one.
 */
export const SECURITY_AUTOMATION_ROLE_PATH = '/cdk-hardening/security-automation/';

/** Prefix of the names of security alarms, rules and topics the protect-security-services SCP protects. */
export function securityNamePrefix(stackPrefix: string): string {
  return `${stackPrefix}-security-`;
}

/**
 * The placeholder values of the service control policies, from the configuration. Besides the
 * break-glass role, the SCPs that guard the security pipeline exempt the deployment pipeline's
 * execution role (`pipelineRoleName`): CloudFormation deploys through it, so CI never needs break-glass.
 * In organization mode the organization's GuardDuty configuration is also changed by the security
 * automation roles of the security-tooling account (that account only, that path only).
 */
export function scpValues(config: {
  readonly stackPrefix: string;
  readonly breakGlassRoleName: string;
  readonly pipelineRoleName: string;
  readonly allowedRegions: readonly string[];
  readonly securityToolingAccountId?: string;
}): PlaceholderValues {
  const deployers = [`arn:*:iam::*:role/${config.breakGlassRoleName}`, `arn:*:iam::*:role/${config.pipelineRoleName}`, 'arn:*:iam::*:role/stacksets-exec-*'];
  return {
    GuardDutyOrganizationAdministrators: config.securityToolingAccountId
      ? [...deployers, `arn:*:iam::${config.securityToolingAccountId}:role${SECURITY_AUTOMATION_ROLE_PATH}*`]
      : deployers,
    BreakGlassRoleName: config.breakGlassRoleName,
    PipelineRoleName: config.pipelineRoleName,
    SecurityNamePrefix: securityNamePrefix(config.stackPrefix),
    SecurityBucketPrefix: securityNamePrefix(config.stackPrefix).toLowerCase(),
    AllowedRegions: config.allowedRegions,
  };
}

/**
 * What the permissions boundary needs from the configuration: the stack prefix (the names of the
 * detection pipeline it protects), the deployment pipeline's execution role and break-glass (which
 * bounded roles may neither pass nor assume).
 */
export interface BoundaryRoleNames {
  readonly stackPrefix: string;
  readonly pipelineRoleName: string;
  readonly breakGlassRoleName: string;
}

/** A managed policy (and so a permissions boundary) may hold at most this many characters, whitespace excluded. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The placeholder values of policies/iam/permissions-boundary.json (partition and account may be tokens). */
export function boundaryValues(partition: string, accountId: string, automationRolePath: string, roles: BoundaryRoleNames): PlaceholderValues {
  return {
    Partition: partition,
    AccountId: accountId,
    AutomationRolePath: automationRolePath,
    PipelineRoleName: roles.pipelineRoleName,
    BreakGlassRoleName: roles.breakGlassRoleName,
    SecurityNamePrefix: securityNamePrefix(roles.stackPrefix),
    SecurityBucketPrefix: securityNamePrefix(roles.stackPrefix).toLowerCase(),
    // The app's own roles (`<prefix>-administrators`, ...): no bounded session assumes them (role chaining).
    StackPrefix: roles.stackPrefix,
  };
}

/**
 * Actions AWS's own deny-unless-MFA examples also leave reachable without MFA (reading one's device,
 * changing a password at first sign-in); none of them reaches data.
 */
const DOCUMENTED_EXTRA_EXEMPTIONS = ['iam:GetMFADevice', 'iam:ListUsers', 'iam:ChangePassword', 'iam:GetAccountPasswordPolicy'];

let mfaExemptions: ReadonlySet<string> | undefined;

/**
 * The actions a deny-unless-MFA statement may leave out of its `NotAction` (lower case): the list of
 * policies/iam/require-mfa.json — read once, never copied here — plus the documented extras.
 */
export function mfaSelfServiceExemptions(): ReadonlySet<string> {
  if (!mfaExemptions) {
    const doc = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: '000000000000' });
    const deny = doc.Statement.find((s) => s.Effect === 'Deny' && s.NotAction !== undefined);
    if (!deny) throw new Error('policies/iam/require-mfa.json has no Deny statement with NotAction');
    mfaExemptions = new Set([...[deny.NotAction].flat(), ...DOCUMENTED_EXTRA_EXEMPTIONS].map((a) => String(a).toLowerCase()));
  }
  return mfaExemptions;
}

/**
 * Whether a deny statement's `NotAction` leaves out only MFA self-service, so that it denies
 * everything else without MFA. `NotAction: *` or `s3:*` would deny nothing (or leave the data open).
 */
export function exemptsOnlyMfaSelfService(notAction: readonly unknown[]): boolean {
  const allowed = mfaSelfServiceExemptions();
  return notAction.length > 0 && notAction.every((a) => typeof a === 'string' && allowed.has(a.toLowerCase()));
}

// ---- AWS-owned buckets of the S3 endpoint ------------------------------------------------------

/** The file of the read-only exceptions of the S3 endpoint's data perimeter (relative to policies/). */
export const AWS_OWNED_BUCKETS_FILE = 'vpce/s3-aws-owned-buckets.json';

/** The only actions an exception may admit: reading objects (no documented exception needs ListBucket; none may write). */
const READ_ONLY_ACTIONS = ['s3:GetObject'] as const;

const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const source = z.object({ Title: z.string().min(1), Url: z.string().regex(/^https:\/\/\S+$/, 'must be an https URL') }).strict();
const awsOwnedBucketsSchema = z.object({
  $comment: z.string().optional(),
  Compilation: source,
  Actions: z.array(z.enum(READ_ONLY_ACTIONS)).min(1),
  Groups: z.array(z.object({
    Sid: z.string().regex(/^[A-Za-z0-9]+$/, 'must be letters and digits (a statement Sid)'),
    AdmittedByDefault: z.boolean(),
    Purpose: z.string().min(1),
    Sources: z.array(source).min(1),
    Objects: z.array(z.string()),
    ObjectsInRegion: z.record(z.string().regex(REGION_CODE, 'must be a region code'), z.array(z.string()).min(1)).optional(),
  }).strict()).min(1),
}).strict();

/** One group of AWS-owned buckets: one statement of the S3 endpoint policy, with the documentation naming them. */
export interface AwsOwnedBucketGroup {
  readonly sid: string;
  readonly admittedByDefault: boolean;
  readonly purpose: string;
  readonly sources: readonly { readonly title: string; readonly url: string }[];
  /** `<bucket>/<key pattern>` with `{{Region}}` in the bucket name. */
  readonly objects: readonly string[];
  /** `<bucket>/<key pattern>` per region code, for buckets AWS names per region. */
  readonly objectsInRegion: Readonly<Record<string, readonly string[]>>;
}

export interface AwsOwnedBuckets {
  /** The actions every group admits (read-only). */
  readonly actions: readonly string[];
  readonly compilation: { readonly title: string; readonly url: string };
  readonly groups: readonly AwsOwnedBucketGroup[];
}

/**
 * Checks one `<bucket>/<key pattern>` of the file: a bucket name without wildcards that holds the
 * region (`{{Region}}`, or the region code of its ObjectsInRegion entry), and a key pattern.
 */
function checkObject(where: string, object: string, region: string | undefined): void {
  const slash = object.indexOf('/');
  const bucket = slash < 0 ? object : object.slice(0, slash);
  const fail = (why: string) => { throw new Error(`policies/${AWS_OWNED_BUCKETS_FILE}: ${where}: "${object}" ${why}`); };
  if (slash <= 0 || slash === object.length - 1) fail('must be <bucket>/<key pattern>');
  if (/[*?]/.test(bucket)) fail('has a wildcard in the bucket name: only named AWS-owned buckets may be admitted');
  const rest = bucket.split('{{Region}}').join('');
  if (/\{\{|\}\}/.test(rest) || /\{\{|\}\}/.test(object.slice(slash))) fail('uses a placeholder other than {{Region}} in the bucket name');
  if (region === undefined ? !bucket.includes('{{Region}}') : (!bucket.includes(region) || bucket.includes('{{Region}}'))) {
    fail(`must name the region in the bucket name (${region ?? '{{Region}}'}): exceptions are region-scoped`);
  }
}

let awsOwnedCache: AwsOwnedBuckets | undefined;

/**
 * The AWS-owned buckets the S3 gateway endpoint admits read-only (policies/vpce/s3-aws-owned-buckets.json),
 * validated by {@link parseAwsOwnedBuckets}; read once.
 */
export function awsOwnedBuckets(): AwsOwnedBuckets {
  if (awsOwnedCache) return awsOwnedCache;
  const path = join(policiesRoot(), AWS_OWNED_BUCKETS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`policies/${AWS_OWNED_BUCKETS_FILE} cannot be read as JSON (${path}): ${(e as Error).message}`);
  }
  awsOwnedCache = parseAwsOwnedBuckets(raw);
  return awsOwnedCache;
}

/**
 * Validates the content of policies/vpce/s3-aws-owned-buckets.json: read-only actions, named
 * region-scoped buckets, unique Sids, a documentation source for each group. Throws, naming the file
 * and what is wrong, otherwise.
 */
export function parseAwsOwnedBuckets(raw: unknown): AwsOwnedBuckets {
  const parsed = awsOwnedBucketsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`policies/${AWS_OWNED_BUCKETS_FILE} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const seen = new Set<string>();
  const groups = parsed.data.Groups.map((g): AwsOwnedBucketGroup => {
    if (seen.has(g.Sid)) throw new Error(`policies/${AWS_OWNED_BUCKETS_FILE}: group ${g.Sid} appears twice`);
    seen.add(g.Sid);
    if (g.Objects.length === 0 && Object.keys(g.ObjectsInRegion ?? {}).length === 0) throw new Error(`policies/${AWS_OWNED_BUCKETS_FILE}: group ${g.Sid} names no bucket`);
    for (const o of g.Objects) checkObject(`group ${g.Sid}`, o, undefined);
    for (const [region, list] of Object.entries(g.ObjectsInRegion ?? {})) for (const o of list) checkObject(`group ${g.Sid} in ${region}`, o, region);
    return {
      sid: g.Sid, admittedByDefault: g.AdmittedByDefault, purpose: g.Purpose,
      sources: g.Sources.map((s) => ({ title: s.Title, url: s.Url })),
      objects: g.Objects, objectsInRegion: g.ObjectsInRegion ?? {},
    };
  });
  return { actions: parsed.data.Actions, compilation: { title: parsed.data.Compilation.Title, url: parsed.data.Compilation.Url }, groups };
}

/**
 * The object ARN patterns a group admits in a region. `region` may be a CDK token (an
 * environment-agnostic stack): the per-region names are then left out (`regionKnown` false).
 */
export function awsOwnedObjectArns(group: AwsOwnedBucketGroup, partition: string, region: string, regionKnown = true): string[] {
  const objects = [...group.objects.map((o) => o.split('{{Region}}').join(region)), ...(regionKnown ? group.objectsInRegion[region] ?? [] : [])];
  return objects.map((o) => `arn:${partition}:s3:::${o}`);
}

/**
 * Whether a Resource pattern of a policy names only objects of AWS-owned buckets of the region (of any
 * group of the file): it equals one of their patterns, or lies inside one (`<bucket>/<prefix>*`
 * contains every pattern that starts with `<bucket>/<prefix>`). Anything else - another bucket, another
 * region's, a bucket ARN, a wildcard in the bucket name - does not.
 */
export function isAwsOwnedObjectPattern(resource: string, partition: string, region: string): boolean {
  return awsOwnedBuckets().groups.some((g) => awsOwnedObjectArns(g, partition, region).some((admitted) => {
    if (resource === admitted) return true;
    const prefix = admitted.slice(0, -1);
    return admitted.endsWith('*') && !/[*?]/.test(prefix) && resource.startsWith(prefix);
  }));
}
