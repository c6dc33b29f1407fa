// Every test run writes its temporary files under one directory, removed when the run ends,
// so no test can leave temporary directories behind on the machine.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdk-hardening-tests-'));
  process.env.CDK_HARDENING_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
