import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { acknowledgeNag } from './acknowledge';
import { BACKUP_TAG } from './tags';

export interface AccessLogBucketProps {
  /** Days server access logs are kept. @default 1096 */
  readonly retentionDays?: number;
}

/**
 * The destination of S3 server access logs. It is the one bucket encrypted with SSE-S3 rather than
 * a customer-managed key: AWS documents SSE-S3 as the supported default encryption of a log
 * destination (the logging service cannot use an aws/s3 key). The exception is explicit: it is
 * written into the template as resource metadata `cdk-hardening:sse-s3-access-log-exception`, and the
 * BreachLessons pack accepts SSE-S3 only on buckets marked so.
 */
export class AccessLogBucket extends Construct {
  /** Marker read by rules: this bucket's SSE-S3 encryption is an explicit, documented exception. */
  public static readonly SSE_S3_EXCEPTION_METADATA = 'cdk-hardening:sse-s3-access-log-exception';
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    // Log delivery is granted by bucket policy, never by the LogDeliveryWrite ACL that object ownership
    // (ACLs disabled) refuses — whatever feature flags the app importing this construct has.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'expire-access-logs',
        expiration: Duration.days(props.retentionDays ?? 1096),
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    (this.bucket.node.defaultChild as s3.CfnBucket).addMetadata(AccessLogBucket.SSE_S3_EXCEPTION_METADATA, true);
    Tags.of(this.bucket).add(BACKUP_TAG.key, BACKUP_TAG.value);
    acknowledgeNag(this.bucket, 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'S3 server access log destination: AWS supports SSE-S3 as its default encryption; the logging service cannot write with a customer-managed key without widening that key policy.');
    acknowledgeNag(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled',
      'access logs are protected by versioning, retention and the AWS Backup plan (tag hardening:backup); replicating them would double log storage without adding evidence.');
  }
}
