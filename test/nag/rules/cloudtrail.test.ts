import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
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
});
