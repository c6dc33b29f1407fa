#!/usr/bin/env node
// `npm test` runs this first (pretest): the HTML report test drives a real headless Chromium, so the
// browser is a prerequisite of the test command, installed here when missing - never skipped.
// Debian's chromium is the browser (npm's browser downloads cannot reach their hosts here).
const { execFileSync, spawnSync } = require('child_process');
const { existsSync } = require('fs');

const browser = process.env.CDK_HARDENING_CHROMIUM || '/usr/bin/chromium';

function works(path) {
  if (!existsSync(path)) return false;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60000 });
  return r.status === 0;
}

function fail(message) {
  process.stderr.write(`npm test: ${message}\n`);
  process.exit(1);
}

if (works(browser)) process.exit(0);
if (process.env.CDK_HARDENING_CHROMIUM) {
  fail(`CDK_HARDENING_CHROMIUM=${browser} is not a working Chromium (it must answer --version)`);
}
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
if (!root || !apt) {
  fail(`the HTML report test needs Chromium at ${browser}: install Debian's package as root (apt-get install -y chromium), or set CDK_HARDENING_CHROMIUM to a Chromium binary`);
}
process.stderr.write('npm test: installing Debian\'s chromium for the HTML report test (once; about a minute)\n');
try {
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: ['ignore', 'ignore', 'inherit'] });
} catch (e) {
  fail(`installing chromium with apt-get failed (${e.message.split('\n')[0]}); install it by hand: apt-get install -y chromium`);
}
if (!works(browser)) fail(`chromium was installed but ${browser} does not answer --version`);
