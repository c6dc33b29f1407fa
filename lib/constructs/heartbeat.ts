import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DETECTION } from '../config/defaults';

export interface HeartbeatProps {
  /** A metric that must keep arriving; its statistic should count (SampleCount or Sum of a count). */
  readonly metric: cloudwatch.Metric;
  /** Where the alarm goes (IR-ROUTING). */
  readonly topic: sns.ITopic;
  /** @default - generated */
  readonly alarmName?: string;
  readonly description: string;
  /** @default Duration.minutes(DETECTION.heartbeatWindowMinutes) (one hour) */
  readonly window?: Duration;
}

/**
 * An alarm on silence (LOG-ALARMS): it fires when the metric has no data point, or counts zero, for a
 * whole window. Missing data is BREACHING on purpose: a deleted log group, a stopped trail, a broken
 * delivery role or key and a deleted metric filter all show up as missing data, never as zero.
 */
export class Heartbeat extends Construct {
  public readonly alarm: cloudwatch.Alarm;

  /** The heartbeat of a log group: its IncomingLogEvents (AWS/Logs, which nobody can write to). */
  public static ofLogGroup(scope: Construct, id: string, props: Omit<HeartbeatProps, 'metric'> & { readonly logGroup: logs.ILogGroup }): Heartbeat {
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/Logs',
      metricName: 'IncomingLogEvents',
      dimensionsMap: { LogGroupName: props.logGroup.logGroupName },
      statistic: 'Sum',
    });
    return new Heartbeat(scope, id, { ...props, metric });
  }

  constructor(scope: Construct, id: string, props: HeartbeatProps) {
    super(scope, id);
    const window = props.window ?? Duration.minutes(DETECTION.heartbeatWindowMinutes);
    const minutes = window.toMinutes();
    if (!Token.isUnresolved(minutes) && (minutes < 5 || minutes > 1440)) {
      throw new Error(`heartbeat window must be between 5 minutes and 1 day, got ${minutes} minutes`);
    }
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription: `heartbeat: ${props.description}; silent for ${minutes} minutes (missing data breaches)`,
      metric: props.metric.with({ period: window }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
