import { Finding } from '../../findings';
import { AccountSnapshot, CheckSettings } from '../types';
import { AuditCheck } from './check';
import accountAccessAnalyzer from './account/access-analyzer';
import accountConfigRecording from './account/config-recording';
import accountEbsEncryptionDefault from './account/ebs-encryption-default';
import accountS3PublicAccessBlock from './account/s3-public-access-block';
import { backupPlanCoverage, backupVaultLock } from './backup';
import { cloudformationDrift } from './cloudformation';
import { cloudtrailMultiRegionLogging, cloudtrailPiiDataEvents } from './cloudtrail';
import { cloudwatchCisAlarms, cloudwatchTrailLogGroup } from './cloudwatch';
import { eventsSecurityRules } from './events';
import guarddutyCentral from './guardduty/central';
import guarddutyEnabled from './guardduty/enabled';
import guarddutyProtectionPlans from './guardduty/protection-plans';
import guarddutyTriage from './guardduty/triage';
import consoleUserMfa from './iam/console-user-mfa';
import keyInitialSetup from './iam/key-initial-setup';
import keyRotation from './iam/key-rotation';
import keySingleActive from './iam/key-single-active';
import keyUnused from './iam/key-unused';
import passwordPolicy from './iam/password-policy';
import rootAccessKeys from './iam/root-access-keys';
import rootHardwareMfa from './iam/root-hardware-mfa';
import rootMfa from './iam/root-mfa';
import rootRecentUse from './iam/root-recent-use';
import userMfaGroup from './iam/user-mfa-group';
import mfaRecentEnrolment from './iam/mfa-recent-enrolment';
import mfaSingleDevice from './iam/mfa-single-device';
import noUsers from './iam/no-users';
import privilegedHardwareMfa from './iam/privileged-hardware-mfa';
import kmsKeyPolicy from './kms/key-policy';
import kmsKeyRotation from './kms/key-rotation';
import { snsAlertTopics } from './sns';

export * from './check';

/** Every live check, grouped by service. */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  rootMfa, rootHardwareMfa, rootAccessKeys, rootRecentUse,
  consoleUserMfa, userMfaGroup,
  keyRotation, keyUnused, keySingleActive, keyInitialSetup,
  passwordPolicy,
  guarddutyEnabled, guarddutyProtectionPlans, guarddutyTriage, guarddutyCentral,
  cloudtrailMultiRegionLogging, cloudtrailPiiDataEvents,
  cloudwatchCisAlarms, cloudwatchTrailLogGroup,
  eventsSecurityRules, snsAlertTopics,
  mfaSingleDevice, privilegedHardwareMfa, mfaRecentEnrolment, noUsers,
  accountS3PublicAccessBlock, accountEbsEncryptionDefault, accountAccessAnalyzer, accountConfigRecording,
  kmsKeyRotation, kmsKeyPolicy,
  backupVaultLock, backupPlanCoverage,
  cloudformationDrift,
];

/** Runs every check over one account snapshot. */
export function evaluateSnapshot(snapshot: AccountSnapshot, settings: CheckSettings, checks: readonly AuditCheck[] = AUDIT_CHECKS): Finding[] {
  return checks.flatMap((c) => c.evaluate(snapshot, settings));
}
