import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DETECTION } from '../config/defaults';

export interface RuleFailureAlarmsProps {
  /** The rules, by a short name used in the alarm name. */
  readonly rules: Readonly<Record<string, events.IRule>>;
  /**
   * Where the alarms go. Use a topic with a different key from the rules' own target, so that one
   * broken key policy cannot silence both the alerts and the news that they fail. (IR-ROUTING)
   */
  readonly topic: sns.ITopic;
  /** Alarm names become `<prefix>rule-failed-<name>`. @default - generated names */
  readonly alarmNamePrefix?: string;
}

/**
 * An alarm on every failed delivery of each rule (AWS/Events FailedInvocations): when EventBridge
 * cannot publish to the alert topic (a key or topic policy that refuses it, a deleted topic), this
 * metric is the only trace. treatMissingData is NOT_BREACHING because EventBridge publishes the metric
 * only when the rule fires: no data means no failure, not silence of the pipeline (the heartbeats
 * cover silence).
 */
export class RuleFailureAlarms extends Construct {
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: RuleFailureAlarmsProps) {
    super(scope, id);
    for (const [name, rule] of Object.entries(props.rules)) {
      const alarm = new cloudwatch.Alarm(this, name, {
        alarmName: props.alarmNamePrefix !== undefined ? `${props.alarmNamePrefix}rule-failed-${name}` : undefined,
        alarmDescription: `EventBridge could not deliver an alert of rule ${name}: the alert reached nobody (IR-ROUTING)`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: rule.ruleName },
          statistic: 'Sum',
          period: Duration.minutes(DETECTION.eventAlarmPeriodMinutes),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      this.alarms[name] = alarm;
    }
  }
}
