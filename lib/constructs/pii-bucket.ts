import { Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULTS, LIMITS } from '../config/defaults';
import { AccessLogBucket } from './access-log-bucket';
import { acknowledgeNag } from './acknowledge';
import { CustomerManagedKey } from './customer-managed-key';
import { hardenedBucketProps } from './hardened-bucket-props';
import { BACKUP_TAG, DATA_CLASS_TAG_KEY } from './tags';

export interface PiiBucketProps {
  /** @default - a new customer-managed key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** @default - a new access-log bucket */
  readonly accessLogBucket?: s3.IBucket;
  /** Prefix of this bucket's server access logs. @default '<construct id>/' */
  readonly accessLogPrefix?: string;
  /** Days after which noncurrent versions expire (DISPOSAL); at most 730. @default 365 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Object lock in compliance mode with this default retention, in days. @default - no object lock */
  readonly objectLockRetentionDays?: number;
  /** Data class recorded in the `hardening:data-class` tag. @default 'pii' */
  readonly dataClass?: string;
  /**
   * The organization whose principals the data perimeter admits (`aws:PrincipalOrgID`).
   * @default - only principals of this account (`aws:PrincipalAccount`)
   */
  readonly organizationId?: string;
}

/**
 * The data perimeter of a PII store (EXF-ENDPOINTPOLICY, T1537): deny every principal outside the
 * account (or organization), however the request is signed and whatever any other statement grants,
 * unless it is an AWS service principal acting with its own identity. Requests AWS services make with
 * the caller's credentials (aws:ViaAWSService) keep the caller's account, so they stay inside too.
 */
export function dataPerimeterStatement(account: string, actions: string[], resources: string[], organizationId?: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DataPerimeter',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions,
    resources,
    conditions: {
      StringNotEqualsIfExists: organizationId ? { 'aws:PrincipalOrgID': organizationId } : { 'aws:PrincipalAccount': account },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  });
}

/**
 * A bucket for personal data (L5, L8, L10): SSE-KMS with a customer-managed key and a bucket key,
 * all four block-public-access settings, a policy denying non-TLS and TLS below 1.2, versioning,
 * object ownership enforced, server access logs, noncurrent versions expiring, retained; object
 * lock on request.
 */
export class PiiBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: PiiBucketProps = {}) {
    super(scope, id);
    const expiry = props.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays;
    const maxExpiry = LIMITS.maxNoncurrentVersionExpirationDays;
    if (!Token.isUnresolved(expiry) && (expiry < 1 || expiry > maxExpiry)) {
      throw new Error(`noncurrentVersionExpirationDays must be 1-${maxExpiry} (GLBA 314.4(c)(6)), got ${expiry}`);
    }
    const lockDays = props.objectLockRetentionDays;
    if (lockDays !== undefined && !Token.isUnresolved(lockDays) && lockDays < 1) {
      throw new Error(`objectLockRetentionDays must be at least 1, got ${lockDays}`);
    }
    this.encryptionKey = props.encryptionKey ?? new CustomerManagedKey(this, 'Key', {
      alias: `hardening/${id.toLowerCase()}`, viaServices: ['s3'],
    }).key;
    const accessLogs = props.accessLogBucket ?? new AccessLogBucket(this, 'AccessLogs').bucket;

    this.bucket = new s3.Bucket(this, 'Resource', {
      ...hardenedBucketProps(this.encryptionKey, accessLogs, props.accessLogPrefix ?? `${id}/`),
      objectLockEnabled: lockDays !== undefined ? true : undefined,
      objectLockDefaultRetention: lockDays !== undefined ? s3.ObjectLockRetention.compliance(Duration.days(lockDays)) : undefined,
      lifecycleRules: [{
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: Duration.days(expiry),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        expiredObjectDeleteMarker: lockDays === undefined ? true : undefined,
      }],
    });
    // No re-encryption for ransom (T1486): objects are written under this bucket's key or its default,
    // never under another key (a foreign KMS key, or a customer-provided SSE-C key).
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyForeignEncryptionKeys',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects('*')],
      // A key named in the request must be this bucket's; no key named means the bucket's default.
      conditions: {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.encryptionKey.keyArn },
      },
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyCustomerProvidedKeys',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects('*')],
      conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
    }));
    this.bucket.addToResourcePolicy(dataPerimeterStatement(Stack.of(this).account, ['s3:*'],
      [this.bucket.bucketArn, this.bucket.arnForObjects('*')], props.organizationId));
    Tags.of(this.bucket).add(BACKUP_TAG.key, BACKUP_TAG.value);
    Tags.of(this.bucket).add(DATA_CLASS_TAG_KEY, props.dataClass ?? 'pii');
    acknowledgeNag(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled',
      'recovery of personal data is by AWS Backup into a vault locked in compliance mode (BAK-VAULTLOCK, selected by tag hardening:backup); replication would put a second, unlocked copy of the PII in reach of the same credentials.');
  }
}
