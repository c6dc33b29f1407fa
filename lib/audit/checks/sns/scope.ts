import { FindingResource } from '../../../findings';
import { LoggingRegionSnapshot } from '../../logging-types';
import { AccountSnapshot, ApiFailure } from '../../types';
import { Emit } from '../check';
import { notCollected } from '../cloudtrail/scope';

/**
 * Runs `fn` over every audited region's detection path; `fn` emits per resource and says how many it
 * found (or the failure that hid them). None found in any region, with every region read, is one FAIL:
 * the alert path is gone. A region not collected or unreadable is ERROR.
 */
export function forEachAlertRegion(
  s: AccountSnapshot, emit: Emit, scope: (region: string) => FindingResource, action: string, what: string,
  fn: (l: LoggingRegionSnapshot) => { count: number } | { error: ApiFailure },
): void {
  if (!s.regions.ok) return emit.error(scope('*'), s.regions.failure);
  const byRegion = new Map((s.logging ?? []).map((l) => [l.region, l]));
  let found = 0;
  let unread = false;
  for (const region of s.regions.value) {
    const l = byRegion.get(region);
    if (!l) {
      emit.error(scope(region), notCollected(action, region));
      unread = true;
      continue;
    }
    const r = fn(l);
    if ('error' in r) {
      emit.error(scope(region), r.error);
      unread = true;
    } else {
      found += r.count;
    }
  }
  if (found === 0 && !unread) emit.fail(scope('*'), `no ${what} in any audited region (${s.regions.value.join(', ')})`);
}
