import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, DEFAULT_CHECK_SETTINGS, failed, ok } from '../../../lib/audit/types';
import trailLogging from '../../../lib/audit/checks/cloudtrail/multi-region-logging';
import piiDataEvents, { dataEventTarget } from '../../../lib/audit/checks/cloudtrail/pii-data-events';
import { trailProblems } from '../../../lib/audit/checks/cloudtrail/trail-problems';
import cisAlarms, { cisItemFault } from '../../../lib/audit/checks/cloudwatch/cis-alarms';
import { cisItemsOf } from '../../../lib/nag/rules/cloudtrail/cis-events';
import trailLogGroup from '../../../lib/audit/checks/cloudwatch/trail-log-group';
import securityRules, { ruleFaults } from '../../../lib/audit/checks/events/security-rules';
import alertTopics, { publishersOf, topicFaults } from '../../../lib/audit/checks/sns/alert-topics';
import { AlarmSummary, DEFAULT_LOGGING_SETTINGS, DataEventSelector, LoggingRegionSnapshot, RuleSummary, TrailDetail } from '../../../lib/audit/logging-types';
import {
  ACCT, ALARMS, ALERTS, HOME, LOG_GROUP, PII_BUCKET, PII_TABLE, PREFIX, RULES, SOURCE_ACCOUNT_KEY_POLICY, TRAIL, TRAIL_ARN,
  homeRegion, otherRegion, trailDetail,
} from '../support/logging-snapshots';

const NOW = new Date('2026-06-01T12:00:00Z');
const SETTINGS: CheckSettings = { ...DEFAULT_CHECK_SETTINGS, now: NOW, logging: { ...DEFAULT_LOGGING_SETTINGS, securityNamePrefix: PREFIX } };
const THROTTLED = { action: 'cloudwatch:DescribeAlarms', kind: 'throttled' as const, code: 'Throttling', message: 'Rate exceeded' };

function snapshot(home: Partial<LoggingRegionSnapshot> = {}, other: Partial<LoggingRegionSnapshot> = {}): AccountSnapshot {
  return {
    account: ACCT, partition: 'aws', collectedAt: NOW.toISOString(),
    iam: { credentialReport: ok({ generatedAt: NOW.toISOString(), rows: [] }), accountSummary: ok({}), passwordPolicy: ok(null), virtualMfaDevices: ok([]), authorization: ok({ users: [], groups: [], policies: [] }) },
    organization: ok(null), regions: ok(['eu-west-1', HOME]), guardduty: [],
    logging: [otherRegion('eu-west-1', other), homeRegion(NOW, home)],
  };
}
const run = (c: AuditCheck, s: AccountSnapshot) => c.evaluate(s, SETTINGS);
const statuses = (c: AuditCheck, s: AccountSnapshot) => run(c, s).map((f) => `${f.status} ${f.resource.region} ${f.resource.id}`);
const fails = (c: AuditCheck, s: AccountSnapshot) => run(c, s).filter((f) => f.status === 'FAIL');
const ALL = [trailLogging, piiDataEvents, cisAlarms, trailLogGroup, securityRules, alertTopics];

describe('every detection-path check', () => {
  it.each(ALL.map((c) => [c.id, c] as const))('%s passes an untouched account, citing its control', (_id, c) => {
    const fs = run(c, snapshot());
    expect(fs.length).toBeGreaterThan(0);
    expect(fs.map((f) => f.status)).toEqual(fs.map(() => 'PASS'));
    expect(fs.every((f) => f.citations.length > 0 && f.source === 'live' && f.controlId === c.controlId)).toBe(true);
  });
  it.each(ALL.map((c) => [c.id, c] as const))('%s is ERROR, never a pass, when the detection path was not collected', (_id, c) => {
    const s = { ...snapshot(), logging: undefined };
    const fs = run(c, s);
    expect(fs.length).toBeGreaterThan(0);
    expect(fs.every((f) => f.status === 'ERROR')).toBe(true);
  });
  it.each(ALL.map((c) => [c.id, c] as const))('%s is one ERROR naming account:ListRegions when the regions are unknown', (_id, c) => {
    const s = { ...snapshot(), regions: failed({ action: 'account:ListRegions', kind: 'access-denied', code: 'AccessDenied', message: 'no' }) };
    expect(run(c, s)).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('account:ListRegions access denied') }]);
  });
});

describe('cloudtrail-multi-region-logging (LOG-TRAIL)', () => {
  const withStatus = (status: Parameters<typeof trailDetail>[1]) => snapshot({ trailDetails: [trailDetail(NOW, status)] });
  it('fails every region when the trail stopped logging, naming the trail', () => {
    const f = fails(trailLogging, withStatus({ status: ok({ isLogging: false, latestCloudWatchLogsDeliveryTime: NOW.toISOString() }) }));
    expect(f.map((x) => x.resource.region)).toEqual(['eu-west-1', HOME]);
    expect(f[0]).toMatchObject({ controlId: 'LOG-TRAIL', resource: { id: TRAIL_ARN } });
    expect(f[0].message).toContain('trail org-trail is not logging');
  });
  it('fails validation off, no KMS, no global events, single-region', () => {
    const t = { ...TRAIL, logFileValidation: false, kmsKeyId: undefined, includeGlobalEvents: false };
    const m = fails(trailLogging, snapshot({ trails: ok([t]), trailDetails: [trailDetail(NOW, { trail: t })] }, { trails: ok([t]) }))[0].message;
    expect(m).toMatch(/log file validation off.*not encrypted with a KMS key|not encrypted/);
    expect(m).toContain('does not include global service events');
    const single = { ...TRAIL, multiRegion: false };
    expect(fails(trailLogging, snapshot({ trails: ok([single]), trailDetails: [trailDetail(NOW, { trail: single })] }, { trails: ok([]) }))[0].message).toBe('no multi-region trail covers eu-west-1');
  });
  it('fails stale CloudWatch Logs delivery and a delivery error', () => {
    const old = new Date(NOW.getTime() - 30 * 3_600_000).toISOString();
    expect(fails(trailLogging, withStatus({ status: ok({ isLogging: true, latestCloudWatchLogsDeliveryTime: old }) }))[0].message).toContain(`last delivered to CloudWatch Logs at ${old}, more than 24 h ago`);
    expect(fails(trailLogging, withStatus({ status: ok({ isLogging: true, latestCloudWatchLogsDeliveryTime: NOW.toISOString(), latestCloudWatchLogsDeliveryError: 'AccessDenied' }) }))[0].message).toContain("delivery error 'AccessDenied'");
    expect(fails(trailLogging, withStatus({ status: ok({ isLogging: true }) }))[0].message).toContain('has never delivered');
  });
  it('is ERROR (not PASS) when GetTrailStatus was throttled, and when the trail home region was not audited', () => {
    const th = { action: 'cloudtrail:GetTrailStatus', kind: 'throttled' as const, code: 'ThrottlingException', message: 'Rate exceeded' };
    expect(statuses(trailLogging, withStatus({ status: failed(th) }))).toEqual([`ERROR eu-west-1 ${TRAIL_ARN}`, `ERROR ${HOME} ${TRAIL_ARN}`]);
    const s = { ...snapshot(), regions: ok(['eu-west-1']), logging: [otherRegion('eu-west-1')] };
    expect(run(trailLogging, s)).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('home region us-east-1 outside the audited regions') }]);
  });
});

describe('cloudtrail-pii-data-events (LOG-TRAIL)', () => {
  it('fails a PII bucket whose data events are no longer selected, passes the table', () => {
    const s = snapshot({ trailDetails: [trailDetail(NOW, { dataEvents: ok([{ resourceType: 'AWS::DynamoDB::Table', arnPrefixes: [], readWrite: 'All' }]) })] });
    expect(statuses(piiDataEvents, s)).toEqual(['PASS eu-west-1 arn:aws:cloudtrail:eu-west-1:111122223333:trail/*', `FAIL ${HOME} ${PII_BUCKET}`, `PASS ${HOME} ${PII_TABLE}`]);
  });
  it('fails write-only selection and a trail that is not logging', () => {
    const wo = snapshot({ trailDetails: [trailDetail(NOW, { dataEvents: ok([{ resourceType: 'AWS::S3::Object', arnPrefixes: [], readWrite: 'WriteOnly' }, { resourceType: 'AWS::DynamoDB::Table', arnPrefixes: [PII_TABLE], readWrite: 'All' }]) })] });
    expect(fails(piiDataEvents, wo).map((f) => f.resource.id)).toEqual([PII_BUCKET]);
    const stopped = snapshot({ trailDetails: [trailDetail(NOW, { status: ok({ isLogging: false }) })] });
    expect(fails(piiDataEvents, stopped).map((f) => f.resource.id)).toEqual([PII_BUCKET, PII_TABLE]);
  });
  it('is ERROR when the PII resources or the selectors could not be read', () => {
    const denied = { action: 'tag:GetResources', kind: 'access-denied' as const, code: 'AccessDeniedException', message: 'no' };
    expect(statuses(piiDataEvents, snapshot({ piiResources: failed(denied) }))).toContain(`ERROR ${HOME} arn:aws:cloudtrail:${HOME}:${ACCT}:trail/*`);
    const sel = { action: 'cloudtrail:GetEventSelectors', kind: 'throttled' as const, message: 'Rate exceeded' };
    expect(run(piiDataEvents, snapshot({ trailDetails: [trailDetail(NOW, { dataEvents: failed(sel) })] })).filter((f) => f.status === 'ERROR')).toHaveLength(2);
  });
});

describe('cloudtrail-pii-data-events: what a selector covers', () => {
  const withSelectors = (...sel: DataEventSelector[]) =>
    snapshot({ trailDetails: [trailDetail(NOW, { dataEvents: ok(sel) })] });
  const homeStatus = (s: AccountSnapshot) => run(piiDataEvents, s).filter((f) => f.resource.region === HOME).map((f) => `${f.status} ${f.resource.id}`);
  const TABLE_ALL: DataEventSelector = { resourceType: 'AWS::DynamoDB::Table', arnPrefixes: [PII_TABLE], readWrite: 'All' };

  it('only a bucket ARN or a table ARN names a data-event target; objects, streams, other services and padded ARNs do not', () => {
    expect(dataEventTarget(PII_BUCKET)).toEqual({ type: 'AWS::S3::Object', arn: `${PII_BUCKET}/` });
    expect(dataEventTarget(PII_TABLE)).toEqual({ type: 'AWS::DynamoDB::Table', arn: PII_TABLE });
    for (const arn of [`${PII_BUCKET}/key`, `x${PII_BUCKET}`, `${PII_TABLE}/stream/2026-01-01T00:00:00.000`, `x${PII_TABLE}`, `arn:aws:sqs:${HOME}:${ACCT}:queue`]) {
      expect([arn, dataEventTarget(arn)]).toEqual([arn, undefined]);
    }
  });
  it('a PII resource that is neither a bucket nor a table cannot be verified (never PASS)', () => {
    const queue = `arn:aws:sqs:${HOME}:${ACCT}:pii-queue`;
    const [f] = run(piiDataEvents, snapshot({ piiResources: ok([queue]) })).filter((x) => x.resource.id === queue);
    expect(f).toMatchObject({ status: 'ERROR', message: `cannot verify: '${queue}' is neither a bucket nor a table ARN` });
  });
  it("a selector of another bucket's prefix does not cover the PII bucket; one of several prefixes matching does", () => {
    expect(homeStatus(withSelectors({ resourceType: 'AWS::S3::Object', arnPrefixes: ['arn:aws:s3:::other-bucket/'], readWrite: 'All' }, TABLE_ALL))).toEqual([`FAIL ${PII_BUCKET}`, `PASS ${PII_TABLE}`]);
    expect(homeStatus(withSelectors({ resourceType: 'AWS::S3::Object', arnPrefixes: ['arn:aws:s3:::other-bucket/', `${PII_BUCKET}/`], readWrite: 'All' }, TABLE_ALL))).toEqual([`PASS ${PII_BUCKET}`, `PASS ${PII_TABLE}`]);
    // a prefix is matched at the start of the ARN, not anywhere in it
    expect(homeStatus(withSelectors({ resourceType: 'AWS::S3::Object', arnPrefixes: ['customer-pii-data/'], readWrite: 'All' }, TABLE_ALL))).toEqual([`FAIL ${PII_BUCKET}`, `PASS ${PII_TABLE}`]);
  });
  it('read and write logged by two selectors (ReadOnly and WriteOnly) count as all; either alone does not', () => {
    const half = (readWrite: DataEventSelector['readWrite']): DataEventSelector => ({ resourceType: 'AWS::S3::Object', arnPrefixes: [`${PII_BUCKET}/`], readWrite });
    expect(homeStatus(withSelectors(half('ReadOnly'), half('WriteOnly'), TABLE_ALL))[0]).toBe(`PASS ${PII_BUCKET}`);
    expect(homeStatus(withSelectors(half('ReadOnly'), TABLE_ALL))[0]).toBe(`FAIL ${PII_BUCKET}`);
  });
  it('is ERROR naming the call when the trails, a trail status or its selectors could not be read and no other trail covers', () => {
    const listing = { action: 'cloudtrail:DescribeTrails', kind: 'access-denied' as const, message: 'no' };
    expect(run(piiDataEvents, snapshot({ trails: failed(listing) })).filter((f) => f.resource.region === HOME)).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('cloudtrail:DescribeTrails') }]);
    const status = { action: 'cloudtrail:GetTrailStatus', kind: 'access-denied' as const, message: 'no' };
    expect(run(piiDataEvents, snapshot({ trailDetails: [trailDetail(NOW, { status: failed(status) })] })).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.message]))
      .toEqual([['ERROR', expect.stringContaining('cloudtrail:GetTrailStatus')], ['ERROR', expect.stringContaining('cloudtrail:GetTrailStatus')]]);
  });
  it('a trail listed in the region whose details were not collected is no evidence either way', () => {
    const ghost = { ...TRAIL, name: 'ghost', arn: `arn:aws:cloudtrail:${HOME}:${ACCT}:trail/ghost` };
    expect(homeStatus(snapshot({ trails: ok([ghost, TRAIL]) }))).toEqual([`PASS ${PII_BUCKET}`, `PASS ${PII_TABLE}`]);
    expect(homeStatus(snapshot({ trails: ok([ghost]) }))).toEqual([`FAIL ${PII_BUCKET}`, `FAIL ${PII_TABLE}`]);
  });
});

describe('cloudtrail-multi-region-logging: what it says and when it cannot tell', () => {
  const home = (s: AccountSnapshot) => run(trailLogging, s).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.resource.id, f.message]);
  it('a FAIL names every fault of every multi-region trail; a single-region trail is not a candidate', () => {
    const broken = { ...TRAIL, logFileValidation: false, kmsKeyId: undefined };
    expect(home(snapshot({ trails: ok([broken]), trailDetails: [trailDetail(NOW, { trail: broken })] }))).toEqual([
      ['FAIL', TRAIL_ARN, `no multi-region trail covering ${HOME} is sound: trail org-trail has log file validation off; is not encrypted with a KMS key`],
    ]);
    const single = { ...TRAIL, multiRegion: false };
    expect(home(snapshot({ trails: ok([single]), trailDetails: [trailDetail(NOW, { trail: single })] }))).toEqual([
      ['FAIL', `arn:aws:cloudtrail:${HOME}:${ACCT}:trail/*`, `no multi-region trail covers ${HOME}`],
    ]);
  });
  it('a trail whose home region was not audited, or whose trails could not be listed, is ERROR saying so', () => {
    const foreign = { ...TRAIL, arn: `arn:aws:cloudtrail:ap-south-1:${ACCT}:trail/far`, name: 'far', homeRegion: 'ap-south-1' };
    expect(home(snapshot({ trails: ok([foreign]) }))).toEqual([
      ['ERROR', foreign.arn, 'cannot verify: cloudtrail:GetTrailStatus failed (trail far has its home region ap-south-1 outside the audited regions)'],
    ]);
    expect(home(snapshot({ trails: failed({ ...THROTTLED, action: 'cloudtrail:DescribeTrails' }) }))).toEqual([
      ['ERROR', `arn:aws:cloudtrail:${HOME}:${ACCT}:trail/*`, expect.stringContaining('cloudtrail:DescribeTrails')],
    ]);
  });
  it('a region missing from the collection is ERROR naming it; unreadable regions are one ERROR for *', () => {
    const s = snapshot();
    expect(run(trailLogging, { ...s, logging: s.logging!.filter((l) => l.region === HOME) })[0]).toMatchObject({
      status: 'ERROR', resource: { region: 'eu-west-1' }, message: expect.stringContaining('cloudtrail:DescribeTrails') });
    expect(run(trailLogging, { ...s, logging: s.logging!.filter((l) => l.region === HOME) })[0].message).toContain('region eu-west-1 was not collected');
    expect(run(trailLogging, { ...s, regions: failed({ ...THROTTLED, action: 'account:ListRegions' }) })).toMatchObject([{ status: 'ERROR', resource: { region: '*', id: `arn:aws:cloudtrail:*:${ACCT}:trail/*` } }]);
  });
});

describe('trail faults (LOG-TRAIL), each alone', () => {
  const good = trailDetail(NOW);
  const faults = (over: Partial<typeof TRAIL>, status?: TrailDetail['status']) => trailProblems({ ...good, trail: { ...TRAIL, ...over }, ...(status ? { status } : {}) }, NOW, 24);
  it('names each fault of the trail itself and nothing else', () => {
    expect(faults({})).toEqual([]);
    expect(faults({ multiRegion: false })).toEqual(['is not multi-region']);
    expect(faults({ includeGlobalEvents: false })).toEqual(['does not include global service events']);
    expect(faults({ logFileValidation: false })).toEqual(['has log file validation off']);
    expect(faults({ kmsKeyId: undefined })).toEqual(['is not encrypted with a KMS key']);
    expect(faults({ logGroupArn: undefined })).toEqual(['delivers to no CloudWatch Logs log group']);
  });
  it('delivery exactly the allowed age ago is in time; a millisecond more is late', () => {
    const at = (ms: number) => faults({}, ok({ isLogging: true, latestCloudWatchLogsDeliveryTime: new Date(NOW.getTime() - ms).toISOString() }));
    expect(at(24 * 3_600_000)).toEqual([]);
    expect(at(24 * 3_600_000 + 1)).toEqual([expect.stringContaining('more than 24 h ago')]);
  });
});

describe('detection path: which alarm, rule and log group counts (mutation survivors)', () => {
  const home = (c: AuditCheck, s: AccountSnapshot) => run(c, s).filter((f) => f.resource.region === HOME || f.resource.region === '*');
  const filters = homeRegion(NOW).metricFilters;
  const filterOf = (cis: string) => (filters.ok ? filters.value : []).find((f) => cisItemsOf(f.pattern).includes(cis))!;
  const METRIC = `CISBenchmark/${filterOf('4.3').name}`;
  const alarm = (over: Partial<AlarmSummary> = {}): AlarmSummary => ({ name: 'root-use', actionsEnabled: true, alarmActions: [ALARMS], metric: METRIC, ...over });
  const fault = (...alarms: AlarmSummary[]) => cisItemFault('4.3', [filterOf('4.3')], alarms, new Set([ALARMS]));

  it('an alarm counts only on the filter\'s metric; one of several watching alarms, or one of several actions, delivering is enough', () => {
    expect(fault(alarm())).toBeUndefined();
    expect(fault(alarm({ metric: 'CISBenchmark/Other' }))).toMatch(/^no alarm on CISBenchmark\/\S+ \(filter \S+\)$/);
    expect(fault(alarm({ metric: undefined }))).toMatch(/^no alarm on /);
    expect(fault(alarm({ actionsEnabled: false }), alarm({ name: 'second' }))).toBeUndefined();
    expect(fault(alarm({ alarmActions: [`${ALARMS}-deleted`, ALARMS] }))).toBeUndefined();
  });
  it('says why each watching alarm does not deliver', () => {
    expect(fault(alarm({ alarmActions: [] }))).toBe('alarm root-use has no alarm action');
    expect(fault(alarm({ actionsEnabled: false }))).toBe('alarm root-use has its actions disabled');
    expect(fault(alarm({ alarmActions: [`${ALARMS}-deleted`] }))).toBe(`alarm root-use notifies no existing topic (${ALARMS}-deleted)`);
  });
  it('a filter on another log group watches nothing on the trail\'s', () => {
    const moved = (filters.ok ? filters.value : []).map((f) => ({ ...f, logGroupName: 'elsewhere' }));
    expect(home(cisAlarms, snapshot({ metricFilters: ok(moved) }))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('no metric filter') }]);
  });
  it('the alarm check is ERROR naming the call when filters or topics could not be read', () => {
    expect(home(cisAlarms, snapshot({ metricFilters: failed({ ...THROTTLED, action: 'logs:DescribeMetricFilters' }) }))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('logs:DescribeMetricFilters') }]);
    expect(home(cisAlarms, snapshot({ topics: failed({ ...THROTTLED, action: 'sns:ListTopics' }) }))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('sns:ListTopics') }]);
  });

  const rule = (over: Partial<RuleSummary> = {}): RuleSummary => ({ name: RULES[0], arn: `arn:aws:events:${HOME}:${ACCT}:rule/${RULES[0]}`, state: 'ENABLED', targets: ok([ALERTS]), ...over });
  const topics = new Set([ALERTS]);
  it('a rule enabled for management events too is enabled; a disabled one is named; one of several targets existing is enough', () => {
    expect(ruleFaults(rule({ state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }), [ALERTS], topics, 0, 24)).toEqual([]);
    expect(ruleFaults(rule({ state: 'DISABLED' }), [ALERTS], topics, 0, 24)).toEqual(['is DISABLED']);
    expect(ruleFaults(rule(), [`${ALERTS}-deleted`, ALERTS], topics, 0, 24)).toEqual([]);
    expect(ruleFaults(rule(), [], topics, 0, 24)).toEqual(['has no target']);
    expect(ruleFaults(rule(), [`${ALERTS}-deleted`], topics, 0, 24)).toEqual([`targets no existing topic (${ALERTS}-deleted)`]);
  });
  it('a rule whose targets, the topics or its FailedInvocations could not be read is ERROR or cannot verify, never PASS', () => {
    const rules = (r: RuleSummary) => ok([r]);
    expect(home(securityRules, snapshot({ rules: rules(rule({ targets: failed({ ...THROTTLED, action: 'events:ListTargetsByRule' }) })) })).map((f) => [f.status, f.message]))
      .toEqual([['ERROR', expect.stringContaining('events:ListTargetsByRule')]]);
    expect(home(securityRules, snapshot({ rules: rules(rule()), topics: failed({ ...THROTTLED, action: 'sns:ListTopics' }) })).map((f) => [f.status, f.message]))
      .toEqual([['ERROR', expect.stringContaining('sns:ListTopics')]]);
    expect(home(securityRules, snapshot({ rules: rules(rule()), failedInvocations: ok({}) })).map((f) => [f.status, f.message]))
      .toEqual([['ERROR', `cannot verify: no FailedInvocations figure for rule ${RULES[0]}`]]);
  });

  it('retention exactly the minimum is enough, a day less is not; a group without retention keeps events forever', () => {
    const group = (over: object) => snapshot({ logGroups: ok([{ name: LOG_GROUP, retentionDays: 365, kmsKeyId: 'k', ...over }]) });
    const min = { ...SETTINGS, logging: { ...SETTINGS.logging!, minLogRetentionDays: 365 } };
    const at = (over: object) => trailLogGroup.evaluate(group(over), min).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.message]);
    expect(at({})).toEqual([['PASS', `log group ${LOG_GROUP} keeps events 365 days, encrypted with k`]]);
    expect(at({ retentionDays: 364 })).toEqual([['FAIL', `log group ${LOG_GROUP} of trail org-trail keeps events 364 days, under 365`]]);
    expect(at({ retentionDays: undefined })).toEqual([['PASS', `log group ${LOG_GROUP} keeps events forever, encrypted with k`]]);
    expect(home(trailLogGroup, snapshot({ logGroups: failed({ ...THROTTLED, action: 'logs:DescribeLogGroups' }) }))).toMatchObject([{ status: 'ERROR', message: expect.stringContaining('logs:DescribeLogGroups') }]);
  });
  it('the log group is found by name: another group of the region is not it', () => {
    expect(home(trailLogGroup, snapshot({ logGroups: ok([{ name: 'other', retentionDays: 3653, kmsKeyId: 'k' }]) })))
      .toMatchObject([{ status: 'FAIL', message: `log group ${LOG_GROUP} of trail org-trail does not exist` }]);
  });
  it('account-wide outcomes name the log groups and the security rules of the account', () => {
    const s = snapshot();
    const noRegions = { ...s, regions: failed({ ...THROTTLED, action: 'account:ListRegions' }) };
    expect(run(trailLogGroup, noRegions)).toMatchObject([{ status: 'ERROR', resource: { id: `arn:aws:logs:*:${ACCT}:log-group:*`, type: 'AWS::Logs::LogGroup', region: '*' } }]);
    expect(run(trailLogGroup, { ...s, logging: undefined })).toMatchObject([{ status: 'ERROR', message: 'cannot verify: cloudtrail:DescribeTrails failed (region * was not collected)' }]);
    expect(run(securityRules, noRegions)).toMatchObject([{ status: 'ERROR', resource: { id: `arn:aws:events:*:${ACCT}:rule/${PREFIX}*`, type: 'AWS::Events::Rule' } }]);
    expect(run(securityRules, { ...s, logging: s.logging!.filter((l) => l.region === HOME) })[0]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: events:ListRules .*region eu-west-1 was not collected/) });
  });
  it('a failing rule is named with its region and every fault', () => {
    const r = { name: RULES[0], arn: `arn:aws:events:${HOME}:${ACCT}:rule/${RULES[0]}`, state: 'DISABLED', targets: ok([`${ALERTS}-a`, `${ALERTS}-b`]) };
    expect(home(securityRules, snapshot({ rules: ok([r]) })).map((f) => f.message)).toEqual([
      `security rule ${RULES[0]} in ${HOME} is DISABLED; targets no existing topic (${ALERTS}-a, ${ALERTS}-b)`,
    ]);
  });
  it('a trail delivering to a log group of another region cannot be verified there', () => {
    const away = { ...TRAIL, logGroupArn: `arn:aws:logs:eu-west-1:${ACCT}:log-group:${LOG_GROUP}:*` };
    expect(run(trailLogGroup, snapshot({ trailDetails: [trailDetail(NOW, { trail: away })] }))).toMatchObject([
      { status: 'ERROR', resource: { region: HOME, id: away.logGroupArn }, message: expect.stringContaining(`not a log group of its home region ${HOME}`) },
    ]);
  });
  it('with no trail delivering to a log group: ERROR if trails could not be listed or a region was not collected, else FAIL', () => {
    const noGroup = { trailDetails: [trailDetail(NOW, { trail: { ...TRAIL, logGroupArn: undefined } })] };
    expect(run(trailLogGroup, snapshot(noGroup))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('no multi-region trail delivers to a CloudWatch Logs log group') }]);
    expect(run(trailLogGroup, snapshot({ ...noGroup, trails: failed({ ...THROTTLED, action: 'cloudtrail:DescribeTrails' }) }))).toMatchObject([{ status: 'ERROR', resource: { region: HOME }, message: expect.stringContaining('cloudtrail:DescribeTrails') }]);
    const s = snapshot(noGroup);
    expect(run(trailLogGroup, { ...s, logging: s.logging!.filter((l) => l.region === HOME) })).toMatchObject([{ status: 'ERROR', resource: { region: 'eu-west-1' }, message: expect.stringContaining('region eu-west-1 was not collected') }]);
  });
});

describe('cloudwatch-cis-alarms (LOG-ALARMS)', () => {
  const h = homeRegion(NOW);
  const filters = h.metricFilters.ok ? h.metricFilters.value : [];
  const alarms = h.alarms.ok ? h.alarms.value : [];
  it('fails a deleted metric filter, naming the CIS item and the log group', () => {
    const f = fails(cisAlarms, snapshot({ metricFilters: ok(filters.filter((x) => x.name !== 'CloudTrailConfigChanges')) }));
    expect(f).toHaveLength(1);
    expect(f[0].resource.id).toBe(`arn:aws:logs:${HOME}:${ACCT}:log-group:${LOG_GROUP}`);
    expect(f[0].message).toBe(`log group ${LOG_GROUP} of trail org-trail: CIS 4.5 CloudTrail configuration changes: no metric filter`);
  });
  it('recognizes a filter by its events, not its name or text (renamed, reordered)', () => {
    const renamed = filters.map((x) => (x.name === 'CloudTrailConfigChanges'
      ? { ...x, name: 'whatever', pattern: '{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = CreateTrail) || ($.eventName = StartLogging) }' } : x));
    expect(fails(cisAlarms, snapshot({ metricFilters: ok(renamed) }))).toEqual([]);
    const narrowed = filters.map((x) => (x.name === 'CloudTrailConfigChanges' ? { ...x, pattern: '{ ($.eventName = CreateTrail) }' } : x));
    expect(fails(cisAlarms, snapshot({ metricFilters: ok(narrowed) }))[0].message).toContain('CIS 4.5');
  });
  it('fails an alarm with actions disabled, one pointing at a deleted topic, and a deleted alarm', () => {
    const disabled = alarms.map((a, i) => (i === 0 ? { ...a, actionsEnabled: false } : a));
    expect(fails(cisAlarms, snapshot({ alarms: ok(disabled) }))[0].message).toMatch(/CIS 4\.1 .*actions disabled/);
    expect(fails(cisAlarms, snapshot({ topics: ok([ALERTS]) }))[0].message).toContain('notifies no existing topic');
    expect(fails(cisAlarms, snapshot({ alarms: ok(alarms.slice(1)) }))[0].message).toMatch(/CIS 4\.1 .*no alarm on CISBenchmark\/UnauthorizedApiCalls/);
  });
  it('is ERROR when alarms were throttled past the retries; FAIL when no trail delivers to a log group', () => {
    expect(statuses(cisAlarms, snapshot({ alarms: failed(THROTTLED) }))).toEqual([`ERROR ${HOME} arn:aws:logs:${HOME}:${ACCT}:log-group:${LOG_GROUP}`]);
    expect(run(cisAlarms, snapshot({ trailDetails: [trailDetail(NOW, { trail: { ...TRAIL, logGroupArn: undefined } })] }))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('no multi-region trail delivers') }]);
  });
});

describe('cloudwatch-trail-log-group (LOG-ALARMS)', () => {
  it('fails a deleted log group, short retention and no key', () => {
    expect(fails(trailLogGroup, snapshot({ logGroups: ok([]) }))[0].message).toBe(`log group ${LOG_GROUP} of trail org-trail does not exist`);
    expect(fails(trailLogGroup, snapshot({ logGroups: ok([{ name: LOG_GROUP, retentionDays: 30 }]) }))[0].message).toBe(`log group ${LOG_GROUP} of trail org-trail keeps events 30 days, under 1095 and is not encrypted with a KMS key`);
  });
  it('passes retention that never expires; ERROR on a failed DescribeLogGroups', () => {
    expect(fails(trailLogGroup, snapshot({ logGroups: ok([{ name: LOG_GROUP, kmsKeyId: 'k' }]) }))).toEqual([]);
    expect(run(trailLogGroup, snapshot({ logGroups: failed({ ...THROTTLED, action: 'logs:DescribeLogGroups' }) }))[0].status).toBe('ERROR');
  });
});

describe('events-security-rules (IR-ROUTING)', () => {
  const h = homeRegion(NOW);
  const rules = h.rules.ok ? h.rules.value : [];
  it('fails a disabled rule, a rule targeting a deleted topic, and failed invocations', () => {
    const r = rules.map((x, i) => (i === 0 ? { ...x, state: 'DISABLED' } : i === 1 ? { ...x, targets: ok([`arn:aws:sns:${HOME}:${ACCT}:gone`]) } : x));
    const f = fails(securityRules, snapshot({ rules: ok(r), failedInvocations: ok({ [RULES[0]]: 0, [RULES[1]]: 0, [RULES[2]]: 4 }) }));
    expect(f.map((x) => x.message)).toEqual([
      `security rule ${RULES[0]} in ${HOME} is DISABLED`,
      `security rule ${RULES[1]} in ${HOME} targets no existing topic (arn:aws:sns:${HOME}:${ACCT}:gone)`,
      `security rule ${RULES[2]} in ${HOME} had 4 FailedInvocations in the last 24 h`,
    ]);
    expect(f[0].resource.id).toBe(`arn:aws:events:${HOME}:${ACCT}:rule/${RULES[0]}`);
  });
  it('fails when every security rule is gone; ERROR (not FAIL, not PASS) when a region could not be listed', () => {
    expect(run(securityRules, snapshot({ rules: ok([]) }))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('no security EventBridge rule in any audited region') }]);
    const denied = { action: 'events:ListRules', kind: 'access-denied' as const, code: 'AccessDeniedException', message: 'no' };
    expect(statuses(securityRules, snapshot({ rules: ok([]) }, { rules: failed(denied) })).map((x) => x.split(' ')[0])).toEqual(['ERROR']);
    const noMetric = { action: 'cloudwatch:GetMetricData', kind: 'error' as const, message: 'boom' };
    expect(run(securityRules, snapshot({ failedInvocations: failed(noMetric) })).every((f) => f.status === 'ERROR')).toBe(true);
  });
});

describe('sns-alert-topics: publishers, subscriptions and unreadable parts (mutation survivors)', () => {
  const h = homeRegion(NOW);
  const home = (s: AccountSnapshot) => run(alertTopics, s).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.resource.id, f.message]);
  it('the publishers of a topic are EventBridge when any security rule targets it and CloudWatch when any alarm notifies it', () => {
    expect(publishersOf(h, ALERTS)).toEqual(['events.amazonaws.com']);
    expect(publishersOf(h, ALARMS)).toEqual(['cloudwatch.amazonaws.com']);
    const one = { ...h, rules: ok([{ ...(h.rules.ok ? h.rules.value[0] : undefined!), targets: ok([ALARMS]) }, ...(h.rules.ok ? h.rules.value.slice(1) : [])]) };
    expect(publishersOf(one, ALARMS)).toEqual(['events.amazonaws.com', 'cloudwatch.amazonaws.com']);
    const unreadable = { ...h, rules: failed({ ...THROTTLED, action: 'events:ListRules' }), alarms: failed(THROTTLED) };
    expect(publishersOf(unreadable, ALERTS)).toEqual([]);
    const someAlarms = { ...h, alarms: ok([{ name: 'a', actionsEnabled: true, alarmActions: ['x'] }, { name: 'b', actionsEnabled: true, alarmActions: [ALERTS] }]) };
    expect(publishersOf(someAlarms, ALERTS)).toEqual(['events.amazonaws.com', 'cloudwatch.amazonaws.com']);
  });
  it('one confirmed subscription among pending ones is enough; none at all is named', () => {
    const subs = [{ topicArn: ALERTS, subscriptionArn: 'PendingConfirmation', protocol: 'email' }, { topicArn: ALERTS, subscriptionArn: `${ALERTS}:x`, protocol: 'email' }];
    expect(topicFaults(h.alertTopics[0], subs, []).faults).toEqual([]);
    expect(topicFaults(h.alertTopics[0], [], []).faults).toEqual(['has no subscription']);
  });
  it('a PASS names the publishers its key admits, or says none was found', () => {
    expect(home(snapshot())).toEqual([
      ['PASS', ALERTS, `alert topic ${ALERTS} has a confirmed subscription; its key admits events.amazonaws.com`],
      ['PASS', ALARMS, `alert topic ${ALARMS} has a confirmed subscription; its key admits cloudwatch.amazonaws.com`],
    ]);
    expect(home(snapshot({ rules: ok([]), alarms: ok([]) }))[0][2]).toBe(`alert topic ${ALERTS} has a confirmed subscription; its key admits no publisher found`);
  });
  it('is ERROR naming the call when topics, subscriptions or a topic\'s attributes could not be read', () => {
    expect(home(snapshot({ topics: failed({ ...THROTTLED, action: 'sns:ListTopics' }) }))).toEqual([['ERROR', `arn:aws:sns:${HOME}:${ACCT}:${PREFIX}*`, expect.stringContaining('sns:ListTopics')]]);
    expect(home(snapshot({ subscriptions: failed({ ...THROTTLED, action: 'sns:ListSubscriptions' }) })).map((x) => x[0])).toEqual(['ERROR', 'ERROR']);
    expect(home(snapshot({ alertTopics: [{ ...h.alertTopics[0], attributes: failed({ ...THROTTLED, action: 'sns:GetTopicAttributes' }) }] }))).toEqual([['ERROR', ALERTS, expect.stringContaining('sns:GetTopicAttributes')]]);
  });
  it('no alert topic anywhere is a FAIL naming the regions; one region unreadable makes it ERROR there, not FAIL', () => {
    expect(run(alertTopics, snapshot({ alertTopics: [] }))).toMatchObject([{ status: 'FAIL', resource: { region: '*' }, message: `no alert topic in any audited region (eu-west-1, ${HOME})` }]);
    expect(run(alertTopics, snapshot({ alertTopics: [], topics: failed(THROTTLED) })).map((f) => f.status)).toEqual(['ERROR']);
    const s = snapshot();
    expect(run(alertTopics, { ...s, logging: undefined }).map((f) => f.status)).toEqual(['ERROR', 'ERROR']);
  });
});

describe('sns-alert-topics (IR-ROUTING)', () => {
  it('fails a topic whose only subscription is pending confirmation', () => {
    const s = snapshot({ subscriptions: ok([{ topicArn: ALERTS, subscriptionArn: 'PendingConfirmation', protocol: 'email' }, { topicArn: ALARMS, subscriptionArn: `${ALARMS}:abc`, protocol: 'email' }]) });
    expect(fails(alertTopics, s).map((f) => [f.resource.id, f.message])).toEqual([[ALERTS, `alert topic ${ALERTS} has no confirmed subscription (1 pending)`]]);
  });
  it('fails a topic key that admits EventBridge only with aws:SourceAccount (EventBridge never sends it to KMS)', () => {
    const h = homeRegion(NOW);
    const s = snapshot({ alertTopics: h.alertTopics.map((t) => ({ ...t, key: ok({ keyArn: t.key!.ok ? t.key!.value.keyArn : '', policy: SOURCE_ACCOUNT_KEY_POLICY }) })) });
    const f = fails(alertTopics, s);
    expect(f.map((x) => x.resource.id)).toEqual([ALERTS]);
    expect(f[0].message).toContain('does not admit events.amazonaws.com');
  });
  it('fails an unencrypted topic; ERROR when the key policy could not be read; FAIL when no alert topic exists', () => {
    const h = homeRegion(NOW);
    expect(fails(alertTopics, snapshot({ alertTopics: [{ ...h.alertTopics[0], attributes: ok({}), key: undefined }, h.alertTopics[1]] }))[0].message).toContain('is not encrypted');
    const denied = { action: 'kms:GetKeyPolicy', kind: 'access-denied' as const, code: 'AccessDeniedException', message: 'no' };
    expect(run(alertTopics, snapshot({ alertTopics: [{ ...h.alertTopics[0], key: failed(denied) }] }))[0]).toMatchObject({ status: 'ERROR', message: expect.stringContaining('kms:GetKeyPolicy access denied') });
    expect(run(alertTopics, snapshot({ alertTopics: [] }))).toMatchObject([{ status: 'FAIL', message: expect.stringContaining('no alert topic in any audited region') }]);
  });
});

describe('sns-alert-topics: what each outcome says (mutation survivors)', () => {
  const h = homeRegion(NOW);
  const home = (s: AccountSnapshot) => run(alertTopics, s).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.resource.id, f.message]);
  /** Every security rule and every CIS alarm publish to the alerts topic: both services are its publishers. */
  const bothPublish = {
    alarms: ok((h.alarms.ok ? h.alarms.value : []).map((a) => ({ ...a, alarmActions: [ALERTS] }))),
    alertTopics: [h.alertTopics[0]],
  };
  it('a FAIL names every fault of the topic, one after the other', () => {
    const bare = { ...h.alertTopics[0], attributes: ok({}), key: undefined };
    expect(home(snapshot({ alertTopics: [bare], subscriptions: ok([]) }))).toEqual([
      ['FAIL', ALERTS, `alert topic ${ALERTS} has no subscription; is not encrypted with a KMS key`],
    ]);
  });
  it('a PASS names every publisher the key admits', () => {
    expect(home(snapshot(bothPublish))).toEqual([
      ['PASS', ALERTS, `alert topic ${ALERTS} has a confirmed subscription; its key admits events.amazonaws.com and cloudwatch.amazonaws.com`],
    ]);
  });
  it('a key whose policy came back empty cannot be verified (never PASS), naming the key and each publisher it was asked for', () => {
    const KEY = h.alertTopics[0].key!.ok ? h.alertTopics[0].key!.value.keyArn : '';
    const noPolicy = { ...h.alertTopics[0], key: ok({ keyArn: KEY, policy: null }) };
    const why = "policy 'key policy' must be an object, got null";
    expect(home(snapshot({ ...bothPublish, alertTopics: [noPolicy] }))).toEqual([
      ['ERROR', ALERTS, `cannot verify: key policy of ${KEY} for events.amazonaws.com: ${why}; key policy of ${KEY} for cloudwatch.amazonaws.com: ${why}`],
    ]);
    // a fault the check can see is still a FAIL, whatever the key policy
    expect(home(snapshot({ ...bothPublish, alertTopics: [noPolicy], subscriptions: ok([]) })).map((f) => f[0])).toEqual(['FAIL']);
  });
  it('a region not collected is ERROR naming the listing it lacks', () => {
    const s = snapshot();
    expect(run(alertTopics, { ...s, logging: s.logging!.filter((l) => l.region === HOME) })[0]).toMatchObject({
      status: 'ERROR', resource: { region: 'eu-west-1' }, message: 'cannot verify: sns:ListTopics failed (region eu-west-1 was not collected)',
    });
  });
});

describe('trails, PII data events and CIS alarms: what each outcome says (mutation survivors)', () => {
  const homeOf = (c: AuditCheck, s: AccountSnapshot) => run(c, s).filter((f) => f.resource.region === HOME).map((f) => [f.status, f.resource.id, f.message]);
  const notCollectedHere = (c: AuditCheck, over: Partial<LoggingRegionSnapshot> = {}) => {
    const s = snapshot(over);
    return run(c, { ...s, logging: s.logging!.filter((l) => l.region === HOME) }).filter((f) => f.resource.region === 'eu-west-1');
  };

  it('with every multi-region trail unsound, the FAIL names each trail and its faults, trail by trail', () => {
    const second = { ...TRAIL, name: 'second-trail', arn: `arn:aws:cloudtrail:${HOME}:${ACCT}:trail/second-trail`, kmsKeyId: undefined };
    const first = { ...TRAIL, logFileValidation: false };
    const s = snapshot({ trails: ok([first, second]), trailDetails: [trailDetail(NOW, { trail: first }), trailDetail(NOW, { trail: second })] });
    expect(homeOf(trailLogging, s)).toEqual([
      ['FAIL', TRAIL_ARN, `no multi-region trail covering ${HOME} is sound: trail org-trail has log file validation off | trail second-trail is not encrypted with a KMS key`],
    ]);
  });

  it('a PII resource FAIL names the resource and the data-event type no logging trail records', () => {
    const s = snapshot({ trailDetails: [trailDetail(NOW, { dataEvents: ok([]) })] });
    expect(homeOf(piiDataEvents, s)).toEqual([
      ['FAIL', PII_BUCKET, `no logging trail records the read and write data events of PII ${PII_BUCKET} (AWS::S3::Object)`],
      ['FAIL', PII_TABLE, `no logging trail records the read and write data events of PII ${PII_TABLE} (AWS::DynamoDB::Table)`],
    ]);
  });
  it('each PII finding carries the type of its resource: a bucket is a bucket, a table a table', () => {
    expect(run(piiDataEvents, snapshot()).filter((f) => f.resource.region === HOME).map((f) => [f.resource.id, f.resource.type])).toEqual([
      [PII_BUCKET, 'AWS::S3::Bucket'], [PII_TABLE, 'AWS::DynamoDB::Table'],
    ]);
  });
  it('a region not collected is ERROR naming the listing each check lacks there', () => {
    expect(notCollectedHere(piiDataEvents)).toMatchObject([{ status: 'ERROR', message: 'cannot verify: tag:GetResources failed (region eu-west-1 was not collected)' }]);
    // no trail delivers to a log group, and the region that might hold one was not collected
    const noGroup = { trailDetails: [trailDetail(NOW, { trail: { ...TRAIL, logGroupArn: undefined } })] };
    expect(notCollectedHere(trailLogGroup, noGroup)).toMatchObject([{ status: 'ERROR', message: 'cannot verify: cloudtrail:DescribeTrails failed (region eu-west-1 was not collected)' }]);
    expect(notCollectedHere(cisAlarms, noGroup)).toMatchObject([{ status: 'ERROR', message: 'cannot verify: cloudtrail:DescribeTrails failed (region eu-west-1 was not collected)' }]);
  });

  const h = homeRegion(NOW);
  const filters = h.metricFilters.ok ? h.metricFilters.value : [];
  const alarms = h.alarms.ok ? h.alarms.value : [];
  const GROUP = `arn:aws:logs:${HOME}:${ACCT}:log-group:${LOG_GROUP}`;
  const config = filters.find((f) => f.name === 'CloudTrailConfigChanges')!;
  const configAlarm = alarms.find((a) => a.metric === `CISBenchmark/${config.name}`)!;
  const cisFail = (over: Partial<LoggingRegionSnapshot>) => homeOf(cisAlarms, snapshot(over));
  it('a CIS item without an alarm names every metric and every filter that match its events', () => {
    const copy = { ...config, name: 'config-copy', metrics: ['Custom/ConfigChanges'] };
    expect(cisFail({ metricFilters: ok([...filters, copy]), alarms: ok(alarms.filter((a) => a !== configAlarm)) })).toEqual([
      ['FAIL', GROUP, `log group ${LOG_GROUP} of trail org-trail: CIS 4.5 CloudTrail configuration changes: no alarm on CISBenchmark/CloudTrailConfigChanges, Custom/ConfigChanges (filter CloudTrailConfigChanges, config-copy)`],
    ]);
  });
  it('every watching alarm that does not deliver is named, with every topic it notifies', () => {
    const gone = [`${ALARMS}-deleted`, `${ALERTS}-deleted`];
    const twice = [{ ...configAlarm, alarmActions: gone }, { ...configAlarm, name: 'second-alarm', actionsEnabled: false }];
    expect(cisFail({ alarms: ok([...alarms.filter((a) => a !== configAlarm), ...twice]) })).toEqual([
      ['FAIL', GROUP, `log group ${LOG_GROUP} of trail org-trail: CIS 4.5 CloudTrail configuration changes: alarm ${configAlarm.name} notifies no existing topic (${gone[0]}, ${gone[1]}); alarm second-alarm has its actions disabled`],
    ]);
  });
  it('every CIS item not watched is named in the one FAIL of the log group', () => {
    const [f] = cisFail({ metricFilters: ok(filters.filter((x) => x !== config && x !== filters[0])) });
    expect(f[2]).toBe(`log group ${LOG_GROUP} of trail org-trail: CIS 4.1 unauthorized API calls: no metric filter; CIS 4.5 CloudTrail configuration changes: no metric filter`);
  });
});
