import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CisAlarms } from '../../../lib/constructs/cis-alarms';
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { cisItemsOf } from '../../../lib/nag/rules/cloudtrail/cis-events';
import { expectRule, param, paramValue } from '../helpers';

const lockedBucket = (s: Stack, days = 1095) => new s3.Bucket(s, 'Archive', {
  objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(days)),
});
const goodTrail = (s: Stack, id = 'T', bucket?: s3.IBucket) => new cloudtrail.Trail(s, id, {
  bucket: bucket ?? lockedBucket(s), isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableFileValidation: true,
  encryptionKey: new kms.Key(s, `${id}Key`), sendToCloudWatchLogs: true,
});
const l1Trail = (s: Stack, extra: Partial<cloudtrail.CfnTrailProps>) =>
  new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: new s3.CfnBucket(s, 'B').ref, ...extra });

describe('CloudTrailValidatedEncrypted', () => {
  const rule = 'CloudTrailValidatedEncrypted';
  test('Compliance 1: L2 trail with validation and a key', () => {
    expectRule(rule, (s) => goodTrail(s), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 trail without a key', () => {
    expectRule(rule, (s) => new cloudtrail.Trail(s, 'T', { enableFileValidation: true }), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 trail without validation', () => {
    expectRule(rule, (s) => l1Trail(s, { kmsKeyId: new kms.CfnKey(s, 'K', { keyPolicy: {} }).ref }), 'T', 'FAIL');
  });
  test('Unresolved 1: validation is a parameter', () => {
    expectRule(rule, (s) => l1Trail(s, { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', enableLogFileValidation: paramValue(s) }), 'T', 'ERROR');
  });
});

describe('CloudTrailMultiRegionTrail', () => {
  const rule = 'CloudTrailMultiRegionTrail';
  test('Compliance 1: L2 complete multi-region trail', () => {
    expectRule(rule, (s) => goodTrail(s), 'T/Resource', 'PASS');
  });
  test('Compliance 2: a single-region trail passes when the app has a complete multi-region one', () => {
    expectRule(rule, (s) => {
      goodTrail(s);
      new cloudtrail.Trail(s, 'Regional', { isMultiRegionTrail: false });
    }, 'Regional/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 multi-region trail without CloudWatch Logs', () => {
    const f = expectRule(rule, (s) => new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, enableFileValidation: true, encryptionKey: new kms.Key(s, 'K') }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/no CloudWatch Logs delivery/);
  });
  test('Noncompliance 2: L1 single-region trail', () => {
    expectRule(rule, (s) => l1Trail(s, { isMultiRegionTrail: false }), 'T', 'FAIL');
  });
  test('Unresolved 1: multi-region is a parameter', () => {
    expectRule(rule, (s) => l1Trail(s, { isMultiRegionTrail: paramValue(s) }), 'T', 'ERROR');
  });
});

describe('CloudTrailArchiveObjectLock', () => {
  const rule = 'CloudTrailArchiveObjectLock';
  test('Compliance 1: L2 trail writing to a compliance-locked bucket (3 years)', () => {
    expectRule(rule, (s) => goodTrail(s), 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 trail writing to a bucket without object lock', () => {
    expectRule(rule, (s) => goodTrail(s, 'T', new s3.Bucket(s, 'Plain')), 'T/Resource', 'FAIL');
  });
  test('Noncompliance 2: governance mode for one year', () => {
    expectRule(rule, (s) => goodTrail(s, 'T', new s3.Bucket(s, 'Gov', {
      objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(365)),
    })), 'T/Resource', 'FAIL');
  });
  test('Unresolved 1: the bucket is a parameter (outside the app)', () => {
    expectRule(rule, (s) => new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: param(s) }), 'T', 'ERROR');
  });
  // Organization mode: the trail names its archive in another account's stack by the bucket's literal name.
  test('Compliance 2: the trail names, by its literal name, a compliance-locked bucket of the app', () => {
    expectRule(rule, (s) => {
      new s3.Bucket(s, 'Archive', { bucketName: 'org-archive-333333333333', objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(1095)) });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'org-archive-333333333333' });
    }, 'T', 'PASS');
  });
  test('Noncompliance 3: the bucket named by its literal name has no object lock', () => {
    expectRule(rule, (s) => {
      new s3.Bucket(s, 'Archive', { bucketName: 'org-archive-333333333333' });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'org-archive-333333333333' });
    }, 'T', 'FAIL');
  });
  test('Unresolved 2: a literal name no bucket of the app has', () => {
    expectRule(rule, (s) => {
      new s3.Bucket(s, 'Archive', { bucketName: 'another-bucket', objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(1095)) });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'org-archive-333333333333' });
    }, 'T', 'ERROR');
  });
});

describe('CloudTrailCisAlarms', () => {
  const rule = 'CloudTrailCisAlarms';
  /** The trail with its log group, and the CIS filters and alarms on it (all but `skip`, alarms without actions for `silent`). */
  const monitored = (s: Stack, opts: { skip?: string[]; silent?: string[]; patterns?: Record<string, string> } = {}) => {
    const logGroup = new logs.LogGroup(s, 'TrailLogs');
    new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
    const topic = new sns.Topic(s, 'Alerts');
    for (const f of CIS_METRIC_FILTERS.filter((x) => !opts.skip?.includes(x.cis))) {
      new logs.MetricFilter(s, `${f.name}Filter`, {
        logGroup, filterPattern: logs.FilterPattern.literal(opts.patterns?.[f.cis] ?? f.pattern), metricNamespace: 'CIS', metricName: f.name,
      });
      const alarm = new cloudwatch.Alarm(s, `${f.name}Alarm`, { metric: new cloudwatch.Metric({ namespace: 'CIS', metricName: f.name }), threshold: 1, evaluationPeriods: 1 });
      if (!opts.silent?.includes(f.cis)) alarm.addAlarmAction(new actions.SnsAction(topic));
    }
  };
  test('every pattern of CisAlarms is recognized as its own CIS item', () => {
    for (const f of CIS_METRIC_FILTERS) expect(cisItemsOf(f.pattern)).toContain(f.cis);
  });
  test('Compliance 1: L2 CisAlarms on the trail log group', () => {
    expectRule(rule, (s) => {
      const logGroup = new logs.LogGroup(s, 'TrailLogs');
      new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
      new CisAlarms(s, 'Cis', { logGroup, topic: new sns.Topic(s, 'Alerts') });
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: patterns written differently (order, quotes, wildcards, one filter for two items)', () => {
    expectRule(rule, (s) => monitored(s, { patterns: {
      '4.5': '{ ($.eventName = StopLogging) || ($.eventName = "DeleteTrail") || ($.eventName = UpdateTrail) || ($.eventName = CreateTrail) || ($.eventName = StartLogging) }',
      '4.7': '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion") || ($.eventName = "DisableKeyRotation")) }',
      '4.11': '{ ($.eventName = *NetworkAcl*) }',
    } }), 'T/Resource', 'PASS');
  });
  test('Compliance 3: a single-region trail is not evaluated (LOG-TRAIL reports it)', () => {
    expectRule(rule, (s) => new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: false, sendToCloudWatchLogs: true }), 'T/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 trail without filters names every missing item', () => {
    const f = expectRule(rule, (s) => new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, sendToCloudWatchLogs: true }), 'T/Resource', 'FAIL');
    expect(f!.message).toContain('no metric filter on the trail log group for CIS 4.1 (unauthorized API calls), 4.2');
    expect(f!.message).toContain('4.15 (AWS Organizations changes)');
  });
  test('Noncompliance 2: 4.3 missing, 4.8 naming too few events, 4.10 alarm without an action', () => {
    const f = expectRule(rule, (s) => monitored(s, {
      skip: ['4.3'], silent: ['4.10'], patterns: { '4.8': '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = PutBucketPolicy) }' },
    }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/no metric filter on the trail log group for CIS 4\.3 \(root user usage\), 4\.8 \(S3 bucket policy changes\); no alarm with an action on the metric of CIS 4\.10/);
  });
  test('Noncompliance 3: a negated event name does not count', () => {
    const f = expectRule(rule, (s) => monitored(s, { patterns: { '4.5': '{ ($.eventName != CreateTrail) && ($.eventName != UpdateTrail) && ($.eventName != DeleteTrail) && ($.eventName != StartLogging) && ($.eventName != StopLogging) }' } }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/for CIS 4\.5 \(CloudTrail configuration changes\)\)$/);
  });
  test('Noncompliance 4: L1 trail whose log group is a literal ARN with no filters', () => {
    expectRule(rule, (s) => l1Trail(s, {
      isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail:*', cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r',
    }), 'T', 'FAIL');
  });
  test('Unresolved 1: the trail log group is a parameter', () => {
    expectRule(rule, (s) => l1Trail(s, { isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: param(s), cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r' }), 'T', 'ERROR');
  });
  test('Unresolved 2: an alarm metric name is a parameter while 4.3 has no alarmed metric', () => {
    expectRule(rule, (s) => {
      monitored(s, { silent: ['4.3'] });
      new cloudwatch.CfnAlarm(s, 'Mystery', { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1, period: 300, statistic: 'Sum', namespace: 'CIS', metricName: param(s, 'M'), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] });
    }, 'T/Resource', 'ERROR');
  });
});
