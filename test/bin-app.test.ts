import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './helpers/app';

/** Runs the real CDK CLI on the real app, as a platform engineer would. */
function cdkSynth(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'hardening-synth-'));
  return spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' }, timeout: 180_000,
  });
}

describe('bin/app.ts under `cdk synth`', () => {
  test('a retention below the minimum and a misspelt key stop synthesis, one line each naming key and value', () => {
    const r = cdkSynth('-c', 'hardening:logRetentionDays=30', '-c', 'hardening:alertEmail=x@example.com');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('hardening:logRetentionDays=30: must be at least 365 days');
    expect(r.stderr).toContain('hardening:alertEmail="x@example.com": unknown context key (did you mean hardening:alertEmails?)');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
