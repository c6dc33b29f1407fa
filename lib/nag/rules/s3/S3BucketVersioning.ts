import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, obj, str } from '../common';

/** S3 buckets keep versions, so an overwrite or delete can be undone. */
export function S3BucketVersioning(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const v = obj(ix.props(node).VersioningConfiguration, 'VersioningConfiguration');
  return compliantIf(str(v?.Status, 'VersioningConfiguration.Status') === 'Enabled');
}

export const S3BucketVersioningMeta: RuleMetadata = {
  ruleName: 'S3BucketVersioning',
  controlIds: ['BAK-RETAIN'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket does not have versioning enabled.',
  explanation: 'Lesson L8 (recovery without paying): ransomware overwrites or deletes objects; with versioning the previous versions survive and recovery needs no ransom.',
  fix: 'Set versioned: true (VersioningConfiguration Status Enabled); PiiBucket does this.',
};
