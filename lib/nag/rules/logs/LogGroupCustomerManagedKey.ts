import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, propIsCustomerManagedKey } from '../common';

/** CloudWatch log groups are encrypted with a customer-managed KMS key. */
export function LogGroupCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(propIsCustomerManagedKey(ix, node, 'KmsKeyId'));
}

export const LogGroupCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'LogGroupCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  info: 'The log group is not encrypted with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): logs capture identifiers and request data; a customer-managed key keeps them unreadable to anyone the key policy does not admit.',
  fix: 'Set encryptionKey: the key of a CustomerManagedKey whose policy allows logs.<region>.amazonaws.com (KmsKeyId).',
};
