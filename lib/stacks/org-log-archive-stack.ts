import { Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../constructs/acknowledge';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { hardenedBucketProps } from '../constructs/hardened-bucket-props';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { TaggedBackupPlan } from '../constructs/tagged-backup-plan';
import { BACKUP_TAG } from '../constructs/tags';

/** Alias of the organization trail's key in the log-archive account; the trail names it by alias ARN. */
export const ORGANIZATION_TRAIL_KEY_ALIAS = 'hardening/organization-trail';

export interface OrgLogArchiveStackProps extends StackProps {
  readonly organizationId: string;
  readonly managementAccountId: string;
  /** The organization trail's ARN (in the management account): the only writer the bucket and key admit. */
  readonly trailArn: string;
  readonly archiveBucketName: string;
  readonly archiveObjectLockDays: number;
  /** A retention period CloudWatch Logs accepts; also the access logs' retention. */
  readonly logRetentionDays: number;
  /** The archive account's own locked vault and plan (the baseline's plan there cannot be verified at synthesis). */
  readonly vault: { readonly vaultName: string; readonly minRetentionDays: number; readonly maxRetentionDays: number; readonly changeableForDays: number };
  readonly plan: { readonly dailyRetentionDays: number; readonly monthlyRetentionDays: number };
  /** Named, so the vault key can name it as its user; distinct from the baseline's backup role. */
  readonly backupRoleName: string;
}

/**
 * The log-archive account (LOG-ARCHIVE, at organization scale): the organization trail's archive under
 * object lock in compliance mode, encrypted with a customer-managed key, with server access logs. The
 * bucket admits `AWSLogs/<organizationId>/*` (member accounts' logs) and `AWSLogs/<managementAccountId>/*`
 * (the management account's own), and only from the organization trail (`aws:SourceArn`); the key lets
 * CloudTrail encrypt only for trails of the management account (`kms:EncryptionContext:aws:cloudtrail:arn`)
 * and only for that trail. Out of reach of the management account: it holds nothing there.
 */
export class OrgLogArchiveStack extends Stack {
  public readonly key: CustomerManagedKey;
  public readonly archiveBucket: s3.Bucket;
  public readonly accessLogs: AccessLogBucket;
  public readonly vault: LockedBackupVault;
  public readonly plan: TaggedBackupPlan;

  constructor(scope: Construct, id: string, props: OrgLogArchiveStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.key = new CustomerManagedKey(this, 'TrailKey', {
      alias: ORGANIZATION_TRAIL_KEY_ALIAS,
      description: 'encrypts the organization trail and its archive',
      organizationId: props.organizationId,
    });
    const sourceArn = { StringEquals: { 'aws:SourceArn': props.trailArn } };
    this.key.allowService('cloudtrail', ['kms:GenerateDataKey*'], {
      ...sourceArn,
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${this.partition}:cloudtrail:*:${props.managementAccountId}:trail/*` },
    }, 'AllowOrganizationTrailEncrypt');
    this.key.allowService('cloudtrail', ['kms:DescribeKey'], sourceArn, 'AllowOrganizationTrailDescribeKey');

    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retentionDays: props.logRetentionDays });
    this.archiveBucket = new s3.Bucket(this, 'ArchiveBucket', {
      ...hardenedBucketProps(this.key.key, this.accessLogs.bucket, 'organization-trail-archive/'),
      bucketName: props.archiveBucketName,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.archiveObjectLockDays)),
      lifecycleRules: [{ id: 'archive-to-glacier', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] }],
    });
    Tags.of(this.archiveBucket).add(BACKUP_TAG.key, BACKUP_TAG.value);
    const cloudtrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.archiveBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OrganizationTrailAclCheck',
      principals: [cloudtrail],
      actions: ['s3:GetBucketAcl'],
      resources: [this.archiveBucket.bucketArn],
      conditions: sourceArn,
    }));
    this.archiveBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OrganizationTrailWrite',
      principals: [cloudtrail],
      actions: ['s3:PutObject'],
      resources: [
        this.archiveBucket.arnForObjects(`AWSLogs/${props.managementAccountId}/*`),
        this.archiveBucket.arnForObjects(`AWSLogs/${props.organizationId}/*`),
      ],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': props.trailArn } },
    }));
    // The archive and its access logs are backed up to a locked vault of this account, by this stack:
    // a plan the baseline StackSet deploys here cannot be seen at synthesis, so it cannot count.
    this.vault = new LockedBackupVault(this, 'Vault', {
      ...props.vault, keyUserArns: [`arn:${this.partition}:iam::${this.account}:role/${props.backupRoleName}`],
    });
    this.plan = new TaggedBackupPlan(this, 'Plan', {
      vault: this.vault.vault, ...props.plan,
      lockRetentionDays: { min: props.vault.minRetentionDays, max: props.vault.maxRetentionDays },
      roleName: props.backupRoleName,
    });
    acknowledgeNag(this.archiveBucket, 'NIST.800.53.R5-S3BucketReplicationEnabled',
      'the organization trail archive is immutable under object lock in compliance mode for the configured retention (LOG-ARCHIVE); a replica would not add protection against deletion.');
  }
}
