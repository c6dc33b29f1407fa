import { userRows } from '../../credential-report';
import { ageDays, defineCheck, userResource, usersResource } from '../check';

/** Active access keys were rotated within the last 90 days (CIS 1.14). */
export default defineCheck({
  id: 'iam-key-rotation',
  controlId: 'IAM-KEYS',
  title: 'Access keys rotated within 90 days',
  severity: 'error',
  remediation: 'Create a new access key, move its users to it, deactivate and delete the old one — or replace the key with a role.',
}, (s, settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  let failed = 0;
  for (const u of userRows(report.value)) {
    u.keys.forEach((k, i) => {
      if (!k.active) return;
      if (k.lastRotated === undefined) {
        failed++;
        emit.fail(userResource(s, u.arn), `user ${u.user} access key ${i + 1} is active and its rotation date is unknown`);
        return;
      }
      const age = ageDays(k.lastRotated, settings.now);
      if (age > settings.keyMaxAgeDays) {
        failed++;
        emit.fail(userResource(s, u.arn), `user ${u.user} access key ${i + 1} is ${age} days old (limit ${settings.keyMaxAgeDays})`);
      }
    });
  }
  if (failed === 0) emit.pass(usersResource(s), `every active access key was rotated within ${settings.keyMaxAgeDays} days`);
});
