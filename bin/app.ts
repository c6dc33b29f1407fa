#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfig } from '../lib/config';
import { buildHardenedEnvironment, registerChecks } from '../lib/stacks/hardened-environment';

// The only place that reads context or the environment: everything below gets a typed config.
const app = new App();
try {
  const config = parseConfig(app.node.getAllContext());
  buildHardenedEnvironment(app, config);
  registerChecks(app, config.organizationId);
  app.synth();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`cdk-hardening: ${e.message}\n`);
  process.exitCode = 1;
}
