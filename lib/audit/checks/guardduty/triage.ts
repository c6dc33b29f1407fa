import { ageHours, defineCheck, detectorResource } from '../check';
import { forEachRegion } from './scope';

/** No unarchived finding of severity >= 7 older than the triage window. */
export default defineCheck({
  id: 'guardduty-triage',
  controlId: 'GD-TRIAGE',
  title: 'No high-severity GuardDuty finding left untriaged',
  severity: 'error',
  remediation: 'Investigate each finding of severity 7 or more, respond per the incident response plan, then archive it (or add a justified suppression rule); route them to on-call people.',
}, (s, settings, emit) => {
  const cutoff = settings.now.getTime() - settings.triageHours * 3_600_000;
  forEachRegion(s, emit, (g) => {
    const r = detectorResource(s, g.region);
    const high = g.highSeverityFindings;
    if (high === undefined) {
      return emit.error(r, { action: 'guardduty:ListFindings', kind: 'error', message: `findings in ${g.region} were not collected` });
    }
    if (!high.ok) return emit.error(r, high.failure);
    const overdue = high.value.oldest.filter((f) => Date.parse(f.createdAt) < cutoff);
    if (overdue.length === 0) {
      return emit.pass(r, `${high.value.count} unarchived finding(s) of severity >= 7 in ${g.region}, none older than ${settings.triageHours} h`);
    }
    const sampleFull = overdue.length === high.value.oldest.length && high.value.count > high.value.oldest.length;
    const n = sampleFull ? `at least ${overdue.length}` : String(overdue.length);
    const oldest = overdue[0];
    emit.fail(r, `${n} unarchived finding(s) of severity >= 7 in ${g.region} older than ${settings.triageHours} h; oldest ${oldest.id}`
      + `${oldest.type ? ` (${oldest.type})` : ''}, severity ${oldest.severity}, ${ageHours(oldest.createdAt, settings.now)} h old`);
  });
});
