import { defineCheck, rootResource } from '../check';

/**
 * Root MFA is hardware or FIDO2, not a virtual TOTP app: AccountMFAEnabled is 1 and no virtual
 * MFA device is assigned to root. Only FIDO2 keys resist phishing; TOTP codes can be relayed.
 */
export default defineCheck({
  id: 'iam-root-hardware-mfa',
  controlId: 'IAM-ROOT',
  title: 'Root MFA is a hardware or FIDO2 device',
  severity: 'warning',
  remediation: 'Replace the root user\'s virtual MFA device with a FIDO2 security key (or a hardware TOTP token).',
}, (s, _settings, emit) => {
  const r = rootResource(s);
  const summary = s.iam.accountSummary;
  if (!summary.ok) return emit.error(r, summary.failure);
  const devices = s.iam.virtualMfaDevices;
  if (!devices.ok) return emit.error(r, devices.failure);
  if (summary.value.AccountMFAEnabled !== 1) return emit.fail(r, 'root user has no MFA device at all');
  const virtual = devices.value.find((d) => d.userArn !== undefined && /:root$/.test(d.userArn));
  if (virtual) emit.fail(r, `root MFA is a virtual device (${virtual.serialNumber}); TOTP codes can be phished`);
  else emit.pass(r, 'root MFA is a hardware or FIDO2 device');
});
