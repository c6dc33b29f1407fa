import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, isCustomerManagedKey, reasons } from '../common';

/** Every trail validates its log files and encrypts them with a customer-managed KMS key. */
export function CloudTrailValidatedEncrypted(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const out: string[] = [];
  if (bool(p.EnableLogFileValidation, 'EnableLogFileValidation') !== true) out.push('log file validation is off');
  if (!isCustomerManagedKey(ix, node, p.KMSKeyId, 'KMSKeyId')) out.push('logs are not encrypted with a customer-managed KMS key');
  return reasons(out);
}

export const CloudTrailValidatedEncryptedMeta: RuleMetadata = {
  ruleName: 'CloudTrailValidatedEncrypted',
  controlIds: ['LOG-TRAIL'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.6', 'cis-aws:3.2', 'cis-aws:3.5', 'nist-800-53:AU-9', 'aws-fsbp:CloudTrail.2', 'aws-fsbp:CloudTrail.4'],
  level: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  info: 'The trail does not validate its log files or does not encrypt them with a customer-managed KMS key.',
  explanation: 'Lesson L7 (dwell time is short): attackers delete or edit logs to hide (T1070); validation proves the record is complete and KMS keeps it confidential (CIS 3.2, 3.5).',
  fix: 'Set enableFileValidation: true and encryptionKey: a customer-managed kms.Key on the cloudtrail.Trail (SecureTrail does both).',
};
