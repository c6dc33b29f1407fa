import { App, Aws, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { HardeningConfig, recoveryResourceNames, securityResourceNames } from '../config';
import { BreachLessonsChecks } from '../nag/breach-lessons-checks';
import { StackSetAwarePlugin } from '../nag/stackset-attribution';
import { applyPermissionsBoundary } from '../constructs/permissions-boundary-aspect';
import { nameKeyAdministrators } from '../constructs/customer-managed-key';
import { pipelineSynthesizer } from '../constructs/hardened-bootstrap';
import { MANAGED_BY_TAG } from '../constructs/tags';
import { securityNamePrefix } from '../policies';
import { DataStack } from './data-stack';
import { DetectionStack } from './detection-stack';
import { IdentityStack } from './identity-stack';
import { LoggingStack } from './logging-stack';
import { NetworkStack } from './network-stack';
import { RecoveryStack } from './recovery-stack';

/** The stacks of the hardened environment, by concern. */
export interface HardenedEnvironment {
  readonly data: DataStack;
  readonly logging: LoggingStack;
  readonly network: NetworkStack;
  readonly identity: IdentityStack;
  readonly detection: DetectionStack;
  readonly recovery: RecoveryStack;
  /** The locked vault in backupCopyRegion, when configured. */
  readonly recoveryCopy?: RecoveryStack;
  readonly stacks: Stack[];
}

/**
 * Builds every stack of the hardened environment from a validated configuration.
 * bin/app.ts calls this; so do the tests, so they synthesize exactly what `cdk synth` does.
 */
export function buildHardenedEnvironment(app: App, config: HardeningConfig): HardenedEnvironment {
  const env = { account: config.account, region: config.region };
  const name = (concern: string) => `${config.stackPrefix}${concern}`;
  const tags = { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value };
  const securityPrefix = securityNamePrefix(config.stackPrefix);
  /** What every stack shares: the environment, the tags, a stack name equal to its id, a description. */
  const base = (concern: string, description: string) => ({ env, tags, stackName: name(concern), description: `cdk-hardening: ${description}`, synthesizer: synthesizer() });
  // CloudFormation deploys every stack through the pipeline's execution role (issue 10 item 11).
  const synthesizer = () => pipelineSynthesizer({ qualifier: config.cdkQualifier, pipelineRoleName: config.pipelineRoleName });
  const { vaultName, backupRoleName } = recoveryResourceNames(config.stackPrefix);
  const roleArn = (roleName: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${roleName}`;

  const data = new DataStack(app, name('Data'), {
    ...base('Data', 'personal data stores, customer-managed keys (L5, L8, L10)'),
    dataClasses: config.dataClasses,
    noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
    objectLockRetentionDays: config.archiveObjectLockDays,
    accessLogRetentionDays: config.logRetentionPeriod,
    dataAccessPrincipalArns: [...config.dataAccessPrincipalArns, roleArn(backupRoleName)],
    organizationId: config.organizationId,
  });
  const logging = new LoggingStack(app, name('Logging'), {
    ...base('Logging', 'audit trail, immutable archive, CIS alarms, alert topic (L7, L9)'),
    logRetentionDays: config.logRetentionPeriod,
    archiveObjectLockDays: config.archiveObjectLockDays,
    alertEmails: config.alertEmails,
    dataEventBuckets: data.buckets,
    dataEventTables: data.tables,
    securityNames: securityResourceNames(config.stackPrefix),
    breakGlassRoleName: config.breakGlassRoleName,
  });
  const network = new NetworkStack(app, name('Network'), {
    ...base('Network', 'segmented VPC, endpoints, flow logs (L4, L6)'),
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
  const identity = new IdentityStack(app, name('Identity'), {
    ...base('Identity', 'MFA-enforced groups and roles, password policy, access analyzer (L1, L2)'),
    namePrefix: config.stackPrefix,
    accessLevels: config.groups,
    mfaMaxAgeSeconds: config.mfaMaxAgeSeconds,
    roleMaxSessionSeconds: config.roleMaxSessionSeconds,
    passwordMaxAgeDays: config.passwordMaxAgeDays,
    identityCenterInstanceArn: config.identityCenterInstanceArn,
    adoptExistingAccessAnalyzer: config.adoptExistingAccessAnalyzer,
  });
  const detection = new DetectionStack(app, name('Detection'), {
    ...base('Detection', 'GuardDuty with every plan, high-severity and sign-in alerts (L3, L9)'),
    adoptExistingDetector: config.adoptExistingDetector,
    securityHub: config.securityHub,
    adoptExistingSecurityHub: config.adoptExistingSecurityHub,
    alertEmails: config.alertEmails,
    securityNamePrefix: securityPrefix,
    breakGlassRoleName: config.breakGlassRoleName,
    // Rule failures go to the alarm topic, under the log key: not the key that may be failing.
    failureTopic: logging.alertTopic,
  });
  const vault = {
    vaultName,
    vaultLockMinRetentionDays: config.vaultLockMinRetentionDays,
    vaultLockMaxRetentionDays: config.vaultLockMaxRetentionDays,
    vaultLockChangeableForDays: config.vaultLockChangeableForDays,
  };
  const recoveryCopy = config.backupCopyRegion === undefined ? undefined : new RecoveryStack(app, name('RecoveryCopy'), {
    env: { account: config.account, region: config.backupCopyRegion }, tags, stackName: name('RecoveryCopy'), synthesizer: synthesizer(),
    backupRoleName,
    description: `cdk-hardening: locked copy vault in ${config.backupCopyRegion} (L8)`,
    ...vault,
  });
  // Selects by the tag the data stack puts on every stateful resource (BACKUP_TAG).
  const recovery = new RecoveryStack(app, name('Recovery'), {
    ...base('Recovery', 'locked backup vault and plan over every tagged stateful resource (L8)'),
    ...vault,
    backupRoleName,
    plan: {
      dailyRetentionDays: config.backupDailyRetentionDays,
      monthlyRetentionDays: config.backupMonthlyRetentionDays,
      copyRegion: config.backupCopyRegion,
      crossAccountCopyVaultArn: config.backupCopyAccountVaultArn,
    },
    // Backups are not stopped quietly: every plan, selection, lock or recovery-point change alerts.
    alerts: { topic: detection.alerts.topic, failureTopic: logging.alertTopic, namePrefix: securityPrefix },
  });
  if (recoveryCopy) recovery.addStackDependency(recoveryCopy, 'copies go to the locked vault in the second region');
  // The permissions boundary goes on every role of every stack, including custom-resource roles.
  applyPermissionsBoundary(app, config);
  // Key policies: only the pipeline's execution role (each key's default) and break-glass administer a key.
  nameKeyAdministrators(app, [roleArn(config.breakGlassRoleName)]);
  const stacks: Stack[] = [data, logging, network, identity, detection, recovery, ...(recoveryCopy ? [recoveryCopy] : [])];
  return { data, logging, network, identity, detection, recovery, recoveryCopy, stacks };
}

/**
 * Registers the rule packs that fail synthesis: AwsSolutions and NIST 800-53 R5 from cdk-nag, and
 * BreachLessons. The cdk-nag packs report a violation inside a StackSet template on its StackSet too
 * (StackSetAwarePlugin), or `cdk synth` would drop it; BreachLessons does so itself.
 */
export function registerChecks(app: App, options: { failOn?: 'error' | 'warning'; organizationId?: string } = {}): void {
  Validations.of(app).addPlugins(
    new StackSetAwarePlugin(new AwsSolutionsChecks(app)),
    new StackSetAwarePlugin(new NIST80053R5Checks(app)),
    new BreachLessonsChecks(app, { failOn: options.failOn, organizationId: options.organizationId }),
  );
}
