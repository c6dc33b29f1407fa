import { z } from 'zod';
import { alertEmailProblem } from './alert-emails';
import { DEFAULTS, LIMITS } from './defaults';
import { RCP_NAMES, SCP_NAMES } from '../policies';

/**
 * Context given with `cdk synth -c key=value` arrives as a string. These wrappers accept the
 * string form of numbers, booleans and lists, and leave anything else for the schema to reject.
 */
function fromCli(kind: 'number' | 'boolean' | 'list' | 'json') {
  return (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : v;
    if (kind === 'boolean') return s === 'true' ? true : s === 'false' ? false : v;
    if (s.startsWith('[') || s.startsWith('{')) {
      try { return JSON.parse(s); } catch { return v; }
    }
    return kind === 'list' ? (s === '' ? [] : s.split(',').map((x) => x.trim())) : v;
  };
}

const int = (min: number, max: number) => z.preprocess(fromCli('number'), z.number().int().min(min).max(max));
const bool = () => z.preprocess(fromCli('boolean'), z.boolean());
const list = <T extends z.ZodTypeAny>(item: T) => z.preprocess(fromCli('list'), z.array(item));

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const region = () => z.string().regex(REGION, 'must be an AWS region name such as us-east-1');
const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME = /^[a-z][a-z0-9-]{1,30}$/;

export const GROUP_NAMES = ['administrators', 'operators', 'auditors'] as const;

/** The two deployment modes: today's stacks in one account, or the organization layout with StackSets. */
export const DEPLOYMENT_MODES = ['account', 'organization'] as const;

/** The service control policies by the name `scpTargets` uses: their file name under policies/scp/. */
export const SCP_SHORT_NAMES = SCP_NAMES.map((n) => n.slice('scp/'.length)) as [string, ...string[]];
/** The resource control policies by the name `rcpTargets` uses: their file name under policies/rcp/. */
export const RCP_SHORT_NAMES = RCP_NAMES.map((n) => n.slice('rcp/'.length)) as [string, ...string[]];

const ACCOUNT_ID = /^\d{12}$/;
const accountId = () => z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'));
/** An IAM role name without a path. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** An AWS Organizations id. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/**
 * The auditor role of `auditorRoleName` (and OrganizationAuditRole): a role name of at most 64 characters
 * with an optional path and `*` wildcards; the name holds at least one character that is not `*`.
 */
export const AUDITOR_ROLE_NAME = /^(?:[\w+=,.@*-]+\/)*(?=[\w+=,.@*-]*[\w+=,.@-])[\w+=,.@*-]{1,64}$/;
/** An organization root (`r-…`) or organizational unit (`ou-…`), the targets StackSets accept. */
export const ORGANIZATION_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** What a service control policy can be attached to: a root, an organizational unit or an account. */
const POLICY_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

export const dataClassSchema = z.object({
  name: z.string().regex(NAME, 'must be lowercase letters, digits and hyphens, 2-31 characters, starting with a letter'),
  table: bool().default(true),
  objectLock: bool().default(false),
}).strict();

/**
 * The longest stack prefix whose derived names all fit AWS's limits; test/config/stack-prefix-limit
 * synthesizes the app at this length, so a longer derived name added later fails that test.
 */
export const MAX_STACK_PREFIX_LENGTH = 27;

/** The schema of every `hardening:` key, without the prefix. `describe` texts feed docs/configuration.md. */
export const configSchema = z.object({
  stackPrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be letters and digits, starting with a letter')
    .max(MAX_STACK_PREFIX_LENGTH, `must be at most ${MAX_STACK_PREFIX_LENGTH} characters: the names built from it must fit AWS's limits (the longest, <prefix>-security-console-sign-in-without-mfa, is an EventBridge rule name of at most 64)`)
    .default(DEFAULTS.stackPrefix)
    .describe(`prefix of every stack name and of the security resource names (at most ${MAX_STACK_PREFIX_LENGTH} characters)`),
  account: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id')).optional()
    .describe('target account id; omit for environment-agnostic stacks'),
  region: region().default(DEFAULTS.region).describe('target region'),
  availabilityZones: list(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/, 'must be an availability zone name such as us-east-1a')).optional()
    .describe('explicit availability zones (2 or 3); no account lookup is made. Default: <region>a, <region>b'),
  vpcCidr: z.string().regex(CIDR4, 'must be an IPv4 CIDR such as 10.40.0.0/16').default(DEFAULTS.vpcCidr)
    .describe('VPC IPv4 CIDR, /16 to /24'),
  publicSubnetMask: int(16, 28).default(DEFAULTS.publicSubnetMask).describe('prefix length of each public subnet (load balancers and NAT only)'),
  appSubnetMask: int(16, 28).default(DEFAULTS.appSubnetMask).describe('prefix length of each private application subnet'),
  dataSubnetMask: int(16, 28).default(DEFAULTS.dataSubnetMask).describe('prefix length of each isolated data subnet'),
  natGateways: int(1, 3).default(DEFAULTS.natGateways).describe('NAT gateways for the application tier (1 to the number of AZs)'),
  databasePorts: list(z.preprocess(fromCli('number'), z.number().int().min(1).max(65535))).default([...DEFAULTS.databasePorts])
    .describe('TCP ports the data tier admits from the application tier; 22 and 3389 are refused'),
  organizationId: z.string().regex(ORGANIZATION_ID, 'must be an AWS Organizations id such as o-a1b2c3d4e5').optional()
    .describe('limits endpoint policies to this organization; default: the own account'),
  alertEmails: list(z.string().regex(EMAIL, 'must be an e-mail address')
    .superRefine((e, ctx) => { const p = EMAIL.test(e) ? alertEmailProblem(e) : undefined; if (p) ctx.addIssue({ code: 'custom', message: p }); })).optional()
    .describe('addresses subscribed to the encrypted alert topics (at least one; none at a reserved domain such as example.com). '
      + 'Unset: every alerting stack takes a CloudFormation parameter AlertEmail (no default), so the address is given at deploy time'),
  logRetentionDays: int(1, 3653).default(DEFAULTS.logRetentionDays)
    .describe(`minimum days every log group keeps events (>= ${LIMITS.minLogRetentionDays}); rounded up to the next period CloudWatch Logs accepts (1095 -> 1096)`),
  archiveObjectLockDays: int(1, 36500).default(DEFAULTS.archiveObjectLockDays)
    .describe(`object-lock (compliance mode) default retention of the CloudTrail archive, days (>= ${LIMITS.minArchiveObjectLockDays})`),
  dataClasses: z.preprocess(fromCli('json'), z.array(dataClassSchema)).default(DEFAULTS.dataClasses.map((d) => ({ ...d })))
    .describe('data classes; each gets a PII bucket and, with "table": true, a PII table. Fields: name, table, objectLock'),
  noncurrentVersionExpirationDays: int(1, 36500).default(DEFAULTS.noncurrentVersionExpirationDays)
    .describe(`days after which noncurrent versions of PII objects expire (<= ${LIMITS.maxNoncurrentVersionExpirationDays}, GLBA 314.4(c)(6))`),
  groups: list(z.enum(GROUP_NAMES)).default([...DEFAULTS.groups]).describe('IAM groups to create, each with require-mfa attached'),
  mfaMaxAgeSeconds: int(60, 43200).default(DEFAULTS.mfaMaxAgeSeconds).describe('maximum aws:MultiFactorAuthAge for assuming a human role'),
  roleMaxSessionSeconds: int(900, 43200).default(DEFAULTS.roleMaxSessionSeconds).describe(`maximum session of human roles (<= ${LIMITS.maxSessionSeconds})`),
  passwordMaxAgeDays: int(1, 1095).default(DEFAULTS.passwordMaxAgeDays).describe('account password policy: maximum password age'),
  breakGlassRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name').default(DEFAULTS.breakGlassRoleName)
    .describe('the one role the service control policies exempt'),
  pipelineRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name').default(DEFAULTS.pipelineRoleName)
    .describe('the deployment pipeline\'s CloudFormation execution role: the SCPs exempt it beside break-glass, the key policies name it as key administrator'),
  cdkQualifier: z.string().regex(/^[a-z0-9]{1,10}$/, 'must be 1-10 lowercase letters and digits').default(DEFAULTS.cdkQualifier)
    .describe('qualifier of the CDK bootstrap resources the stacks deploy through'),
  pipelinePrincipalArns: list(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, 'must be an IAM role ARN')).default([...DEFAULTS.pipelinePrincipalArns])
    .describe('the CI roles the hardened bootstrap\'s deploy and publishing roles trust (none: the bootstrap template refuses to build)'),
  dataAccessPrincipalArns: list(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/*-]+$/, 'must be an IAM role ARN (a * wildcard is allowed in the name)')).default([...DEFAULTS.dataAccessPrincipalArns])
    .describe('roles that may use the PII keys through S3 and DynamoDB; nobody else can decrypt the data'),
  backupCopyAccountVaultArn: z.string().regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[a-zA-Z0-9_-]{2,50}$/, 'must be a backup vault ARN').optional()
    .describe('also copy every backup to this (locked) vault of another account'),
  allowedRegions: list(region()).optional().describe('regions the region-guard SCP allows; default: the target region'),
  identityCenterInstanceArn: z.string().regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'must be an IAM Identity Center instance ARN').optional()
    .describe('creates permission sets (sessions <= 1 hour) in this Identity Center instance'),
  adoptExistingDetector: bool().default(DEFAULTS.adoptExistingDetector)
    .describe('adopt the GuardDuty detector that already exists in the account/region instead of creating one'),
  adoptExistingAccessAnalyzer: bool().default(DEFAULTS.adoptExistingAccessAnalyzer)
    .describe('adopt the account-level IAM Access Analyzer that already exists in the account/region instead of creating one'),
  securityHub: bool().default(DEFAULTS.securityHub).describe('enable Security Hub with the FSBP and CIS v5.0.0 standards'),
  adoptExistingSecurityHub: bool().default(DEFAULTS.adoptExistingSecurityHub)
    .describe('adopt the Security Hub already enabled in the account/region (enabling the standards on it) instead of creating one'),
  backupDailyRetentionDays: int(1, 36500).default(DEFAULTS.backupDailyRetentionDays).describe('retention of daily backups'),
  backupMonthlyRetentionDays: int(1, 36500).default(DEFAULTS.backupMonthlyRetentionDays).describe('retention of monthly backups'),
  backupCopyRegion: region().optional().describe('copy every backup to a vault in this second region'),
  vaultLockMinRetentionDays: int(1, 36500).default(DEFAULTS.vaultLockMinRetentionDays).describe('vault lock: minimum retention'),
  vaultLockMaxRetentionDays: int(1, 36500).default(DEFAULTS.vaultLockMaxRetentionDays).describe('vault lock: maximum retention'),
  vaultLockChangeableForDays: int(LIMITS.minVaultLockChangeableForDays, 36500).default(DEFAULTS.vaultLockChangeableForDays)
    .describe('vault lock: grace days before compliance mode becomes immutable (>= 3)'),
  deploymentMode: z.enum(DEPLOYMENT_MODES).default(DEFAULTS.deploymentMode)
    .describe("'account' (the hardened stacks in one account) or 'organization' (log-archive, management and security-tooling stacks, and StackSets that roll the baseline into every account of baselineTargets; docs/organization.md)"),
  managementAccountId: accountId().optional()
    .describe('organization mode (required): the management account, where the SCPs, the organization setup and the organization trail live'),
  securityToolingAccountId: accountId().optional()
    .describe('organization mode (required): the security-tooling account, delegated administrator of GuardDuty, StackSets and Access Analyzer; not the management account'),
  logArchiveAccountId: accountId().optional()
    .describe('organization mode (required): the log-archive account holding the organization trail\'s object-locked archive; not the management account'),
  governedRegions: list(region()).optional()
    .describe('organization mode: the regions GuardDuty, the tooling stacks and the regional baseline cover (a subset of allowedRegions, including region). Default: [region]'),
  baselineTargets: list(z.string().regex(ORGANIZATION_TARGET, 'must be an organization root (r-...) or organizational unit (ou-...-...) id')).optional()
    .describe('organization mode (required): the roots or OUs whose accounts (and new accounts) get the baseline StackSets'),
  baselineExcludeAccounts: list(accountId()).optional()
    .describe('organization mode: accounts of baselineTargets that get no baseline (StackSet account filter DIFFERENCE). Default: none'),
  scpTargets: z.preprocess(fromCli('json'), z.partialRecord(z.enum(SCP_SHORT_NAMES), list(z.string().regex(POLICY_TARGET, 'must be a root (r-...), organizational unit (ou-...-...) or 12-digit account id')))).optional()
    .describe(`organization mode (required): per service control policy of policies/scp (${SCP_SHORT_NAMES.join(', ')}), the roots, OUs or accounts it is attached to; {} attaches none`),
  rcpTargets: z.preprocess(fromCli('json'), z.partialRecord(z.enum(RCP_SHORT_NAMES), list(z.string().regex(POLICY_TARGET, 'must be a root (r-...), organizational unit (ou-...-...) or 12-digit account id')))).optional()
    .describe(`organization mode: per resource control policy of policies/rcp (${RCP_SHORT_NAMES.join(', ')}), the roots, OUs or accounts it is attached to: the data perimeter, where only the organization's principals, and AWS services acting for it, reach its S3 buckets, KMS keys, SQS queues, secrets and roles, over TLS. Default: none (test cross-organization integrations first; docs/organization.md)`),
  stackSetMaxConcurrentPercentage: int(1, 100).default(DEFAULTS.stackSetMaxConcurrentPercentage)
    .describe('organization mode: the share of accounts a baseline StackSet operation deploys to at once, percent'),
  stackSetFailureTolerancePercentage: int(0, 100).default(DEFAULTS.stackSetFailureTolerancePercentage)
    .describe('organization mode: the share of accounts per region a baseline StackSet operation may fail in before it stops, percent'),
  stackSetRegionConcurrency: z.enum(['SEQUENTIAL', 'PARALLEL']).default(DEFAULTS.stackSetRegionConcurrency)
    .describe("organization mode: 'SEQUENTIAL' (one governed region after the other, so a bad change stops in the first) or 'PARALLEL'"),
  auditRoleName: z.string().regex(ROLE_NAME, 'must be a valid IAM role name').default(DEFAULTS.auditRoleName)
    .describe('organization mode: the read-only role in every account (and the management account) that the audit assumes from the security-tooling account'),
  auditorRoleName: z.string().max(512, 'must be at most 512 characters (path and name)')
    .regex(AUDITOR_ROLE_NAME, 'must be an IAM role name, with an optional path (a/b/Name) and * for a generated part such as AWSReservedSSO_Audit_*; not only *')
    .default(DEFAULTS.auditorRoleName)
    .describe('organization mode: the role of the security-tooling account the audit runs as (path and name; * matches a generated part such as IAM Identity Center\'s AWSReservedSSO_<set>_<hash>): the only principal the audit role of every account trusts, within the organization'),
  breakGlassUsers: list(z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name')).default([...DEFAULTS.breakGlassUsers])
    .describe('audit: IAM users allowed a console password or access keys (deliberate break-glass users); every other user with one is an IAM-NOUSERS FAIL'),
  keyAdministratorArns: list(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|(user|role)\/[\w+=,.@\/-]{1,512})$/, 'must be an IAM root, user or role ARN')).default([...DEFAULTS.keyAdministratorArns])
    .describe('audit: principals allowed to change the hardened keys\' policies (kms:PutKeyPolicy); none: the account root (DATA-KEYPOLICY)'),
  mfaRecentDays: int(1, 365).default(DEFAULTS.mfaRecentDays)
    .describe('audit: an MFA device enabled within this many days is reported for review (IAM-MFA)'),
  failOn: z.enum(['error', 'warning']).default(DEFAULTS.failOn)
    .describe("the BreachLessons finding level that fails synthesis: 'warning' (every FAIL) or 'error' (warning-level FAILs are reported and kept in the evidence, but pass); check --fail-on has the same default"),
}).strict();

export type ParsedConfig = z.infer<typeof configSchema>;
