import { AuditClients, toFailure, describeFailure } from '../../lib/audit';
import { mapLimit } from '../../lib/audit/pool';

describe('AuditClients', () => {
  const clients = new AuditClients({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 7 });
  afterAll(() => clients.destroy());

  it('configures every client with the adaptive retry mode, the attempts and the endpoint', async () => {
    const all = [clients.iam(), clients.sts(), clients.organizations(), clients.account(), clients.guardduty('eu-west-1')];
    for (const c of all) {
      const config = c.config as unknown as {
        retryStrategy: () => Promise<{ mode: string; maxAttemptsProvider: () => Promise<number> }>;
        endpoint?: () => Promise<{ hostname: string; port?: number }>;
      };
      const retry = await config.retryStrategy();
      expect(retry.mode).toBe('adaptive');
      expect(await retry.maxAttemptsProvider()).toBe(7);
      const ep = await config.endpoint!();
      expect(`${ep.hostname}:${ep.port}`).toBe('127.0.0.1:9');
    }
    expect(await clients.guardduty('eu-west-1').config.region()).toBe('eu-west-1');
    expect(await clients.iam().config.region()).toBe('us-east-1');
  });

  it('withCredentials keeps the settings but drops the profile', () => {
    const c = new AuditClients({ profile: 'p', endpoint: 'http://x' }).withCredentials({ accessKeyId: 'k', secretAccessKey: 's' });
    expect(c.settings).toEqual({ endpoint: 'http://x', profile: undefined, credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  });
});

describe('toFailure', () => {
  it.each([
    [{ name: 'AccessDenied', message: 'no' }, 'access-denied'],
    [{ name: 'AccessDeniedException', message: 'no' }, 'access-denied'],
    [{ name: 'Weird', message: 'x', $metadata: { httpStatusCode: 403 } }, 'access-denied'],
    [{ name: 'Throttling', message: 'Rate exceeded' }, 'throttled'],
    [{ name: 'TooManyRequestsException', message: 'slow down' }, 'throttled'],
    [{ name: 'TimeoutError', message: 'socket' }, 'timeout'],
    [{ name: 'Error', message: 'connect ETIMEDOUT 1.2.3.4:443' }, 'timeout'],
    [{ name: 'InternalFailure', message: 'boom' }, 'error'],
  ])('%j is %s', (e, kind) => {
    expect(toFailure('iam:GetAccountSummary', e).kind).toBe(kind);
  });
  it('describes a failure in one line naming the action and code', () => {
    expect(describeFailure(toFailure('guardduty:GetDetector', { name: 'AccessDeniedException', message: 'not authorized\nsecond line' })))
      .toBe('cannot verify: guardduty:GetDetector access denied (AccessDeniedException: not authorized)');
  });
});

describe('mapLimit', () => {
  it('keeps order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });
  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
