// Every test run writes its temporary files under one directory, removed when the run ends,
// so no test can leave temporary directories behind on the machine.
// The TMPDIR the run started with is kept and restored by the teardown: a process that runs Jest
// more than once (Stryker's test runner does, once per mutant) must not create the next run's
// directory inside the one the last run removed.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = async () => {
  if (!('CDK_HARDENING_TEST_TMP' in process.env)) process.env.CDK_HARDENING_TEST_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  const outer = process.env.CDK_HARDENING_TEST_OUTER_TMPDIR || tmpdir();
  const dir = mkdtempSync(join(outer, 'cdk-hardening-tests-'));
  process.env.CDK_HARDENING_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
