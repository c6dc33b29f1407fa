import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic, alertEmailsOrParameter } from '../../lib/constructs/alert-topic';
import { Heartbeat } from '../../lib/constructs/heartbeat';
import { KillChainAlarms } from '../../lib/constructs/killchain-alarms';
import { MAX_FILTER_PATTERN_LENGTH, eventsFilterPattern } from '../../lib/constructs/killchain-events';
import { testStack } from '../helpers/app';

/** The detection constructs of issue 10 on their own: the bad inputs each refuses, and their defaults. */
describe('kill-chain detection constructs', () => {
  const topicIn = (s: ReturnType<typeof testStack>['stack']) => sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111122223333:t');

  test('Heartbeat: missing data breaches, one hour by default', () => {
    const { stack } = testStack();
    new Heartbeat(stack, 'H', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M', statistic: 'SampleCount' }), topic: topicIn(stack), description: 'd' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Period: 3600, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Statistic: 'SampleCount',
    });
  });

  test('Heartbeat fails when the window is shorter than CloudTrail delivers, or longer than a day', () => {
    const { stack } = testStack();
    const metric = new cloudwatch.Metric({ namespace: 'N', metricName: 'M' });
    const topic = topicIn(stack);
    expect(() => new Heartbeat(stack, 'Short', { metric, topic, description: 'd', window: Duration.minutes(2) }))
      .toThrow('heartbeat window must be between 5 minutes and 1 day, got 2 minutes');
    expect(() => new Heartbeat(stack, 'Long', { metric, topic, description: 'd', window: Duration.days(2) }))
      .toThrow('got 2880 minutes');
  });

  test('KillChainAlarms fails when the break-glass role name is not a role name', () => {
    const { stack } = testStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'G', 'trail');
    expect(() => new KillChainAlarms(stack, 'K', { logGroup, topic: topicIn(stack), alarmNamePrefix: 'p-', metricNamespace: 'n', breakGlassRoleName: 'break glass' }))
      .toThrow("breakGlassRoleName must be a valid IAM role name, got 'break glass'");
  });

  test('a filter pattern CloudWatch Logs would refuse fails at synthesis, naming its length', () => {
    const many = { 'logs.amazonaws.com': Array.from({ length: 60 }, (_, i) => `SomeLongEventName${i}`) };
    expect(() => eventsFilterPattern(many)).toThrow(new RegExp(`metric filter pattern is \\d+ characters, above the ${MAX_FILTER_PATTERN_LENGTH}`));
  });

  test('AlertTopic fails without an address or with a malformed one; a deploy-time parameter is accepted', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'K');
    expect(() => new AlertTopic(stack, 'None', { key, emails: [] })).toThrow('emails must list at least one address');
    expect(() => new AlertTopic(stack, 'Bad', { key, emails: ['oncall'] })).toThrow("emails: 'oncall' is not an e-mail address");
    expect(() => new AlertTopic(stack, 'Param', { key, emails: alertEmailsOrParameter(stack) })).not.toThrow();
  });

  test('one AlertEmail parameter per stack, with no default; configured addresses pass through', () => {
    const { stack } = testStack();
    const a = alertEmailsOrParameter(stack);
    const b = alertEmailsOrParameter(stack);
    expect(stack.resolve(a)).toEqual(stack.resolve(b));
    expect(alertEmailsOrParameter(stack, ['soc@bank.com'])).toEqual(['soc@bank.com']);
    // A topic subscribed with the parameter: CloudFormation refuses a template without resources.
    new AlertTopic(stack, 'Alerts', { key: new kms.Key(stack, 'Key', { enableKeyRotation: true }), emails: a });
    const p = Template.fromStack(stack).toJSON().Parameters.AlertEmail;
    expect(p).toMatchObject({ Type: 'String', AllowedPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });
    expect(p.Default).toBeUndefined();
  });

  test('AlertTopic gives the key the publishers\' statements without a source condition, the topic with one', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'K');
    new AlertTopic(stack, 'A', { key, emails: ['soc@bank.com'] });
    const t = Template.fromStack(stack).toJSON();
    const keyPolicy = Object.values(t.Resources as Record<string, { Type: string; Properties: { KeyPolicy: { Statement: { Sid?: string; Condition?: unknown }[] } } }>)
      .find((r) => r.Type === 'AWS::KMS::Key')!.Properties.KeyPolicy.Statement;
    for (const sid of ['AllowcloudwatchToPublishEncrypted', 'AlloweventsToPublishEncrypted']) {
      const st = keyPolicy.find((s) => s.Sid === sid);
      expect([sid, st !== undefined, st?.Condition]).toEqual([sid, true, undefined]);
    }
  });
});
