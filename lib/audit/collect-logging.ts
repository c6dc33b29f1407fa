/**
 * Collects the detection path of one region (LOG-TRAIL, LOG-ALARMS, IR-ROUTING). Calls per region are
 * bounded: list calls (all pages) for trails, alarms, rules, topics, subscriptions and PII resources;
 * per-item calls only for what has no list form and is few by construction: GetTrailStatus and
 * GetEventSelectors per trail homed here, the metric filters and log group of each trail's log group,
 * ListTargetsByRule per security rule, GetTopicAttributes per alert topic, DescribeKey + GetKeyPolicy
 * per distinct alert key, and one GetMetricData for every rule's FailedInvocations.
 */
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, GetMetricDataCommand, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, paginateDescribeLogGroups, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { GetTopicAttributesCommand, SNSClient, paginateListSubscriptions, paginateListTopics } from '@aws-sdk/client-sns';
import { DATA_CLASS_TAG_KEY } from '../constructs/tags';
import { toFailure } from './errors';
import {
  AlarmSummary, DataEventSelector, LogGroupSummary, LoggingRegionSnapshot, LoggingSettings, MetricFilterSummary, RuleSummary,
  SubscriptionSummary, TopicDetail, TopicKey, TrailDetail, TrailStatus, TrailSummary, parseLogGroupArn,
} from './logging-types';
import { Collected, failed, ok } from './types';

/** The clients one region's collection uses. */
export interface LoggingClients {
  readonly cloudtrail: CloudTrailClient;
  readonly logs: CloudWatchLogsClient;
  readonly cloudwatch: CloudWatchClient;
  readonly events: EventBridgeClient;
  readonly sns: SNSClient;
  readonly kms: KMSClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
}

/** Pages followed by hand (EventBridge has no paginators); more is reported, not truncated silently. */
export const MAX_PAGES = 100;

async function collect<T>(action: string, fn: () => Promise<T>): Promise<Collected<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return failed(toFailure(action, e));
  }
}

const iso = (d: Date | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

async function describeTrails(ct: CloudTrailClient): Promise<TrailSummary[]> {
  const r = await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return (r.trailList ?? []).map((t) => ({
    name: t.Name ?? '',
    arn: t.TrailARN ?? '',
    homeRegion: t.HomeRegion ?? '',
    multiRegion: t.IsMultiRegionTrail === true,
    includeGlobalEvents: t.IncludeGlobalServiceEvents === true,
    logFileValidation: t.LogFileValidationEnabled === true,
    ...(t.KmsKeyId ? { kmsKeyId: t.KmsKeyId } : {}),
    ...(t.CloudWatchLogsLogGroupArn ? { logGroupArn: t.CloudWatchLogsLogGroupArn } : {}),
    organizationTrail: t.IsOrganizationTrail === true,
  }));
}

async function trailStatus(ct: CloudTrailClient, arn: string): Promise<TrailStatus> {
  const r = await ct.send(new GetTrailStatusCommand({ Name: arn }));
  return {
    isLogging: r.IsLogging === true,
    ...(r.LatestCloudWatchLogsDeliveryTime ? { latestCloudWatchLogsDeliveryTime: iso(r.LatestCloudWatchLogsDeliveryTime) } : {}),
    ...(r.LatestCloudWatchLogsDeliveryError ? { latestCloudWatchLogsDeliveryError: r.LatestCloudWatchLogsDeliveryError } : {}),
  };
}

const readWrite = (v: string | undefined): DataEventSelector['readWrite'] => (v === 'ReadOnly' || v === 'WriteOnly' ? v : 'All');

/** Basic and advanced selectors reduced to (resource type, ARN prefixes, read/write). */
async function dataEvents(ct: CloudTrailClient, arn: string): Promise<DataEventSelector[]> {
  const r = await ct.send(new GetEventSelectorsCommand({ TrailName: arn }));
  const out: DataEventSelector[] = [];
  for (const s of r.EventSelectors ?? []) {
    for (const d of s.DataResources ?? []) {
      if (!d.Type) continue;
      // A value that is only the service prefix ("arn:aws:s3") means every resource of the type.
      const values = (d.Values ?? []).filter((v) => !/^arn:[^:]+:(s3|dynamodb)(:::?)?$/.test(v));
      out.push({ resourceType: d.Type, arnPrefixes: values, readWrite: readWrite(s.ReadWriteType) });
    }
  }
  for (const a of r.AdvancedEventSelectors ?? []) {
    const field = (name: string) => (a.FieldSelectors ?? []).find((f) => f.Field === name);
    const category = field('eventCategory');
    const type = field('resources.type');
    if (!category?.Equals?.includes('Data') || !type?.Equals?.length) continue;
    const res = field('resources.ARN');
    const ro = field('readOnly');
    const rw: DataEventSelector['readWrite'] = ro?.Equals?.includes('true') ? 'ReadOnly' : ro?.Equals?.includes('false') ? 'WriteOnly' : 'All';
    // NotEquals / NotStartsWith on the ARN narrow what is logged: kept as a prefix nothing matches.
    const excluded = (res?.NotEquals?.length ?? 0) + (res?.NotStartsWith?.length ?? 0) + (res?.NotEndsWith?.length ?? 0) > 0;
    const prefixes = excluded ? ['(excluded resources)'] : [...(res?.StartsWith ?? []), ...(res?.Equals ?? [])];
    for (const t of type.Equals) out.push({ resourceType: t, arnPrefixes: prefixes, readWrite: rw });
  }
  return out;
}

async function metricFilters(logs: CloudWatchLogsClient, groups: readonly string[]): Promise<MetricFilterSummary[]> {
  const out: MetricFilterSummary[] = [];
  for (const g of groups) {
    for await (const page of paginateDescribeMetricFilters({ client: logs }, { logGroupName: g })) {
      for (const f of page.metricFilters ?? []) {
        out.push({
          name: f.filterName ?? '',
          logGroupName: f.logGroupName ?? g,
          pattern: f.filterPattern ?? '',
          metrics: (f.metricTransformations ?? []).map((m) => `${m.metricNamespace}/${m.metricName}`),
        });
      }
    }
  }
  return out;
}

async function logGroups(logs: CloudWatchLogsClient, groups: readonly string[]): Promise<LogGroupSummary[]> {
  const out: LogGroupSummary[] = [];
  for (const g of groups) {
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: g })) {
      for (const l of page.logGroups ?? []) {
        if (l.logGroupName !== g) continue;
        out.push({ name: g, ...(l.retentionInDays ? { retentionDays: l.retentionInDays } : {}), ...(l.kmsKeyId ? { kmsKeyId: l.kmsKeyId } : {}) });
      }
    }
  }
  return out;
}

async function alarms(cw: CloudWatchClient): Promise<AlarmSummary[]> {
  const out: AlarmSummary[] = [];
  for await (const page of paginateDescribeAlarms({ client: cw }, { AlarmTypes: ['MetricAlarm'] })) {
    for (const a of page.MetricAlarms ?? []) {
      out.push({
        name: a.AlarmName ?? '',
        actionsEnabled: a.ActionsEnabled !== false,
        alarmActions: a.AlarmActions ?? [],
        ...(a.MetricName ? { metric: `${a.Namespace}/${a.MetricName}` } : {}),
      });
    }
  }
  return out;
}

async function targets(ev: EventBridgeClient, rule: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await ev.send(new ListTargetsByRuleCommand({ Rule: rule, NextToken: token }));
    out.push(...(r.Targets ?? []).map((t) => t.Arn ?? ''));
    token = r.NextToken;
    if (!token) return out;
  }
  throw new Error(`more than ${MAX_PAGES} pages of targets for rule ${rule}`);
}

async function rules(ev: EventBridgeClient, prefix: string): Promise<RuleSummary[]> {
  const listed: { name: string; arn: string; state: string }[] = [];
  let token: string | undefined;
  for (let i = 0; ; i++) {
    if (i === MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages of rules named ${prefix}*`);
    const r = await ev.send(new ListRulesCommand({ NamePrefix: prefix, NextToken: token }));
    listed.push(...(r.Rules ?? []).map((x) => ({ name: x.Name ?? '', arn: x.Arn ?? '', state: x.State ?? 'UNKNOWN' })));
    token = r.NextToken;
    if (!token) break;
  }
  return Promise.all(listed.map(async (x) => ({ ...x, targets: await collect('events:ListTargetsByRule', () => targets(ev, x.name)) })));
}

/** One GetMetricData for every rule: the Sum of AWS/Events FailedInvocations over the window. */
async function failedInvocations(cw: CloudWatchClient, ruleNames: readonly string[], now: Date, hours: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (ruleNames.length === 0) return out;
  const ids = ruleNames.map((_, i) => `r${i}`);
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - hours * 3_600_000),
      EndTime: now,
      NextToken: token,
      MetricDataQueries: ruleNames.map((name, j) => ({
        Id: ids[j],
        MetricStat: {
          Metric: { Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Dimensions: [{ Name: 'RuleName', Value: name }] },
          Period: hours * 3600,
          Stat: 'Sum',
        },
      })),
    }));
    for (const res of r.MetricDataResults ?? []) {
      const name = ruleNames[ids.indexOf(res.Id ?? '')];
      if (name !== undefined) out[name] = (out[name] ?? 0) + (res.Values ?? []).reduce((a, b) => a + b, 0);
    }
    token = r.NextToken;
    if (!token) break;
  }
  for (const n of ruleNames) out[n] ??= 0;
  return out;
}

async function topics(sns: SNSClient): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListTopics({ client: sns }, {})) out.push(...(page.Topics ?? []).map((t) => t.TopicArn ?? ''));
  return out;
}

async function subscriptions(sns: SNSClient): Promise<SubscriptionSummary[]> {
  const out: SubscriptionSummary[] = [];
  for await (const page of paginateListSubscriptions({ client: sns }, {})) {
    for (const s of page.Subscriptions ?? []) {
      out.push({ topicArn: s.TopicArn ?? '', subscriptionArn: s.SubscriptionArn ?? '', protocol: s.Protocol ?? '' });
    }
  }
  return out;
}

async function topicKey(kms: KMSClient, keyId: string): Promise<TopicKey> {
  const d = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  const keyArn = d.KeyMetadata?.Arn;
  if (!keyArn) throw new Error(`kms:DescribeKey gave no ARN for '${keyId}'`);
  const p = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
  return { keyArn, policy: JSON.parse(p.Policy ?? 'null') };
}

async function alertTopics(c: LoggingClients, arns: readonly string[]): Promise<TopicDetail[]> {
  const keys = new Map<string, Promise<Collected<TopicKey>>>();
  const keyOf = (id: string) => {
    if (!keys.has(id)) keys.set(id, collect('kms:GetKeyPolicy', () => topicKey(c.kms, id)));
    return keys.get(id)!;
  };
  return Promise.all(arns.map(async (arn): Promise<TopicDetail> => {
    const attributes = await collect('sns:GetTopicAttributes', async () => {
      const r = await c.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
      const k = r.Attributes?.KmsMasterKeyId;
      return k ? { kmsMasterKeyId: k } : {};
    });
    const keyId = attributes.ok ? attributes.value.kmsMasterKeyId : undefined;
    return { arn, attributes, ...(keyId ? { key: await keyOf(keyId) } : {}) };
  }));
}

async function piiResources(tagging: ResourceGroupsTaggingAPIClient): Promise<string[]> {
  const out: string[] = [];
  const pages = paginateGetResources({ client: tagging }, { TagFilters: [{ Key: DATA_CLASS_TAG_KEY }], ResourceTypeFilters: ['s3:bucket', 'dynamodb:table'] });
  for await (const page of pages) out.push(...(page.ResourceTagMappingList ?? []).map((m) => m.ResourceARN ?? ''));
  return out.filter((a) => a !== '').sort();
}

/** The name of an SNS topic or rule from its ARN. */
export const nameOf = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

/** Collects one region's detection path. */
export async function collectLoggingRegion(c: LoggingClients, region: string, settings: LoggingSettings, now: Date): Promise<LoggingRegionSnapshot> {
  const trailsP = collect('cloudtrail:DescribeTrails', () => describeTrails(c.cloudtrail));
  const rulesP = collect('events:ListRules', () => rules(c.events, settings.securityNamePrefix));
  const [trails, rulesR, topicsR, subs, alarmsR, pii] = await Promise.all([
    trailsP, rulesP,
    collect('sns:ListTopics', () => topics(c.sns)),
    collect('sns:ListSubscriptions', () => subscriptions(c.sns)),
    collect('cloudwatch:DescribeAlarms', () => alarms(c.cloudwatch)),
    collect('tag:GetResources', () => piiResources(c.tagging)),
  ]);
  const home = trails.ok ? trails.value.filter((t) => t.homeRegion === region) : [];
  const groups = [...new Set(home.map((t) => (t.logGroupArn ? parseLogGroupArn(t.logGroupArn) : undefined))
    .filter((g): g is { region: string; name: string } => g !== undefined && g.region === region).map((g) => g.name))];
  const alertArns = topicsR.ok ? topicsR.value.filter((a) => nameOf(a).startsWith(settings.securityNamePrefix)) : [];
  const [trailDetails, metricFiltersR, logGroupsR, failed24h, alert] = await Promise.all([
    Promise.all(home.map(async (t): Promise<TrailDetail> => ({
      trail: t,
      status: await collect('cloudtrail:GetTrailStatus', () => trailStatus(c.cloudtrail, t.arn)),
      dataEvents: await collect('cloudtrail:GetEventSelectors', () => dataEvents(c.cloudtrail, t.arn)),
    }))),
    collect('logs:DescribeMetricFilters', () => metricFilters(c.logs, groups)),
    collect('logs:DescribeLogGroups', () => logGroups(c.logs, groups)),
    rulesR.ok
      ? collect('cloudwatch:GetMetricData', () => failedInvocations(c.cloudwatch, rulesR.value.map((r) => r.name), now, settings.failedInvocationsHours))
      : Promise.resolve(failed<Record<string, number>>(rulesR.failure)),
    alertTopics(c, alertArns),
  ]);
  return {
    region, trails, trailDetails, metricFilters: metricFiltersR, logGroups: logGroupsR, alarms: alarmsR,
    rules: rulesR, failedInvocations: failed24h, topics: topicsR, subscriptions: subs, alertTopics: alert, piiResources: pii,
  };
}
