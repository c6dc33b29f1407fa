import { serviceMayUseKey } from '../../../policy/questions';
import { LoggingRegionSnapshot, SubscriptionSummary, TopicDetail } from '../../logging-types';
import { defineCheck } from '../check';
import { loggingSettings, regionResource } from '../cloudtrail/scope';
import { forEachAlertRegion } from './scope';

/** The key actions a service needs to publish to an encrypted topic. */
export const PUBLISH_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/** A subscription the endpoint confirmed (an unconfirmed one's ARN is `PendingConfirmation`). */
export const isConfirmed = (sub: SubscriptionSummary): boolean => sub.subscriptionArn.startsWith('arn:');

/** The services that publish to the topic: EventBridge for a security rule's target, CloudWatch for an alarm action. */
export function publishersOf(l: LoggingRegionSnapshot, topic: string): string[] {
  const out: string[] = [];
  if (l.rules.ok && l.rules.value.some((r) => r.targets.ok && r.targets.value.includes(topic))) out.push('events.amazonaws.com');
  if (l.alarms.ok && l.alarms.value.some((a) => a.alarmActions.includes(topic))) out.push('cloudwatch.amazonaws.com');
  return out;
}

/** What keeps a topic from reaching people: faults, or 'unknown' reasons. */
export function topicFaults(t: TopicDetail, subs: readonly SubscriptionSummary[], publishers: readonly string[]): { faults: string[]; unknown: string[] } {
  const faults: string[] = [];
  const unknown: string[] = [];
  const mine = subs.filter((x) => x.topicArn === t.arn);
  if (!mine.some(isConfirmed)) faults.push(mine.length === 0 ? 'has no subscription' : `has no confirmed subscription (${mine.length} pending)`);
  if (t.attributes.ok && !t.attributes.value.kmsMasterKeyId) faults.push('is not encrypted with a KMS key');
  if (t.key?.ok) {
    for (const service of publishers) {
      const a = serviceMayUseKey(t.key.value.policy, t.key.value.keyArn, service, PUBLISH_KEY_ACTIONS, {});
      if (a.yes === false) faults.push(`key ${t.key.value.keyArn} does not admit ${service} (${a.why.join('; ')}): its messages are dropped`);
      else if (a.yes === 'unknown') unknown.push(`key policy of ${t.key.value.keyArn} for ${service}: ${a.why.join('; ')}`);
    }
  }
  return { faults, unknown };
}

/**
 * IR-ROUTING live: every alert topic (security name prefix) has at least one confirmed subscription,
 * is encrypted, and its key's policy admits every service that publishes to it (EventBridge calls KMS
 * without aws:SourceAccount). No alert topic at all is FAIL.
 */
export default defineCheck({
  id: 'sns-alert-topics',
  controlId: 'IR-ROUTING',
  title: 'Alert topics have a confirmed subscription and a key their publishers may use',
  severity: 'error',
  remediation: 'Subscribe and confirm an on-call address (aws sns subscribe, then confirm the e-mail); let the topic key policy admit events.amazonaws.com and cloudwatch.amazonaws.com for kms:GenerateDataKey* and kms:Decrypt without aws:SourceAccount/aws:SourceArn conditions.',
}, (s, settings, emit) => {
  const cfg = loggingSettings(settings);
  const scope = (region: string) => regionResource(s, 'sns', 'AWS::SNS::Topic', region, `${cfg.securityNamePrefix}*`);
  forEachAlertRegion(s, emit, scope, 'sns:ListTopics', 'alert topic', (l) => {
    if (!l.topics.ok) return { error: l.topics.failure };
    for (const t of l.alertTopics) {
      const resource = { ...scope(l.region), id: t.arn };
      if (!l.subscriptions.ok) { emit.error(resource, l.subscriptions.failure); continue; }
      if (!t.attributes.ok) { emit.error(resource, t.attributes.failure); continue; }
      if (t.key && !t.key.ok) { emit.error(resource, t.key.failure); continue; }
      const publishers = publishersOf(l, t.arn);
      const { faults, unknown } = topicFaults(t, l.subscriptions.value, publishers);
      if (faults.length > 0) emit.fail(resource, `alert topic ${t.arn} ${faults.join('; ')}`);
      else if (unknown.length > 0) emit.cannotVerify(resource, unknown.join('; '));
      else emit.pass(resource, `alert topic ${t.arn} has a confirmed subscription; its key admits ${publishers.join(' and ') || 'no publisher found'}`);
    }
    return { count: l.alertTopics.length };
  });
});
