/**
 * The deployment-time handler of the organization custom resources: OrganizationSetup (management
 * account) and GuardDutyOrganizationConfiguration (the GuardDuty delegated administrator, each region).
 *
 * This module is the Lambda function's code, inlined into the template as compiled (see
 * ../inline-handler.ts): it may import only Node's own modules and the AWS SDK v3 clients the Lambda
 * Node.js runtime ships — nothing else of this project.
 *
 * Every setting is read first and set only when missing; throttling and concurrent modification are
 * retried with bounded, jittered backoff that stops before the function's own timeout; Delete changes
 * nothing (the settings are retained: undoing them would blind the organization).
 */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import {
  EnableAWSServiceAccessCommand, EnablePolicyTypeCommand, ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand, ListRootsCommand, OrganizationsClient, RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import {
  DescribeOrganizationConfigurationCommand, EnableOrganizationAdminAccountCommand, GuardDutyClient, ListDetectorsCommand,
  ListOrganizationAdminAccountsCommand, UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-guardduty';

export const ORGANIZATION_SETUP_TYPE = 'Custom::OrganizationSetup';
export const GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE = 'Custom::GuardDutyOrganizationConfiguration';

/** The ResourceProperties of Custom::OrganizationSetup (CloudFormation passes every value as a string). */
export interface OrganizationSetupSettings {
  readonly TrustedServicePrincipals?: string[];
  readonly PolicyTypes?: string[];
  readonly DelegatedAdministrators?: { AccountId: string; ServicePrincipal: string }[];
  readonly GuardDutyAdminAccountId: string;
  readonly GovernedRegions: string[];
}

/** The ResourceProperties of Custom::GuardDutyOrganizationConfiguration. */
export interface GuardDutyOrganizationSettings {
  readonly Features: { Name: string; AdditionalConfiguration?: string[] }[];
}

/** The subset of a CloudFormation custom-resource request this handler reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResponseURL: string;
}

export interface CustomResourceResult {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  /** The write calls made, e.g. `organizations:EnablePolicyType SERVICE_CONTROL_POLICY`. */
  readonly changes: string[];
}

/** What a run depends on, injectable for tests. */
export interface Deps {
  readonly organizations: () => OrganizationsClient;
  readonly guardduty: (region: string) => GuardDutyClient;
  /** The region the function runs in (GuardDutyOrganizationConfiguration configures this one). */
  readonly region: string;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds left before the function times out. */
  readonly remainingMs: () => number;
  readonly log: (line: string) => void;
  /** Maximum attempts of one call (first try included). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

/** Error names AWS returns for a call worth repeating unchanged. */
const RETRYABLE = new Set([
  'ConcurrentModificationException', 'TooManyRequestsException', 'ThrottlingException', 'Throttling',
  'ThrottledException', 'RequestLimitExceeded', 'ServiceUnavailableException', 'ServiceException',
  'InternalServerErrorException', 'InternalException',
]);
/** Time kept back from the function's timeout to report a failure to CloudFormation. */
const RESPONSE_MARGIN_MS = 15_000;

interface AwsError { name?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } }

function isRetryable(e: AwsError): boolean {
  const status = e.$metadata?.httpStatusCode ?? 0;
  return RETRYABLE.has(e.name ?? '') || Boolean(e.$retryable) || status === 429 || status >= 500;
}

/** An AWS call that failed for good: the message names the call. */
export class CallFailed extends Error {
  constructor(public readonly call: string, cause: AwsError, attempts: number) {
    super(`${call} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${cause.name ?? 'Error'}: ${cause.message ?? String(cause)}`);
    this.name = 'CallFailed';
  }
}

/** Runs `fn`, retrying retryable errors with full-jitter exponential backoff, never past the deadline. */
async function call<T>(deps: Deps, name: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as AwsError;
      if (!isRetryable(e) || attempt >= deps.attempts) throw new CallFailed(name, e, attempt);
      const delay = Math.round(deps.random() * Math.min(deps.maxDelayMs, deps.baseDelayMs * 2 ** (attempt - 1)));
      if (deps.remainingMs() - delay < RESPONSE_MARGIN_MS) throw new CallFailed(name, { name: e.name, message: `${e.message} (no time left to retry)` }, attempt);
      deps.log(`retrying ${name} in ${delay} ms after ${e.name}`);
      await deps.sleep(delay);
    }
  }
}

/** Every page of a NextToken-paginated call. */
async function pages<T extends { NextToken?: string }>(deps: Deps, name: string, fn: (token?: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page: T = await call(deps, name, () => fn(token));
    out.push(page);
    token = page.NextToken;
  } while (token);
  return out;
}

function list(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) throw new Error(`${what} must be a list of non-empty strings, got ${JSON.stringify(value)}`);
  return value as string[];
}

/** Reads, then sets what is missing: trusted access, policy types, delegated administrators, the GuardDuty admin per region. */
export async function applyOrganizationSetup(settings: OrganizationSetupSettings, deps: Deps): Promise<string[]> {
  const trusted = list(settings.TrustedServicePrincipals, 'TrustedServicePrincipals');
  const policyTypes = list(settings.PolicyTypes, 'PolicyTypes');
  const regions = list(settings.GovernedRegions, 'GovernedRegions');
  const delegated = settings.DelegatedAdministrators ?? [];
  const admin = settings.GuardDutyAdminAccountId;
  if (typeof admin !== 'string' || !/^\d{12}$/.test(admin)) throw new Error(`GuardDutyAdminAccountId must be a 12-digit account id, got ${JSON.stringify(admin)}`);
  if (regions.length === 0) throw new Error('GovernedRegions must name at least one region');
  if (!Array.isArray(delegated) || delegated.some((d) => !d || !/^\d{12}$/.test(d.AccountId ?? '') || typeof d.ServicePrincipal !== 'string' || !d.ServicePrincipal)) {
    throw new Error(`DelegatedAdministrators entries need a 12-digit AccountId and a ServicePrincipal, got ${JSON.stringify(delegated)}`);
  }
  const org = deps.organizations();
  const changes: string[] = [];

  const enabled = new Set((await pages(deps, 'organizations:ListAWSServiceAccessForOrganization',
    (NextToken) => org.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken }))))
    .flatMap((p) => p.EnabledServicePrincipals ?? []).map((s) => s.ServicePrincipal));
  for (const principal of trusted) {
    if (enabled.has(principal)) continue;
    await call(deps, `organizations:EnableAWSServiceAccess ${principal}`, () => org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal })));
    changes.push(`organizations:EnableAWSServiceAccess ${principal}`);
  }

  if (policyTypes.length > 0) {
    const roots = (await pages(deps, 'organizations:ListRoots', (NextToken) => org.send(new ListRootsCommand({ NextToken }))))
      .flatMap((p) => p.Roots ?? []);
    if (roots.length !== 1 || !roots[0].Id) throw new Error(`organizations:ListRoots returned ${roots.length} roots; expected the organization's one root`);
    const root = roots[0];
    const active = new Set((root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED' || t.Status === 'PENDING_ENABLE').map((t) => t.Type));
    for (const type of policyTypes) {
      if (active.has(type as never)) continue;
      await call(deps, `organizations:EnablePolicyType ${type}`, () => org.send(new EnablePolicyTypeCommand({ RootId: root.Id, PolicyType: type as never })));
      changes.push(`organizations:EnablePolicyType ${type}`);
    }
  }

  for (const d of delegated) {
    const registered = (await pages(deps, `organizations:ListDelegatedAdministrators ${d.ServicePrincipal}`,
      (NextToken) => org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: d.ServicePrincipal, NextToken }))))
      .flatMap((p) => p.DelegatedAdministrators ?? []).map((a) => a.Id);
    if (registered.includes(d.AccountId)) continue;
    const name = `organizations:RegisterDelegatedAdministrator ${d.AccountId} ${d.ServicePrincipal}`;
    await call(deps, name, () => org.send(new RegisterDelegatedAdministratorCommand({ AccountId: d.AccountId, ServicePrincipal: d.ServicePrincipal })));
    changes.push(name);
  }

  for (const region of regions) {
    const gd = deps.guardduty(region);
    const admins = (await pages(deps, `guardduty:ListOrganizationAdminAccounts in ${region}`,
      (NextToken) => gd.send(new ListOrganizationAdminAccountsCommand({ NextToken }))))
      .flatMap((p) => p.AdminAccounts ?? []);
    const ours = admins.find((a) => a.AdminAccountId === admin);
    if (ours?.AdminStatus === 'ENABLED') continue;
    if (ours) throw new Error(`the GuardDuty delegated administrator ${admin} in ${region} is ${ours.AdminStatus}; wait until it is disabled, then deploy again`);
    const other = admins.find((a) => a.AdminAccountId !== admin);
    if (other) {
      throw new Error(`GuardDuty in ${region} already has the delegated administrator ${other.AdminAccountId} (${other.AdminStatus}), not ${admin}; `
        + 'an organization has one: disable it (guardduty:DisableOrganizationAdminAccount) deliberately, then deploy again');
    }
    const name = `guardduty:EnableOrganizationAdminAccount ${admin} in ${region}`;
    await call(deps, name, () => gd.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: admin })));
    changes.push(name);
  }
  return changes;
}

type FeatureConfig = { Name?: string; AutoEnable?: string; AdditionalConfiguration?: { Name?: string; AutoEnable?: string }[] };

/** Reads the organization configuration of this region's detector, then turns auto-enable ALL on where it is not. */
export async function applyGuardDutyOrganizationConfiguration(settings: GuardDutyOrganizationSettings, deps: Deps): Promise<string[]> {
  const features = settings.Features;
  if (!Array.isArray(features) || features.length === 0 || features.some((f) => !f || typeof f.Name !== 'string' || f.Name.length === 0)) {
    throw new Error(`Features must be a non-empty list of { Name, AdditionalConfiguration? }, got ${JSON.stringify(features)}`);
  }
  const region = deps.region;
  const gd = deps.guardduty(region);
  const detectors = (await pages(deps, `guardduty:ListDetectors in ${region}`, (NextToken) => gd.send(new ListDetectorsCommand({ NextToken }))))
    .flatMap((p) => p.DetectorIds ?? []);
  if (detectors.length !== 1) {
    throw new Error(`guardduty:ListDetectors in ${region} found ${detectors.length} detectors; the delegated administrator has exactly one once the management `
      + 'account designates it (OrganizationSetup, guardduty:EnableOrganizationAdminAccount in this region): deploy the management stack first');
  }
  const DetectorId = detectors[0];
  const current = await pages(deps, `guardduty:DescribeOrganizationConfiguration in ${region}`,
    (NextToken) => gd.send(new DescribeOrganizationConfigurationCommand({ DetectorId, NextToken })));
  const members = current[0]?.AutoEnableOrganizationMembers;
  const have = new Map<string, FeatureConfig>(current.flatMap((p) => (p.Features ?? []) as FeatureConfig[]).map((f) => [f.Name ?? '', f]));
  const missing = features.filter((f) => {
    const got = have.get(f.Name);
    if (got?.AutoEnable !== 'ALL') return true;
    return (f.AdditionalConfiguration ?? []).some((name) => got.AdditionalConfiguration?.find((a) => a.Name === name)?.AutoEnable !== 'ALL');
  });
  if (members === 'ALL' && missing.length === 0) return [];
  const name = `guardduty:UpdateOrganizationConfiguration in ${region}`;
  await call(deps, name, () => gd.send(new UpdateOrganizationConfigurationCommand({
    DetectorId,
    AutoEnableOrganizationMembers: 'ALL',
    Features: features.map((f) => ({
      Name: f.Name as never,
      AutoEnable: 'ALL',
      ...(f.AdditionalConfiguration?.length ? { AdditionalConfiguration: f.AdditionalConfiguration.map((a) => ({ Name: a as never, AutoEnable: 'ALL' as const })) } : {}),
    })),
  })));
  return [`${name}: members ${members ?? 'unset'} -> ALL; features ${missing.map((f) => f.Name).join(', ') || 'none'} -> ALL`];
}

/** Runs one request and says what to answer CloudFormation; never throws. */
export async function runRequest(event: CustomResourceEvent, deps: Deps): Promise<CustomResourceResult> {
  const PhysicalResourceId = event.PhysicalResourceId ?? (event.ResourceType === ORGANIZATION_SETUP_TYPE ? 'organization-setup' : `guardduty-organization-configuration-${deps.region}`);
  try {
    if (event.RequestType === 'Delete') {
      deps.log(`${event.ResourceType} ${PhysicalResourceId}: Delete changes nothing; the organization settings are retained`);
      return { Status: 'SUCCESS', Reason: 'retained', PhysicalResourceId, changes: [] };
    }
    let changes: string[];
    if (event.ResourceType === ORGANIZATION_SETUP_TYPE) {
      changes = await applyOrganizationSetup(event.ResourceProperties as unknown as OrganizationSetupSettings, deps);
    } else if (event.ResourceType === GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE) {
      changes = await applyGuardDutyOrganizationConfiguration(event.ResourceProperties as unknown as GuardDutyOrganizationSettings, deps);
    } else {
      throw new Error(`unknown resource type ${event.ResourceType}`);
    }
    for (const c of changes) deps.log(`set ${c}`);
    if (changes.length === 0) deps.log(`${event.ResourceType}: every setting already in place; nothing written`);
    return { Status: 'SUCCESS', Reason: changes.length ? `set ${changes.length}` : 'already in place', PhysicalResourceId, changes };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.log(`FAILED ${event.ResourceType}: ${message}`);
    return { Status: 'FAILED', Reason: message.slice(0, 3000), PhysicalResourceId, changes: [] };
  }
}

/** PUTs the result to CloudFormation's pre-signed ResponseURL. */
export function sendResponse(event: CustomResourceEvent, result: CustomResourceResult): Promise<void> {
  const body = JSON.stringify({
    Status: result.Status, Reason: result.Reason, PhysicalResourceId: result.PhysicalResourceId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`CloudFormation response PUT returned ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('CloudFormation response PUT timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Production dependencies: SDK clients with the SDK's own retries off (this module retries, bounded). */
export function defaultDeps(context: { getRemainingTimeInMillis(): number }): Deps {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const clientConfig = { maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } };
  return {
    organizations: () => new OrganizationsClient({ ...clientConfig, region }),
    guardduty: (r) => new GuardDutyClient({ ...clientConfig, region: r }),
    region,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    remainingMs: () => context.getRemainingTimeInMillis(),
    log: (line) => console.log(line),
    attempts: 8,
    baseDelayMs: 1_000,
    maxDelayMs: 20_000,
    random: Math.random,
  };
}

/** The Lambda entry point. */
export async function handler(event: CustomResourceEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  const result = await runRequest(event, defaultDeps(context));
  await sendResponse(event, result);
}
