import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { auditOptionsFromFlags } from '../../lib/cli/audit';
import { main } from '../../lib/cli/main';
import { CliIO } from '../../lib/cli/io';

const dir = mkdtempSync(join(tmpdir(), 'audit-org-flags-'));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const GOOD = {
  context: {
    'hardening:deploymentMode': 'organization', 'hardening:governedRegions': ['us-east-1'], 'hardening:baselineTargets': ['ou-ab12-workload0'],
    'hardening:scpTargets': { 'deny-root-user': ['ou-ab12-workload0'] }, 'hardening:auditRoleName': 'OrganizationAudit',
    'hardening:baselineStackSets': ['Hardening-baseline'],
  },
};
const FLAGS = { format: 'json' as const, failOn: 'warning' as const, roleArn: [], concurrency: '4', triageHours: '24' };

async function usage(args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const io: CliIO = { stdout: () => undefined, stderr: (t) => err.push(t), stderrIsTTY: false, env: {}, now: () => new Date() };
  const code = await main(['audit', ...args], io);
  return { code, stderr: err.join('') };
}

describe('audit --organization-config', () => {
  it('reads the organization keys of a cdk.json into the audit options', () => {
    const o = auditOptionsFromFlags({ ...FLAGS, organizationRole: 'OrganizationAudit', organizationConfig: file('cdk.json', GOOD) });
    expect(o.organization).toMatchObject({ governedRegions: ['us-east-1'], baselineTargets: ['ou-ab12-workload0'], baselineStackSets: [{ name: 'Hardening-baseline' }] });
    expect(o.organization).not.toHaveProperty('auditRoleName');
    expect(auditOptionsFromFlags({ ...FLAGS, organizationRole: 'OrganizationAudit' }).organization).toBeUndefined();
  });

  it.each([
    ['without --organization-role', ['--organization-config', 'x.json'], '--organization-config needs --organization-role'],
    ['with a missing file', ['--organization-role', 'OrganizationAudit', '--organization-config', join(dir, 'nope.json')], 'no such file'],
    ['with a file that is not JSON', ['--organization-role', 'OrganizationAudit', '--organization-config', file('bad.json', '{oops')], 'not valid JSON'],
    ['with a bad key, naming it', ['--organization-role', 'OrganizationAudit', '--organization-config', file('badkey.json', { ...GOOD.context, 'hardening:baselineTargets': ['nope'] })],
      'baselineTargets.0: must be an organization root'],
    ['with a role other than the configured auditRoleName', ['--organization-role', 'Other', '--organization-config', file('cdk2.json', GOOD)], "is not the configured auditRoleName 'OrganizationAudit'"],
  ])('is bad usage (exit 2) %s', async (_n, args, message) => {
    const r = await usage(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--checks accepts the organization checks by id and control', async () => {
    const r = await usage(['--checks', 'org-nope']);
    expect(r.code).toBe(2);
    const { selectChecks } = await import('../../lib/cli/audit');
    const { ORGANIZATION_CHECKS } = await import('../../lib/audit/checks/organization');
    expect([...selectChecks('org-scp-attached,GD-CENTRAL', ORGANIZATION_CHECKS)!]).toEqual(['org-scp-attached', 'org-guardduty-auto-enable']);
  });
});
