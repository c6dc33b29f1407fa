import { defineCheck, detectorResource } from '../check';
import { forEachRegion } from './scope';

/** An enabled GuardDuty detector in every audited region. */
export default defineCheck({
  id: 'guardduty-enabled',
  controlId: 'GD-ENABLED',
  title: 'GuardDuty enabled in every region',
  severity: 'error',
  remediation: 'Enable GuardDuty in the region (aws guardduty create-detector --enable, or update-detector --enable on the existing one), ideally from the delegated administrator with auto-enable for all members.',
}, (s, _settings, emit) => {
  forEachRegion(s, emit, (g, d) => {
    emit.pass(detectorResource(s, g.region), `GuardDuty detector ${d?.id} enabled in ${g.region}`);
  });
});
