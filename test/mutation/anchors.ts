/**
 * Equivalent mutants anchored by their code. An entry of test/mutation/equivalents.json names the line of
 * its mutant and, in `code`, that line's text. Code moves with every edit above it; the text does not. So
 * an entry is placed where its text now is (the line nearest its recorded line, entries of one text kept in
 * their order), with its column shifted by the change of indentation. An entry whose text is gone is
 * reported, never matched elsewhere: the code it was judged on changed, and it must be judged again.
 */

export interface Equivalent {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly mutator: string;
  readonly replacement: string;
  /** The text of the mutant's (first) line, trailing blanks removed; absent only in a legacy entry. */
  readonly code?: string;
  readonly reason: string;
}

/** Where an entry's mutant is in the current text. */
export interface Placed {
  readonly line: number;
  readonly column?: number;
}

const indent = (s: string): number => s.length - s.trimStart().length;

/** The anchor of a line: its text without trailing blanks (leading ones are kept to shift columns by). */
export const anchorOf = (lineText: string): string => lineText.trimEnd();

/**
 * Places every entry of one file in its current text (`lines`, one string per line). Entries of the same
 * code, mutator, replacement and column within the line are aligned in order with the lines holding that
 * code: the alignment of least total movement that keeps their order, so two entries of two identical lines
 * never swap or land on one line. An entry without `code` keeps its line and column (legacy). Returns, per
 * entry, where it is now, or undefined when its code is on no line.
 */
export function placeEntries(entries: readonly Equivalent[], lines: readonly string[]): Map<Equivalent, Placed | undefined> {
  const out = new Map<Equivalent, Placed | undefined>();
  const groups = new Map<string, Equivalent[]>();
  for (const e of entries) {
    if (e.code === undefined) { out.set(e, { line: e.line, column: e.column }); continue; }
    const offset = e.column === undefined ? '' : String(e.column - 1 - indent(e.code));
    const key = JSON.stringify([e.code.trim(), e.mutator, e.replacement, offset]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const linesOf = new Map<string, number[]>();
  lines.forEach((text, i) => {
    const t = text.trim();
    if (t !== '') linesOf.set(t, [...(linesOf.get(t) ?? []), i + 1]);
  });
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.line - b.line);
    const candidates = linesOf.get(sorted[0].code!.trim()) ?? [];
    const at = align(sorted.map((e) => e.line), candidates);
    sorted.forEach((e, i) => {
      const line = at[i];
      if (line === undefined) { out.set(e, undefined); return; }
      const shift = indent(lines[line - 1]) - indent(e.code!);
      out.set(e, { line, column: e.column === undefined ? undefined : e.column + shift });
    });
  }
  return out;
}

/**
 * Order-keeping alignment of sorted hints with sorted candidate lines, least total distance; a hint left
 * without a line costs more than any distance. Returns the line given to each hint, or undefined.
 */
export function align(hints: readonly number[], candidates: readonly number[]): Array<number | undefined> {
  const k = hints.length; const n = candidates.length;
  const SKIP = 1e9;
  // cost[i][j]: best cost of the first i hints using the first j candidates
  const cost: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
  const step: Array<Array<'skipHint' | 'take' | 'skipLine'>> = Array.from({ length: k + 1 }, () => new Array(n + 1).fill('skipLine'));
  for (let i = 1; i <= k; i++) { cost[i][0] = i * SKIP; step[i][0] = 'skipHint'; }
  for (let i = 1; i <= k; i++) {
    for (let j = 1; j <= n; j++) {
      const take = cost[i - 1][j - 1] + Math.abs(hints[i - 1] - candidates[j - 1]);
      const skipLine = cost[i][j - 1];
      const skipHint = cost[i - 1][j] + SKIP;
      if (take <= skipLine && take <= skipHint) { cost[i][j] = take; step[i][j] = 'take'; }
      else if (skipLine <= skipHint) { cost[i][j] = skipLine; step[i][j] = 'skipLine'; }
      else { cost[i][j] = skipHint; step[i][j] = 'skipHint'; }
    }
  }
  const out = new Array<number | undefined>(k).fill(undefined);
  for (let i = k, j = n; i > 0;) {
    const s = step[i][j];
    if (s === 'take') { out[i - 1] = candidates[j - 1]; i--; j--; } else if (s === 'skipLine') j--; else i--;
  }
  return out;
}

/** A mutant as Stryker reports it (1-based line and column), of the current code. */
export interface SourceMutant {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly mutatorName: string;
  readonly replacement?: string;
}

/** Does the mutant sit where an entry is placed, of the entry's kind? A placed entry without column takes any column of its line. */
export const isAt = (e: Equivalent, at: Placed, file: string, m: Omit<SourceMutant, 'file'>): boolean =>
  e.file === file && at.line === m.line && (at.column === undefined || at.column === m.column)
  && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? '');

/** What `npm run mutate -- --equivalents` finds of each entry against the current code. */
export interface EquivalentsCheck {
  /** Placed at another line or column than it records (fine; `--fix` records the new place). */
  readonly moved: ReadonlyArray<{ readonly entry: Equivalent; readonly at: Placed }>;
  /** Its code is on no line of its file, or its file is gone: the mutant must be judged again. */
  readonly gone: readonly Equivalent[];
  /** No mutant of its mutator and replacement is where it is placed (at its column, if it gives one). */
  readonly noMutant: ReadonlyArray<{ readonly entry: Equivalent; readonly at: Placed }>;
  /** Without `code`, its mutant at its line; `--fix` fills the code from that line. */
  readonly unanchored: readonly Equivalent[];
  /** Two entries for one mutant. */
  readonly duplicates: readonly Equivalent[];
}

/** Checks every entry against the current text of the files and the mutants Stryker makes of them; pure. */
export function checkEquivalents(entries: readonly Equivalent[], texts: Readonly<Record<string, string | undefined>>, mutants: readonly SourceMutant[]): EquivalentsCheck {
  const moved: Array<{ entry: Equivalent; at: Placed }> = []; const noMutant: Array<{ entry: Equivalent; at: Placed }> = [];
  const gone: Equivalent[] = []; const unanchored: Equivalent[] = []; const duplicates: Equivalent[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const key = JSON.stringify([e.file, e.line, e.column, e.mutator, e.replacement]);
    if (seen.has(key)) duplicates.push(e);
    seen.add(key);
  }
  for (const file of [...new Set(entries.map((e) => e.file))]) {
    const own = entries.filter((e) => e.file === file);
    const text = texts[file];
    if (text === undefined) { gone.push(...own); continue; }
    const placed = placeEntries(own, text.split('\n'));
    const here = mutants.filter((m) => m.file === file);
    for (const e of own) {
      const at = placed.get(e);
      if (at === undefined) { gone.push(e); continue; }
      if (!here.some((m) => isAt(e, at, file, m))) { noMutant.push({ entry: e, at }); continue; }
      if (e.code === undefined) unanchored.push(e);
      else if (at.line !== e.line || at.column !== e.column) moved.push({ entry: e, at });
    }
  }
  return { moved, gone, noMutant, unanchored, duplicates };
}

/**
 * The entries with what `--fix` can settle: a moved entry takes its new line and column; an entry without
 * code whose mutant is at its line gets that line's code. Gone entries and entries without a mutant are
 * kept as they are, to be judged again by hand.
 */
export function fixEntries(entries: readonly Equivalent[], texts: Readonly<Record<string, string | undefined>>, check: EquivalentsCheck, mutants: readonly SourceMutant[]): Equivalent[] {
  const moves = new Map(check.moved.map((x) => [x.entry, x.at]));
  return entries.map((e) => {
    const at = moves.get(e);
    if (at) return { ...e, line: at.line, ...(at.column === undefined ? {} : { column: at.column }) };
    const text = texts[e.file];
    if (e.code === undefined && text !== undefined && mutants.some((m) => isAt(e, e, e.file, m))) {
      const { reason, ...rest } = e;
      return { ...rest, code: anchorOf(text.split('\n')[e.line - 1] ?? ''), reason };
    }
    return e;
  });
}
