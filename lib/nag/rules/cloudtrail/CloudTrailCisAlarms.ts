import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, cannotVerify, joinLiteral, list, obj, str } from '../common';
import { CIS_ITEMS, cisItemsOf } from './cis-events';

interface Monitoring {
  /** Per log group (resource or literal name): the metrics (namespace NUL name) each CIS item is counted in. */
  readonly filters: Map<CfnResource | string, Map<string, Set<string>>>;
  /** Metrics with at least one alarm that has an enabled action. */
  readonly alarmed: Set<string>;
  /** Metrics whose alarms have no action. */
  readonly silent: Set<string>;
  readonly unresolved: string[];
}

const metricKey = (ns: unknown, name: unknown): string => `${str(ns, 'metric namespace')}\u0000${str(name, 'metric name')}`;

/** Metric filters by log group and alarmed metrics, built once per validation. */
function monitoring(ix: ResourceIndex): Monitoring {
  return ix.memo('cisMonitoring', () => {
    const m: Monitoring = { filters: new Map(), alarmed: new Set(), silent: new Set(), unresolved: [] };
    const guard = (f: () => void) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof CannotVerify)) throw e;
        m.unresolved.push(e.message);
      }
    };
    for (const filter of ix.ofType('AWS::Logs::MetricFilter')) {
      guard(() => {
        const p = ix.props(filter);
        const t = ix.propTarget(filter, 'LogGroupName');
        const group = t.kind === 'resource' ? t.node : t.kind === 'literal' ? t.value : cannotVerify('the metric filter log group', p.LogGroupName);
        const items = cisItemsOf(str(p.FilterPattern, 'FilterPattern') ?? '');
        if (items.length === 0) return;
        const byItem = m.filters.get(group) ?? new Map<string, Set<string>>();
        m.filters.set(group, byItem);
        for (const tr of list(p.MetricTransformations, 'MetricTransformations')) {
          const o = obj(tr, 'metric transformation')!;
          const k = metricKey(o.MetricNamespace, o.MetricName);
          for (const i of items) (byItem.get(i) ?? byItem.set(i, new Set()).get(i)!).add(k);
        }
      });
    }
    for (const alarm of ix.ofType('AWS::CloudWatch::Alarm')) {
      guard(() => {
        const p = ix.props(alarm);
        const keys: string[] = [];
        if (p.MetricName !== undefined) keys.push(metricKey(p.Namespace, p.MetricName));
        for (const q of list(p.Metrics, 'Metrics')) {
          const metric = obj(obj(obj(q, 'metric query')!.MetricStat, 'MetricStat')?.Metric, 'MetricStat.Metric');
          if (metric) keys.push(metricKey(metric.Namespace, metric.MetricName));
        }
        const acts = bool(p.ActionsEnabled, 'ActionsEnabled') !== false && list(p.AlarmActions, 'AlarmActions').length > 0;
        for (const k of keys) (acts ? m.alarmed : m.silent).add(k);
      });
    }
    return m;
  });
}

/** The keys the trail's log group is known by: the resource and its literal name, or a literal name from the ARN. */
function groupKeys(ix: ResourceIndex, trail: CfnResource, arn: unknown): (CfnResource | string)[] {
  const t = ix.deref(trail, arn);
  if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::Logs::LogGroup') {
    const name = ix.props(t.node).LogGroupName;
    return typeof name === 'string' ? [t.node, name] : [t.node];
  }
  const s = t.kind === 'literal' ? t.value : joinLiteral(arn);
  const m = s === undefined ? null : /:log-group:([^:*]+)(:\*)?$/.exec(s);
  return m ? [m[1]] : cannotVerify('the trail log group', arn);
}

/**
 * A multi-region trail delivering to CloudWatch Logs has metric filters on its log group for each of
 * CIS 4.1-4.15, recognized by the events they match, and each filter's metric has an alarm with an action.
 */
export function CloudTrailCisAlarms(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  if (bool(p.IsMultiRegionTrail, 'IsMultiRegionTrail') !== true || p.CloudWatchLogsLogGroupArn === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const m = monitoring(ix);
  const byItem = new Map<string, Set<string>>();
  for (const k of groupKeys(ix, node, p.CloudWatchLogsLogGroupArn)) {
    for (const [item, metrics] of m.filters.get(k) ?? []) for (const x of metrics) (byItem.get(item) ?? byItem.set(item, new Set()).get(item)!).add(x);
  }
  const noFilter: string[] = [];
  const noAction: string[] = [];
  for (const item of CIS_ITEMS) {
    const metrics = [...(byItem.get(item.cis) ?? [])];
    if (metrics.length === 0) noFilter.push(`${item.cis} (${item.title})`);
    else if (!metrics.some((x) => m.alarmed.has(x))) noAction.push(`${item.cis} (${item.title})`);
  }
  if (noFilter.length === 0 && noAction.length === 0) return NagRuleCompliance.COMPLIANT;
  if (m.unresolved.length > 0) throw new CannotVerify(m.unresolved[0]);
  return [
    ...(noFilter.length > 0 ? [`no metric filter on the trail log group for CIS ${noFilter.join(', ')}`] : []),
    ...(noAction.length > 0 ? [`no alarm with an action on the metric of CIS ${noAction.join(', ')}`] : []),
  ];
}

export const CloudTrailCisAlarmsMeta: RuleMetadata = {
  ruleName: 'CloudTrailCisAlarms',
  controlIds: ['LOG-ALARMS'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.14(b)', 'cis-aws:4.1', 'cis-aws:4.2', 'cis-aws:4.3', 'cis-aws:4.4', 'cis-aws:4.5', 'cis-aws:4.6', 'cis-aws:4.7', 'cis-aws:4.8', 'cis-aws:4.9', 'cis-aws:4.10', 'cis-aws:4.11', 'cis-aws:4.12', 'cis-aws:4.13', 'cis-aws:4.14', 'cis-aws:4.15', 'nist-800-53:AU-6', 'nist-800-53:SI-4'],
  level: 'warning',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  info: 'The multi-region trail\'s log group lacks a CIS 4.1-4.15 metric filter, or its metric has no alarm with an action.',
  explanation: 'Lesson L7 (dwell time is short): the trail records root use, console sign-ins without MFA, policy, trail, key and network changes, but nobody reads it in time; a metric filter and an alarm per CIS 4.x event turn the record into a page within minutes.',
  fix: 'Add a metric filter per CIS 4.1-4.15 item on the trail\'s log group and an alarm on each metric with an SNS action to the alert topic (CisAlarms does all fifteen).',
};
