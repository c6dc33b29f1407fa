import { Finding } from '../../../lib/findings';
import { ORGANIZATION_CHECKS, OrganizationCheckInput, evaluateOrganization, renderedScp } from '../../../lib/audit/checks/organization';
import { OrganizationAuditConfig, OrganizationSnapshot, failedOrganizationSnapshot } from '../../../lib/audit/organization/types';
import { AccountSnapshot, failed, ok } from '../../../lib/audit/types';
import { GUARDDUTY_FEATURES } from '../../../lib/lessons';
import { DEFAULTS } from '../../../lib/config/defaults';
import { NOW, denied, deniedResult, goodSnapshot } from '../support/snapshots';
import { TRAIL, goodLogging, homeRegion, trailDetail } from '../support/logging-snapshots';

const MGMT = '111122223333';
const TOOLING = '222233334444';
const PROD_A = '333344445555';
const PROD_B = '444455556666';
const DEV = '555566667777';
const CLOSED = '666677778888';
const EXCLUDED = '777788889999';
const ORG = 'o-abc123defg';
const WORKLOADS = 'ou-ab12-workload';
const SCP_OU = 'ou-ab12-security';
const REGIONS = ['us-east-1', 'eu-west-1'];

const CONFIG: OrganizationAuditConfig = {
  governedRegions: REGIONS,
  baselineTargets: [WORKLOADS],
  baselineExcludeAccounts: [EXCLUDED],
  scpTargets: { 'protect-security-services': [WORKLOADS, SCP_OU], 'deny-root-user': [WORKLOADS] },
  managementAccountId: MGMT,
  securityToolingAccountId: TOOLING,
  baselineStackSets: [{ name: 'Hardening-baseline-global', regions: ['us-east-1'] }, { name: 'Hardening-baseline-regional' }],
  region: 'us-east-1',
  stackPrefix: DEFAULTS.stackPrefix,
  breakGlassRoleName: DEFAULTS.breakGlassRoleName,
  pipelineRoleName: DEFAULTS.pipelineRoleName,
  allowedRegions: REGIONS,
};

const ORG_TRAIL = { ...TRAIL, organizationTrail: true };

/** The management account's own snapshot, with an organization trail that is logging. */
function management(over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const [other, home] = goodLogging(NOW);
  return {
    ...goodSnapshot(), account: MGMT,
    logging: [{ ...other, trails: ok([ORG_TRAIL]) }, { ...home, trails: ok([ORG_TRAIL]), trailDetails: [trailDetail(NOW, { trail: ORG_TRAIL })] }],
    ...over,
  };
}

const allOn = () => ({
  detectorId: 'det-1',
  autoEnableOrganizationMembers: 'ALL',
  features: GUARDDUTY_FEATURES.map((f) => ({ name: f.name, autoEnable: 'ALL', additional: (f.additionalConfiguration ?? []).map((name) => ({ name, autoEnable: 'ALL' })) })),
});

/** A stack instance; `null` for no detailed status (an explicit `undefined` would take the default). */
const instance = (account: string, region: string, status = 'CURRENT', detailedStatus: string | null = 'SUCCEEDED') => ({ account, region, status, ...(detailedStatus !== null ? { detailedStatus } : {}) });
const baselineOf = (accounts: string[]) => [
  { name: 'Hardening-baseline-global', instances: ok(accounts.map((a) => instance(a, 'us-east-1'))) },
  { name: 'Hardening-baseline-regional', instances: ok(accounts.flatMap((a) => REGIONS.map((r) => instance(a, r)))) },
];

const scp = (name: 'protect-security-services' | 'deny-root-user', id: string) => ({ id, name: `cdk-hardening-${name}`, awsManaged: false, content: ok(renderedScp(name, CONFIG) as unknown) });
const FULL_ACCESS = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', awsManaged: true };

function goodOrganization(): OrganizationSnapshot {
  return {
    callerAccount: TOOLING, partition: 'aws', collectedAt: NOW.toISOString(),
    organization: ok({ id: ORG, managementAccountId: MGMT }),
    targets: [{
      targetId: WORKLOADS,
      accounts: ok([
        { id: PROD_A, name: 'prod-a', state: 'ACTIVE', parentId: 'ou-ab12-prodprod' },
        { id: PROD_B, name: 'prod-b', state: 'ACTIVE', parentId: 'ou-ab12-deepdeep' },
        { id: DEV, state: 'ACTIVE', parentId: WORKLOADS },
        { id: CLOSED, state: 'SUSPENDED', parentId: WORKLOADS },
        { id: EXCLUDED, state: 'ACTIVE', parentId: WORKLOADS },
      ]),
    }],
    stackSets: baselineOf([PROD_A, PROD_B, DEV]),
    guardduty: REGIONS.map((region) => ({ region, configuration: ok(allOn()) })),
    policies: [
      { targetId: SCP_OU, attached: ok([FULL_ACCESS, scp('protect-security-services', 'p-111')]) },
      { targetId: WORKLOADS, attached: ok([FULL_ACCESS, scp('protect-security-services', 'p-111'), scp('deny-root-user', 'p-222')]) },
    ],
  };
}

function input(org: Partial<OrganizationSnapshot> = {}, accounts: AccountSnapshot[] = [management()], config: Partial<OrganizationAuditConfig> = {}): OrganizationCheckInput {
  return { organization: { ...goodOrganization(), ...org }, accounts, config: { ...CONFIG, ...config } };
}

const run = (id: string, i: OrganizationCheckInput): Finding[] => ORGANIZATION_CHECKS.find((c) => c.id === id)!.evaluate(i);
const statuses = (fs: Finding[]) => fs.map((f) => f.status);

test('the organization checks are the four of issue 13, each with its control', () => {
  expect(ORGANIZATION_CHECKS.map((c) => [c.id, c.controlId])).toEqual([
    ['org-organization-trail', 'LOG-TRAIL'], ['org-guardduty-auto-enable', 'GD-CENTRAL'], ['org-stackset-baseline', 'IAM-LEASTPRIV'], ['org-scp-attached', 'LOG-TAMPER'],
  ]);
});

test('a compliant organization passes every check, every finding live and naming its account', () => {
  const fs = evaluateOrganization(input());
  expect(fs.filter((f) => f.status !== 'PASS').map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  expect(fs.every((f) => f.source === 'live' && /^\d{12}$/.test(f.resource.account ?? '') && f.resource.region)).toBe(true);
  expect(fs).toHaveLength(1 + 2 + 3 + 3);
});

describe('org-organization-trail', () => {
  const id = 'org-organization-trail';
  test('PASS: the management account\'s organization trail is multi-region and logging', () => {
    expect(run(id, input())).toMatchObject([{ status: 'PASS', resource: { id: TRAIL.arn, account: MGMT, region: 'us-east-1' } }]);
  });
  test('FAIL: the organization trail is stopped', () => {
    const m = management();
    const home = { ...m.logging![1], trailDetails: [trailDetail(NOW, { trail: ORG_TRAIL, status: ok({ isLogging: false }) })] };
    expect(run(id, input({}, [{ ...m, logging: [m.logging![0], home] }]))).toMatchObject([{ status: 'FAIL', message: 'organization trail org-trail is not logging (StopLogging)' }]);
  });
  test('FAIL: the management account\'s trail is an ordinary one, not an organization trail', () => {
    expect(run(id, input({}, [{ ...management(), logging: goodLogging(NOW) }]))[0]).toMatchObject({ status: 'FAIL', message: `the management account ${MGMT} has no organization trail (IsOrganizationTrail) in the audited regions` });
  });
  test('FAIL: an organization trail of another account (a member\'s view) does not count', () => {
    const foreign = { ...ORG_TRAIL, arn: `arn:aws:cloudtrail:us-east-1:${PROD_A}:trail/org-trail` };
    expect(statuses(run(id, input({}, [{ ...management(), logging: [homeRegion(NOW, { trails: ok([foreign]), trailDetails: [trailDetail(NOW, { trail: foreign })] })] }])))).toEqual(['FAIL']);
  });
  test('FAIL: a single-region organization trail', () => {
    const single = { ...ORG_TRAIL, multiRegion: false };
    expect(run(id, input({}, [{ ...management(), logging: [homeRegion(NOW, { trails: ok([single]), trailDetails: [trailDetail(NOW, { trail: single })] })] }]))[0].message)
      .toBe('organization trail org-trail is not multi-region');
  });
  test('ERROR: the trail status could not be read', () => {
    const m = management();
    const home = { ...m.logging![1], trailDetails: [trailDetail(NOW, { trail: ORG_TRAIL, status: deniedResult('cloudtrail:GetTrailStatus') })] };
    expect(run(id, input({}, [{ ...m, logging: [m.logging![0], home] }]))[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('cloudtrail:GetTrailStatus access denied') });
  });
  test('ERROR: the trail\'s home region was not audited', () => {
    const m = management();
    expect(run(id, input({}, [{ ...m, logging: [m.logging![0]] }]))[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('home region us-east-1 was not audited') });
  });
  test('ERROR: the management account was not audited (no audit role there): never a pass', () => {
    expect(run(id, input({}, [{ ...goodSnapshot(), account: PROD_A }]))[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining(`management account ${MGMT} was not audited`) });
  });
  test('ERROR: DescribeOrganization denied; FAIL: in no organization', () => {
    expect(run(id, input({ organization: deniedResult('organizations:DescribeOrganization') }), )[0].status).toBe('ERROR');
    expect(run(id, input({ organization: ok(null) }, [management()], { managementAccountId: undefined }))[0]).toMatchObject({ status: 'FAIL', message: expect.stringContaining('is in no organization') });
  });
  test('a finding about the organization names it: its ARN under the management account, its type, the management account', () => {
    const f = run(id, input({}, [{ ...management(), logging: goodLogging(NOW) }]))[0];
    expect(f.resource).toEqual({ id: `arn:aws:organizations::${MGMT}:organization/${ORG}`, type: 'AWS::Organizations::Organization', account: MGMT, region: 'global' });
  });
  test('the organization is named by DescribeOrganization when the configuration has no management account; when unreadable, as o-unknown of the caller', () => {
    expect(run(id, input({}, [{ ...management(), logging: goodLogging(NOW) }], { managementAccountId: undefined }))[0].resource)
      .toMatchObject({ id: `arn:aws:organizations::${MGMT}:organization/${ORG}`, account: MGMT });
    expect(run(id, input({ organization: deniedResult('organizations:DescribeOrganization') }, [management()], { managementAccountId: undefined }))[0])
      .toMatchObject({ status: 'ERROR', resource: { id: `arn:aws:organizations::${TOOLING}:organization/o-unknown`, account: TOOLING } });
  });
  test('a PASS names the trail, the management account and the organization, on the trail itself', () => {
    expect(run(id, input())).toMatchObject([{
      resource: { id: TRAIL.arn, type: 'AWS::CloudTrail::Trail' },
      message: `organization trail org-trail of the management account ${MGMT} is multi-region and logging, for every account of ${ORG}`,
    }]);
  });
  test('ERROR: the management account\'s regions could not be listed, naming the call (its trails are not judged)', () => {
    expect(run(id, input({}, [management({ regions: deniedResult('ec2:DescribeRegions') })]))).toMatchObject([{
      status: 'ERROR', message: expect.stringContaining('ec2:DescribeRegions access denied'),
    }]);
  });
  test('ERROR: the management account\'s trails were not collected', () => {
    expect(run(id, input({}, [management({ logging: undefined })]))).toMatchObject([{
      status: 'ERROR', message: `cannot verify: the trails of the management account ${MGMT} were not collected`,
    }]);
  });
  test('ERROR: DescribeTrails denied in every region, naming the call', () => {
    const m = management();
    const logging = m.logging!.map((r) => ({ ...r, trails: deniedResult('cloudtrail:DescribeTrails'), trailDetails: [] }));
    expect(run(id, input({}, [{ ...m, logging }]))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('cloudtrail:DescribeTrails access denied') }]);
  });
  test('ERROR for an unaudited home region names the status call that could not be made and why', () => {
    const m = management();
    expect(run(id, input({}, [{ ...m, logging: [m.logging![0]] }]))[0].message)
      .toBe('cannot verify: cloudtrail:GetTrailStatus failed (organization trail org-trail\'s home region us-east-1 was not audited)');
  });
  test('FAIL lists every organization trail\'s problem', () => {
    const single = { ...ORG_TRAIL, name: 'single', arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/single`, multiRegion: false };
    const stopped = { ...ORG_TRAIL, name: 'stopped', arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/stopped` };
    const logging = [homeRegion(NOW, { trails: ok([single, stopped]), trailDetails: [trailDetail(NOW, { trail: stopped, status: ok({ isLogging: false }) })] })];
    expect(run(id, input({}, [{ ...management(), logging }]))).toMatchObject([{
      status: 'FAIL', message: 'organization trail single is not multi-region; organization trail stopped is not logging (StopLogging)',
    }]);
  });
});

describe('org-guardduty-auto-enable', () => {
  const id = 'org-guardduty-auto-enable';
  test('PASS in every governed region, naming the detector', () => {
    expect(run(id, input()).map((f) => [f.status, f.resource.region, f.resource.id])).toEqual(REGIONS.map((r) => ['PASS', r, `arn:aws:guardduty:${r}:${TOOLING}:detector/det-1`]));
  });
  test.each([
    ['members only NEW', (c: ReturnType<typeof allOn>) => ({ ...c, autoEnableOrganizationMembers: 'NEW' }), 'members auto-enabled: NEW, not ALL'],
    ['members not set', (c: ReturnType<typeof allOn>) => ({ ...c, autoEnableOrganizationMembers: undefined }), 'members auto-enabled: not set, not ALL'],
    ['a plan for new accounts only', (c: ReturnType<typeof allOn>) => ({ ...c, features: c.features.map((f) => (f.name === 'RDS_LOGIN_EVENTS' ? { ...f, autoEnable: 'NEW' } : f)) }), 'RDS_LOGIN_EVENTS: NEW, not ALL'],
    ['a plan absent', (c: ReturnType<typeof allOn>) => ({ ...c, features: c.features.filter((f) => f.name !== 'S3_DATA_EVENTS') }), 'S3_DATA_EVENTS: absent, not ALL'],
    ['a runtime agent not auto-enabled', (c: ReturnType<typeof allOn>) => ({
      ...c, features: c.features.map((f) => (f.name === 'RUNTIME_MONITORING' ? { ...f, additional: f.additional.filter((a) => a.name !== 'EC2_AGENT_MANAGEMENT') } : f)),
    }), 'RUNTIME_MONITORING EC2_AGENT_MANAGEMENT: absent, not ALL'],
  ])('FAIL where %s, naming it and the region', (_n, spoil, message) => {
    const fs = run(id, input({ guardduty: [{ region: 'us-east-1', configuration: ok(allOn()) }, { region: 'eu-west-1', configuration: ok(spoil(allOn())) }] }));
    expect(statuses(fs)).toEqual(['PASS', 'FAIL']);
    expect(fs[1].message).toBe(`GuardDuty organization configuration in eu-west-1: ${message}`);
  });
  test('FAIL: no detector in a governed region (not the delegated administrator there)', () => {
    const fs = run(id, input({ guardduty: [{ region: 'us-east-1', configuration: ok(allOn()) }, { region: 'eu-west-1', configuration: ok(null) }] }));
    expect(fs[1]).toMatchObject({ status: 'FAIL', message: `account ${TOOLING} has no GuardDuty detector in eu-west-1: it is not the delegated administrator there` });
  });
  test('ERROR: the configuration could not be read, or a governed region was not collected', () => {
    const fs = run(id, input({ guardduty: [{ region: 'us-east-1', configuration: deniedResult('guardduty:DescribeOrganizationConfiguration') }] }));
    expect(fs.map((f) => [f.status, f.resource.region])).toEqual([['ERROR', 'us-east-1'], ['ERROR', 'eu-west-1']]);
    expect(fs[0].message).toContain('guardduty:DescribeOrganizationConfiguration access denied');
  });
  test('a PASS names the region and how many protection plans are auto-enabled, on the detector', () => {
    expect(run(id, input())[0]).toMatchObject({
      resource: { type: 'AWS::GuardDuty::Detector' },
      message: `GuardDuty in us-east-1 auto-enables every member account and all ${GUARDDUTY_FEATURES.length} protection plans`,
    });
  });
  test('FAIL lists every problem of a region', () => {
    const spoilt = { ...allOn(), autoEnableOrganizationMembers: 'NEW', features: allOn().features.map((f) => (f.name === 'RDS_LOGIN_EVENTS' ? { ...f, autoEnable: 'NONE' } : f)) };
    expect(run(id, input({ guardduty: REGIONS.map((region) => ({ region, configuration: ok(spoilt) })) }))[0].message)
      .toBe('GuardDuty organization configuration in us-east-1: members auto-enabled: NEW, not ALL; RDS_LOGIN_EVENTS: NONE, not ALL');
  });
  test('a governed region not collected cannot be verified, naming the region', () => {
    expect(run(id, input({ guardduty: [{ region: 'us-east-1', configuration: ok(allOn()) }] }))[1]).toMatchObject({
      status: 'ERROR', resource: { region: 'eu-west-1' }, message: 'cannot verify: GuardDuty\'s organization configuration in eu-west-1 was not collected',
    });
  });
});

describe('org-stackset-baseline', () => {
  const id = 'org-stackset-baseline';
  test('PASS: one finding per active account of the targets, nested OUs included; the closed, excluded and management accounts get none', () => {
    const fs = run(id, input());
    expect(fs.map((f) => [f.status, f.resource.account])).toEqual([[PASS, PROD_A], [PASS, PROD_B], [PASS, DEV]].sort((a, b) => a[1].localeCompare(b[1])));
    expect(fs[0].resource.id).toBe(`arn:aws:organizations::${MGMT}:account/${ORG}/${PROD_A}`);
    expect(fs[0].message).toBe(`account ${PROD_A} (prod-a) holds a current instance of Hardening-baseline-global, Hardening-baseline-regional in us-east-1, eu-west-1`);
  });
  test('the management account under a root target gets no finding: service-managed StackSets never deploy there', () => {
    const org = goodOrganization();
    const targets = [{ targetId: 'r-ab12', accounts: ok([{ id: MGMT, state: 'ACTIVE', parentId: 'r-ab12' }, { id: DEV, state: 'ACTIVE', parentId: 'r-ab12' }]) }];
    expect(run(id, input({ targets, stackSets: org.stackSets }, [management()], { baselineTargets: ['r-ab12'] })).map((f) => f.resource.account)).toEqual([DEV]);
  });
  test('FAIL: an account missing an instance in one governed region, naming the StackSet and region', () => {
    const sets = baselineOf([PROD_A, PROD_B, DEV]);
    const regional = sets[1].instances as { ok: true; value: ReturnType<typeof instance>[] };
    sets[1] = { ...sets[1], instances: ok(regional.value.filter((i) => !(i.account === PROD_B && i.region === 'eu-west-1'))) };
    const fs = run(id, input({ stackSets: sets }));
    expect(fs.filter((f) => f.status === 'FAIL').map((f) => f.message)).toEqual([`account ${PROD_B} (prod-b) under ou-ab12-deepdeep: Hardening-baseline-regional has no instance in eu-west-1`]);
  });
  test.each([
    ['OUTDATED', 'FAILED'], ['CURRENT', 'RUNNING'], ['INOPERABLE', null], ['CURRENT', 'CANCELLED'],
  ])('FAIL: an instance %s/%s is not current', (status, detailed) => {
    const sets = baselineOf([PROD_A, PROD_B, DEV]);
    sets[0] = { ...sets[0], instances: ok([instance(PROD_A, 'us-east-1', status, detailed), instance(PROD_B, 'us-east-1'), instance(DEV, 'us-east-1')]) };
    const fs = run(id, input({ stackSets: sets }));
    expect(fs.find((f) => f.resource.account === PROD_A)).toMatchObject({ status: 'FAIL', message: expect.stringContaining(`Hardening-baseline-global in us-east-1 is ${status}`) });
  });
  test('PASS: CURRENT with no detailed status (older API answers) counts as current', () => {
    const sets = baselineOf([PROD_A, PROD_B, DEV]);
    sets[0] = { ...sets[0], instances: ok([instance(PROD_A, 'us-east-1', 'CURRENT', null), instance(PROD_B, 'us-east-1'), instance(DEV, 'us-east-1')]) };
    expect(statuses(run(id, input({ stackSets: sets })))).toEqual(['PASS', 'PASS', 'PASS']);
  });
  test('ERROR per account when a StackSet cannot be listed; ERROR for a target that cannot be enumerated', () => {
    const sets = baselineOf([PROD_A, PROD_B, DEV]);
    sets[1] = { ...sets[1], instances: deniedResult('cloudformation:ListStackInstances') };
    const fs = run(id, input({ stackSets: sets }));
    expect(statuses(fs)).toEqual(['ERROR', 'ERROR', 'ERROR']);
    expect(fs[0].message).toContain('cloudformation:ListStackInstances access denied');
    const t = run(id, input({ targets: [{ targetId: WORKLOADS, accounts: deniedResult('organizations:ListAccountsForParent') }] }));
    expect(t).toMatchObject([{ status: 'ERROR', resource: { id: `arn:aws:organizations::${MGMT}:ou/${ORG}/${WORKLOADS}` }, message: expect.stringContaining('organizations:ListAccountsForParent') }]);
  });
  test('a baseline target whose accounts were not collected cannot be verified (the others are still judged)', () => {
    const fs = run(id, input({}, [management()], { baselineTargets: [WORKLOADS, 'ou-ab12-missing'] }));
    expect(fs.filter((f) => f.status === 'ERROR')).toMatchObject([{
      resource: { id: `arn:aws:organizations::${MGMT}:ou/${ORG}/ou-ab12-missing`, type: 'AWS::Organizations::OrganizationalUnit', account: MGMT },
      message: 'cannot verify: the accounts of baseline target ou-ab12-missing were not collected',
    }]);
    expect(fs.filter((f) => f.status === 'PASS')).toHaveLength(3);
  });
  test('a StackSet missing from the collection is ERROR naming it; an instance in another account does not count', () => {
    const fs = run(id, input({ stackSets: baselineOf([PROD_A, PROD_B, DEV]).slice(0, 1) }));
    expect(fs.map((f) => [f.status, f.message])).toEqual([PROD_A, PROD_B, DEV].sort().map(() => ['ERROR', 'cannot verify: cloudformation:ListStackInstances failed (StackSet Hardening-baseline-regional was not collected)']));
    const sets = baselineOf([PROD_A, PROD_B]);
    expect(run(id, input({ stackSets: sets })).find((f) => f.resource.account === DEV)).toMatchObject({ status: 'FAIL', message: expect.stringContaining('Hardening-baseline-global has no instance in us-east-1') });
  });
  test('a FAIL lists every problem with status, detail and reason; an account without a name is its id', () => {
    const sets = baselineOf([PROD_A, PROD_B]);
    sets[0] = { ...sets[0], instances: ok([{ ...instance(DEV, 'us-east-1', 'OUTDATED', 'FAILED'), statusReason: 'Role not assumable' }, instance(PROD_A, 'us-east-1'), instance(PROD_B, 'us-east-1')]) };
    expect(run(id, input({ stackSets: sets })).find((f) => f.resource.account === DEV)!.message).toBe(
      `account ${DEV} under ${WORKLOADS}: Hardening-baseline-global in us-east-1 is OUTDATED/FAILED (Role not assumable); Hardening-baseline-regional has no instance in us-east-1; Hardening-baseline-regional has no instance in eu-west-1`);
  });
  test('the organization id and management account come from DescribeOrganization when the configuration does not name them', () => {
    const fs = run(id, input({}, [management()], { managementAccountId: undefined }));
    expect(fs[0].resource.id).toBe(`arn:aws:organizations::${MGMT}:account/${ORG}/${fs[0].resource.account}`);
    const unknownOrg = run(id, input({ organization: failed(denied('organizations:DescribeOrganization')) }, [management()], { managementAccountId: undefined }));
    expect(unknownOrg[0].resource.id).toBe(`arn:aws:organizations::${TOOLING}:account/o-unknown/${unknownOrg[0].resource.account}`);
  });
  test('FAIL wins over ERROR for an account: a missing instance is known even if another StackSet is unreadable', () => {
    const sets = [{ name: 'Hardening-baseline-global', instances: ok([]) }, { name: 'Hardening-baseline-regional', instances: failed(denied('cloudformation:ListStackInstances')) }];
    expect(statuses(run(id, input({ stackSets: sets })))).toEqual(['FAIL', 'FAIL', 'FAIL']);
  });
  test('a finding per account is about the account; an unreadable target is about the OU', () => {
    expect(run(id, input())[0].resource.type).toBe('AWS::Organizations::Account');
    const t = run(id, input({ targets: [{ targetId: WORKLOADS, accounts: deniedResult('organizations:ListAccountsForParent') }] }));
    expect(t[0].resource.type).toBe('AWS::Organizations::OrganizationalUnit');
  });
  test('a PASS for an account without a name is its id alone', () => {
    expect(run(id, input()).find((f) => f.resource.account === DEV)!.message)
      .toBe(`account ${DEV} holds a current instance of Hardening-baseline-global, Hardening-baseline-regional in us-east-1, eu-west-1`);
  });
  test('a FAIL shows no detail or reason the instance does not have', () => {
    const sets = baselineOf([PROD_A, PROD_B, DEV]);
    sets[0] = { ...sets[0], instances: ok([instance(PROD_A, 'us-east-1', 'INOPERABLE', null), instance(PROD_B, 'us-east-1', 'OUTDATED', 'FAILED'), instance(DEV, 'us-east-1')]) };
    const fs = run(id, input({ stackSets: sets }));
    expect(fs.filter((f) => f.status === 'FAIL').map((f) => f.message)).toEqual([
      `account ${PROD_A} (prod-a) under ou-ab12-prodprod: Hardening-baseline-global in us-east-1 is INOPERABLE`,
      `account ${PROD_B} (prod-b) under ou-ab12-deepdeep: Hardening-baseline-global in us-east-1 is OUTDATED/FAILED`,
    ]);
  });
  test('without excluded accounts configured, every active account is judged', () => {
    const fs = run(id, input({ stackSets: baselineOf([PROD_A, PROD_B, DEV, EXCLUDED]) }, [management()], { baselineExcludeAccounts: undefined }));
    expect(fs.map((f) => [f.status, f.resource.account])).toEqual([PROD_A, PROD_B, DEV, EXCLUDED].map((a) => ['PASS', a]));
  });
  test('findings come in account id order, whatever order the accounts were listed in', () => {
    const targets = [{ targetId: WORKLOADS, accounts: ok([DEV, PROD_B, PROD_A].map((a) => ({ id: a, state: 'ACTIVE', parentId: WORKLOADS }))) }];
    expect(run(id, input({ targets })).map((f) => f.resource.account)).toEqual([PROD_A, PROD_B, DEV]);
  });
  test('several baseline targets, each collected: no target is reported as uncollected', () => {
    const second = 'ou-ab12-sandbox';
    const targets = [...goodOrganization().targets, { targetId: second, accounts: ok([]) }];
    const fs = run(id, input({ targets }, [management()], { baselineTargets: [WORKLOADS, second] }));
    expect(statuses(fs)).toEqual(['PASS', 'PASS', 'PASS']);
  });
  test('a caller in no organization: the accounts are still judged, under o-unknown', () => {
    const fs = run(id, input({ organization: ok(null) }));
    expect(fs.map((f) => f.resource.id)).toEqual([PROD_A, PROD_B, DEV].map((a) => `arn:aws:organizations::${MGMT}:account/o-unknown/${a}`));
  });
});

describe('org-scp-attached', () => {
  const id = 'org-scp-attached';
  test('PASS: each SCP on each of its targets with the rendered content (key order does not matter)', () => {
    const reordered = JSON.parse(JSON.stringify(renderedScp('deny-root-user', CONFIG), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
    const policies = goodOrganization().policies.map((p) => (p.targetId === WORKLOADS
      ? { ...p, attached: ok([FULL_ACCESS, scp('protect-security-services', 'p-111'), { ...scp('deny-root-user', 'p-222'), content: ok(reordered) }]) } : p));
    const fs = run(id, input({ policies }));
    expect(fs.map((f) => [f.status, f.resource.id])).toEqual([
      ['PASS', `scp/protect-security-services@${WORKLOADS}`], ['PASS', `scp/protect-security-services@${SCP_OU}`], ['PASS', `scp/deny-root-user@${WORKLOADS}`],
    ]);
  });
  test('FAIL: not attached to a target', () => {
    const policies = goodOrganization().policies.map((p) => (p.targetId === SCP_OU ? { ...p, attached: ok([FULL_ACCESS]) } : p));
    expect(run(id, input({ policies }))[1]).toMatchObject({ status: 'FAIL', message: `protect-security-services is not attached to ${SCP_OU}` });
  });
  test('FAIL: attached but changed by hand, naming the statement that differs', () => {
    const changed = JSON.parse(JSON.stringify(renderedScp('deny-root-user', CONFIG)));
    changed.Statement[0].Effect = 'Allow';
    const policies = goodOrganization().policies.map((p) => (p.targetId === WORKLOADS
      ? { ...p, attached: ok([scp('protect-security-services', 'p-111'), { ...scp('deny-root-user', 'p-222'), content: ok(changed) }]) } : p));
    expect(run(id, input({ policies }))[2]).toMatchObject({
      status: 'FAIL', message: expect.stringMatching(/^cdk-hardening-deny-root-user \(p-222\) attached to ou-ab12-workload is not what policies\/scp\/deny-root-user.json renders: statement 1 \(\w+\) differs$/),
    });
  });
  test('FAIL: rendered for other values (another break-glass role) is not the content we render', () => {
    const other = renderedScp('protect-security-services', { ...CONFIG, breakGlassRoleName: 'SomeoneElse' });
    expect(other).not.toEqual(renderedScp('protect-security-services', CONFIG));
    const policies = goodOrganization().policies.map((p) => (p.targetId === SCP_OU
      ? { ...p, attached: ok([{ ...scp('protect-security-services', 'p-111'), content: ok(other as unknown) }]) } : p));
    expect(statuses(run(id, input({ policies })))).toEqual(['PASS', 'FAIL', 'PASS']);
  });
  test('ERROR: the attached policies or a policy\'s content could not be read', () => {
    const listDenied = goodOrganization().policies.map((p) => (p.targetId === SCP_OU ? { ...p, attached: deniedResult('organizations:ListPoliciesForTarget') } : p));
    expect(run(id, input({ policies: listDenied }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('organizations:ListPoliciesForTarget access denied') });
    const describeDenied = goodOrganization().policies.map((p) => (p.targetId === SCP_OU
      ? { ...p, attached: ok([{ id: 'p-333', name: 'mystery', awsManaged: false, content: deniedResult('organizations:DescribePolicy') }]) } : p));
    expect(run(id, input({ policies: describeDenied }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('organizations:DescribePolicy access denied') });
  });
  const onScpOu = (attached: unknown) => goodOrganization().policies.map((p) => (p.targetId === SCP_OU ? { ...p, attached } : p));
  const scpOu = (attached: unknown) => run(id, input({ policies: onScpOu(attached) as OrganizationSnapshot['policies'] }))[1];
  const rendered = () => JSON.parse(JSON.stringify(renderedScp('protect-security-services', CONFIG)));
  test('FAIL names where the attached copy differs: a missing or extra statement, a statement without Sid, no Statement list', () => {
    const withContent = (content: unknown) => ok([{ ...scp('protect-security-services', 'p-111'), content: ok(content) }]);
    const fewer = rendered(); const last = fewer.Statement.pop();
    expect(scpOu(withContent(fewer)).message).toMatch(new RegExp(`statement ${fewer.Statement.length + 1} \\(${last.Sid}\\) differs$`));
    const more = rendered(); more.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(scpOu(withContent(more)).message).toMatch(new RegExp(`statement ${more.Statement.length} \\(no Sid\\) differs$`));
    // a copy whose statement lost its Sid is named by the Sid it should have
    const sidless = rendered(); const sid = sidless.Statement[0].Sid; delete sidless.Statement[0].Sid;
    expect(scpOu(withContent(sidless)).message).toMatch(new RegExp(`statement 1 \\(${sid}\\) differs$`));
    expect(scpOu(withContent({ Version: '2012-10-17' })).message).toMatch(/: it has no Statement list$/);
    expect(scpOu(withContent(null)).message).toMatch(/: it has no Statement list$/);
    const top = { ...rendered(), Version: '2008-10-17' };
    expect(scpOu(withContent(top)).message).toMatch(/: the top level differs$/);
  });
  test('an AWS-managed policy never counts; a hand-made policy of another name is listed; a policy named bare or with any prefix is ours', () => {
    expect(scpOu(ok([{ ...scp('protect-security-services', 'p-1'), awsManaged: true }])).message).toBe(`protect-security-services is not attached to ${SCP_OU}`);
    expect(scpOu(ok([FULL_ACCESS, { id: 'p-2', name: 'other', awsManaged: false, content: ok({ Statement: [] }) }])).message).toBe(`protect-security-services is not attached to ${SCP_OU} (attached: other)`);
    const changed = rendered(); changed.Statement[0].Effect = 'Allow';
    expect(scpOu(ok([{ id: 'p-3', name: 'protect-security-services', awsManaged: false, content: ok(changed) }])).message).toMatch(/^protect-security-services \(p-3\) attached to .* is not what/);
    expect(scpOu(ok([{ id: 'p-4', name: 'Bank-protect-security-services', awsManaged: false, content: ok(changed) }])).message).toMatch(/^Bank-protect-security-services \(p-4\) attached/);
  });
  test('a readable matching copy passes even beside an unreadable policy; an unreadable policy alone is ERROR; a target not collected cannot be verified', () => {
    const unreadable = { id: 'p-9', name: 'mystery', awsManaged: false, content: deniedResult('organizations:DescribePolicy') };
    expect(scpOu(ok([unreadable, scp('protect-security-services', 'p-111')])).status).toBe('PASS');
    expect(scpOu(ok([{ id: 'p-8', name: 'nocontent', awsManaged: false }, unreadable]))).toMatchObject({ status: 'ERROR', message: expect.stringContaining('organizations:DescribePolicy') });
    const fs = run(id, input({ policies: goodOrganization().policies.filter((p) => p.targetId !== SCP_OU) }));
    expect(fs[1]).toMatchObject({ status: 'ERROR', resource: { id: `scp/protect-security-services@${SCP_OU}`, account: MGMT }, message: `cannot verify: the policies attached to ${SCP_OU} were not collected` });
  });
  test('a PASS names the policy, its id and the source it was rendered from', () => {
    expect(run(id, input())[0].message).toBe(`protect-security-services is attached to ${WORKLOADS} as cdk-hardening-protect-security-services (p-111) with the content rendered from policies/scp/protect-security-services.json`);
  });
  test('FAIL: scpTargets attaches nothing at all', () => {
    expect(run(id, input({}, [management()], { scpTargets: {} }))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('attaches no service control policy') }]);
    expect(run(id, input({}, [management()], { scpTargets: { 'deny-root-user': [] } }))).toMatchObject([{
      status: 'FAIL', resource: { id: `arn:aws:organizations::${MGMT}:policy/*`, type: 'AWS::Organizations::Policy', account: MGMT },
    }]);
    // one empty list beside a real one is not "nothing"
    expect(run(id, input({}, [management()], { scpTargets: { 'deny-root-user': [WORKLOADS], 'protect-security-services': [] } })).map((f) => f.status)).toEqual(['PASS']);
  });
  test('each finding is about the policy on its target', () => {
    expect(run(id, input()).map((f) => f.resource.type)).toEqual(['AWS::Organizations::Policy', 'AWS::Organizations::Policy', 'AWS::Organizations::Policy']);
  });
  test('FAIL: a Statement written as an object keyed by position is not the rendered list', () => {
    const r = rendered();
    const keyed = { ...r, Statement: Object.fromEntries(r.Statement.map((st: unknown, i: number) => [String(i), st])) };
    expect(scpOu(ok([{ ...scp('protect-security-services', 'p-111'), content: ok(keyed) }]))).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/: it has no Statement list$/) });
  });
  test('FAIL: an extra null entry in the Statement list is named as a statement without Sid', () => {
    const r = rendered(); r.Statement.push(null);
    expect(scpOu(ok([{ ...scp('protect-security-services', 'p-111'), content: ok(r) }])).message).toMatch(new RegExp(`statement ${r.Statement.length} \\(no Sid\\) differs$`));
  });
  test('a policy of ours whose content was not collected cannot be verified (neither a pass nor "not attached"), and the finding names it', () => {
    const f = scpOu(ok([{ id: 'p-111', name: 'cdk-hardening-protect-security-services', awsManaged: false }]));
    expect(f).toMatchObject({ status: 'ERROR', message: `cannot verify: the content of cdk-hardening-protect-security-services (p-111) attached to ${SCP_OU} was not collected` });
  });
  test('FAIL names every other policy attached to the target', () => {
    const other = (pid: string, name: string) => ({ id: pid, name, awsManaged: false, content: ok({ Statement: [] }) });
    expect(scpOu(ok([other('p-5', 'first'), other('p-6', 'second')])).message).toBe(`protect-security-services is not attached to ${SCP_OU} (attached: first, second)`);
  });
  test('an SCP listed with no targets at all (undefined) is skipped; the others are checked', () => {
    const fs = run(id, input({}, [management()], { scpTargets: { 'protect-security-services': undefined, 'deny-root-user': [WORKLOADS] } }));
    expect(fs.map((f) => [f.status, f.resource.id])).toEqual([['PASS', `scp/deny-root-user@${WORKLOADS}`]]);
  });
});

test('a failed organization snapshot (no caller identity) is ERROR in every check, never a pass', () => {
  const snapshot = failedOrganizationSnapshot(CONFIG, 'unknown', 'aws', denied('sts:GetCallerIdentity'), NOW);
  const fs = evaluateOrganization({ organization: snapshot, accounts: [], config: CONFIG });
  expect(new Set(fs.map((f) => f.ruleId))).toEqual(new Set(ORGANIZATION_CHECKS.map((c) => c.id)));
  expect(fs.filter((f) => f.status !== 'ERROR')).toEqual([]);
});

const PASS = 'PASS';
