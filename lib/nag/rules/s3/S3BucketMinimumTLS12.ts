import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, conditionValues, principalKinds, statements, strings } from '../common';
import { isPiiBucket } from './pii';
import { policiesByBucket } from './S3BucketTLSOnly';

export const MIN_TLS_VERSION = 1.2;

/** PII buckets (tagged hardening:data-class) deny requests made with TLS older than 1.2. */
export function S3BucketMinimumTLS12(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isPiiBucket(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const weaker: string[] = [];
  for (const policy of policiesByBucket(ix).get(node) ?? []) {
    for (const s of statements(ix.props(policy).PolicyDocument, 'bucket policy')) {
      if (s.Effect !== 'Deny') continue;
      const actions = strings(s.Action, 'bucket policy Action');
      if (!actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) continue;
      if (!principalKinds(ix, policy, s.Principal, 'bucket policy Principal').includes('any')) continue;
      const values = conditionValues(s.Condition, 'NumericLessThan', 's3:TlsVersion');
      if (values.length === 0) continue;
      const versions = values.map((v) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : cannotVerify('s3:TlsVersion', v)));
      // Several values are alternatives: the deny applies below the highest.
      const floor = Math.max(...versions);
      if (floor >= MIN_TLS_VERSION) return NagRuleCompliance.COMPLIANT;
      weaker.push(`the policy denies only TLS below ${floor}`);
    }
  }
  return weaker.length > 0 ? weaker : ['no bucket policy denies TLS below 1.2'];
}

export const S3BucketMinimumTLS12Meta: RuleMetadata = {
  ruleName: 'S3BucketMinimumTLS12',
  controlIds: ['DATA-TLS'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-8', 'nist-800-53:SC-8(1)'],
  level: 'warning',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'No bucket policy of the PII bucket denies requests made with TLS older than 1.2.',
  explanation: 'Lesson L5 (stolen PII is unreadable): TLS 1.0 and 1.1 have known weaknesses; customer records in transit need TLS 1.2 or later (GLBA 314.4(c)(3), NYDFS 500.15).',
  fix: 'Set minimumTLSVersion: 1.2 on the s3.Bucket (PiiBucket does), or add a bucket policy statement Deny s3:* to Principal * with Condition NumericLessThan s3:TlsVersion 1.2.',
};
