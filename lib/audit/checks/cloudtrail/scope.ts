import { FindingResource } from '../../../findings';
import { DEFAULT_LOGGING_SETTINGS, LoggingRegionSnapshot, LoggingSettings, TrailDetail } from '../../logging-types';
import { AccountSnapshot, ApiFailure, CheckSettings } from '../../types';
import { Emit } from '../check';

export const loggingSettings = (s: CheckSettings): LoggingSettings => s.logging ?? DEFAULT_LOGGING_SETTINGS;

/** A region's scope when no single resource is at fault (`*`: the regions could not be listed). */
export const regionResource = (s: AccountSnapshot, service: string, type: string, region: string, what: string): FindingResource => ({
  id: `arn:${s.partition}:${service}:${region}:${s.account}:${what}`, type, account: s.account, region,
});

export const notCollected = (action: string, region: string): ApiFailure => ({ action, kind: 'error', message: `region ${region} was not collected` });

/**
 * Runs `fn` over the logging snapshot of every audited region, after the common outcomes: the region
 * list could not be read, or the detection path was not collected at all or not for a region (ERROR).
 */
export function forEachLoggingRegion(
  s: AccountSnapshot, emit: Emit, scope: (region: string) => FindingResource, action: string,
  fn: (l: LoggingRegionSnapshot, all: readonly LoggingRegionSnapshot[]) => void,
): void {
  if (!s.regions.ok) return emit.error(scope('*'), s.regions.failure);
  const all = s.logging ?? [];
  const byRegion = new Map(all.map((l) => [l.region, l]));
  for (const region of s.regions.value) {
    const l = byRegion.get(region);
    if (!l) emit.error(scope(region), notCollected(action, region));
    else fn(l, all);
  }
}

/** Every trail detail collected in its home region, by ARN. */
export function trailDetails(all: readonly LoggingRegionSnapshot[]): Map<string, TrailDetail> {
  return new Map(all.flatMap((l) => l.trailDetails.map((d) => [d.trail.arn, d] as const)));
}
