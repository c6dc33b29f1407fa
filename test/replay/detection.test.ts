import { eventMatches, EventPatternError } from '../../lib/replay/event-pattern';
import { FilterPatternError, filterMatches } from '../../lib/replay/filter-pattern';
import { weakenedTemplate } from './weakened-app';
import { replayTemplates } from './helpers';

const root = { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] };

/** The weakened app plus an encrypted alert topic and an EventBridge rule on StopLogging that targets it. */
function withRuleOnStopLogging(keyStatement: Record<string, unknown>): Record<string, unknown> {
  return weakenedTemplate({
    AlertKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }, keyStatement] } } },
    AlertTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'weak-alerts', KmsMasterKeyId: { 'Fn::GetAtt': ['AlertKey', 'Arn'] } } },
    TrailRule: {
      Type: 'AWS::Events::Rule',
      Properties: { Name: 'weak-trail-tamper', EventPattern: { source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['StopLogging', 'DeleteTrail'] } }, Targets: [{ Id: 'T', Arn: { Ref: 'AlertTopic' } }] },
    },
  });
}
const eventsKms = { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };

describe('detection is credited only when the alert is delivered end to end', () => {
  test('an EventBridge rule on an encrypted topic whose key admits events.amazonaws.com: DETECTED, naming the rule and the path', () => {
    const run = replayTemplates({ Weak: withRuleOnStopLogging(eventsKms) }, { steps: ['evasion-stop-trail'] });
    const step = run.result.steps[0];
    expect(step.verdict).toBe('DETECTED');
    const a = step.attempts[0];
    expect(a.evidence).toMatch(/rule weak-trail-tamper fires/);
    expect(a.evidence).toMatch(/admits events\.amazonaws\.com for kms:GenerateDataKey and kms:Decrypt/);
    expect(a.evidence).toMatch(/subscribed: email:soc@weak\.test/);
  });

  test('issue 10 item 1: the key admits EventBridge only with aws:SourceAccount, which EventBridge does not send to KMS: OPEN', () => {
    const conditioned = { ...eventsKms, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } };
    const run = replayTemplates({ Weak: withRuleOnStopLogging(conditioned) }, { steps: ['evasion-stop-trail'] });
    const a = run.result.steps[0].attempts[0];
    expect(run.result.steps[0].verdict).toBe('OPEN');
    expect(a.notes.join('\n')).toMatch(/refuses kms:GenerateDataKey to events\.amazonaws\.com/);
  });

  test('every alert path is checked on its own: the conditioned key makes the rule BROKEN even with no step replayed', () => {
    const conditioned = { ...eventsKms, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } };
    const broken = replayTemplates({ Weak: withRuleOnStopLogging(conditioned) }, { steps: [] });
    const rule = broken.result.continuity.find((c) => c.id === 'alert-delivered:rule weak-trail-tamper')!;
    expect(rule.status).toBe('BROKEN');
    expect(rule.evidence).toMatch(/refuses kms:GenerateDataKey to events\.amazonaws\.com/);
    const fixed = replayTemplates({ Weak: withRuleOnStopLogging(eventsKms) }, { steps: [] });
    expect(fixed.result.continuity.find((c) => c.id === 'alert-delivered:rule weak-trail-tamper')!.status).toBe('WORKS');
  });

  test('CloudTrail must be able to write its archive: a bucket policy without its grant is BROKEN', () => {
    const t = weakenedTemplate({ ArchivePolicy: undefined });
    const run = replayTemplates({ Weak: t }, { steps: [] });
    expect(run.result.continuity.find((c) => c.id.startsWith('trail-writes-archive:'))!.status).toBe('BROKEN');
    expect(replayTemplates({ Weak: weakenedTemplate() }, { steps: [] }).result.continuity.find((c) => c.id.startsWith('trail-writes-archive:'))!.status).toBe('WORKS');
  });

  test('a topic without a subscription delivers to nobody: OPEN', () => {
    const t = withRuleOnStopLogging(eventsKms) as { Resources: Record<string, unknown> };
    delete t.Resources.AlertSubscription;
    const run = replayTemplates({ Weak: t }, { steps: ['evasion-stop-trail'] });
    expect(run.result.steps[0].verdict).toBe('OPEN');
    expect(run.result.steps[0].attempts[0].notes.join('\n')).toMatch(/no subscription/);
  });

  test('a subscription with a filter policy is not proof of delivery', () => {
    const t = withRuleOnStopLogging(eventsKms) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    t.Resources.AlertSubscription.Properties.FilterPolicy = { severity: ['none'] };
    const run = replayTemplates({ Weak: t }, { steps: ['evasion-stop-trail'] });
    expect(run.result.steps[0].verdict).toBe('OPEN');
  });

  test('a topic policy that does not admit the service breaks the path', () => {
    const t = withRuleOnStopLogging(eventsKms) as { Resources: Record<string, unknown> };
    delete t.Resources.AlertTopicPolicy;
    const run = replayTemplates({ Weak: t }, { steps: ['evasion-stop-trail'] });
    expect(run.result.steps[0].verdict).toBe('OPEN');
    expect(run.result.steps[0].attempts[0].notes.join('\n')).toMatch(/policy does not admit events\.amazonaws\.com/);
  });

  test('a CIS metric filter and alarm on the trail log group detect a bucket policy change (CloudWatch sends aws:SourceAccount)', () => {
    const t = weakenedTemplate({
      S3Filter: { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'TrailLogs' }, FilterPattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketPolicy) || ($.eventName = DeleteBucketPolicy)) }', MetricTransformations: [{ MetricName: 'S3Policy', MetricNamespace: 'Weak', MetricValue: '1' }] } },
      S3Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'weak-s3-policy', MetricName: 'S3Policy', Namespace: 'Weak', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [{ Ref: 'AlertTopic' }] } },
    });
    const run = replayTemplates({ Weak: t }, { steps: ['exfiltration-grant-bucket'] });
    expect(run.result.steps[0].verdict).toBe('DETECTED');
    expect(run.result.steps[0].attempts[0].evidence).toMatch(/metric filter Weak\/S3Filter on .* matches → alarm weak-s3-policy fires/);
  });

  test('an alarm whose actions are disabled detects nothing', () => {
    const t = weakenedTemplate({
      S3Filter: { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'TrailLogs' }, FilterPattern: '{ $.eventName = PutBucketPolicy }', MetricTransformations: [{ MetricName: 'S3Policy', MetricNamespace: 'Weak', MetricValue: '1' }] } },
      S3Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { ActionsEnabled: false, MetricName: 'S3Policy', Namespace: 'Weak', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [{ Ref: 'AlertTopic' }] } },
    });
    const run = replayTemplates({ Weak: t }, { steps: ['exfiltration-grant-bucket'] });
    expect(run.result.steps[0].verdict).toBe('OPEN');
  });

  test('a read of PII is not detected without data events in the trail', () => {
    const run = replayTemplates({ Weak: weakenedTemplate() }, { steps: ['collection-read-pii-objects'] });
    expect(run.result.steps[0].attempts.find((a) => a.verdict === 'OPEN')!.notes.join('\n')).toMatch(/no trail records s3\.amazonaws\.com GetObject/);
  });
});

describe('metric filter patterns', () => {
  const event = { eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', userIdentity: { type: 'IAMUser' }, additionalEventData: { MFAUsed: 'No' } };
  test('and, or, parentheses, bare and quoted values, wildcards', () => {
    expect(filterMatches('{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }', event)).toBe(true);
    expect(filterMatches('{ $.eventName = "Schedule*" }', event)).toBe(true);
    expect(filterMatches('{ $.eventName = DisableKey }', event)).toBe(false);
  });
  test('NOT EXISTS and != ; an absent field matches no comparison', () => {
    expect(filterMatches('{ $.userIdentity.invokedBy NOT EXISTS && $.additionalEventData.MFAUsed != "Yes" }', event)).toBe(true);
    expect(filterMatches('{ $.errorCode != "AccessDenied" }', event)).toBe(false);
  });
  test('fails on a pattern it cannot read, naming it', () => {
    expect(() => filterMatches('ERROR Exception', event)).toThrow(FilterPatternError);
    expect(() => filterMatches('{ $.a ~ 1 }', event)).toThrow(/unknown operator '~'/);
  });
});

describe('event patterns', () => {
  const ev = { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: { severity: 8.1, type: 'Stealth:IAMUser/CloudTrailLoggingDisabled' } };
  test('numeric, prefix, anything-but, exists', () => {
    expect(eventMatches({ source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } }, ev)).toBe(true);
    expect(eventMatches({ detail: { severity: [{ numeric: ['>=', 9] }] } }, ev)).toBe(false);
    expect(eventMatches({ detail: { type: [{ prefix: 'Stealth:' }] } }, ev)).toBe(true);
    expect(eventMatches({ source: [{ 'anything-but': 'aws.guardduty' }] }, ev)).toBe(false);
    expect(eventMatches({ detail: { resource: [{ exists: false }] } }, ev)).toBe(true);
  });
  test('fails on an operator it does not read', () => {
    expect(() => eventMatches({ source: [{ cidr: '10.0.0.0/8' }] }, ev)).toThrow(EventPatternError);
  });
});
