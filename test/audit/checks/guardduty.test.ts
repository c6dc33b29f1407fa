import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, failed, ok } from '../../../lib/audit/types';
import central from '../../../lib/audit/checks/guardduty/central';
import enabled from '../../../lib/audit/checks/guardduty/enabled';
import protectionPlans from '../../../lib/audit/checks/guardduty/protection-plans';
import triage from '../../../lib/audit/checks/guardduty/triage';
import { ACCOUNT, FEATURES, SETTINGS, deniedResult, goodSnapshot, hoursAgo, region } from '../support/snapshots';

const run = (c: AuditCheck, s: AccountSnapshot, settings = SETTINGS) => c.evaluate(s, settings);
const summary = (c: AuditCheck, s: AccountSnapshot) => run(c, s).map((f) => `${f.status} ${f.resource.region}`);

function withRegions(...regions: AccountSnapshot['guardduty']): AccountSnapshot {
  return { ...goodSnapshot(), regions: ok(regions.map((r) => r.region)), guardduty: regions };
}

const ALL = [enabled, protectionPlans, triage, central];

describe('every GuardDuty check', () => {
  it.each(ALL.map((c) => [c.id, c] as const))('%s passes on a compliant snapshot, per region, with account and region', (_id, c) => {
    const fs = run(c, goodSnapshot());
    expect(fs.every((f) => f.status === 'PASS' && f.source === 'live' && f.resource.account === ACCOUNT)).toBe(true);
    expect(fs.length).toBeGreaterThan(0);
  });
  it.each(ALL.filter((c) => c !== central).map((c) => [c.id, c] as const))('%s is one ERROR naming account:ListRegions when regions are unknown', (_id, c) => {
    const s = { ...goodSnapshot(), regions: deniedResult('account:ListRegions'), guardduty: [] };
    expect(run(c, s)).toMatchObject([{ status: 'ERROR', resource: { region: '*' }, message: expect.stringContaining('account:ListRegions access denied') }]);
  });
  it.each(ALL.filter((c) => c !== central).map((c) => [c.id, c] as const))('%s is ERROR for a region that timed out, PASS for the others', (_id, c) => {
    const s = withRegions(region('us-east-1'), { region: 'ap-south-1', detectorIds: failed({ action: 'guardduty:ListDetectors', kind: 'timeout', code: 'TimeoutError', message: 'socket timed out' }) });
    const fs = run(c, s);
    expect(fs.map((f) => `${f.status} ${f.resource.region}`)).toEqual(['PASS us-east-1', 'ERROR ap-south-1']);
    expect(fs[1].message).toBe('cannot verify: guardduty:ListDetectors timed out (TimeoutError: socket timed out)');
  });
  it.each(ALL.filter((c) => c !== central).map((c) => [c.id, c] as const))('%s is ERROR for an audited region missing from the snapshot (never skipped)', (_id, c) => {
    const s = { ...goodSnapshot(), regions: ok(['eu-west-1', 'us-east-1', 'sa-east-1']) };
    expect(run(c, s).map((f) => `${f.status} ${f.resource.region}`)).toContain('ERROR sa-east-1');
  });
});

describe('guardduty-enabled', () => {
  it('fails a region without a detector and a disabled detector', () => {
    const s = withRegions(region('us-east-1'), { region: 'eu-west-1', detectorIds: ok([]) },
      region('ap-south-1', { detector: ok({ id: 'd', status: 'DISABLED', features: FEATURES }) }));
    const fs = run(enabled, s);
    expect(fs.map((f) => `${f.status} ${f.resource.region}`)).toEqual(['PASS us-east-1', 'FAIL eu-west-1', 'FAIL ap-south-1']);
    expect(fs[1].message).toBe('no GuardDuty detector in eu-west-1');
    expect(fs[2].message).toBe('GuardDuty detector d in ap-south-1 is DISABLED');
    expect(fs[1].resource.id).toBe(`arn:aws:guardduty:eu-west-1:${ACCOUNT}:detector`);
  });
  it('is ERROR when the detector cannot be read', () => {
    const s = withRegions(region('us-east-1', { detector: deniedResult('guardduty:GetDetector') }));
    expect(run(enabled, s)[0].message).toContain('guardduty:GetDetector access denied');
  });
});

describe('guardduty-protection-plans', () => {
  it('fails naming each plan that is off or absent', () => {
    const features = [...FEATURES.filter((f) => f.name !== 'RDS_LOGIN_EVENTS' && f.name !== 'RUNTIME_MONITORING'), { name: 'RDS_LOGIN_EVENTS', status: 'DISABLED' }];
    const s = withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED', features }) }));
    expect(run(protectionPlans, s)).toMatchObject([{ status: 'FAIL', severity: 'warning', message: 'protection plans not enabled in us-east-1: RDS_LOGIN_EVENTS (DISABLED), RUNTIME_MONITORING (absent)' }]);
  });
});

describe('guardduty-protection-plans: runtime monitoring is blind without its agents', () => {
  const AGENTS = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];
  const withAgents = (additional: { name: string; status: string }[] | undefined) => withRegions(region('us-east-1', {
    detector: ok({ id: 'd', status: 'ENABLED', features: FEATURES.map((f) => (f.name === 'RUNTIME_MONITORING' ? { name: f.name, status: 'ENABLED', ...(additional ? { additional } : {}) } : f)) }),
  }));
  it.each(AGENTS.map((a) => [a]))('%s disabled, or absent, fails naming it and why it matters', (agent) => {
    for (const [additional, shown] of [
      [AGENTS.map((a) => ({ name: a, status: a === agent ? 'DISABLED' : 'ENABLED' })), 'DISABLED'],
      [AGENTS.filter((a) => a !== agent).map((a) => ({ name: a, status: 'ENABLED' })), 'absent'],
    ] as const) {
      expect(run(protectionPlans, withAgents([...additional]))).toMatchObject([{
        status: 'FAIL',
        message: `plan configuration not enabled in us-east-1: RUNTIME_MONITORING ${agent} (${shown}): GuardDuty deploys no agent there, so those workloads go unwatched`,
      }]);
    }
  });
  it('a detector that reports no additional configuration at all fails naming all three', () => {
    const [f] = run(protectionPlans, withAgents(undefined));
    expect(f.status).toBe('FAIL');
    for (const a of AGENTS) expect(f.message).toContain(`RUNTIME_MONITORING ${a} (absent)`);
  });
  it('a plan that is off is reported once, as a plan, not again for its agents; both kinds of gap are listed together', () => {
    const features = FEATURES.map((f) => (f.name === 'RUNTIME_MONITORING' ? { name: f.name, status: 'DISABLED' } : f));
    expect(run(protectionPlans, withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED', features }) })))[0].message)
      .toBe('protection plans not enabled in us-east-1: RUNTIME_MONITORING (DISABLED)');
    const both = FEATURES.map((f) => (f.name === 'S3_DATA_EVENTS' ? { ...f, status: 'DISABLED' } : f.name === 'RUNTIME_MONITORING' ? { name: f.name, status: 'ENABLED', additional: [] } : f));
    expect(run(protectionPlans, withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED', features: both }) })))[0].message)
      .toMatch(/^protection plans not enabled in us-east-1: S3_DATA_EVENTS \(DISABLED\); plan configuration not enabled in us-east-1: RUNTIME_MONITORING EKS_ADDON_MANAGEMENT \(absent\), /);
  });
  it('passes when every plan and every agent setting is enabled, and says so', () => {
    expect(run(protectionPlans, withAgents(AGENTS.map((name) => ({ name, status: 'ENABLED' }))))).toMatchObject([{
      status: 'PASS', message: 'all 6 protection plans enabled in us-east-1, with their agent management',
    }]);
  });
});

describe('guardduty-triage', () => {
  const finding = (id: string, h: number) => ({ id, severity: 8, createdAt: hoursAgo(h), type: 'Backdoor:EC2/C&CActivity.B' });
  it('passes when every high finding is younger than the window', () => {
    const s = withRegions(region('us-east-1', { highSeverityFindings: ok({ count: 1, oldest: [finding('f1', 3)] }) }));
    expect(run(triage, s)[0]).toMatchObject({ status: 'PASS', message: '1 unarchived finding(s) of severity >= 7 in us-east-1, none older than 24 h' });
  });
  it('fails naming the oldest overdue finding', () => {
    const s = withRegions(region('us-east-1', { highSeverityFindings: ok({ count: 2, oldest: [finding('old', 50), finding('new', 2)] }) }));
    expect(run(triage, s)[0]).toMatchObject({ status: 'FAIL', message: '1 unarchived finding(s) of severity >= 7 in us-east-1 older than 24 h; oldest old (Backdoor:EC2/C&CActivity.B), severity 8, 50 h old' });
  });
  it('honours a configured window', () => {
    const s = withRegions(region('us-east-1', { highSeverityFindings: ok({ count: 1, oldest: [finding('f', 50)] }) }));
    expect(run(triage, s, { ...SETTINGS, triageHours: 72 })[0].status).toBe('PASS');
  });
  it('says "at least" when the oldest sample is all overdue and more exist', () => {
    const oldest = Array.from({ length: 50 }, (_, i) => finding(`f${i}`, 100 - i));
    const s = withRegions(region('us-east-1', { highSeverityFindings: ok({ count: 120, oldest }) }));
    expect(run(triage, s)[0].message).toMatch(/^at least 50 unarchived/);
  });
  it('is ERROR when findings cannot be listed', () => {
    const s = withRegions(region('us-east-1', { highSeverityFindings: deniedResult('guardduty:ListFindings') }));
    expect(run(triage, s)[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('guardduty:ListFindings') });
  });
});

describe('guardduty-central', () => {
  const inOrg = (...regions: AccountSnapshot['guardduty']): AccountSnapshot => ({ ...withRegions(...regions), organization: ok({ id: 'o-abcdefghij', managementAccountId: '999999999999' }) });
  it('passes a member with an enabled administrator and a delegated admin auto-enabling ALL', () => {
    const s = inOrg(
      region('us-east-1', { administrator: ok({ accountId: '222233334444', relationshipStatus: 'Enabled' }) }),
      region('eu-west-1', { administrator: ok(null), organizationConfiguration: ok({ autoEnableOrganizationMembers: 'ALL' }) }),
    );
    expect(summary(central, s)).toEqual(['PASS us-east-1', 'PASS eu-west-1']);
  });
  it('fails an organization member with no administrator, and an admin auto-enabling only NEW', () => {
    const s = inOrg(
      region('us-east-1', { administrator: ok(null), organizationConfiguration: ok(null) }),
      region('eu-west-1', { administrator: ok(null), organizationConfiguration: ok({ autoEnableOrganizationMembers: 'NEW' }) }),
      region('ap-south-1', { administrator: ok({ accountId: '222233334444', relationshipStatus: 'Removed' }), organizationConfiguration: ok(null) }),
    );
    const fs = run(central, s);
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(fs[0].message).toBe('account is in organization o-abcdefghij but GuardDuty in us-east-1 has no enabled administrator');
    expect(fs[1].message).toContain('auto-enables NEW, not ALL');
    expect(fs[2].message).toContain('relationship Removed');
  });
  it('is ERROR when the organization or the administrator cannot be read', () => {
    expect(run(central, { ...goodSnapshot(), organization: deniedResult('organizations:DescribeOrganization') })[0].message)
      .toContain('organizations:DescribeOrganization access denied');
    const s = inOrg(region('us-east-1', { administrator: deniedResult('guardduty:GetAdministratorAccount') }));
    expect(run(central, s)[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('guardduty:GetAdministratorAccount') });
  });
});
