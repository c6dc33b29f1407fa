import { rootRow } from '../../credential-report';
import { defineCheck, rootResource } from '../check';

/** The root user has no active access key (CIS 1.4). */
export default defineCheck({
  id: 'iam-root-access-keys',
  controlId: 'IAM-ROOT',
  title: 'Root user has no access keys',
  severity: 'error',
  remediation: 'Sign in as root and delete its access keys (Security credentials > Access keys); use roles instead.',
}, (s, _settings, emit) => {
  const r = rootResource(s);
  const report = s.iam.credentialReport;
  const root = report.ok ? rootRow(report.value) : undefined;
  let active: number;
  if (root) {
    active = root.keys.filter((k) => k.active).length;
  } else if (s.iam.accountSummary.ok && s.iam.accountSummary.value.AccountAccessKeysPresent !== undefined) {
    active = s.iam.accountSummary.value.AccountAccessKeysPresent;
  } else if (!report.ok) {
    return emit.error(r, report.failure);
  } else {
    return emit.error(r, { action: 'iam:GetCredentialReport', kind: 'error', message: 'the report has no <root_account> row' });
  }
  if (active > 0) emit.fail(r, `root user has ${active} active access key${active > 1 ? 's' : ''}`);
  else emit.pass(r, 'root user has no active access key');
});
