import { AccountSnapshot, Collected, UserMfaDevices } from '../../types';

/** A virtual (TOTP app) device's serial is an `:mfa/` ARN; FIDO keys are `:u2f/` ARNs; hardware TOTP tokens have plain serials. */
export const isVirtualSerial = (serial: string): boolean => /^arn:[^:]+:iam::\d{12}:mfa\//.test(serial);

/**
 * The privileged users' devices, or why they cannot be known: not collected at all (an older
 * collector, a snapshot without them) is a cannot-verify, never an empty list.
 */
export function privilegedDevices(s: AccountSnapshot): Collected<readonly UserMfaDevices[]> | { readonly missing: string } {
  const d = s.iam.privilegedMfaDevices;
  if (d === undefined) return { missing: 'the privileged users\' MFA devices (iam:ListMFADevices) were not collected' };
  return d;
}
