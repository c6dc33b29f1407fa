import { rootRow } from '../../credential-report';
import { defineCheck, rootResource } from '../check';

/** The root user has MFA (credential report `mfa_active`, else GetAccountSummary `AccountMFAEnabled`). */
export default defineCheck({
  id: 'iam-root-mfa',
  controlId: 'IAM-ROOT',
  title: 'Root user has MFA',
  severity: 'error',
  remediation: 'Sign in as root and assign an MFA device (a FIDO2 security key or hardware token).',
}, (s, _settings, emit) => {
  const r = rootResource(s);
  const report = s.iam.credentialReport;
  const root = report.ok ? rootRow(report.value) : undefined;
  let mfa: boolean;
  if (root) {
    mfa = root.mfaActive;
  } else if (s.iam.accountSummary.ok && s.iam.accountSummary.value.AccountMFAEnabled !== undefined) {
    mfa = s.iam.accountSummary.value.AccountMFAEnabled === 1;
  } else if (!report.ok) {
    return emit.error(r, report.failure);
  } else {
    return emit.error(r, { action: 'iam:GetCredentialReport', kind: 'error', message: 'the report has no <root_account> row' });
  }
  if (mfa) emit.pass(r, 'root user has MFA');
  else emit.fail(r, 'root user has no MFA device');
});
