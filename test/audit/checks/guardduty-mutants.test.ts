/**
 * GuardDuty live checks: the behaviours mutation testing (issue 14) found unpinned — every required
 * plan, both sides of the triage window, every uncollected input an ERROR, each region examined.
 */
import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, ok } from '../../../lib/audit/types';
import { Emit } from '../../../lib/audit/checks/check';
import central from '../../../lib/audit/checks/guardduty/central';
import enabled from '../../../lib/audit/checks/guardduty/enabled';
import protectionPlans, { REQUIRED_FEATURES } from '../../../lib/audit/checks/guardduty/protection-plans';
import { forEachRegion } from '../../../lib/audit/checks/guardduty/scope';
import triage from '../../../lib/audit/checks/guardduty/triage';
import { ACCOUNT, FEATURES, NOW, SETTINGS, deniedResult, goodSnapshot, hoursAgo, region } from '../support/snapshots';

const run = (c: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => c.evaluate(s, settings);
const lines = (c: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => run(c, s, settings).map((f) => `${f.status} ${f.resource.region} ${f.message}`);
const withRegions = (...regions: AccountSnapshot['guardduty']): AccountSnapshot => ({ ...goodSnapshot(), regions: ok(regions.map((r) => r.region)), guardduty: regions });
const inOrg = (...regions: AccountSnapshot['guardduty']): AccountSnapshot => ({ ...withRegions(...regions), organization: ok({ id: 'o-abcdefghij', managementAccountId: '999999999999' }) });

describe('guardduty-enabled', () => {
  it('passes naming the detector of each region', () => {
    expect(lines(enabled, goodSnapshot())).toEqual([
      'PASS eu-west-1 GuardDuty detector det-eu-west-1 enabled in eu-west-1',
      'PASS us-east-1 GuardDuty detector det-us-east-1 enabled in us-east-1',
    ]);
  });
  it('no detector id, or a listed id whose detector was not read, is FAIL (each alone)', () => {
    const s = withRegions(region('us-east-1', { detectorIds: ok([]) }), region('eu-west-1', { detector: undefined }));
    expect(lines(enabled, s)).toEqual(['FAIL us-east-1 no GuardDuty detector in us-east-1', 'FAIL eu-west-1 no GuardDuty detector in eu-west-1']);
  });
  it('a detector whose status is anything but ENABLED fails', () => {
    const s = withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'SUSPENDED', features: FEATURES }) }));
    expect(lines(enabled, s)).toEqual(['FAIL us-east-1 GuardDuty detector d in us-east-1 is SUSPENDED']);
  });
  it('a region missing from the snapshot is ERROR naming it', () => {
    const s = { ...goodSnapshot(), regions: ok(['sa-east-1']) };
    expect(run(enabled, s)).toMatchObject([{ status: 'ERROR', resource: { id: `arn:aws:guardduty:sa-east-1:${ACCOUNT}:detector` }, message: 'cannot verify: guardduty:ListDetectors failed (region sa-east-1 was not collected)' }]);
  });
});

describe('forEachRegion without needing a detector', () => {
  const collect = (s: AccountSnapshot) => {
    const seen: string[] = [];
    const emit: Emit = {
      pass: () => seen.push('pass'), fail: (_r, m) => seen.push(`fail ${m}`), error: (_r, f) => seen.push(`error ${f.action}`), cannotVerify: (_r, m) => seen.push(`cannot ${m}`),
    };
    forEachRegion(s, emit, (g, d) => seen.push(`${g.region} ${d ? `${d.id} ${d.status}` : 'no detector'}`), false);
    return seen;
  };
  it('hands over a region without a detector, and a disabled detector, instead of failing them', () => {
    const s = withRegions(region('us-east-1', { detectorIds: ok([]) }), region('eu-west-1', { detector: ok({ id: 'd', status: 'DISABLED', features: [] }) }));
    expect(collect(s)).toEqual(['us-east-1 no detector', 'eu-west-1 d DISABLED']);
  });
  it('still reports what cannot be read', () => {
    const s = withRegions(region('us-east-1', { detector: deniedResult('guardduty:GetDetector') }), region('eu-west-1', { detectorIds: deniedResult('guardduty:ListDetectors') }));
    expect(collect(s)).toEqual(['error guardduty:GetDetector', 'error guardduty:ListDetectors']);
  });
});

describe('guardduty-protection-plans: every required plan', () => {
  it('requires the six plans the detector construct enables', () => {
    expect([...REQUIRED_FEATURES].sort()).toEqual(FEATURES.map((f) => f.name).sort());
  });
  it.each(REQUIRED_FEATURES.map((f) => [f]))('%s off, or absent, fails naming it', (plan) => {
    const off = withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED', features: FEATURES.map((f) => (f.name === plan ? { ...f, status: 'DISABLED' } : f)) }) }));
    expect(lines(protectionPlans, off)).toEqual([`FAIL us-east-1 protection plans not enabled in us-east-1: ${plan} (DISABLED)`]);
    const absent = withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED', features: FEATURES.filter((f) => f.name !== plan) }) }));
    expect(lines(protectionPlans, absent)).toEqual([`FAIL us-east-1 protection plans not enabled in us-east-1: ${plan} (absent)`]);
  });
  it('a detector that reports no features fails on every plan; the pass counts them', () => {
    const s = withRegions(region('us-east-1', { detector: ok({ id: 'd', status: 'ENABLED' } as never) }));
    expect(lines(protectionPlans, s)).toEqual([`FAIL us-east-1 protection plans not enabled in us-east-1: ${REQUIRED_FEATURES.map((f) => `${f} (absent)`).join(', ')}`]);
    expect(lines(protectionPlans, withRegions(region('us-east-1')))).toEqual([`PASS us-east-1 all ${REQUIRED_FEATURES.length} protection plans enabled in us-east-1, with their agent management`]);
  });
});

describe('guardduty-triage: both sides of the window', () => {
  const f = (id: string, createdAt: string): { id: string; severity: number; createdAt: string; type?: string } => ({ id, severity: 7, createdAt, type: 'Recon:EC2/PortProbeUnprotectedPort' });
  const findings = (count: number, oldest: ReturnType<typeof f>[]) => withRegions(region('us-east-1', { highSeverityFindings: ok({ count, oldest }) }));
  it('a finding exactly triageHours old is not yet overdue; one a second older is', () => {
    expect(run(triage, findings(1, [f('a', hoursAgo(24))]))[0].status).toBe('PASS');
    const older = new Date(NOW.getTime() - 24 * 3_600_000 - 1000).toISOString();
    expect(lines(triage, findings(1, [{ ...f('a', older), type: undefined }]))).toEqual(['FAIL us-east-1 1 unarchived finding(s) of severity >= 7 in us-east-1 older than 24 h; oldest a, severity 7, 24 h old']);
  });
  it('counts exactly when the whole sample is overdue and is the whole set; "at least" only when more exist', () => {
    const two = [f('a', hoursAgo(30)), f('b', hoursAgo(40))];
    expect(lines(triage, findings(2, two))[0]).toMatch(/^FAIL us-east-1 2 unarchived/);
    expect(lines(triage, findings(3, two))[0]).toMatch(/^FAIL us-east-1 at least 2 unarchived/);
    expect(lines(triage, findings(9, [f('a', hoursAgo(30)), f('b', hoursAgo(1))]))[0]).toMatch(/^FAIL us-east-1 1 unarchived/);
  });
  it('findings not collected in a region are ERROR, never PASS', () => {
    const s = withRegions(region('us-east-1', { highSeverityFindings: undefined }));
    expect(lines(triage, s)).toEqual(['ERROR us-east-1 cannot verify: guardduty:ListFindings failed (findings in us-east-1 were not collected)']);
  });
  it('every region is examined', () => {
    const s = withRegions(region('us-east-1'), region('eu-west-1', { highSeverityFindings: ok({ count: 1, oldest: [f('x', hoursAgo(48))] }) }));
    expect(run(triage, s).map((x) => `${x.status} ${x.resource.region}`)).toEqual(['PASS us-east-1', 'FAIL eu-west-1']);
  });
});

describe('guardduty-central', () => {
  it('outside an organization: one PASS saying central management does not apply', () => {
    expect(lines(central, goodSnapshot())).toEqual(['PASS * account is in no organization: central management does not apply']);
  });
  it('passes naming the administrator; an administrator relationship not Enabled falls through to the organization configuration', () => {
    const s = inOrg(
      region('us-east-1', { administrator: ok({ accountId: '222233334444', relationshipStatus: 'Enabled' }) }),
      region('eu-west-1', { administrator: ok({ accountId: '222233334444', relationshipStatus: 'Invited' }), organizationConfiguration: ok({ autoEnableOrganizationMembers: 'ALL' }) }),
    );
    expect(lines(central, s)).toEqual([
      'PASS us-east-1 managed by GuardDuty administrator 222233334444 in us-east-1',
      'PASS eu-west-1 delegated GuardDuty administrator of o-abcdefghij in eu-west-1, auto-enabling all members',
    ]);
  });
  it('an administrator or organization configuration not collected is ERROR naming the action', () => {
    const s = inOrg(
      region('us-east-1', { administrator: undefined }),
      region('eu-west-1', { administrator: ok(null), organizationConfiguration: undefined }),
      region('ap-south-1', { administrator: ok(null), organizationConfiguration: deniedResult('guardduty:DescribeOrganizationConfiguration') }),
    );
    expect(run(central, s).map((x) => `${x.status} ${x.resource.region} ${x.message}`)).toEqual([
      'ERROR us-east-1 cannot verify: guardduty:GetAdministratorAccount failed (not collected in us-east-1)',
      'ERROR eu-west-1 cannot verify: guardduty:DescribeOrganizationConfiguration failed (not collected in eu-west-1)',
      expect.stringMatching(/^ERROR ap-south-1 cannot verify: guardduty:DescribeOrganizationConfiguration access denied/),
    ]);
  });
  it('a delegated administrator auto-enabling NONE fails naming the setting', () => {
    const s = inOrg(region('us-east-1', { administrator: ok(null), organizationConfiguration: ok({ autoEnableOrganizationMembers: 'NONE' }) }));
    expect(lines(central, s)).toEqual(['FAIL us-east-1 delegated GuardDuty administrator of o-abcdefghij in us-east-1 auto-enables NONE, not ALL members']);
  });
  it('the ERROR for an unreadable organization is account-wide', () => {
    expect(run(central, { ...goodSnapshot(), organization: deniedResult('organizations:DescribeOrganization') })).toMatchObject([{ status: 'ERROR', resource: { region: '*' } }]);
  });
});
