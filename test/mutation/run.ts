/**
 * `npm run mutate [area...] [--typecheck] [--files <glob,...>] [--tests <glob,...>] [--concurrency <n>]`: mutation testing with Stryker, one area at a time, each
 * with its own incremental file so a rerun after a change re-tests only the mutants the change can
 * affect. Prints the mutation score per area like a benchmark (never asserted in CI) and lists every
 * surviving mutant that is not in test/mutation/equivalents.json.
 *
 * Reports (HTML + JSON per area) go to .mutation/ (git-ignored).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, relative } from 'path';

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

/** A mutant no test can tell apart from the original, with the reason; matched by file, line, mutator and replacement. */
export interface Equivalent {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly reason: string;
}

export interface ReportMutant {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface Report {
  readonly files: Record<string, { readonly mutants: readonly ReportMutant[] }>;
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
  /** Entries of the equivalents file that matched no surviving mutant of this area (stale). */
  readonly staleEquivalents: readonly Equivalent[];
}

const same = (e: Equivalent, file: string, m: ReportMutant): boolean =>
  e.file === file && e.line === m.location.start.line && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? '');

/** Scores one area's report; pure, so the arithmetic is tested without running Stryker. */
export function scoreReport(area: string, report: Report, equivalents: readonly Equivalent[], rootDir = ROOT): AreaScore {
  let killed = 0; let survived = 0; let noCoverage = 0; let timeout = 0; let equivalent = 0; let invalid = 0;
  const survivors: string[] = [];
  const used = new Set<Equivalent>();
  for (const [path, { mutants }] of Object.entries(report.files)) {
    const file = relative(rootDir, join(rootDir, path)).split('\\').join('/');
    for (const m of mutants) {
      switch (m.status) {
        case 'Killed': killed++; break;
        case 'Timeout': timeout++; break;
        case 'Survived':
        case 'NoCoverage': {
          const eq = equivalents.find((e) => same(e, file, m));
          if (eq) { equivalent++; used.add(eq); break; }
          if (m.status === 'Survived') survived++; else noCoverage++;
          survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} -> ${JSON.stringify(m.replacement ?? '')} (${m.status})`);
          break;
        }
        default: invalid++; // CompileError, RuntimeError, Ignored, Pending: not a test result
      }
    }
  }
  const files = new Set(Object.keys(report.files).map((p) => relative(rootDir, join(rootDir, p)).split('\\').join('/')));
  const staleEquivalents = equivalents.filter((e) => files.has(e.file) && !used.has(e));
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return { area, killed, survived, noCoverage, timeout, equivalent, invalid, score: valid ? (100 * detected) / valid : undefined, survivors, staleEquivalents };
}

/** Reads and checks the equivalents file: every entry needs a file, line, mutator, replacement and a reason. */
export function loadEquivalents(path: string): Equivalent[] {
  if (!existsSync(path)) return [];
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${path}: expected a JSON array of equivalent mutants`);
  return raw.map((e, i) => {
    const x = e as Partial<Equivalent>;
    if (typeof x.file !== 'string' || typeof x.line !== 'number' || typeof x.mutator !== 'string'
      || typeof x.replacement !== 'string' || typeof x.reason !== 'string' || x.reason.trim().length < 10) {
      throw new Error(`${path}[${i}]: an equivalent mutant needs file, line, mutator, replacement and a reason of one line`);
    }
    return x as Equivalent;
  });
}

/** What one Stryker run mutates and where its files go: an area, or `files` when `--files` narrows it. */
export interface RunPlan {
  readonly name: string;
  readonly mutate: readonly string[];
}

export interface Options {
  readonly areas: readonly string[];
  readonly typecheck: boolean;
  /** `--files <glob>[,<glob>...]`: mutate only these files (one run, its own incremental file). */
  readonly files?: readonly string[];
  /** `--tests <glob>[,<glob>...]`: run only these test files (faster; the score is then a lower bound). */
  readonly tests?: readonly string[];
  /** `--concurrency <n>`: Stryker test runner processes (default from stryker.config.json). */
  readonly concurrency?: number;
}

const FLAGS_WITH_VALUE = ['--files', '--tests', '--concurrency'];

/** Parses `npm run mutate` arguments; throws naming the bad argument. */
export function parseArgs(argv: readonly string[]): Options {
  const areas: string[] = [];
  let typecheck = false;
  let files: string[] | undefined;
  let tests: string[] | undefined;
  let concurrency: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--typecheck') { typecheck = true; continue; }
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
    if (a.startsWith('--')) throw new Error(`unknown option '${a}'; options: --typecheck, ${FLAGS_WITH_VALUE.join(', ')}`);
    if (!(a in AREAS)) throw new Error(`unknown area '${a}'; areas: ${Object.keys(AREAS).join(', ')}`);
    areas.push(a);
  }
  if (files && areas.length > 0) throw new Error(`--files replaces the areas: give either ${areas.map((x) => `'${x}'`).join(', ')} or --files`);
  return { areas, typecheck, files, tests, concurrency };
}

/** The runs to make: one per area, or one named `files-<slug>` for `--files`. */
export function plans(o: Options, areas: Readonly<Record<string, readonly string[]>> = AREAS): RunPlan[] {
  if (o.files) {
    const slug = o.files.join('+').replace(/[^A-Za-z0-9.+-]+/g, '_').slice(0, 80);
    return [{ name: `files-${slug}`, mutate: o.files }];
  }
  return (o.areas.length ? o.areas : Object.keys(areas)).map((a) => ({ name: a, mutate: areas[a] }));
}

/** The Stryker config of one run, from the checked-in base config; pure. */
export function strykerConfig(base: Record<string, unknown>, plan: RunPlan, o: Pick<Options, 'typecheck' | 'tests' | 'concurrency'>): Record<string, unknown> {
  const { $schema: _s, _comment: _c, ...rest } = base;
  const jest = { ...(rest.jest as Record<string, unknown> | undefined) };
  if (o.tests) jest.config = { ...(jest.config as Record<string, unknown> | undefined), testMatch: o.tests.map((t) => `<rootDir>/${t}`) };
  return {
    ...rest,
    mutate: plan.mutate,
    jest,
    checkers: o.typecheck ? ['typescript'] : [],
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    incrementalFile: `.mutation/${plan.name}/incremental.json`,
    htmlReporter: { fileName: `.mutation/${plan.name}/report.html` },
    jsonReporter: { fileName: `.mutation/${plan.name}/report.json` },
    tempDirName: `.mutation/tmp-${plan.name}`,
  };
}

function runPlan(plan: RunPlan, o: Options): number {
  const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')) as Record<string, unknown>;
  const dir = join(OUT, plan.name);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'stryker.config.json');
  writeFileSync(configFile, JSON.stringify(strykerConfig(base, plan, o), null, 2));
  const r = spawnSync('npx', ['stryker', 'run', relative(ROOT, configFile)], { cwd: ROOT, stdio: 'inherit' });
  return r.status ?? 1;
}

function areaExists(globs: readonly string[]): boolean {
  return globs.some((g) => !g.startsWith('!') && existsSync(join(ROOT, g.split('/**')[0].replace(/\/\*\.ts$/, ''))));
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
  const runs = plans(o).filter((p) => {
    if (o.files || areaExists(p.mutate)) return true;
    console.log(`# mutate: ${p.name}: no source yet (${p.mutate.join(' ')}), skipped`);
    return false;
  });
  if (o.tests) console.log(`# mutate: only tests matching ${o.tests.join(', ')} run: the scores are a lower bound`);
  const equivalents = loadEquivalents(join(__dirname, 'equivalents.json'));
  const scores: AreaScore[] = [];
  for (const p of runs) {
    console.log(`\n# mutate: ${p.name}`);
    const status = runPlan(p, o);
    if (status !== 0) {
      console.error(`stryker failed on ${p.name} (exit ${status})`);
      process.exitCode = 1;
      continue;
    }
    const report = JSON.parse(readFileSync(join(OUT, p.name, 'report.json'), 'utf8')) as Report;
    scores.push(scoreReport(p.name, report, equivalents));
    if (o.files) scores.push(...fileScores(report, equivalents));
  }
  console.log('\n# mutation scores (target >= 85% per area; equivalents from test/mutation/equivalents.json excluded)');
  console.log('area          score   killed timeout survived no-cov equiv invalid');
  for (const s of scores) {
    const pct = s.score === undefined ? '   n/a' : `${s.score.toFixed(1).padStart(5)}%`;
    const mark = s.score !== undefined && s.score < TARGET ? '  below target' : '';
    console.log(`${s.area.padEnd(12)} ${pct} ${String(s.killed).padStart(7)} ${String(s.timeout).padStart(7)} ${String(s.survived).padStart(8)} ${String(s.noCoverage).padStart(6)} ${String(s.equivalent).padStart(5)} ${String(s.invalid).padStart(7)}${mark}`);
  }
  for (const s of scores.filter((x) => !x.area.startsWith('  '))) {
    if (s.survivors.length) console.log(`\n## ${s.area}: ${s.survivors.length} surviving mutants\n${s.survivors.join('\n')}`);
    for (const e of s.staleEquivalents) console.log(`stale equivalent (no such surviving mutant): ${JSON.stringify(e)}`);
  }
}

/** One score per file of a report, indented under its run, for `--files`. */
export function fileScores(report: Report, equivalents: readonly Equivalent[], rootDir = ROOT): AreaScore[] {
  return Object.keys(report.files).sort().map((f) => scoreReport(`  ${relative(rootDir, join(rootDir, f)).split('\\').join('/')}`, { files: { [f]: report.files[f] } }, equivalents, rootDir));
}

if (require.main === module) main();
