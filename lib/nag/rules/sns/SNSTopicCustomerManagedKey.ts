import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, propIsCustomerManagedKey } from '../common';

/** SNS topics are encrypted with a customer-managed KMS key. */
export function SNSTopicCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(propIsCustomerManagedKey(ix, node, 'KmsMasterKeyId'));
}

export const SNSTopicCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'SNSTopicCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::SNS::Topic'],
  info: 'The SNS topic is not encrypted with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): messages at rest in the topic (alerts, customer notifications) stay readable to any principal of the account without a customer-managed key.',
  fix: 'Set masterKey: the key of a CustomerManagedKey (KmsMasterKeyId), not alias/aws/sns; AlertTopic does this for alerts.',
};
