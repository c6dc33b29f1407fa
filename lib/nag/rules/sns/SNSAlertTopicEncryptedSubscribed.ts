import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { serviceMayUseKey } from '../../../policy/questions';
import { NagRuleCompliance, NagRuleResult, cannotVerify, decided, list, obj, policyJson, propIsCustomerManagedKey, reasons, syntheticValue } from '../common';
import { guardDutyEventRules } from '../guardduty/event-rules';

interface Routing {
  /** Topics that receive GuardDuty findings or alarm actions, with who sends to them. */
  readonly topics: Map<CfnResource, string[]>;
  /** Alarms and rules whose SNS target cannot be resolved to a topic of the app. */
  readonly unresolved: Map<CfnResource, unknown>;
  /** Topics with at least one subscription resource. */
  readonly subscribed: Set<CfnResource>;
  /** Topics an EventBridge rule publishes to (EventBridge calls the topic's key itself). */
  readonly fromEvents: Set<CfnResource>;
}

/** Alert routing of the app, built once per validation. */
function routing(ix: ResourceIndex): Routing {
  return ix.memo('alertTopicRouting', () => {
    const r: Routing = { topics: new Map(), unresolved: new Map(), subscribed: new Set(), fromEvents: new Set() };
    const route = (from: CfnResource, arn: unknown, why: string) => {
      const t = ix.deref(from, arn);
      if (t.kind === 'resource') {
        if (t.node.cfnResourceType !== 'AWS::SNS::Topic') return;
        const l = r.topics.get(t.node);
        if (l) l.push(why); else r.topics.set(t.node, [why]);
        if (from.cfnResourceType === 'AWS::Events::Rule') r.fromEvents.add(t.node);
      } else if (t.kind === 'unresolved' || (t.kind === 'literal' && /^arn:[a-z-]+:sns:/.test(t.value))) {
        if (!r.unresolved.has(from)) r.unresolved.set(from, arn);
      }
    };
    // A list that cannot be read is that resource's problem only: the others are still routed.
    const each = (from: CfnResource, values: () => unknown[], why: string) => {
      let items: unknown[];
      try {
        items = values();
      } catch (e) {
        if (!(e instanceof CannotVerify)) throw e;
        if (!r.unresolved.has(from)) r.unresolved.set(from, e.message);
        return;
      }
      for (const v of items) route(from, v, why);
    };
    for (const g of guardDutyEventRules(ix)) {
      each(g.node, () => list(ix.props(g.node).Targets, 'Targets').map((t) => obj(t, 'target')!.Arn), `GuardDuty rule ${g.node.node.path}`);
    }
    for (const alarm of ix.ofType('AWS::CloudWatch::Alarm')) each(alarm, () => list(ix.props(alarm).AlarmActions, 'AlarmActions'), `alarm ${alarm.node.path}`);
    for (const sub of ix.ofType('AWS::SNS::Subscription')) {
      const t = ix.propTarget(sub, 'TopicArn');
      if (t.kind === 'resource') r.subscribed.add(t.node);
    }
    return r;
  });
}

/** The key of a topic (through an alias of the app), or CannotVerify when it is not a key of the app. */
function topicKey(ix: ResourceIndex, topic: CfnResource): CfnResource {
  let t = ix.propTarget(topic, 'KmsMasterKeyId');
  if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::KMS::Alias') t = ix.propTarget(t.node, 'TargetKeyId');
  if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::KMS::Key') return t.node;
  return cannotVerify('the key policy of the alert topic key (not a key of the app)', ix.props(topic).KmsMasterKeyId);
}

/**
 * EventBridge publishes to an encrypted topic by calling KMS itself, WITHOUT aws:SourceAccount or
 * aws:SourceArn (SNS developer guide, key management): the key policy must let events.amazonaws.com
 * GenerateDataKey and Decrypt as it calls, or every finding is dropped.
 */
function eventBridgeKeyProblems(ix: ResourceIndex, topic: CfnResource): string[] {
  const key = topicKey(ix, topic);
  const keyArn = syntheticValue(ix, key, 'Arn') as string;
  const a = serviceMayUseKey(policyJson(ix, key, ix.props(key).KeyPolicy), keyArn, 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {});
  if (decided(a, 'whether EventBridge may use the topic key')) return [];
  return [`the key policy of ${key.node.path} does not let events.amazonaws.com use the key as EventBridge calls KMS (no aws:SourceAccount or aws:SourceArn): ${a.why.join('; ')}; every finding is dropped`];
}

/**
 * Every SNS topic that receives GuardDuty findings (an EventBridge rule on aws.guardduty) or the
 * actions of a CloudWatch alarm is encrypted with a customer-managed key and has a subscription.
 * An alarm or rule whose SNS target cannot be resolved is reported as "cannot verify".
 */
export function SNSAlertTopicEncryptedSubscribed(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const r = routing(ix);
  if (node.cfnResourceType !== 'AWS::SNS::Topic') {
    return r.unresolved.has(node) ? cannotVerify('the alert topic (outside the app?)', r.unresolved.get(node)) : NagRuleCompliance.NOT_APPLICABLE;
  }
  if (!r.topics.has(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const out: string[] = [];
  if (!propIsCustomerManagedKey(ix, node, 'KmsMasterKeyId')) out.push('not encrypted with a customer-managed KMS key');
  else if (r.fromEvents.has(node)) out.push(...eventBridgeKeyProblems(ix, node));
  if (!r.subscribed.has(node) && list(ix.props(node).Subscription, 'Subscription').length === 0) out.push('no subscription: the alerts reach nobody');
  return reasons(out.length > 0 ? [...out, `receives ${r.topics.get(node)![0]}`] : out);
}

export const SNSAlertTopicEncryptedSubscribedMeta: RuleMetadata = {
  ruleName: 'SNSAlertTopicEncryptedSubscribed',
  controlIds: ['IR-ROUTING'],
  level: 'warning',
  resourceTypes: ['AWS::SNS::Topic', 'AWS::CloudWatch::Alarm', 'AWS::Events::Rule'],
  info: 'A topic that carries GuardDuty findings or alarm notifications is not encrypted with a customer-managed key or has no subscriber.',
  explanation: 'Lesson L9 (response starts in minutes): an alert that reaches nobody starts no response, and alert messages name resources and identities an intruder should not read.',
  fix: 'Create the alert topic with masterKey: a customer-managed kms.Key whose policy lets events.amazonaws.com and cloudwatch.amazonaws.com use it, and subscribe the on-call address (AlertTopic / SecurityAlerts do both).',
};
