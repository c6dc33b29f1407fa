import { align, checkEquivalents, Equivalent, fixEntries, placeEntries, SourceMutant } from './anchors';
import { parseArgs, rangesOf, reportCheck, scoreReport } from './run';

const entry = (line: number, code: string | undefined, extra: Partial<Equivalent> = {}): Equivalent => ({
  file: 'lib/a.ts', line, mutator: 'ConditionalExpression', replacement: 'true', ...(code === undefined ? {} : { code }), reason: 'both branches return the same list', ...extra,
});
const source = (...lines: string[]): string => lines.join('\n');

describe('equivalents anchored by the code of their line', () => {
  test('an entry follows its line when code is added above it, and its column follows a change of indentation', () => {
    const e = entry(2, '  if (a) return b;', { column: 7 });
    const placed = placeEntries([e], ['// new', 'function f() {', '  {', '    if (a) return b;', '  }', '}']);
    expect(placed.get(e)).toEqual({ line: 4, column: 9 });
  });

  test('of several lines holding its code, an entry takes the nearest to the line it records', () => {
    const e = entry(10, 'return x;');
    expect(placeEntries([e], [...Array(11).fill('a'), 'return x;', ...Array(20).fill('b'), 'return x;']).get(e)).toEqual({ line: 12, column: undefined });
  });

  test('two entries of two identical lines keep their order when the code moves further than the lines are apart', () => {
    // entries at lines 2 and 4; 6 lines added above: the lines are now 8 and 10
    const first = entry(2, 'n++;', { column: 1 });
    const second = entry(4, 'n++;', { column: 1 });
    const lines = [...Array(6).fill('x'), 'a', 'n++;', 'b', 'n++;'];
    const placed = placeEntries([second, first], lines);
    expect(placed.get(first)).toEqual({ line: 8, column: 1 });
    expect(placed.get(second)).toEqual({ line: 10, column: 1 });
  });

  test('an entry whose code is on no line is not placed (it must be judged again), and never lands on a line of other code', () => {
    const e = entry(2, 'if (a) return b;');
    expect(placeEntries([e], ['x', 'if (a) return c;', 'if (a)  return b;']).get(e)).toBeUndefined();
  });

  test('an entry without code (a legacy one) keeps its line and column', () => {
    const e = entry(3, undefined, { column: 5 });
    expect(placeEntries([e], ['a', 'b', 'c']).get(e)).toEqual({ line: 3, column: 5 });
  });

  test('alignment: least total movement in order; a hint without a line left unplaced is the one farthest from the lines', () => {
    expect(align([2, 4], [8, 10, 30])).toEqual([8, 10]);
    expect(align([10, 40], [41])).toEqual([undefined, 41]);
    expect(align([10, 40], [11])).toEqual([11, undefined]);
    expect(align([], [1])).toEqual([]);
    expect(align([5], [])).toEqual([undefined]);
  });
});

describe('npm run mutate -- --equivalents: every entry checked against the current code', () => {
  const texts = { 'lib/a.ts': source('x', 'if (a) return b;', 'if (c) return d;') };
  const mutant = (line: number, column = 5, mutatorName = 'ConditionalExpression', replacement = 'true'): SourceMutant => ({ file: 'lib/a.ts', line, column, mutatorName, replacement });

  test('moved, gone, without its mutant, without code, listed twice', () => {
    const moved = entry(1, 'if (a) return b;', { column: 5 });
    const gone = entry(2, 'if (z) return b;');
    const noMutant = entry(3, 'if (c) return d;', { mutator: 'BooleanLiteral', replacement: 'false' });
    const legacy = entry(3, undefined);
    const fileGone = { ...entry(1, 'x'), file: 'lib/gone.ts' };
    const c = checkEquivalents([moved, gone, noMutant, legacy, fileGone, legacy], texts, [mutant(2), mutant(3)]);
    expect(c.moved).toEqual([{ entry: moved, at: { line: 2, column: 5 } }]);
    expect(c.gone).toEqual([gone, fileGone]);
    expect(c.noMutant).toEqual([{ entry: noMutant, at: { line: 3, column: undefined } }]);
    expect(c.unanchored).toEqual([legacy, legacy]);
    expect(c.duplicates).toEqual([legacy]);
  });

  test('an entry placed on its mutant, at its recorded line, is fine; a column that is not the mutant\'s is no mutant', () => {
    const ok = entry(2, 'if (a) return b;', { column: 5 });
    expect(checkEquivalents([ok], texts, [mutant(2)])).toEqual({ moved: [], gone: [], noMutant: [], unanchored: [], duplicates: [] });
    expect(checkEquivalents([{ ...ok, column: 6 }], texts, [mutant(2)]).noMutant).toHaveLength(1);
    expect(checkEquivalents([{ ...ok, replacement: 'false' }], texts, [mutant(2)]).noMutant).toHaveLength(1);
  });

  test('--fix records a moved entry\'s new line and column and fills the code of an entry without one; what needs judging is left as it is', () => {
    const moved = entry(1, 'if (a) return b;', { column: 5 });
    const legacy = entry(3, undefined);
    const gone = entry(2, 'if (z) return b;');
    const mutants = [mutant(2), mutant(3)];
    const entries = [moved, legacy, gone];
    const fixed = fixEntries(entries, texts, checkEquivalents(entries, texts, mutants), mutants);
    expect(fixed).toEqual([{ ...moved, line: 2 }, { ...legacy, code: 'if (c) return d;' }, gone]);
    expect(Object.keys(fixed[1])).toEqual(['file', 'line', 'mutator', 'replacement', 'code', 'reason']);
    expect(checkEquivalents(fixed.slice(0, 2), texts, mutants)).toEqual({ moved: [], gone: [], noMutant: [], unanchored: [], duplicates: [] });
  });

  test('the printed check names each entry to settle and fails; a clean list passes', () => {
    const lines: string[] = [];
    const gone = entry(2, 'if (z) return b;');
    expect(reportCheck({ moved: [], gone: [gone], noMutant: [], unanchored: [], duplicates: [] }, 1, false, (l) => lines.push(l))).toBe(false);
    expect(lines.join('\n')).toMatch(/code gone: lib\/a\.ts:2 ConditionalExpression -> "true": its line "if \(z\) return b;" is in the file no more/);
    expect(lines[lines.length - 1]).toBe('# equivalents: 1 entries, 1 to settle');
    expect(reportCheck({ moved: [{ entry: gone, at: { line: 4 } }], gone: [], noMutant: [], unanchored: [], duplicates: [] }, 1, false, () => undefined)).toBe(true);
    expect(reportCheck({ moved: [], gone: [], noMutant: [], unanchored: [gone], duplicates: [] }, 1, false, () => undefined)).toBe(false);
    expect(reportCheck({ moved: [], gone: [], noMutant: [], unanchored: [gone], duplicates: [] }, 1, true, () => undefined)).toBe(true);
  });

  test('--equivalents takes only --fix; --fix needs --equivalents', () => {
    expect(parseArgs(['--equivalents'])).toMatchObject({ checkEquivalents: true });
    expect(parseArgs(['--equivalents', '--fix'])).toMatchObject({ checkEquivalents: true, fix: true });
    expect(() => parseArgs(['--fix'])).toThrow(/--fix .* goes with --equivalents/);
    expect(() => parseArgs(['--equivalents', 'rules'])).toThrow(/--equivalents runs nothing: it takes only --fix/);
    expect(() => parseArgs(['--equivalents', '--files', 'lib/a.ts'])).toThrow(/--equivalents runs nothing/);
  });
});

describe('scores with anchored equivalents', () => {
  const m = (line: number, status: string, column = 5) => ({ id: `${line}`, mutatorName: 'ConditionalExpression', replacement: 'true', status, location: { start: { line, column } } });

  test('an entry matches the survivor its code moved to, and is reported as moved', () => {
    const e = entry(1, 'if (a) return b;', { column: 5 });
    const s = scoreReport('x', { files: { 'lib/a.ts': { source: source('// added', 'if (a) return b;'), mutants: [m(2, 'Survived')] } } }, [e], '/repo');
    expect(s).toMatchObject({ equivalent: 1, survived: 0, staleEquivalents: [] });
    expect(s.movedEquivalents).toEqual([{ entry: e, at: { line: 2, column: 5 } }]);
  });

  test('a survivor is listed with the code of its line, ready to be written as an entry', () => {
    const s = scoreReport('x', { files: { 'lib/a.ts': { source: source('x', '  if (a) return b;  '), mutants: [m(2, 'Survived')] } } }, [], '/repo');
    expect(s.survivors).toEqual(['lib/a.ts:2:5 ConditionalExpression -> "true" (Survived) code: "  if (a) return b;"']);
  });

  test('a stale entry says why: its code is gone, its mutant is now detected, or there is no such mutant where it is', () => {
    const src = source('if (a) return b;', 'if (c) return d;');
    const gone = entry(1, 'if (z) return b;');
    const detected = entry(1, 'if (a) return b;');
    const none = entry(2, 'if (c) return d;', { replacement: 'false' });
    const s = scoreReport('x', { files: { 'lib/a.ts': { source: src, mutants: [m(1, 'Killed'), m(2, 'Survived')] } } }, [gone, detected, none], '/repo');
    expect(s.staleEquivalents).toEqual([{ ...gone, why: 'code gone' }, { ...detected, why: 'now detected' }, { ...none, why: 'no such mutant' }]);
    const timedOut = scoreReport('x', { files: { 'lib/a.ts': { source: src, mutants: [m(1, 'Timeout')] } } }, [detected], '/repo');
    expect(timedOut.staleEquivalents).toEqual([{ ...detected, why: 'now detected' }]);
    // two entries for one survivor: the second is listed twice; a static mutant a run ignored was not run
    const twice = scoreReport('x', { files: { 'lib/a.ts': { source: src, mutants: [m(1, 'Survived')] } } }, [detected, { ...detected, column: 5 }], '/repo');
    expect(twice.staleEquivalents).toEqual([{ ...detected, column: 5, why: 'listed twice' }]);
    const ignored = scoreReport('x', { files: { 'lib/a.ts': { source: src, mutants: [m(1, 'Ignored')] } } }, [detected], '/repo');
    expect(ignored.staleEquivalents).toEqual([{ ...detected, why: 'not run' }]);
  });

  test('a ranged run calls stale only the entries placed in its ranges; a gone entry is stale wherever it was', () => {
    const src = source('if (a) return b;', 'if (c) return d;', 'if (e) return f;');
    const inRange = entry(2, 'if (c) return d;');
    const outside = entry(3, 'if (e) return f;');
    const gone = entry(3, 'if (q) return f;');
    const report = { files: { 'lib/a.ts': { source: src, mutants: [m(2, 'Killed')] } } };
    const s = scoreReport('x', report, [inRange, outside, gone], '/repo', rangesOf(['lib/a.ts:1-2']));
    expect(s.staleEquivalents).toEqual([{ ...inRange, why: 'now detected' }, { ...gone, why: 'code gone' }]);
    expect(scoreReport('x', report, [outside], '/repo').staleEquivalents).toEqual([{ ...outside, why: 'no such mutant' }]);
  });

  test('ranges: a file with line ranges, several ranges of one file, a whole file', () => {
    expect(rangesOf(['lib/a.ts:1-20', 'lib/a.ts:40-40', 'lib/b.ts', 'lib/c/*.ts'])).toEqual({ 'lib/a.ts': [[1, 20], [40, 40]], 'lib/b.ts': 'whole', 'lib/c/*.ts': 'whole' });
    expect(rangesOf(['lib/a.ts', 'lib/a.ts:3-4'])).toEqual({ 'lib/a.ts': 'whole' });
  });
});
