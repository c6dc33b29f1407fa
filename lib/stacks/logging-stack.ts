import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alertEmailsOrParameter } from '../constructs/alert-topic';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { SecureTrail } from '../constructs/secure-trail';
import { auditTrailWiring } from '../constructs/wiring';
import { SecurityResourceNames } from '../config/security-names';

export interface LoggingStackProps extends StackProps {
  /** A retention period CloudWatch Logs accepts, >= 365. */
  readonly logRetentionDays: number;
  readonly archiveObjectLockDays: number;
  /** @default - a CloudFormation parameter AlertEmail, given at deploy time */
  readonly alertEmails?: readonly string[];
  /** PII buckets whose object-level events the trail records. */
  readonly dataEventBuckets: s3.IBucket[];
  /** PII tables whose item-level events the trail records. @default none */
  readonly dataEventTables?: dynamodb.ITable[];
  /**
   * Names under the prefixes the protect-security-services SCP guards: the trail, its log group,
   * delivery role and archive, the alarms and the alert topic carry them.
   */
  readonly securityNames: SecurityResourceNames;
  /** The role whose every use alarms. */
  readonly breakGlassRoleName: string;
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
    const names = props.securityNames;
    const wired = auditTrailWiring(this, {
      keyAlias: 'hardening/logs',
      keyDescription: 'encrypts the audit trail, its archive, log groups and the alert topic',
      accessLogRetentionDays: props.logRetentionDays,
      logRetentionDays: props.logRetentionDays,
      archiveObjectLockDays: props.archiveObjectLockDays,
      dataEventBuckets: props.dataEventBuckets,
      dataEventTables: props.dataEventTables,
      emails: alertEmailsOrParameter(this, props.alertEmails),
      namePrefix: names.prefix,
      metricNamespace: names.metricNamespace,
      breakGlassRoleName: props.breakGlassRoleName,
      names: {
        trailName: names.trailName,
        logGroupName: names.trailLogGroupName,
        logsRoleName: names.trailLogsRoleName,
        archiveBucketName: `${names.archiveBucketNamePrefix}${this.account}`,
        alarmTopicName: names.alarmTopicName,
      },
    });
    this.key = wired.key;
    this.trail = wired.trail;
    this.alertTopic = wired.alarmTopic;
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: this.key.key,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
