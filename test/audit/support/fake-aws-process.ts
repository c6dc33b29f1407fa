/**
 * Runs a FakeAws in a child process (for the benchmark, so the collector's memory is measured
 * without the server's). Protocol over IPC:
 *   parent -> { cmd: 'start', users, regions, latencyMs }   child -> { url }
 *   parent -> { cmd: 'calls' }                               child -> { calls: Record<action, n>, byRegion: Record<region, Record<action, n>> } (and resets)
 *   parent -> { cmd: 'stop' }                                child exits
 */
import { FakeAccount, FakeAws, FakeUser, compliantAccount, hardenedRecovery } from './fake-aws';

const DAY = 86_400_000;

/**
 * A large account: `users` users (a mix of console users, key users, MFA and not), detectors in every
 * region, and the hardened environment's vault, plans and stacks in us-east-1 (its default region) when audited.
 */
export function largeAccount(id: string, users: number, regions: readonly string[], now = new Date()): FakeAccount {
  const base = compliantAccount(id, regions, now);
  const ago = (d: number): Date => new Date(now.getTime() - d * DAY);
  const list: FakeUser[] = Array.from({ length: users }, (_, i) => ({
    name: `user${String(i).padStart(5, '0')}`,
    created: ago(400 + (i % 300)),
    password: i % 3 === 0 ? undefined : { lastUsed: ago(i % 60) },
    mfa: i % 7 !== 0,
    keys: i % 2 === 0 ? [{ active: true, rotated: ago(i % 200), lastUsed: ago(i % 50) }] : [],
    groups: i % 11 === 0 ? [] : ['operators'],
  }));
  const guardduty = Object.fromEntries(Object.entries(base.guardduty ?? {}).map(([r, d]) => [r, {
    ...d, findings: Array.from({ length: 120 }, (_, j) => ({ id: `${r}-f${j}`, severity: 2 + (j % 8), createdAt: ago(j % 10), archived: j % 5 === 0 })),
  }]));
  return { ...base, users: list, guardduty, ...(regions.includes('us-east-1') ? hardenedRecovery('us-east-1', now) : {}) };
}

let fake: FakeAws | undefined;
let seen = 0;

process.on('message', (m: { cmd: string; users?: number; regions?: string[]; latencyMs?: number }) => {
  void (async () => {
    if (m.cmd === 'start') {
      fake = new FakeAws(largeAccount('111122223333', m.users ?? 0, m.regions ?? ['us-east-1']), { latencyMs: m.latencyMs });
      const url = await fake.start();
      process.send?.({ url });
    } else if (m.cmd === 'calls') {
      const calls: Record<string, number> = {};
      const byRegion: Record<string, Record<string, number>> = {};
      for (const c of fake?.calls.slice(seen) ?? []) {
        calls[c.action] = (calls[c.action] ?? 0) + 1;
        const r = (byRegion[c.region] ??= {});
        r[c.action] = (r[c.action] ?? 0) + 1;
      }
      seen = fake?.calls.length ?? 0;
      process.send?.({ calls, byRegion });
    } else if (m.cmd === 'stop') {
      await fake?.stop();
      process.exit(0);
    }
  })();
});
