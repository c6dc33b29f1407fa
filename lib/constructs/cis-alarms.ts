import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CIS_METRIC_FILTERS } from './cis-metric-filters';

export interface CisAlarmsProps {
  /** The CloudTrail log group the filters read. */
  readonly logGroup: logs.ILogGroup;
  /** Where the alarms go (IR-ROUTING). */
  readonly topic: sns.ITopic;
  /** @default 'CISBenchmark' */
  readonly metricNamespace?: string;
  /**
   * Alarm names become `<prefix>cis-<n>-<name>`; use the protect-security-services SCP's name
   * prefix so the alarms cannot be deleted or silenced. @default - generated names
   */
  readonly alarmNamePrefix?: string;
}

/** The CIS AWS 4.1–4.15 metric filters on the trail's log group, each with an alarm to the alert topic (LOG-ALARMS). */
export class CisAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const namespace = props.metricNamespace ?? 'CISBenchmark';
    for (const f of CIS_METRIC_FILTERS) {
      const group = new Construct(this, f.name);
      new logs.MetricFilter(group, 'Filter', {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(f.pattern),
        metricNamespace: namespace,
        metricName: f.name,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(group, 'Alarm', {
        alarmName: props.alarmNamePrefix !== undefined ? `${props.alarmNamePrefix}cis-${f.cis.replace('.', '-')}-${f.name}` : undefined,
        alarmDescription: `CIS AWS ${f.cis}: ${f.description}`,
        metric: new cloudwatch.Metric({ namespace, metricName: f.name, statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // Deliberately NOT_BREACHING: the filter publishes only when an event matches, and no such
        // event is the normal state; breaching would keep all fifteen alarms red. Silence of the
        // pipeline itself (trail stopped, log group or filter deleted) is caught by the heartbeats and
        // the tamper detections of KillChainAlarms, not by these alarms.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      this.alarms.push(alarm);
    }
  }
}
