/** Literal detection-path snapshots (LOG-TRAIL, LOG-ALARMS, IR-ROUTING) of a compliant account. */
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { LoggingRegionSnapshot, TrailDetail, TrailSummary } from '../../../lib/audit/logging-types';
import { ok } from '../../../lib/audit/types';

export const ACCT = '111122223333';
export const HOME = 'us-east-1';
export const PREFIX = 'Hardening-security-';
export const TRAIL_ARN = `arn:aws:cloudtrail:${HOME}:${ACCT}:trail/org-trail`;
export const LOG_GROUP = 'hardening/cloudtrail';
export const KEY_ARN = `arn:aws:kms:${HOME}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const ALERTS = `arn:aws:sns:${HOME}:${ACCT}:${PREFIX}alerts`;
export const ALARMS = `arn:aws:sns:${HOME}:${ACCT}:${PREFIX}alarms`;
export const PII_BUCKET = 'arn:aws:s3:::customer-pii-data';
export const PII_TABLE = `arn:aws:dynamodb:${HOME}:${ACCT}:table/customer-pii`;
export const RULES = ['guardduty-high-severity', 'root-sign-in', 'console-sign-in-without-mfa'].map((r) => `${PREFIX}${r}`);

/** The key policy the detection stack should deploy: root delegates to IAM; EventBridge and CloudWatch may publish. */
export const GOOD_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Publishers', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' },
  ],
};

/** The broken one: EventBridge limited by aws:SourceAccount, which it never sends to KMS. */
export const SOURCE_ACCOUNT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    GOOD_KEY_POLICY.Statement[0],
    { Sid: 'Alarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' },
    { Sid: 'Events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ACCT } } },
  ],
};

export const TRAIL: TrailSummary = {
  name: 'org-trail', arn: TRAIL_ARN, homeRegion: HOME, multiRegion: true, includeGlobalEvents: true, logFileValidation: true,
  kmsKeyId: KEY_ARN, logGroupArn: `arn:aws:logs:${HOME}:${ACCT}:log-group:${LOG_GROUP}:*`, organizationTrail: false,
};

export function trailDetail(now: Date, over: Partial<TrailDetail> = {}): TrailDetail {
  return {
    trail: TRAIL,
    status: ok({ isLogging: true, latestCloudWatchLogsDeliveryTime: new Date(now.getTime() - 5 * 60_000).toISOString() }),
    dataEvents: ok([
      { resourceType: 'AWS::S3::Object', arnPrefixes: [`${PII_BUCKET}/`], readWrite: 'All' },
      { resourceType: 'AWS::DynamoDB::Table', arnPrefixes: [PII_TABLE], readWrite: 'All' },
    ]),
    ...over,
  };
}

/** The home region: the trail, its log group with every CIS filter and alarm, the rules and topics. */
export function homeRegion(now: Date, over: Partial<LoggingRegionSnapshot> = {}): LoggingRegionSnapshot {
  return {
    region: HOME,
    trails: ok([TRAIL]),
    trailDetails: [trailDetail(now)],
    metricFilters: ok(CIS_METRIC_FILTERS.map((f) => ({ name: f.name, logGroupName: LOG_GROUP, pattern: f.pattern, metrics: [`CISBenchmark/${f.name}`] }))),
    logGroups: ok([{ name: LOG_GROUP, retentionDays: 1096, kmsKeyId: KEY_ARN }]),
    alarms: ok(CIS_METRIC_FILTERS.map((f) => ({ name: `${PREFIX}cis-${f.cis.replace('.', '-')}-${f.name}`, actionsEnabled: true, alarmActions: [ALARMS], metric: `CISBenchmark/${f.name}` }))),
    rules: ok(RULES.map((name) => ({ name, arn: `arn:aws:events:${HOME}:${ACCT}:rule/${name}`, state: 'ENABLED', targets: ok([ALERTS]) }))),
    failedInvocations: ok(Object.fromEntries(RULES.map((r) => [r, 0]))),
    topics: ok([ALERTS, ALARMS, `arn:aws:sns:${HOME}:${ACCT}:unrelated`]),
    subscriptions: ok([
      { topicArn: ALERTS, subscriptionArn: `${ALERTS}:0b5c3f7e-1111-2222-3333-444455556666`, protocol: 'email' },
      { topicArn: ALARMS, subscriptionArn: `${ALARMS}:0b5c3f7e-1111-2222-3333-777788889999`, protocol: 'email' },
    ]),
    alertTopics: [ALERTS, ALARMS].map((arn) => ({ arn, attributes: ok({ kmsMasterKeyId: 'alias/hardening/security-alerts' }), key: ok({ keyArn: KEY_ARN, policy: GOOD_KEY_POLICY }) })),
    piiResources: ok([PII_BUCKET, PII_TABLE]),
    ...over,
  };
}

/** Another audited region: sees the multi-region trail as a shadow trail; nothing else. */
export function otherRegion(name: string, over: Partial<LoggingRegionSnapshot> = {}): LoggingRegionSnapshot {
  return {
    region: name, trails: ok([TRAIL]), trailDetails: [], metricFilters: ok([]), logGroups: ok([]), alarms: ok([]),
    rules: ok([]), failedInvocations: ok({}), topics: ok([]), subscriptions: ok([]), alertTopics: [], piiResources: ok([]),
    ...over,
  };
}

export const goodLogging = (now: Date): LoggingRegionSnapshot[] => [otherRegion('eu-west-1'), homeRegion(now)];
