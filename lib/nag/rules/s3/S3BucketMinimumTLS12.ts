import { CfnResource } from 'aws-cdk-lib';
import { deniesWithoutTls, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, decided, ownOf, reasons, sharedAnswer } from '../common';
import { isPiiBucket } from './pii';
import { eachBucketPolicy } from './S3BucketTLSOnly';

export const MIN_TLS_VERSION = '1.2';

/**
 * PII buckets (tagged hardening:data-class) deny requests made with TLS older than 1.2: evaluated
 * (lib/policy) with TLS 1.0 and 1.1 on the bucket and every object, by own and foreign principals;
 * with several bucket policies, each one (S3 keeps only the last written).
 */
export function S3BucketMinimumTLS12(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isPiiBucket(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const own = ownOf(ix, node);
  const out = eachBucketPolicy(ix, node, (docs, arn) => {
    const a = sharedAnswer(ix, 'tls 1.2', docs, arn, own, (d, subject) => deniesWithoutTls(d, subject, own, MIN_TLS_VERSION));
    if (decided(a, 'whether old TLS versions are denied')) return [];
    const weaker = decided(sharedAnswer(ix, 'tls 1.1', docs, arn, own, (d, subject) => deniesWithoutTls(d, subject, own, '1.1')), 'whether old TLS versions are denied');
    return [`${weaker ? 'the policy denies only TLS below 1.1' : `no bucket policy denies TLS below ${MIN_TLS_VERSION}`}: ${a.why.map(showOwn).join('; ')}`];
  });
  return reasons(out);
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
