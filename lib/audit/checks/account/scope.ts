import { FindingResource } from '../../../findings';
import { AccountRegionSnapshot, AccountSnapshot, ApiFailure, Collected } from '../../types';
import { Emit } from '../check';

/**
 * Runs `fn` with one collected value of every audited region, after the common outcomes: the region
 * list could not be read (one ERROR), the account-level settings were not collected or a region is
 * missing (ERROR: never a silent skip), the value's call failed (ERROR naming the action).
 */
export function forEachAccountRegion<T>(
  s: AccountSnapshot,
  emit: Emit,
  resource: (region: string) => FindingResource,
  action: string,
  pick: (r: AccountRegionSnapshot) => Collected<T>,
  fn: (region: string, value: T) => void,
): void {
  if (!s.regions.ok) return emit.error(resource('*'), s.regions.failure);
  const byRegion = new Map((s.accountRegions ?? []).map((r) => [r.region, r]));
  for (const region of s.regions.value) {
    const r = byRegion.get(region);
    if (!r) {
      const failure: ApiFailure = { action, kind: 'error', message: `region ${region} was not collected` };
      emit.error(resource(region), failure);
      continue;
    }
    const v = pick(r);
    if (!v.ok) emit.error(resource(region), v.failure);
    else fn(region, v.value);
  }
}
