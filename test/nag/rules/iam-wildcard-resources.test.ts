import { CfnOutput, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding } from '../../../lib/findings';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param } from '../helpers';

/**
 * IAMPolicyNoWildcardAdmin on Resource elements that are not literal strings: ARNs built with
 * Fn::Join or Fn::Sub of pseudo parameters and resources of the app (fixed values, never a wildcard),
 * values imported from an export of the app (read), parameters (as wide as "*": cannot verify).
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const INFO = rulesNamed(rule)[0].info.replace(/\.$/, '');
const reasonsOf = (f: Finding | undefined): string => {
  expect(f!.message.startsWith(`${INFO} (`)).toBe(true);
  return f!.message.slice(INFO.length + 2, -1);
};
/** An L1 policy of a role named app allowing `Action` on `Resource`. */
const allow = (Action: unknown, Resource: unknown) => (s: Stack) => {
  new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['app'], policyDocument: { Statement: [{ Effect: 'Allow', Action, Resource }] } });
};
/** A member account of the organization (its Ref and AccountId are the account id). */
const account = (s: Stack) => new CfnResource(s, 'Acct', { type: 'AWS::Organizations::Account', properties: { AccountName: 'prod', Email: 'prod@example.com' } });

describe('IAMPolicyNoWildcardAdmin: Resource built from values the template fixes', () => {
  test('every IAM resource of an account of the app (its Ref or its AccountId) is admin over IAM there, and the FAIL names the account resource', () => {
    const byRef = expectRule(rule, (s) => { account(s); allow('iam:*', { 'Fn::Sub': 'arn:aws:iam::${Acct}:*' })(s); }, 'Pol', 'FAIL');
    expect(reasonsOf(byRef)).toBe('statement #0 allows iam:* on arn:aws:iam::${S/Acct}:*: the action pattern covers every action of iam and the resource pattern covers every iam resource, as wide as "*"');
    const byAtt = expectRule(rule, (s) => { account(s); allow('iam:*', { 'Fn::Sub': 'arn:aws:iam::${Acct.AccountId}:*' })(s); }, 'Pol', 'FAIL');
    expect(reasonsOf(byAtt)).toBe('statement #0 allows iam:* on arn:aws:iam::${S/Acct.AccountId}:*: the action pattern covers every action of iam and the resource pattern covers every iam resource, as wide as "*"');
  });
  test('the FAIL shows a pseudo parameter in the pattern by its name', () => {
    const f = expectRule(rule, allow('s3:*', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:* on arn:${AWS::Partition}:s3:::*: the action pattern covers every action of s3 and the resource pattern covers every s3 resource, as wide as "*"');
  });
  test('a bucket name beginning with the account id (a pseudo parameter: one fixed value, not a wildcard) is not every bucket: PASS', () => {
    expectRule(rule, allow('s3:*', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::AccountId}*' }), 'Pol', 'PASS');
  });
  test('every object of a bucket of the app (bucket.arnForObjects) is not every S3 resource: PASS', () => {
    expectRule(rule, (s) => {
      const b = new s3.Bucket(s, 'B');
      allow('s3:*', b.arnForObjects('*'))(s);
    }, 'Pol', 'PASS');
  });
  test('the ARN of a bucket of the app, or a pseudo parameter, as the whole element: one resource, PASS', () => {
    expectRule(rule, (s) => allow('*', new s3.Bucket(s, 'B').bucketArn)(s), 'Pol', 'PASS');
    expectRule(rule, allow(['*', 'iam:PutRolePolicy'], { Ref: 'AWS::AccountId' }), 'Pol', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: Resource imported from an export of the app', () => {
  const exporting = (value: string) => (s: Stack) => {
    const other = new Stack(s.node.root, 'Shared', { env: { region: 'us-east-1' } });
    new CfnOutput(other, 'Out', { value, exportName: 'shared-resource' });
  };
  test('an export of "*" is "*": FAIL', () => {
    expectRule(rule, (s) => { exporting('*')(s); allow('s3:*', Fn.importValue('shared-resource'))(s); }, 'Pol', 'FAIL');
  });
  test('an export of one bucket\'s objects is not every S3 resource: PASS', () => {
    expectRule(rule, (s) => { exporting('arn:aws:s3:::shared/*')(s); allow('s3:*', Fn.importValue('shared-resource'))(s); }, 'Pol', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: Resource the rule cannot read exactly is cannot verify, never a guess', () => {
  test('an Fn::Sub with another key beside it (not an Fn::Sub CloudFormation reads) is not read as the ARN it spells', () => {
    expectRule(rule, allow('s3:*', { 'Fn::Sub': 'arn:aws:s3:::*', Condition: 'IsProd' }), 'Pol', 'ERROR');
  });
  test('an Fn::Join whose delimiter is a parameter', () => {
    expectRule(rule, (s) => allow('s3:*', { 'Fn::Join': [{ Ref: 'Sep' }, ['arn:aws:s3:::reports', 'x']] })(s), 'Pol', 'ERROR');
    expectRule(rule, (s) => allow('s3:*', { 'Fn::Join': [param(s), ['arn:aws:s3:::reports', 'x']] })(s), 'Pol', 'ERROR');
  });
});
