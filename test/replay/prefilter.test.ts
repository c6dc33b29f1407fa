import { AttemptResult, RunReplayResult } from '../../lib/replay';
import { replayTemplates } from './helpers';
import { weakenedTemplate } from './weakened-app';

/** Every (step, persona, resource) verdict, with attempts decided together expanded. */
function verdicts(run: RunReplayResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of run.result.steps) {
    for (const a of s.attempts as AttemptResult[]) {
      for (const t of a.targets ?? [a.target]) out.set(`${s.id} | ${a.persona} | ${t}`, a.verdict);
    }
  }
  return out;
}

const requireMfa = {
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    Groups: [{ Ref: 'Ops' }],
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['iam:EnableMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }] },
  },
};
const narrowRole = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'read', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['DataBucket', 'Arn'] }, '/*']] } }] } }],
  },
};
// A bucket policy that admits a role by name on its own (no identity statement needed in the same account).
const bucketGrant = {
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: { Ref: 'DataBucket' }, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Narrow2', 'Arn'] } }, Action: 's3:DeleteObjectVersion', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['DataBucket', 'Arn'] }, '/*']] } }] } },
};

describe('the shortcut for requests no policy can allow never changes a verdict', () => {
  test.each([
    ['the weakened app', weakenedTemplate()],
    ['with deny-unless-MFA, a narrow workload role and a bucket policy naming a role', weakenedTemplate({ RequireMfa: requireMfa, Narrow: narrowRole, Narrow2: narrowRole, DataPolicy: bucketGrant, WorkloadRole: undefined, Fn: undefined, Selection: undefined })],
  ])('%s', (_name, template) => {
    const fast = replayTemplates({ App: template });
    const slow = replayTemplates({ App: template }, { exhaustive: true });
    expect(fast.result.evaluations).toBeLessThan(slow.result.evaluations);
    expect(verdicts(fast)).toEqual(verdicts(slow));
  });
});
