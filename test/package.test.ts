import { execFileSync } from 'child_process';
import { cpSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AWS_OWNED_BUCKETS_FILE, POLICY_NAMES } from '../lib/policies';
import { ROOT } from './helpers/app';

/**
 * What `npm pack` ships, judged on a staging copy built from the sources (the repository's own
 * dist/ may be stale or absent): the compiled CLI and library, the policies they load, the schema
 * and docs the README links, the licence - and no source maps pointing at sources not shipped.
 */
describe('the npm package', () => {
  let files: string[];
  beforeAll(() => {
    const stage = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'pack-'));
    for (const f of ['package.json', 'README.md', 'RULES.md', 'LICENSE', 'policies', 'schemas', 'docs']) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { cwd: ROOT, stdio: 'pipe' });
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: stage, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
    files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
  }, 240_000);

  test('ships the licence, the README and the rules reference', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'RULES.md']));
  });

  test('ships the CLI, the library with its types, and every policy document it loads', () => {
    expect(files).toEqual(expect.arrayContaining(['dist/bin/cdk-hardening.js', 'dist/lib/index.js', 'dist/lib/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining([...POLICY_NAMES.map((n) => `policies/${n}.json`), `policies/${AWS_OWNED_BUCKETS_FILE}`]));
  });

  test('ships the report schema and the docs the README points to', () => {
    expect(files).toEqual(expect.arrayContaining(['schemas/report.schema.json', 'docs/report-schema.md']));
  });

  test('ships no source maps and no TypeScript sources (only declarations)', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('ships no tests, benchmarks or repository tooling', () => {
    expect(files.filter((f) => /^(test|bench|\.ci|\.mutation|cdk\.out)\//.test(f) || f === 'cdk.json' || f === 'stryker.config.json')).toEqual([]);
  });
});
