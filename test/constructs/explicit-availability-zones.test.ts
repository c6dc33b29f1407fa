import { spawnSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SegmentedVpc } from '../../lib/constructs/segmented-vpc';
import { useExplicitAvailabilityZones } from '../../lib/constructs/explicit-availability-zones';
import { ROOT, featureFlags } from '../helpers/app';

const ENV = { account: '111122223333', region: 'us-east-1' };

function vpcIn(stack: Stack, zones = ['us-east-1a', 'us-east-1b']) {
  const flowLogGroup = logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow-logs');
  return new SegmentedVpc(stack, 'Vpc', { availabilityZones: zones, flowLogGroup });
}

/** What `cdk synth` would have to look up in the account: the assembly's missing context. */
function lookups(app: App): string[] {
  return (app.synth().manifest.missing ?? []).map((m) => m.key);
}

describe('explicit availability zones keep synthesis offline', () => {
  test('SegmentedVpc in a user stack with an account and region needs no availability-zone lookup', () => {
    const app = new App({ context: featureFlags() });
    const stack = new Stack(app, 'UserStack', { env: ENV });
    vpcIn(stack);
    Annotations.fromStack(stack).hasNoError('*', Match.stringLikeRegexp('Need to perform AWS calls'));
    expect(lookups(app)).toEqual([]);
    expect(stack.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
  });

  test('without the pin, the same stack would need a lookup (the failure this prevents)', () => {
    const app = new App({ context: featureFlags() });
    const stack = new Stack(app, 'UserStack', { env: ENV });
    new logs.LogGroup(stack, 'Something');
    expect(stack.availabilityZones).toEqual(['dummy1a', 'dummy1b', 'dummy1c']);
    expect(lookups(app)).toEqual(['availability-zones:account=111122223333:region=us-east-1']);
  });

  test('a lookup already in the context wins, and a zone the account lacks is refused by ec2.Vpc', () => {
    const app = new App({ context: { ...featureFlags(), 'availability-zones:account=111122223333:region=us-east-1': ['us-east-1a', 'us-east-1c'] } });
    const stack = new Stack(app, 'UserStack', { env: ENV });
    expect(() => vpcIn(stack)).toThrow(/must be a subset of the stack's availability zones/);
  });

  test('an environment-agnostic stack is left alone', () => {
    const app = new App({ context: featureFlags() });
    const stack = new Stack(app, 'Agnostic');
    useExplicitAvailabilityZones(stack, ['us-east-1a', 'us-east-1b']);
    expect(Object.getOwnPropertyDescriptor(stack, 'availabilityZones')).toBeUndefined();
  });

  test('a stack class that overrides availabilityZones keeps its own answer', () => {
    class Pinned extends Stack {
      get availabilityZones(): string[] { return ['us-east-1a', 'us-east-1b', 'us-east-1d']; }
    }
    const app = new App({ context: featureFlags() });
    const stack = new Pinned(app, 'Pinned', { env: ENV });
    vpcIn(stack);
    expect(stack.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1d']);
    expect(lookups(app)).toEqual([]);
  });

  test('fails when a zone is not in the stack region, naming zone and region', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    expect(() => useExplicitAvailabilityZones(stack, ['us-west-2a', 'us-west-2b'])).toThrow('availability zone us-west-2a is not in the stack\'s region us-east-1');
  });

  test('fails when a second construct asks for zones outside the ones already pinned', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    useExplicitAvailabilityZones(stack, ['us-east-1a', 'us-east-1b']);
    useExplicitAvailabilityZones(stack, ['us-east-1b']);
    expect(() => useExplicitAvailabilityZones(stack, ['us-east-1c'])).toThrow(/us-east-1c are not among the zones already pinned/);
  });

  test('`cdk synth -c hardening:account=...` succeeds with no credentials and no network', () => {
    const out = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'synth-account-'));
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true', CDK_VALIDATION: 'false', AWS_EC2_METADATA_DISABLED: 'true' };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[k];
    env.AWS_CONFIG_FILE = join(out, 'no-config');
    env.AWS_SHARED_CREDENTIALS_FILE = join(out, 'no-credentials');
    const r = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', join(out, 'cdk.out'), '-c', 'hardening:account=111122223333'], {
      cwd: ROOT, encoding: 'utf8', env, timeout: 240_000,
    });
    expect(r.stderr).not.toContain('Need to perform AWS calls');
    expect(r.status).toBe(0);
  });
});
