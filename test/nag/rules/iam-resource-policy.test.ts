import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param } from '../helpers';

/**
 * ResourcePolicyNotPublic on what a policy protects when the rule cannot name it, and on policies the
 * CDK builds. The basic cases live in iam.test.ts.
 */
const rule = 'ResourcePolicyNotPublic';
const everyone = (extra: Record<string, unknown>) => ({ Effect: 'Allow', Principal: '*', ...extra });
const OPEN = /lets a principal of account 444455556666 in no organization call (\S+): a wildcard principal is not limited to the own account or organization/;

describe('ResourcePolicyNotPublic: a key policy protects the key', () => {
  test('a key policy statement open to everyone on every resource but keys (NotResource arn:aws:kms:*:*:key/*) admits no one to the key', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: { Statement: [everyone({ Action: 'kms:Decrypt', NotResource: 'arn:aws:kms:*:*:key/*' })] } }), 'K', 'PASS');
    // ...and one excluding only other services' resources opens it
    const f = expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: { Statement: [everyone({ Action: 'kms:Decrypt', NotResource: 'arn:aws:s3:::*' })] } }), 'K', 'FAIL');
    expect(f!.message).toMatch(OPEN);
  });
  test('an L2 key policy statement granting only the own account is not public even when its Sid is a parameter (nothing about who it admits is unknown)', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K').addToResourcePolicy(new iam.PolicyStatement({
      sid: param(s, 'Sid'), principals: [new iam.AccountRootPrincipal()], actions: ['kms:Decrypt'], resources: ['*'],
    })), 'K/Resource', 'PASS');
  });
  test('an L2 key policy granting the own account an action given by a parameter is not public (no wildcard principal to judge)', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K').addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: [param(s, 'Action')], resources: ['*'],
    })), 'K/Resource', 'PASS');
  });
});

describe('ResourcePolicyNotPublic: a bucket, topic or queue the rule cannot name', () => {
  test('a bucket policy on a bucket given by a parameter, open to everyone, fails', () => {
    const f = expectRule(rule, (s) => new s3.CfnBucketPolicy(s, 'Pol', { bucket: param(s, 'Bucket'), policyDocument: { Statement: [everyone({ Action: 's3:GetObject', Resource: '*' })] } }), 'Pol', 'FAIL');
    expect(f!.message).toMatch(OPEN);
  });
  test('a bucket policy on a bucket given by a parameter whose statement excludes every bucket and object (NotResource arn:aws:s3:::*) admits no one', () => {
    expectRule(rule, (s) => new s3.CfnBucketPolicy(s, 'Pol', { bucket: param(s, 'Bucket'), policyDocument: { Statement: [everyone({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::*' })] } }), 'Pol', 'PASS');
  });
  test('a queue policy on a queue given by a parameter whose statement excludes every queue admits no one; one excluding every topic instead opens it', () => {
    const queue = (notResource: string) => (s: Stack) => new sqs.CfnQueuePolicy(s, 'Pol', { queues: [param(s, 'Queue')], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', NotResource: notResource })] } });
    expectRule(rule, queue('arn:aws:sqs:*:*:*'), 'Pol', 'PASS');
    expect(expectRule(rule, queue('arn:aws:sns:*:*:*'), 'Pol', 'FAIL')!.message).toMatch(OPEN);
  });
  test('a topic policy on a topic given by a parameter whose statement excludes every topic admits no one; one excluding every queue instead opens it', () => {
    const topic = (notResource: string) => (s: Stack) => new sns.CfnTopicPolicy(s, 'Pol', { topics: [param(s, 'Topic')], policyDocument: { Statement: [everyone({ Action: 'sns:Publish', NotResource: notResource })] } });
    expectRule(rule, topic('arn:aws:sns:*:*:*'), 'Pol', 'PASS');
    expect(expectRule(rule, topic('arn:aws:sqs:*:*:*'), 'Pol', 'FAIL')!.message).toMatch(OPEN);
  });
  test('a queue policy naming no queue at all, open to everyone, fails (what it will protect is unknown, not nothing)', () => {
    const f = expectRule(rule, (s) => new sqs.CfnQueuePolicy(s, 'Pol', { queues: [], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', Resource: '*' })] } }), 'Pol', 'FAIL');
    expect(f!.message).toMatch(OPEN);
  });
  test('a queue policy whose Queues entry is no queue the rule can name (a managed policy), open to everyone, fails', () => {
    const f = expectRule(rule, (s) => {
      const m = new iam.CfnManagedPolicy(s, 'M', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] } });
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [m.ref], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', Resource: '*' })] } });
    }, 'Pol', 'FAIL');
    expect(f!.message).toMatch(OPEN);
  });
});

describe('ResourcePolicyNotPublic: what the finding says', () => {
  test('cannot verify when who is let in depends on a parameter, and the finding says what it could not verify', () => {
    const f = expectRule(rule, (s) => {
      const q = new sqs.CfnQueue(s, 'Q');
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [q.ref], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': param(s, 'Org') } } })] } });
    }, 'Pol', 'ERROR');
    expect(f!.message).toMatch(/cannot verify who the resource policy admits: whether a principal of account 444455556666 in organization o-foreign00000 may call sqs:SendMessage depends on unresolved value \{"Ref":"Org"\}/);
  });
});

describe('ResourcePolicyNotPublic: a resource pattern that keeps out some names of a resource named only at deployment', () => {
  /** The finding on the policy in a stack of account 111122223333 (so a pattern may spell the account). */
  const inAccount = (build: (s: Stack) => void) => {
    const app = new App();
    build(new Stack(app, 'S', { env: { region: 'us-east-1', account: '111122223333' } }));
    return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') }).find((f) => f.resource.id === 'S/Pol')!;
  };
  test('a queue given by a parameter, open to everyone but queues named *-queue: cannot verify (the deployed name may not end so), never PASS', () => {
    const f = inAccount((s) => new sqs.CfnQueuePolicy(s, 'Pol', { queues: [param(s, 'Queue')], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', NotResource: 'arn:aws:sqs:us-east-1:111122223333:*-queue' })] } }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/cannot verify who the resource policy admits: what it protects is named only at deployment, and a resource pattern of the policy keeps out some names only \(statement 1 lets a principal of account 444455556666 in no organization call sqs:SendMessage\)/);
  });
  test('each statement whose answer for other names is uncertain is named in the finding, one after the other', () => {
    const f = inAccount((s) => {
      const org = param(s, 'Org');
      const open = (Action: string) => everyone({ Action, NotResource: 'arn:aws:sqs:us-east-1:111122223333:*-queue', Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } });
      new sqs.CfnQueuePolicy(s, 'Pol', { queues: [param(s, 'Queue')], policyDocument: { Statement: [open('sqs:SendMessage'), open('sqs:ReceiveMessage')] } });
    });
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/keeps out some names only \(whether [^;]* may call sqs:SendMessage depends on unresolved value \{"Ref":"Org"\}; whether [^;]* may call sqs:ReceiveMessage depends on unresolved value \{"Ref":"Org"\}\)/);
  });
  test('a pattern that keeps out the names a checker might try (the stand-in, an empty name) still lets other names in: cannot verify', () => {
    const f = inAccount((s) => new sqs.CfnQueuePolicy(s, 'Pol', { queues: [param(s, 'Queue')], policyDocument: { Statement: [everyone({
      Action: 'sqs:SendMessage', NotResource: ['arn:aws:sqs:us-east-1:111122223333:protected-queue', 'arn:aws:sqs:us-east-1:111122223333:'],
    })] } }));
    expect(f.status).toBe('ERROR');
  });
  test('a topic given by a parameter, open to everyone but topics named *-topic: cannot verify', () => {
    const f = inAccount((s) => new sns.CfnTopicPolicy(s, 'Pol', { topics: [param(s, 'Topic')], policyDocument: { Statement: [everyone({ Action: 'sns:Publish', NotResource: 'arn:aws:sns:us-east-1:111122223333:*-topic' })] } }));
    expect(f.status).toBe('ERROR');
  });
  test('a bucket given by a parameter, open to everyone but buckets named *-bucket and their objects: cannot verify', () => {
    const f = inAccount((s) => new s3.CfnBucketPolicy(s, 'Pol', { bucket: param(s, 'Bucket'), policyDocument: { Statement: [everyone({ Action: 's3:GetObject', NotResource: ['arn:aws:s3:::*-bucket', 'arn:aws:s3:::*-bucket/*'] })] } }));
    expect(f.status).toBe('ERROR');
  });
  test('the same queue, open to everyone but every queue of the account: PASS (no name gets in)', () => {
    const f = inAccount((s) => new sqs.CfnQueuePolicy(s, 'Pol', { queues: [param(s, 'Queue')], policyDocument: { Statement: [everyone({ Action: 'sqs:SendMessage', NotResource: 'arn:aws:sqs:us-east-1:111122223333:*' })] } }));
    expect(f.status).toBe('PASS');
  });
});
