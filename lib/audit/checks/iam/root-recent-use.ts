import { rootRow } from '../../credential-report';
import { ageDays, defineCheck, rootResource } from '../check';

/** The root user was not used recently (password or access key), so it is not a daily account. */
export default defineCheck({
  id: 'iam-root-recent-use',
  controlId: 'IAM-ROOT',
  title: 'Root user not used for daily work',
  severity: 'warning',
  remediation: 'Use federated roles for daily work; keep root for the few tasks that need it and review why it was used.',
}, (s, settings, emit) => {
  const r = rootResource(s);
  const report = s.iam.credentialReport;
  if (!report.ok) return emit.error(r, report.failure);
  const root = rootRow(report.value);
  if (!root) return emit.error(r, { action: 'iam:GetCredentialReport', kind: 'error', message: 'the report has no <root_account> row' });
  const uses = [
    { what: 'password', at: root.passwordLastUsed },
    { what: 'access key 1', at: root.keys[0].lastUsedDate },
    { what: 'access key 2', at: root.keys[1].lastUsedDate },
  ].filter((u): u is { what: string; at: string } => u.at !== undefined)
    .filter((u) => ageDays(u.at, settings.now) < settings.rootRecentUseDays);
  if (uses.length > 0) {
    emit.fail(r, `root user used within the last ${settings.rootRecentUseDays} days: ${uses.map((u) => `${u.what} at ${u.at}`).join(', ')}`);
  } else {
    emit.pass(r, `root user not used within the last ${settings.rootRecentUseDays} days`);
  }
});
