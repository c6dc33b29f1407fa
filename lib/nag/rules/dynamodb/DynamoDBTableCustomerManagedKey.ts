import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, isCustomerManagedKey, list, obj, reasons, str, regionText } from '../common';

/** DynamoDB tables (and global tables' replicas) are encrypted with a customer-managed KMS key. */
export function DynamoDBTableCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const sse = obj(p.SSESpecification, 'SSESpecification') ?? {};
  if (node.cfnResourceType === 'AWS::DynamoDB::Table') {
    if (bool(sse.SSEEnabled, 'SSEEnabled') !== true) return ['SSEEnabled is not true: the table uses the AWS-owned key'];
    return reasons(isCustomerManagedKey(ix, node, sse.KMSMasterKeyId, 'KMSMasterKeyId') ? [] : ['no customer-managed KMSMasterKeyId: the AWS-managed aws/dynamodb key']);
  }
  if (str(sse.SSEType, 'SSEType') !== 'KMS' || bool(sse.SSEEnabled, 'SSEEnabled') !== true) return ['SSESpecification is not SSEEnabled with SSEType KMS'];
  const out: string[] = [];
  for (const r of list(p.Replicas, 'Replicas')) {
    const replica = obj(r, 'replica')!;
    const spec = obj(replica.SSESpecification, 'replica SSESpecification');
    if (!isCustomerManagedKey(ix, node, spec?.KMSMasterKeyId, 'replica KMSMasterKeyId')) out.push(`replica ${regionText(replica.Region)} has no customer-managed key`);
  }
  return reasons(out);
}

export const DynamoDBTableCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'DynamoDBTableCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  info: 'The DynamoDB table is not encrypted with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): tables of customer records encrypted with the AWS-owned or aws/dynamodb key can be read by any principal the table policy admits; a customer-managed key adds a policy and an audit trail of every decrypt.',
  fix: 'Use PiiTable (a CustomerManagedKey by default), or set encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey (Table) or TableEncryptionV2.customerManagedKey(key) (TableV2).',
};
