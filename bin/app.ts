#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfig } from '../lib/config';
import { buildApp } from '../lib/stacks/app';

// The only place that reads context or the environment: everything below gets a typed config.
const app = new App();
try {
  buildApp(app, parseConfig(app.node.getAllContext()));
  app.synth();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`cdk-hardening: ${e.message}\n`);
  process.exitCode = 1;
}
