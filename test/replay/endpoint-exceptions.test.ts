import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SegmentedVpc } from '../../lib/constructs/segmented-vpc';
import { featureFlags } from '../helpers/app';
import { replayTemplates } from './helpers';
import { WEAK_ACCOUNT, weakenedTemplate } from './weakened-app';

/**
 * The kill-chain step "copy data through a VPC endpoint to the attacker's resources" against the S3
 * endpoint policy of SegmentedVpc, with its read-only exceptions for AWS-owned buckets: the hijacked
 * workload (AdministratorAccess) still cannot copy to a foreign bucket through it, and an endpoint
 * that also admits arbitrary buckets is reported OPEN.
 */

const STEP = 'exfiltration-copy-through-endpoint';

function segmentedS3Policy(): { Statement: Array<Record<string, unknown>> } {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const app = new App({ context: featureFlags() });
    const stack = new Stack(app, 'Net', { env: { account: WEAK_ACCOUNT, region: 'us-east-1' } });
    new SegmentedVpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow') });
    const s3 = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).find((r) => JSON.stringify(r.Properties.ServiceName).includes('.s3'))!;
    return s3.Properties.PolicyDocument;
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

function replayWith(policy: unknown) {
  const base = weakenedTemplate();
  const endpoint = (base.Resources as Record<string, { Properties: Record<string, unknown> }>).S3Endpoint;
  const template = weakenedTemplate({ S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ...endpoint.Properties, PolicyDocument: policy } } });
  const step = replayTemplates({ Weak: template }, { steps: [STEP] }).result.steps.find((s) => s.id === STEP)!;
  const attempts = step.attempts.filter((a) => a.target.includes('attacker-drop'));
  expect(attempts.length).toBeGreaterThan(0);
  return { step, attempts };
}

describe(`replay ${STEP} through SegmentedVpc's S3 endpoint`, () => {
  let policy: { Statement: Array<Record<string, unknown>> };
  beforeAll(() => { policy = segmentedS3Policy(); });

  test('with the AWS-owned bucket exceptions, the hijacked workload still cannot copy to a foreign bucket', () => {
    expect(policy.Statement.filter((s) => String(s.Sid).startsWith('AwsOwned')).length).toBeGreaterThan(0);
    const { attempts } = replayWith(policy);
    expect(attempts.map((a) => a.verdict)).toEqual(attempts.map(() => 'DENIED'));
  });

  test('an exception that admits every bucket is reported OPEN', () => {
    const { step, attempts } = replayWith({ ...policy, Statement: [...policy.Statement, { Sid: 'AnyBucket', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::*/*' }] });
    expect(step.verdict).toBe('OPEN');
    expect(attempts.some((a) => a.verdict === 'OPEN' && /AnyBucket/.test(a.evidence))).toBe(true);
  });

  test('widening an AWS-owned exception to writes on another bucket is reported OPEN', () => {
    const widened = policy.Statement.map((s) => (s.Sid === 'AwsOwnedEcrImageLayers' ? { ...s, Action: ['s3:GetObject', 's3:PutObject'], Resource: [s.Resource, 'arn:aws:s3:::attacker-drop/*'].flat() } : s));
    const { step } = replayWith({ ...policy, Statement: widened });
    expect(step.verdict).toBe('OPEN');
  });
});
