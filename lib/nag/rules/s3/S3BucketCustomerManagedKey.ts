import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, isCustomerManagedKey, list, obj, reasons, str } from '../common';

/** Metadata key marking the one explicit exception: an S3 access-log destination may use SSE-S3. */
export const SSE_S3_ACCESS_LOG_EXCEPTION = 'cdk-hardening:sse-s3-access-log-exception';

/** S3 buckets use SSE-KMS with a customer-managed key: not AES256, not aws/s3 (access-log buckets may use SSE-S3 when marked explicitly). */
export function S3BucketCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const json = ix.cfn(node);
  const enc = obj(ix.props(node).BucketEncryption, 'BucketEncryption');
  const rules = list(enc?.ServerSideEncryptionConfiguration, 'ServerSideEncryptionConfiguration');
  if (rules.length === 0) return ['no default encryption configured'];
  const out: string[] = [];
  for (const r of rules) {
    const d = obj(obj(r, 'encryption rule')?.ServerSideEncryptionByDefault, 'ServerSideEncryptionByDefault') ?? {};
    const algorithm = str(d.SSEAlgorithm, 'SSEAlgorithm');
    if (algorithm === 'AES256') {
      if (json.Metadata?.[SSE_S3_ACCESS_LOG_EXCEPTION] !== true) out.push('SSE-S3 (AES256) on a bucket not marked as an access-log destination');
    } else if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
      if (!isCustomerManagedKey(ix, node, d.KMSMasterKeyID, 'KMSMasterKeyID')) out.push('SSE-KMS with the AWS-managed aws/s3 key');
    } else {
      out.push(`encryption algorithm ${String(algorithm)}`);
    }
  }
  return out.length === 0 ? NagRuleCompliance.COMPLIANT : reasons(out);
}

export const S3BucketCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'S3BucketCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket is not encrypted with SSE-KMS under a customer-managed key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): with SSE-S3 or the aws/s3 key anyone who can read the object reads the PII; a customer-managed key adds a key policy the attacker must also defeat, and its use is logged.',
  fix: 'Use PiiBucket, or set encryption: BucketEncryption.KMS with encryptionKey: the key of a CustomerManagedKey (SSEAlgorithm aws:kms and KMSMasterKeyID of your key). Only an S3 access-log destination may keep SSE-S3, and only with the metadata cdk-hardening:sse-s3-access-log-exception (AccessLogBucket sets it).',
};
