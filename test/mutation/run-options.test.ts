import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AREAS, areaFiles, areasOf, areaParts, areaScore, fileScores, ownFiles, parseArgs, plans, seedIncremental, strykerConfig } from './run';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'mutate-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('npm run mutate arguments', () => {
  test('areas and --typecheck, in any order; no area means every area', () => {
    expect(parseArgs(['rules', '--typecheck', 'audit'])).toMatchObject({ areas: ['rules', 'audit'], typecheck: true });
    expect([...new Set(plans(parseArgs([])).map((p) => p.area))]).toEqual(Object.keys(AREAS));
    const config = plans(parseArgs(['config']));
    expect(config.length).toBeGreaterThan(0);
    expect(config.every((p) => p.area === 'config' && p.name.startsWith('config/'))).toBe(true);
    expect(config.flatMap((p) => p.mutate)).toContain('lib/config/schema.ts');
    expect(config.flatMap((p) => p.mutate)).not.toContain('lib/config/index.ts');
    expect(parseArgs(['rules', '--scores'])).toMatchObject({ areas: ['rules'], scoresOnly: true });
  });

  test('a part named alone (area/part) runs only that part; its area is still scored; an unknown part names the area\'s parts', () => {
    const o = parseArgs(['rules/top', '--tests', 'test/nag/rules/*.test.ts']);
    expect(o).toMatchObject({ areas: [], parts: ['rules/top'] });
    expect(areasOf(o)).toEqual(['rules']);
    expect(plans(o).map((p) => p.name)).toEqual(['rules/top']);
    expect(plans(o)[0].mutate).toEqual(['lib/nag/rules/common.ts']);
    // naming the whole area as well runs every part of it
    expect(plans(parseArgs(['rules/top', 'rules'])).length).toBeGreaterThan(1);
    expect(plans(parseArgs(['rules/top', 'config'])).map((p) => p.area)).toEqual(expect.arrayContaining(['rules', 'config']));
    expect(areasOf(parseArgs(['config', 'rules/top']))).toEqual(['rules', 'config']);
    expect(() => plans(parseArgs(['rules/nope']))).toThrow(/^unknown part 'rules\/nope'; the parts of rules: rules\/top, rules\/backup, /);
    expect(() => parseArgs(['rulez/top'])).toThrow("unknown area 'rulez'");
    expect(() => parseArgs(['rules/top', '--files', 'lib/a.ts'])).toThrow("--files replaces the areas: give either 'rules/top' or --files");
  });

  test('--files narrows one run to the given files, comma-separated or repeated, with its own output folder', () => {
    const o = parseArgs(['--files', 'lib/audit/checks/iam/root-mfa.ts,lib/config/schema.ts', '--files', 'lib/audit/mfa-policy.ts']);
    expect(o.files).toEqual(['lib/audit/checks/iam/root-mfa.ts', 'lib/config/schema.ts', 'lib/audit/mfa-policy.ts']);
    const [p, ...more] = plans(o);
    expect(more).toEqual([]);
    expect(p.mutate).toEqual(o.files);
    expect(p.name).toMatch(/^files-[A-Za-z0-9.+_-]+$/);
    expect(p.name).toContain('root-mfa.ts');
    expect(plans(parseArgs(['--files', 'lib/a.ts']))[0].name).not.toBe(plans(parseArgs(['--files', 'lib/b.ts']))[0].name);
  });

  test('bad arguments are refused naming what is wrong', () => {
    expect(() => parseArgs(['rulez'])).toThrow("unknown area 'rulez'; areas: rules, helpers");
    expect(() => parseArgs(['--file', 'x'])).toThrow("unknown option '--file'");
    expect(() => parseArgs(['--files'])).toThrow('--files needs a value');
    expect(() => parseArgs(['--files', '--typecheck'])).toThrow('--files needs a value');
    expect(() => parseArgs(['--tests', ' '])).toThrow('--tests needs a value');
    expect(() => parseArgs(['--concurrency', '0'])).toThrow("--concurrency must be a whole number >= 1, got '0'");
    expect(() => parseArgs(['--concurrency', '1.5'])).toThrow("got '1.5'");
    expect(() => parseArgs(['rules', '--files', 'lib/a.ts'])).toThrow("--files replaces the areas: give either 'rules' or --files");
  });
});

describe('an area is split into runs that each keep their results', () => {
  test('the globs select files under their folders; a ! glob excludes', () => {
    const root = tree({ 'lib/a/x.ts': '', 'lib/a/index.ts': '', 'lib/a/b/y.ts': '', 'lib/a/b/index.ts': '', 'lib/a/z.js': '', 'lib/c/w.ts': '', 'lib/top.ts': '' });
    expect(areaFiles(['lib/a/**/*.ts', '!lib/a/**/index.ts'], root)).toEqual(['lib/a/b/y.ts', 'lib/a/x.ts']);
    expect(areaFiles(['lib/*.ts', 'lib/c/**/*.ts'], root)).toEqual(['lib/c/w.ts', 'lib/top.ts']);
    expect(areaFiles(['lib/missing/**/*.ts'], root)).toEqual([]);
  });

  test('one run per folder, named below the common folder; a folder over the line budget is split in order', () => {
    const f = (path: string, lines: number) => ({ path, lines });
    const parts = areaParts('rules', [f('lib/r/a.ts', 50), f('lib/r/kms/k1.ts', 60), f('lib/r/kms/k2.ts', 60), f('lib/r/kms/k3.ts', 10), f('lib/r/s3/s.ts', 500)], 100);
    expect(parts).toEqual([
      { name: 'rules/top', mutate: ['lib/r/a.ts'], area: 'rules' },
      { name: 'rules/kms.1', mutate: ['lib/r/kms/k1.ts'], area: 'rules' },
      { name: 'rules/kms.2', mutate: ['lib/r/kms/k2.ts', 'lib/r/kms/k3.ts'], area: 'rules' },
      { name: 'rules/s3', mutate: ['lib/r/s3/s.ts'], area: 'rules' },
    ]);
    expect(areaParts('x', [])).toEqual([]);
  });

  test('a part without results starts from every result of its area, the newest winning for a file', () => {
    const root = tree({
      'rules/incremental.json': JSON.stringify({ schemaVersion: '2', files: { 'lib/a.ts': { old: true }, 'lib/b.ts': { old: true } }, testFiles: { 't1': 1 } }),
      'rules/kms/incremental.json': JSON.stringify({ schemaVersion: '2', files: { 'lib/a.ts': { old: false } }, testFiles: { 't2': 2 } }),
    });
    utimesSync(join(root, 'rules/incremental.json'), new Date(1000), new Date(1000));
    expect(seedIncremental(join(root, 'rules'))).toEqual({ schemaVersion: '2', files: { 'lib/a.ts': { old: false }, 'lib/b.ts': { old: true } }, testFiles: { t1: 1, t2: 2 } });
    expect(seedIncremental(join(root, 'none'))).toBeUndefined();
  });

  test("a part's report counts only the files it mutates (Stryker carries the seed's other files into it)", () => {
    const report = { files: { 'lib/a.ts': { mutants: [] }, 'lib/b.ts': { mutants: [] } } };
    expect(Object.keys(ownFiles(report, ['lib/b.ts'], '/repo').files)).toEqual(['lib/b.ts']);
  });

  test("an area's score sums its parts and names the parts that have no result", () => {
    const m = (line: number, status: string) => ({ id: String(line), mutatorName: 'ConditionalExpression', replacement: 'true', status, location: { start: { line, column: 1 } } });
    const s = areaScore('rules', [
      { name: 'rules/kms', report: { files: { 'lib/k.ts': { mutants: [m(1, 'Killed'), m(2, 'Killed'), m(3, 'Survived')] } } } },
      { name: 'rules/s3', report: { files: { 'lib/s.ts': { mutants: [m(1, 'Killed')] } } } },
      { name: 'rules/sqs' },
    ], [], '/repo');
    expect(s).toMatchObject({ killed: 3, survived: 1, score: 75, missing: ['rules/sqs'] });
  });
});

describe('the Stryker config of one run', () => {
  const base = { $schema: 'x', _comment: 'y', jest: { projectType: 'custom', configFile: 'jest.config.js' }, concurrency: 2, checkers: [] };
  const plan = { name: 'files-lib_a.ts', mutate: ['lib/a.ts'] };

  test('mutates the plan, writes reports, incremental file and sandbox under .mutation/<name>, keeps the base settings', () => {
    const c = strykerConfig(base, plan, { typecheck: false });
    expect(c).toEqual({
      jest: { projectType: 'custom', configFile: 'jest.config.js' },
      concurrency: 2,
      checkers: [],
      mutate: ['lib/a.ts'],
      incrementalFile: '.mutation/files-lib_a.ts/incremental.json',
      htmlReporter: { fileName: '.mutation/files-lib_a.ts/report.html' },
      jsonReporter: { fileName: '.mutation/files-lib_a.ts/report.json' },
      tempDirName: '.mutation/tmp-files-lib_a.ts',
    });
    const part = strykerConfig(base, { name: 'rules/kms.2', mutate: ['lib/k.ts'], area: 'rules' }, { typecheck: false });
    expect(part).toMatchObject({ incrementalFile: '.mutation/rules/kms.2/incremental.json', tempDirName: '.mutation/tmp-rules-kms.2' });
  });

  test('--typecheck adds the TypeScript checker; --concurrency overrides; --tests restricts jest to those test files', () => {
    const c = strykerConfig(base, plan, { typecheck: true, concurrency: 1, tests: ['test/audit/**/*.test.ts', 'test/config/x.test.ts'] });
    expect(c.checkers).toEqual(['typescript']);
    expect(c.concurrency).toBe(1);
    expect(c.jest).toEqual({
      projectType: 'custom', configFile: 'jest.config.js',
      config: { testMatch: ['<rootDir>/test/audit/**/*.test.ts', '<rootDir>/test/config/x.test.ts'] },
    });
    expect(base.jest).toEqual({ projectType: 'custom', configFile: 'jest.config.js' });
  });

  test('--static mutates static code too (the base config ignores it); without it the base setting stands', () => {
    const b = { ...base, ignoreStatic: true };
    expect(parseArgs(['rules/backup', '--static'])).toMatchObject({ parts: ['rules/backup'], includeStatic: true });
    expect(parseArgs(['rules'])).not.toHaveProperty('includeStatic');
    expect(strykerConfig(b, plan, { typecheck: false, includeStatic: true }).ignoreStatic).toBe(false);
    expect(strykerConfig(b, plan, { typecheck: false }).ignoreStatic).toBe(true);
  });

  test("{part} in --tests becomes the folder of the part being run, so each part runs its own folder's tests", () => {
    const tests = ['test/nag/rules/{part}.test.ts', 'test/nag/rules/false-pass-*.test.ts'];
    const kms2 = strykerConfig(base, { name: 'rules/kms.2', mutate: ['lib/nag/rules/kms/a.ts'], area: 'rules' }, { typecheck: false, tests });
    expect((kms2.jest as { config: { testMatch: string[] } }).config.testMatch)
      .toEqual(['<rootDir>/test/nag/rules/kms.test.ts', '<rootDir>/test/nag/rules/false-pass-*.test.ts']);
    const s3 = strykerConfig(base, { name: 'rules/s3', mutate: ['lib/nag/rules/s3/a.ts'], area: 'rules' }, { typecheck: false, tests: ['x/{part}/{part}.ts'] });
    expect((s3.jest as { config: { testMatch: string[] } }).config.testMatch).toEqual(['<rootDir>/x/s3/s3.ts']);
    expect(() => strykerConfig(base, plan, { typecheck: false, tests })).toThrow("--tests 'test/nag/rules/{part}.test.ts': {part} needs a part of an area; files-lib_a.ts is not one");
    expect(() => parseArgs(['--files', 'lib/a.ts', '--tests', 'test/{part}.test.ts'])).toThrow('--tests: {part} names the folder');
    expect(parseArgs(['rules', '--tests', 'test/{part}.test.ts']).tests).toEqual(['test/{part}.test.ts']);
  });
});

describe('per-file scores of a --files run', () => {
  test('one score per file, sorted, each counting only its own mutants', () => {
    const m = (line: number, status: string) => ({ id: String(line), mutatorName: 'ConditionalExpression', replacement: 'true', status, location: { start: { line, column: 1 } } });
    const report = { files: { 'lib/b.ts': { mutants: [m(1, 'Killed'), m(2, 'Survived')] }, 'lib/a.ts': { mutants: [m(1, 'Killed')] } } };
    const s = fileScores(report, [], '/repo');
    expect(s.map((x) => [x.area.trim(), x.score])).toEqual([['lib/a.ts', 100], ['lib/b.ts', 50]]);
  });
});
