import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { expectRule, param } from '../helpers';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('SNSTopicCustomerManagedKey', () => {
  const rule = 'SNSTopicCustomerManagedKey';
  test('Compliance 1: L2 topic with a customer-managed key', () => {
    expectRule(rule, (s) => new sns.Topic(s, 'T', { masterKey: new kms.Key(s, 'K') }), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 topic unencrypted', () => {
    expectRule(rule, (s) => new sns.Topic(s, 'T'), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 topic with alias/aws/sns', () => {
    expectRule(rule, (s) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: 'alias/aws/sns' }), 'T', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    const f = expectRule(rule, (s) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: param(s) }), 'T', 'ERROR');
    expect(f!.message).toContain('cannot verify KmsMasterKeyId: unresolved value {"Ref":"P"}');
  });
});

describe('SNSAlertTopicEncryptedSubscribed', () => {
  const rule = 'SNSAlertTopicEncryptedSubscribed';
  const gdRule = (s: Stack, topic: sns.ITopic) => new events.Rule(s, 'Findings', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'] }, targets: [new targets.SnsTopic(topic)],
  });
  const alarm = (s: Stack, action: cloudwatch.IAlarmAction) => new cloudwatch.Alarm(s, 'A', {
    metric: new cloudwatch.Metric({ namespace: 'CIS', metricName: 'RootUse' }), threshold: 1, evaluationPeriods: 1,
  }).addAlarmAction(action);
  test('Compliance 1: L2 topic of a GuardDuty rule, encrypted and subscribed', () => {
    expectRule(rule, (s) => {
      const topic = new sns.Topic(s, 'T', { masterKey: new kms.Key(s, 'K') });
      topic.addSubscription(new subs.EmailSubscription('oncall@example.com'));
      gdRule(s, topic);
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: L1 topic with an inline subscription, as an alarm action', () => {
    expectRule(rule, (s) => {
      const topic = new sns.CfnTopic(s, 'T', { kmsMasterKeyId: KEY_ARN, subscription: [{ protocol: 'email', endpoint: 'oncall@example.com' }] });
      new cloudwatch.CfnAlarm(s, 'A', { comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, threshold: 1, metricName: 'm', namespace: 'n', period: 300, statistic: 'Sum', alarmActions: [topic.ref] });
    }, 'T', 'PASS');
  });
  test('Compliance 3: a topic nothing routes alerts to is not evaluated', () => {
    expectRule(rule, (s) => new sns.Topic(s, 'T'), 'T/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 alarm topic unencrypted and without subscribers', () => {
    const f = expectRule(rule, (s) => alarm(s, new actions.SnsAction(new sns.Topic(s, 'T'))), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/not encrypted with a customer-managed KMS key; no subscription: the alerts reach nobody; receives alarm S\/A\/Resource/);
  });
  test('Noncompliance 2: L2 GuardDuty topic under the aws/sns key', () => {
    expectRule(rule, (s) => {
      const topic = new sns.Topic(s, 'T', { masterKey: kms.Alias.fromAliasName(s, 'Managed', 'alias/aws/sns') });
      topic.addSubscription(new subs.EmailSubscription('oncall@example.com'));
      gdRule(s, topic);
    }, 'T/Resource', 'FAIL');
  });
  test('Unresolved 1: the alarm notifies a topic outside the app', () => {
    expectRule(rule, (s) => alarm(s, new actions.SnsAction(sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111122223333:alerts'))), 'A/Resource', 'ERROR');
  });
  test('Unresolved 2: the routed topic key is a parameter', () => {
    expectRule(rule, (s) => {
      const topic = new sns.CfnTopic(s, 'T', { kmsMasterKeyId: param(s), subscription: [{ protocol: 'email', endpoint: 'oncall@example.com' }] });
      new cloudwatch.CfnAlarm(s, 'A', { comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, threshold: 1, metricName: 'm', namespace: 'n', period: 300, statistic: 'Sum', alarmActions: [topic.ref] });
    }, 'T', 'ERROR');
  });
});

describe('SNSTopicCustomerManagedKey (a key ARN built by concatenation)', () => {
  test('Noncompliance 1: L2 topic under an imported aws/sns alias is a FAIL, not a rule failure', () => {
    expectRule('SNSTopicCustomerManagedKey', (s) => new sns.Topic(s, 'T', { masterKey: kms.Alias.fromAliasName(s, 'Managed', 'alias/aws/sns') }), 'T/Resource', 'FAIL');
  });
});
