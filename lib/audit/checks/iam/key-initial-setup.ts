import { userRows } from '../../credential-report';
import { defineCheck, userResource, usersResource } from '../check';

/** Keys made within this long of the user, and never used, were created "just in case" at setup. */
export const INITIAL_SETUP_WINDOW_MS = 3_600_000;

/** No access key created together with its user and never used (CIS 1.11). */
export default defineCheck({
  id: 'iam-key-initial-setup',
  controlId: 'IAM-KEYS',
  title: 'No access key created with the user and never used',
  severity: 'warning',
  remediation: 'Delete the never-used key; create access keys only when a user needs one (prefer roles).',
}, (s, _settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  let failed = 0;
  for (const u of userRows(report.value)) {
    const created = u.userCreationTime === undefined ? NaN : Date.parse(u.userCreationTime);
    u.keys.forEach((k, i) => {
      if (!k.active || k.lastUsedDate !== undefined) return;
      const rotated = k.lastRotated === undefined ? NaN : Date.parse(k.lastRotated);
      if (Number.isNaN(created) || Number.isNaN(rotated)) {
        // An active, never-used key whose dates the report does not give: never a silent pass.
        failed++;
        emit.cannotVerify(userResource(s, u.arn), `user ${u.user} access key ${i + 1} is active and never used, but the credential report gives no ${Number.isNaN(created) ? 'user creation time' : 'key creation time'}`);
        return;
      }
      if (Math.abs(rotated - created) <= INITIAL_SETUP_WINDOW_MS) {
        failed++;
        emit.fail(userResource(s, u.arn), `user ${u.user} access key ${i + 1} was created with the user and never used`);
      }
    });
  }
  if (failed === 0) emit.pass(usersResource(s), 'no never-used access key created with its user');
});
