import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, compliantIf } from '../common';
import { isClusterMember } from '../ec2/network';

/** RDS instances and clusters have deletion protection. */
export function RDSDeletionProtection(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(bool(ix.props(node).DeletionProtection, 'DeletionProtection') === true);
}

export const RDSDeletionProtectionMeta: RuleMetadata = {
  ruleName: 'RDSDeletionProtection',
  controlIds: ['BAK-RETAIN'],
  cites: ['nydfs-500:500.16', 'aws-fsbp:RDS.8'],
  level: 'error',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  info: 'The RDS instance or cluster does not have deletion protection.',
  explanation: 'Lesson L8 (recovery without paying): destroying the database is a ransomware move (T1485); deletion protection makes it a deliberate, logged two-step act.',
  fix: 'Set deletionProtection: true.',
};
