import { CfnResource } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { GUARDDUTY_DETECTOR_METADATA, REQUIRED_GUARDDUTY_FEATURES } from '../../../lib/nag/rules/guardduty';
import { expectRule, param, paramValue } from '../helpers';

const allFeatures = REQUIRED_GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' }));

describe('GuardDutyAllProtections', () => {
  const rule = 'GuardDutyAllProtections';
  test('Compliance 1: detector with every protection plan', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures }), 'D', 'PASS');
  });
  test('Noncompliance 1: detector without runtime monitoring', () => {
    const f = expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures.filter((x) => x.name !== 'RUNTIME_MONITORING') }), 'D', 'FAIL');
    expect(f!.message).toMatch(/RUNTIME_MONITORING is not enabled/);
  });
  test('Noncompliance 2: disabled detector', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: false, features: allFeatures }), 'D', 'FAIL');
  });
  test('Unresolved 1: a feature status is a parameter', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: [...allFeatures.slice(1), { name: 'S3_DATA_EVENTS', status: param(s) }] }), 'D', 'ERROR');
  });
  test('Unresolved 2: enable is a parameter', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: paramValue(s), features: allFeatures }), 'D', 'ERROR');
  });
});

describe('GuardDutyDetectorPresent', () => {
  const rule = 'GuardDutyDetectorPresent';
  const table = (s: import('aws-cdk-lib').Stack) => new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  test('Compliance 1: an app with workloads and a detector', () => {
    expectRule(rule, (s) => { table(s); new guardduty.CfnDetector(s, 'D', { enable: true }); }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: a construct adopting the existing detector, marked explicitly', () => {
    expectRule(rule, (s) => {
      table(s);
      new CfnResource(s, 'Adopt', { type: 'Custom::AdoptDetector', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:1:function:f' } })
        .addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
    }, 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: workloads and no detector (a warning)', () => {
    const f = expectRule(rule, (s) => table(s), 'T/Resource', 'FAIL');
    expect(f!.severity).toBe('warning');
  });
  test('Unresolved 1: a marker that is not literally true does not count', () => {
    expectRule(rule, (s) => {
      table(s);
      new CfnResource(s, 'Adopt', { type: 'Custom::AdoptDetector', properties: {} }).addMetadata(GUARDDUTY_DETECTOR_METADATA, param(s));
    }, 'T/Resource', 'FAIL');
  });
});
