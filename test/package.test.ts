import { AWS_OWNED_BUCKETS_FILE, POLICY_NAMES } from '../lib/policies';
import { packedPackage } from './helpers/package';

/**
 * What `npm pack` ships, judged on the tarball packed from a staging copy built from the sources
 * (the repository's own dist/ may be stale or absent; test/helpers/package.ts, shared with
 * test/package-app.test.ts): the compiled CLI and library, the policies they load, the schema and
 * docs the README links, the licence - and no source maps pointing at sources not shipped.
 */
describe('the npm package', () => {
  let files: string[];
  beforeAll(() => {
    ({ files } = packedPackage());
  }, 600_000);

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
