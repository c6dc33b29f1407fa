/**
 * `cdk-hardening audit --config <cdk.json>` with an organization-mode configuration against an
 * organization in moto (a real AWS-protocol server): accounts in nested OUs, one closed (SUSPENDED)
 * account, the audit role in each, SCPs, an organization trail and service-managed StackSets, seeded
 * by seed_organization.py. moto answers ListAccounts only in the management account, so the audit runs
 * from there (CallAs SELF); it has no GuardDuty organization configuration, which must be ERROR (exit 3),
 * never a pass. moto's CloudFormation only stands in for ListStackInstances' wire format: its stack
 * instances are no evidence that a template deploys. moto not starting fails the test; it never skips.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { renderedScp } from '../../../lib/audit/checks/organization';
import { organizationAuditConfig } from '../../../lib/audit/organization/config';
import { parseConfig } from '../../../lib/config';
import { main } from '../../../lib/cli/main';
import { CliIO } from '../../../lib/cli/io';
import { loadPolicy } from '../../../lib/policies';
import { Moto, startMoto } from '../support/moto';

const ROLE = 'OrganizationAudit';
const REGIONS = ['us-east-1', 'eu-west-1'];
const ORG_CHECKS = ['org-organization-trail', 'org-guardduty-auto-enable', 'org-stackset-baseline', 'org-scp-attached'];
const STACK_SETS = { 'Hardening-baseline-global': ['us-east-1'], 'Hardening-baseline-regional': REGIONS };

interface Seeded {
  management: string; root: string; ouWorkloads: string; ouProd: string; ouDeep: string; ouSecurity: string;
  tooling: string; dev: string; closed: string; excluded: string; prod: string; deep: string;
}
interface JsonFinding { ruleId: string; status: string; message: string; resource: { id: string; account: string; region: string } }

let moto: Moto;
let ids: Seeded;
let configFile: string;
let full: { code: number; findings: JsonFinding[] };
let orgOnly: { code: number; findings: JsonFinding[] };

/** The organization keys of cdk.json (the names of lib/config), as the deployment would use them. */
function cdkJson(s: Seeded): unknown {
  return {
    app: 'npx tsx bin/app.ts',
    context: {
      'hardening:deploymentMode': 'organization',
      'hardening:organizationId': 'o-a1b2c3d4e5',
      'hardening:logArchiveAccountId': s.tooling,
      'hardening:region': 'us-east-1',
      'hardening:allowedRegions': REGIONS,
      'hardening:governedRegions': REGIONS,
      'hardening:managementAccountId': s.management,
      'hardening:securityToolingAccountId': s.tooling,
      'hardening:baselineTargets': [s.ouWorkloads],
      'hardening:baselineExcludeAccounts': [s.excluded],
      'hardening:scpTargets': { 'protect-security-services': [s.ouWorkloads, s.ouSecurity], 'deny-root-user': [s.ouWorkloads, s.ouSecurity] },
      'hardening:auditRoleName': ROLE,
      'hardening:vpcCidr': '10.40.0.0/16',
    },
  };
}

async function audit(extra: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTTY: false, env: {}, now: () => new Date() };
  // The configuration's auditRoleName is the role every account is read through: no --organization-role needed.
  const code = await main(['audit', '--endpoint-url', moto.endpoint, '--config', configFile,
    '--regions', REGIONS.join(','), '--concurrency', '4', '--format', 'json', ...extra], io);
  if (code === 2) throw new Error(`usage error: ${err.join('')}`);
  return { code, findings: JSON.parse(out.join('')).findings as JsonFinding[] };
}

const saved = { ...process.env };
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), 'org-audit-'));
  // The SCPs are seeded with exactly the content the toolkit renders for this configuration.
  const placeholder = { management: '000000000000', excluded: '000000000001', tooling: '000000000002', ouWorkloads: 'ou-ab12-workload0', ouSecurity: 'ou-ab12-security0' } as Seeded;
  const config = organizationAuditConfig(parseConfig((cdkJson(placeholder) as { context: Record<string, unknown> }).context));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({
    auditRoleName: ROLE, stackSets: STACK_SETS, toolingStandIn: placeholder.tooling,
    scps: { 'protect-security-services': renderedScp('protect-security-services', config), 'deny-root-user': renderedScp('deny-root-user', config) },
  }));
  ids = JSON.parse(execFileSync('python3', [join(__dirname, 'seed_organization.py'), moto.motoEndpoint, spec], { encoding: 'utf8' })) as Seeded;
  configFile = join(dir, 'cdk.json');
  writeFileSync(configFile, JSON.stringify(cdkJson(ids)));
  full = await audit([]);
  orgOnly = await audit(['--checks', ORG_CHECKS.join(',')]);
}, 240_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

const of = (id: string, fs = full.findings) => fs.filter((f) => f.ruleId === id);

describe('audit --organization-role against a moto organization', () => {
  it('audits each active account once, nested OUs included, through the audit role; the closed account is not audited', () => {
    const audited = new Set(of('iam-root-mfa').map((f) => f.resource.account));
    expect([...audited].sort()).toEqual([ids.management, ids.tooling, ids.dev, ids.excluded, ids.prod, ids.deep].sort());
    expect(audited.has(ids.closed)).toBe(false);
    expect(of('iam-root-mfa')).toHaveLength(6);
  });

  it('gives the StackSet check one result per active account of the target OUs, nested OUs included, skipping the closed, excluded and management accounts', () => {
    const fs = of('org-stackset-baseline');
    expect(fs.map((f) => f.resource.account).sort()).toEqual([ids.dev, ids.prod, ids.deep].sort());
    expect(fs.find((f) => f.resource.account === ids.dev)?.status).toBe('PASS');
    expect(fs.find((f) => f.resource.account === ids.prod)?.status).toBe('PASS');
    // moto deploys service-managed instances to a target OU and its direct children only: the account two levels down has none.
    expect(fs.find((f) => f.resource.account === ids.deep)).toMatchObject({
      status: 'FAIL', message: `account ${ids.deep} (deep) under ${ids.ouDeep}: Hardening-baseline-global has no instance in us-east-1; Hardening-baseline-regional has no instance in us-east-1; Hardening-baseline-regional has no instance in eu-west-1`,
    });
  });

  it('finds the management account\'s organization trail logging', () => {
    expect(of('org-organization-trail')).toMatchObject([{ status: 'PASS', resource: { id: `arn:aws:cloudtrail:us-east-1:${ids.management}:trail/org-trail`, account: ids.management } }]);
  });

  it('finds each SCP where it is attached with the rendered content, and FAILs where it is not', () => {
    expect(of('org-scp-attached').map((f) => [f.resource.id, f.status]).sort()).toEqual([
      [`scp/deny-root-user@${ids.ouSecurity}`, 'FAIL'], [`scp/deny-root-user@${ids.ouWorkloads}`, 'PASS'],
      [`scp/protect-security-services@${ids.ouSecurity}`, 'PASS'], [`scp/protect-security-services@${ids.ouWorkloads}`, 'PASS'],
    ].sort());
    expect(of('org-scp-attached').find((f) => f.status === 'FAIL')?.message).toBe(`deny-root-user is not attached to ${ids.ouSecurity} (attached: cdk-hardening-protect-security-services)`);
  });

  it('moto lacks GuardDuty\'s organization configuration: ERROR where there is a detector, FAIL where there is none, never a pass; exit 3', () => {
    const fs = of('org-guardduty-auto-enable', orgOnly.findings);
    expect(fs.map((f) => [f.resource.region, f.status])).toEqual([['us-east-1', 'ERROR'], ['eu-west-1', 'FAIL']]);
    expect(fs[0].message).toContain('guardduty:DescribeOrganizationConfiguration');
    expect(new Set(orgOnly.findings.map((f) => f.ruleId))).toEqual(new Set(ORG_CHECKS));
    expect(orgOnly.findings.filter((f) => f.status === 'ERROR').map((f) => f.ruleId)).toEqual(['org-guardduty-auto-enable']);
    expect(orgOnly.code).toBe(3);
    expect(full.code).toBe(3);
  });
});

describe('least privilege for the organization checks: policies/iam/audit-readonly.json', () => {
  const policy = loadPolicy('iam/audit-readonly');
  const statement = policy.Statement.find((s) => s.Sid === 'AuditReadOrganization')!;
  const granted = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a): a is string => typeof a === 'string').sort();
  const principal = 'arn:aws:iam::123456789012:role/OrganizationAudit';
  const decide = async (action: string): Promise<string> => {
    const r = await runSimulation({
      request: { principal, action, resource: { resource: '*', accountId: '123456789012' }, contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': '123456789012' } },
      identityPolicies: [{ name: 'audit-readonly', policy }], serviceControlPolicies: [], resourceControlPolicies: [],
    }, {});
    if (r.resultType === 'error') throw new Error(`simulation of ${action} failed: ${JSON.stringify(r.errors)}`);
    return r.overallResult;
  };

  it('the statement grants no action the audit did not send', () => {
    const sent = new Set(moto.actions());
    expect(granted.filter((a) => !sent.has(a))).toEqual([]);
  });

  it('allows every Organizations, CloudFormation and GuardDuty organization read the audit sent, and no write', async () => {
    const sent = moto.actions().filter((a) => a.startsWith('organizations:') || a.startsWith('cloudformation:') || a === 'guardduty:DescribeOrganizationConfiguration');
    expect(sent).toEqual(expect.arrayContaining(granted));
    for (const a of sent) expect(`${a} ${await decide(a)}`).toBe(`${a} Allowed`);
    for (const w of ['organizations:DetachPolicy', 'organizations:UpdatePolicy', 'organizations:MoveAccount', 'cloudformation:DeleteStackInstances',
      'cloudformation:UpdateStackSet', 'guardduty:UpdateOrganizationConfiguration']) {
      expect(`${w} ${await decide(w)}`).not.toBe(`${w} Allowed`);
    }
  });
});
