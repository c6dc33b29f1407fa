import { Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { PiiBucket } from '../constructs/pii-bucket';
import { PiiTable } from '../constructs/pii-table';

export interface DataClassSpec {
  readonly name: string;
  readonly table: boolean;
  readonly objectLock: boolean;
}

export interface DataStackProps extends StackProps {
  readonly dataClasses: readonly DataClassSpec[];
  readonly noncurrentVersionExpirationDays: number;
  /** Object-lock retention of data classes with objectLock, days. */
  readonly objectLockRetentionDays: number;
  /** Days server access logs are kept. */
  readonly accessLogRetentionDays: number;
  /**
   * Roles that may use the data keys through S3 and DynamoDB (ArnLike patterns): the workloads and
   * the backup role. Nobody else of the account can decrypt the data. @default - none
   */
  readonly dataAccessPrincipalArns?: readonly string[];
  /** The organization the data perimeter of buckets, tables and keys admits. @default - this account only */
  readonly organizationId?: string;
}

/**
 * Stateful: where personal data lives (L5, L8, L10). One customer-managed key per data class, a PII
 * bucket for each and, when asked, a PII table; one access-log bucket. Termination protection on.
 */
export class DataStack extends Stack {
  public readonly buckets: s3.Bucket[] = [];
  public readonly tables: dynamodb.Table[] = [];
  public readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', { retentionDays: props.accessLogRetentionDays }).bucket;
    for (const dc of props.dataClasses) {
      const group = new Construct(this, pascal(dc.name));
      const key = new CustomerManagedKey(group, 'Key', {
        alias: `hardening/${dc.name}`,
        description: `encrypts data class ${dc.name}`,
        viaServices: dc.table ? ['s3', 'dynamodb'] : ['s3'],
        userArns: [...(props.dataAccessPrincipalArns ?? [])],
        organizationId: props.organizationId,
      });
      this.buckets.push(new PiiBucket(group, 'Bucket', {
        encryptionKey: key.key,
        accessLogBucket: this.accessLogBucket,
        accessLogPrefix: `${dc.name}/`,
        noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
        objectLockRetentionDays: dc.objectLock ? props.objectLockRetentionDays : undefined,
        dataClass: dc.name,
        organizationId: props.organizationId,
      }).bucket);
      if (dc.table) {
        this.tables.push(new PiiTable(group, 'Table', { encryptionKey: key.key, dataClass: dc.name, organizationId: props.organizationId }).table);
      }
    }
  }
}

function pascal(s: string): string {
  return s.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
