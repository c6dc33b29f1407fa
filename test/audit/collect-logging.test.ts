/** The detection-path collector through the real SDK clients with mocked sends: pagination, throttling, bounded calls. */
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetTopicAttributesCommand, ListSubscriptionsCommand, ListTopicsCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { collectLoggingRegion } from '../../lib/audit/collect-logging';
import { parseLogGroupArn } from '../../lib/audit/logging-types';
import { DEFAULT_LOGGING_SETTINGS } from '../../lib/audit/logging-types';

const R = 'us-east-1';
const A = '111122223333';
const P = DEFAULT_LOGGING_SETTINGS.securityNamePrefix;
const NOW = new Date('2026-06-01T12:00:00Z');
const mocks = {
  cloudtrail: mockClient(CloudTrailClient), logs: mockClient(CloudWatchLogsClient), cloudwatch: mockClient(CloudWatchClient),
  events: mockClient(EventBridgeClient), sns: mockClient(SNSClient), kms: mockClient(KMSClient), tagging: mockClient(ResourceGroupsTaggingAPIClient),
};
const cfg = { region: R, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 };
const clients = () => ({
  cloudtrail: new CloudTrailClient(cfg), logs: new CloudWatchLogsClient(cfg), cloudwatch: new CloudWatchClient(cfg),
  events: new EventBridgeClient(cfg), sns: new SNSClient(cfg), kms: new KMSClient(cfg), tagging: new ResourceGroupsTaggingAPIClient(cfg),
});
const TOPIC = `arn:aws:sns:${R}:${A}:${P}alerts`;

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
  mocks.cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 't', TrailARN: `arn:aws:cloudtrail:${R}:${A}:trail/t`, HomeRegion: R, IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: `arn:aws:logs:${R}:${A}:log-group:g:*` }] });
  mocks.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestCloudWatchLogsDeliveryTime: NOW });
  mocks.cloudtrail.on(GetEventSelectorsCommand).resolves({ AdvancedEventSelectors: [{ FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::pii/'] }] }] });
  mocks.logs.on(DescribeMetricFiltersCommand).resolvesOnce({ metricFilters: [{ filterName: 'f1', logGroupName: 'g', filterPattern: 'p1' }], nextToken: 'n' })
    .resolvesOnce({ metricFilters: [{ filterName: 'f2', logGroupName: 'g', filterPattern: 'p2' }] });
  mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: 'g', retentionInDays: 1096 }, { logGroupName: 'g-other' }] });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolvesOnce({ MetricAlarms: [{ AlarmName: 'a1', Namespace: 'N', MetricName: 'M1' }], NextToken: 'n' })
    .resolvesOnce({ MetricAlarms: [{ AlarmName: 'a2', ActionsEnabled: false }] });
  mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'r0', Values: [1, 2] }, { Id: 'r1', Values: [] }] });
  mocks.events.on(ListRulesCommand).resolvesOnce({ Rules: [{ Name: `${P}a`, Arn: 'ra', State: 'ENABLED' }], NextToken: 'n' })
    .resolvesOnce({ Rules: [{ Name: `${P}b`, Arn: 'rb', State: 'DISABLED' }] });
  mocks.events.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 't', Arn: TOPIC }] });
  mocks.sns.on(ListTopicsCommand).resolvesOnce({ Topics: [{ TopicArn: TOPIC }], NextToken: 'n' }).resolvesOnce({ Topics: [{ TopicArn: `arn:aws:sns:${R}:${A}:other` }] });
  mocks.sns.on(ListSubscriptionsCommand).resolves({ Subscriptions: [{ TopicArn: TOPIC, SubscriptionArn: 'PendingConfirmation', Protocol: 'email' }] });
  mocks.sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: 'alias/k' } });
  mocks.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: `arn:aws:kms:${R}:${A}:key/k` } });
  mocks.kms.on(GetKeyPolicyCommand).resolves({ Policy: '{"Statement":[]}' });
  mocks.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [{ ResourceARN: 'arn:aws:s3:::pii' }] });
});

describe('collectLoggingRegion', () => {
  it('follows every page of filters, alarms, rules and topics, and reduces advanced selectors', async () => {
    const l = await collectLoggingRegion(clients(), R, DEFAULT_LOGGING_SETTINGS, NOW);
    expect(l.metricFilters.ok && l.metricFilters.value.map((f) => f.name)).toEqual(['f1', 'f2']);
    expect(l.alarms.ok && l.alarms.value.map((a) => [a.name, a.actionsEnabled, a.metric])).toEqual([['a1', true, 'N/M1'], ['a2', false, undefined]]);
    expect(l.rules.ok && l.rules.value.map((r) => [r.name, r.state])).toEqual([[`${P}a`, 'ENABLED'], [`${P}b`, 'DISABLED']]);
    expect(l.topics.ok && l.topics.value).toHaveLength(2);
    expect(l.alertTopics.map((t) => t.arn)).toEqual([TOPIC]);
    expect(l.failedInvocations).toEqual({ ok: true, value: { [`${P}a`]: 3, [`${P}b`]: 0 } });
    expect(l.logGroups.ok && l.logGroups.value).toEqual([{ name: 'g', retentionDays: 1096 }]);
    expect(l.trailDetails[0].dataEvents).toEqual({ ok: true, value: [{ resourceType: 'AWS::S3::Object', arnPrefixes: ['arn:aws:s3:::pii/'], readWrite: 'All' }] });
    expect(l.alertTopics[0].key).toEqual({ ok: true, value: { keyArn: `arn:aws:kms:${R}:${A}:key/k`, policy: { Statement: [] } } });
  });
  it('bounded: one GetMetricData for all rules, one key lookup per distinct key, no call per subscription or alarm', async () => {
    await collectLoggingRegion(clients(), R, DEFAULT_LOGGING_SETTINGS, NOW);
    expect(mocks.cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    expect(mocks.kms).toHaveReceivedCommandTimes(GetKeyPolicyCommand, 1);
    expect(mocks.sns).toHaveReceivedCommandTimes(ListSubscriptionsCommand, 1);
    expect(mocks.sns).toHaveReceivedCommandTimes(GetTopicAttributesCommand, 1);
    expect(mocks.events).toHaveReceivedCommandTimes(ListTargetsByRuleCommand, 2);
  });
  it('throttling past the retries is a throttled failure naming the action; the rest is still collected', async () => {
    mocks.sns.on(ListTopicsCommand).rejects(new SNSServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }));
    const l = await collectLoggingRegion(clients(), R, DEFAULT_LOGGING_SETTINGS, NOW);
    expect(l.topics).toEqual({ ok: false, failure: { action: 'sns:ListTopics', kind: 'throttled', code: 'Throttling', message: 'Rate exceeded' } });
    expect(l.alertTopics).toEqual([]);
    expect(l.trails.ok && l.alarms.ok && l.rules.ok).toBe(true);
  });
  it('a failed rule listing makes FailedInvocations a failure too, never an empty pass', async () => {
    mocks.events.on(ListRulesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const l = await collectLoggingRegion(clients(), R, DEFAULT_LOGGING_SETTINGS, NOW);
    expect(l.rules.ok).toBe(false);
    expect(l.failedInvocations).toMatchObject({ ok: false, failure: { action: 'events:ListRules', kind: 'access-denied' } });
  });
  it('parses log group ARNs with and without the trailing :*', () => {
    expect(parseLogGroupArn(`arn:aws:logs:${R}:${A}:log-group:a/b:*`)).toEqual({ region: R, name: 'a/b' });
    expect(parseLogGroupArn(`arn:aws:logs:${R}:${A}:log-group:a`)).toEqual({ region: R, name: 'a' });
    expect(parseLogGroupArn('nope')).toBeUndefined();
  });
});
