import { CfnResource } from 'aws-cdk-lib';
import { deniesWithoutTls, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, cannotVerify, decided, ownOf, policyJson, reasons, sharedAnswer, syntheticValue } from '../common';

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
 * The reasons `check` gives for the bucket's policy. S3 keeps one policy per bucket: with several
 * AWS::S3::BucketPolicy resources on a bucket, whichever CloudFormation writes last replaces the others,
 * so each must pass on its own; each reason then names the policy it is about.
 */
export function eachBucketPolicy(ix: ResourceIndex, bucket: CfnResource, check: (docs: unknown[], arn: string) => string[]): string[] {
  const { arn, docs } = bucketPolicies(ix, bucket);
  if (docs.length <= 1) return check(docs, arn);
  const policies = policiesByBucket(ix).get(bucket)!;
  return docs.flatMap((d, i) => check([d], arn).map((r) =>
    `${policies[i].node.path} may be the bucket's only policy (S3 keeps the one written last of ${docs.length}): ${r}`));
}

/**
 * S3 buckets have a bucket policy denying every request made without TLS: evaluated (lib/policy) for
 * the bucket and every object, S3 actions, own and foreign principals, from the internet and the own network;
 * with several bucket policies, each one (S3 keeps only the last written).
 */
export function S3BucketTLSOnly(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const own = ownOf(ix, node);
  const out = eachBucketPolicy(ix, node, (docs, arn) => {
    if (docs.length === 0) return ['no bucket policy'];
    const a = sharedAnswer(ix, 'tls', docs, arn, own, (d, subject) => deniesWithoutTls(d, subject, own));
    return decided(a, 'whether requests without TLS are denied') ? [] : a.why.map(showOwn);
  });
  return reasons(out);
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
