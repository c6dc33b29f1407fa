import { readFileSync } from 'fs';
import { join } from 'path';
import { TOOL_VERSION } from '../../lib/cli/common';
import { main } from '../../lib/cli/main';
import { ROOT } from '../helpers/app';

test('--version prints the version of package.json', async () => {
  const out: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), stderrIsTTY: false, env: {}, now: () => new Date() };
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  expect(TOOL_VERSION).toBe(version);
  expect(await main(['--version'], io)).toBe(0);
  expect(out.join('')).toBe(`${version}\n`);
});

test('an unknown command is bad usage (exit 2) with one line naming it', async () => {
  const err: string[] = [];
  const io = { stdout: () => undefined, stderr: (s: string) => err.push(s), stderrIsTTY: false, env: {}, now: () => new Date() };
  expect(await main(['audti'], io)).toBe(2);
  expect(err.join('')).toMatch(/unknown command 'audti'.*\(Did you mean audit\?\)/s);
  expect(err.join('').split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
});
