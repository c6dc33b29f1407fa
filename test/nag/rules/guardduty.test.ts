import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GUARDDUTY_DETECTOR_METADATA, REQUIRED_GUARDDUTY_FEATURES } from '../../../lib/nag/rules/guardduty';
import { coversHighSeverity } from '../../../lib/nag/rules/guardduty/event-rules';
import { expectRule, findingsOf, param, paramValue } from '../helpers';

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

describe('coversHighSeverity (the union of severity matchers admits every severity from 7 to 10)', () => {
  test.each([
    [[{ numeric: ['>=', 7] }], true],
    [[{ numeric: ['>', 6.9] }], true],
    [[{ numeric: ['>=', 4] }], true],
    [[{ numeric: ['>=', 7, '<', 9] }, { numeric: ['>=', 9, '<=', 10] }], true],
    [[{ numeric: ['>', 7] }], false],
    [[{ numeric: ['>=', 7, '<=', 8.9] }], false],
    [[{ numeric: ['>=', 7, '<', 8] }, { numeric: ['>', 8] }], false],
    [[7, 8, 9], false],
  ])('%j -> %s', (matchers, expected) => {
    expect(coversHighSeverity(matchers)).toBe(expected);
  });
  test('an unknown matcher cannot be judged', () => {
    expect(coversHighSeverity([{ 'anything-but': [1] }])).toBeUndefined();
  });
});

describe('GuardDutyHighSeverityRouted', () => {
  const rule = 'GuardDutyHighSeverityRouted';
  const detector = (s: Stack) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
  const forward = (s: Stack, detail?: Record<string, unknown>, extra: Partial<events.RuleProps> = {}) => new events.Rule(s, 'Findings', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail },
    targets: [new targets.SnsTopic(new sns.Topic(s, 'T'))], ...extra,
  });
  test('Compliance 1: L2 rule forwarding severity >= 7', () => {
    expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 7] }] }); }, 'D', 'PASS');
  });
  test('Compliance 2: L2 rule forwarding every finding, high and critical as two ranges', () => {
    expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 7, '<', 9] }, { numeric: ['>=', 9] }] }); }, 'D', 'PASS');
  });
  test('Compliance 3: the adoption marker and an L1 rule without a severity filter', () => {
    expectRule(rule, (s) => {
      new CfnResource(s, 'Adopt', { type: 'Custom::GuardDutyDetectorAdoption' }).addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
      // The stack's account is unresolved: a topic of the same account is named with the pseudo parameter.
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'] }, targets: [{ id: 't', arn: Fn.sub('arn:aws:sns:us-east-1:${AWS::AccountId}:alerts') }] });
    }, 'Adopt', 'PASS');
  });
  test('Noncompliance 1: no rule matches aws.guardduty', () => {
    const f = expectRule(rule, (s) => detector(s), 'D', 'FAIL');
    expect(f!.message).toMatch(/no EventBridge rule matches source aws.guardduty/);
  });
  test('Noncompliance 2: severity >= 8 misses findings from 7 to 8', () => {
    const f = expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 8] }] }); }, 'D', 'FAIL');
    expect(f!.message).toMatch(/does not admit every severity from 7 to 10/);
  });
  test('Noncompliance 3: the rule filters on a finding type, on a custom bus', () => {
    const f = expectRule(rule, (s) => {
      detector(s);
      forward(s, { type: ['UnauthorizedAccess:EC2/SSHBruteForce'] }, { eventBus: new events.EventBus(s, 'Bus') });
    }, 'D', 'FAIL');
    expect(f!.message).toMatch(/event bus .* GuardDuty publishes to the default bus.*detail.type/);
  });
  test('Unresolved 1: the severity bound is a parameter', () => {
    expectRule(rule, (s) => {
      detector(s);
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', param(s)] }] } }, targets: [{ id: 't', arn: 'arn:aws:sns:us-east-1:111122223333:alerts' }] });
    }, 'D', 'ERROR');
  });
});

describe('GuardDutyHighSeverityRouted: filters on the event envelope (account, region, version)', () => {
  // GuardDuty puts its findings on the default bus of its own account and region as version "0" events:
  // a rule whose pattern names another account, region or version matches none of them.
  const rule = 'GuardDutyHighSeverityRouted';
  const ACCOUNT = '111122223333';
  /** A detector and an L1 rule in a stack of a known account (us-east-1), with the given top-level filters. */
  const build = (filters: Record<string, unknown>) => (s: Stack) => {
    const st = new Stack(s.node.root as App, 'Acct', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new guardduty.CfnDetector(st, 'D', { enable: true, features: allFeatures });
    new events.CfnRule(st, 'R', {
      eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], ...filters },
      targets: [{ id: 't', arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` }],
    });
  };
  test('Compliance 1: filters naming the rule\'s own account, region and version 0', () => {
    expectRule(rule, build({ account: [ACCOUNT], region: ['us-east-1'], version: ['0'] }), 'D', 'PASS');
  });
  test('Compliance 2: an L2 rule filtering on its stack\'s own account and region (pseudo parameters)', () => {
    expectRule(rule, (s) => {
      new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
      new events.Rule(s, 'Findings', {
        eventPattern: { source: ['aws.guardduty'], account: [s.account], region: [s.region, 'eu-west-1'] },
        targets: [new targets.SnsTopic(new sns.Topic(s, 'T'))],
      });
    }, 'D', 'PASS');
  });
  test('Noncompliance 1: a region filter naming another region matches no finding', () => {
    const f = expectRule(rule, build({ region: ['eu-west-1'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on region \["eu-west-1"\], the rule is in 111122223333\/us-east-1/);
  });
  test('Noncompliance 2: an account filter naming another account matches no finding', () => {
    const f = expectRule(rule, build({ account: ['999999999999'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on account \["999999999999"\]/);
  });
  test('Noncompliance 3: a version filter other than 0 matches no finding', () => {
    const f = expectRule(rule, build({ version: ['1'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on version \["1"\], GuardDuty's events are version 0/);
  });
  test('Unresolved 1: a literal account filter in a stack whose account is unresolved', () => {
    const f = findingsOf(rule, (s) => {
      new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], account: ['999999999999'] }, targets: [{ id: 't', arn: Fn.sub('arn:aws:sns:us-east-1:${AWS::AccountId}:alerts') }] });
    });
    expect(f.map((x) => x.status)).toEqual(['ERROR']);
    expect(f[0].message).toMatch(/cannot verify that the pattern's account filter admits the rule's own account/);
  });
  test('Unresolved 2: a region matcher other than a value (prefix), and a version matcher', () => {
    expectRule(rule, build({ region: [{ prefix: 'us-' }] }), 'D', 'ERROR');
    expectRule(rule, build({ version: [{ prefix: '0' }] }), 'D', 'ERROR');
  });
  test('Unresolved 3: a region filter holding the account pseudo parameter', () => {
    expectRule(rule, build({ region: [{ Ref: 'AWS::AccountId' }] }), 'D', 'ERROR');
  });
});
