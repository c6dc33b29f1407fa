import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, propIsCustomerManagedKey } from '../common';

/** SQS queues are encrypted with a customer-managed KMS key (SQS-managed SSE is not enough). */
export function SQSQueueCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(propIsCustomerManagedKey(ix, node, 'KmsMasterKeyId'));
}

export const SQSQueueCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'SQSQueueCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::SQS::Queue'],
  info: 'The SQS queue is not encrypted with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): queued messages often carry customer records; SQS-managed or aws/sqs encryption does not stop a principal who can receive them.',
  fix: 'Set encryption: QueueEncryption.KMS with encryptionMasterKey: the key of a CustomerManagedKey.',
};
