import { ApiFailure } from '../../types';
import { defineCheck } from '../check';
import { forEachLoggingRegion, loggingSettings, regionResource, trailDetails } from './scope';
import { trailProblems } from './trail-problems';

/**
 * LOG-TRAIL live: every audited region is covered by a multi-region trail that is logging
 * (GetTrailStatus), validates log files, is KMS-encrypted, includes global service events and
 * delivered to CloudWatch Logs recently without error.
 */
export default defineCheck({
  id: 'cloudtrail-multi-region-logging',
  controlId: 'LOG-TRAIL',
  title: 'A multi-region CloudTrail is logging, validated, encrypted and delivering to CloudWatch Logs',
  severity: 'error',
  remediation: 'aws cloudtrail start-logging --name <trail>; update-trail --is-multi-region-trail --include-global-service-events --enable-log-file-validation --kms-key-id <key> --cloud-watch-logs-log-group-arn <group> --cloud-watch-logs-role-arn <role>; then find who stopped or changed it (CloudTrail StopLogging/UpdateTrail events).',
}, (s, settings, emit) => {
  const cfg = loggingSettings(settings);
  const scope = (region: string) => regionResource(s, 'cloudtrail', 'AWS::CloudTrail::Trail', region, 'trail/*');
  forEachLoggingRegion(s, emit, scope, 'cloudtrail:DescribeTrails', (l, all) => {
    if (!l.trails.ok) return emit.error(scope(l.region), l.trails.failure);
    const details = trailDetails(all);
    const candidates = l.trails.value.filter((t) => t.multiRegion);
    if (candidates.length === 0) return emit.fail(scope(l.region), `no multi-region trail covers ${l.region}`);
    const faults: string[] = [];
    let hidden: { arn: string; failure: ApiFailure } | undefined;
    for (const t of candidates) {
      const d = details.get(t.arn);
      if (!d) {
        hidden ??= { arn: t.arn, failure: { action: 'cloudtrail:GetTrailStatus', kind: 'error', message: `trail ${t.name} has its home region ${t.homeRegion} outside the audited regions` } };
        continue;
      }
      const p = trailProblems(d, settings.now, cfg.deliveryMaxAgeHours);
      if (!Array.isArray(p)) {
        hidden ??= { arn: t.arn, failure: p };
        continue;
      }
      if (p.length === 0) {
        const at = d.status.ok ? d.status.value.latestCloudWatchLogsDeliveryTime : undefined;
        return emit.pass({ ...scope(l.region), id: t.arn }, `trail ${t.name} covers ${l.region}: multi-region, logging, validated, KMS-encrypted, global events, delivered to CloudWatch Logs at ${at}`);
      }
      faults.push(`trail ${t.name} ${p.join('; ')}`);
    }
    if (hidden) return emit.error({ ...scope(l.region), id: hidden.arn }, hidden.failure);
    emit.fail({ ...scope(l.region), id: candidates[0].arn }, `no multi-region trail covering ${l.region} is sound: ${faults.join(' | ')}`);
  });
});
