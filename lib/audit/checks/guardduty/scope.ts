import { AccountSnapshot, GuardDutyDetector, GuardDutyRegionSnapshot } from '../../types';
import { Emit, detectorResource } from '../check';

/**
 * Runs `fn` for every audited region, after the common outcomes: the region list could not be read
 * (one ERROR), a region missing from the snapshot (ERROR: never a silent skip), detectors not
 * listable (ERROR), no detector or an unreadable one (FAIL / ERROR, when `needDetector`).
 */
export function forEachRegion(
  s: AccountSnapshot,
  emit: Emit,
  fn: (g: GuardDutyRegionSnapshot, detector: GuardDutyDetector | undefined) => void,
  needDetector = true,
): void {
  if (!s.regions.ok) return emit.error(detectorResource(s, '*'), s.regions.failure);
  const byRegion = new Map(s.guardduty.map((g) => [g.region, g]));
  for (const region of s.regions.value) {
    const r = detectorResource(s, region);
    const g = byRegion.get(region);
    if (!g) {
      emit.error(r, { action: 'guardduty:ListDetectors', kind: 'error', message: `region ${region} was not collected` });
      continue;
    }
    if (!g.detectorIds.ok) {
      emit.error(r, g.detectorIds.failure);
      continue;
    }
    if (g.detectorIds.value.length === 0 || g.detector === undefined) {
      if (needDetector) emit.fail(r, `no GuardDuty detector in ${region}`);
      else fn(g, undefined);
      continue;
    }
    if (!g.detector.ok) {
      emit.error(r, g.detector.failure);
      continue;
    }
    if (needDetector && g.detector.value.status !== 'ENABLED') {
      emit.fail(r, `GuardDuty detector ${g.detector.value.id} in ${region} is ${g.detector.value.status}`);
      continue;
    }
    fn(g, g.detector.value);
  }
}
