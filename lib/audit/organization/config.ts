import { HardeningConfig, baselineStackSetNames } from '../../config';
import { OrganizationAuditConfig } from './types';

/** The configuration is not in organization mode, so there is nothing organization-wide to compare with. */
export class NotOrganizationModeError extends Error {}

/**
 * What the organization-level checks compare with, derived from the app's own configuration (cdk.json's
 * `hardening:` keys, validated by lib/config's parseConfig): the same values, and the same StackSet
 * names (baselineStackSetNames), the organization stacks were deployed from — never a second file or
 * a second schema. Throws NotOrganizationModeError when the configuration is in account mode.
 */
export function organizationAuditConfig(config: HardeningConfig): OrganizationAuditConfig & { readonly auditRoleName: string } {
  if (config.deploymentMode !== 'organization') {
    throw new NotOrganizationModeError(`hardening:deploymentMode is '${config.deploymentMode}': the organization checks compare with an organization-mode configuration`);
  }
  // parseConfig requires these in organization mode; a configuration built another way is refused here.
  if (!config.baselineTargets || !config.scpTargets) throw new NotOrganizationModeError('an organization-mode configuration needs hardening:baselineTargets and hardening:scpTargets');
  const sets = baselineStackSetNames(config);
  return {
    governedRegions: [...config.governedRegions],
    allowedRegions: [...config.allowedRegions],
    region: config.region,
    baselineTargets: [...config.baselineTargets],
    baselineExcludeAccounts: [...config.baselineExcludeAccounts],
    scpTargets: config.scpTargets as OrganizationAuditConfig['scpTargets'],
    ...(config.managementAccountId ? { managementAccountId: config.managementAccountId } : {}),
    ...(config.securityToolingAccountId ? { securityToolingAccountId: config.securityToolingAccountId } : {}),
    auditRoleName: config.auditRoleName,
    auditorRoleName: config.auditorRoleName,
    baselineStackSets: [sets.global, sets.regional],
    stackPrefix: config.stackPrefix,
    breakGlassRoleName: config.breakGlassRoleName,
    pipelineRoleName: config.pipelineRoleName,
  };
}
