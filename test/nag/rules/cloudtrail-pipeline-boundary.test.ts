import { Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import { expectRule } from '../helpers';

/**
 * CloudTrailPipelineBoundaryProtected as the intruder with a bounded admin role sees it: which trail
 * and log groups the rule judges, which deny shapes leave StopLogging / DeleteLogGroup / DeleteLogStream
 * open, and what the finding names. The basic cases live in cloudtrail.test.ts.
 */
const rule = 'CloudTrailPipelineBoundaryProtected';
const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };

/** A managed policy of the app holding `statements`. */
const policy = (s: Stack, statements: Record<string, unknown>[], id = 'Boundary') =>
  new iam.ManagedPolicy(s, id, { document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }) });
/** A role of the app carrying `boundary` (none when undefined). */
const role = (s: Stack, boundary?: iam.IManagedPolicy, id = 'Ops', roleName?: string) =>
  new iam.Role(s, id, { assumedBy: new iam.AccountRootPrincipal(), roleName, permissionsBoundary: boundary });
/** A trail (L1) writing to S3 only, optionally named and delivering to a log group ARN. */
const trail = (s: Stack, props: { name?: string; logGroupArn?: string } = {}) => new cloudtrail.CfnTrail(s, 'T', {
  isLogging: true, s3BucketName: 'archive', trailName: props.name,
  cloudWatchLogsLogGroupArn: props.logGroupArn, cloudWatchLogsRoleArn: props.logGroupArn === undefined ? undefined : 'arn:aws:iam::111122223333:role/TrailLogs',
});
describe('CloudTrailPipelineBoundaryProtected: a trail that delivers to no CloudWatch Logs group', () => {
  test('is judged on the trail alone: a deny of every CloudTrail action passes, none fails (an absent log group is not an unresolved one)', () => {
    expectRule(rule, (s) => { role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }])); trail(s, { name: 'sec-trail' }); }, 'T', 'PASS');
    const f = expectRule(rule, (s) => { role(s, policy(s, [allowAll])); trail(s, { name: 'sec-trail' }); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/may call cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors on arn:aws:cloudtrail:us-east-1:\$\{AWS::AccountId\}:trail\/sec-trail \(/);
  });
});
