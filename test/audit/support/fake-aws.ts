/**
 * A loopback HTTP server that answers like AWS, in each service's own wire format, so the real SDK
 * signs, serializes, paginates and retries against it:
 *   IAM, STS and CloudFormation — query protocol (form body, XML answers);
 *   GuardDuty, Account and Backup — REST-JSON;
 *   Organizations — JSON 1.1 (X-Amz-Target).
 * The service and region come from the SigV4 credential scope; the account from the access key
 * (assumed-role keys are `ASIA<account>`). Every action answered is recorded in `calls`, and faults
 * can be injected per action: AccessDenied, throttling, latency, a region that never answers, a
 * truncated answer, the credential report going STARTED → INPROGRESS → COMPLETE, LimitExceeded,
 * an expired or stale report.
 */
import { AddressInfo } from 'net';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';

export interface FakeKey {
  readonly active: boolean;
  readonly rotated: Date;
  readonly lastUsed?: Date;
}

export interface FakeUser {
  readonly name: string;
  readonly created: Date;
  /** Console password; undefined = no password. */
  readonly password?: { readonly lastUsed?: Date; readonly changed?: Date };
  readonly mfa?: boolean;
  readonly keys?: readonly FakeKey[];
  readonly groups?: readonly string[];
}

export interface FakeGroup {
  readonly name: string;
  readonly inline?: readonly { readonly name: string; readonly document: unknown }[];
  readonly attached?: readonly string[];
}

export interface FakeFinding {
  readonly id: string;
  readonly severity: number;
  readonly createdAt: Date;
  readonly archived?: boolean;
  readonly type?: string;
}

export interface FakeDetector {
  readonly id: string;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly features: readonly { readonly name: string; readonly status: 'ENABLED' | 'DISABLED'; readonly additional?: readonly { readonly name: string; readonly status: 'ENABLED' | 'DISABLED' }[] }[];
  readonly findings?: readonly FakeFinding[];
  readonly administrator?: { readonly accountId: string; readonly relationshipStatus: string };
  /** Present when this account is the delegated administrator. */
  readonly organizationConfiguration?: { readonly autoEnableOrganizationMembers: string };
}

export interface FakeBackupPlan {
  readonly id: string;
  readonly name: string;
  readonly rules: readonly { readonly name: string; readonly vault: string; readonly deleteAfterDays?: number }[];
  readonly selections: readonly { readonly id: string; readonly name: string; readonly tags: readonly { readonly key: string; readonly value: string }[]; readonly notResources?: readonly string[] }[];
}

export interface FakeBackupRegion {
  readonly vaults: readonly { readonly name: string; readonly locked: boolean; readonly min?: number; readonly max?: number; readonly lockDate?: Date }[];
  readonly plans: readonly FakeBackupPlan[];
}

export interface FakeStackDrift {
  readonly logicalId: string;
  readonly type: string;
  readonly status: 'MODIFIED' | 'DELETED';
  readonly differences: readonly { readonly path: string; readonly kind: string; readonly expected?: string; readonly actual?: string }[];
}

export interface FakeStack {
  readonly name: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly status?: string;
  readonly drifts?: readonly FakeStackDrift[];
  /** How the drift detection ends. Default DETECTION_COMPLETE. */
  readonly detection?: 'DETECTION_COMPLETE' | 'DETECTION_FAILED';
  /** DescribeStackDriftDetectionStatus answers DETECTION_IN_PROGRESS this many times first. Default 0. */
  readonly detectionPolls?: number;
}

export interface FakeAccount {
  readonly id: string;
  readonly root?: { readonly mfa?: boolean; readonly virtualMfa?: boolean; readonly keys?: number; readonly passwordLastUsed?: Date };
  readonly users?: readonly FakeUser[];
  readonly groups?: readonly FakeGroup[];
  readonly policies?: readonly { readonly arn: string; readonly name: string; readonly document: unknown }[];
  readonly passwordPolicy?: Record<string, number | boolean> | null;
  readonly enabledRegions?: readonly string[];
  /** Detector per region; a region missing here has no detector. */
  readonly guardduty?: Readonly<Record<string, FakeDetector>>;
  readonly organization?: { readonly id: string; readonly managementAccountId: string } | null;
  /** For the management account: every account of the organization. */
  readonly organizationAccounts?: readonly string[];
  /** Roles that may be assumed into this account, with the external id they require (or null). */
  readonly roles?: Readonly<Record<string, string | null>>;
  /** AWS Backup per region: vaults, plans and their selections. A region missing here has none. */
  readonly backup?: Readonly<Record<string, FakeBackupRegion>>;
  /** CloudFormation stacks per region, each with the drift its detection finds. */
  readonly stacks?: Readonly<Record<string, readonly FakeStack[]>>;
}

export interface Faults {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Actions (e.g. `iam:GetAccountAuthorizationDetails`) answered with AccessDenied. */
  deny?: readonly string[];
  /** Throttle an action this many times (Infinity: always). */
  throttle?: Record<string, number>;
  /** States GenerateCredentialReport answers, one per call; the last repeats. Default COMPLETE. */
  reportStates?: readonly string[];
  /** The first N GenerateCredentialReport calls answer LimitExceeded. */
  reportLimitExceeded?: number;
  /** The first N GetCredentialReport calls answer ReportExpired. */
  reportExpired?: number;
  /** GeneratedTime of the report. Default: now. */
  reportGeneratedAt?: () => Date;
  /** GuardDuty requests in these regions are never answered. */
  hangRegions?: readonly string[];
  /** Actions whose (successful) answer is cut off halfway. */
  truncate?: readonly string[];
}

export interface RecordedCall {
  readonly action: string;
  readonly account: string;
  readonly region: string;
  /** The access key that signed the request. */
  readonly accessKey: string;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** The query-protocol services (form body, XML answers) and their namespaces. */
const QUERY_NS: Record<string, string> = { iam: IAM_NS, sts: STS_NS, cloudformation: CFN_NS };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const csvDate = (d?: Date): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, '+00:00') : 'N/A');

/** `<Tag>value</Tag>` for each defined field. */
function xml(fields: Record<string, unknown>): string {
  return Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${typeof v === 'string' && !v.startsWith('<') ? esc(v) : String(v)}</${k}>`).join('');
}
const members = (items: readonly string[]): string => items.map((i) => `<member>${i}</member>`).join('');

class AwsError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The credential report CSV, as IAM writes it (N/A, not_supported, <root_account>). */
export function credentialReportCsv(a: FakeAccount): string {
  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,'
    + 'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,'
    + 'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,'
    + 'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const keyCols = (k?: FakeKey): string => (k
    ? `${k.active},${csvDate(k.rotated)},${csvDate(k.lastUsed)},${k.lastUsed ? 'us-east-1' : 'N/A'},${k.lastUsed ? 's3' : 'N/A'}`
    : 'false,N/A,N/A,N/A,N/A');
  const root = a.root ?? {};
  const rootKeys = root.keys ?? 0;
  const rootKey = (n: number): string => (rootKeys >= n ? `true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A` : 'false,N/A,N/A,N/A,N/A');
  const lines = [header,
    `<root_account>,arn:aws:iam::${a.id}:root,2020-01-01T00:00:00+00:00,not_supported,${csvDate(root.passwordLastUsed)},not_supported,not_supported,${root.mfa ?? true},${rootKey(1)},${rootKey(2)},false,N/A,false,N/A`];
  for (const u of a.users ?? []) {
    const p = u.password;
    lines.push(`${u.name},arn:aws:iam::${a.id}:user/${u.name},${csvDate(u.created)},${p ? 'true' : 'false'},${p ? csvDate(p.lastUsed) : 'N/A'},`
      + `${p ? csvDate(p.changed ?? u.created) : 'N/A'},N/A,${u.mfa ?? false},${keyCols(u.keys?.[0])},${keyCols(u.keys?.[1])},false,N/A,false,N/A`);
  }
  return lines.join('\n') + '\n';
}

export class FakeAws {
  readonly calls: RecordedCall[] = [];
  private server?: Server;
  private readonly accounts: Map<string, FakeAccount>;
  private readonly counters = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();

  constructor(accounts: FakeAccount | readonly FakeAccount[], public faults: Faults = {}) {
    const list = Array.isArray(accounts) ? accounts : [accounts as FakeAccount];
    this.accounts = new Map(list.map((a) => [a.id, a]));
    this.baseAccount = list[0].id;
  }

  private readonly baseAccount: string;

  /** Starts on 127.0.0.1 on a random port; returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.hanging.clear();
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The distinct actions answered (sorted), e.g. for the least-privilege proof. */
  actions(): string[] {
    return [...new Set(this.calls.map((c) => c.action))].sort();
  }

  count(prefix = ''): number {
    return this.calls.filter((c) => c.action.startsWith(prefix)).length;
  }

  private nth(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    if (!scope) return this.send(res, 403, 'text/plain', 'unsigned request');
    const [, accessKey, region, service] = scope;
    const accountId = /^ASIA(\d{12})/.exec(accessKey)?.[1] ?? this.baseAccount;
    const account = this.accounts.get(accountId);
    if (!account) return this.send(res, 403, 'text/plain', `unknown account ${accountId}`);

    let action: string;
    try {
      action = this.actionOf(service, req, body);
    } catch (e) {
      return this.send(res, 400, 'text/plain', (e as Error).message);
    }
    this.calls.push({ action, account: accountId, region, accessKey });
    if (service === 'guardduty' && this.faults.hangRegions?.includes(region)) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    try {
      if (this.faults.deny?.includes(action)) {
        throw new AwsError(403, service in QUERY_NS ? 'AccessDenied' : 'AccessDeniedException',
          `User: arn:aws:iam::${accountId}:user/auditor is not authorized to perform: ${action}`);
      }
      const t = this.faults.throttle?.[action];
      if (t !== undefined && this.nth(`throttle:${action}`) <= t) {
        throw new AwsError(service === 'guardduty' || service === 'account' ? 429 : 400, service in QUERY_NS ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
      }
      const out = this.answer(service, action, account, region, req, body);
      const cut = (text: string): string => (this.faults.truncate?.includes(action) ? text.slice(0, Math.floor(text.length / 2)) : text);
      if (service in QUERY_NS) {
        const ns = QUERY_NS[service];
        const name = action.split(':')[1];
        return this.send(res, 200, 'text/xml', cut(`<${name}Response xmlns="${ns}"><${name}Result>${out as string}</${name}Result>`
          + `<ResponseMetadata><RequestId>req-${this.calls.length}</RequestId></ResponseMetadata></${name}Response>`));
      }
      const type = service === 'organizations' ? 'application/x-amz-json-1.1' : 'application/json';
      return this.send(res, 200, type, cut(JSON.stringify(out)));
    } catch (e) {
      if (!(e instanceof AwsError)) return this.send(res, 500, 'text/plain', String(e));
      if (service in QUERY_NS) {
        return this.send(res, e.status, 'text/xml', `<ErrorResponse xmlns="${QUERY_NS[service]}"><Error><Type>Sender</Type>`
          + `<Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error><RequestId>req-${this.calls.length}</RequestId></ErrorResponse>`);
      }
      if (service === 'organizations') {
        return this.send(res, e.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: e.code, message: e.message }));
      }
      res.setHeader('x-amzn-ErrorType', e.code);
      return this.send(res, e.status, 'application/json', JSON.stringify({ message: e.message, __type: e.code }));
    }
  }

  private send(res: ServerResponse, status: number, type: string, text: string): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': `req-${this.calls.length}` });
    res.end(text);
  }

  private actionOf(service: string, req: IncomingMessage, body: string): string {
    if (service in QUERY_NS) return `${service}:${new URLSearchParams(body).get('Action')}`;
    if (service === 'organizations') return `organizations:${String(req.headers['x-amz-target']).split('.').pop()}`;
    const path = (req.url ?? '').split('?')[0];
    if (service === 'account' && path === '/listRegions') return 'account:ListRegions';
    if (service === 'backup' && req.method === 'GET') {
      if (/^\/backup-vaults\/[^/]+\/?$/.test(path)) return 'backup:DescribeBackupVault';
      if (/^\/backup\/plans\/?$/.test(path)) return 'backup:ListBackupPlans';
      if (/^\/backup\/plans\/[^/]+\/?$/.test(path)) return 'backup:GetBackupPlan';
      if (/^\/backup\/plans\/[^/]+\/selections\/?$/.test(path)) return 'backup:ListBackupSelections';
      if (/^\/backup\/plans\/[^/]+\/selections\/[^/]+\/?$/.test(path)) return 'backup:GetBackupSelection';
    }
    if (service === 'guardduty') {
      const m = req.method;
      if (m === 'GET' && path === '/detector') return 'guardduty:ListDetectors';
      if (m === 'GET' && /^\/detector\/[^/]+$/.test(path)) return 'guardduty:GetDetector';
      if (m === 'POST' && /^\/detector\/[^/]+\/findings$/.test(path)) return 'guardduty:ListFindings';
      if (m === 'POST' && /^\/detector\/[^/]+\/findings\/get$/.test(path)) return 'guardduty:GetFindings';
      if (m === 'GET' && /^\/detector\/[^/]+\/administrator$/.test(path)) return 'guardduty:GetAdministratorAccount';
      if (m === 'GET' && /^\/detector\/[^/]+\/admin$/.test(path)) return 'guardduty:DescribeOrganizationConfiguration';
    }
    throw new Error(`fake aws: no route for ${service} ${req.method} ${path}`);
  }

  private answer(service: string, action: string, a: FakeAccount, region: string, req: IncomingMessage, body: string): unknown {
    const q = new URLSearchParams(body);
    const json = (): Record<string, unknown> => (body ? JSON.parse(body) as Record<string, unknown> : {});
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    switch (action) {
      case 'sts:GetCallerIdentity':
        return xml({ Arn: `arn:aws:iam::${a.id}:user/auditor`, UserId: 'AIDAAUDITOR', Account: a.id });
      case 'sts:AssumeRole': {
        const arn = q.get('RoleArn') ?? '';
        const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
        const target = m ? this.accounts.get(m[1]) : undefined;
        const role = m && target?.roles ? target.roles[m[2]] : undefined;
        if (!m || !target || role === undefined) throw new AwsError(403, 'AccessDenied', `not authorized to perform: sts:AssumeRole on resource: ${arn}`);
        if (role !== null && q.get('ExternalId') !== role) throw new AwsError(403, 'AccessDenied', `external id mismatch for ${arn}`);
        return `<Credentials>${xml({ AccessKeyId: `ASIA${m[1]}`, SecretAccessKey: 'fake-secret', SessionToken: 'fake-token', Expiration: iso(new Date(Date.now() + 3_600_000)) })}</Credentials>`
          + `<AssumedRoleUser>${xml({ AssumedRoleId: 'AROAFAKE:cdk-hardening-audit', Arn: `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/cdk-hardening-audit` })}</AssumedRoleUser>`;
      }
      case 'iam:GenerateCredentialReport': {
        const n = this.nth(`gen:${a.id}`);
        if (n <= (this.faults.reportLimitExceeded ?? 0)) throw new AwsError(409, 'LimitExceeded', 'Credential report generation already in progress');
        const states = this.faults.reportStates ?? ['COMPLETE'];
        const i = n - 1 - (this.faults.reportLimitExceeded ?? 0);
        return xml({ State: states[Math.min(i, states.length - 1)], Description: 'report' });
      }
      case 'iam:GetCredentialReport': {
        if (this.nth(`get:${a.id}`) <= (this.faults.reportExpired ?? 0)) {
          throw new AwsError(410, 'ReportExpired', 'The Credential Report has expired; generate a new one');
        }
        const at = this.faults.reportGeneratedAt?.() ?? new Date();
        return xml({ Content: Buffer.from(credentialReportCsv(a)).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: iso(at) });
      }
      case 'iam:GetAccountSummary': {
        const root = a.root ?? {};
        const map: Record<string, number> = {
          Users: a.users?.length ?? 0, Groups: a.groups?.length ?? 0,
          AccountMFAEnabled: (root.mfa ?? true) ? 1 : 0, AccountAccessKeysPresent: (root.keys ?? 0) > 0 ? 1 : 0,
        };
        return `<SummaryMap>${Object.entries(map).map(([k, v]) => `<entry><key>${k}</key><value>${v}</value></entry>`).join('')}</SummaryMap>`;
      }
      case 'iam:GetAccountPasswordPolicy': {
        if (!a.passwordPolicy) throw new AwsError(404, 'NoSuchEntity', `The Password Policy with domain name ${a.id} cannot be found.`);
        return `<PasswordPolicy>${xml(a.passwordPolicy)}</PasswordPolicy>`;
      }
      case 'iam:ListVirtualMFADevices': {
        const devices: string[] = [];
        if (a.root?.virtualMfa) devices.push(`<member><SerialNumber>arn:aws:iam::${a.id}:mfa/root-account-mfa-device</SerialNumber><User>${xml({ UserName: a.id, Arn: `arn:aws:iam::${a.id}:root`, UserId: a.id, Path: '/', CreateDate: '2020-01-01T00:00:00Z' })}</User></member>`);
        for (const u of a.users ?? []) {
          if (u.mfa) devices.push(`<member><SerialNumber>arn:aws:iam::${a.id}:mfa/${u.name}</SerialNumber><User>${xml({ UserName: u.name, Arn: `arn:aws:iam::${a.id}:user/${u.name}`, UserId: `AIDA${u.name}`, Path: '/', CreateDate: iso(u.created) })}</User><EnableDate>${iso(u.created)}</EnableDate></member>`);
        }
        return this.page(devices, q, 'VirtualMFADevices');
      }
      case 'iam:GetAccountAuthorizationDetails': {
        const start = Number(q.get('Marker') ?? 0);
        const size = Math.min(Number(q.get('MaxItems') ?? 100), 1000);
        const all = a.users ?? [];
        const users = all.slice(start, start + size).map((u) => `<member>${xml({ UserName: u.name, UserId: `AIDA${u.name}`, Arn: `arn:aws:iam::${a.id}:user/${u.name}`, Path: '/', CreateDate: iso(u.created) })}`
          + `<GroupList>${members((u.groups ?? []).map(esc))}</GroupList><UserPolicyList/><AttachedManagedPolicies/></member>`);
        const truncated = start + size < all.length;
        const first = start === 0;
        const groups = first ? (a.groups ?? []).map((g) => `<member>${xml({ GroupName: g.name, GroupId: `AGPA${g.name}`, Arn: `arn:aws:iam::${a.id}:group/${g.name}`, Path: '/', CreateDate: '2020-01-01T00:00:00Z' })}`
          + `<GroupPolicyList>${(g.inline ?? []).map((p) => `<member>${xml({ PolicyName: p.name, PolicyDocument: encodeURIComponent(JSON.stringify(p.document)) })}</member>`).join('')}</GroupPolicyList>`
          + `<AttachedManagedPolicies>${(g.attached ?? []).map((arn) => `<member>${xml({ PolicyName: arn.split('/').pop() ?? arn, PolicyArn: arn })}</member>`).join('')}</AttachedManagedPolicies></member>`) : [];
        const policies = first ? (a.policies ?? []).map((p) => `<member>${xml({ PolicyName: p.name, PolicyId: `ANPA${p.name}`, Arn: p.arn, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, IsAttachable: 'true' })}`
          + `<PolicyVersionList><member>${xml({ Document: encodeURIComponent(JSON.stringify(p.document)), VersionId: 'v1', IsDefaultVersion: 'true' })}</member></PolicyVersionList></member>`) : [];
        return `<UserDetailList>${users.join('')}</UserDetailList><GroupDetailList>${groups.join('')}</GroupDetailList><RoleDetailList/><Policies>${policies.join('')}</Policies>`
          + xml({ IsTruncated: String(truncated), Marker: truncated ? String(start + size) : undefined });
      }
      // The naive, one-call-per-user collection (benchmark only).
      case 'iam:ListUsers':
        return this.page((a.users ?? []).map((u) => `<member>${xml({ UserName: u.name, UserId: `AIDA${u.name}`, Arn: `arn:aws:iam::${a.id}:user/${u.name}`, Path: '/', CreateDate: iso(u.created) })}</member>`), q, 'Users');
      case 'iam:GetLoginProfile': {
        const u = this.user(a, q.get('UserName'));
        if (!u.password) throw new AwsError(404, 'NoSuchEntity', `Login Profile for User ${u.name} cannot be found.`);
        return `<LoginProfile>${xml({ UserName: u.name, CreateDate: iso(u.created), PasswordResetRequired: 'false' })}</LoginProfile>`;
      }
      case 'iam:ListMFADevices': {
        const u = this.user(a, q.get('UserName'));
        return `<MFADevices>${u.mfa ? `<member>${xml({ UserName: u.name, SerialNumber: `arn:aws:iam::${a.id}:mfa/${u.name}`, EnableDate: iso(u.created) })}</member>` : ''}</MFADevices><IsTruncated>false</IsTruncated>`;
      }
      case 'iam:ListAccessKeys': {
        const u = this.user(a, q.get('UserName'));
        return `<AccessKeyMetadata>${(u.keys ?? []).map((k, i) => `<member>${xml({ UserName: u.name, AccessKeyId: `AKIA${i}${u.name}`, Status: k.active ? 'Active' : 'Inactive', CreateDate: iso(k.rotated) })}</member>`).join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`;
      }
      case 'account:ListRegions': {
        const b = json();
        const wanted = (b.RegionOptStatusContains as string[] | undefined) ?? [];
        const all = (a.enabledRegions ?? ['us-east-1']).map((r) => ({ RegionName: r, RegionOptStatus: 'ENABLED_BY_DEFAULT' }))
          .filter((r) => wanted.length === 0 || wanted.includes(r.RegionOptStatus));
        const start = Number(b.NextToken ?? 0);
        const size = Number(b.MaxResults ?? 50);
        return { Regions: all.slice(start, start + size), ...(start + size < all.length ? { NextToken: String(start + size) } : {}) };
      }
      case 'organizations:DescribeOrganization':
        if (!a.organization) throw new AwsError(400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
        return { Organization: { Id: a.organization.id, Arn: `arn:aws:organizations::${a.organization.managementAccountId}:organization/${a.organization.id}`, MasterAccountId: a.organization.managementAccountId, FeatureSet: 'ALL' } };
      case 'organizations:ListAccounts': {
        if (!a.organizationAccounts) throw new AwsError(400, 'AccessDeniedException', 'You don\'t have permissions to access this resource.');
        const b = json();
        const start = Number(b.NextToken ?? 0);
        const size = Number(b.MaxResults ?? 20);
        const all = a.organizationAccounts.map((id) => ({ Id: id, Arn: `arn:aws:organizations::${a.id}:account/o-x/${id}`, Name: `acct-${id}`, Email: `${id}@example.com`, Status: 'ACTIVE', State: 'ACTIVE' }));
        return { Accounts: all.slice(start, start + size), ...(start + size < all.length ? { NextToken: String(start + size) } : {}) };
      }
    }
    if (service === 'guardduty') return this.guardduty(action, a, region, req, json, query);
    if (service === 'backup') return this.backup(action, a, region, req, query);
    if (service === 'cloudformation') return this.cloudformation(action, a, region, q);
    throw new AwsError(400, 'InvalidAction', `fake aws does not implement ${action}`);
  }

  private user(a: FakeAccount, name: string | null): FakeUser {
    const u = (a.users ?? []).find((x) => x.name === name);
    if (!u) throw new AwsError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    return u;
  }

  private page(items: string[], q: URLSearchParams, tag: string): string {
    const start = Number(q.get('Marker') ?? 0);
    const size = Math.min(Number(q.get('MaxItems') ?? 100), 1000);
    const truncated = start + size < items.length;
    return `<${tag}>${items.slice(start, start + size).join('')}</${tag}>` + xml({ IsTruncated: String(truncated), Marker: truncated ? String(start + size) : undefined });
  }

  /** A page of `items` by the REST `nextToken`/`maxResults` query (or the query protocol's `NextToken`/`MaxResults`). */
  private slice<T>(items: readonly T[], token: string | null, max: string | null, cap: number): { items: T[]; next?: string } {
    const start = Number(token ?? 0);
    const size = Math.min(Number(max ?? cap), cap);
    return { items: items.slice(start, start + size), ...(start + size < items.length ? { next: String(start + size) } : {}) };
  }

  private backup(action: string, a: FakeAccount, region: string, req: IncomingMessage, query: URLSearchParams): unknown {
    const b = a.backup?.[region] ?? { vaults: [], plans: [] };
    const parts = (req.url ?? '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
    const secs = (d: Date): number => d.getTime() / 1000;
    const plan = (): FakeBackupPlan => {
      const p = b.plans.find((x) => x.id === parts[2]);
      if (!p) throw new AwsError(404, 'ResourceNotFoundException', `Failed reading Backup plan with provided version ${parts[2]}`);
      return p;
    };
    const planArn = (id: string): string => `arn:aws:backup:${region}:${a.id}:backup-plan:${id}`;
    switch (action) {
      case 'backup:DescribeBackupVault': {
        const v = b.vaults.find((x) => x.name === parts[1]);
        if (!v) throw new AwsError(404, 'ResourceNotFoundException', `Backup vault ${parts[1]} does not exist`);
        return { BackupVaultName: v.name, BackupVaultArn: `arn:aws:backup:${region}:${a.id}:backup-vault:${v.name}`, Locked: v.locked,
          ...(v.min !== undefined ? { MinRetentionDays: v.min } : {}), ...(v.max !== undefined ? { MaxRetentionDays: v.max } : {}), ...(v.lockDate ? { LockDate: secs(v.lockDate) } : {}) };
      }
      case 'backup:ListBackupPlans': {
        const page = this.slice(b.plans, query.get('nextToken'), query.get('maxResults'), 100);
        return { BackupPlansList: page.items.map((p) => ({ BackupPlanId: p.id, BackupPlanArn: planArn(p.id), BackupPlanName: p.name, VersionId: 'v1' })), ...(page.next ? { NextToken: page.next } : {}) };
      }
      case 'backup:GetBackupPlan': {
        const p = plan();
        return { BackupPlanId: p.id, BackupPlanArn: planArn(p.id), VersionId: 'v1', BackupPlan: { BackupPlanName: p.name, Rules: p.rules.map((r, i) => ({
          RuleName: r.name, RuleId: `r${i}`, TargetBackupVaultName: r.vault, ScheduleExpression: 'cron(0 5 * * ? *)', ...(r.deleteAfterDays !== undefined ? { Lifecycle: { DeleteAfterDays: r.deleteAfterDays } } : {}) })) } };
      }
      case 'backup:ListBackupSelections': {
        const p = plan();
        const page = this.slice(p.selections, query.get('nextToken'), query.get('maxResults'), 100);
        return { BackupSelectionsList: page.items.map((x) => ({ SelectionId: x.id, SelectionName: x.name, BackupPlanId: p.id, IamRoleArn: `arn:aws:iam::${a.id}:role/backup` })), ...(page.next ? { NextToken: page.next } : {}) };
      }
      case 'backup:GetBackupSelection': {
        const p = plan();
        const x = p.selections.find((y) => y.id === parts[4]);
        if (!x) throw new AwsError(404, 'ResourceNotFoundException', `Selection ${parts[4]} not found`);
        return { SelectionId: x.id, BackupPlanId: p.id, BackupSelection: { SelectionName: x.name, IamRoleArn: `arn:aws:iam::${a.id}:role/backup`,
          ListOfTags: x.tags.map((t) => ({ ConditionType: 'STRINGEQUALS', ConditionKey: t.key, ConditionValue: t.value })), NotResources: x.notResources ?? [] } };
      }
    }
    throw new AwsError(400, 'InvalidAction', `fake aws does not implement ${action}`);
  }

  private cloudformation(action: string, a: FakeAccount, region: string, q: URLSearchParams): string {
    const stacks = (a.stacks?.[region] ?? []).filter((s) => (s.status ?? 'UPDATE_COMPLETE') !== 'DELETE_COMPLETE');
    const arn = (s: FakeStack): string => `arn:aws:cloudformation:${region}:${a.id}:stack/${s.name}/${s.name.toLowerCase()}-id`;
    const byName = (name: string | null): FakeStack => {
      const s = stacks.find((x) => x.name === name || arn(x) === name);
      if (!s) throw new AwsError(400, 'ValidationError', `Stack with id ${name} does not exist`);
      return s;
    };
    switch (action) {
      case 'cloudformation:DescribeStacks': {
        const page = this.slice(stacks, q.get('NextToken'), null, 5);
        return `<Stacks>${page.items.map((s) => `<member>${xml({ StackName: s.name, StackId: arn(s), CreationTime: '2024-01-01T00:00:00Z', StackStatus: s.status ?? 'UPDATE_COMPLETE' })}`
          + `<Tags>${Object.entries(s.tags ?? {}).map(([k, v]) => `<member>${xml({ Key: k, Value: v })}</member>`).join('')}</Tags></member>`).join('')}</Stacks>${xml({ NextToken: page.next })}`;
      }
      case 'cloudformation:DetectStackDrift':
        return xml({ StackDriftDetectionId: `drift-${region}-${byName(q.get('StackName')).name}` });
      case 'cloudformation:DescribeStackDriftDetectionStatus': {
        const id = q.get('StackDriftDetectionId') ?? '';
        const s = stacks.find((x) => id === `drift-${region}-${x.name}`);
        if (!s) throw new AwsError(400, 'ValidationError', `no drift detection ${id}`);
        const inProgress = this.nth(`drift:${a.id}:${id}`) <= (s.detectionPolls ?? 0);
        const drifted = (s.drifts ?? []).length > 0;
        return xml({ StackId: arn(s), StackDriftDetectionId: id, Timestamp: '2024-01-01T00:00:00Z',
          DetectionStatus: inProgress ? 'DETECTION_IN_PROGRESS' : s.detection ?? 'DETECTION_COMPLETE',
          ...(inProgress ? {} : { StackDriftStatus: drifted ? 'DRIFTED' : 'IN_SYNC', DriftedStackResourceCount: String((s.drifts ?? []).length) }),
          ...(!inProgress && s.detection === 'DETECTION_FAILED' ? { DetectionStatusReason: 'Failed to detect drift on resource [Vpc]: access denied' } : {}) });
      }
      case 'cloudformation:DescribeStackResourceDrifts': {
        const s = byName(q.get('StackName'));
        const page = this.slice(s.drifts ?? [], q.get('NextToken'), q.get('MaxResults'), 2);
        return `<StackResourceDrifts>${page.items.map((d) => `<member>${xml({ StackId: arn(s), LogicalResourceId: d.logicalId, PhysicalResourceId: `${d.logicalId.toLowerCase()}-1`,
          ResourceType: d.type, StackResourceDriftStatus: d.status, Timestamp: '2024-01-01T00:00:00Z' })}<PropertyDifferences>${d.differences.map((p) => `<member>${xml({
          PropertyPath: p.path, ExpectedValue: p.expected ?? '', ActualValue: p.actual ?? '', DifferenceType: p.kind })}</member>`).join('')}</PropertyDifferences></member>`).join('')}</StackResourceDrifts>${xml({ NextToken: page.next })}`;
      }
    }
    throw new AwsError(400, 'InvalidAction', `fake aws does not implement ${action}`);
  }

  private guardduty(action: string, a: FakeAccount, region: string, req: IncomingMessage, json: () => Record<string, unknown>, query: URLSearchParams): unknown {
    const d = a.guardduty?.[region];
    const id = (req.url ?? '').split('?')[0].split('/')[2];
    if (action === 'guardduty:ListDetectors') return { detectorIds: d ? [d.id] : [] };
    if (!d || d.id !== id) throw new AwsError(400, 'BadRequestException', `The request is rejected because the input detectorId is not owned by the current account.`);
    switch (action) {
      case 'guardduty:GetDetector':
        return { createdAt: '2024-01-01T00:00:00.000Z', serviceRole: 'arn:aws:iam::role/gd', status: d.status, updatedAt: '2024-01-01T00:00:00.000Z',
          features: d.features.map((f) => ({ name: f.name, status: f.status, updatedAt: 1704067200, ...(f.additional ? { additionalConfiguration: f.additional.map((a) => ({ name: a.name, status: a.status, updatedAt: 1704067200 })) } : {}) })) };
      case 'guardduty:ListFindings': {
        const b = json() as { findingCriteria?: { criterion?: Record<string, Record<string, unknown>> }; nextToken?: string; maxResults?: number; sortCriteria?: { attributeName?: string; orderBy?: string } };
        const c = b.findingCriteria?.criterion ?? {};
        const minSeverity = Number(c.severity?.greaterThanOrEqual ?? c.severity?.gte ?? 0);
        const archived = (c['service.archived']?.equals ?? c['service.archived']?.eq) as string[] | undefined;
        let list = (d.findings ?? []).filter((f) => f.severity >= minSeverity && (archived === undefined || archived.includes(String(f.archived ?? false))));
        if (b.sortCriteria?.attributeName === 'createdAt') {
          list = [...list].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
          if (b.sortCriteria.orderBy === 'DESC') list.reverse();
        }
        const start = Number(b.nextToken ?? 0);
        const size = Math.min(Number(b.maxResults ?? 50), 50);
        return { findingIds: list.slice(start, start + size).map((f) => f.id), ...(start + size < list.length ? { nextToken: String(start + size) } : {}) };
      }
      case 'guardduty:GetFindings': {
        const b = json() as { findingIds?: string[] };
        if ((b.findingIds ?? []).length > 50) throw new AwsError(400, 'BadRequestException', 'findingIds: at most 50');
        const byId = new Map((d.findings ?? []).map((f) => [f.id, f]));
        return { findings: (b.findingIds ?? []).map((fid) => byId.get(fid)).filter((f): f is FakeFinding => f !== undefined).map((f) => ({
          accountId: a.id, arn: `arn:aws:guardduty:${region}:${a.id}:detector/${d.id}/finding/${f.id}`, createdAt: f.createdAt.toISOString(),
          id: f.id, region, schemaVersion: '2.0', severity: f.severity, type: f.type ?? 'UnauthorizedAccess:EC2/SSHBruteForce', updatedAt: f.createdAt.toISOString(),
          resource: { resourceType: 'Instance' }, service: { archived: f.archived ?? false } })) };
      }
      case 'guardduty:GetAdministratorAccount':
        void query;
        return d.administrator ? { administrator: { accountId: d.administrator.accountId, invitationId: 'inv', relationshipStatus: d.administrator.relationshipStatus, invitedAt: '2024-01-01T00:00:00.000Z' } } : {};
      case 'guardduty:DescribeOrganizationConfiguration':
        if (!d.organizationConfiguration) throw new AwsError(400, 'BadRequestException', 'The request is rejected because the current account is not the delegated administrator.');
        return { autoEnable: d.organizationConfiguration.autoEnableOrganizationMembers !== 'NONE', memberAccountLimitReached: false, autoEnableOrganizationMembers: d.organizationConfiguration.autoEnableOrganizationMembers };
    }
    throw new AwsError(400, 'BadRequestException', `fake aws does not implement ${action}`);
  }
}

// ---- fixtures --------------------------------------------------------------------------------

export const REQUIRE_MFA_POLICY = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'DenyAllExceptMfaSetupWithoutMfa',
    Effect: 'Deny',
    NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  }],
};

/** Every plan ENABLED, runtime monitoring with its agent management (as GuardDutyDetector configures it). */
export const ALL_FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING']
  .map((name) => ({
    name, status: 'ENABLED' as const,
    ...(name === 'RUNTIME_MONITORING' ? { additional: ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'].map((a) => ({ name: a, status: 'ENABLED' as const })) } : {}),
  }));

export const STRONG_PASSWORD_POLICY = {
  MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true, PasswordReusePrevention: 24, AllowUsersToChangePassword: true, ExpirePasswords: false,
};

const DAY = 86_400_000;

/** The names the hardened environment gives its stacks (lib/stacks/hardened-environment.ts), with the default prefix. */
export const HARDENED_STACKS = ['HardeningData', 'HardeningLogging', 'HardeningNetwork', 'HardeningIdentity', 'HardeningDetection', 'HardeningRecovery'];

/**
 * What RecoveryStack and buildHardenedEnvironment leave in `region`: the locked vault, the plan writing
 * into it with its selection by the backup tag (beside an application's own plan), and the six stacks,
 * tagged, in sync.
 */
export function hardenedRecovery(region: string, now = new Date()): Pick<FakeAccount, 'backup' | 'stacks'> {
  const vault = 'Hardening-locked-vault';
  return {
    backup: { [region]: {
      vaults: [{ name: vault, locked: true, min: 90, max: 3650, lockDate: new Date(now.getTime() - 300 * DAY) }, { name: 'Default', locked: false }],
      plans: [
        { id: 'app-plan', name: 'app-nightly', rules: [{ name: 'Nightly', vault: 'Default', deleteAfterDays: 7 }], selections: [{ id: 'app-sel', name: 'app', tags: [{ key: 'app', value: 'web' }] }] },
        { id: 'hardened-plan', name: 'Resource', rules: [{ name: 'Daily', vault, deleteAfterDays: 90 }, { name: 'Monthly', vault, deleteAfterDays: 365 }],
          selections: [{ id: 'by-tag', name: 'ByTag', tags: [{ key: 'hardening:backup', value: 'required' }] }] },
      ],
    } },
    stacks: { [region]: [...HARDENED_STACKS.map((name) => ({ name, tags: { 'hardening:managed-by': 'cdk-hardening' } })), { name: 'app-web', tags: { app: 'web' } }] },
  };
}

/** A compliant account: root with hardware MFA, users with MFA in the require-mfa group, fresh keys, GuardDuty everywhere. */
export function compliantAccount(id: string, regions: readonly string[], now = new Date()): FakeAccount {
  const ago = (days: number): Date => new Date(now.getTime() - days * DAY);
  return {
    id,
    root: { mfa: true, virtualMfa: false, keys: 0, passwordLastUsed: ago(200) },
    users: [
      { name: 'alice', created: ago(300), password: { lastUsed: ago(1) }, mfa: true, keys: [{ active: true, rotated: ago(30), lastUsed: ago(1) }], groups: ['operators'] },
      { name: 'bob', created: ago(300), password: { lastUsed: ago(2) }, mfa: true, groups: ['operators'] },
    ],
    groups: [{ name: 'operators', attached: [`arn:aws:iam::${id}:policy/require-mfa`] }],
    policies: [{ arn: `arn:aws:iam::${id}:policy/require-mfa`, name: 'require-mfa', document: REQUIRE_MFA_POLICY }],
    passwordPolicy: STRONG_PASSWORD_POLICY,
    enabledRegions: regions,
    guardduty: Object.fromEntries(regions.map((r) => [r, { id: `det${r.replace(/-/g, '')}`, status: 'ENABLED' as const, features: ALL_FEATURES, findings: [] }])),
    organization: null,
  };
}
