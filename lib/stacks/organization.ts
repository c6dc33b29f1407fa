import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { HardeningConfig, baselineStackSetNames, securityResourceNames } from '../config';
import { nameKeyAdministrators } from '../constructs/customer-managed-key';
import { pipelineSynthesizer } from '../constructs/hardened-bootstrap';
import { applyPermissionsBoundary } from '../constructs/permissions-boundary-aspect';
import { RcpName, ScpName } from '../constructs/service-control-policies';
import { StackSetTemplates } from '../constructs/stackset-template';
import { OrganizationAuditor } from '../constructs/organization-auditor';
import { MANAGED_BY_TAG } from '../constructs/tags';
import { rcpValues, scpValues, securityNamePrefix } from '../policies';
import { BaselineGlobalStack, BaselineRegionalStack } from './baseline-stacks';
import { OrgBaselineStack } from './org-baseline-stack';
import { ORGANIZATION_TRAIL_KEY_ALIAS, OrgLogArchiveStack } from './org-log-archive-stack';
import { OrgManagementStack } from './org-management-stack';
import { SecurityToolingStack } from './security-tooling-stack';

/** The service principals whose delegated administrator is the security-tooling account. */
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';
export const ACCESS_ANALYZER_SERVICE_PRINCIPAL = 'access-analyzer.amazonaws.com';

export interface Organization {
  readonly logArchive: OrgLogArchiveStack;
  readonly management: OrgManagementStack;
  /** One per governed region. */
  readonly tooling: SecurityToolingStack[];
  readonly baseline: OrgBaselineStack;
  /** The StackSet templates, in a Stage of their own: validated and checked by the packs, never deployed as stacks. */
  readonly templates: { readonly stage: StackSetTemplates; readonly global: BaselineGlobalStack; readonly regional: BaselineRegionalStack };
  /** The stacks `cdk deploy --all` deploys, in deploy order. */
  readonly stacks: Stack[];
}

/**
 * Organization mode (docs/organization.md): the log-archive, management and security-tooling stacks,
 * each in its account, and the baseline StackSets that AWS rolls into every account of the baseline
 * targets. Deploy order: log archive, management, tooling (each governed region), baseline.
 */
export function buildOrganization(app: App, config: HardeningConfig): Organization {
  const organizationId = config.organizationId!;
  const management = config.managementAccountId!;
  const tooling = config.securityToolingAccountId!;
  const logArchiveAccount = config.logArchiveAccountId!;
  const home = config.region;
  const name = (concern: string) => `${config.stackPrefix}${concern}`;
  const tags = { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value };
  const names = securityResourceNames(config.stackPrefix);
  const securityPrefix = securityNamePrefix(config.stackPrefix);
  const synthesizer = () => pipelineSynthesizer({ qualifier: config.cdkQualifier, pipelineRoleName: config.pipelineRoleName });
  const base = (concern: string, account: string, description: string, region = home) => ({
    env: { account, region }, tags, stackName: name(concern), description: `cdk-hardening: ${description}`, synthesizer: synthesizer(),
  });

  const trailName = `${names.prefix}organization-trail`;
  const trailArn = `arn:${Aws.PARTITION}:cloudtrail:${home}:${management}:trail/${trailName}`;
  const archiveBucketName = `${names.bucketPrefix}org-archive-${logArchiveAccount}`;
  const logArchive = new OrgLogArchiveStack(app, name('OrgLogArchive'), {
    ...base('OrgLogArchive', logArchiveAccount, 'organization trail archive: object-locked, its key, access logs (L7)'),
    organizationId, managementAccountId: management, trailArn, archiveBucketName,
    archiveObjectLockDays: config.archiveObjectLockDays, logRetentionDays: config.logRetentionPeriod,
    vault: {
      vaultName: `${config.stackPrefix}-log-archive-vault`,
      minRetentionDays: config.vaultLockMinRetentionDays,
      maxRetentionDays: config.vaultLockMaxRetentionDays,
      changeableForDays: config.vaultLockChangeableForDays,
    },
    plan: { dailyRetentionDays: config.backupDailyRetentionDays, monthlyRetentionDays: config.backupMonthlyRetentionDays },
    backupRoleName: `${config.stackPrefix}-log-archive-backup`,
  });

  const scpTargets = Object.fromEntries(Object.entries(config.scpTargets ?? {}).map(([k, v]) => [`scp/${k}`, v])) as Partial<Record<ScpName, string[]>>;
  const rcpTargets = Object.fromEntries(Object.entries(config.rcpTargets ?? {}).map(([k, v]) => [`rcp/${k}`, v])) as Partial<Record<RcpName, string[]>>;
  const managementStack = new OrgManagementStack(app, name('OrgManagement'), {
    ...base('OrgManagement', management, 'organization setup, service and resource control policies, organization trail, audit role (L3, L6, L7)'),
    organizationId,
    scpTargets,
    scpValues: scpValues(config),
    rcpTargets,
    rcpValues: rcpValues(config),
    namePrefix: config.stackPrefix.toLowerCase(),
    organizationSetup: {
      trustedServicePrincipals: ['cloudtrail.amazonaws.com', STACKSETS_SERVICE_PRINCIPAL, ACCESS_ANALYZER_SERVICE_PRINCIPAL, 'malware-protection.guardduty.amazonaws.com'],
      policyTypes: [
        ...(Object.keys(scpTargets).length > 0 ? ['SERVICE_CONTROL_POLICY' as const] : []),
        ...(Object.keys(rcpTargets).length > 0 ? ['RESOURCE_CONTROL_POLICY' as const] : []),
      ],
      delegatedAdministrators: [
        { accountId: tooling, servicePrincipal: STACKSETS_SERVICE_PRINCIPAL },
        { accountId: tooling, servicePrincipal: ACCESS_ANALYZER_SERVICE_PRINCIPAL },
      ],
      guardDutyAdminAccountId: tooling,
      governedRegions: config.governedRegions,
    },
    securityNames: names,
    archiveBucketName,
    archiveKey: { accountId: logArchiveAccount, alias: ORGANIZATION_TRAIL_KEY_ALIAS },
    alertEmails: config.alertEmails,
    logRetentionDays: config.logRetentionPeriod,
    audit: { roleName: config.auditRoleName, auditorAccountId: tooling, auditorRoleName: config.auditorRoleName },
  });
  managementStack.addStackDependency(logArchive, 'the organization trail writes to the archive');

  // The auditor role, unless hardening:auditorRoleName names one IAM Identity Center creates (with *).
  const auditor = OrganizationAuditor.isCreatable(config.auditorRoleName)
    ? { roleName: config.auditorRoleName, auditRoleName: config.auditRoleName, organizationId, mfaMaxAge: Duration.seconds(config.mfaMaxAgeSeconds) }
    : undefined;
  const toolingStacks = config.governedRegions.map((region, i) => {
    const s = new SecurityToolingStack(app, name(`SecurityTooling-${region}`), {
      ...base(`SecurityTooling-${region}`, tooling, `GuardDuty organization configuration, finding alerts, organization access analyzer in ${region} (L3, L9)`, region),
      alertEmails: config.alertEmails,
      securityNamePrefix: securityPrefix,
      breakGlassRoleName: config.breakGlassRoleName,
      analyzerName: `${config.stackPrefix}-organization`,
      auditor: i === 0 ? auditor : undefined,
    });
    s.addStackDependency(managementStack, 'the management account designates the tooling account as delegated administrator');
    return s;
  });

  const stage = new StackSetTemplates(app, name('BaselineTemplates'));
  const backupRoleName = `${config.stackPrefix}-backup-service`;
  // Service-managed StackSets never deploy to the management account, nor to the excluded accounts.
  const excludedAccounts = [management, ...config.baselineExcludeAccounts];
  const global = stage.add(new BaselineGlobalStack(stage, name('BaselineGlobal'), {
    stackName: name('BaselineGlobal'), tags, description: 'cdk-hardening: global account baseline (StackSet)',
    namePrefix: config.stackPrefix,
    accessLevels: config.groups,
    mfaMaxAgeSeconds: config.mfaMaxAgeSeconds,
    roleMaxSessionSeconds: config.roleMaxSessionSeconds,
    passwordMaxAgeDays: config.passwordMaxAgeDays,
    audit: { roleName: config.auditRoleName, auditorAccountId: tooling, auditorRoleName: config.auditorRoleName, organizationId },
    backupRoleName,
    excludedAccounts,
  }));
  const regional = stage.add(new BaselineRegionalStack(stage, name('BaselineRegional'), {
    stackName: name('BaselineRegional'), tags, description: 'cdk-hardening: regional account baseline (StackSet)',
    alertEmails: config.alertEmails,
    securityNamePrefix: securityPrefix,
    breakGlassRoleName: config.breakGlassRoleName,
    vault: {
      vaultName: `${config.stackPrefix}-locked-vault`,
      minRetentionDays: config.vaultLockMinRetentionDays,
      maxRetentionDays: config.vaultLockMaxRetentionDays,
      changeableForDays: config.vaultLockChangeableForDays,
    },
    plan: { dailyRetentionDays: config.backupDailyRetentionDays, monthlyRetentionDays: config.backupMonthlyRetentionDays },
    backupRoleName,
    excludedAccounts,
  }));

  const setNames = baselineStackSetNames(config);
  const baseline = new OrgBaselineStack(app, name('OrgBaseline'), {
    ...base('OrgBaseline', tooling, 'baseline StackSets rolled into every account of the baseline targets (L1-L9)'),
    stackSetNames: { global: setNames.global.name, regional: setNames.regional.name },
    global, regional,
    homeRegion: home,
    governedRegions: config.governedRegions,
    organizationalUnitIds: config.baselineTargets!,
    excludeAccounts: config.baselineExcludeAccounts,
    operationPreferences: {
      maxConcurrentPercentage: config.stackSetMaxConcurrentPercentage,
      failureTolerancePercentage: config.stackSetFailureTolerancePercentage,
      regionConcurrencyType: config.stackSetRegionConcurrency,
    },
    alertEmails: config.alertEmails,
  });
  for (const t of toolingStacks) baseline.addStackDependency(t, 'GuardDuty auto-enable is in place before the baseline reaches the accounts');

  // Every role of every stack and template is bounded; break-glass administers every key beside the deployer.
  const roleArn = (roleName: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${roleName}`;
  // Aspects stop at a Stage: the templates' Stage gets its own.
  for (const scope of [app, stage]) applyPermissionsBoundary(scope, config);
  nameKeyAdministrators(app, [roleArn(config.breakGlassRoleName)]);
  const stacks: Stack[] = [logArchive, managementStack, ...toolingStacks, baseline];
  return { logArchive, management: managementStack, tooling: toolingStacks, baseline, templates: { stage, global, regional }, stacks };
}
