import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, cannotVerify, num, obj, reasons, str } from '../common';

export const MIN_ARCHIVE_DAYS = 1095;

/** The bucket a trail writes to has object lock in compliance mode for at least three years. */
export function CloudTrailArchiveObjectLock(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const ref = ix.props(node).S3BucketName;
  // An organization trail names its archive in the log-archive account by its (globally unique) name.
  const bucket = ix.resourceOf(node, ref) ?? bucketNamed(ix, ref);
  if (!bucket || bucket.cfnResourceType !== 'AWS::S3::Bucket') return cannotVerify('the trail bucket (outside the app?)', ref);
  const p = ix.props(bucket);
  if (bool(p.ObjectLockEnabled, 'ObjectLockEnabled') !== true) return ['the trail bucket has no object lock'];
  const rule = obj(obj(p.ObjectLockConfiguration, 'ObjectLockConfiguration')?.Rule, 'ObjectLockConfiguration.Rule');
  const retention = obj(rule?.DefaultRetention, 'DefaultRetention');
  const out: string[] = [];
  if (str(retention?.Mode, 'DefaultRetention.Mode') !== 'COMPLIANCE') out.push('default retention is not COMPLIANCE mode');
  const days = (num(retention?.Days, 'DefaultRetention.Days') ?? 0) + 365 * (num(retention?.Years, 'DefaultRetention.Years') ?? 0);
  if (days < MIN_ARCHIVE_DAYS) out.push(`default retention ${days} days is under ${MIN_ARCHIVE_DAYS}`);
  return reasons(out);
}

/** The app's bucket whose literal BucketName is `name` (bucket names are global: at most one). */
function bucketNamed(ix: ResourceIndex, name: unknown): CfnResource | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const found = ix.ofType('AWS::S3::Bucket').filter((b) => ix.props(b).BucketName === name);
  return found.length === 1 ? found[0] : undefined;
}

export const CloudTrailArchiveObjectLockMeta: RuleMetadata = {
  ruleName: 'CloudTrailArchiveObjectLock',
  controlIds: ['LOG-ARCHIVE'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.6', 'nist-800-53:AU-9', 'nist-800-53:AU-11'],
  level: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  info: 'The trail bucket has no object lock in compliance mode with at least three years of retention.',
  explanation: 'Lesson L7 (dwell time is short): an intruder with administrator rights deletes the trail archive to erase the evidence; compliance-mode object lock makes that impossible for anyone (NYDFS 500.6: three years).',
  fix: 'Use SecureTrail (its archive bucket has object lock in compliance mode), or create the trail bucket with objectLockEnabled: true and objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(1095)).',
};
