import { Finding } from '../findings';
import { evaluateSnapshot } from './checks';
import { evaluateOrganization } from './checks/organization';
import { AuditClients, ClientSettings } from './clients';
import { CallerIdentity, assumeRole, callerIdentity, collectOrganization, listOrganizationAccounts, partitionOf } from './collect-account';
import { DEFAULT_RECOVERY_SETTINGS, RecoverySettings } from './backup-types';
import { collectAccountRegion, collectS3PublicAccessBlock } from './collect-account-settings';
import { collectBackupRegion } from './collect-backup';
import { collectDriftRegion } from './collect-drift';
import { DEFAULT_DRIFT_POLLING, DEFAULT_DRIFT_SETTINGS, DriftPolling, DriftSettings } from './drift-types';
import { collectGuardDutyRegion } from './collect-guardduty';
import { collectKmsRegion } from './collect-kms';
import { collectLoggingRegion } from './collect-logging';
import { DEFAULT_REPORT_POLLING, ReportPolling, collectIam } from './collect-iam';
import { assumeRoleDeniedHint } from './organization/auditor';
import { collectOrganizationSnapshot } from './organization/collect';
import { OrganizationAuditConfig, OrganizationSnapshot, failedOrganizationSnapshot } from './organization/types';
import { mapLimit } from './pool';
import { collectEnabledRegions } from './regions';
import { DEFAULT_LOGGING_SETTINGS, LoggingSettings } from './logging-types';
import { AccountSnapshot, ApiFailure, CheckSettings, Collected, DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_CHECK_SETTINGS, failed, ok } from './types';

export interface AuditOptions {
  /** Regions to audit; default: each account's enabled regions. */
  readonly regions?: readonly string[];
  /** Roles to assume, one account each. */
  readonly roleArns?: readonly string[];
  /** Assume this role name in every ACTIVE account of the organization. */
  readonly organizationRole?: string;
  readonly externalId?: string;
  /** Accounts audited at once. Default DEFAULT_ACCOUNT_CONCURRENCY. */
  readonly concurrency?: number;
  /** Regions of one account collected at once. Default 8. */
  readonly regionConcurrency?: number;
  readonly clients?: ClientSettings;
  /** Credential-report polling; tests inject `sleep`. */
  readonly polling?: Partial<ReportPolling>;
  readonly thresholds?: Partial<Omit<CheckSettings, 'now'>>;
  /** The detection path's names and thresholds (LOG-TRAIL, LOG-ALARMS, IR-ROUTING); default DEFAULT_LOGGING_SETTINGS. */
  readonly logging?: Partial<LoggingSettings>;
  /** The recovery path's vault, regions and lock bounds (BAK-VAULTLOCK); default DEFAULT_RECOVERY_SETTINGS. */
  readonly recovery?: Partial<RecoverySettings>;
  /** Which stacks are the hardened environment's (drift); default DEFAULT_DRIFT_SETTINGS. */
  readonly drift?: Partial<DriftSettings>;
  /** How long a stack's drift detection is waited for; tests inject `sleep`. */
  readonly driftPolling?: Partial<DriftPolling>;
  readonly now?: () => Date;
  /**
   * Organization mode (issue 13): the configuration the organization-level checks compare with. With it,
   * the audit also collects the organization's snapshot from the caller's credentials (the
   * security-tooling account) and runs ORGANIZATION_CHECKS once, over it and every account's snapshot.
   */
  readonly organization?: OrganizationAuditConfig;
  /** Called after each account; the CLI shows it on a terminal. */
  readonly onProgress?: (done: number, total: number, account: string) => void;
}

export interface AccountAudit {
  readonly account: string;
  /** The role assumed, if any. */
  readonly roleArn?: string;
  readonly snapshot: AccountSnapshot;
  readonly findings: Finding[];
}

export interface AuditResult {
  readonly accounts: AccountAudit[];
  /** In organization mode: the organization's snapshot and the organization-level findings. */
  readonly organization?: { readonly snapshot: OrganizationSnapshot; readonly findings: Finding[] };
  /** Every account's findings, in account order, then the organization-level ones. */
  readonly findings: Finding[];
}

interface Target {
  readonly account: string;
  readonly partition: string;
  readonly roleArn?: string;
  /** Why the account cannot be audited at all (every check reports ERROR naming it). */
  readonly failure?: ApiFailure;
}

/** A snapshot where every collection failed for the same reason: every check yields ERROR. */
export function failedSnapshot(account: string, partition: string, failure: ApiFailure, collectedAt: Date): AccountSnapshot {
  const f = failed(failure);
  return {
    account, partition, collectedAt: collectedAt.toISOString(),
    iam: { credentialReport: f, accountSummary: f, passwordPolicy: f, virtualMfaDevices: f, authorization: f, privilegedMfaDevices: f },
    organization: f, regions: f, guardduty: [],
    s3PublicAccessBlock: f,
  };
}

/** Collects one account's snapshot: IAM once, Organizations once, GuardDuty per region. */
export async function collectAccount(
  clients: AuditClients,
  account: string,
  partition: string,
  options: Pick<AuditOptions, 'regions' | 'regionConcurrency' | 'polling' | 'now' | 'logging' | 'recovery' | 'drift' | 'driftPolling'> = {},
): Promise<AccountSnapshot> {
  const now = options.now ?? (() => new Date());
  const collectedAt = now();
  const polling: ReportPolling = { ...DEFAULT_REPORT_POLLING, now, ...options.polling };
  const iamP = collectIam(clients.iam(), polling, account);
  const s3PublicAccessBlockP = collectS3PublicAccessBlock(clients.s3control(), account);
  const [organization, regions] = await Promise.all([
    collectOrganization(clients.organizations()),
    options.regions ? Promise.resolve(ok([...options.regions])) : collectEnabledRegions(clients.account()),
  ]);
  const inOrganization = organization.ok && organization.value !== null;
  const recovery = { ...DEFAULT_RECOVERY_SETTINGS, ...options.recovery };
  // Drift detection runs for a while in CloudFormation: started first, waited for last.
  const driftSettings = { ...DEFAULT_DRIFT_SETTINGS, ...options.drift };
  const driftPolling = { ...DEFAULT_DRIFT_POLLING, ...options.driftPolling };
  const driftP = regions.ok
    ? mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectDriftRegion(clients.cloudformation(r), r, driftSettings, driftPolling))
    : Promise.resolve([]);
  const guardduty = regions.ok
    ? await mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectGuardDutyRegion(clients.guardduty(r), r, inOrganization))
    : [];
  const accountRegions = regions.ok
    ? await mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectAccountRegion({ ec2: clients.ec2(r), accessAnalyzer: clients.accessAnalyzer(r), configService: clients.configService(r) }, r))
    : [];
  const logging = regions.ok
    ? await mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectLoggingRegion({
      cloudtrail: clients.cloudtrail(r), logs: clients.logs(r), cloudwatch: clients.cloudwatch(r), events: clients.events(r),
      sns: clients.sns(r), kms: clients.kms(r), tagging: clients.tagging(r),
    }, r, { ...DEFAULT_LOGGING_SETTINGS, ...options.logging }, collectedAt))
    : undefined;
  const kms = regions.ok
    ? await mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectKmsRegion(clients.kms(r), clients.tagging(r), r, account, partition))
    : [];
  const backup = regions.ok
    ? await mapLimit(regions.value, options.regionConcurrency ?? 8, (r) => collectBackupRegion(clients.backup(r), r, recovery))
    : [];
  const drift = await driftP;
  const iam = await iamP;
  const s3PublicAccessBlock = await s3PublicAccessBlockP;
  return { account, partition, collectedAt: collectedAt.toISOString(), iam, organization, regions, guardduty, s3PublicAccessBlock, accountRegions, kms, backup, drift, ...(logging ? { logging } : {}) };
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]+$/;

async function resolveTargets(base: AuditClients, options: AuditOptions, identity: () => Promise<Collected<CallerIdentity>>): Promise<Target[]> {
  if (options.roleArns && options.roleArns.length > 0) {
    return [...new Set(options.roleArns)].map((arn) => {
      const m = ROLE_ARN.exec(arn);
      if (!m) throw new Error(`not a role ARN: '${arn}'`);
      return { account: m[2], partition: m[1], roleArn: arn };
    });
  }
  return targetsOf(base, options, await identity());
}

async function targetsOf(base: AuditClients, options: AuditOptions, me: Collected<CallerIdentity>): Promise<Target[]> {
  if (!me.ok) return [{ account: 'unknown', partition: 'aws', failure: me.failure }];
  if (!options.organizationRole) return [{ account: me.value.account, partition: me.value.partition }];
  const accounts = await listOrganizationAccounts(base.organizations());
  if (!accounts.ok) return [{ account: me.value.account, partition: me.value.partition, failure: accounts.failure }];
  const p = partitionOf(me.value.arn);
  return accounts.value.map((a) => ({ account: a, partition: p, roleArn: `arn:${p}:iam::${a}:role/${options.organizationRole}` }));
}

async function auditOrganization(
  base: AuditClients, config: OrganizationAuditConfig, me: Collected<CallerIdentity>, accounts: readonly AccountAudit[], now: () => Date, concurrency?: number,
): Promise<{ snapshot: OrganizationSnapshot; findings: Finding[] }> {
  const snapshot = me.ok
    ? await collectOrganizationSnapshot(base, config, me.value, now(), concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY)
    : failedOrganizationSnapshot(config, 'unknown', 'aws', me.failure, now());
  return { snapshot, findings: evaluateOrganization({ organization: snapshot, accounts: accounts.map((a) => a.snapshot), config }) };
}

/**
 * The live audit: resolve the accounts (default credentials, --role-arn, or every account of the
 * organization), collect each account's snapshot (at most `concurrency` at once), then run the pure
 * checks over it. Every account gets findings; one that cannot be entered gets ERROR for every check.
 */
export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const base = new AuditClients(options.clients ?? {});
  try {
    // One STS client for the caller's identity and every AssumeRole, not one per account.
    const sts = base.sts();
    // The caller's identity, asked once: for the accounts to audit and the organization-level calls.
    let me: Promise<Collected<CallerIdentity>> | undefined;
    const identity = () => (me ??= callerIdentity(sts));
    const targets = await resolveTargets(base, options, identity);
    let done = 0;
    const accounts = await mapLimit(targets, options.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY, async (t): Promise<AccountAudit> => {
      let snapshot: AccountSnapshot;
      if (t.failure) {
        snapshot = failedSnapshot(t.account, t.partition, t.failure, now());
      } else if (t.roleArn) {
        const creds = await assumeRole(sts, t.roleArn, options.externalId);
        if (!creds.ok) {
          const hint = options.organization && creds.failure.kind === 'access-denied' ? assumeRoleDeniedHint(options.organization, await identity()) : '';
          snapshot = failedSnapshot(t.account, t.partition, { ...creds.failure, message: `${t.roleArn}: ${creds.failure.message}${hint}` }, now());
        } else {
          const clients = base.withCredentials(creds.value);
          try {
            snapshot = await collectAccount(clients, t.account, t.partition, { ...options, now });
          } finally {
            clients.destroy();
          }
        }
      } else {
        snapshot = await collectAccount(base, t.account, t.partition, { ...options, now });
      }
      const settings: CheckSettings = {
        ...DEFAULT_CHECK_SETTINGS, ...options.thresholds, now: now(),
        logging: { ...DEFAULT_LOGGING_SETTINGS, ...options.logging }, recovery: { ...DEFAULT_RECOVERY_SETTINGS, ...options.recovery },
      };
      const findings = evaluateSnapshot(snapshot, settings);
      options.onProgress?.(++done, targets.length, t.account);
      return { account: t.account, roleArn: t.roleArn, snapshot, findings };
    });
    const findings = accounts.flatMap((a) => a.findings);
    if (!options.organization) return { accounts, findings };
    const organization = await auditOrganization(base, options.organization, await identity(), accounts, now, options.concurrency);
    return { accounts, organization, findings: [...findings, ...organization.findings] };
  } finally {
    base.destroy();
  }
}
