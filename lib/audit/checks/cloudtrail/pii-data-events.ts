import { DataEventSelector, TrailDetail } from '../../logging-types';
import { defineCheck } from '../check';
import { forEachLoggingRegion, regionResource, trailDetails } from './scope';

/** The data-event resource type and the ARN the selector prefixes must cover, for a tagged PII resource. */
export function dataEventTarget(arn: string): { type: string; arn: string } | undefined {
  if (/^arn:[^:]+:s3:::[^/]+$/.test(arn)) return { type: 'AWS::S3::Object', arn: `${arn}/` };
  if (/^arn:[^:]+:dynamodb:[^:]+:\d+:table\/[^/]+$/.test(arn)) return { type: 'AWS::DynamoDB::Table', arn };
  return undefined;
}

const covers = (sel: DataEventSelector, type: string, arn: string): boolean =>
  sel.resourceType === type && (sel.arnPrefixes.length === 0 || sel.arnPrefixes.some((p) => arn.startsWith(p)));

/** Read and write data events of `arn` logged by the trail (one selector of All, or a ReadOnly and a WriteOnly one). */
export function logsDataEvents(selectors: readonly DataEventSelector[], type: string, arn: string): boolean {
  const m = selectors.filter((sel) => covers(sel, type, arn)).map((sel) => sel.readWrite);
  return m.includes('All') || (m.includes('ReadOnly') && m.includes('WriteOnly'));
}

/**
 * LOG-TRAIL live: every bucket and table tagged `hardening:data-class` has its read and write data
 * events logged by a trail that is logging and covers its region.
 */
export default defineCheck({
  id: 'cloudtrail-pii-data-events',
  controlId: 'LOG-TRAIL',
  title: 'Data events of every PII bucket and table are logged',
  severity: 'error',
  remediation: 'aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors for eventCategory=Data, resources.type AWS::S3::Object / AWS::DynamoDB::Table, resources.ARN the PII bucket (arn:aws:s3:::<bucket>/) and table.',
}, (s, _settings, emit) => {
  const scope = (region: string) => regionResource(s, 'cloudtrail', 'AWS::CloudTrail::Trail', region, 'trail/*');
  forEachLoggingRegion(s, emit, scope, 'tag:GetResources', (l, all) => {
    if (!l.piiResources.ok) return emit.error(scope(l.region), l.piiResources.failure);
    if (l.piiResources.value.length === 0) return emit.pass(scope(l.region), `no bucket or table tagged as PII in ${l.region}`);
    if (!l.trails.ok) return emit.error(scope(l.region), l.trails.failure);
    const details = trailDetails(all);
    const trails: TrailDetail[] = l.trails.value.map((t) => details.get(t.arn)).filter((d): d is TrailDetail => d !== undefined);
    for (const arn of l.piiResources.value) {
      const resource = { ...scope(l.region), id: arn, type: arn.includes(':s3:') ? 'AWS::S3::Bucket' : 'AWS::DynamoDB::Table' };
      const target = dataEventTarget(arn);
      if (!target) {
        emit.cannotVerify(resource, `'${arn}' is neither a bucket nor a table ARN`);
        continue;
      }
      const logging = trails.filter((d) => d.status.ok && d.status.value.isLogging);
      const by = logging.find((d) => d.dataEvents.ok && logsDataEvents(d.dataEvents.value, target.type, target.arn));
      if (by) {
        emit.pass(resource, `data events of ${arn} logged by trail ${by.trail.name}`);
        continue;
      }
      const hidden = trails.find((d) => !d.status.ok) ?? trails.find((d) => !d.dataEvents.ok);
      if (hidden) {
        const f = !hidden.status.ok ? hidden.status.failure : !hidden.dataEvents.ok ? hidden.dataEvents.failure : undefined;
        if (f) {
          emit.error(resource, f);
          continue;
        }
      }
      emit.fail(resource, `no logging trail records the read and write data events of PII ${arn} (${target.type})`);
    }
  });
});
