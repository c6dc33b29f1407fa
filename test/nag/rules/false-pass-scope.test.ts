import { App, CfnOutput, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Finding } from '../../../lib/findings';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { REQUIRED_GUARDDUTY_FEATURES } from '../../../lib/nag/rules/guardduty';
import { ResourceIndex, arnEnvironment, sameEnvironment } from '../../../lib/nag/resource-index';
import { param } from '../helpers';

// Class "scope of account and region ignored": detectors, EventBridge rules and topics are regional;
// a rule in another region or account routes nothing for this detector.

const ACCOUNT = '111111111111';
const features = REQUIRED_GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' }));
const env = (region?: string, account: string | undefined = ACCOUNT) => ({ ...(account ? { account } : {}), ...(region ? { region } : {}) });

function statusOf(app: App, rule: string, id: string): Finding[] {
  return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') }).filter((f) => f.resource.id === id);
}

/** An EventBridge rule forwarding every high-severity GuardDuty finding to `targetArn`. */
function forward(s: Stack, targetArn: string, id = 'R'): events.CfnRule {
  return new events.CfnRule(s, id, {
    eventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': { severity: [{ numeric: ['>=', 7] }] } },
    targets: [{ id: 't', arn: targetArn }],
  });
}

describe('GuardDutyHighSeverityRouted compares the rule\'s account and region with the detector\'s', () => {
  const rule = 'GuardDutyHighSeverityRouted';
  const two = (a: ReturnType<typeof env>, b: ReturnType<typeof env>) => {
    const app = new App();
    const det = new Stack(app, 'Det', { env: a });
    const route = new Stack(app, 'Route', { env: b });
    new guardduty.CfnDetector(det, 'D', { enable: true, features });
    return { app, det, route };
  };
  test('Compliance 1: the rule in another stack of the same account and region, targeting its own topic', () => {
    const { app, route } = two(env('us-east-1'), env('us-east-1'));
    forward(route, new sns.Topic(route, 'T').topicArn);
    expect(statusOf(app, rule, 'Det/D').map((f) => f.status)).toEqual(['PASS']);
  });
  test('Compliance 2: environment-agnostic stacks of one app, target built with the pseudo parameters', () => {
    const { app, route } = two(env(undefined, undefined), env(undefined, undefined));
    forward(route, Fn.sub('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts'));
    expect(statusOf(app, rule, 'Det/D').map((f) => f.status)).toEqual(['PASS']);
  });
  test('Noncompliance 1: the only rule is in another region', () => {
    const { app, route } = two(env('us-east-1'), env('us-west-2'));
    forward(route, new sns.Topic(route, 'T').topicArn);
    const f = statusOf(app, rule, 'Det/D');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain('us-west-2');
  });
  test('Noncompliance 2: the only rule is in another account', () => {
    const { app, route } = two(env('us-east-1'), env('us-east-1', '222222222222'));
    forward(route, new sns.Topic(route, 'T').topicArn);
    expect(statusOf(app, rule, 'Det/D').map((x) => x.status)).toEqual(['FAIL']);
  });
  test('Noncompliance 3: the rule is here but targets a topic of another region', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: env('us-east-1') });
    new guardduty.CfnDetector(s, 'D', { enable: true, features });
    forward(s, `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`);
    const f = statusOf(app, rule, 'S/D');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toMatch(/no target is in the rule.s own account and region/);
  });
  test('Noncompliance 4: the rule is here but targets a topic of another account', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: env('us-east-1') });
    new guardduty.CfnDetector(s, 'D', { enable: true, features });
    forward(s, 'arn:aws:sns:us-east-1:999999999999:alerts');
    expect(statusOf(app, rule, 'S/D').map((x) => x.status)).toEqual(['FAIL']);
  });
  test('Unresolved 1: the detector\'s region is known, the rule\'s stack is environment-agnostic', () => {
    const { app, route } = two(env('us-east-1'), env(undefined, undefined));
    forward(route, new sns.Topic(route, 'T').topicArn);
    const f = statusOf(app, rule, 'Det/D');
    expect(f.map((x) => x.status)).toEqual(['ERROR']);
    expect(f[0].message).toMatch(/cannot verify/);
  });
  test('Unresolved 2: the target topic is a parameter', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: env('us-east-1') });
    new guardduty.CfnDetector(s, 'D', { enable: true, features });
    forward(s, param(s));
    expect(statusOf(app, rule, 'S/D').map((x) => x.status)).toEqual(['ERROR']);
  });
});

describe('GuardDutyDetectorPresent: a detector covers workloads of its own account and region only', () => {
  const rule = 'GuardDutyDetectorPresent';
  const table = (s: Stack) => new dynamodb.CfnTable(s, 'T', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });
  const two = (a: ReturnType<typeof env>, b: ReturnType<typeof env>) => {
    const app = new App();
    new guardduty.CfnDetector(new Stack(app, 'Det', { env: a }), 'D', { enable: true, features });
    table(new Stack(app, 'Work', { env: b }));
    return statusOf(app, rule, 'Work/T');
  };
  test('Compliance 1: detector and workload in two stacks of one account and region', () => {
    expect(two(env('us-east-1'), env('us-east-1')).map((f) => f.status)).toEqual(['PASS']);
  });
  test('Compliance 2: two environment-agnostic stacks of one app', () => {
    expect(two(env(undefined, undefined), env(undefined, undefined)).map((f) => f.status)).toEqual(['PASS']);
  });
  test('Noncompliance 1: the only detector is in another region', () => {
    const f = two(env('us-east-1'), env('eu-west-1'));
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain(`${ACCOUNT}/us-east-1`);
  });
  test('Noncompliance 2: the only detector is in another account', () => {
    expect(two(env('us-east-1', '222222222222'), env('us-east-1')).map((f) => f.status)).toEqual(['FAIL']);
  });
  test('Unresolved 1: the workload stack is environment-agnostic, the detector\'s is not', () => {
    expect(two(env('us-east-1'), env(undefined, undefined)).map((f) => f.status)).toEqual(['ERROR']);
  });
});

describe('SNSAlertTopicEncryptedSubscribed: a subscription in another region does not subscribe the topic', () => {
  const rule = 'SNSAlertTopicEncryptedSubscribed';
  const build = (subRegion: string, subscriptionRegion?: string) => {
    const app = new App();
    const a = new Stack(app, 'A', { env: env('us-east-1') });
    const topic = new sns.Topic(a, 'T', { masterKey: new kms.Key(a, 'K') });
    new cloudwatch.Alarm(a, 'Al', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 })
      .addAlarmAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
    new CfnOutput(a, 'Arn', { value: topic.topicArn, exportName: 'alert-topic' });
    const b = new Stack(app, 'B', { env: env(subRegion) });
    new sns.CfnSubscription(b, 'Sub', { topicArn: Fn.importValue('alert-topic'), protocol: 'email', endpoint: 'oncall@example.com', ...(subscriptionRegion ? { region: subscriptionRegion } : {}) });
    return statusOf(app, rule, 'A/T/Resource');
  };
  test('Compliance 1: the subscription in another stack of the same region', () => {
    expect(build('us-east-1').map((f) => f.status)).toEqual(['PASS']);
  });
  test('Compliance 2: a subscription in another region naming the topic\'s Region', () => {
    expect(build('eu-west-1', 'us-east-1').map((f) => f.status)).toEqual(['PASS']);
  });
  test('Noncompliance 1: the only subscription is declared in another region', () => {
    const f = build('eu-west-1');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain('no subscription');
  });
});

describe('arnEnvironment and sameEnvironment', () => {
  const app = new App();
  const s = new Stack(app, 'S', { env: env('us-east-1') });
  const agnostic = new Stack(app, 'G');
  test.each([
    [`arn:aws:sns:us-east-1:${ACCOUNT}:t`, 'same'],
    [`arn:aws:sns:us-west-2:${ACCOUNT}:t`, 'different'],
    ['arn:aws:sns:us-east-1:222222222222:t', 'different'],
    ['arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:t', 'same'],
    ['arn:aws:s3:::bucket', 'same'],
    ['arn:aws:sns:*:111111111111:t', 'unknown'],
    ['not-an-arn', 'unknown'],
  ])('%s from a us-east-1 stack -> %s', (arn, rel) => {
    expect(arnEnvironment(s, arn)).toBe(rel);
  });
  test('a literal region against an environment-agnostic stack cannot be compared', () => {
    expect(arnEnvironment(agnostic, `arn:aws:sns:us-east-1:${ACCOUNT}:t`)).toBe('unknown');
    expect(sameEnvironment(s, agnostic)).toBe('unknown');
    expect(sameEnvironment(agnostic, new Stack(app, 'G2'))).toBe('same');
  });
});

// Before synthesis (validateScope, evaluateScope) CDK renders a cross-stack reference nested in a property
// as a plain Ref / Fn::GetAtt on the target's logical id, and two stacks built from the same constructs
// hold resources with the same logical ids: the reference must still reach the stack it points into.
describe('a reference into another stack is followed to its target, not to a same-named resource of the consuming stack', () => {
  const table = (s: Stack) => new dynamodb.CfnTable(s, 'Orders', {
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
  });
  /** Two regional stacks built alike (same logical ids); the consumer's backup selection names only the producer's table. */
  function twins(): { app: App; producer: dynamodb.CfnTable; consumer: dynamodb.CfnTable; selection: CfnResource } {
    const app = new App();
    const a = new Stack(app, 'Producer', { env: env('us-east-1') });
    const b = new Stack(app, 'Consumer', { env: env('us-east-1') });
    const producer = table(a);
    const consumer = table(b);
    const plan = new backup.CfnBackupPlan(b, 'Plan', { backupPlan: { backupPlanName: 'p', backupPlanRule: [{ ruleName: 'daily', targetBackupVault: 'v' }] } });
    const selection = new backup.CfnBackupSelection(b, 'Selection', {
      backupPlanId: plan.ref,
      backupSelection: { selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources: [producer.attrArn] },
    });
    return { app, producer, consumer, selection };
  }

  it('the index dereferences the nested reference to the producer stack\'s resource, though the consumer holds one with the same logical id', () => {
    const { app, producer, consumer, selection } = twins();
    const ix = new ResourceIndex(app);
    expect(ix.logicalId(producer)).toBe(ix.logicalId(consumer));
    const entry = (ix.props(selection).BackupSelection as { Resources: unknown[] }).Resources[0];
    expect(entry).toEqual({ 'Fn::GetAtt': [ix.logicalId(producer), 'Arn'] });
    const t = ix.deref(selection, entry);
    expect(t.kind === 'resource' && t.node).toBe(producer);
  });

  it('StatefulResourceBackedUp: the consumer\'s own table, which no selection names, is not backed up (FAIL); the producer\'s is', () => {
    const { app } = twins();
    const all = evaluateScope(app, { rules: rulesNamed('StatefulResourceBackedUp'), now: new Date('2026-01-01T00:00:00Z') });
    const of = (id: string) => all.filter((f) => f.resource.id === id).map((f) => f.status);
    expect(of('Consumer/Orders')).toEqual(['FAIL']);
    expect(of('Producer/Orders')).toEqual(['PASS']);
  });

  it('a resource referring to both resources of that logical id cannot say which a reference means: cannot verify, never a guess', () => {
    const { app, producer, consumer, selection } = twins();
    (selection as backup.CfnBackupSelection).backupSelection = {
      selectionName: 's', iamRoleArn: 'arn:aws:iam::111111111111:role/backup', resources: [producer.attrArn, consumer.attrArn],
    };
    const ix = new ResourceIndex(app);
    const entry = (ix.props(selection).BackupSelection as { Resources: unknown[] }).Resources[0];
    expect(ix.deref(selection, entry).kind).toBe('unresolved');
    const all = evaluateScope(app, { rules: rulesNamed('StatefulResourceBackedUp'), now: new Date('2026-01-01T00:00:00Z') });
    const consumerFinding = all.filter((f) => f.resource.id === 'Consumer/Orders');
    expect(consumerFinding.map((f) => f.status)).toEqual(['ERROR']);
    expect(consumerFinding[0].message).toMatch(/cannot verify/);
  });

  it('a literal Ref written into the consuming stack\'s template still means the consuming stack\'s own resource', () => {
    const { app, consumer, producer } = twins();
    const b = Stack.of(consumer);
    const ix0 = new ResourceIndex(app);
    const id = ix0.logicalId(consumer);
    const topic = new sns.CfnTopic(b, 'T', { kmsMasterKeyId: 'alias/x' });
    topic.addPropertyOverride('DisplayName', { Ref: id });
    const ix = new ResourceIndex(app);
    const t = ix.deref(topic, ix.props(topic).DisplayName);
    expect(t.kind === 'resource' && t.node).toBe(consumer);
    expect(t.kind === 'resource' && t.node).not.toBe(producer);
  });
});
