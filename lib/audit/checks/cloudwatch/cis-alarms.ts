import { CIS_ITEMS, cisItemsOf } from '../../../nag/rules/cloudtrail/cis-events';
import { AlarmSummary, MetricFilterSummary } from '../../logging-types';
import { defineCheck } from '../check';
import { forEachTrailLogGroup } from './trail-log-groups';

/** Why one CIS item is not watched, or undefined when a filter feeds an alarm that notifies an existing topic. */
export function cisItemFault(
  cis: string, filters: readonly MetricFilterSummary[], alarms: readonly AlarmSummary[], topics: ReadonlySet<string>,
): string | undefined {
  const matching = filters.filter((f) => cisItemsOf(f.pattern).includes(cis));
  if (matching.length === 0) return 'no metric filter';
  const metrics = new Set(matching.flatMap((f) => f.metrics));
  const watching = alarms.filter((a) => a.metric !== undefined && metrics.has(a.metric));
  if (watching.length === 0) return `no alarm on ${[...metrics].join(', ')} (filter ${matching.map((f) => f.name).join(', ')})`;
  if (watching.some((a) => a.actionsEnabled && a.alarmActions.some((x) => topics.has(x)))) return undefined;
  return watching.map((a) => (!a.actionsEnabled ? `alarm ${a.name} has its actions disabled`
    : a.alarmActions.length === 0 ? `alarm ${a.name} has no alarm action`
      : `alarm ${a.name} notifies no existing topic (${a.alarmActions.join(', ')})`)).join('; ');
}

/**
 * LOG-ALARMS live: on the log group of every multi-region trail, each CIS AWS 4.1-4.15 item has a
 * metric filter (recognized by the events it matches, as the pack does) whose metric has an alarm
 * with actions enabled notifying a topic that exists.
 */
export default defineCheck({
  id: 'cloudwatch-cis-alarms',
  controlId: 'LOG-ALARMS',
  title: 'Every CIS 4.1-4.15 metric filter exists on the trail log group with an alarm notifying an existing topic',
  severity: 'error',
  remediation: 'Redeploy the logging stack (CisAlarms) or recreate the missing filters and alarms: aws logs put-metric-filter on the trail log group, aws cloudwatch put-metric-alarm --alarm-actions <alert topic> (enable-alarm-actions when disabled); then find who removed them.',
}, (s, _settings, emit) => {
  forEachTrailLogGroup(s, emit, (l, d, group, resource) => {
    if (!l.metricFilters.ok) return emit.error(resource, l.metricFilters.failure);
    if (!l.alarms.ok) return emit.error(resource, l.alarms.failure);
    if (!l.topics.ok) return emit.error(resource, l.topics.failure);
    const filters = l.metricFilters.value.filter((f) => f.logGroupName === group);
    const topics = new Set(l.topics.value);
    const alarms = l.alarms.value;
    const faults = CIS_ITEMS.map((i) => ({ i, fault: cisItemFault(i.cis, filters, alarms, topics) })).filter((x) => x.fault);
    if (faults.length === 0) return emit.pass(resource, `all ${CIS_ITEMS.length} CIS 4.x items watched on ${group} (trail ${d.trail.name})`);
    emit.fail(resource, `log group ${group} of trail ${d.trail.name}: ${faults.map((x) => `CIS ${x.i.cis} ${x.i.title}: ${x.fault}`).join('; ')}`);
  });
});
