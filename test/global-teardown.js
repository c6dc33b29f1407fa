const { rmSync } = require('fs');

module.exports = async () => {
  const dir = process.env.CDK_HARDENING_TEST_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
  delete process.env.CDK_HARDENING_TEST_TMP;
  const outer = process.env.CDK_HARDENING_TEST_OUTER_TMPDIR;
  if (outer) process.env.TMPDIR = outer; else delete process.env.TMPDIR;
};
