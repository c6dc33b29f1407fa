/**
 * The fixture the false-pass tests of ResourcePolicyNotPublic share: a bucket policy of the own account
 * granting `Principal *` one action on customer-data under a condition that reads like a limit.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding } from '../../../lib/findings';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';

export const OWN = '111122223333';
export const OWN_ORG = 'o-own00000000';

/** The policy: statement `Partners` allows everyone `Action` on `Resource` under `Condition`. */
export const doc = (Condition: Record<string, unknown>, Action = 's3:GetObject', Resource = 'arn:aws:s3:::customer-data/*') =>
  ({ Version: '2012-10-17', Statement: [{ Sid: 'Partners', Effect: 'Allow', Principal: '*', Action, Resource, Condition }] });

/** ResourcePolicyNotPublic's findings on that policy attached to customer-data (own organization configured). */
export function bucketPolicy(Condition: Record<string, unknown>, Action?: string): Finding[] {
  return bucketPolicyOf(doc(Condition, Action));
}

/** ResourcePolicyNotPublic's findings on any policy document attached to customer-data. */
export function bucketPolicyOf(policyDocument: unknown): Finding[] {
  const app = new App();
  const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
  const b = new s3.CfnBucket(s, 'B', { bucketName: 'customer-data' });
  new s3.CfnBucketPolicy(s, 'P', { bucket: b.ref, policyDocument });
  return evaluateScope(app, { rules: rulesNamed('ResourcePolicyNotPublic'), organizationId: OWN_ORG }).filter((f) => f.resource.id === 'S/P');
}
