import { defineCheck, passwordPolicyResource } from '../check';

export const MIN_PASSWORD_LENGTH = 14;
export const MIN_PASSWORD_REUSE_PREVENTION = 24;

/** The account password policy: length >= 14 (CIS 1.8), reuse prevention 24 (CIS 1.9), every character class. */
export default defineCheck({
  id: 'iam-password-policy',
  controlId: 'IAM-PASSWORD',
  title: 'Password policy: length 14, reuse 24, all character classes',
  severity: 'error',
  remediation: 'aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters',
}, (s, _settings, emit) => {
  const r = passwordPolicyResource(s);
  const pp = s.iam.passwordPolicy;
  if (!pp.ok) return emit.error(r, pp.failure);
  const p = pp.value;
  if (p === null) return emit.fail(r, 'the account has no password policy (AWS defaults: 8 characters, no reuse prevention)');
  const gaps: string[] = [];
  if ((p.minimumPasswordLength ?? 0) < MIN_PASSWORD_LENGTH) gaps.push(`minimum length ${p.minimumPasswordLength ?? 'unset'} < ${MIN_PASSWORD_LENGTH}`);
  if ((p.passwordReusePrevention ?? 0) < MIN_PASSWORD_REUSE_PREVENTION) gaps.push(`reuse prevention ${p.passwordReusePrevention ?? 'unset'} < ${MIN_PASSWORD_REUSE_PREVENTION}`);
  const classes = [
    ['symbols', p.requireSymbols], ['numbers', p.requireNumbers],
    ['uppercase', p.requireUppercaseCharacters], ['lowercase', p.requireLowercaseCharacters],
  ].filter(([, on]) => on !== true).map(([name]) => name);
  if (classes.length > 0) gaps.push(`does not require ${classes.join(', ')}`);
  if (gaps.length > 0) emit.fail(r, `password policy too weak: ${gaps.join('; ')}`);
  else emit.pass(r, `password policy: length >= ${p.minimumPasswordLength}, reuse prevention ${p.passwordReusePrevention}, all character classes`);
});
