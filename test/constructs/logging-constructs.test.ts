import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AlertTopic } from '../../lib/constructs/alert-topic';
import { CisAlarms } from '../../lib/constructs/cis-alarms';
import { CIS_METRIC_FILTERS } from '../../lib/constructs/cis-metric-filters';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { SecureTrail } from '../../lib/constructs/secure-trail';
import { testStack } from '../helpers/app';

function build(over: Partial<ConstructorParameters<typeof SecureTrail>[2]> = {}) {
  const { stack } = testStack();
  const key = new CustomerManagedKey(stack, 'Key', { alias: 'logs' });
  const accessLogBucket = s3.Bucket.fromBucketName(stack, 'AccessLogs', 'access-logs');
  const pii = s3.Bucket.fromBucketName(stack, 'Pii', 'customer-pii');
  const trail = new SecureTrail(stack, 'Trail', { key, accessLogBucket, logRetentionDays: 1096, archiveObjectLockDays: 1095, dataEventBuckets: [pii], ...over });
  const topic = new AlertTopic(stack, 'Alerts', { key: key.key, emails: ['oncall@example.com', 'ciso@example.com'] });
  new CisAlarms(stack, 'Cis', { logGroup: trail.logGroup, topic: topic.topic });
  return Template.fromStack(stack);
}

describe('SecureTrail', () => {
  let template: Template;
  beforeAll(() => { template = build(); });

  test('multi-region, global service events, log file validation, KMS, CloudWatch Logs', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true, IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogGroup'), 'Arn'] },
    });
  });

  test('records S3 data events on the PII buckets', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: Match.arrayWith([Match.objectLike({
        IncludeManagementEvents: false, ReadWriteType: 'All',
        DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::customer-pii/'] }],
      })]),
    });
  });

  test('the log group is KMS-encrypted, kept the configured days and retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 1096, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('the archive bucket: SSE-KMS, public access blocked, versioned, object lock compliance mode, access logs, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1095 } } },
        LoggingConfiguration: { DestinationBucketName: 'access-logs', LogFilePrefix: 'cloudtrail-archive/' },
      }),
      DeletionPolicy: 'Retain',
    });
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  test('the key lets CloudTrail and CloudWatch Logs of this account only encrypt', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([
        Match.objectLike({ Sid: 'AllowCloudTrailEncrypt', Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } } }),
        Match.objectLike({ Sid: 'AllowCloudWatchLogsEncrypt', Principal: { Service: 'logs.us-east-1.amazonaws.com' } }),
      ]) },
    });
  });

  test('fails when the retention or the archive lock is too short', () => {
    expect(() => build({ logRetentionDays: 90 })).toThrow(/logRetentionDays must be at least 365 .* got 90/);
    expect(() => build({ archiveObjectLockDays: 30 })).toThrow(/archiveObjectLockDays must be at least 1095 .* got 30/);
  });
});

describe('CisAlarms and AlertTopic', () => {
  let template: Template;
  beforeAll(() => { template = build(); });

  test('one metric filter and one alarm per CIS 4.1-4.15 control, each alarming the topic', () => {
    expect(CIS_METRIC_FILTERS.map((f) => f.cis)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    template.resourceCountIs('AWS::Logs::MetricFilter', 15);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15);
    for (const f of CIS_METRIC_FILTERS) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: f.pattern,
        LogGroupName: { Ref: Match.stringLikeRegexp('TrailLogGroup') },
        MetricTransformations: [{ MetricNamespace: 'CISBenchmark', MetricName: f.name, MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: f.name, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('Alerts') }],
        AlarmDescription: Match.stringLikeRegexp(`^CIS AWS ${f.cis.replace('.', '\\.')}:`),
      });
    }
  });

  test('the filter patterns catch what CIS names', () => {
    const byCis = Object.fromEntries(CIS_METRIC_FILTERS.map((f) => [f.cis, f.pattern]));
    expect(byCis['4.2']).toContain('$.additionalEventData.MFAUsed != "Yes"');
    expect(byCis['4.3']).toContain('$.userIdentity.type = "Root"');
    expect(byCis['4.5']).toContain('StopLogging');
    expect(byCis['4.7']).toContain('ScheduleKeyDeletion');
    expect(byCis['4.15']).toContain('LeaveOrganization');
  });

  test('the topic is KMS-encrypted, TLS-only and subscribed by every address', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ciso@example.com' });
    const statements = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'AllowcloudwatchPublish', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }));
  });
});
