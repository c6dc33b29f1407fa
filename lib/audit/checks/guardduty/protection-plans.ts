import { defineCheck, detectorResource } from '../check';
import { forEachRegion } from './scope';
import { GUARDDUTY_PLAN_NAMES } from '../../../lessons';

/** The protection plans (GuardDuty feature names) every detector must have enabled. */
/** The plans every detector must enable: the catalogue's list, the one the detector construct enables. */
export const REQUIRED_FEATURES = GUARDDUTY_PLAN_NAMES;

/** Every protection plan is enabled on every detector. */
export default defineCheck({
  id: 'guardduty-protection-plans',
  controlId: 'GD-ENABLED',
  title: 'Every GuardDuty protection plan enabled',
  severity: 'warning',
  remediation: 'aws guardduty update-detector --detector-id <id> --features Name=S3_DATA_EVENTS,Status=ENABLED ... for every missing plan (or enable them from the delegated administrator for all members).',
}, (s, _settings, emit) => {
  forEachRegion(s, emit, (g, d) => {
    const status = new Map((d?.features ?? []).map((f) => [f.name, f.status]));
    const missing = REQUIRED_FEATURES.filter((f) => status.get(f) !== 'ENABLED');
    const r = detectorResource(s, g.region);
    if (missing.length > 0) {
      emit.fail(r, `protection plans not enabled in ${g.region}: ${missing.map((m) => `${m} (${status.get(m) ?? 'absent'})`).join(', ')}`);
    } else {
      emit.pass(r, `all ${REQUIRED_FEATURES.length} protection plans enabled in ${g.region}`);
    }
  });
});
