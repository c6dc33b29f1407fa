import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULTS, DETECTION } from '../config/defaults';
import { Heartbeat } from './heartbeat';
import {
  ALERT_PIPELINE_TAMPER_EVENTS, DETECTOR_TAMPER_EVENTS, IAM_PERSISTENCE_EVENTS, LOG_PIPELINE_TAMPER_EVENTS, breakGlassFilterPattern,
  eventsFilterPattern, mfaDeviceFilterPattern,
} from './killchain-events';

export interface KillChainAlarmsProps {
  /** The multi-region trail's log group (global service events included, so IAM's us-east-1 events arrive whatever the region). */
  readonly logGroup: logs.ILogGroup;
  /** Where the alarms go (IR-ROUTING). */
  readonly topic: sns.ITopic;
  /** Alarm names become `<prefix><name>`; use the SCP's security name prefix. */
  readonly alarmNamePrefix: string;
  /** Namespace of the metrics; the SCP must deny PutMetricData into it. */
  readonly metricNamespace: string;
  /** @default DEFAULTS.breakGlassRoleName */
  readonly breakGlassRoleName?: string;
}

/** The kill-chain detections on the trail's log group, by alarm name suffix. */
export const KILLCHAIN_ALARM_NAMES = ['mfa-device-change', 'iam-persistence', 'break-glass-use', 'log-pipeline-tampering', 'alert-pipeline-tampering', 'detector-tampering'] as const;

/**
 * Metric-filter alarms for the kill-chain steps IAM and the SCPs cannot deny outright (issue 10):
 * - `mfa-device-change`: any MFA device created, enabled, deactivated, deleted or resynced — the only
 *   defence against a phished console password enrolling the attacker's first device (persistence);
 * - `iam-persistence`: users, access keys, console passwords and other long-term credentials created,
 *   trust policies changed, permissions boundaries removed;
 * - `break-glass-use`: any AssumeRole of the break-glass role and any call made in its sessions;
 * - `log-pipeline-tampering` / `alert-pipeline-tampering`: changes that blind detection without a
 *   protected API (log group, filters, retention, transformers, archive bucket, key policies,
 *   subscriptions and their filter policies, alarms, rules);
 * - `detector-tampering`: GuardDuty, Access Analyzer, Security Hub or Config switched off or muted.
 *
 * treatMissingData: the event alarms are NOT_BREACHING, because a filter publishes only when an event
 * matches and no event is the normal state; the tamper filters also publish 0 for every other
 * event (defaultValue), and each has a heartbeat that BREACHES when that stream stops — so deleting a
 * tamper filter, which its own pattern can no longer see, is itself an alarm. Deleting any other filter
 * is a DeleteMetricFilter event the log-pipeline filter matches.
 */
export class KillChainAlarms extends Construct {
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};
  public readonly heartbeats: Record<string, Heartbeat> = {};

  constructor(scope: Construct, id: string, props: KillChainAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const roleName = props.breakGlassRoleName ?? DEFAULTS.breakGlassRoleName;
    if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw new Error(`breakGlassRoleName must be a valid IAM role name, got '${roleName}'`);
    const roleArn = `arn:${stack.partition}:iam::${stack.account}:role/${roleName}`;
    const detections: { name: typeof KILLCHAIN_ALARM_NAMES[number]; pattern: string; description: string; heartbeat: boolean }[] = [
      { name: 'mfa-device-change', pattern: mfaDeviceFilterPattern(), heartbeat: false,
        description: 'an MFA device was created, enabled, deactivated, deleted or resynced (T1098.005): confirm with the user that they enrolled it' },
      { name: 'iam-persistence', pattern: eventsFilterPattern(IAM_PERSISTENCE_EVENTS), heartbeat: false,
        description: 'an IAM user, access key, console password or other long-term credential was created, a trust policy changed or a permissions boundary removed (T1098, T1136.003)' },
      { name: 'break-glass-use', pattern: breakGlassFilterPattern(roleName, roleArn), heartbeat: false,
        description: `the break-glass role ${roleName} was assumed or used` },
      { name: 'log-pipeline-tampering', pattern: eventsFilterPattern(LOG_PIPELINE_TAMPER_EVENTS), heartbeat: true,
        description: 'the log pipeline changed: log group, metric or subscription filters, retention, transformers, trail selectors or the archive bucket (T1562.008)' },
      { name: 'alert-pipeline-tampering', pattern: eventsFilterPattern(ALERT_PIPELINE_TAMPER_EVENTS), heartbeat: true,
        description: 'the alert pipeline changed: a key policy or alias, a topic, subscription or its filter policy, an alarm or a rule (T1562.001)' },
      { name: 'detector-tampering', pattern: eventsFilterPattern(DETECTOR_TAMPER_EVENTS), heartbeat: true,
        description: 'a detector was switched off or muted: GuardDuty detector, filters or findings, Access Analyzer, Security Hub or Config (T1562.001)' },
    ];
    for (const d of detections) {
      const group = new Construct(this, d.name);
      const metricName = d.name;
      new logs.MetricFilter(group, 'Filter', {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(d.pattern),
        metricNamespace: props.metricNamespace,
        metricName,
        metricValue: '1',
        defaultValue: d.heartbeat ? 0 : undefined,
      });
      const metric = new cloudwatch.Metric({ namespace: props.metricNamespace, metricName, statistic: 'Sum', period: Duration.minutes(DETECTION.eventAlarmPeriodMinutes) });
      const alarm = new cloudwatch.Alarm(group, 'Alarm', {
        alarmName: `${props.alarmNamePrefix}${d.name}`,
        alarmDescription: d.description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      this.alarms[d.name] = alarm;
      if (d.heartbeat) {
        this.heartbeats[d.name] = new Heartbeat(group, 'Heartbeat', {
          metric: metric.with({ statistic: 'SampleCount' }),
          topic: props.topic,
          alarmName: `${props.alarmNamePrefix}${d.name}-heartbeat`,
          description: `the ${d.name} metric filter stopped publishing (deleted or its log group silent)`,
        });
      }
    }
  }
}
