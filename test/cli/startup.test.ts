import { execFileSync } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** Which heavy packages `require(module)` loads, seen from a fresh node process. */
function loadedBy(module: string): Record<string, boolean> {
  const script = `require(${JSON.stringify(module)});`
    + 'const ks = Object.keys(require.cache);'
    + 'console.log(JSON.stringify(Object.fromEntries(["aws-cdk-lib", "cdk-nag", "@aws-sdk"].map((p) => [p, ks.some((k) => k.includes("/node_modules/" + p + "/"))]))));';
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('CLI start-up', () => {
  it('loads neither aws-cdk-lib, cdk-nag nor the AWS SDK until a command needs them', () => {
    expect(loadedBy('./lib/cli/main')).toEqual({ 'aws-cdk-lib': false, 'cdk-nag': false, '@aws-sdk': false });
  });
  it('the probe does see them when they are loaded', () => {
    expect(loadedBy('./lib/report')).toMatchObject({ 'aws-cdk-lib': true, 'cdk-nag': true });
  });
});
