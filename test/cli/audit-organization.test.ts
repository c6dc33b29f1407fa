import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { auditConfig, auditOptionsFromFlags } from '../../lib/cli/audit';
import { parseConfig } from '../../lib/config';
import { buildOrganization } from '../../lib/stacks/organization';
import { main } from '../../lib/cli/main';
import { CliIO } from '../../lib/cli/io';

const dir = mkdtempSync(join(tmpdir(), 'audit-org-flags-'));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const GOOD = {
  app: 'npx tsx bin/app.ts',
  context: {
    'hardening:deploymentMode': 'organization', 'hardening:organizationId': 'o-a1b2c3d4e5', 'hardening:managementAccountId': '111111111111',
    'hardening:securityToolingAccountId': '222222222222', 'hardening:logArchiveAccountId': '333333333333', 'hardening:governedRegions': ['us-east-1'],
    'hardening:baselineTargets': ['ou-ab12-workload0'], 'hardening:scpTargets': { 'deny-root-user': ['ou-ab12-workload0'] }, 'hardening:auditRoleName': 'OrganizationAudit',
  },
};
const FLAGS = { format: 'json' as const, failOn: 'warning' as const, roleArn: [], concurrency: '4', triageHours: '24' };

async function usage(args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const io: CliIO = { stdout: () => undefined, stderr: (t) => err.push(t), stderrIsTTY: false, env: {}, now: () => new Date() };
  const code = await main(['audit', ...args], io);
  return { code, stderr: err.join('') };
}

describe('audit --config in organization mode: one configuration, the one the stacks were deployed from', () => {
  it('derives the organization checks\' configuration and the audit role from the app\'s own keys, the StackSet names included', () => {
    const o = auditOptionsFromFlags(FLAGS, auditConfig(file('cdk.json', GOOD), dir));
    expect(o.organizationRole).toBe('OrganizationAudit');
    expect(o.organization).toMatchObject({
      governedRegions: ['us-east-1'], baselineTargets: ['ou-ab12-workload0'], managementAccountId: '111111111111', securityToolingAccountId: '222222222222',
      baselineStackSets: [{ name: 'Hardening-baseline-global', regions: ['us-east-1'] }, { name: 'Hardening-baseline-regional', regions: ['us-east-1'] }],
    });
    expect(o.organization).not.toHaveProperty('auditRoleName');
  });

  it('the StackSet names are the ones the organization stacks give them', () => {
    const context = { ...GOOD.context, 'hardening:stackPrefix': 'Acme' };
    const o = auditOptionsFromFlags(FLAGS, parseConfig(context));
    const app = new App({ context });
    const org = buildOrganization(app, parseConfig(context));
    const deployed = [org.baseline.global, org.baseline.regional].map((s) => Stack.of(s).resolve(s.stackSet.stackSetName));
    expect(o.organization!.baselineStackSets.map((s) => s.name)).toEqual(deployed);
  });

  it('an account-mode configuration runs no organization check; --organization-role still audits every account', () => {
    const o = auditOptionsFromFlags({ ...FLAGS, organizationRole: 'OrganizationAudit' }, parseConfig({}));
    expect(o.organization).toBeUndefined();
    expect(o.organizationRole).toBe('OrganizationAudit');
  });

  it.each([
    ['with a missing file', ['--config', join(dir, 'nope.json')], 'no such file'],
    ['with a file that is not JSON', ['--config', file('bad.json', '{oops')], 'not valid JSON'],
    ['with a bad key, naming it', ['--config', file('badkey.json', { context: { ...GOOD.context, 'hardening:baselineTargets': ['nope'] } })],
      'hardening:baselineTargets'],
    ['with an organization key missing', ['--config', file('missing.json', { context: { ...GOOD.context, 'hardening:scpTargets': undefined } })],
      'hardening:scpTargets'],
    ['with a role other than the configured auditRoleName', ['--organization-role', 'Other', '--config', file('cdk2.json', GOOD)], "is not the configured hardening:auditRoleName 'OrganizationAudit'"],
    ['with --role-arn', ['--role-arn', 'arn:aws:iam::123456789012:role/Audit', '--config', file('cdk3.json', GOOD)], 'so --role-arn does not apply'],
    ['with the removed --organization-config', ['--organization-config', file('cdk4.json', GOOD)], "unknown option '--organization-config'"],
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
