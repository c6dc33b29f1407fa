import { AREAS, fileScores, parseArgs, plans, strykerConfig } from './run';

describe('npm run mutate arguments', () => {
  test('areas and --typecheck, in any order; no area means every area', () => {
    expect(parseArgs(['rules', '--typecheck', 'audit'])).toMatchObject({ areas: ['rules', 'audit'], typecheck: true });
    expect(plans(parseArgs([])).map((p) => p.name)).toEqual(Object.keys(AREAS));
    expect(plans(parseArgs(['config']))).toEqual([{ name: 'config', mutate: AREAS.config }]);
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
});

describe('per-file scores of a --files run', () => {
  test('one score per file, sorted, each counting only its own mutants', () => {
    const m = (line: number, status: string) => ({ id: String(line), mutatorName: 'ConditionalExpression', replacement: 'true', status, location: { start: { line, column: 1 } } });
    const report = { files: { 'lib/b.ts': { mutants: [m(1, 'Killed'), m(2, 'Survived')] }, 'lib/a.ts': { mutants: [m(1, 'Killed')] } } };
    const s = fileScores(report, [], '/repo');
    expect(s.map((x) => [x.area.trim(), x.score])).toEqual([['lib/a.ts', 100], ['lib/b.ts', 50]]);
  });
});
