import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The settings every bucket of the toolkit that holds data or evidence shares: SSE-KMS with a
 * customer-managed key and a bucket key (DATA-CMK), all four block-public-access settings
 * (DATA-PUBLIC), TLS 1.2 or later only (DATA-TLS), versioning and retention (BAK-RETAIN),
 * object ownership enforced (no ACLs), server access logs.
 */
export function hardenedBucketProps(key: kms.IKey, accessLogs: s3.IBucket, accessLogPrefix: string) {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: accessLogPrefix,
    removalPolicy: RemovalPolicy.RETAIN,
  } satisfies s3.BucketProps;
}
