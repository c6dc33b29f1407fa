import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AlertTopic } from '../constructs/alert-topic';
import { CisAlarms } from '../constructs/cis-alarms';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { SecureTrail } from '../constructs/secure-trail';

export interface LoggingStackProps extends StackProps {
  /** A retention period CloudWatch Logs accepts, >= 365. */
  readonly logRetentionDays: number;
  readonly archiveObjectLockDays: number;
  readonly alertEmails: readonly string[];
  /** PII buckets whose object-level events the trail records. */
  readonly dataEventBuckets: s3.IBucket[];
  /** Name prefix the protect-security-services SCP guards; the alarms and the alert topic carry it. */
  readonly securityNamePrefix: string;
}

/**
 * Stateful: the audit trail (L7) — a multi-region CloudTrail to an object-locked archive and an
 * encrypted log group, the CIS 4.1–4.15 alarms to an encrypted alert topic, and the encrypted log
 * group that receives the VPC flow logs. Termination protection on.
 */
export class LoggingStack extends Stack {
  public readonly key: CustomerManagedKey;
  public readonly trail: SecureTrail;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly alertTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.key = new CustomerManagedKey(this, 'LogsKey', {
      alias: 'hardening/logs',
      description: 'encrypts the audit trail, its archive, log groups and the alert topic',
      viaServices: ['s3'],
    });
    for (const service of ['cloudwatch', 'events']) {
      this.key.allowService(service, ['kms:GenerateDataKey*', 'kms:Decrypt'], {
        StringEquals: { 'aws:SourceAccount': this.account },
      }, `Allow${service}ToPublishEncrypted`);
    }
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { retentionDays: props.logRetentionDays });
    this.trail = new SecureTrail(this, 'Trail', {
      key: this.key,
      accessLogBucket: accessLogs.bucket,
      logRetentionDays: props.logRetentionDays,
      archiveObjectLockDays: props.archiveObjectLockDays,
      dataEventBuckets: props.dataEventBuckets,
    });
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: this.key.key,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alertTopic = new AlertTopic(this, 'AlertTopic', {
      key: this.key.key, emails: props.alertEmails, displayName: 'Security alarms: CIS 4.1-4.15', topicName: `${props.securityNamePrefix}alarms`,
    }).topic;
    new CisAlarms(this, 'CisAlarms', { logGroup: this.trail.logGroup, topic: this.alertTopic, alarmNamePrefix: props.securityNamePrefix });
  }
}
