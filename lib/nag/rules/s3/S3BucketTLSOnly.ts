import { CfnResource } from 'aws-cdk-lib';
import { deniesWithoutTls, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, decided, ownOf, policyJson, sharedAnswer, syntheticValue } from '../common';

/** Bucket policies by the bucket they protect, built once per validation. */
export function policiesByBucket(ix: ResourceIndex): Map<CfnResource, CfnResource[]> {
  return ix.memo('bucketPoliciesByBucket', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const p of ix.ofType('AWS::S3::BucketPolicy')) {
      const t = ix.propTarget(p, 'Bucket');
      const b = t.kind === 'resource' ? t.node : undefined;
      if (!b) continue;
      const l = m.get(b);
      if (l) l.push(p); else m.set(b, [p]);
    }
    return m;
  });
}

/** The bucket's ARN and its policies as lib/policy reads them. */
export function bucketPolicies(ix: ResourceIndex, bucket: CfnResource): { arn: string; docs: unknown[] } {
  const arn = syntheticValue(ix, bucket, 'Arn');
  if (typeof arn !== 'string') return cannotVerify('the bucket ARN', arn.reason);
  return { arn, docs: (policiesByBucket(ix).get(bucket) ?? []).map((p) => policyJson(ix, p, ix.props(p).PolicyDocument)) };
}

/**
 * S3 buckets have a bucket policy denying every request made without TLS: evaluated (lib/policy) for
 * the bucket and every object, S3 actions, own and foreign principals, from the internet and the own network.
 */
export function S3BucketTLSOnly(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const { arn, docs } = bucketPolicies(ix, node);
  if (docs.length === 0) return ['no bucket policy'];
  const own = ownOf(ix, node);
  const a = sharedAnswer(ix, 'tls', docs, arn, own, (d, subject) => deniesWithoutTls(d, subject, own));
  return decided(a, 'whether requests without TLS are denied') ? NagRuleCompliance.COMPLIANT : a.why.map(showOwn);
}

export const S3BucketTLSOnlyMeta: RuleMetadata = {
  ruleName: 'S3BucketTLSOnly',
  controlIds: ['DATA-TLS'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'No bucket policy denies requests to this S3 bucket made without TLS.',
  explanation: 'Lesson L5 (stolen PII is unreadable): GLBA 314.4(c)(3) and NYDFS 500.15 require customer data encrypted in transit; without a deny on aws:SecureTransport false a client can read PII in clear text.',
  fix: 'Set enforceSSL: true (and minimumTLSVersion: 1.2), or add a bucket policy statement Deny s3:* to Principal * with Condition Bool aws:SecureTransport false.',
};
