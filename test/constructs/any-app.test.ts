import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket } from '../../lib/constructs/access-log-bucket';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { PiiBucket } from '../../lib/constructs/pii-bucket';
import { SecureTrail } from '../../lib/constructs/secure-trail';

/**
 * A library user's app need not carry this repository's cdk.json feature flags: the constructs
 * synthesize with no props in a bare App, access logs granted by bucket policy, never by an ACL.
 */
describe('constructs in an app without cdk.json feature flags', () => {
  const stack = new Stack(new App(), 'Bare');
  new PiiBucket(stack, 'Pii');
  const accessLogs = new AccessLogBucket(stack, 'TrailAccessLogs');
  new SecureTrail(stack, 'Trail', {
    key: new CustomerManagedKey(stack, 'TrailKey', { alias: 'hardening/trail' }),
    accessLogBucket: accessLogs.bucket, logRetentionDays: 1096, archiveObjectLockDays: 1095,
  });
  const t = Template.fromStack(stack);

  test('no bucket uses an ACL; every access-log bucket lets the logging service write by policy', () => {
    for (const b of Object.values(t.findResources('AWS::S3::Bucket'))) {
      expect(b.Properties.AccessControl).toBeUndefined();
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    const logging = Object.values(t.findResources('AWS::S3::BucketPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' } })]) } },
    }));
    expect(logging).toHaveLength(2);
  });
});
