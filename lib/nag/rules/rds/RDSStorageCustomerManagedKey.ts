import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, propIsCustomerManagedKey, reasons } from '../common';
import { isClusterMember } from '../ec2/network';

/** RDS instances and Aurora / RDS clusters encrypt storage with a customer-managed KMS key. */
export function RDSStorageCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const p = ix.props(node);
  if (bool(p.StorageEncrypted, 'StorageEncrypted') !== true) return ['StorageEncrypted is not true'];
  return reasons(propIsCustomerManagedKey(ix, node, 'KmsKeyId') ? [] : ['no customer-managed KmsKeyId: the AWS-managed aws/rds key']);
}

export const RDSStorageCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'RDSStorageCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  info: 'The RDS instance or Aurora cluster storage is not encrypted with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): unencrypted database storage, snapshots and replicas give the PII to whoever copies them; a customer-managed key keeps a copied snapshot unreadable outside the account.',
  fix: 'Set storageEncrypted: true with storageEncryptionKey (instances and clusters): the key of a CustomerManagedKey.',
};
