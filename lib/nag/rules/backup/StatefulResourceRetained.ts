import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, compliantIf } from '../common';
import { isClusterMember } from '../ec2/network';
import { STATEFUL_TYPES } from './stateful';

const KEEPS_DATA = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);
const SNAPSHOT_TYPES = new Set(['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::EC2::Volume']);

/** Stateful resources are retained (or snapshotted, where CloudFormation can) when the stack is deleted. */
export function StatefulResourceRetained(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const policy = ix.cfn(node).DeletionPolicy;
  if (policy === undefined) return ['no DeletionPolicy: CloudFormation deletes the data with the stack'];
  if (typeof policy !== 'string') return cannotVerify('DeletionPolicy', policy);
  if (!KEEPS_DATA.has(policy) || (policy === 'Snapshot' && !SNAPSHOT_TYPES.has(node.cfnResourceType))) return [`DeletionPolicy ${policy} loses the data`];
  return compliantIf(true);
}

export const StatefulResourceRetainedMeta: RuleMetadata = {
  ruleName: 'StatefulResourceRetained',
  controlIds: ['BAK-RETAIN'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: STATEFUL_TYPES,
  info: 'The stateful resource is deleted with its stack.',
  explanation: 'Lesson L8 (recovery without paying): one stack deletion, by mistake or by an intruder, should not destroy data, keys or logs (T1485).',
  fix: 'Set removalPolicy: RemovalPolicy.RETAIN (DeletionPolicy Retain; Snapshot is accepted for RDS and EBS); PiiBucket, PiiTable, CustomerManagedKey and LockedBackupVault retain by default.',
};
