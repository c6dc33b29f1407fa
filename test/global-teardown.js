const { rmSync } = require('fs');

module.exports = async () => {
  const dir = process.env.CDK_HARDENING_TEST_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
