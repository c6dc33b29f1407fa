import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { describeMetadata, expectRule, findingsOf, param, paramValue } from '../helpers';

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

describe('SNSAlertTopicEncryptedSubscribed: alerts that never arrive', () => {
  const rule = 'SNSAlertTopicEncryptedSubscribed';
  const cfnAlarm = (s: Stack, id: string, actions: unknown) => new cloudwatch.CfnAlarm(s, id, {
    comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, threshold: 1, metricName: 'm', namespace: 'n', period: 300, statistic: 'Sum', alarmActions: actions as string[],
  });
  /** An L1 topic under a customer-managed key (a literal ARN), an alarm routing to it, and subscriptions with the given Region properties. */
  const withSubscriptions = (s: Stack, regions: (string | undefined)[]) => {
    const topic = new sns.CfnTopic(s, 'T', { kmsMasterKeyId: KEY_ARN });
    regions.forEach((region, i) => new sns.CfnSubscription(s, `Sub${i}`, { topicArn: topic.ref, protocol: 'email', endpoint: 'oncall@example.com', region }));
    cfnAlarm(s, 'A', [topic.ref]);
  };
  const gdCfnRule = (s: Stack, topicArn: string) => new events.CfnRule(s, 'Findings', {
    eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] }, targets: [{ id: 'T', arn: topicArn }],
  });

  test('Compliance: a subscription made in the topic region (Region property) counts', () => {
    expectRule(rule, (s) => withSubscriptions(s, ['us-east-1']), 'T', 'PASS');
  });
  test('Noncompliance: the only subscription is made in another region: the alerts reach nobody', () => {
    const f = expectRule(rule, (s) => withSubscriptions(s, ['us-west-2']), 'T', 'FAIL');
    expect(f!.message).toContain('no subscription in the topic\'s account and region: the alerts reach nobody');
  });
  test('Noncompliance: two subscriptions, both in another region', () => {
    const f = expectRule(rule, (s) => withSubscriptions(s, ['us-west-2', 'eu-west-1']), 'T', 'FAIL');
    expect(f!.message).toContain('no subscription in the topic\'s account and region');
  });
  test('Compliance: a subscription in the topic region is not undone by a later one elsewhere', () => {
    expectRule(rule, (s) => withSubscriptions(s, ['us-east-1', 'us-west-2']), 'T', 'PASS');
    expectRule(rule, (s) => withSubscriptions(s, [undefined, 'us-west-2']), 'T', 'PASS');
  });
  test('Compliance: a subscription in the topic region after one whose region is unknown', () => {
    expectRule(rule, (s) => withSubscriptions(s, [param(s), 'us-east-1']), 'T', 'PASS');
  });
  test('Unresolved: the only subscription region is a parameter', () => {
    const f = expectRule(rule, (s) => withSubscriptions(s, [param(s)]), 'T', 'ERROR');
    expect(f!.message).toContain('cannot verify that a subscription of the topic is made in its account and region');
    expect(f!.message).toContain('T');
  });
  test('Unresolved: a subscription of unknown region and one in another region is not a FAIL', () => {
    expectRule(rule, (s) => withSubscriptions(s, [param(s), 'us-west-2']), 'T', 'ERROR');
    expectRule(rule, (s) => withSubscriptions(s, ['us-west-2', param(s)]), 'T', 'ERROR');
  });
  test('a subscription to a topic outside the app does not hide the app topic findings', () => {
    const f = expectRule(rule, (s) => {
      new sns.CfnSubscription(s, 'Outside', { topicArn: 'arn:aws:sns:us-east-1:111122223333:other', protocol: 'email', endpoint: 'x@example.com' });
      alarm(s, new actions.SnsAction(new sns.Topic(s, 'T')));
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toContain('no subscription: the alerts reach nobody');
  });
  const alarm = (s: Stack, action: cloudwatch.IAlarmAction, id = 'A') => new cloudwatch.Alarm(s, id, {
    metric: new cloudwatch.Metric({ namespace: 'CIS', metricName: 'RootUse' }), threshold: 1, evaluationPeriods: 1,
  }).addAlarmAction(action);
  test('the FAIL names the first alarm that sends to the topic', () => {
    const f = expectRule(rule, (s) => {
      const topic = new sns.Topic(s, 'T');
      alarm(s, new actions.SnsAction(topic), 'A1');
      alarm(s, new actions.SnsAction(topic), 'A2');
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toContain('receives alarm S/A1/Resource');
  });
  test('the FAIL names the GuardDuty rule that sends to the topic', () => {
    const f = expectRule(rule, (s) => {
      const topic = new sns.Topic(s, 'T');
      topic.addSubscription(new subs.EmailSubscription('oncall@example.com'));
      gdCfnRule(s, topic.topicArn);
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toContain('not encrypted with a customer-managed KMS key');
    expect(f!.message).toContain('receives GuardDuty rule S/Findings');
  });
  test('Unresolved: the ERROR names the topic outside the app', () => {
    const f = expectRule(rule, (s) => alarm(s, new actions.SnsAction(sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111122223333:alerts'))), 'A/Resource', 'ERROR');
    expect(f!.message).toContain('cannot verify the alert topic (outside the app?)');
    expect(f!.message).toContain('arn:aws:sns:us-east-1:111122223333:alerts');
  });
  test('Unresolved: an alarm action that is a parameter; the ERROR names the first unresolved action', () => {
    const f = expectRule(rule, (s) => cfnAlarm(s, 'A', [param(s, 'P1'), param(s, 'P2')]), 'A', 'ERROR');
    expect(f!.message).toContain('{"Ref":"P1"}');
  });
  test('an alarm action that is not an SNS ARN is not an alert topic', () => {
    expectRule(rule, (s) => cfnAlarm(s, 'A', ['arn:aws:automate:us-east-1:ec2:stop']), 'A', 'N/A');
  });
  test('Unresolved: an alarm whose action list is a parameter; other alarms are still routed', () => {
    const all = findingsOf(rule, (s) => {
      cfnAlarm(s, 'Bad', new CfnParameter(s, 'L', { type: 'CommaDelimitedList' }).valueAsList);
      alarm(s, new actions.SnsAction(new sns.Topic(s, 'T')));
    });
    const bad = all.find((f) => f.resource.id === 'S/Bad')!;
    expect(bad.status).toBe('ERROR');
    expect(bad.message).toContain('cannot verify AlarmActions');
    expect(all.find((f) => f.resource.id === 'S/T/Resource')!.status).toBe('FAIL');
  });
  test('Unresolved: a GuardDuty rule whose targets are a parameter', () => {
    const f = expectRule(rule, (s) => new events.CfnRule(s, 'Findings', { eventPattern: { source: ['aws.guardduty'] }, targets: paramValue(s) }), 'Findings', 'ERROR');
    expect(f!.message).toContain('cannot verify Targets');
  });
  test('Unresolved: a GuardDuty rule whose target is a parameter', () => {
    const f = expectRule(rule, (s) => new events.CfnRule(s, 'Findings', { eventPattern: { source: ['aws.guardduty'] }, targets: [paramValue(s)] }), 'Findings', 'ERROR');
    expect(f!.message).toContain('cannot verify target: unresolved value');
  });
  test('Unresolved: the topic inline subscriptions are a parameter', () => {
    const f = expectRule(rule, (s) => {
      const topic = new sns.CfnTopic(s, 'T', { kmsMasterKeyId: KEY_ARN, subscription: paramValue(s) });
      cfnAlarm(s, 'A', [topic.ref]);
    }, 'T', 'ERROR');
    expect(f!.message).toContain('cannot verify Subscription');
  });

  describe('EventBridge must be able to use the topic key', () => {
    const rootOnly = (s: Stack) => new kms.CfnKey(s, 'K', { keyPolicy: {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    } });
    const eventsMay = (actions: string[]) => (s: Stack) => new kms.CfnKey(s, 'K', { keyPolicy: {
      Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: actions, Resource: '*' },
      ],
    } });
    const topicOn = (s: Stack, keyId: string) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: keyId, subscription: [{ protocol: 'email', endpoint: 'oncall@example.com' }] });
    test('Noncompliance: the key policy does not let events.amazonaws.com use the key', () => {
      const f = expectRule(rule, (s) => gdCfnRule(s, topicOn(s, rootOnly(s).attrArn).ref), 'T', 'FAIL');
      expect(f!.message).toContain('the key policy of S/K does not let events.amazonaws.com use the key');
      expect(f!.message).toContain('kms:GenerateDataKey by events.amazonaws.com without any context keys is not allowed; every finding is dropped');
    });
    test('Noncompliance: the key policy lets events.amazonaws.com only decrypt', () => {
      const f = expectRule(rule, (s) => gdCfnRule(s, topicOn(s, eventsMay(['kms:Decrypt'])(s).attrArn).ref), 'T', 'FAIL');
      expect(f!.message).toContain('kms:GenerateDataKey');
    });
    test('Compliance: the key policy lets events.amazonaws.com use the key', () => {
      expectRule(rule, (s) => gdCfnRule(s, topicOn(s, eventsMay(['kms:GenerateDataKey', 'kms:Decrypt'])(s).attrArn).ref), 'T', 'PASS');
    });
    test('the key is found through an alias of the app', () => {
      expectRule(rule, (s) => {
        const key = eventsMay(['kms:GenerateDataKey', 'kms:Decrypt'])(s);
        const alias = new kms.CfnAlias(s, 'Alias', { aliasName: 'alias/alerts', targetKeyId: key.ref });
        gdCfnRule(s, topicOn(s, alias.ref).ref);
      }, 'T', 'PASS');
      const f = expectRule(rule, (s) => {
        const alias = new kms.CfnAlias(s, 'Alias', { aliasName: 'alias/alerts', targetKeyId: rootOnly(s).ref });
        gdCfnRule(s, topicOn(s, alias.ref).ref);
      }, 'T', 'FAIL');
      expect(f!.message).toContain('S/K');
    });
    test('Unresolved: a key outside the app cannot be checked for EventBridge', () => {
      const f = expectRule(rule, (s) => gdCfnRule(s, topicOn(s, KEY_ARN).ref), 'T', 'ERROR');
      expect(f!.message).toContain('cannot verify the key policy of the alert topic key (not a key of the app)');
      expect(f!.message).toContain(KEY_ARN);
    });
    test('Unresolved: a key policy the evaluator cannot read gives ERROR naming the question', () => {
      const f = expectRule(rule, (s) => {
        const key = new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement: [
          { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringFancy: { 'aws:SourceAccount': '111122223333' } } },
        ] } });
        gdCfnRule(s, topicOn(s, key.attrArn).ref);
      }, 'T', 'ERROR');
      expect(f!.message).toContain('cannot verify whether EventBridge may use the topic key');
    });
    test('Unresolved: a replica key of the app is not read as a key', () => {
      expectRule(rule, (s) => {
        const replica = new kms.CfnReplicaKey(s, 'R', { primaryKeyArn: KEY_ARN, keyPolicy: { Version: '2012-10-17', Statement: [] } });
        gdCfnRule(s, topicOn(s, replica.attrArn).ref);
      }, 'T', 'ERROR');
    });
  });
});

describe('what users read of the SNS rules', () => {
  describeMetadata('SNSTopicCustomerManagedKey', 'SNSAlertTopicEncryptedSubscribed');
});
