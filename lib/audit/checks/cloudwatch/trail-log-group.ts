import { defineCheck } from '../check';
import { loggingSettings } from '../cloudtrail/scope';
import { forEachTrailLogGroup } from './trail-log-groups';

/** LOG-ALARMS live: the trail's log group exists, keeps events long enough and is KMS-encrypted. */
export default defineCheck({
  id: 'cloudwatch-trail-log-group',
  controlId: 'LOG-ALARMS',
  title: 'The trail log group exists with its retention and KMS key',
  severity: 'error',
  remediation: 'aws logs put-retention-policy --log-group-name <group> --retention-in-days <configured days>; aws logs associate-kms-key --log-group-name <group> --kms-key-id <key>; recreate a deleted group by redeploying the logging stack.',
}, (s, settings, emit) => {
  const min = loggingSettings(settings).minLogRetentionDays;
  forEachTrailLogGroup(s, emit, (l, d, group, resource) => {
    if (!l.logGroups.ok) return emit.error(resource, l.logGroups.failure);
    const g = l.logGroups.value.find((x) => x.name === group);
    if (!g) return emit.fail(resource, `log group ${group} of trail ${d.trail.name} does not exist`);
    const faults: string[] = [];
    if (g.retentionDays !== undefined && g.retentionDays < min) faults.push(`keeps events ${g.retentionDays} days, under ${min}`);
    if (!g.kmsKeyId) faults.push('is not encrypted with a KMS key');
    if (faults.length > 0) return emit.fail(resource, `log group ${group} of trail ${d.trail.name} ${faults.join(' and ')}`);
    emit.pass(resource, `log group ${group} keeps events ${g.retentionDays ?? 'forever'}${g.retentionDays ? ' days' : ''}, encrypted with ${g.kmsKeyId}`);
  });
});
