import { Command, Option } from 'commander';
import { auditSettingsFromConfig } from '../audit/config-settings';
import { isKnownRegion } from '../audit/known-regions';
import { organizationAuditConfig } from '../audit/organization/config';
import { ConfigError, ConfigFileError, HardeningConfig, configSchema, parseConfig, readConfigFile } from '../config';
import type { AuditOptions, AuditResult } from '../audit/run';
import { DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CHECK_SETTINGS } from '../audit/types';
import { FailOn, exitCodeFor } from '../findings';
import { renderFindings } from '../report/render';
import { ReportFormat } from '../report/types';
import type { RegisterCommand } from './commands';
import { TOOL_VERSION, withCommonOptions } from './common';
import { CliIO, UsageError, writeOutput } from './io';

interface AuditFlags {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  readonly regions?: string;
  readonly profile?: string;
  readonly roleArn: string[];
  readonly organizationRole?: string;
  readonly externalId?: string;
  readonly endpointUrl?: string;
  readonly concurrency: string;
  readonly triageHours: string;
  readonly checks?: string;
  readonly config?: string;
  readonly breakGlassUsers?: string;
  readonly keyAdministrators?: string;
  readonly mfaRecentDays?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const PROFILE = /^[\w+=,.@:/-]{1,128}$/;

const append = (value: string, previous: string[]): string[] => [...previous, value];

const partitionOfRegion = (r: string): string => (r.startsWith('us-gov-') ? 'aws-us-gov' : r.startsWith('cn-') ? 'aws-cn' : 'aws');
const HOME_REGION: Record<string, string> = { 'aws': 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' };

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} '${value}' must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/**
 * A flag that overrides a configuration key, checked by that key's own schema (one definition of what
 * is valid): a bad value is a usage error naming the flag.
 */
function overrideOf<K extends 'breakGlassUsers' | 'keyAdministratorArns' | 'mfaRecentDays'>(flag: string, key: K, value: string | undefined): HardeningConfig[K] | undefined {
  if (value === undefined) return undefined;
  if (key !== 'mfaRecentDays' && value.split(',').some((x, _, all) => x.trim() === '' && all.length > 1)) {
    throw new UsageError(`${flag} '${value}' must be a comma-separated list`);
  }
  const r = configSchema.shape[key].safeParse(key === 'mfaRecentDays' ? value.trim() : value);
  if (!r.success) throw new UsageError(`${flag} '${value}': ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data as HardeningConfig[K];
}

/** The configuration the audit compares against: --config, else ./cdk.json when present, else the defaults. */
export function auditConfig(file: string | undefined, cwd: string): HardeningConfig {
  try {
    return readConfigFile(file, cwd).config;
  } catch (e) {
    if (e instanceof ConfigFileError) throw new UsageError(e.message);
    if (e instanceof ConfigError) {
      throw new UsageError(`${file ? `--config ${file}` : `${cwd}/cdk.json`}: invalid configuration: ${e.problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
    }
    throw e;
  }
}

/**
 * Turns the flags into audit options; every bad value is a usage error naming the flag and the value.
 * `config` (cdk.json's hardening: keys) supplies what the stacks deployed; --break-glass-users,
 * --key-administrators and --mfa-recent-days override its keys.
 */
export function auditOptionsFromFlags(f: AuditFlags, config: HardeningConfig = parseConfig({})): AuditOptions {
  let regions: string[] | undefined;
  if (f.regions !== undefined) {
    regions = [...new Set(f.regions.split(',').map((r) => r.trim()))];
    if (regions.length === 0 || regions.some((r) => r === '')) throw new UsageError(`--regions '${f.regions}' must be a comma-separated list of region names`);
    const unknown = regions.filter((r) => !isKnownRegion(r));
    if (unknown.length > 0) throw new UsageError(`--regions: unknown region${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `'${r}'`).join(', ')}`);
    const partitions = new Set(regions.map(partitionOfRegion));
    if (partitions.size > 1) throw new UsageError(`--regions '${f.regions}' mixes partitions (${[...partitions].join(', ')}); one set of credentials reaches one partition`);
  }
  for (const arn of f.roleArn) {
    if (!ROLE_ARN.test(arn)) throw new UsageError(`--role-arn '${arn}' is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)`);
  }
  if (f.organizationRole !== undefined) {
    if (!ROLE_NAME.test(f.organizationRole)) throw new UsageError(`--organization-role '${f.organizationRole}' is not an IAM role name`);
    if (f.roleArn.length > 0) throw new UsageError('--organization-role and --role-arn cannot be combined: choose the accounts one way');
  }
  // Organization mode (hardening:deploymentMode 'organization' in the configuration): every account of the
  // organization through the configured audit role, and the organization-level checks against the same
  // configuration the organization stacks were deployed from.
  let organization: AuditOptions['organization'];
  let organizationRole = f.organizationRole;
  if (config.deploymentMode === 'organization') {
    const { auditRoleName, ...compared } = organizationAuditConfig(config);
    if (f.roleArn.length > 0) throw new UsageError('the configuration is in organization mode (hardening:deploymentMode): the audit reads every account through hardening:auditRoleName, so --role-arn does not apply');
    if (organizationRole !== undefined && organizationRole !== auditRoleName) {
      throw new UsageError(`--organization-role '${organizationRole}' is not the configured hardening:auditRoleName '${auditRoleName}'`);
    }
    organizationRole = auditRoleName;
    organization = compared;
  }
  if (f.externalId !== undefined) {
    if (!EXTERNAL_ID.test(f.externalId)) throw new UsageError(`--external-id '${f.externalId}' must be 2-1224 characters of letters, digits and +=,.@:/-`);
    if (f.roleArn.length === 0 && organizationRole === undefined) throw new UsageError('--external-id needs --role-arn, --organization-role or an organization-mode --config');
  }
  if (f.profile !== undefined && !PROFILE.test(f.profile)) throw new UsageError(`--profile '${f.profile}' is not a profile name`);
  let endpoint: string | undefined;
  if (f.endpointUrl !== undefined) {
    let u: URL;
    try {
      u = new URL(f.endpointUrl);
    } catch {
      throw new UsageError(`--endpoint-url '${f.endpointUrl}' is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--endpoint-url '${f.endpointUrl}' must be an http or https URL`);
    endpoint = f.endpointUrl;
  }
  const concurrency = integer('--concurrency', f.concurrency, 1, 64);
  const triageHours = integer('--triage-hours', f.triageHours, 1, 8760);
  const fromConfig = auditSettingsFromConfig(config);
  const breakGlassUsers = overrideOf('--break-glass-users', 'breakGlassUsers', f.breakGlassUsers);
  const keyAdministrators = overrideOf('--key-administrators', 'keyAdministratorArns', f.keyAdministrators);
  const mfaRecentDays = overrideOf('--mfa-recent-days', 'mfaRecentDays', f.mfaRecentDays);
  return {
    regions,
    roleArns: f.roleArn,
    organizationRole,
    ...(organization ? { organization } : {}),
    externalId: f.externalId,
    concurrency,
    logging: fromConfig.logging,
    recovery: fromConfig.recovery,
    drift: fromConfig.drift,
    thresholds: {
      ...fromConfig.thresholds,
      triageHours,
      ...(breakGlassUsers !== undefined ? { breakGlassUsers } : {}),
      ...(keyAdministrators !== undefined ? { keyAdministrators } : {}),
      ...(mfaRecentDays !== undefined ? { mfaRecentDays } : {}),
    },
    // IAM, STS, Organizations and Account answer in the partition's home region.
    clients: { profile: f.profile, endpoint, homeRegion: regions ? HOME_REGION[partitionOfRegion(regions[0])] : undefined },
  };
}

/**
 * The check ids `--checks` selects: each item is a check id or a control id (all its checks); an
 * unknown item is a usage error naming it. Undefined when the flag is absent (every check).
 */
export function selectChecks(list: string | undefined, checks: readonly { id: string; controlId: string }[]): Set<string> | undefined {
  if (list === undefined) return undefined;
  const items = list.split(',').map((x) => x.trim());
  if (items.some((x) => x === '')) throw new UsageError(`--checks '${list}' must be a comma-separated list of check or control ids`);
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const item of items) {
    const hit = checks.filter((c) => c.id === item || c.controlId === item);
    if (hit.length === 0) unknown.push(item);
    for (const c of hit) out.add(c.id);
  }
  if (unknown.length) throw new UsageError(`--checks: unknown check or control ${unknown.map((u) => `'${u}'`).join(', ')} (see cdk-hardening lessons, or docs/audit.md)`);
  return out;
}

/** The SDK found no credentials at all: nothing was audited, and that is a usage problem, not evidence. */
function missingCredentials(result: AuditResult): string | undefined {
  if (result.accounts.length !== 1) return undefined;
  const r = result.accounts[0].snapshot.regions;
  if (r.ok || r.failure.action !== 'sts:GetCallerIdentity' || r.failure.code !== 'CredentialsProviderError') return undefined;
  return r.failure.message;
}

function progress(io: CliIO): AuditOptions['onProgress'] {
  if (!io.stderrIsTTY) return undefined;
  return (done, total, account) => {
    io.stderr(`\raudited ${done}/${total} account${total > 1 ? 's' : ''} (last: ${account})${done === total ? '\n' : ''}`);
  };
}

/**
 * `cdk-hardening audit`: collects a snapshot of each live account (IAM credential report, account
 * summary, password policy, MFA devices, authorization details; GuardDuty per region), runs the pure
 * checks over it and renders the findings. Any check that could not be evaluated makes the exit code 3.
 */
export const registerAudit: RegisterCommand = (program: Command, io, setExitCode) => {
  withCommonOptions(
    program.command('audit')
      .description('audit live AWS accounts: root and user MFA, access keys, password policy, GuardDuty coverage and triage')
      .addOption(new Option('--regions <list>', 'comma-separated regions to audit (default: the account\'s enabled regions)'))
      .addOption(new Option('--profile <name>', 'shared-config profile for the credentials'))
      .addOption(new Option('--role-arn <arn>', 'assume this role and audit its account (repeatable)').argParser(append).default([]))
      .addOption(new Option('--organization-role <name>', 'assume this role name in every active account of the organization (organization mode: hardening:auditRoleName)'))
      .addOption(new Option('--external-id <id>', 'external id for the assumed roles'))
      .addOption(new Option('--endpoint-url <url>', 'send every API call to this endpoint (private or test endpoints)'))
      .addOption(new Option('--concurrency <n>', 'accounts audited at once').default(String(DEFAULT_ACCOUNT_CONCURRENCY)))
      .addOption(new Option('--checks <list>', 'run only these checks: comma-separated check ids or control ids (default: every check)'))
      .addOption(new Option('--triage-hours <n>', 'a GuardDuty finding of severity >= 7 must be archived within this many hours').default(String(DEFAULT_CHECK_SETTINGS.triageHours)))
      .addOption(new Option('--config <cdk.json>', 'the cdk.json whose hardening: keys the stacks were built with (default: ./cdk.json, else the defaults); in organization mode every account is audited through hardening:auditRoleName and the organization checks run'))
      .addOption(new Option('--break-glass-users <names>', 'comma-separated IAM users allowed a password or access keys (overrides hardening:breakGlassUsers; \'\' for none)'))
      .addOption(new Option('--key-administrators <arns>', 'comma-separated principal ARNs allowed to change key policies (overrides hardening:keyAdministratorArns; \'\' for the account root)'))
      .addOption(new Option('--mfa-recent-days <n>', `an MFA device enabled within this many days is reported, 1-365 (overrides hardening:mfaRecentDays, default ${DEFAULT_CHECK_SETTINGS.mfaRecentDays})`)),
  ).action(async (flags: AuditFlags) => {
    const options = auditOptionsFromFlags(flags, auditConfig(flags.config, process.cwd()));
    // The AWS SDK is loaded when an audit runs, not at start-up of every command.
    const { runAudit } = await import('../audit/run');
    const { AUDIT_CHECKS } = await import('../audit/checks');
    const { ORGANIZATION_CHECKS } = await import('../audit/checks/organization');
    const selected = selectChecks(flags.checks, [...AUDIT_CHECKS, ...ORGANIZATION_CHECKS].map((c) => ({ id: c.id, controlId: c.controlId })));
    const result = await runAudit({ ...options, now: () => io.now(), onProgress: progress(io) });
    const noCredentials = missingCredentials(result);
    if (noCredentials) {
      throw new UsageError(flags.profile !== undefined
        ? `--profile '${flags.profile}': no usable credentials (${noCredentials})`
        : `no AWS credentials found (${noCredentials}); use --profile, AWS_PROFILE or the AWS_ACCESS_KEY_ID variables`);
    }
    // Only the selected checks' findings: every one of them is still reported, PASS, FAIL or ERROR.
    const findings = selected ? result.findings.filter((f) => selected.has(f.ruleId)) : result.findings;
    let doc: string;
    try {
      doc = renderFindings(flags.format, findings, { title: 'cdk-hardening audit', generatedAt: io.now(), toolVersion: TOOL_VERSION });
    } catch (e) {
      throw new UsageError(`--format ${flags.format}: ${(e as Error).message}`);
    }
    writeOutput(io, flags.out, doc);
    setExitCode(exitCodeFor(findings, flags.failOn));
  });
};
