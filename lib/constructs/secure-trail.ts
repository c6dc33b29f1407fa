import { Duration, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LIMITS } from '../config/defaults';
import { acknowledgeNag } from './acknowledge';
import { CustomerManagedKey } from './customer-managed-key';
import { hardenedBucketProps } from './hardened-bucket-props';
import { BACKUP_TAG } from './tags';

export interface SecureTrailProps {
  /** Customer-managed key for the trail, its archive bucket and its log group. */
  readonly key: CustomerManagedKey;
  /** Destination of the archive bucket's server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /** Days the CloudWatch log group keeps events; must be a period CloudWatch Logs accepts, >= 365. */
  readonly logRetentionDays: number;
  /** Object-lock (compliance mode) default retention of the archive, days; >= 1095. */
  readonly archiveObjectLockDays: number;
  /** Buckets whose object-level reads and writes are recorded (EXF-DATAEVENTS). @default none */
  readonly dataEventBuckets?: s3.IBucket[];
  /**
   * Tables whose item-level reads and writes are recorded (EXF-DATAEVENTS, issue 10 item 6: a bulk
   * Scan or export of PII leaves a trace). @default none
   */
  readonly dataEventTables?: dynamodb.ITable[];
  /**
   * Physical names. Give names under the SCP's security prefixes (securityResourceNames) so that the
   * trail, its log group (filters, retention), its delivery role and its archive cannot be changed
   * by anyone but the pipeline and break-glass (docs/killchain-protected-resources.md).
   * @default - generated
   */
  readonly trailName?: string;
  /** @default - generated */
  readonly logGroupName?: string;
  /** The role CloudTrail delivers to the log group with. @default - generated */
  readonly logsRoleName?: string;
  /** Lower case, globally unique. @default - generated */
  readonly archiveBucketName?: string;
  /**
   * Record the account's management events. Turn off only where an organization trail already records
   * them (a second copy is billed, and adds nothing): the trail then records only the data events of
   * the given stores, and needs at least one. @default true
   */
  readonly managementEvents?: boolean;
}

/**
 * A multi-region CloudTrail (LOG-TRAIL) with global service events and log file validation,
 * encrypted with a customer-managed key, delivered to a KMS-encrypted log group and to an archive
 * bucket under object lock in compliance mode (LOG-ARCHIVE), recording S3 data events on the
 * given buckets (EXF-DATAEVENTS).
 */
export class SecureTrail extends Construct {
  public readonly trail: cloudtrail.Trail;
  public readonly archiveBucket: s3.Bucket;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SecureTrailProps) {
    super(scope, id);
    const { logRetentionDays: retention, archiveObjectLockDays: lockDays } = props;
    if (!Token.isUnresolved(retention) && retention < LIMITS.minLogRetentionDays) {
      throw new Error(`logRetentionDays must be at least ${LIMITS.minLogRetentionDays} (LOG-RETENTION), got ${retention}`);
    }
    if (!Token.isUnresolved(lockDays) && lockDays < LIMITS.minArchiveObjectLockDays) {
      throw new Error(`archiveObjectLockDays must be at least ${LIMITS.minArchiveObjectLockDays} (LOG-ARCHIVE, 3 years), got ${lockDays}`);
    }
    const stack = Stack.of(this);
    const key = props.key;
    const trailArnPattern = `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`;
    key.allowService('cloudtrail', ['kms:GenerateDataKey*', 'kms:DescribeKey'], {
      StringEquals: { 'aws:SourceAccount': stack.account },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArnPattern },
    }, 'AllowCloudTrailEncrypt');
    key.allowService('logs', ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    }, 'AllowCloudWatchLogsEncrypt');

    this.archiveBucket = new s3.Bucket(this, 'ArchiveBucket', {
      ...hardenedBucketProps(key.key, props.accessLogBucket, 'cloudtrail-archive/'),
      bucketName: props.archiveBucketName,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(lockDays)),
      lifecycleRules: [{ id: 'archive-to-glacier', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] }],
    });
    Tags.of(this.archiveBucket).add(BACKUP_TAG.key, BACKUP_TAG.value);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: key.key,
      retention: retention as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Resource', {
      trailName: props.trailName,
      bucket: this.archiveBucket,
      encryptionKey: key.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
      managementEvents: props.managementEvents === false ? cloudtrail.ReadWriteType.NONE : cloudtrail.ReadWriteType.ALL,
    });
    // Deleting the stack must not switch the trail off (LOG-TAMPER).
    this.trail.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledgeNag(this.archiveBucket, 'NIST.800.53.R5-S3BucketReplicationEnabled',
      'the trail archive is immutable under object lock in compliance mode for the configured retention (LOG-ARCHIVE); a replica would not add protection against deletion.');
    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole && props.logsRoleName !== undefined) {
      // Trail has no prop for it: the name goes on the generated role itself.
      (logsRole.node.defaultChild as iam.CfnRole).roleName = props.logsRoleName;
    }
    if (logsRole) {
      acknowledgeNag(logsRole, 'NIST.800.53.R5-IAMNoInlinePolicy',
        'CDK-generated delivery role of this trail: its only policy allows logs:CreateLogStream and logs:PutLogEvents on this trail\'s log group, bound to this one role.');
    }
    this.addDataEvents(props.dataEventBuckets ?? [], props.dataEventTables ?? []);
  }

  /**
   * Records every object-level read and write of the buckets and every item-level read and write of
   * the tables (EXF-DATAEVENTS): one selector per resource type, so call it once with every store
   * (a trail takes at most 5 selectors of 250 resources each).
   */
  public addDataEvents(buckets: readonly s3.IBucket[], tables: readonly dynamodb.ITable[] = []): void {
    if (buckets.length > 0) {
      this.trail.addS3EventSelector(buckets.map((bucket) => ({ bucket })), {
        readWriteType: cloudtrail.ReadWriteType.ALL,
        includeManagementEvents: false,
      });
    }
    if (tables.length > 0) {
      // Basic event selectors accept AWS::DynamoDB::Table; CDK's enum names only S3 and Lambda.
      this.trail.addEventSelector(DYNAMODB_TABLE, tables.map((t) => t.tableArn), {
        readWriteType: cloudtrail.ReadWriteType.ALL,
        includeManagementEvents: false,
      });
    }
  }
}

/** The data resource type of DynamoDB item-level events in a basic event selector. */
const DYNAMODB_TABLE = 'AWS::DynamoDB::Table' as cloudtrail.DataResourceType;
