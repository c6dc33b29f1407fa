import type { HardeningConfig } from '../config/config';
import { securityNamePrefix } from '../policies';
import { recoverySettings } from './backup-types';
import type { AuditOptions } from './run';

/**
 * What the audit compares against, from the configuration the stacks were built with (cdk.json's
 * `hardening:` keys): the security name prefix, log retention, the vault and its lock, the stack prefix,
 * and the audit's own keys (break-glass users, key administrators, the MFA enrolment window).
 */
export function auditSettingsFromConfig(c: HardeningConfig): Required<Pick<AuditOptions, 'logging' | 'recovery' | 'drift' | 'thresholds'>> {
  return {
    logging: { securityNamePrefix: securityNamePrefix(c.stackPrefix), minLogRetentionDays: c.logRetentionDays },
    recovery: recoverySettings(c),
    drift: { stackPrefix: c.stackPrefix },
    thresholds: { breakGlassUsers: [...c.breakGlassUsers], keyAdministrators: [...c.keyAdministratorArns], mfaRecentDays: c.mfaRecentDays },
  };
}
