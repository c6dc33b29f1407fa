import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CliIO } from '../lib/cli/io';
import { main } from '../lib/cli/main';
import { ROOT } from './helpers/app';
import { ORGANIZATION_EXAMPLE, organizationCliArgs } from './helpers/organization';
import { pinTemplates, readPinned } from './helpers/pinned';

/** `cdk-hardening check <dir> --format json`: the exit code and the rule and logical id of each FAIL or ERROR. */
async function check(dir: string): Promise<{ code: number; failed: string[] }> {
  const out: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: () => undefined, stderrIsTTY: false, env: {}, now: () => new Date() };
  const code = await main(['check', dir, '--format', 'json'], io);
  const findings = JSON.parse(out.join('')).findings as { ruleId: string; status: string; resource: { logicalId?: string; id: string } }[];
  return { code, failed: findings.filter((f) => f.status === 'FAIL' || f.status === 'ERROR').map((f) => `${f.ruleId} ${f.resource.logicalId ?? f.resource.id}`) };
}

/** Runs the real CDK CLI on the real app, offline, as a platform engineer would; returns the output directory too. */
function cdkSynth(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'hardening-synth-'));
  const r = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' }, timeout: 300_000,
  });
  return { ...r, out };
}

describe('bin/app.ts under `cdk synth`: the two deployment modes', () => {
  const outs: string[] = [];
  afterAll(() => { for (const o of outs) rmSync(o, { recursive: true, force: true }); });

  test('without the organization keys: exactly the pinned account-mode templates', () => {
    // In-process synthesis (the pin) writes no path, asset or version metadata; the CLI adds them unless told not to.
    const r = cdkSynth('--no-version-reporting', '--no-path-metadata', '--no-asset-metadata');
    outs.push(r.out);
    expect([r.status, r.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    expect(pinTemplates(r.out)).toEqual(readPinned());
  });

  test('with -c hardening:deploymentMode=organization and the example keys: the organization stacks and the StackSet templates, clean under every pack', async () => {
    const r = cdkSynth(...organizationCliArgs());
    outs.push(r.out);
    expect([r.status, r.stderr.slice(-3000)]).toEqual([0, expect.any(String)]);
    const files = pinTemplates(r.out).map((t) => t.file);
    expect(files).toEqual(expect.arrayContaining([
      'HardeningOrgLogArchive.template.json', 'HardeningOrgManagement.template.json', 'HardeningOrgBaseline.template.json',
      'HardeningSecurityTooling-us-east-1.template.json', 'HardeningSecurityTooling-us-west-2.template.json', 'HardeningSecurityTooling-eu-west-1.template.json',
    ]));
    expect(files.filter((f) => f.startsWith('HardeningBaselineTemplates'))).toHaveLength(2);
    expect(files).not.toContain('HardeningData.template.json');
    expect(existsSync(join(r.out, 'breach-lessons-evidence.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(r.out, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
    // `check` on the cloud assembly agrees: the templates are StackSet templates (their Metadata says so).
    expect(await check(r.out)).toMatchObject({ code: 0, failed: [] });
  });

  test('a violation inside a StackSet template fails `cdk synth` (the CLI reports only selected stacks: it is reported on the StackSet)', async () => {
    // protect-security-services on one of the two baseline OUs: in the other, anyone who may create roles can mint
    // a stacksets-exec-* role and rewrite the baseline keys' policies.
    const r = cdkSynth(...organizationCliArgs({ ...ORGANIZATION_EXAMPLE, 'hardening:scpTargets': '{"protect-security-services":["ou-ab12-cdefgh34"],"deny-root-user":["r-ab12"]}' }));
    outs.push(r.out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('HardeningBaselineTemplates/HardeningBaselineRegional/Vault/Key/Resource/Resource');
    expect(r.stderr).toContain('HardeningOrgBaseline/RegionalBaseline/Resource');
    expect(r.stderr).toContain('no SCP that denies creating or re-trusting a stacksets-exec-* role is attached to ou-ab12-ijklmn56');
    // `check` on the same cloud assembly fails on the same three keys, and nothing else.
    const c = await check(r.out);
    expect(c.code).toBe(1);
    expect(c.failed.sort()).toEqual(['AlertsKey8A152C4B', 'PasswordPolicyAutomationLogKeyA92FA9AB', 'VaultKey15AFE465'].map((id) => `BreachLessons-KMSKeyPolicyNamedAdministrators ${id}`));
  });

  test('organization mode without its keys stops synthesis, listing every missing key, no stack trace', () => {
    const r = cdkSynth('-c', 'hardening:deploymentMode=organization');
    outs.push(r.out);
    expect(r.status).not.toBe(0);
    for (const k of ['organizationId', 'managementAccountId', 'securityToolingAccountId', 'logArchiveAccountId', 'baselineTargets', 'scpTargets']) {
      expect(r.stderr).toContain(`hardening:${k}=(unset): is required in organization mode`);
    }
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
