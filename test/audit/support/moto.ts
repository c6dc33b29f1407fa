/**
 * A real AWS-protocol server for integration tests: moto (`python3 -m moto.server`) on a free loopback
 * port, behind a recording proxy that notes every action the SDK sent (for the least-privilege proof).
 * When moto cannot start, `startMoto` throws a clear error: the test fails, it never skips.
 */
import { ChildProcess, spawn } from 'child_process';
import { IncomingMessage, ServerResponse, createServer, request } from 'http';
import { AddressInfo, createServer as netServer } from 'net';

export interface Moto {
  /** The recording proxy's endpoint: point the SDK here. */
  readonly endpoint: string;
  /** moto itself, for seeding scripts. */
  readonly motoEndpoint: string;
  /** The distinct IAM actions sent through the proxy (`cloudtrail:DescribeTrails`, ...). */
  actions(): string[];
  /** Every call sent, in order: action and signing region. */
  calls(): readonly { readonly action: string; readonly region: string }[];
  stop(): Promise<void>;
}

/** The IAM prefix of the services whose signing name differs. */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch', tagging: 'tag', email: 'ses' };

export async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** REST services: the IAM action of a method and path (the wire carries no operation name). */
const REST_ROUTES: readonly [string, string, RegExp, string][] = [
  ['backup', 'GET', /^\/backup-vaults\/[^/]+\/?$/, 'DescribeBackupVault'],
  ['backup', 'GET', /^\/backup\/plans\/?$/, 'ListBackupPlans'],
  ['backup', 'GET', /^\/backup\/plans\/[^/]+\/?$/, 'GetBackupPlan'],
  ['backup', 'GET', /^\/backup\/plans\/[^/]+\/selections\/?$/, 'ListBackupSelections'],
  ['backup', 'GET', /^\/backup\/plans\/[^/]+\/selections\/[^/]+\/?$/, 'GetBackupSelection'],
  ['access-analyzer', 'GET', /^\/analyzer\/?$/, 'ListAnalyzers'],
  ['s3', 'GET', /^\/v20180820\/configuration\/publicAccessBlock\/?$/, 'GetAccountPublicAccessBlock'],
];

/** The IAM action of a signed request: JSON target header, query `Action`, rpcv2 path, or a known REST route. */
export function actionOf(req: IncomingMessage, body: string): string | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  if (!scope) return undefined;
  const service = IAM_PREFIX[scope[1]] ?? scope[1];
  const target = req.headers['x-amz-target'];
  if (target) return `${service}:${String(target).split('.').pop()}`;
  const rpc = /\/operation\/([A-Za-z]+)$/.exec((req.url ?? '').split('?')[0]);
  if (rpc) return `${service}:${rpc[1]}`;
  const q = new URLSearchParams(body).get('Action') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('Action');
  if (q) return `${service}:${q}`;
  const path = (req.url ?? '').split('?')[0];
  const rest = REST_ROUTES.find(([s, m, re]) => s === scope[1] && m === req.method && re.test(path));
  return rest ? `${IAM_PREFIX[rest[0]] ?? rest[0]}:${rest[3]}` : `${service}:${req.method} ${path}`;
}

async function waitUp(url: string, child: ChildProcess, stderr: () => string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto could not start: python3 -m moto.server exited with ${child.exitCode}: ${stderr().trim().split('\n').slice(-3).join(' | ')}`);
    const up = await new Promise<boolean>((resolve) => {
      const r = request(`${url}/moto-api/`, (res) => { res.resume(); resolve((res.statusCode ?? 500) < 500); });
      r.on('error', () => resolve(false));
      r.end();
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto could not start: no answer on ${url} within ${ms} ms: ${stderr().trim().split('\n').slice(-3).join(' | ')}`);
}

/** Starts moto and the recording proxy; throws a clear error when moto cannot start. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  const port = await freePort();
  let err = '';
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
  const spawnError = new Promise<never>((_, reject) => child.on('error', (e) => reject(new Error(`moto could not start: ${e.message} (is python3 with moto 5 installed?)`))));
  const motoEndpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUp(motoEndpoint, child, () => err, timeoutMs), spawnError]);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  const seen = new Set<string>();
  const log: { action: string; region: string }[] = [];
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const a = actionOf(req, body.toString('utf8'));
      if (a) {
        seen.add(a);
        const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '?';
        log.push({ action: a, region });
      }
      const up = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    motoEndpoint,
    actions: () => [...seen].sort(),
    calls: () => log,
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}
