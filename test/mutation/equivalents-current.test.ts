import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const tsx = (args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('the equivalents list against the current code (Stryker\'s instrumenter, no test run)', () => {
  // An entry whose line was edited, or whose mutant Stryker no longer makes, fails here, in CI: the list
  // cannot go stale unseen, and the mutant is judged again by whoever changed its code.
  test('every entry of test/mutation/equivalents.json is placed, by its code, on a mutant Stryker makes of its file', () => {
    const r = tsx(['test/mutation/run.ts', '--equivalents']);
    expect(`${r.stdout}${r.stderr}`).toMatch(/# equivalents: \d+ entries, every one placed on its mutant/);
    expect(r.status).toBe(0);
  }, 180_000);

  test('the mutants listed are Stryker\'s, counted from 1 as in its reports', () => {
    const dir = mkdtempSync(join(process.env.CDK_HARDENING_TEST_TMP ?? tmpdir(), 'mutants-'));
    writeFileSync(join(dir, 'a.ts'), '// one\nexport const f = (x: number): boolean => x > 1;\n');
    const script = `require(${JSON.stringify(join(ROOT, 'test/mutation/run.ts'))}).currentMutants(['a.ts'], ${JSON.stringify(dir)}).then((m) => console.log(JSON.stringify(m)))`;
    const r = tsx(['--eval', script]);
    expect(r.stderr).toBe('');
    const mutants = JSON.parse(r.stdout) as Array<{ file: string; line: number; column: number; mutatorName: string; replacement: string }>;
    expect(mutants).toContainEqual({ file: 'a.ts', line: 2, column: 42, mutatorName: 'EqualityOperator', replacement: 'x >= 1' });
    expect(mutants).toContainEqual({ file: 'a.ts', line: 2, column: 42, mutatorName: 'ConditionalExpression', replacement: 'true' });
    expect(mutants.every((m) => m.line === 2)).toBe(true);
  }, 60_000);
});
