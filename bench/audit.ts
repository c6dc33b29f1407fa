/**
 * Benchmark of the live audit's collection: a 10,000-user account across 17 regions, served by the
 * loopback fake AWS (in a child process, so only the collector's memory is measured here) with
 * 20 ms per call. Measures the real collector (credential report + authorization details) and a
 * naive one-call-per-user collection (ListUsers, then GetLoginProfile + ListMFADevices +
 * ListAccessKeys per user, GuardDuty collected the same way) in one run, and prints the ratios.
 * Then the recovery path and drift (BAK-VAULTLOCK, cloudformation-drift): their API calls per region
 * within the real run, and the time of their collectors alone for the account.
 *
 *   npx tsx -e "require('./bench/audit').run()"
 */
import { fork, ChildProcess } from 'child_process';
import { join } from 'path';
import {
  GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetLoginProfileCommand, IAMClient, ListAccessKeysCommand,
  ListMFADevicesCommand, paginateListUsers,
} from '@aws-sdk/client-iam';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import {
  AuditClients, DEFAULT_DRIFT_POLLING, DEFAULT_DRIFT_SETTINGS, DEFAULT_RECOVERY_SETTINGS, KNOWN_REGIONS, collectBackupRegion, collectDriftRegion,
  collectGuardDutyRegion, runAudit,
} from '../lib/audit';
import { mapLimit } from '../lib/audit/pool';
import { Finding } from '../lib/findings';
import { HARDENED_STACKS } from '../test/audit/support/fake-aws';

export const USERS = 10_000;
export const REGION_COUNT = 17;
export const LATENCY_MS = 20;
/** A naive tool's worker pool (Prowler-style threads). */
export const NAIVE_CONCURRENCY = 50;
const TARGET_MS = 10_000;

const CREDS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'fake-secret' };
/** us-east-1 first: the hardened environment's default region, where the fake holds its vault, plans and stacks. */
const REGIONS = ['us-east-1', ...KNOWN_REGIONS.filter((r) => r !== 'us-east-1' && !r.startsWith('us-gov') && !r.startsWith('cn-'))].slice(0, REGION_COUNT);
const NEW_CHECKS = ['backup-vault-lock', 'backup-plan-coverage', 'cloudformation-drift'];

type Calls = Record<string, number>;

interface Measurement {
  readonly name: string;
  readonly calls: Calls;
  readonly byRegion: Record<string, Calls>;
  readonly wallMs: number;
  readonly peakHeapMb: number;
  readonly peakRssMb: number;
  readonly findings?: number;
}

class Server {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<{ server: Server; url: string }> {
    const child = fork(join(__dirname, '../test/audit/support/fake-aws-process.ts'), [], {
      execArgv: ['--import', 'tsx', '--no-warnings'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new Server(child);
    const { url } = await server.ask<{ url: string }>({ cmd: 'start', users: USERS, regions: REGIONS, latencyMs: LATENCY_MS });
    return { server, url };
  }

  ask<T>(message: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.once('error', reject);
      this.child.send(message);
    });
  }

  async calls(): Promise<{ calls: Calls; byRegion: Record<string, Calls> }> {
    return this.ask<{ calls: Calls; byRegion: Record<string, Calls> }>({ cmd: 'calls' });
  }

  stop(): void {
    this.child.send({ cmd: 'stop' });
  }
}

/** Runs `fn`, sampling heap and RSS every 5 ms; the heap peak is above the baseline before the run. */
async function measure(name: string, server: Server, fn: () => Promise<number | undefined>): Promise<Measurement> {
  await server.calls(); // reset
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  const t = process.hrtime.bigint();
  const findings = await fn();
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  clearInterval(timer);
  const end = process.memoryUsage();
  peakHeap = Math.max(peakHeap, end.heapUsed);
  peakRss = Math.max(peakRss, end.rss);
  return { name, ...(await server.calls()), wallMs, peakHeapMb: (peakHeap - base.heapUsed) / 2 ** 20, peakRssMb: peakRss / 2 ** 20, findings };
}

function clientConfig(url: string, region = 'us-east-1') {
  return { region, endpoint: url, credentials: CREDS, retryMode: 'adaptive', maxAttempts: 5 };
}

/** The new checks' findings of the last real run. */
let newFindings: Finding[] = [];

/** The real audit: collect (credential report, authorization details, GuardDuty per region), then check. */
async function real(url: string): Promise<number> {
  const result = await runAudit({ clients: { endpoint: url, credentials: CREDS } });
  newFindings = result.findings.filter((f) => NEW_CHECKS.includes(f.ruleId));
  return result.findings.length;
}

/** The recovery path and drift collectors alone, every region at once as the audit runs them (8 in flight). */
async function recoveryAndDrift(url: string): Promise<number> {
  const clients = new AuditClients({ endpoint: url, credentials: CREDS });
  try {
    const regions = await mapLimit(REGIONS, 8, (r) => Promise.all([
      collectBackupRegion(clients.backup(r), r, DEFAULT_RECOVERY_SETTINGS),
      collectDriftRegion(clients.cloudformation(r), r, DEFAULT_DRIFT_SETTINGS, DEFAULT_DRIFT_POLLING),
    ]));
    return regions.length;
  } finally {
    clients.destroy();
  }
}

/** Calls of one service prefix in a region. */
const inRegion = (byRegion: Record<string, Calls>, region: string, prefixes: readonly string[]): number =>
  Object.entries(byRegion[region] ?? {}).filter(([k]) => prefixes.some((p) => k.startsWith(p))).reduce((n, [, v]) => n + v, 0);

/** What a naive collector does: list users, then three calls per user; GuardDuty the same as the real one. */
async function naive(url: string): Promise<undefined> {
  const iam = new IAMClient(clientConfig(url));
  try {
    const users: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) users.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    await iam.send(new GetAccountSummaryCommand({}));
    await iam.send(new GetAccountPasswordPolicyCommand({}));
    await mapLimit(users, NAIVE_CONCURRENCY, async (UserName) => {
      const profile = await iam.send(new GetLoginProfileCommand({ UserName })).catch((e: Error) => (e.name === 'NoSuchEntityException' ? undefined : Promise.reject(e)));
      const mfa = await iam.send(new ListMFADevicesCommand({ UserName }));
      const keys = await iam.send(new ListAccessKeysCommand({ UserName }));
      return { UserName, console: profile !== undefined, mfa: (mfa.MFADevices ?? []).length > 0, keys: keys.AccessKeyMetadata ?? [] };
    });
    await mapLimit(REGIONS, 8, async (r) => {
      const gd = new GuardDutyClient(clientConfig(url, r));
      try {
        return await collectGuardDutyRegion(gd, r, false);
      } finally {
        gd.destroy();
      }
    });
  } finally {
    iam.destroy();
  }
  return undefined;
}

const total = (c: Record<string, number>, prefix = ''): number => Object.entries(c).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

/** The IAM calls that grow with the number of users: paginated listings, 1,000 a page. */
const pages = (c: Record<string, number>): number => (c['iam:GetAccountAuthorizationDetails'] ?? 0) + (c['iam:ListVirtualMFADevices'] ?? 0);

function report(r: Measurement): string {
  const iam = Object.entries(r.calls).filter(([k]) => k.startsWith('iam:')).sort().map(([k, v]) => `${k.slice(4)} ${v}`).join(', ');
  return [
    `${r.name}:`,
    `  API calls     ${total(r.calls)} (IAM ${total(r.calls, 'iam:')}, GuardDuty ${total(r.calls, 'guardduty:')}, other ${total(r.calls) - total(r.calls, 'iam:') - total(r.calls, 'guardduty:')})`,
    `  IAM calls     ${iam}`,
    `  wall time     ${(r.wallMs / 1000).toFixed(2)} s`,
    `  peak heap     +${r.peakHeapMb.toFixed(1)} MB over the baseline`,
    `  peak RSS      ${r.peakRssMb.toFixed(1)} MB`,
    ...(r.findings !== undefined ? [`  findings      ${r.findings}`] : []),
  ].join('\n');
}

export async function run(): Promise<void> {
  const { server, url } = await Server.start();
  try {
    console.log(`audit benchmark: ${USERS.toLocaleString('en-US')} users, ${REGIONS.length} regions, ${LATENCY_MS} ms per call (loopback fake AWS in a child process)`);
    const r = await measure('real collector (credential report + authorization details)', server, () => real(url));
    console.log(report(r));
    const n = await measure(`naive collector (3 IAM calls per user, ${NAIVE_CONCURRENCY} in flight)`, server, () => naive(url));
    console.log(report(n));
    const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : `${(a / b).toFixed(1)}x`);
    console.log([
      'naive / real:',
      `  API calls     ${ratio(total(n.calls), total(r.calls))} (IAM ${ratio(total(n.calls, 'iam:'), total(r.calls, 'iam:'))})`,
      `  wall time     ${ratio(n.wallMs, r.wallMs)}`,
      `  peak heap     ${ratio(n.peakHeapMb, r.peakHeapMb)}`,
      `  process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB (whole run)`,
      `target: real collector under ${TARGET_MS / 1000} s — ${r.wallMs < TARGET_MS ? 'met' : 'MISSED'} (${(r.wallMs / 1000).toFixed(2)} s)`,
      `IAM calls: ${total(r.calls, 'iam:')} = ${total(r.calls, 'iam:') - pages(r.calls)} fixed + ${pages(r.calls)} pages`
        + ` (GetAccountAuthorizationDetails, ListVirtualMFADevices: 1,000 users a page) — naive: ${total(n.calls, 'iam:')}, 3 per user`,
    ].join('\n'));
    const NEW = ['backup:', 'cloudformation:'];
    const home = r.byRegion['us-east-1'] ?? {};
    const others = REGIONS.filter((x) => x !== 'us-east-1').map((x) => inRegion(r.byRegion, x, NEW));
    const alone = await measure('recovery path and drift collectors alone', server, () => recoveryAndDrift(url));
    const statuses = new Map<string, number>();
    for (const f of newFindings) statuses.set(`${f.ruleId} ${f.status}`, (statuses.get(`${f.ruleId} ${f.status}`) ?? 0) + 1);
    console.log([
      `recovery path and drift (BAK-VAULTLOCK backup-vault-lock + backup-plan-coverage, cloudformation-drift), per account, ${REGIONS.length} regions:`,
      `  API calls     ${total(r.calls, 'backup:') + total(r.calls, 'cloudformation:')} of the real run's ${total(r.calls)} (backup ${total(r.calls, 'backup:')}, cloudformation ${total(r.calls, 'cloudformation:')})`,
      `  per region    home us-east-1 ${inRegion(r.byRegion, 'us-east-1', NEW)} (${HARDENED_STACKS.length} stacks of the environment, 2 plans, 1 selection); each other region ${Math.min(...others)}-${Math.max(...others)}`,
      `  home region   ${Object.entries(home).filter(([k]) => NEW.some((p) => k.startsWith(p))).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `  time alone    ${(alone.wallMs / 1000).toFixed(2)} s for the account (${total(alone.calls)} calls, ${LATENCY_MS} ms each; the fake ends each drift detection at once — in AWS a detection takes seconds to minutes, waited for at most ${DEFAULT_DRIFT_POLLING.maxPolls} polls, ${DEFAULT_DRIFT_POLLING.initialDelayMs / 1000} s doubling to ${DEFAULT_DRIFT_POLLING.maxDelayMs / 1000} s)`,
      `  findings      ${[...statuses].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      '  bound         per region: DescribeBackupVault + DescribeStacks pages; where the vault is or must be: ListBackupPlans pages + 1 GetBackupPlan per plan'
        + ' + per plan writing into the vault ListBackupSelections + 1 GetBackupSelection per selection; per stack of the environment: DetectStackDrift'
        + ` + DescribeStackDriftDetectionStatus (at most ${DEFAULT_DRIFT_POLLING.maxPolls}) + DescribeStackResourceDrifts pages — none grows with users or with the account's other stacks`,
    ].join('\n'));
  } finally {
    server.stop();
  }
}
