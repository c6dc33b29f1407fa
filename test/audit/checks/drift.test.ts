import { ResourceDrift, StackDriftSnapshot } from '../../../lib/audit/drift-types';
import { AccountSnapshot, failed, ok } from '../../../lib/audit/types';
import drift from '../../../lib/audit/checks/cloudformation/drift';
import { ACCOUNT, SETTINGS, deniedResult, goodSnapshot, inSyncStack } from '../support/snapshots';

const run = (s: AccountSnapshot) => drift.evaluate(s, SETTINGS);
/** us-east-1's findings (eu-west-1 holds no stack of the environment). */
const home = (s: AccountSnapshot) => run(s).filter((f) => f.resource.region === 'us-east-1');
const STACK_ARN = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/HardeningData/0a1b2c3d`;
const withStacks = (...stacks: StackDriftSnapshot[]): AccountSnapshot => ({ ...goodSnapshot(), drift: [{ region: 'eu-west-1', stacks: ok([]) }, { region: 'us-east-1', stacks: ok(stacks) }] });
const drifted = (...drifts: ResourceDrift[]): StackDriftSnapshot => inSyncStack('HardeningData', {
  detection: ok({ status: 'DETECTION_COMPLETE', stackDriftStatus: 'DRIFTED' }), drifts: ok(drifts),
});
const BUCKET: ResourceDrift = {
  logicalId: 'PiiBucketC0FFEE', physicalId: 'hardening-pii-111122223333', type: 'AWS::S3::Bucket', status: 'MODIFIED',
  differences: [{ path: '/PublicAccessBlockConfiguration/BlockPublicPolicy', kind: 'NOT_EQUAL', expected: 'true', actual: 'false' }],
};

describe('cloudformation-drift', () => {
  it('passes stacks in sync, and says a region has none of the environment', () => {
    expect(run(goodSnapshot()).map((f) => [f.resource.region, f.status, f.controlId, f.resource.id, f.message])).toEqual([
      ['eu-west-1', 'PASS', 'LOG-TAMPER', `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/*`, 'no stack of the hardened environment in eu-west-1'],
      ['us-east-1', 'PASS', 'LOG-TAMPER', STACK_ARN, 'stack HardeningData (tag hardening:managed-by) has not drifted (IN_SYNC)'],
      ['us-east-1', 'PASS', 'LOG-TAMPER', `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/HardeningLogging/0a1b2c3d`, 'stack HardeningLogging (tag hardening:managed-by) has not drifted (IN_SYNC)'],
    ]);
  });

  it('a modified resource is a FAIL under the control the drifted property implements, naming it', () => {
    const [f] = home(withStacks(drifted(BUCKET)));
    expect(f).toMatchObject({
      status: 'FAIL', controlId: 'DATA-PUBLIC', ruleId: 'cloudformation-drift', lessonId: 'L5',
      resource: { id: 'HardeningData#PiiBucketC0FFEE', type: 'AWS::S3::Bucket', logicalId: 'PiiBucketC0FFEE', template: 'HardeningData', region: 'us-east-1', account: ACCOUNT },
      message: 'PiiBucketC0FFEE (AWS::S3::Bucket hardening-pii-111122223333) in stack HardeningData drifted: /PublicAccessBlockConfiguration/BlockPublicPolicy is false (deployed: true)',
    });
    // Only the drifted stack loses its PASS.
    expect(home(withStacks(drifted(BUCKET))).filter((x) => x.status === 'PASS')).toEqual([]);
  });

  it('properties of one resource breaking different controls are one FAIL per control', () => {
    const both: ResourceDrift = { ...BUCKET, differences: [
      ...BUCKET.differences,
      { path: '/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm', kind: 'NOT_EQUAL', expected: 'aws:kms', actual: 'AES256' },
      { path: '/Tags/1', kind: 'REMOVE', expected: '{"Key":"hardening:backup","Value":"required"}' },
    ] };
    expect(home(withStacks(drifted(both))).map((f) => [f.controlId, f.message.split(': ').slice(1).join(': ')])).toEqual([
      ['DATA-PUBLIC', '/PublicAccessBlockConfiguration/BlockPublicPolicy is false (deployed: true)'],
      ['DATA-CMK', '/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm is AES256 (deployed: aws:kms)'],
      ['BAK-VAULTLOCK', '/Tags/1 was removed (deployed: {"Key":"hardening:backup","Value":"required"})'],
    ]);
  });

  it('key, rule and alarm drifts land on their controls; a deleted resource fails its type\'s control', () => {
    const key: ResourceDrift = { logicalId: 'Key', type: 'AWS::KMS::Key', status: 'MODIFIED', differences: [{ path: '/EnableKeyRotation', kind: 'NOT_EQUAL', expected: 'true', actual: 'false' }] };
    const policy: ResourceDrift = { logicalId: 'Key2', type: 'AWS::KMS::Key', status: 'MODIFIED', differences: [{ path: '/KeyPolicy/Statement/2', kind: 'ADD', actual: '{"Effect":"Allow"}' }] };
    const rule: ResourceDrift = { logicalId: 'RootSignIn', physicalId: 'Hardening-security-root-sign-in', type: 'AWS::Events::Rule', status: 'MODIFIED', differences: [{ path: '/State', kind: 'NOT_EQUAL', expected: 'ENABLED', actual: 'DISABLED' }] };
    const alarm: ResourceDrift = { logicalId: 'Alarm', type: 'AWS::CloudWatch::Alarm', status: 'MODIFIED', differences: [{ path: '/ActionsEnabled', kind: 'NOT_EQUAL', expected: 'true', actual: 'false' }] };
    const filter: ResourceDrift = { logicalId: 'CisFilter', physicalId: 'cis-4.5', type: 'AWS::Logs::MetricFilter', status: 'DELETED', differences: [] };
    const fs = home(withStacks(drifted(key, policy, rule, alarm, filter)));
    expect(fs.map((f) => `${f.resource.logicalId} ${f.status} ${f.controlId}`)).toEqual([
      'Key FAIL DATA-ROTATION', 'Key2 FAIL DATA-KEYPOLICY', 'RootSignIn FAIL IR-ROUTING', 'Alarm FAIL IR-ROUTING', 'CisFilter FAIL LOG-ALARMS',
    ]);
    expect(fs[1].message).toBe('Key2 (AWS::KMS::Key) in stack HardeningData drifted: /KeyPolicy/Statement/2 was added: {"Effect":"Allow"}');
    expect(fs[4].message).toBe('CisFilter (AWS::Logs::MetricFilter cis-4.5) in stack HardeningData was deleted outside CloudFormation');
  });

  it('a type no control maps is still a FAIL, under LOG-TAMPER; many differences are listed up to five', () => {
    const odd: ResourceDrift = { logicalId: 'Thing', type: 'AWS::Foo::Bar', status: 'MODIFIED', differences: Array.from({ length: 7 }, (_, i) => ({ path: `/P${i}`, kind: 'NOT_EQUAL', expected: 'a', actual: 'b' })) };
    const [f] = home(withStacks(drifted(odd)));
    expect(f).toMatchObject({ status: 'FAIL', controlId: 'LOG-TAMPER' });
    expect(f.message).toMatch(/\/P4 is b \(deployed: a\); and 2 more$/);
  });

  it('a failed detection is ERROR for the stack, and the drifts it found are still FAIL', () => {
    const st = inSyncStack('HardeningData', { detection: ok({ status: 'DETECTION_FAILED', reason: 'Failed to detect drift on resource [Vpc]: access denied', stackDriftStatus: 'DRIFTED' }), drifts: ok([BUCKET]) });
    expect(home(withStacks(st)).map((f) => [f.status, f.controlId, f.message])).toEqual([
      ['ERROR', 'LOG-TAMPER', 'cannot verify: drift detection of stack HardeningData ended DETECTION_FAILED: Failed to detect drift on resource [Vpc]: access denied'],
      ['FAIL', 'DATA-PUBLIC', expect.stringContaining('PiiBucketC0FFEE')],
    ]);
  });

  it('a failed detection that found no drifts (or whose drifts were not read) is ERROR only, never PASS', () => {
    const failedDetection = ok({ status: 'DETECTION_FAILED' as const, reason: 'resource [Vpc] could not be read' });
    for (const drifts of [ok([]), undefined]) {
      expect(home(withStacks(inSyncStack('HardeningData', { detection: failedDetection, drifts }))).map((f) => f.status)).toEqual(['ERROR']);
    }
  });
  it('each kind of difference is told as it happened; a value AWS did not give is shown as ?', () => {
    const d = (differences: ResourceDrift['differences']): ResourceDrift => ({ logicalId: 'Thing', type: 'AWS::Foo::Bar', status: 'MODIFIED', differences });
    const msg = (x: ResourceDrift) => home(withStacks(drifted(x)))[0].message.replace('Thing (AWS::Foo::Bar) in stack HardeningData drifted: ', '');
    expect(msg(d([{ path: '/A', kind: 'REMOVE', expected: '1' }, { path: '/B', kind: 'REMOVE' }]))).toBe('/A was removed (deployed: 1); /B was removed (deployed: ?)');
    expect(msg(d([{ path: '/C', kind: 'ADD' }, { path: '/D', kind: 'NOT_EQUAL' }]))).toBe('/C was added: ?; /D is ? (deployed: ?)');
  });
  it('says what was not collected, and a detection that ended without a reason', () => {
    expect(run({ ...goodSnapshot(), drift: undefined })[0].message).toBe('cannot verify: stack drift (cloudformation:DetectStackDrift) was not collected');
    expect(run({ ...goodSnapshot(), drift: [{ region: 'us-east-1', stacks: ok([]) }] })[0].message).toBe('cannot verify: cloudformation:DescribeStacks failed (region eu-west-1 was not collected)');
    const st = inSyncStack('HardeningData', { detection: ok({ status: 'DETECTION_FAILED' }), drifts: ok([]) });
    expect(home(withStacks(st))[0].message).toBe('cannot verify: drift detection of stack HardeningData ended DETECTION_FAILED');
    const noStatus = inSyncStack('HardeningData', { detection: ok({ status: 'DETECTION_COMPLETE' }), drifts: ok([]) });
    expect(home(withStacks(noStatus))[0].message).toBe('stack HardeningData (tag hardening:managed-by) has not drifted');
  });
  it('a resource reported MODIFIED without its differences still fails its type\'s control', () => {
    const bare: ResourceDrift = { logicalId: 'Alarm', type: 'AWS::CloudWatch::Alarm', status: 'MODIFIED', differences: [] };
    expect(home(withStacks(drifted(bare))).map((f) => [f.status, f.controlId, f.message])).toEqual([['FAIL', 'LOG-ALARMS', 'Alarm (AWS::CloudWatch::Alarm) in stack HardeningData drifted']]);
  });
  it('lists five differences whole, and says how many more there are beyond five', () => {
    const diffs = (n: number): ResourceDrift => ({ logicalId: 'Thing', type: 'AWS::Foo::Bar', status: 'MODIFIED', differences: Array.from({ length: n }, (_, i) => ({ path: `/P${i}`, kind: 'NOT_EQUAL', expected: 'a', actual: 'b' })) });
    expect(home(withStacks(drifted(diffs(5))))[0].message).toMatch(/\/P4 is b \(deployed: a\)$/);
    expect(home(withStacks(drifted(diffs(6))))[0].message).toMatch(/\/P4 is b \(deployed: a\); and 1 more$/);
  });
  it('is ERROR naming the action: DetectStackDrift denied, detection timed out, drifts unreadable, listing throttled, not collected', () => {
    const st = (over: Partial<StackDriftSnapshot>) => home(withStacks(inSyncStack('HardeningData', over)))[0];
    expect(st({ detection: deniedResult('cloudformation:DetectStackDrift'), drifts: undefined })).toMatchObject({
      status: 'ERROR', resource: { id: STACK_ARN, template: 'HardeningData' }, message: expect.stringMatching(/^cannot verify: cloudformation:DetectStackDrift access denied/),
    });
    const timeout = failed({ action: 'cloudformation:DescribeStackDriftDetectionStatus', kind: 'timeout', message: 'drift detection of stack HardeningData not finished after 30 polls (last: DETECTION_IN_PROGRESS)' });
    expect(st({ detection: timeout, drifts: undefined }).message).toBe('cannot verify: cloudformation:DescribeStackDriftDetectionStatus timed out (drift detection of stack HardeningData not finished after 30 polls (last: DETECTION_IN_PROGRESS))');
    expect(st({ drifts: deniedResult('cloudformation:DescribeStackResourceDrifts') })).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/DescribeStackResourceDrifts access denied/) });
    const thr = failed({ action: 'cloudformation:DescribeStacks', kind: 'throttled', code: 'Throttling', message: 'Rate exceeded' });
    expect(run({ ...goodSnapshot(), drift: [{ region: 'eu-west-1', stacks: thr }, { region: 'us-east-1', stacks: ok([]) }] }).map((f) => f.status)).toEqual(['ERROR', 'PASS']);
    expect(run({ ...goodSnapshot(), drift: undefined })).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/not collected/) }]);
    expect(run({ ...goodSnapshot(), drift: [{ region: 'us-east-1', stacks: ok([]) }] })[0]).toMatchObject({ status: 'ERROR', resource: { region: 'eu-west-1' } });
    expect(run({ ...goodSnapshot(), regions: deniedResult('account:ListRegions') })).toMatchObject([{ status: 'ERROR', resource: { region: '*' } }]);
  });
});

describe('cloudformation-drift: what each outcome says (mutation survivors)', () => {
  it('beyond five differences, the five listed are each named, then how many more', () => {
    const many: ResourceDrift = { logicalId: 'Thing', type: 'AWS::Foo::Bar', status: 'MODIFIED', differences: Array.from({ length: 7 }, (_, i) => ({ path: `/P${i}`, kind: 'NOT_EQUAL', expected: 'a', actual: 'b' })) };
    expect(home(withStacks(drifted(many)))[0].message).toBe(
      'Thing (AWS::Foo::Bar) in stack HardeningData drifted: /P0 is b (deployed: a); /P1 is b (deployed: a); /P2 is b (deployed: a); /P3 is b (deployed: a); /P4 is b (deployed: a); and 2 more');
  });
  it('drift not collected is one ERROR for every region (*) of the account', () => {
    expect(run({ ...goodSnapshot(), drift: undefined })).toMatchObject([{
      status: 'ERROR', resource: { region: '*', id: `arn:aws:cloudformation:*:${ACCOUNT}:stack/*` },
    }]);
  });
});
