import { userRows } from '../../credential-report';
import { ageDays, defineCheck, userResource, usersResource } from '../check';

/**
 * Credentials unused for 45 days are disabled (CIS 1.12): an active key (or console password) not
 * used — or never used and older than — the limit fails.
 */
export default defineCheck({
  id: 'iam-key-unused',
  controlId: 'IAM-KEYS',
  title: 'No credential unused for 45 days',
  severity: 'warning',
  remediation: 'Deactivate and delete the unused access key (or console password); the user can ask for a new one when needed.',
}, (s, settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  const limit = settings.keyUnusedDays;
  let failed = 0;
  for (const u of userRows(report.value)) {
    u.keys.forEach((k, i) => {
      if (!k.active) return;
      const since = k.lastUsedDate ?? k.lastRotated ?? u.userCreationTime;
      if (since === undefined || ageDays(since, settings.now) > limit) {
        failed++;
        const how = k.lastUsedDate ? `last used ${k.lastUsedDate}` : 'never used';
        emit.fail(userResource(s, u.arn), `user ${u.user} access key ${i + 1} is active and ${how} (limit ${limit} days)`);
      }
    });
    if (u.passwordEnabled === true) {
      const since = u.passwordLastUsed ?? u.passwordLastChanged ?? u.userCreationTime;
      if (since === undefined || ageDays(since, settings.now) > limit) {
        failed++;
        const how = u.passwordLastUsed ? `last used ${u.passwordLastUsed}` : 'never used';
        emit.fail(userResource(s, u.arn), `user ${u.user} console password is enabled and ${how} (limit ${limit} days)`);
      }
    }
  }
  if (failed === 0) emit.pass(usersResource(s), `every enabled credential was used within ${limit} days`);
});
