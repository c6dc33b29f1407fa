import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { HardeningConfig } from '../config';
import { DataStack } from './data-stack';
import { LoggingStack } from './logging-stack';
import { NetworkStack } from './network-stack';

/** The stacks of the hardened environment, by concern. */
export interface HardenedEnvironment {
  readonly data: DataStack;
  readonly logging: LoggingStack;
  readonly network: NetworkStack;
  readonly stacks: Stack[];
}

/**
 * Builds every stack of the hardened environment from a validated configuration.
 * bin/app.ts calls this; so do the tests, so they synthesize exactly what `cdk synth` does.
 */
export function buildHardenedEnvironment(app: App, config: HardeningConfig): HardenedEnvironment {
  const env = { account: config.account, region: config.region };
  const name = (concern: string) => `${config.stackPrefix}${concern}`;
  const tags = { 'hardening:managed-by': 'cdk-hardening' };

  const data = new DataStack(app, name('Data'), {
    env, tags, stackName: name('Data'),
    description: 'cdk-hardening: personal data stores, customer-managed keys (L5, L8, L10)',
    dataClasses: config.dataClasses,
    noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
    objectLockRetentionDays: config.archiveObjectLockDays,
    accessLogRetentionDays: config.logRetentionPeriod,
  });
  const logging = new LoggingStack(app, name('Logging'), {
    env, tags, stackName: name('Logging'),
    description: 'cdk-hardening: audit trail, immutable archive, CIS alarms, alert topic (L7, L9)',
    logRetentionDays: config.logRetentionPeriod,
    archiveObjectLockDays: config.archiveObjectLockDays,
    alertEmails: config.alertEmails,
    dataEventBuckets: data.buckets,
  });
  const network = new NetworkStack(app, name('Network'), {
    env, tags, stackName: name('Network'),
    description: 'cdk-hardening: segmented VPC, endpoints, flow logs (L4, L6)',
    availabilityZones: config.availabilityZones,
    cidr: config.vpcCidr,
    publicSubnetMask: config.publicSubnetMask,
    appSubnetMask: config.appSubnetMask,
    dataSubnetMask: config.dataSubnetMask,
    natGateways: config.natGateways,
    databasePorts: config.databasePorts,
    organizationId: config.organizationId,
    flowLogGroup: logging.flowLogGroup,
  });
  const stacks: Stack[] = [data, logging, network];
  return { data, logging, network, stacks };
}

/** Registers the rule packs that fail synthesis: AwsSolutions and NIST 800-53 R5 from cdk-nag. */
export function registerChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}
