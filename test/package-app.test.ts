import { execFileSync, spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './helpers/app';
import { packedPackage } from './helpers/package';
import { readmeConstructExample, transpile, withoutBaseline } from './helpers/readme';

/** The peer dependencies a user's CDK app already has; linked from this repository's node_modules. */
const PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag'];
const CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

interface Run { readonly code: number | null; readonly output: string; readonly seconds: number }

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, seconds: (Date.now() - start) / 1000 }));
  });
}

/** `cdk synth` by the CDK CLI, as users run it, of the app in `dir` (its cdk.json names `node <file>`). */
function cdkSynth(dir: string, file: string): Promise<Run> {
  return run(process.execPath, [CDK_CLI, 'synth', '--app', `node ${file}`, '--output', join(dir, `cdk.out-${file}`), '--quiet', '--no-notices', '--no-version-reporting'], dir, {
    // aws-cdk-lib's own CloudFormation schema validation is exercised by test/readme-example.test.ts;
    // here the question is the package, and the three packs run either way.
    CDK_VALIDATION: 'false', CI: 'true', FORCE_COLOR: '0', AWS_EC2_METADATA_DISABLED: 'true',
  });
}

/**
 * The "done when": the README construct example synthesizes clean with the packs in a
 * separate app that installs the packed tarball. A CDK app in a temporary directory installs the
 * tarball with npm (its own dependencies from the registry or npm's cache; the peers aws-cdk-lib,
 * constructs and cdk-nag are the app's own, linked from this repository as an app would already have
 * them), holds exactly the README example, and `cdk synth` runs it. Nothing here skips: a step that
 * cannot run fails the test, naming the step and its output.
 */
describe('the README construct example in a separate app that installs the packed tarball', () => {
  let dir: string;
  let install: Run;
  let clean: Run;
  let broken: Run;
  beforeAll(async () => {
    const { tarball } = packedPackage();
    dir = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'readme-app-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-app', version: '1.0.0', private: true, dependencies: { 'cdk-hardening': `file:${tarball}` } }, null, 2));
    // --legacy-peer-deps: npm would otherwise install a second aws-cdk-lib for the peers, which the app links below.
    install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps'], dir, { npm_config_loglevel: 'error' });
    if (install.code !== 0) {
      throw new Error(`npm install of the packed tarball failed (exit ${install.code}); it needs the npm registry or a warm npm cache:\n${install.output}`);
    }
    for (const peer of PEERS) {
      mkdirSync(join(dir, 'node_modules', ...peer.split('/').slice(0, -1)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', peer), join(dir, 'node_modules', peer), 'dir');
    }
    const example = readmeConstructExample();
    writeFileSync(join(dir, 'app.js'), transpile(example));
    writeFileSync(join(dir, 'broken.js'), transpile(withoutBaseline(example)));
    [clean, broken] = await Promise.all([cdkSynth(dir, 'app.js'), cdkSynth(dir, 'broken.js')]);
  }, 600_000);

  test('the app resolves cdk-hardening to the installed tarball, with its dependencies installed beside it', () => {
    const resolved = realpathSync(require.resolve('cdk-hardening', { paths: [dir] }));
    expect(resolved).toBe(join(realpathSync(dir), 'node_modules', 'cdk-hardening', 'dist', 'lib', 'index.js'));
    const version = (p: string) => JSON.parse(readFileSync(join(dir, 'node_modules', p, 'package.json'), 'utf8')).version;
    expect(version('cdk-hardening')).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // Runtime dependencies come from the tarball's package.json, not from this repository's node_modules.
    for (const dep of ['zod', 'commander', '@aws-sdk/client-guardduty']) expect(existsSync(join(dir, 'node_modules', dep, 'package.json'))).toBe(true);
  });

  test('cdk synth exits 0 with no finding of AwsSolutions, NIST 800-53 R5 or BreachLessons', () => {
    expect({ code: clean.code, findings: clean.output.match(/(AwsSolutions|NIST\.800\.53\.R5|BreachLessons)-\w+/g) ?? [] }).toEqual({ code: 0, findings: [] });
    const out = join(dir, 'cdk.out-app.js');
    const template = JSON.parse(readFileSync(join(out, 'Loans.template.json'), 'utf8'));
    const types = new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type));
    for (const t of ['AWS::Backup::BackupVault', 'AWS::CloudTrail::Trail', 'AWS::GuardDuty::Detector', 'AWS::IAM::ManagedPolicy']) expect(types).toContain(t);
    const evidence = JSON.parse(readFileSync(join(out, 'breach-lessons-evidence.json'), 'utf8')) as { findings: { status: string }[] };
    expect(evidence.findings.length).toBeGreaterThan(0);
    expect(evidence.findings.filter((f) => f.status !== 'PASS')).toEqual([]);
  });

  test('without the WorkloadBaseline line, cdk synth fails naming the app-level controls', () => {
    expect(broken.code).not.toBe(0);
    expect(broken.code).not.toBeNull();
    expect(broken.output).toMatch(/BAK-VAULTLOCK\] Loans\/Borrowers/);
    expect(broken.output).toMatch(/EXF-DATAEVENTS\] Loans\/LoanFiles/);
    expect(broken.output).toMatch(/GD-ENABLED\] Loans\/Borrowers/);
  });

  test('the installed CLI runs from the app (npx cdk-hardening)', () => {
    const out = execFileSync(join(dir, 'node_modules', '.bin', 'cdk-hardening'), ['lessons', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('BAK-VAULTLOCK');
  });
});
