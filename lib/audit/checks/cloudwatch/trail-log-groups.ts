import { FindingResource } from '../../../findings';
import { parseLogGroupArn } from '../../logging-types';
import { LoggingRegionSnapshot, TrailDetail } from '../../logging-types';
import { AccountSnapshot } from '../../types';
import { Emit } from '../check';
import { notCollected, regionResource } from '../cloudtrail/scope';

export const logGroupResource = (s: AccountSnapshot, region: string, name: string): FindingResource => ({
  ...regionResource(s, 'logs', 'AWS::Logs::LogGroup', region, `log-group:${name}`),
});

/**
 * Runs `fn` for the log group of every multi-region trail collected in its home region. No such log
 * group anywhere is one FAIL (or ERROR when some region's trails could not be read).
 */
export function forEachTrailLogGroup(
  s: AccountSnapshot, emit: Emit,
  fn: (l: LoggingRegionSnapshot, d: TrailDetail, group: string, resource: FindingResource) => void,
): void {
  const account = regionResource(s, 'logs', 'AWS::Logs::LogGroup', '*', 'log-group:*');
  if (!s.regions.ok) return emit.error(account, s.regions.failure);
  if (!s.logging) return emit.error(account, notCollected('cloudtrail:DescribeTrails', '*'));
  let seen = 0;
  for (const l of s.logging) {
    for (const d of l.trailDetails) {
      if (!d.trail.multiRegion || !d.trail.logGroupArn) continue;
      const g = parseLogGroupArn(d.trail.logGroupArn);
      seen++;
      if (!g || g.region !== l.region) {
        emit.cannotVerify({ ...account, id: d.trail.logGroupArn, region: l.region }, `trail ${d.trail.name} delivers to '${d.trail.logGroupArn}', not a log group of its home region ${l.region}`);
        continue;
      }
      fn(l, d, g.name, logGroupResource(s, l.region, g.name));
    }
  }
  if (seen > 0) return;
  const unread = s.logging.find((l) => !l.trails.ok);
  if (unread && !unread.trails.ok) return emit.error({ ...account, region: unread.region }, unread.trails.failure);
  const missing = s.regions.value.find((r) => !s.logging!.some((l) => l.region === r));
  if (missing) return emit.error({ ...account, region: missing }, notCollected('cloudtrail:DescribeTrails', missing));
  emit.fail(account, 'no multi-region trail delivers to a CloudWatch Logs log group: there is nothing for the CIS metric filters to watch');
}
