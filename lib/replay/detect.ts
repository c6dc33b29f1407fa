import { EvaluationResult, NamedPolicy, PolicyRequest, PolicySet } from '../policy';
import { EventPatternError, eventMatches } from './event-pattern';
import { FilterPatternError, filterMatches } from './filter-pattern';
import { AlarmModel, AppModel, RuleModel, TopicModel, TrailModel } from './model';
import { Persona } from './personas';
import { TrailEvent, logGroupNameOf } from './steps';

/**
 * Detection: which alarm or rule fires on a call, and whether its alert reaches people. A detection
 * counts only when every link is proven from the templates:
 *   trail records the event → (log group → metric filter → alarm with actions) or (EventBridge rule)
 *   → alert topic whose policy admits the service → topic key whose policy admits the service, with
 *   the context keys that service really sends → at least one subscription without a filter policy.
 * A link that cannot be read (an unknown pattern operator, an undecidable policy) makes the
 * detection UNDECIDABLE, never DETECTED.
 */

/** Context keys each AWS service sends when it publishes an alert (one place for these facts). */
export const SERVICE_DELIVERY: Readonly<Record<'cloudwatch' | 'events', { readonly principal: string; readonly topicContext: 'source'; readonly keyContext: 'source' | 'none'; readonly note: string }>> = {
  // CloudWatch alarms: aws:SourceArn (the alarm) and aws:SourceAccount reach both the topic and the KMS key policy.
  cloudwatch: { principal: 'cloudwatch.amazonaws.com', topicContext: 'source', keyContext: 'source', note: 'CloudWatch sends aws:SourceAccount and aws:SourceArn to SNS and to KMS' },
  // EventBridge to an encrypted topic: KMS receives NO aws:SourceAccount / aws:SourceArn (SNS developer guide,
  // key management, compatibility with AWS services): a key policy conditioned on them drops every alert.
  events: { principal: 'events.amazonaws.com', topicContext: 'source', keyContext: 'none', note: 'EventBridge sends no aws:SourceAccount/aws:SourceArn to KMS when publishing to an encrypted topic' },
};

export type Evaluate = (request: PolicyRequest, policies: PolicySet) => EvaluationResult;

export interface Detection {
  readonly kind: 'alarm' | 'rule';
  readonly name: string;
  readonly arn: string;
  readonly topic: string;
  /** The path, link by link, as evidence. */
  readonly path: readonly string[];
}

export interface DetectionOutcome {
  readonly detections: readonly Detection[];
  /** Detectors that match the event but whose delivery is broken (why). */
  readonly broken: readonly string[];
  /** Links that could not be decided: detection cannot be claimed, nor denied. */
  readonly undecidable: readonly string[];
}

/** Where a call came from, as CloudTrail records it: through a VPC endpoint, the host's address and the endpoint. */
export interface CallNetwork {
  readonly sourceIPAddress: string;
  readonly vpcEndpointId?: string;
}

/** The CloudTrail record of a call, as it reaches CloudWatch Logs and EventBridge. */
export function cloudTrailRecord(model: AppModel, persona: Persona, event: TrailEvent, network: CallNetwork): Record<string, unknown> {
  return {
    eventVersion: '1.10', eventSource: event.eventSource, eventName: event.eventName, awsRegion: model.env.region,
    userIdentity: persona.userIdentity, eventType: 'AwsApiCall', readOnly: event.readOnly, managementEvent: event.category === 'Management',
    eventCategory: event.category, sourceIPAddress: network.sourceIPAddress, userAgent: 'aws-cli/2', requestParameters: event.requestParameters ?? {},
    recipientAccountId: model.env.account, ...(network.vpcEndpointId === undefined ? {} : { vpcEndpointId: network.vpcEndpointId }),
    ...(event.dataResource ? { resources: [{ ARN: event.dataResource.arn, type: event.dataResource.type }] } : {}),
  };
}

/** Whether a trail records the event (management or data selectors). */
export function trailRecords(trail: TrailModel, event: TrailEvent): boolean {
  if (!trail.isLogging || trail.unreadSelectors) return false;
  const rwOk = (rw: 'All' | 'ReadOnly' | 'WriteOnly' | 'None') => rw === 'All' || (rw === 'ReadOnly' && event.readOnly) || (rw === 'WriteOnly' && !event.readOnly);
  if (event.category === 'Management') return trail.management !== 'None' && rwOk(trail.management);
  const d = event.dataResource;
  if (!d) return false;
  return trail.dataEvents.some((sel) => sel.type === d.type && rwOk(sel.readWrite) && sel.values.some((v) => {
    if (d.type === 'AWS::S3::Object') return v === 'arn:aws:s3' || v === 'arn:aws:s3:::' || d.arn.startsWith(v);
    return v === d.arn || v === `arn:aws:${d.type === 'AWS::DynamoDB::Table' ? 'dynamodb' : 'lambda'}`;
  }));
}

function eventBridgeEvent(model: AppModel, record: Record<string, unknown>, event: TrailEvent): Record<string, unknown> {
  const service = event.eventSource.split('.')[0];
  return {
    version: '0', id: 'replay', 'detail-type': event.eventName === 'ConsoleLogin' ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: `aws.${service === 'monitoring' ? 'cloudwatch' : service}`, account: model.env.account, region: model.env.region, resources: [], detail: record,
  };
}

function alarmFires(alarm: AlarmModel): boolean {
  // One matching event adds 1 to the metric in its period.
  const t = alarm.threshold;
  if (t === undefined || Number.isNaN(t)) return false;
  return alarm.comparison === 'GreaterThanOrEqualToThreshold' ? 1 >= t : alarm.comparison === 'GreaterThanThreshold' ? 1 > t : false;
}

type Delivery = { ok: boolean; undecidable: boolean; path: string[]; problem?: string };
const deliveryCache = new WeakMap<AppModel, Map<string, Delivery>>();

/** deliveryPath, once per (service, source, topic) and app. */
function deliveryCached(model: AppModel, evaluate: Evaluate, kind: 'cloudwatch' | 'events', sourceArn: string, topicArn: string): Delivery {
  let m = deliveryCache.get(model);
  if (!m) deliveryCache.set(model, (m = new Map()));
  const key = `${kind}\u0000${sourceArn}\u0000${topicArn}`;
  let d = m.get(key);
  if (!d) m.set(key, (d = deliveryPath(model, evaluate, kind, sourceArn, topicArn)));
  return d;
}

/** Whether an alert from `service` on behalf of `sourceArn` reaches people through `topicArn`. */
export function deliveryPath(model: AppModel, evaluate: Evaluate, kind: 'cloudwatch' | 'events', sourceArn: string, topicArn: string):
  { ok: boolean; undecidable: boolean; path: string[]; problem?: string } {
  const svc = SERVICE_DELIVERY[kind];
  const topic: TopicModel | undefined = model.topics.find((t) => t.arn === topicArn);
  if (!topic) return { ok: false, undecidable: true, path: [], problem: `target ${topicArn} is not a topic of the app: its delivery cannot be proven` };
  const path: string[] = [];
  const sourceContext = { 'aws:SourceAccount': model.env.account, 'aws:SourceArn': sourceArn };
  const principal = { arn: svc.principal, type: 'Service' as const };
  const publish = evaluate(
    { principal, action: 'sns:Publish', resource: topic.arn, resourceAccount: model.env.account, context: { ...sourceContext, 'aws:SecureTransport': true } },
    { resourcePolicy: topic.policy ?? defaultTopicPolicy(topic.arn, model.env.account), resourcePolicyKind: 'resource' },
  );
  if (publish.decision === 'Undecidable') return { ok: false, undecidable: true, path, problem: `topic ${topic.name}: ${publish.reason}` };
  if (!publish.allowed) return { ok: false, undecidable: false, path, problem: `topic ${topic.name} policy does not admit ${svc.principal}: ${publish.reason}` };
  path.push(`topic ${topic.name} admits ${svc.principal} (${publish.reason})`);
  if (topic.keyArn) {
    const key = model.keys.find((k) => k.arn === topic.keyArn);
    if (!key) {
      const problem = /alias\/aws\/sns$/.test(topic.keyArn)
        ? `topic ${topic.name} is encrypted with the AWS managed key aws/sns, which ${svc.principal} cannot use`
        : `topic ${topic.name} key ${topic.keyArn} is not in the app: its policy cannot be read`;
      return { ok: false, undecidable: !/alias\/aws\/sns$/.test(topic.keyArn), path, problem };
    }
    const context = svc.keyContext === 'source' ? sourceContext : {};
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const r = evaluate({ principal, action, resource: key.arn, resourceAccount: model.env.account, context }, { resourcePolicy: key.policy, resourcePolicyKind: 'kms-key' });
      if (r.decision === 'Undecidable') return { ok: false, undecidable: true, path, problem: `key ${key.logicalId}: ${r.reason}` };
      if (!r.allowed) return { ok: false, undecidable: false, path, problem: `key ${key.stack}/${key.logicalId} of topic ${topic.name} refuses ${action} to ${svc.principal} (${svc.note}): ${r.reason}` };
    }
    path.push(`key ${key.stack}/${key.logicalId} admits ${svc.principal} for kms:GenerateDataKey and kms:Decrypt (${svc.note})`);
  }
  const subs = topic.subscriptions.filter((s) => !s.filtered);
  if (subs.length === 0) {
    return { ok: false, undecidable: false, path, problem: `topic ${topic.name} has no subscription${topic.subscriptions.length ? ' without a filter policy' : ''}: the alert reaches nobody` };
  }
  path.push(`subscribed: ${subs.map((s) => `${s.protocol}:${s.endpoint}`).join(', ')}`);
  return { ok: true, undecidable: false, path };
}

function defaultTopicPolicy(topicArn: string, account: string): NamedPolicy {
  // SNS's default policy admits only principals of the owner account.
  return { name: `${topicArn} default topic policy`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: topicArn, Condition: { StringEquals: { 'AWS:SourceOwner': account } } }] } };
}

/** Every alarm and rule that fires on the persona's call, with its delivery proven (or why not). */
export function detect(model: AppModel, evaluate: Evaluate, persona: Persona, event: TrailEvent, network: CallNetwork): DetectionOutcome {
  const detections: Detection[] = [];
  const broken: string[] = [];
  const undecidable: string[] = [];
  const record = cloudTrailRecord(model, persona, event, network);
  const recording = model.trails.filter((t) => (t.multiRegion || t.region === model.env.region) && trailRecords(t, event));
  if (recording.length === 0) return { detections, broken: model.trails.length ? [`no trail records ${event.eventSource} ${event.eventName} (${event.category.toLowerCase()} event)`] : ['the app has no trail'], undecidable };

  // Metric filters on the log groups the recording trails deliver to.
  for (const trail of recording) {
    if (!trail.logGroupArn) continue;
    const group = logGroupNameOf(trail.logGroupArn);
    for (const f of model.metricFilters.filter((x) => x.logGroupName === group)) {
      let hit: boolean;
      try {
        hit = filterMatches(f.pattern, record);
      } catch (e) {
        if (e instanceof FilterPatternError) undecidable.push(`${f.stack}/${f.logicalId}: ${e.message}`);
        continue;
      }
      if (!hit) continue;
      for (const m of f.metrics) {
        for (const a of model.alarms.filter((x) => x.metricName === m.name && x.namespace === m.namespace)) {
          if (!a.actionsEnabled || !alarmFires(a)) {
            broken.push(`alarm ${a.name} counts it but ${a.actionsEnabled ? `does not fire on one event (${a.comparison} ${a.threshold})` : 'has its actions disabled'}`);
            continue;
          }
          const topics = a.actions.filter((x) => x.startsWith('arn:') && x.includes(':sns:'));
          if (topics.length === 0) broken.push(`alarm ${a.name} fires but notifies no topic`);
          for (const t of topics) {
            const d = deliveryCached(model, evaluate, 'cloudwatch', a.arn, t);
            const head = [`trail ${trail.name} records ${event.eventName}`, `metric filter ${f.stack}/${f.logicalId} on ${group} matches`, `alarm ${a.name} fires`];
            if (d.ok) detections.push({ kind: 'alarm', name: a.name, arn: a.arn, topic: t, path: [...head, ...d.path] });
            else (d.undecidable ? undecidable : broken).push(`alarm ${a.name}: ${d.problem}`);
          }
        }
      }
    }
  }

  // EventBridge: write management events and recorded data events reach the default bus when a trail records them.
  if (!event.readOnly || event.category === 'Data') {
    const ebEvent = eventBridgeEvent(model, record, event);
    for (const rule of model.rules as readonly RuleModel[]) {
      if (!rule.enabled || rule.pattern === undefined || rule.eventBus !== 'default' || rule.region !== model.env.region) continue;
      let hit: boolean;
      try {
        hit = eventMatches(rule.pattern, ebEvent);
      } catch (e) {
        if (e instanceof EventPatternError) undecidable.push(`rule ${rule.name}: ${e.message}`);
        continue;
      }
      if (!hit) continue;
      for (const t of rule.targets.filter((x) => x.includes(':sns:'))) {
        const d = deliveryCached(model, evaluate, 'events', rule.arn, t);
        if (d.ok) detections.push({ kind: 'rule', name: rule.name, arn: rule.arn, topic: t, path: [`EventBridge rule ${rule.name} matches`, ...d.path] });
        else (d.undecidable ? undecidable : broken).push(`rule ${rule.name}: ${d.problem}`);
      }
    }
  }
  return { detections, broken, undecidable };
}
