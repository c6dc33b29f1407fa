import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, str } from '../common';

const PUBLIC_ACLS = new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead']);

/** S3 buckets do not grant everyone through a canned ACL. */
export function S3BucketNoPublicAcl(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const acl = str(ix.props(node).AccessControl, 'AccessControl');
  return compliantIf(acl === undefined || !PUBLIC_ACLS.has(acl));
}

export const S3BucketNoPublicAclMeta: RuleMetadata = {
  ruleName: 'S3BucketNoPublicAcl',
  controlIds: ['DATA-PUBLIC'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-3'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket grants everyone (or every AWS user) access through a canned ACL.',
  explanation: 'Lesson L5 (stolen PII is unreadable): a PublicRead, PublicReadWrite or AuthenticatedRead ACL hands the data to anyone on the internet.',
  fix: 'Remove accessControl and set objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED, which disables ACLs (PiiBucket does); grant access through IAM.',
};
