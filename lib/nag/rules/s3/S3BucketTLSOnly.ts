import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, conditionValues, principalKinds, statements, strings } from '../common';
import { l2DeniesInsecureTransport } from '../iam/l2-policy';

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

/** S3 buckets have a bucket policy denying every request made without TLS. */
export function S3BucketTLSOnly(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  for (const policy of policiesByBucket(ix).get(node) ?? []) {
    if (l2DeniesInsecureTransport(ix.rawProp(policy, 'PolicyDocument'))) return NagRuleCompliance.COMPLIANT;
    for (const s of statements(ix.props(policy).PolicyDocument, 'bucket policy')) {
      if (s.Effect !== 'Deny') continue;
      const actions = strings(s.Action, 'bucket policy Action');
      if (!actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) continue;
      if (!principalKinds(ix, policy, s.Principal, 'bucket policy Principal').includes('any')) continue;
      if (conditionValues(s.Condition, 'Bool', 'aws:SecureTransport').includes('false')) return NagRuleCompliance.COMPLIANT;
    }
  }
  return NagRuleCompliance.NON_COMPLIANT;
}

export const S3BucketTLSOnlyMeta: RuleMetadata = {
  ruleName: 'S3BucketTLSOnly',
  controlIds: ['DATA-TLS'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-8', 'nist-800-53:SC-8(1)', 'aws-fsbp:S3.5'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'No bucket policy denies requests to this S3 bucket made without TLS.',
  explanation: 'Lesson L5 (stolen PII is unreadable): GLBA 314.4(c)(3) and NYDFS 500.15 require customer data encrypted in transit; without a deny on aws:SecureTransport false a client can read PII in clear text.',
  fix: 'Use PiiBucket, or set enforceSSL: true (and minimumTLSVersion: 1.2), or add a bucket policy statement Deny s3:* on the bucket and its objects to Principal * with Condition Bool aws:SecureTransport false.',
};
