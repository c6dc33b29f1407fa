import { userRows } from '../../credential-report';
import { defineCheck, userResource, usersResource } from '../check';

/** A user has at most one active access key (CIS 1.13). */
export default defineCheck({
  id: 'iam-key-single-active',
  controlId: 'IAM-KEYS',
  title: 'At most one active access key per user',
  severity: 'warning',
  remediation: 'Finish the rotation: deactivate and delete the older of the two active keys.',
}, (s, _settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  const two = userRows(report.value).filter((u) => u.keys[0].active && u.keys[1].active);
  for (const u of two) emit.fail(userResource(s, u.arn), `user ${u.user} has two active access keys`);
  if (two.length === 0) emit.pass(usersResource(s), 'no user has two active access keys');
});
