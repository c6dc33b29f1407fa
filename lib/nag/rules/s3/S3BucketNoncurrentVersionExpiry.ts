import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, list, num, obj, str } from '../common';
import { isPiiBucket } from './pii';

/** The longest a noncurrent version of personal data may be kept (GLBA 314.4(c)(6): two years). */
export const MAX_NONCURRENT_DAYS = 730;

/** What narrows a lifecycle rule to part of the bucket, or undefined when it covers every object. */
function partialScope(r: Record<string, unknown>): string | undefined {
  const prefix = str(r.Prefix, 'lifecycle rule Prefix');
  if (prefix) return `prefix '${prefix}'`;
  if (list(r.TagFilters, 'lifecycle rule TagFilters').length > 0) return 'tag filters';
  if (r.ObjectSizeGreaterThan !== undefined || r.ObjectSizeLessThan !== undefined) return 'an object size filter';
  return undefined;
}

/** PII buckets (tagged hardening:data-class) expire noncurrent versions within 730 days. */
export function S3BucketNoncurrentVersionExpiry(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isPiiBucket(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = list(obj(ix.props(node).LifecycleConfiguration, 'LifecycleConfiguration')?.Rules, 'lifecycle rules');
  const out: string[] = [];
  for (const raw of rules) {
    const r = obj(raw, 'lifecycle rule')!;
    if (str(r.Status, 'lifecycle rule Status') !== 'Enabled') continue;
    const nve = obj(r.NoncurrentVersionExpiration, 'NoncurrentVersionExpiration');
    const days = num(nve?.NoncurrentDays, 'NoncurrentDays') ?? num(r.NoncurrentVersionExpirationInDays, 'NoncurrentVersionExpirationInDays');
    if (days === undefined) continue;
    const name = typeof r.Id === 'string' ? `rule '${r.Id}'` : 'a rule';
    const scope = partialScope(r);
    const kept = num(nve?.NewerNoncurrentVersions, 'NewerNoncurrentVersions');
    if (scope) out.push(`${name} expires noncurrent versions only under ${scope}`);
    else if (kept !== undefined && kept > 0) out.push(`${name} keeps the ${kept} newest noncurrent versions without limit`);
    else if (days > MAX_NONCURRENT_DAYS) out.push(`${name} keeps noncurrent versions ${days} days (more than ${MAX_NONCURRENT_DAYS})`);
    else return NagRuleCompliance.COMPLIANT;
  }
  return out.length > 0 ? out : ['no enabled lifecycle rule expires noncurrent versions'];
}

export const S3BucketNoncurrentVersionExpiryMeta: RuleMetadata = {
  ruleName: 'S3BucketNoncurrentVersionExpiry',
  controlIds: ['DISPOSAL'],
  cites: ['glba:314.4(c)(6)', 'nydfs-500:500.13', 'nist-800-53:SI-12'],
  level: 'warning',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The PII bucket has no lifecycle rule expiring noncurrent versions of every object within 730 days.',
  explanation: 'Lesson L10 (keep only what you must): overwritten and deleted customer records live on as noncurrent versions; data kept beyond need is data an intruder can still steal (GLBA 314.4(c)(6): dispose no later than two years after last use).',
  fix: 'Add a lifecycle rule on the whole bucket with noncurrentVersionExpiration: Duration.days(n), n <= 730 (PiiBucket does this with 365 days), and no newerNoncurrentVersions.',
};
