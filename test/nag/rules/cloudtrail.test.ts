import { CfnParameter, CfnResource, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CisAlarms } from '../../../lib/constructs/cis-alarms';
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { PermissionsBoundaryAspect } from '../../../lib/constructs/permissions-boundary-aspect';
import { cisItemsOf } from '../../../lib/nag/rules/cloudtrail/cis-events';
import { expectRule, findingsOf, param, paramValue } from '../helpers';

const lockedBucket = (s: Stack, days = 1095) => new s3.Bucket(s, 'Archive', {
  objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(days)),
});
const goodTrail = (s: Stack, id = 'T', bucket?: s3.IBucket) => new cloudtrail.Trail(s, id, {
  bucket: bucket ?? lockedBucket(s), isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableFileValidation: true,
  encryptionKey: new kms.Key(s, `${id}Key`), sendToCloudWatchLogs: true,
});
const l1Trail = (s: Stack, extra: Partial<cloudtrail.CfnTrailProps>) =>
  new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: new s3.CfnBucket(s, 'B').ref, ...extra });

/** A value CDK cannot render (a construct validating at synthesis): not "cannot verify", the rule fails closed. */
const unrenderable = () => Lazy.string({ produce: () => { throw new Error('the value is not set yet'); } });
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/k';
/** Every property a complete multi-region trail needs, as L1 values. */
const completeL1: cloudtrail.CfnTrailProps = {
  s3BucketName: 'archive', isLogging: true, isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, kmsKeyId: KEY_ARN,
  cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail:*', cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r',
};

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
  test('Noncompliance 3: the FAIL says both what is off: validation and the customer-managed key', () => {
    const f = expectRule(rule, (s) => l1Trail(s, {}), 'T', 'FAIL');
    expect(f!.message).toMatch(/\(log file validation is off; logs are not encrypted with a customer-managed KMS key\)$/);
  });
  test('Unresolved 2: the ERROR names the property it cannot read (validation or key)', () => {
    const validation = expectRule(rule, (s) => l1Trail(s, { kmsKeyId: KEY_ARN, enableLogFileValidation: paramValue(s) }), 'T', 'ERROR');
    expect(validation!.message).toMatch(/cannot verify EnableLogFileValidation: unresolved value \{"Ref":"P"\}/);
    const key = expectRule(rule, (s) => l1Trail(s, { enableLogFileValidation: true, kmsKeyId: param(s) }), 'T', 'ERROR');
    expect(key!.message).toMatch(/cannot verify KMSKeyId: unresolved value \{"Ref":"P"\}/);
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
  test('Compliance 3: a complete L1 trail (every property literal)', () => {
    expectRule(rule, (s) => new cloudtrail.CfnTrail(s, 'T', completeL1), 'T', 'PASS');
  });
  test('Noncompliance 3: the FAIL lists every gap of the trail, in order', () => {
    const f = expectRule(rule, (s) => new cloudtrail.CfnTrail(s, 'T', { s3BucketName: 'archive', isLogging: false, isMultiRegionTrail: false, includeGlobalServiceEvents: false }), 'T', 'FAIL');
    expect(f!.message).toMatch(/\(no trail of the app is a complete multi-region trail; this one: not multi-region, excludes global service events, not logging, no log file validation, no customer-managed KMS key, no CloudWatch Logs delivery\)$/);
  });
  // Each property alone keeps a trail from being the complete multi-region trail: the attacker works where it is missing.
  test.each<[string, Partial<cloudtrail.CfnTrailProps>, string]>([
    ['single-region', { isMultiRegionTrail: false }, 'not multi-region'],
    ['excluding global service events (IAM, STS, CloudFront)', { includeGlobalServiceEvents: false }, 'excludes global service events'],
    ['stopped', { isLogging: false }, 'not logging'],
    ['without log file validation', { enableLogFileValidation: false }, 'no log file validation'],
    ['encrypted with the AWS managed key', { kmsKeyId: 'alias/aws/cloudtrail' }, 'no customer-managed KMS key'],
    ['with a log group but no role to deliver to it', { cloudWatchLogsRoleArn: undefined }, 'no CloudWatch Logs delivery'],
    ['with a delivery role but no log group', { cloudWatchLogsLogGroupArn: undefined }, 'no CloudWatch Logs delivery'],
  ])('Noncompliance 4: an otherwise complete trail %s fails, naming that gap alone', (_, change, gap) => {
    const f = expectRule(rule, (s) => new cloudtrail.CfnTrail(s, 'T', { ...completeL1, ...change }), 'T', 'FAIL');
    expect(f!.message).toMatch(new RegExp(`this one: ${gap}\\)$`));
  });
  test.each([['IsMultiRegionTrail', 'isMultiRegionTrail'], ['IncludeGlobalServiceEvents', 'includeGlobalServiceEvents'], ['IsLogging', 'isLogging'], ['EnableLogFileValidation', 'enableLogFileValidation'], ['KMSKeyId', 'kmsKeyId']] as const)(
    'Unresolved 2: the ERROR names the unresolved property %s', (cfn, prop) => {
      const f = expectRule(rule, (s) => new cloudtrail.CfnTrail(s, 'T', { ...completeL1, [prop]: prop === 'kmsKeyId' ? param(s) : paramValue(s) }), 'T', 'ERROR');
      expect(f!.message).toMatch(new RegExp(`cannot verify ${cfn}: unresolved value \\{"Ref":"P"\\}`));
    });
  test('Unresolved 3: another trail of the app is unresolved, so this single-region one cannot be said to fail either', () => {
    const fs = findingsOf(rule, (s) => {
      new cloudtrail.CfnTrail(s, 'Maybe', { ...completeL1, isMultiRegionTrail: paramValue(s) });
      new cloudtrail.CfnTrail(s, 'Regional', { s3BucketName: 'archive', isLogging: true });
    });
    expect(fs.map((f) => `${f.resource.id} ${f.status}`)).toEqual(['S/Maybe ERROR', 'S/Regional ERROR']);
    expect(fs[1].message).toMatch(/cannot verify IsMultiRegionTrail/);
  });
  test('Compliance 4: one complete trail is enough even when another trail of the app is unresolved', () => {
    const fs = findingsOf(rule, (s) => {
      new cloudtrail.CfnTrail(s, 'Maybe', { ...completeL1, isMultiRegionTrail: paramValue(s) });
      new cloudtrail.CfnTrail(s, 'T', completeL1);
    });
    expect(fs.map((f) => `${f.resource.id} ${f.status}`)).toEqual(['S/Maybe PASS', 'S/T PASS']);
  });
  test('a trail CDK cannot render: ERROR "rule failed" naming the error, for every trail (never a pass)', () => {
    const fs = findingsOf(rule, (s) => {
      new cloudtrail.CfnTrail(s, 'Broken', { ...completeL1, kmsKeyId: unrenderable() });
      new cloudtrail.CfnTrail(s, 'T', completeL1);
    });
    expect(fs.map((f) => `${f.resource.id} ${f.status}`)).toEqual(['S/Broken ERROR', 'S/T ERROR']);
    expect(fs[0].message).toMatch(/\(rule failed: .*the value is not set yet/);
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

describe('CloudTrailArchiveObjectLock: what the FAIL and ERROR say', () => {
  const rule = 'CloudTrailArchiveObjectLock';
  /** A trail writing to an L1 bucket with exactly these properties. */
  const archive = (s: Stack, props: s3.CfnBucketProps) => {
    new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: new s3.CfnBucket(s, 'B', props).ref });
  };
  const locked = (defaultRetention: s3.CfnBucket.DefaultRetentionProperty | ReturnType<typeof paramValue>): s3.CfnBucketProps => ({
    objectLockEnabled: true, objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: { defaultRetention } },
  });
  const failOf = (props: (s: Stack) => s3.CfnBucketProps) => expectRule(rule, (s) => archive(s, props(s)), 'T', 'FAIL')!.message;
  const errorOf = (props: (s: Stack) => s3.CfnBucketProps) => expectRule(rule, (s) => archive(s, props(s)), 'T', 'ERROR')!.message;

  test('Compliance 1: compliance mode for 3 years, written in years', () => {
    expectRule(rule, (s) => archive(s, locked({ mode: 'COMPLIANCE', years: 3 })), 'T', 'PASS');
  });
  test('Noncompliance 1: compliance mode for 2 years (730 days) is under three years', () => {
    expect(failOf(() => locked({ mode: 'COMPLIANCE', years: 2 }))).toMatch(/\(default retention 730 days is under 1095\)$/);
  });
  test('Noncompliance 2: compliance mode one day short of three years', () => {
    expect(failOf(() => locked({ mode: 'COMPLIANCE', days: 1094 }))).toMatch(/\(default retention 1094 days is under 1095\)$/);
  });
  test('Noncompliance 3: governance mode for three years (an administrator can bypass it and delete the archive)', () => {
    expect(failOf(() => locked({ mode: 'GOVERNANCE', days: 1095 }))).toMatch(/\(default retention is not COMPLIANCE mode\)$/);
  });
  test('Noncompliance 4: no object lock: says so, and only that', () => {
    expect(failOf(() => ({}))).toMatch(/\(the trail bucket has no object lock\)$/);
  });
  test('Noncompliance 5: object lock enabled but no default retention (objects are not locked unless each writer asks)', () => {
    const both = /\(default retention is not COMPLIANCE mode; default retention 0 days is under 1095\)$/;
    expect(failOf(() => ({ objectLockEnabled: true }))).toMatch(both);
    expect(failOf(() => ({ objectLockEnabled: true, objectLockConfiguration: { objectLockEnabled: 'Enabled' } }))).toMatch(both);
    expect(failOf(() => ({ objectLockEnabled: true, objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: {} } }))).toMatch(both);
  });
  test.each<[string, (s: Stack) => s3.CfnBucketProps]>([
    ['ObjectLockEnabled', (s) => ({ objectLockEnabled: paramValue(s) })],
    ['ObjectLockConfiguration', (s) => ({ objectLockEnabled: true, objectLockConfiguration: paramValue(s) })],
    ['ObjectLockConfiguration.Rule', (s) => ({ objectLockEnabled: true, objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: paramValue(s) } })],
    ['DefaultRetention', (s) => locked(paramValue(s))],
    ['DefaultRetention.Mode', (s) => locked({ mode: param(s), days: 1095 })],
    ['DefaultRetention.Days', (s) => locked({ mode: 'COMPLIANCE', days: paramValue(s) as unknown as number })],
    ['DefaultRetention.Years', (s) => locked({ mode: 'COMPLIANCE', years: paramValue(s) as unknown as number })],
  ])('Unresolved 1: the ERROR names the unresolved bucket property %s', (what, props) => {
    expect(errorOf(props)).toMatch(new RegExp(`cannot verify ${what.replace('.', '\\.')}: unresolved value \\{"Ref":"P"\\}`));
  });
  test('Unresolved 2: a bucket a custom resource creates cannot be verified (it is not an AWS::S3::Bucket of the app)', () => {
    const f = expectRule(rule, (s) => {
      const maker = new CfnResource(s, 'Maker', { type: 'Custom::ArchiveBucket', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:make' } });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: maker.getAtt('BucketName').toString() });
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the trail bucket \(outside the app\?\): unresolved value \{"Fn::GetAtt":\["Maker","BucketName"\]\}/);
  });
  test('Unresolved 3: a trail without a bucket name is not matched to the app\'s one unnamed (locked) bucket', () => {
    expectRule(rule, (s) => {
      lockedBucket(s);
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'x' }).addPropertyDeletionOverride('S3BucketName');
    }, 'T', 'ERROR');
  });
  test('Unresolved 4: an empty bucket name names no bucket, not even one whose name is empty too', () => {
    expectRule(rule, (s) => {
      new s3.CfnBucket(s, 'B', { bucketName: '', ...locked({ mode: 'COMPLIANCE', days: 1095 }) });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: '' });
    }, 'T', 'ERROR');
  });
  test('Unresolved 5: two buckets of the app claim the trail\'s bucket name: the locked one is not assumed', () => {
    expectRule(rule, (s) => {
      new s3.CfnBucket(s, 'Locked', { bucketName: 'org-archive', ...locked({ mode: 'COMPLIANCE', days: 1095 }) });
      new s3.CfnBucket(s, 'Plain', { bucketName: 'org-archive' });
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'org-archive' });
    }, 'T', 'ERROR');
  });
});

describe('CloudTrailCisAlarms', () => {
  const rule = 'CloudTrailCisAlarms';
  /**
   * The trail with its log group, and the CIS filters and alarms on it (all but `skip`, alarms without actions for `silent`,
   * actions disabled for `disabled`, alarms on a math expression over the metric for `math`).
   */
  const monitored = (s: Stack, opts: { skip?: string[]; silent?: string[]; disabled?: string[]; math?: string[]; actionsEnabled?: boolean; patterns?: Record<string, string> } = {}) => {
    const logGroup = new logs.LogGroup(s, 'TrailLogs');
    new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
    const topic = new sns.Topic(s, 'Alerts');
    for (const f of CIS_METRIC_FILTERS.filter((x) => !opts.skip?.includes(x.cis))) {
      new logs.MetricFilter(s, `${f.name}Filter`, {
        logGroup, filterPattern: logs.FilterPattern.literal(opts.patterns?.[f.cis] ?? f.pattern), metricNamespace: 'CIS', metricName: f.name,
      });
      const metric = new cloudwatch.Metric({ namespace: 'CIS', metricName: f.name });
      const alarm = new cloudwatch.Alarm(s, `${f.name}Alarm`, {
        metric: opts.math?.includes(f.cis) ? new cloudwatch.MathExpression({ expression: 'FILL(m1, 0)', usingMetrics: { m1: metric } }) : metric,
        threshold: 1, evaluationPeriods: 1, actionsEnabled: opts.disabled?.includes(f.cis) ? false : opts.actionsEnabled,
      });
      if (!opts.silent?.includes(f.cis)) alarm.addAlarmAction(new actions.SnsAction(topic));
    }
    return { logGroup, topic };
  };
  /** CIS filters naming the log group by its literal name (as another stack or team writes them), each metric alarmed to a topic. */
  const filtersOnGroupNamed = (s: Stack, name: string) => {
    const topic = new sns.Topic(s, 'Alerts');
    for (const f of CIS_METRIC_FILTERS) {
      new logs.CfnMetricFilter(s, `${f.name}Filter`, { logGroupName: name, filterPattern: f.pattern, metricTransformations: [{ metricNamespace: 'CIS', metricName: f.name, metricValue: '1' }] });
      new cloudwatch.Alarm(s, `${f.name}Alarm`, { metric: new cloudwatch.Metric({ namespace: 'CIS', metricName: f.name }), threshold: 1, evaluationPeriods: 1 })
        .addAlarmAction(new actions.SnsAction(topic));
    }
  };
  const ROLE = 'arn:aws:iam::111122223333:role/r';
  const alarmL1 = (s: Stack, extra: Partial<cloudwatch.CfnAlarmProps>) => new cloudwatch.CfnAlarm(s, 'Mystery', {
    comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1, period: 300, statistic: 'Sum', ...extra,
  });
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
  // CloudWatch Logs filter patterns are case sensitive (FilterAndPatternSyntax): a filter naming `createtrail`
  // or selecting `$.useridentity.type` never matches CloudTrail's `CreateTrail` / `userIdentity`, so the alarm never fires.
  test('Noncompliance 5: event names and fields written in the wrong case match nothing, so they cover no CIS item', () => {
    expect(cisItemsOf('{ ($.eventName = createtrail) || ($.eventName = updatetrail) || ($.eventName = deletetrail) || ($.eventName = startlogging) || ($.eventName = stoplogging) }')).toEqual([]);
    expect(cisItemsOf('{ $.userIdentity.type = "root" }')).toEqual([]);
    expect(cisItemsOf('{ $.useridentity.TYPE = "Root" }')).toEqual([]);
    expect(cisItemsOf('{ ($.errorcode = "*UnauthorizedOperation") || ($.errorcode = "AccessDenied*") }')).toEqual([]);
    const f = expectRule(rule, (s) => monitored(s, { patterns: { '4.5': '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = startLogging) || ($.eventName = StopLogging) }' } }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/no metric filter on the trail log group for CIS 4\.5 \(CloudTrail configuration changes\)\)$/);
  });
  test('Unresolved 1: the trail log group is a parameter', () => {
    const f = expectRule(rule, (s) => l1Trail(s, { isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: param(s), cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r' }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the trail log group: unresolved value \{"Ref":"P"\}/);
  });
  test('Unresolved 2: an alarm metric name is a parameter while 4.3 has no alarmed metric', () => {
    expectRule(rule, (s) => {
      monitored(s, { silent: ['4.3'] });
      new cloudwatch.CfnAlarm(s, 'Mystery', { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1, period: 300, statistic: 'Sum', namespace: 'CIS', metricName: param(s, 'M'), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] });
    }, 'T/Resource', 'ERROR');
  });
  // Any uncovered item with something unresolved is an ERROR that names what could not be read.
  test.each<[string, (s: Stack, logGroup: logs.ILogGroup) => void]>([
    ['FilterPattern', (s, g) => new logs.CfnMetricFilter(s, 'X', { logGroupName: g.logGroupName, filterPattern: param(s), metricTransformations: [{ metricNamespace: 'CIS', metricName: 'X', metricValue: '1' }] })],
    ['MetricTransformations', (s, g) => new logs.CfnMetricFilter(s, 'X', { logGroupName: g.logGroupName, filterPattern: CIS_METRIC_FILTERS[2].pattern, metricTransformations: paramValue(s) })],
    ['metric transformation', (s, g) => new logs.CfnMetricFilter(s, 'X', { logGroupName: g.logGroupName, filterPattern: CIS_METRIC_FILTERS[2].pattern, metricTransformations: [paramValue(s)] })],
    ['metric namespace', (s) => alarmL1(s, { namespace: param(s), metricName: 'RootAccountUsage', alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['metric name', (s) => alarmL1(s, { namespace: 'CIS', metricName: param(s), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['Metrics', (s) => alarmL1(s, { metrics: paramValue(s), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['metric query', (s) => alarmL1(s, { metrics: [paramValue(s)], alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['MetricStat', (s) => alarmL1(s, { metrics: [{ id: 'm1', metricStat: paramValue(s) }], alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['MetricStat.Metric', (s) => alarmL1(s, { metrics: [{ id: 'm1', metricStat: { metric: paramValue(s), period: 300, stat: 'Sum' } }], alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['ActionsEnabled', (s) => alarmL1(s, { namespace: 'CIS', metricName: 'RootAccountUsage', actionsEnabled: paramValue(s), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] })],
    ['AlarmActions', (s) => alarmL1(s, { namespace: 'CIS', metricName: 'RootAccountUsage', alarmActions: new CfnParameter(s, 'P', { type: 'CommaDelimitedList' }).valueAsList })],
    ['the metric filter log group', (s) => new logs.CfnMetricFilter(s, 'X', { logGroupName: param(s), filterPattern: CIS_METRIC_FILTERS[2].pattern, metricTransformations: [{ metricNamespace: 'CIS', metricName: 'X', metricValue: '1' }] })],
  ])('Unresolved 3: 4.3 uncovered and %s unresolved: the ERROR names it', (what, add) => {
    const f = expectRule(rule, (s) => { const { logGroup } = monitored(s, { skip: ['4.3'] }); add(s, logGroup); }, 'T/Resource', 'ERROR');
    expect(f!.message).toMatch(new RegExp(`cannot verify ${what.replace('.', '\\.')}: unresolved value \\{"Ref":"P"\\}`));
  });
  test('Unresolved 4: IsMultiRegionTrail is a parameter: the ERROR names it', () => {
    const f = expectRule(rule, (s) => l1Trail(s, { isMultiRegionTrail: paramValue(s), cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail:*', cloudWatchLogsRoleArn: ROLE }), 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify IsMultiRegionTrail: unresolved value/);
  });
  test('Unresolved 5: the trail delivers to a log group a custom resource creates (not an AWS::Logs::LogGroup of the app)', () => {
    const f = expectRule(rule, (s) => {
      filtersOnGroupNamed(s, 'trail-logs');
      const maker = new CfnResource(s, 'Maker', { type: 'Custom::LogGroup', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:make' } });
      l1Trail(s, { isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: maker.getAtt('Arn').toString(), cloudWatchLogsRoleArn: ROLE });
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the trail log group: unresolved value \{"Fn::GetAtt":\["Maker","Arn"\]\}/);
  });
  test('Unresolved 6: a wildcard ARN is not one log group: the filters on trail-logs are not assumed to be the trail\'s', () => {
    expectRule(rule, (s) => {
      filtersOnGroupNamed(s, 'trail-logs');
      l1Trail(s, { isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail-logs*', cloudWatchLogsRoleArn: ROLE });
    }, 'T', 'ERROR');
  });
  test.each([
    ['a literal ARN', 'arn:aws:logs:us-east-1:111122223333:log-group:trail-logs:*'],
    ['a literal ARN without the :* suffix', 'arn:aws:logs:us-east-1:111122223333:log-group:trail-logs'],
    ['an ARN built from pseudo parameters', Fn.sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:trail-logs:*')],
  ])('Compliance 4: the trail names its log group by %s, the filters by its literal name', (_, arn) => {
    expectRule(rule, (s) => {
      filtersOnGroupNamed(s, 'trail-logs');
      l1Trail(s, { isMultiRegionTrail: true, cloudWatchLogsLogGroupArn: arn, cloudWatchLogsRoleArn: ROLE });
    }, 'T', 'PASS');
  });
  test('Compliance 5: an L2 log group with a literal name, the filters written by that name', () => {
    expectRule(rule, (s) => {
      const logGroup = new logs.LogGroup(s, 'TrailLogs', { logGroupName: 'trail-logs' });
      new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true, sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
      filtersOnGroupNamed(s, 'trail-logs');
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 6: alarms on a math expression over the CIS metric (metric queries) count', () => {
    expectRule(rule, (s) => monitored(s, { math: ['4.3', '4.10'] }), 'T/Resource', 'PASS');
  });
  test('Compliance 7: alarms with actionsEnabled: true written out', () => {
    expectRule(rule, (s) => monitored(s, { actionsEnabled: true }), 'T/Resource', 'PASS');
  });
  test('Compliance 8: a second filter counting root use into a metric nobody alarms on does not hide the alarmed one', () => {
    expectRule(rule, (s) => {
      const { logGroup } = monitored(s);
      new logs.MetricFilter(s, 'TeamRoot', { logGroup, filterPattern: logs.FilterPattern.literal(CIS_METRIC_FILTERS[2].pattern), metricNamespace: 'Team', metricName: 'RootUse' });
    }, 'T/Resource', 'PASS');
  });
  test('Compliance 9: an unrelated alarm the app cannot resolve does not hide that every item is covered', () => {
    expectRule(rule, (s) => { monitored(s); alarmL1(s, { namespace: 'App', metricName: param(s), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] }); }, 'T/Resource', 'PASS');
  });
  test('Compliance 10: a multi-region trail without CloudWatch Logs is not evaluated (LOG-TRAIL reports it)', () => {
    expectRule(rule, (s) => new cloudtrail.Trail(s, 'T', { isMultiRegionTrail: true }), 'T/Resource', 'N/A');
  });
  test('Noncompliance 6: an alarm whose actions are disabled never pages anyone', () => {
    const f = expectRule(rule, (s) => monitored(s, { disabled: ['4.10'] }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/with an action \(no alarm with an action on the metric of CIS 4\.10 \(security group changes\)\)$/);
  });
  test('Noncompliance 7: only silent alarms: the FAIL names each silent item and nothing about filters', () => {
    const f = expectRule(rule, (s) => monitored(s, { silent: ['4.3', '4.10'] }), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/with an action \(no alarm with an action on the metric of CIS 4\.3 \(root user usage\), 4\.10 \(security group changes\)\)$/);
    expect(f!.message).not.toMatch(/no metric filter/);
  });
  test('Noncompliance 8: a filter matching no CIS event is ignored: its unresolved metric does not turn the FAIL into an ERROR', () => {
    const f = expectRule(rule, (s) => {
      const { logGroup } = monitored(s, { skip: ['4.3'] });
      new logs.CfnMetricFilter(s, 'AppErrors', { logGroupName: logGroup.logGroupName, filterPattern: '{ $.level = "ERROR" }', metricTransformations: [{ metricNamespace: 'App', metricName: param(s), metricValue: '1' }] });
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/for CIS 4\.3 \(root user usage\)\)$/);
  });
  test('Noncompliance 9: a math alarm alarms only the metrics it reads (not a metric literally named "undefined")', () => {
    const f = expectRule(rule, (s) => {
      const { logGroup, topic } = monitored(s, { skip: ['4.3'] });
      new logs.MetricFilter(s, 'Root', { logGroup, filterPattern: logs.FilterPattern.literal(CIS_METRIC_FILTERS[2].pattern), metricNamespace: 'undefined', metricName: 'undefined' });
      new cloudwatch.Alarm(s, 'Math', {
        metric: new cloudwatch.MathExpression({ expression: 'm1', usingMetrics: { m1: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }) } }), threshold: 1, evaluationPeriods: 1,
      }).addAlarmAction(new actions.SnsAction(topic));
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/no alarm with an action on the metric of CIS 4\.3 \(root user usage\)\)$/);
  });
  test('an alarm CDK cannot render: ERROR "rule failed" naming the error (never a pass)', () => {
    const fs = findingsOf(rule, (s) => { monitored(s); alarmL1(s, { namespace: 'App', metricName: unrenderable(), alarmActions: ['arn:aws:sns:us-east-1:111122223333:alerts'] }); });
    expect(fs.map((f) => `${f.resource.id} ${f.status}`)).toEqual(['S/T/Resource ERROR']);
    expect(fs[0].message).toMatch(/\(rule failed: .*the value is not set yet/);
  });
  test('patterns are read as CloudWatch Logs reads them: ? matches one character, spaces around = are optional', () => {
    expect(cisItemsOf('{ ($.eventName = DisableKe?) || ($.eventName = Schedule?eyDeletion) }')).toContain('4.7');
    expect(cisItemsOf('{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||($.eventName=StartLogging)||($.eventName=StopLogging)}')).toContain('4.5');
  });
});

describe('CloudTrailPipelineBoundaryProtected', () => {
  const rule = 'CloudTrailPipelineBoundaryProtected';
  const PREFIX = 'Hardening-security-';
  const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
  /** A role bounded by a managed policy of the app holding `statements`. */
  const bounded = (s: Stack, statements: Record<string, unknown>[] | iam.IManagedPolicy, roleName?: string) => {
    const policy = !Array.isArray(statements) ? statements
      : new iam.ManagedPolicy(s, 'Boundary', { document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }) });
    return new iam.Role(s, 'Ops', { assumedBy: new iam.AccountRootPrincipal(), roleName, permissionsBoundary: policy });
  };
  /** A trail delivering to a log group (named `name`, or by CloudFormation) read by the CIS filters. */
  const pipeline = (s: Stack, name: string | null = `${PREFIX}cloudtrail`) => {
    const logGroup = new logs.LogGroup(s, 'Logs', { logGroupName: name ?? undefined });
    new cloudtrail.Trail(s, 'T', { trailName: `${PREFIX}trail`, sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
    new CisAlarms(s, 'Cis', { logGroup, topic: new sns.Topic(s, 'Alerts') });
  };
  const both = (build: (s: Stack) => void) => findingsOf(rule, build).filter((f) => /\/(T|Logs)\/Resource$/.test(f.resource.id))
    .map((f) => [f.resource.id.replace(/^S\//, ''), f.status]);

  test('Compliance 1: the project\'s boundary (policies/iam/permissions-boundary.json) on every role', () => {
    const fs = findingsOf(rule, (s) => { bounded(s, PermissionsBoundaryAspect.boundaryOf(s)); pipeline(s); });
    expect(fs.map((f) => [f.resource.id.replace(/^S\//, ''), f.status])).toEqual([['Logs/Resource', 'PASS'], ['T/Resource', 'PASS']]);
  });
  test('Compliance 2: a boundary that allows nothing of CloudTrail or CloudWatch Logs denies it implicitly', () => {
    expect(both((s) => { bounded(s, [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*'], Resource: '*' }]); pipeline(s); }))
      .toEqual([['Logs/Resource', 'PASS'], ['T/Resource', 'PASS']]);
  });
  test('Compliance 3: a log group no trail writes and no CIS filter reads is not applicable', () => {
    expectRule(rule, (s) => { bounded(s, [allowAll]); new logs.LogGroup(s, 'App'); }, 'App/Resource', 'N/A');
  });
  test('Noncompliance 1: the app gives no role a boundary (both resources fail, naming the actions)', () => {
    const fs = findingsOf(rule, (s) => { new iam.Role(s, 'Ops', { assumedBy: new iam.AccountRootPrincipal() }); pipeline(s); });
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
    expect(fs.find((f) => f.resource.id === 'S/T/Resource')!.message).toMatch(/no role or user of the app in the trail's account has a permissions boundary, so nothing the app deploys denies cloudtrail:StopLogging/);
    expect(fs.find((f) => f.resource.id === 'S/Logs/Resource')!.message).toMatch(/logs:DeleteLogGroup.*the trail S\/T\/Resource delivers to it/);
  });
  test('Noncompliance 2: a boundary that denies only IAM changes leaves the trail and its log group open', () => {
    const fs = findingsOf(rule, (s) => { bounded(s, [allowAll, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }]); pipeline(s); });
    expect(fs.map((f) => f.status)).toEqual(['FAIL', 'FAIL']);
    expect(fs.find((f) => f.resource.id === 'S/T/Resource')!.message).toMatch(/a role given this boundary and S\/Ops\/Resource with an access key may call cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors on arn:aws:cloudtrail:us-east-1:\$\{AWS::AccountId\}:trail\/Hardening-security-trail/);
  });
  test('Noncompliance 3: reads right, means otherwise: the log-group deny is aimed at another name', () => {
    const f = expectRule(rule, (s) => {
      bounded(s, [allowAll, { Sid: 'Trail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' },
        { Sid: 'SecurityLogs', Effect: 'Deny', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:other-*' }]);
      pipeline(s);
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/may call logs:DeleteLogGroup, .*logs:PutRetentionPolicy, logs:DisassociateKmsKey on arn:aws:logs:us-east-1:\$\{AWS::AccountId\}:log-group:Hardening-security-cloudtrail:\*/);
    expect(f!.message).toMatch(/a CIS metric filter|the trail S\/T\/Resource delivers to it/);
  });
  test('Noncompliance 4: reads right, means otherwise: the exact log-group ARN, which IAM never sees (it authorizes `<arn>:*`)', () => {
    expectRule(rule, (s) => {
      bounded(s, [allowAll, { Effect: 'Deny', Action: 'logs:*', Resource: `arn:aws:logs:*:*:log-group:${PREFIX}cloudtrail` }]);
      pipeline(s);
    }, 'Logs/Resource', 'FAIL');
  });
  test('Noncompliance 5: the deny exempts a bounded role by name (and any role a wildcard admits)', () => {
    const deny = (pattern: string) => [allowAll, { Sid: 'Trail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': pattern } } }];
    const exempted = findingsOf(rule, (s) => { bounded(s, deny('arn:aws:iam::*:role/ops-deployer'), 'ops-deployer'); pipeline(s); }).find((f) => f.resource.id === 'S/T/Resource')!;
    expect(exempted.status).toBe('FAIL');
    expect(exempted.message).toMatch(/S\/Ops\/Resource with an access key may call cloudtrail:StopLogging/);
    const wildcard = findingsOf(rule, (s) => { bounded(s, deny('arn:aws:iam::*:role/automation-*')); pipeline(s); }).find((f) => f.resource.id === 'S/T/Resource')!;
    expect(wildcard.status).toBe('FAIL');
    expect(wildcard.message).toMatch(/a principal matching arn:aws:iam::\*:role\/automation-\* \(arn:aws:iam::\$\{AWS::AccountId\}:role\/automation-any\)/);
  });
  test('Noncompliance 6: reads right, means otherwise: the deny holds only without MFA', () => {
    const f = expectRule(rule, (s) => {
      bounded(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }]);
      pipeline(s);
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/in a session with MFA may call cloudtrail:StopLogging/);
  });
  test('Noncompliance 7: a log group CloudFormation names is outside a deny by name prefix', () => {
    const f = expectRule(rule, (s) => { bounded(s, PermissionsBoundaryAspect.boundaryOf(s)); pipeline(s, null); }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/it has no literal LogGroupName/);
  });
  test('Noncompliance 8: a trail delivering to a log group outside the app, which the boundary leaves open', () => {
    const f = expectRule(rule, (s) => {
      bounded(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]);
      new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'archive', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail:*', cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/TrailLogs' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/logs:DisassociateKmsKey on arn:aws:logs:us-east-1:111122223333:log-group:org-trail:\*/);
    expect(f!.message).not.toMatch(/cloudtrail:StopLogging|no literal TrailName/);
  });
  test('Noncompliance 9: an AWS managed policy as the boundary (PowerUserAccess allows CloudTrail)', () => {
    const f = expectRule(rule, (s) => { bounded(s, iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')); pipeline(s); }, 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/under the boundary AWS managed policy PowerUserAccess/);
  });
  test('Unresolved 1: the boundary is a policy outside the app', () => {
    const f = expectRule(rule, (s) => {
      bounded(s, iam.ManagedPolicy.fromManagedPolicyArn(s, 'Org', 'arn:aws:iam::111122223333:policy/OrgBoundary'));
      pipeline(s);
    }, 'T/Resource', 'ERROR');
    expect(f!.message).toMatch(/the permissions boundary arn:aws:iam::111122223333:policy\/OrgBoundary is not in the app/);
  });
});
