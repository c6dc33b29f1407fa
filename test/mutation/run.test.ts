import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AREAS, loadEquivalents, ownFiles, scoreReport } from './run';

const mutant = (line: number, status: string, mutatorName = 'ConditionalExpression', replacement = 'true') => ({
  id: `${line}-${status}`, mutatorName, replacement, status, location: { start: { line, column: 3 } },
});

describe('mutation score per area', () => {
  test('counts killed and timed-out mutants as detected, survived and uncovered ones as not', () => {
    const s = scoreReport('rules', {
      files: { 'lib/a.ts': { mutants: [mutant(1, 'Killed'), mutant(2, 'Timeout'), mutant(3, 'Survived'), mutant(4, 'NoCoverage')] } },
    }, [], '/repo');
    expect(s).toMatchObject({ killed: 1, timeout: 1, survived: 1, noCoverage: 1, score: 50 });
    expect(s.survivors).toEqual([
      'lib/a.ts:3:3 ConditionalExpression -> "true" (Survived)',
      'lib/a.ts:4:3 ConditionalExpression -> "true" (NoCoverage)',
    ]);
  });

  test('compile and runtime errors are not test results: they change no score', () => {
    const s = scoreReport('x', { files: { 'lib/a.ts': { mutants: [mutant(1, 'Killed'), mutant(2, 'CompileError'), mutant(3, 'RuntimeError')] } } }, [], '/repo');
    expect(s).toMatchObject({ score: 100, invalid: 2 });
  });

  test('a listed equivalent mutant is excluded only when file, line, mutator and replacement all match', () => {
    const report = { files: { 'lib/a.ts': { mutants: [mutant(3, 'Survived'), mutant(4, 'Survived', 'EqualityOperator', 'a <= b')] } } };
    const eq = { file: 'lib/a.ts', line: 3, mutator: 'ConditionalExpression', replacement: 'true', reason: 'both branches return the same list' };
    const s = scoreReport('x', report, [eq, { ...eq, line: 9 }], '/repo');
    expect(s).toMatchObject({ equivalent: 1, survived: 1, score: 0 });
    expect(s.staleEquivalents).toEqual([{ ...eq, line: 9, why: 'no such mutant' }]);
    expect(scoreReport('x', report, [{ ...eq, replacement: 'false' }], '/repo')).toMatchObject({ equivalent: 0, survived: 2 });
  });

  test('an equivalent that gives a column excludes only the mutant at that column, so a killed-then-revived sibling on its line is still reported', () => {
    const at = (column: number) => ({ ...mutant(3, 'Survived'), id: `c${column}`, location: { start: { line: 3, column } } });
    const report = { files: { 'lib/a.ts': { mutants: [at(5), at(17)] } } };
    const eq = { file: 'lib/a.ts', line: 3, column: 17, mutator: 'ConditionalExpression', replacement: 'true', reason: 'the right operand is always true here' };
    const s = scoreReport('x', report, [eq], '/repo');
    expect(s).toMatchObject({ equivalent: 1, survived: 1 });
    expect(s.survivors).toEqual(['lib/a.ts:3:5 ConditionalExpression -> "true" (Survived)']);
    const { column: _c, ...lineOnly } = eq;
    expect(scoreReport('x', report, [lineOnly], '/repo')).toMatchObject({ equivalent: 2, survived: 0 });
  });

  test("a run's own files: a path, a glob, a path with the line range it mutated; other files of the report are not its own", () => {
    const m = { id: '1', mutatorName: 'BooleanLiteral', status: 'Killed', location: { start: { line: 1, column: 1 } } };
    const report = { files: { 'lib/policy/questions.ts': { mutants: [m] }, 'lib/template/yaml.ts': { mutants: [m] }, 'lib/nag/evaluate.ts': { mutants: [m] } } };
    const own = (files: string[]) => Object.keys(ownFiles(report, files, '/r').files);
    expect(own(['lib/policy/questions.ts:792-1046'])).toEqual(['lib/policy/questions.ts']);
    expect(own(['lib/policy/questions.ts'])).toEqual(['lib/policy/questions.ts']);
    expect(own(['lib/template/*.ts', 'lib/nag/evaluate.ts:1-20'])).toEqual(['lib/template/yaml.ts', 'lib/nag/evaluate.ts']);
    expect(own(['lib/policy/q.ts'])).toEqual([]);
  });

  test('an area without valid mutants has no score rather than 100%', () => {
    expect(scoreReport('x', { files: {} }, [], '/repo').score).toBeUndefined();
  });

  test('an equivalent without a reason is refused with the entry it concerns', () => {
    const dir = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'eq-'));
    const file = join(dir, 'equivalents.json');
    writeFileSync(file, JSON.stringify([{ file: 'lib/a.ts', line: 1, mutator: 'X', replacement: 'y' }]));
    expect(() => loadEquivalents(file)).toThrow(/\[0\]: an equivalent mutant needs .* a reason/);
    writeFileSync(file, JSON.stringify([{ file: 'lib/a.ts', line: 1, column: 0, mutator: 'X', replacement: 'y', reason: 'a reason long enough' }]));
    expect(() => loadEquivalents(file)).toThrow(/\[0\]: .*column, if given, a whole number >= 1/);
    writeFileSync(file, '{}');
    expect(() => loadEquivalents(file)).toThrow(/expected a JSON array/);
  });

  test('the checked-in equivalents file is valid', () => {
    expect(() => loadEquivalents(join(__dirname, 'equivalents.json'))).not.toThrow();
  });

  test('the areas are the ones issue 14 names', () => {
    expect(Object.keys(AREAS)).toEqual(['rules', 'helpers', 'audit-checks', 'audit', 'policy', 'replay', 'config']);
  });
});
