import {
  GenerateCredentialReportCommand, GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetCredentialReportCommand,
  IAMClient, paginateGetAccountAuthorizationDetails, paginateListMFADevices, paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam';
import { parseCredentialReport } from './credential-report';
import { privilegedUsers } from './privileged';
import { errorCode, toFailure } from './errors';
import { realSleep } from './pool';
import {
  AuthorizationDetails, Collected, CredentialReport, GroupDetail, IamSnapshot, ManagedPolicyDetail, MfaDevice, PasswordPolicy,
  UserDetail, UserMfaDevices, VirtualMfaDevice, failed, ok,
} from './types';

/** How the credential report is polled; tests inject `sleep` so nothing waits for real. */
export interface ReportPolling {
  readonly sleep: (ms: number) => Promise<void>;
  /** First wait between GenerateCredentialReport calls. Default 500 ms. */
  readonly initialDelayMs: number;
  /** Cap of the doubling wait. Default 8 s. */
  readonly maxDelayMs: number;
  /** GenerateCredentialReport calls before giving up. Default 10 (about 40 s of waiting). */
  readonly maxPolls: number;
  /** A report older than this is stale (AWS regenerates at most every 4 hours). Default 4 h. */
  readonly maxReportAgeMs: number;
  readonly now: () => Date;
}

export const DEFAULT_REPORT_POLLING: ReportPolling = {
  sleep: realSleep,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxPolls: 10,
  maxReportAgeMs: 4 * 3_600_000,
  now: () => new Date(),
};

const LIMIT_EXCEEDED = new Set(['LimitExceededException', 'LimitExceeded']);
const REPORT_MISSING = new Set([
  'CredentialReportExpiredException', 'ReportExpired',
  'CredentialReportNotPresentException', 'ReportNotPresent',
  'CredentialReportNotReadyException', 'ReportInProgress',
]);

/** GenerateCredentialReport until COMPLETE, with bounded exponential backoff (LimitExceeded included). */
async function generateReport(iam: IAMClient, p: ReportPolling): Promise<Collected<true>> {
  let delay = p.initialDelayMs;
  let last = 'not started';
  for (let poll = 1; poll <= p.maxPolls; poll++) {
    try {
      const r = await iam.send(new GenerateCredentialReportCommand({}));
      last = r.State ?? 'unknown';
      if (r.State === 'COMPLETE') return ok(true);
    } catch (e) {
      if (!LIMIT_EXCEEDED.has(errorCode(e))) return failed(toFailure('iam:GenerateCredentialReport', e));
      last = errorCode(e);
    }
    if (poll < p.maxPolls) {
      await p.sleep(delay);
      delay = Math.min(delay * 2, p.maxDelayMs);
    }
  }
  return failed({ action: 'iam:GenerateCredentialReport', kind: 'timeout', message: `credential report not COMPLETE after ${p.maxPolls} polls (last: ${last})` });
}

/**
 * The credential report: generate (polled), then get. An expired, missing or not-ready report is
 * generated again, once; a report older than `maxReportAgeMs` is regenerated once and, if still
 * stale, recorded as a `stale` failure rather than trusted.
 */
export async function collectCredentialReport(iam: IAMClient, p: ReportPolling = DEFAULT_REPORT_POLLING): Promise<Collected<CredentialReport>> {
  for (let round = 1; round <= 2; round++) {
    const gen = await generateReport(iam, p);
    if (!gen.ok) return gen;
    let content: Uint8Array | undefined;
    let generatedAt: Date | undefined;
    try {
      const r = await iam.send(new GetCredentialReportCommand({}));
      content = r.Content;
      generatedAt = r.GeneratedTime;
    } catch (e) {
      if (REPORT_MISSING.has(errorCode(e)) && round === 1) continue;
      return failed(toFailure('iam:GetCredentialReport', e));
    }
    if (!content || !generatedAt) {
      return failed({ action: 'iam:GetCredentialReport', kind: 'error', message: 'the response has no report content or generation time' });
    }
    const age = p.now().getTime() - generatedAt.getTime();
    if (age > p.maxReportAgeMs) {
      if (round === 1) continue;
      return failed({ action: 'iam:GetCredentialReport', kind: 'stale', message: `credential report generated ${generatedAt.toISOString()} is ${Math.round(age / 3_600_000)} h old even after regeneration` });
    }
    try {
      return ok(parseCredentialReport(Buffer.from(content).toString('utf8'), generatedAt.toISOString()));
    } catch (e) {
      return failed({ action: 'iam:GetCredentialReport', kind: 'error', message: (e as Error).message });
    }
  }
  return failed({ action: 'iam:GetCredentialReport', kind: 'error', message: 'no usable credential report after regenerating it' });
}

export async function collectAccountSummary(iam: IAMClient): Promise<Collected<Record<string, number>>> {
  try {
    const r = await iam.send(new GetAccountSummaryCommand({}));
    return ok({ ...(r.SummaryMap ?? {}) } as Record<string, number>);
  } catch (e) {
    return failed(toFailure('iam:GetAccountSummary', e));
  }
}

export async function collectPasswordPolicy(iam: IAMClient): Promise<Collected<PasswordPolicy | null>> {
  try {
    const r = await iam.send(new GetAccountPasswordPolicyCommand({}));
    const p = r.PasswordPolicy ?? {};
    return ok({
      minimumPasswordLength: p.MinimumPasswordLength,
      requireSymbols: p.RequireSymbols,
      requireNumbers: p.RequireNumbers,
      requireUppercaseCharacters: p.RequireUppercaseCharacters,
      requireLowercaseCharacters: p.RequireLowercaseCharacters,
      passwordReusePrevention: p.PasswordReusePrevention,
      maxPasswordAge: p.MaxPasswordAge,
    });
  } catch (e) {
    const code = errorCode(e);
    if (code === 'NoSuchEntityException' || code === 'NoSuchEntity') return ok(null);
    return failed(toFailure('iam:GetAccountPasswordPolicy', e));
  }
}

export async function collectVirtualMfaDevices(iam: IAMClient): Promise<Collected<VirtualMfaDevice[]>> {
  try {
    const out: VirtualMfaDevice[] = [];
    for await (const page of paginateListVirtualMFADevices({ client: iam, pageSize: 1000 }, { AssignmentStatus: 'Assigned' })) {
      for (const d of page.VirtualMFADevices ?? []) {
        out.push({ serialNumber: d.SerialNumber ?? '', userArn: d.User?.Arn, ...(d.EnableDate ? { enableDate: new Date(d.EnableDate).toISOString() } : {}) });
      }
    }
    return ok(out);
  } catch (e) {
    return failed(toFailure('iam:ListVirtualMFADevices', e));
  }
}

/** Policy documents in IAM responses are URL-encoded JSON. */
export function decodePolicyDocument(doc: string | undefined): unknown {
  if (doc === undefined) return undefined;
  let text = doc;
  try {
    text = decodeURIComponent(doc);
  } catch {
    // already plain
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function collectAuthorizationDetails(iam: IAMClient): Promise<Collected<AuthorizationDetails>> {
  const users: UserDetail[] = [];
  const groups: GroupDetail[] = [];
  const policies: ManagedPolicyDetail[] = [];
  try {
    const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: ['User', 'Group', 'LocalManagedPolicy'] });
    for await (const page of pages) {
      for (const u of page.UserDetailList ?? []) {
        users.push({
          name: u.UserName ?? '', arn: u.Arn ?? '', groups: u.GroupList ?? [],
          inlinePolicies: (u.UserPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', document: decodePolicyDocument(p.PolicyDocument) })),
          attachedPolicyArns: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
        });
      }
      for (const g of page.GroupDetailList ?? []) {
        groups.push({
          name: g.GroupName ?? '',
          arn: g.Arn ?? '',
          inlinePolicies: (g.GroupPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', document: decodePolicyDocument(p.PolicyDocument) })),
          attachedPolicyArns: (g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
        });
      }
      for (const p of page.Policies ?? []) {
        const v = (p.PolicyVersionList ?? []).find((x) => x.IsDefaultVersion) ?? p.PolicyVersionList?.[0];
        policies.push({ arn: p.Arn ?? '', name: p.PolicyName ?? '', document: decodePolicyDocument(v?.Document) });
      }
    }
    return ok({ users, groups, policies });
  } catch (e) {
    return failed(toFailure('iam:GetAccountAuthorizationDetails', e));
  }
}

/**
 * iam:ListMFADevices for each privileged user only (every device type; the virtual listing cannot show
 * FIDO or hardware devices): bounded by the number of privileged users, not of all users.
 */
export async function collectPrivilegedMfaDevices(iam: IAMClient, auth: Collected<AuthorizationDetails>, account: string): Promise<Collected<UserMfaDevices[]>> {
  if (!auth.ok) return failed(auth.failure);
  const out: UserMfaDevices[] = [];
  try {
    for (const { user } of privilegedUsers(auth.value, account)) {
      const devices: MfaDevice[] = [];
      for await (const page of paginateListMFADevices({ client: iam, pageSize: 100 }, { UserName: user.name })) {
        for (const d of page.MFADevices ?? []) {
          devices.push({ serialNumber: d.SerialNumber ?? '', ...(d.EnableDate ? { enableDate: new Date(d.EnableDate).toISOString() } : {}) });
        }
      }
      out.push({ user: user.name, arn: user.arn, devices });
    }
    return ok(out);
  } catch (e) {
    return failed(toFailure('iam:ListMFADevices', e));
  }
}

/** The account id in an IAM ARN (empty when there is none). */
const accountOfArn = (arn: string): string => /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] ?? '';

/** The IAM part of the snapshot: five independent collections, run together, then the privileged users' MFA devices. */
export async function collectIam(iam: IAMClient, polling: ReportPolling = DEFAULT_REPORT_POLLING, accountId?: string): Promise<IamSnapshot> {
  const [credentialReport, accountSummary, passwordPolicy, virtualMfaDevices, authorization] = await Promise.all([
    collectCredentialReport(iam, polling),
    collectAccountSummary(iam),
    collectPasswordPolicy(iam),
    collectVirtualMfaDevices(iam),
    collectAuthorizationDetails(iam),
  ]);
  const account = accountId ?? (authorization.ok ? accountOfArn(authorization.value.users[0]?.arn ?? '') : '');
  const privilegedMfaDevices = await collectPrivilegedMfaDevices(iam, authorization, account);
  return { credentialReport, accountSummary, passwordPolicy, virtualMfaDevices, authorization, privilegedMfaDevices };
}
