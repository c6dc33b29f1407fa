import { TrailDetail } from '../../logging-types';
import { ApiFailure } from '../../types';

/** What is wrong with a trail for LOG-TRAIL: a list of faults, or the failure that hid its status. */
export function trailProblems(d: TrailDetail, now: Date, deliveryMaxAgeHours: number): string[] | ApiFailure {
  if (!d.status.ok) return d.status.failure;
  const t = d.trail;
  const st = d.status.value;
  const out: string[] = [];
  if (!st.isLogging) out.push('is not logging (StopLogging)');
  if (!t.multiRegion) out.push('is not multi-region');
  if (!t.includeGlobalEvents) out.push('does not include global service events');
  if (!t.logFileValidation) out.push('has log file validation off');
  if (!t.kmsKeyId) out.push('is not encrypted with a KMS key');
  if (!t.logGroupArn) {
    out.push('delivers to no CloudWatch Logs log group');
  } else {
    if (st.latestCloudWatchLogsDeliveryError) out.push(`CloudWatch Logs delivery error '${st.latestCloudWatchLogsDeliveryError}'`);
    const at = st.latestCloudWatchLogsDeliveryTime;
    if (!at) out.push('has never delivered to CloudWatch Logs');
    else if (now.getTime() - Date.parse(at) > deliveryMaxAgeHours * 3_600_000) out.push(`last delivered to CloudWatch Logs at ${at}, more than ${deliveryMaxAgeHours} h ago`);
  }
  return out;
}
