import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './app';

/** What `npm pack` reads besides dist/ (the `files` of package.json, and package.json itself). */
const PACKED_SOURCES = ['package.json', 'README.md', 'RULES.md', 'LICENSE', 'policies', 'schemas', 'docs'];

export interface PackedPackage {
  /** The staging directory: the packed sources and dist/ compiled from lib/ and bin/. */
  readonly stage: string;
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The paths in the tarball, sorted. */
  readonly files: string[];
}

const WAIT_MS = 10 * 60_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The npm package as `npm run build` and `npm pack` make it, built once per test run and shared by
 * the tests that need it (jest workers are processes: the first to take the lock builds, the others
 * wait for its result). Built on a staging copy, never in the repository: its own dist/ may be stale
 * or absent. dist/ is compiled with tsconfig.build.json, as `npm run build` does.
 */
export function packedPackage(): PackedPackage {
  const runDir = process.env.CDK_HARDENING_TEST_TMP;
  const dir = runDir ? join(runDir, 'packed-package') : mkdtempSync(join(tmpdir(), 'packed-package-'));
  const result = join(dir, 'result.json');
  const failure = join(dir, 'failure.txt');
  let builder = !runDir;
  if (runDir) {
    try {
      mkdirSync(dir);
      builder = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if (!builder) {
    for (const start = Date.now(); Date.now() - start < WAIT_MS; sleep(500)) {
      if (existsSync(result)) return JSON.parse(readFileSync(result, 'utf8')) as PackedPackage;
      if (existsSync(failure)) throw new Error(`building the package failed in another test file: ${readFileSync(failure, 'utf8')}`);
    }
    throw new Error(`the package build of another test file did not finish within ${WAIT_MS / 60_000} minutes (${dir})`);
  }
  try {
    const stage = join(dir, 'stage');
    for (const f of PACKED_SOURCES) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { cwd: ROOT, stdio: 'pipe' });
    const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: stage, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' },
    });
    const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    const pkg: PackedPackage = { stage, tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path).sort() };
    writeFileSync(result, JSON.stringify(pkg));
    return pkg;
  } catch (e) {
    const err = e as Error & { stdout?: unknown; stderr?: unknown };
    const message = [err.message, err.stdout, err.stderr].filter((x) => x !== undefined && String(x).trim() !== '').join('\n');
    writeFileSync(failure, message);
    throw new Error(`building and packing the package failed: ${message}`);
  }
}
