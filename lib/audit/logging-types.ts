/**
 * The snapshot of the detection path in one region (LOG-TRAIL, LOG-ALARMS, IR-ROUTING): the trails and
 * their status, the metric filters and alarms on the trail's log group, the security EventBridge rules,
 * the alert topics with their subscriptions and keys. Plain JSON, like the rest of the snapshot.
 */
import { DEFAULTS } from '../config/defaults';
import { securityNamePrefix } from '../policies';
import { Collected } from './types';

export interface TrailSummary {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly includeGlobalEvents: boolean;
  readonly logFileValidation: boolean;
  readonly kmsKeyId?: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>:*` as CloudTrail reports it. */
  readonly logGroupArn?: string;
  readonly organizationTrail: boolean;
}

export interface TrailStatus {
  readonly isLogging: boolean;
  /** ISO time of the latest delivery to CloudWatch Logs. */
  readonly latestCloudWatchLogsDeliveryTime?: string;
  readonly latestCloudWatchLogsDeliveryError?: string;
}

/** One data-event selector, basic or advanced, reduced to what it logs. */
export interface DataEventSelector {
  /** `AWS::S3::Object`, `AWS::DynamoDB::Table`, ... */
  readonly resourceType: string;
  /** ARN prefixes (basic `Values`, or advanced `resources.ARN` StartsWith/Equals); empty: every resource of the type. */
  readonly arnPrefixes: readonly string[];
  /** ReadOnly / WriteOnly / All. */
  readonly readWrite: 'ReadOnly' | 'WriteOnly' | 'All';
}

/** A trail collected in its home region: the summary, GetTrailStatus and GetEventSelectors. */
export interface TrailDetail {
  readonly trail: TrailSummary;
  readonly status: Collected<TrailStatus>;
  readonly dataEvents: Collected<readonly DataEventSelector[]>;
}

export interface MetricFilterSummary {
  readonly name: string;
  readonly logGroupName: string;
  readonly pattern: string;
  /** The metrics the filter emits, as `namespace/name`. */
  readonly metrics: readonly string[];
}

export interface LogGroupSummary {
  readonly name: string;
  /** undefined: never expire. */
  readonly retentionDays?: number;
  readonly kmsKeyId?: string;
}

export interface AlarmSummary {
  readonly name: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  /** `namespace/name` of the metric the alarm watches (undefined for metric-math alarms). */
  readonly metric?: string;
}

export interface RuleSummary {
  readonly name: string;
  readonly arn: string;
  /** ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. */
  readonly state: string;
  /** The targets' ARNs (events:ListTargetsByRule). */
  readonly targets: Collected<readonly string[]>;
}

export interface SubscriptionSummary {
  readonly topicArn: string;
  /** `PendingConfirmation` (or `Deleted`) when not confirmed. */
  readonly subscriptionArn: string;
  readonly protocol: string;
}

export interface TopicKey {
  /** The key's ARN, resolved from the topic's KmsMasterKeyId (an alias or id) with kms:DescribeKey. */
  readonly keyArn: string;
  /** The decoded key policy (kms:GetKeyPolicy). */
  readonly policy: unknown;
}

export interface TopicDetail {
  readonly arn: string;
  /** KmsMasterKeyId from sns:GetTopicAttributes; undefined: not encrypted. */
  readonly attributes: Collected<{ readonly kmsMasterKeyId?: string }>;
  /** Present when the topic is encrypted. */
  readonly key?: Collected<TopicKey>;
}

export interface LoggingRegionSnapshot {
  readonly region: string;
  /** cloudtrail:DescribeTrails (shadow trails included: multi-region trails appear in every region). */
  readonly trails: Collected<readonly TrailSummary[]>;
  /** Trails whose home region is this region, with their status and data-event selectors. */
  readonly trailDetails: readonly TrailDetail[];
  /** logs:DescribeMetricFilters on the log groups the trails deliver to in this region (all pages). */
  readonly metricFilters: Collected<readonly MetricFilterSummary[]>;
  /** logs:DescribeLogGroups of those log groups. */
  readonly logGroups: Collected<readonly LogGroupSummary[]>;
  /** cloudwatch:DescribeAlarms, metric alarms, all pages. */
  readonly alarms: Collected<readonly AlarmSummary[]>;
  /** events:ListRules with the security name prefix, each with its targets. */
  readonly rules: Collected<readonly RuleSummary[]>;
  /** cloudwatch:GetMetricData: FailedInvocations (Sum) per rule name over the window. */
  readonly failedInvocations: Collected<Readonly<Record<string, number>>>;
  /** sns:ListTopics (all pages). */
  readonly topics: Collected<readonly string[]>;
  /** sns:ListSubscriptions (all pages): one list, not one call per topic. */
  readonly subscriptions: Collected<readonly SubscriptionSummary[]>;
  /** The alert topics (security name prefix), with their encryption key. */
  readonly alertTopics: readonly TopicDetail[];
  /** tag:GetResources: ARNs of the buckets and tables tagged `hardening:data-class` (PII) in this region. */
  readonly piiResources: Collected<readonly string[]>;
}

/** What the detection-path checks compare against (defaults from lib/config). */
export interface LoggingSettings {
  /** Rules and topics named with this prefix are the security ones (the SCP's SecurityNamePrefix). */
  readonly securityNamePrefix: string;
  /** The trail's log group keeps events at least this long. */
  readonly minLogRetentionDays: number;
  /** A trail's latest CloudWatch Logs delivery must be within this many hours. */
  readonly deliveryMaxAgeHours: number;
  /** FailedInvocations are summed over this many hours. */
  readonly failedInvocationsHours: number;
}

export const DEFAULT_LOGGING_SETTINGS: LoggingSettings = {
  securityNamePrefix: securityNamePrefix(DEFAULTS.stackPrefix),
  minLogRetentionDays: DEFAULTS.logRetentionDays,
  deliveryMaxAgeHours: 24,
  failedInvocationsHours: 24,
};

/** `arn:aws:logs:us-east-1:111122223333:log-group:name:*` -> region and name. */
export function parseLogGroupArn(arn: string): { region: string; name: string } | undefined {
  const m = /^arn:[^:]+:logs:([^:]+):\d*:log-group:(.+?)(:\*)?$/.exec(arn);
  return m ? { region: m[1], name: m[2] } : undefined;
}
