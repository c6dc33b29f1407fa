import { spawnSync } from 'child_process';
import { join } from 'path';
import { quietSdkNodeVersionWarning } from '../../lib/cli/main';

const ROOT = join(__dirname, '..', '..');

describe('the CLI writes only its own messages to stderr', () => {
  test('an audit on Node 20 prints no AWS SDK Node-version warning', () => {
    // A closed loopback port: the audit cannot reach AWS, so it ends with its own errors only.
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true' };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete env.NODE_NO_WARNINGS;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/cdk-hardening.ts', 'audit', '--endpoint-url', 'http://127.0.0.1:9', '--regions', 'us-east-1', '--format', 'json'], {
      cwd: ROOT, encoding: 'utf8', env, timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
    expect(r.status).toBe(3); // nothing could be evaluated: incomplete, never a pass
  });

  test('a user who asks for the warning keeps it', () => {
    const env: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietSdkNodeVersionWarning(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
    const unset: NodeJS.ProcessEnv = {};
    quietSdkNodeVersionWarning(unset);
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
});
