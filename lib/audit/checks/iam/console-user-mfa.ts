import { userRows } from '../../credential-report';
import { defineCheck, userResource, usersResource } from '../check';

/** Every IAM user with a console password has MFA (CIS 1.10); users without a password are not flagged. */
export default defineCheck({
  id: 'iam-console-user-mfa',
  controlId: 'IAM-MFA',
  title: 'Console users have MFA',
  severity: 'error',
  remediation: 'Assign an MFA device to the user, or remove the console password (aws iam delete-login-profile); prefer federation.',
}, (s, _settings, emit) => {
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(usersResource(s), report.failure);
  const console = userRows(report.value).filter((u) => u.passwordEnabled === true);
  const without = console.filter((u) => !u.mfaActive);
  for (const u of without) emit.fail(userResource(s, u.arn), `user ${u.user} has a console password and no MFA`);
  if (without.length === 0) emit.pass(usersResource(s), `all ${console.length} console users have MFA`);
});
