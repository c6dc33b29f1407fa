/**
 * `npm run mutate [area...] [--typecheck] [--scores] [--files <glob,...>] [--tests <glob,...>] [--concurrency <n>]`:
 * mutation testing with Stryker. An area runs in parts (one per folder, at most PART_LINES source lines
 * each), each part with its own incremental file and report, so a rerun after a change re-tests only
 * the mutants the change can affect and an interrupted run keeps the parts it finished. Prints the
 * mutation score per area (the sum of its parts) and per part like a benchmark (never asserted in CI)
 * and lists every surviving mutant that is not in test/mutation/equivalents.json. `--scores` runs
 * nothing and prints the scores of the reports left by earlier runs.
 *
 * Reports (HTML + JSON per part) go to .mutation/<area>/<part>/ (git-ignored).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import picomatch from 'picomatch';
import { anchorOf, checkEquivalents, Equivalent, EquivalentsCheck, fixEntries, isAt, Placed, placeEntries, SourceMutant } from './anchors';

export type { Equivalent } from './anchors';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, '.mutation');
const TARGET = 85;

/** The areas issue 14 names, each a set of globs Stryker mutates. */
export const AREAS: Readonly<Record<string, readonly string[]>> = {
  rules: ['lib/nag/rules/**/*.ts', '!lib/nag/rules/**/index.ts'],
  helpers: ['lib/nag/*.ts', '!lib/nag/index.ts', 'lib/template/**/*.ts'],
  'audit-checks': ['lib/audit/checks/**/*.ts', '!lib/audit/checks/**/index.ts'],
  audit: ['lib/audit/*.ts', '!lib/audit/index.ts'],
  policy: ['lib/policy/**/*.ts', '!lib/policy/index.ts'],
  replay: ['lib/replay/**/*.ts', '!lib/replay/index.ts'],
  config: ['lib/config/**/*.ts', '!lib/config/index.ts'],
};

export interface ReportMutant {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface Report {
  /** Per file its mutants and, as Stryker writes it, the text they were made from (places the equivalents). */
  readonly files: Record<string, { readonly source?: string; readonly mutants: readonly ReportMutant[] }>;
}

export interface AreaScore {
  readonly area: string;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly timeout: number;
  readonly equivalent: number;
  readonly invalid: number;
  /** detected / (detected + undetected), equivalents excluded; undefined when there is no valid mutant. */
  readonly score?: number;
  readonly survivors: readonly string[];
  /**
   * Entries of the equivalents file, of this report's files (and of the lines a ranged run mutated), that
   * matched no surviving mutant, each with why: its code is on no line any more, its mutant is now detected,
   * another entry took its survivor, its mutant was not run (static, or an error status), or there is no
   * such mutant where it is placed.
   */
  readonly staleEquivalents: ReadonlyArray<Equivalent & { readonly why: 'code gone' | 'now detected' | 'listed twice' | 'not run' | 'no such mutant' }>;
  /** Entries that matched a survivor at another line or column than they record (`--equivalents --fix` records it). */
  readonly movedEquivalents: ReadonlyArray<{ readonly entry: Equivalent; readonly at: Placed }>;
}

/** The line ranges a run mutated, per file, from its `file:A-B` specs; a file named without a range is whole. */
export type Ranges = Readonly<Record<string, ReadonlyArray<readonly [number, number]> | 'whole'>>;

export function rangesOf(specs: readonly string[]): Ranges {
  const out: Record<string, Array<[number, number]> | 'whole'> = {};
  for (const spec of specs) {
    const m = /^(.*):(\d+)-(\d+)$/.exec(spec);
    if (!m) { out[spec] = 'whole'; continue; }
    const prev = out[m[1]];
    if (prev !== 'whole') out[m[1]] = [...(prev ?? []), [Number(m[2]), Number(m[3])]];
  }
  return out;
}

const inRanges = (ranges: Ranges | undefined, file: string, line: number): boolean => {
  const r = ranges?.[file];
  return r === undefined || r === 'whole' || r.some(([a, b]) => line >= a && line <= b);
};

const asSource = (file: string, m: ReportMutant): SourceMutant => ({ file, line: m.location.start.line, column: m.location.start.column, mutatorName: m.mutatorName, replacement: m.replacement });

/**
 * Scores one area's report; pure, so the arithmetic is tested without running Stryker. The equivalents are
 * placed by their code in the text each file had when it was mutated (the report's `source`), so they
 * follow code that moved; `ranges` (the lines a ranged run mutated) keeps entries outside them from being
 * called stale.
 */
export function scoreReport(area: string, report: Report, equivalents: readonly Equivalent[], rootDir = ROOT, ranges?: Ranges): AreaScore {
  let killed = 0; let survived = 0; let noCoverage = 0; let timeout = 0; let equivalent = 0; let invalid = 0;
  const survivors: string[] = [];
  const used = new Set<Equivalent>();
  const stale: Array<AreaScore['staleEquivalents'][number]> = [];
  const movedEquivalents: Array<{ entry: Equivalent; at: Placed }> = [];
  for (const [path, { source, mutants }] of Object.entries(report.files)) {
    const file = relative(rootDir, join(rootDir, path)).split('\\').join('/');
    const own = equivalents.filter((e) => e.file === file);
    const lines = source?.split('\n');
    const placed = lines === undefined ? new Map(own.map((e) => [e, { line: e.line, column: e.column } as Placed])) : placeEntries(own, lines);
    const placedEntries = own.flatMap((e) => { const at = placed.get(e); return at ? [{ e, at }] : []; });
    for (const m of mutants) {
      switch (m.status) {
        case 'Killed': killed++; break;
        case 'Timeout': timeout++; break;
        case 'Survived':
        case 'NoCoverage': {
          const eq = placedEntries.find(({ e, at }) => isAt(e, at, file, asSource(file, m)));
          if (eq) {
            equivalent++; used.add(eq.e);
            if (eq.at.line !== eq.e.line || eq.at.column !== eq.e.column) movedEquivalents.push({ entry: eq.e, at: eq.at });
            break;
          }
          if (m.status === 'Survived') survived++; else noCoverage++;
          const code = lines?.[m.location.start.line - 1];
          survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')} (${m.status})${code === undefined ? '' : ` code: ${JSON.stringify(anchorOf(code))}`}`);
          break;
        }
        default: invalid++; // CompileError, RuntimeError, Ignored, Pending: not a test result
      }
    }
    for (const e of own) {
      if (used.has(e)) continue;
      const at = placed.get(e);
      if (at === undefined) { stale.push({ ...e, why: 'code gone' }); continue; }
      if (!inRanges(ranges, file, at.line)) continue;
      const here = mutants.filter((m) => isAt(e, at, file, asSource(file, m)));
      const why = here.some((m) => m.status === 'Killed' || m.status === 'Timeout') ? 'now detected'
        : here.some((m) => m.status === 'Survived' || m.status === 'NoCoverage') ? 'listed twice'
          : here.length > 0 ? 'not run' : 'no such mutant';
      stale.push({ ...e, why });
    }
  }
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return { area, killed, survived, noCoverage, timeout, equivalent, invalid, score: valid ? (100 * detected) / valid : undefined, survivors, staleEquivalents: stale, movedEquivalents };
}

/** Reads and checks the equivalents file: every entry needs a file, line, mutator, replacement, the code of its line and a reason. */
export function loadEquivalents(path: string): Equivalent[] {
  if (!existsSync(path)) return [];
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${path}: expected a JSON array of equivalent mutants`);
  return raw.map((e, i) => {
    const x = e as Partial<Equivalent>;
    if (typeof x.file !== 'string' || typeof x.line !== 'number' || typeof x.mutator !== 'string'
      || typeof x.replacement !== 'string' || typeof x.reason !== 'string' || x.reason.trim().length < 10
      || (x.column !== undefined && (typeof x.column !== 'number' || !Number.isInteger(x.column) || x.column < 1))
      || (x.code !== undefined && (typeof x.code !== 'string' || x.code.trim() === ''))) {
      throw new Error(`${path}[${i}]: an equivalent mutant needs file, line, mutator, replacement and a reason of one line (column, if given, a whole number >= 1; code, if given, the text of the mutant's line)`);
    }
    return x as Equivalent;
  });
}

/** What one Stryker run mutates and where its files go: one part of an area, or `files` when `--files` narrows it. */
export interface RunPlan {
  readonly name: string;
  readonly mutate: readonly string[];
  /** The area the run is a part of (absent for `--files`). */
  readonly area?: string;
}

/** At most this many source lines per Stryker run of an area (about 1,000 mutants). */
export const PART_LINES = 1200;

/** The files an area's globs select (a glob starting with '!' excludes), relative to rootDir, sorted. */
export function areaFiles(globs: readonly string[], rootDir = ROOT): string[] {
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = picomatch(globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1)));
  const isIncluded = picomatch(include as string[]);
  const out = new Set<string>();
  const walk = (dir: string): void => {
    if (!existsSync(join(rootDir, dir))) return;
    for (const e of readdirSync(join(rootDir, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (isIncluded(rel) && !(exclude.length !== 0 && exclude(rel))) out.add(rel);
    }
  };
  // walk from each glob's fixed prefix (the folders before its first wildcard)
  for (const g of include) walk(picomatch.scan(g).base);
  return [...out].sort();
}

/** The folders every path starts with. */
function commonFolders(paths: ReadonlyArray<readonly string[]>): readonly string[] {
  if (!paths.length) return [];
  let n = paths[0].length;
  for (const p of paths) {
    let i = 0;
    while (i < n && i < p.length && p[i] === paths[0][i]) i++;
    n = i;
  }
  return paths[0].slice(0, n);
}

/**
 * An area's Stryker runs: its files grouped by folder, a folder split into runs of at most PART_LINES
 * source lines. Each run keeps its own incremental file and report, so an area run that is interrupted
 * (hours on 2 cores) loses only the part it was in, and the area's score is the sum of its parts.
 */
export function areaParts(area: string, files: ReadonlyArray<{ readonly path: string; readonly lines: number }>, maxLines = PART_LINES): RunPlan[] {
  const common = commonFolders(files.map((f) => dirname(f.path).split('/')));
  const byDir = new Map<string, Array<{ path: string; lines: number }>>();
  for (const f of files) byDir.set(dirname(f.path), [...(byDir.get(dirname(f.path)) ?? []), f]);
  const out: RunPlan[] = [];
  for (const [dir, list] of [...byDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const groups: string[][] = [];
    let size = Infinity;
    for (const f of list) {
      if (size + f.lines > maxLines) { groups.push([]); size = 0; }
      groups[groups.length - 1].push(f.path);
      size += f.lines;
    }
    // named by the folder below the area's common folder ('top' for files directly in it)
    const slug = dir.split('/').slice(common.length).join('.').replace(/[^A-Za-z0-9.-]+/g, '_') || 'top';
    groups.forEach((g, i) => out.push({ name: `${area}/${slug}${groups.length > 1 ? `.${i + 1}` : ''}`, mutate: g, area }));
  }
  return out;
}

export interface Options {
  readonly areas: readonly string[];
  /** Single parts of an area named on the command line (`rules/top`), run instead of their whole area. */
  readonly parts?: readonly string[];
  readonly typecheck: boolean;
  /** `--files <glob>[,<glob>...]`: mutate only these files (one run, its own incremental file). */
  readonly files?: readonly string[];
  /**
   * `--tests <glob>[,<glob>...]`: run only these test files (faster; the score is then a lower bound).
   * `{part}` in a glob stands for the folder of the part being run (`rules/kms.2` → `kms`), so each part
   * of an area runs the tests of its own folder: `--tests 'test/nag/rules/{part}.test.ts'`.
   */
  readonly tests?: readonly string[];
  /** `--concurrency <n>`: Stryker test runner processes (default from stryker.config.json). */
  readonly concurrency?: number;
  /**
   * `--static`: also mutate static code (module-level constants such as a rule's list of required
   * protections). Stryker cannot tell which test reaches such a mutant, so each one runs every selected
   * test file that imports its file: cheap with a narrow `--tests`, hours without one.
   */
  readonly includeStatic?: boolean;
  /** `--scores`: run nothing, print the scores of the reports the last runs left. */
  readonly scoresOnly?: boolean;
  /** `--equivalents`: run nothing, check every listed equivalent against the current code; `--fix` records where they moved. */
  readonly checkEquivalents?: boolean;
  readonly fix?: boolean;
}

const FLAGS_WITH_VALUE = ['--files', '--tests', '--concurrency'];

/** Parses `npm run mutate` arguments; throws naming the bad argument. */
export function parseArgs(argv: readonly string[]): Options {
  const areas: string[] = [];
  const parts: string[] = [];
  let typecheck = false;
  let files: string[] | undefined;
  let tests: string[] | undefined;
  let concurrency: number | undefined;
  let scoresOnly = false;
  let includeStatic = false;
  let check = false;
  let fix = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--equivalents') { check = true; continue; }
    if (a === '--fix') { fix = true; continue; }
    if (a === '--typecheck') { typecheck = true; continue; }
    if (a === '--scores') { scoresOnly = true; continue; }
    if (a === '--static') { includeStatic = true; continue; }
    if (FLAGS_WITH_VALUE.includes(a)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--') || v.trim() === '') throw new Error(`${a} needs a value`);
      i++;
      const list = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
      if (a === '--files') files = [...(files ?? []), ...list];
      else if (a === '--tests') tests = [...(tests ?? []), ...list];
      else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--concurrency must be a whole number >= 1, got '${v}'`);
        concurrency = n;
      }
      continue;
    }
    if (a.startsWith('--')) throw new Error(`unknown option '${a}'; options: --typecheck, --scores, --static, --equivalents, --fix, ${FLAGS_WITH_VALUE.join(', ')}`);
    const area = a.split('/')[0];
    if (!(area in AREAS)) throw new Error(`unknown area '${area}'; areas: ${Object.keys(AREAS).join(', ')}`);
    if (a.includes('/')) parts.push(a); else areas.push(a);
  }
  if (files && areas.length + parts.length > 0) throw new Error(`--files replaces the areas: give either ${[...areas, ...parts].map((x) => `'${x}'`).join(', ')} or --files`);
  if (files && tests?.some((t) => t.includes(PART))) throw new Error(`--tests: ${PART} names the folder of an area's part; a --files run has no part`);
  if (fix && !check) throw new Error('--fix records where the equivalents moved: it goes with --equivalents');
  if (check && (areas.length + parts.length > 0 || files || tests || scoresOnly || typecheck || includeStatic || concurrency)) throw new Error('--equivalents runs nothing: it takes only --fix');
  if (check) return { areas, typecheck, checkEquivalents: true, ...(fix ? { fix } : {}) };
  return { areas, ...(parts.length ? { parts } : {}), typecheck, files, tests, concurrency, ...(scoresOnly ? { scoresOnly } : {}), ...(includeStatic ? { includeStatic } : {}) };
}

/** Every part of an area. */
function allParts(area: string, areas: Readonly<Record<string, readonly string[]>>, rootDir: string): RunPlan[] {
  return areaParts(area, areaFiles(areas[area], rootDir).map((path) => ({
    path, lines: readFileSync(join(rootDir, path), 'utf8').split('\n').length,
  })));
}

/** The areas a run scores: those named whole and those of the named parts, in the order of AREAS (all when none is named). */
export function areasOf(o: Pick<Options, 'areas' | 'parts'>, areas: Readonly<Record<string, readonly string[]>> = AREAS): string[] {
  const named = new Set([...o.areas, ...(o.parts ?? []).map((p) => p.split('/')[0])]);
  return Object.keys(areas).filter((a) => named.size === 0 || named.has(a));
}

/**
 * The runs to make: the parts of each area named whole, each part named alone (`rules/top`), or one run
 * named `files-<slug>` for `--files`. Throws naming a part that does not exist, with the area's parts.
 */
export function plans(o: Options, areas: Readonly<Record<string, readonly string[]>> = AREAS, rootDir = ROOT): RunPlan[] {
  if (o.files) {
    const slug = o.files.join('+').replace(/[^A-Za-z0-9.+-]+/g, '_').slice(0, 80);
    return [{ name: `files-${slug}`, mutate: o.files }];
  }
  return areasOf(o, areas).flatMap((a) => {
    const all = allParts(a, areas, rootDir);
    const wanted = (o.parts ?? []).filter((p) => p.split('/')[0] === a);
    if (o.areas.includes(a) || wanted.length === 0) return all;
    for (const w of wanted) {
      if (!all.some((p) => p.name === w)) throw new Error(`unknown part '${w}'; the parts of ${a}: ${all.map((p) => p.name).join(', ')}`);
    }
    return all.filter((p) => wanted.includes(p.name));
  });
}

/**
 * The incremental results a part starts from when it has none of its own: every incremental file of its
 * area merged (Stryker takes the files it mutates and ignores the rest), so changing how an area is split
 * into parts, or the single-run layout before parts existed, costs no rerun.
 */
export function seedIncremental(areaDir: string): Record<string, unknown> | undefined {
  const found: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'incremental.json') found.push(join(d, e.name));
    }
  };
  walk(areaDir);
  if (!found.length) return undefined;
  const reports = found.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { files?: Record<string, unknown>; testFiles?: Record<string, unknown> });
  // later reports win for a file both hold
  return { ...reports[reports.length - 1], files: Object.assign({}, ...reports.map((r) => r.files ?? {})), testFiles: Object.assign({}, ...reports.map((r) => r.testFiles ?? {})) };
}

const PART = '{part}';

/** The folder a part of an area mutates, as its name says (`rules/kms.2` → `kms`, `policy/top.1` → `top`). */
export function partFolder(plan: RunPlan): string | undefined {
  return plan.area ? plan.name.slice(plan.area.length + 1).replace(/\.\d+$/, '') : undefined;
}

/** The Stryker config of one run, from the checked-in base config; pure. */
export function strykerConfig(base: Record<string, unknown>, plan: RunPlan, o: Pick<Options, 'typecheck' | 'tests' | 'concurrency' | 'includeStatic'>): Record<string, unknown> {
  const { $schema: _s, _comment: _c, ...rest } = base;
  const jest = { ...(rest.jest as Record<string, unknown> | undefined) };
  if (o.tests) {
    const folder = partFolder(plan);
    const tests = o.tests.map((t) => {
      if (!t.includes(PART)) return t;
      if (folder === undefined) throw new Error(`--tests '${t}': ${PART} needs a part of an area; ${plan.name} is not one`);
      return t.split(PART).join(folder);
    });
    jest.config = { ...(jest.config as Record<string, unknown> | undefined), testMatch: tests.map((t) => `<rootDir>/${t}`) };
  }
  return {
    ...rest,
    mutate: plan.mutate,
    jest,
    checkers: o.typecheck ? ['typescript'] : [],
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    ...(o.includeStatic ? { ignoreStatic: false } : {}),
    incrementalFile: `.mutation/${plan.name}/incremental.json`,
    htmlReporter: { fileName: `.mutation/${plan.name}/report.html` },
    jsonReporter: { fileName: `.mutation/${plan.name}/report.json` },
    tempDirName: `.mutation/tmp-${plan.name.replace(/\//g, '-')}`,
  };
}

function runPlan(plan: RunPlan, o: Options): { status: number; interrupted: boolean } {
  const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')) as Record<string, unknown>;
  const dir = join(OUT, plan.name);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'stryker.config.json');
  const incremental = join(dir, 'incremental.json');
  if (plan.area && !existsSync(incremental)) {
    const seed = seedIncremental(join(OUT, plan.area));
    if (seed) writeFileSync(incremental, JSON.stringify(seed));
  }
  writeFileSync(configFile, JSON.stringify(strykerConfig(base, plan, o), null, 2));
  const r = spawnSync('npx', ['stryker', 'run', relative(ROOT, configFile)], { cwd: ROOT, stdio: 'inherit' });
  return { status: r.status ?? 1, interrupted: r.signal !== null || (r.status ?? 0) > 128 };
}

/**
 * A run's report, narrowed to the files the run mutates: Stryker carries into its report every file of
 * the incremental results it started from, so a part seeded from its area also holds (stale) results of
 * the other parts' files.
 */
function readReport(plan: RunPlan): Report | undefined {
  const file = join(OUT, plan.name, 'report.json');
  if (!existsSync(file)) return undefined;
  return ownFiles(JSON.parse(readFileSync(file, 'utf8')) as Report, plan.mutate);
}

/**
 * The report with only the results of `files`: paths or globs, each with an optional line range as Stryker
 * takes it (`lib/policy/questions.ts:792-1046`; Stryker reports only that range's mutants).
 */
export function ownFiles(report: Report, files: readonly string[], rootDir = ROOT): Report {
  const own = picomatch(files.map((f) => f.replace(/:[\d:,-]+$/, '')));
  return { files: Object.fromEntries(Object.entries(report.files).filter(([f]) => own(relative(rootDir, join(rootDir, f)).split('\\').join('/')))) };
}

/** The score of an area from the reports of its parts; `missing` names the parts without a report. */
export function areaScore(area: string, parts: ReadonlyArray<{ readonly name: string; readonly report?: Report }>, equivalents: readonly Equivalent[], rootDir = ROOT): AreaScore & { readonly missing: readonly string[] } {
  const files = Object.assign({}, ...parts.map((x) => x.report?.files ?? {})) as Report['files'];
  return { ...scoreReport(area, { files }, equivalents, rootDir), missing: parts.filter((x) => !x.report).map((x) => x.name) };
}

function printScores(scores: ReadonlyArray<AreaScore & { readonly missing?: readonly string[] }>): void {
  console.log('\n# mutation scores (target >= 85% per area; equivalents from test/mutation/equivalents.json excluded)');
  console.log('area                          score   killed timeout survived no-cov equiv invalid');
  for (const s of scores) {
    const pct = s.score === undefined ? '   n/a' : `${s.score.toFixed(1).padStart(5)}%`;
    const mark = s.missing?.length ? `  PARTIAL: no result for ${s.missing.join(', ')}` : s.score !== undefined && s.score < TARGET && !s.area.startsWith('  ') ? '  below target' : '';
    console.log(`${s.area.padEnd(28)} ${pct} ${String(s.killed).padStart(7)} ${String(s.timeout).padStart(7)} ${String(s.survived).padStart(8)} ${String(s.noCoverage).padStart(6)} ${String(s.equivalent).padStart(5)} ${String(s.invalid).padStart(7)}${mark}`);
  }
  for (const s of scores.filter((x) => !x.area.startsWith('  '))) {
    if (s.survivors.length) console.log(`\n## ${s.area}: ${s.survivors.length} surviving mutants\n${s.survivors.join('\n')}`);
    for (const { why, ...e } of s.staleEquivalents) console.log(`stale equivalent (${why}): ${JSON.stringify(e)}`);
    if (s.movedEquivalents.length) console.log(`${s.movedEquivalents.length} equivalents matched where their code moved to; \`npm run mutate -- --equivalents --fix\` records their new lines`);
  }
}

/** Every mutant Stryker makes of the files, without running a test (Stryker's instrumenter: about 1 s per 1,000 lines). */
export async function currentMutants(files: readonly string[], rootDir = ROOT): Promise<SourceMutant[]> {
  const { Instrumenter } = await import('@stryker-mutator/instrumenter');
  const quiet = (): void => undefined;
  const logger = { isTraceEnabled: () => false, isDebugEnabled: () => false, isInfoEnabled: () => false, isWarnEnabled: () => true, isErrorEnabled: () => true, isFatalEnabled: () => true, trace: quiet, debug: quiet, info: quiet, warn: console.error, error: console.error, fatal: console.error };
  const present = files.filter((f) => existsSync(join(rootDir, f)));
  const result = await new Instrumenter(logger).instrument(present.map((f) => ({ name: f, content: readFileSync(join(rootDir, f), 'utf8'), mutate: true })), { plugins: null, excludedMutations: [], ignorers: [] });
  // the instrumenter counts lines and columns from 0; Stryker's reports (and the equivalents) from 1
  return result.mutants.map((m) => ({ file: relative(rootDir, join(rootDir, m.fileName)).split('\\').join('/'), line: m.location.start.line + 1, column: m.location.start.column + 1, mutatorName: m.mutatorName, replacement: m.replacement }));
}

/** What `--equivalents` prints of a check; true when every entry is anchored and has its mutant. */
export function reportCheck(c: EquivalentsCheck, total: number, fixed: boolean, log: (line: string) => void = console.log): boolean {
  const show = (e: Equivalent): string => `${e.file}:${e.line}${e.column ? `:${e.column}` : ''} ${e.mutator} -> ${JSON.stringify(e.replacement)}`;
  for (const e of c.gone) log(`code gone: ${show(e)}: its line ${JSON.stringify(e.code ?? '')} is in the file no more; judge the mutant again, then update or drop the entry`);
  for (const { entry, at } of c.noMutant) log(`no such mutant: ${show(entry)} (placed at line ${at.line}${at.column ? `:${at.column}` : ''}): Stryker makes no mutant of that kind there; update or drop the entry`);
  for (const e of c.duplicates) log(`duplicate: ${show(e)} is listed twice`);
  for (const e of c.unanchored) log(`no code: ${show(e)}${fixed ? '' : ': `--fix` fills it from its line'}`);
  for (const { entry, at } of c.moved) log(`moved: ${show(entry)} -> line ${at.line}${at.column ? `:${at.column}` : ''}${fixed ? ' (recorded)' : ''}`);
  const bad = c.gone.length + c.noMutant.length + c.duplicates.length + (fixed ? 0 : c.unanchored.length);
  log(`# equivalents: ${total} entries, ${bad === 0 ? 'every one placed on its mutant' : `${bad} to settle`}${c.moved.length ? `, ${c.moved.length} moved` : ''}`);
  return bad === 0;
}

/** `--equivalents [--fix]`: checks every entry against the current code, without running a test. */
async function checkEquivalentsFile(fix: boolean): Promise<boolean> {
  const file = join(__dirname, 'equivalents.json');
  const entries = loadEquivalents(file);
  const files = [...new Set(entries.map((e) => e.file))];
  const texts = Object.fromEntries(files.map((f) => [f, existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f), 'utf8') : undefined]));
  const mutants = await currentMutants(files);
  const check = checkEquivalents(entries, texts, mutants);
  if (fix) {
    writeEquivalents(file, fixEntries(entries, texts, check, mutants));
    return reportCheck({ ...check, unanchored: [] }, entries.length, true);
  }
  return reportCheck(check, entries.length, false);
}

/** Writes the equivalents one entry per line, so a diff shows each entry changed. */
export function writeEquivalents(path: string, entries: readonly Equivalent[]): void {
  writeFileSync(path, `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
}

function main(): void {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  if (o.checkEquivalents) {
    checkEquivalentsFile(o.fix === true).then((ok) => { if (!ok) process.exitCode = 1; }, (e: unknown) => {
      console.error(`mutate --equivalents failed: ${(e as Error).stack ?? String(e)}`);
      process.exitCode = 1;
    });
    return;
  }
  let runs: RunPlan[];
  try {
    runs = plans(o);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const equivalents = loadEquivalents(join(__dirname, 'equivalents.json'));
  if (o.tests) console.log(`# mutate: only tests matching ${o.tests.join(', ')} run: the scores are a lower bound`);
  const results = new Map<string, Report | undefined>();
  for (const p of runs) {
    if (o.scoresOnly) { results.set(p.name, readReport(p)); continue; }
    console.log(`\n# mutate: ${p.name} (${p.mutate.length} files)`);
    const { status, interrupted } = runPlan(p, o);
    if (interrupted) {
      // killed or interrupted: stop here rather than start the next part; finished parts keep their results
      console.error(`stryker was interrupted on ${p.name}: stopping (finished parts keep their results)`);
      process.exitCode = 1;
      results.set(p.name, undefined);
      break;
    }
    if (status !== 0) {
      console.error(`stryker failed on ${p.name} (exit ${status})`);
      process.exitCode = 1;
      results.set(p.name, undefined);
      continue;
    }
    results.set(p.name, readReport(p));
  }
  const scores: Array<AreaScore & { readonly missing?: readonly string[] }> = [];
  if (o.files) {
    const report = results.get(runs[0].name);
    if (report) scores.push(scoreReport(runs[0].name, report, equivalents, ROOT, rangesOf(runs[0].mutate)), ...fileScores(report, equivalents, ROOT, rangesOf(runs[0].mutate)));
  } else {
    for (const area of areasOf(o)) {
      // a part not asked for this time is scored from the report its last run left; one asked for but not
      // run (an earlier part was interrupted) has no result
      const parts = allParts(area, AREAS, ROOT).map((p) => ({ name: p.name, report: runs.some((r) => r.name === p.name) ? results.get(p.name) : readReport(p) }));
      if (!parts.length) { console.log(`# mutate: ${area}: no source yet (${AREAS[area].join(' ')})`); continue; }
      scores.push(areaScore(area, parts, equivalents));
      for (const part of parts) if (part.report) scores.push(scoreReport(`  ${part.name}`, part.report, equivalents));
    }
  }
  if (o.scoresOnly && scores.some((x) => x.missing?.length)) process.exitCode = 1;
  printScores(scores);
}

/** One score per file of a report, indented under its run, for `--files`. */
export function fileScores(report: Report, equivalents: readonly Equivalent[], rootDir = ROOT, ranges?: Ranges): AreaScore[] {
  return Object.keys(report.files).sort().map((f) => scoreReport(`  ${relative(rootDir, join(rootDir, f)).split('\\').join('/')}`, { files: { [f]: report.files[f] } }, equivalents, rootDir, ranges));
}

if (require.main === module) main();
