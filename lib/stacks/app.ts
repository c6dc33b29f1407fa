import { App, Stack } from 'aws-cdk-lib';
import { HardeningConfig } from '../config';
import { buildHardenedEnvironment, registerChecks } from './hardened-environment';
import { buildOrganization } from './organization';

/**
 * What bin/app.ts builds from a validated configuration: in account mode (the default) exactly
 * today's stacks; in organization mode the log-archive, management, security-tooling and baseline
 * stacks (docs/organization.md). The rule packs are registered either way. Returns the stacks that
 * `cdk deploy --all` deploys.
 */
export function buildApp(app: App, config: HardeningConfig): Stack[] {
  const stacks = config.deploymentMode === 'organization'
    ? buildOrganization(app, config).stacks
    : buildHardenedEnvironment(app, config).stacks;
  registerChecks(app, { failOn: config.failOn, organizationId: config.organizationId });
  return stacks;
}
