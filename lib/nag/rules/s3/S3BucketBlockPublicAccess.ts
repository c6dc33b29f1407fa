import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { bool, obj, reasons, NagRuleResult } from '../common';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/** S3 buckets turn on all four block-public-access settings. */
export function S3BucketBlockPublicAccess(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const c = obj(ix.props(node).PublicAccessBlockConfiguration, 'PublicAccessBlockConfiguration') ?? {};
  return reasons(SETTINGS.filter((s) => bool(c[s], s) !== true).map((s) => `${s} is not true`));
}

export const S3BucketBlockPublicAccessMeta: RuleMetadata = {
  ruleName: 'S3BucketBlockPublicAccess',
  controlIds: ['DATA-PUBLIC'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-3', 'aws-fsbp:S3.8'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket does not turn on all four block-public-access settings.',
  explanation: 'Lesson L5 (stolen PII is unreadable): one public ACL or policy exposes every customer record in the bucket; block public access makes that mistake impossible.',
  fix: 'Use PiiBucket (or AccessLogBucket for access logs), or set blockPublicAccess: BlockPublicAccess.BLOCK_ALL (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true).',
};
