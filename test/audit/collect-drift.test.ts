import {
  CloudFormationClient, CloudFormationServiceException, DescribeStackDriftDetectionStatusCommand, DescribeStackResourceDriftsCommand,
  DescribeStacksCommand, DetectStackDriftCommand, Stack, StackStatus,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_DRIFT_POLLING, DEFAULT_DRIFT_SETTINGS, DriftPolling, collectDriftRegion } from '../../lib/audit';

const mock = mockClient(CloudFormationClient);
const client = () => new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
const arn = (name: string) => `arn:aws:cloudformation:us-east-1:111122223333:stack/${name}/id-${name}`;
const stack = (name: string, tags: Record<string, string> = {}, status: StackStatus = 'UPDATE_COMPLETE'): Stack => ({
  StackName: name, StackId: arn(name), StackStatus: status, CreationTime: new Date(), Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const TAG = { 'hardening:managed-by': 'cdk-hardening' };
const COMPLETE = { StackId: 'x', StackDriftDetectionId: 'd', DetectionStatus: 'DETECTION_COMPLETE' as const, StackDriftStatus: 'IN_SYNC' as const, Timestamp: new Date() };
const IN_PROGRESS = { ...COMPLETE, DetectionStatus: 'DETECTION_IN_PROGRESS' as const, StackDriftStatus: undefined };

function polling(delays: number[], over: Partial<DriftPolling> = {}): DriftPolling {
  return { ...DEFAULT_DRIFT_POLLING, initialDelayMs: 100, maxDelayMs: 400, maxPolls: 5, sleep: async (ms) => { delays.push(ms); }, ...over };
}

beforeEach(() => {
  mock.reset();
  mock.on(DetectStackDriftCommand).callsFake((i: { StackName: string }) => ({ StackDriftDetectionId: `det-${i.StackName.split('/')[1]}` }));
  mock.on(DescribeStackDriftDetectionStatusCommand).resolves(COMPLETE);
  mock.on(DescribeStackResourceDriftsCommand).resolves({ StackResourceDrifts: [] });
});

describe('stack drift collection (aws-sdk-client-mock)', () => {
  it('finds the environment\'s stacks by tag or prefix over every page, skipping deleted and others\' stacks', async () => {
    mock.on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [stack('HardeningData', TAG), stack('app-web'), stack('HardeningOld', {}, 'DELETE_COMPLETE')], NextToken: 'p2' })
      .resolves({ Stacks: [stack('Renamed', TAG), stack('HardeningLogging')] });
    const r = await collectDriftRegion(client(), 'us-east-1', DEFAULT_DRIFT_SETTINGS, polling([]));
    expect(r.stacks.ok && r.stacks.value.map((s) => `${s.name} (${s.foundBy})`)).toEqual([
      'HardeningData (tag hardening:managed-by)', 'HardeningLogging (name prefix Hardening)', 'Renamed (tag hardening:managed-by)',
    ]);
    expect(mock).toHaveReceivedCommandTimes(DescribeStacksCommand, 2);
    expect(mock).toHaveReceivedCommandTimes(DetectStackDriftCommand, 3);
    expect(mock).toHaveReceivedCommandWith(DetectStackDriftCommand, { StackName: arn('HardeningData') });
    expect(mock).not.toHaveReceivedCommandWith(DetectStackDriftCommand, { StackName: arn('app-web') });
  });

  it('polls the detection with bounded backoff (no real sleeping), then reads MODIFIED and DELETED drifts over every page', async () => {
    mock.on(DescribeStacksCommand).resolves({ Stacks: [stack('HardeningData', TAG)] });
    mock.on(DescribeStackDriftDetectionStatusCommand).resolvesOnce(IN_PROGRESS).resolvesOnce(IN_PROGRESS).resolves({ ...COMPLETE, StackDriftStatus: 'DRIFTED' });
    mock.on(DescribeStackResourceDriftsCommand)
      .resolvesOnce({ NextToken: 'n', StackResourceDrifts: [{ StackId: 'x', LogicalResourceId: 'Key', PhysicalResourceId: 'k-1', ResourceType: 'AWS::KMS::Key', StackResourceDriftStatus: 'MODIFIED', Timestamp: new Date(),
        PropertyDifferences: [{ PropertyPath: '/EnableKeyRotation', ExpectedValue: 'true', ActualValue: 'false', DifferenceType: 'NOT_EQUAL' }] }] })
      .resolves({ StackResourceDrifts: [{ StackId: 'x', LogicalResourceId: 'Filter', ResourceType: 'AWS::Logs::MetricFilter', StackResourceDriftStatus: 'DELETED', Timestamp: new Date(),
        PropertyDifferences: [{ PropertyPath: '/FilterPattern', ExpectedValue: 'x'.repeat(500), ActualValue: '', DifferenceType: 'REMOVE' }] }] });
    const delays: number[] = [];
    const r = await collectDriftRegion(client(), 'us-east-1', DEFAULT_DRIFT_SETTINGS, polling(delays));
    expect(delays).toEqual([100, 200]);
    const [s] = r.stacks.ok ? r.stacks.value : [];
    expect(s.detection).toEqual({ ok: true, value: { status: 'DETECTION_COMPLETE', stackDriftStatus: 'DRIFTED' } });
    expect(s.drifts?.ok && s.drifts.value.map((d) => [d.logicalId, d.status, d.type, d.differences.map((p) => `${p.path} ${p.kind} ${p.expected?.length}`)])).toEqual([
      ['Filter', 'DELETED', 'AWS::Logs::MetricFilter', ['/FilterPattern REMOVE 200']],
      ['Key', 'MODIFIED', 'AWS::KMS::Key', ['/EnableKeyRotation NOT_EQUAL 4']],
    ]);
    expect(mock).toHaveReceivedCommandWith(DescribeStackResourceDriftsCommand, { StackName: arn('HardeningData'), StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] });
    expect(mock).toHaveReceivedCommandTimes(DescribeStackResourceDriftsCommand, 2);
  });

  it('gives up after the bounded number of polls, delays capped: a timeout, not a pass', async () => {
    mock.on(DescribeStacksCommand).resolves({ Stacks: [stack('HardeningData', TAG)] });
    mock.on(DescribeStackDriftDetectionStatusCommand).resolves(IN_PROGRESS);
    const delays: number[] = [];
    const r = await collectDriftRegion(client(), 'us-east-1', DEFAULT_DRIFT_SETTINGS, polling(delays));
    expect(delays).toEqual([100, 200, 400, 400]);
    expect(mock).toHaveReceivedCommandTimes(DescribeStackDriftDetectionStatusCommand, 5);
    const [s] = r.stacks.ok ? r.stacks.value : [];
    expect(s).toEqual({ name: 'HardeningData', id: arn('HardeningData'), foundBy: 'tag hardening:managed-by', detection: { ok: false, failure: {
      action: 'cloudformation:DescribeStackDriftDetectionStatus', kind: 'timeout', message: 'drift detection of stack HardeningData not finished after 5 polls (last: DETECTION_IN_PROGRESS)' } } });
    expect(mock).toHaveReceivedCommandTimes(DescribeStackResourceDriftsCommand, 0);
  });

  it('a failed detection keeps its reason and still reads the drifts it found', async () => {
    mock.on(DescribeStacksCommand).resolves({ Stacks: [stack('HardeningNetwork', TAG)] });
    mock.on(DescribeStackDriftDetectionStatusCommand).resolves({ ...COMPLETE, DetectionStatus: 'DETECTION_FAILED', DetectionStatusReason: 'Failed to detect drift on resource [Vpc]', StackDriftStatus: 'DRIFTED' });
    const r = await collectDriftRegion(client(), 'us-east-1', DEFAULT_DRIFT_SETTINGS, polling([]));
    const [s] = r.stacks.ok ? r.stacks.value : [];
    expect(s.detection).toEqual({ ok: true, value: { status: 'DETECTION_FAILED', reason: 'Failed to detect drift on resource [Vpc]', stackDriftStatus: 'DRIFTED' } });
    expect(s.drifts).toEqual({ ok: true, value: [] });
  });

  it('throttling past the retries and AccessDenied are failures naming the action', async () => {
    const throttled = new CloudFormationServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
    mock.on(DescribeStacksCommand).rejects(throttled);
    expect((await collectDriftRegion(client(), 'eu-west-1', DEFAULT_DRIFT_SETTINGS, polling([]))).stacks).toEqual({ ok: false, failure: { action: 'cloudformation:DescribeStacks', kind: 'throttled', code: 'Throttling', message: 'Rate exceeded' } });
    mock.on(DescribeStacksCommand).resolves({ Stacks: [stack('HardeningData', TAG), stack('HardeningLogging', TAG)] });
    mock.on(DetectStackDriftCommand, { StackName: arn('HardeningData') }).rejects(new CloudFormationServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized to perform: cloudformation:DetectStackDrift' }));
    mock.on(DescribeStackResourceDriftsCommand).rejects(throttled);
    const r = await collectDriftRegion(client(), 'us-east-1', DEFAULT_DRIFT_SETTINGS, polling([]));
    const [data, logging] = r.stacks.ok ? r.stacks.value : [];
    expect(data.detection).toMatchObject({ ok: false, failure: { action: 'cloudformation:DetectStackDrift', kind: 'access-denied' } });
    expect(data.drifts).toBeUndefined();
    expect(logging.drifts).toMatchObject({ ok: false, failure: { action: 'cloudformation:DescribeStackResourceDrifts', kind: 'throttled' } });
  });

  it('uses the configured prefix and tag', async () => {
    mock.on(DescribeStacksCommand).resolves({ Stacks: [stack('HardeningData'), stack('BankData'), stack('Other', { owner: 'x' })] });
    const r = await collectDriftRegion(client(), 'us-east-1', { stackPrefix: 'Bank', managedByTag: 'owner' }, polling([]));
    expect(r.stacks.ok && r.stacks.value.map((s) => s.name)).toEqual(['BankData', 'Other']);
  });
});
