import { defineCheck, userResource, usersResource } from '../check';
import { privilegedDevices } from './mfa-devices';

/**
 * No user has more than one MFA device: a second device is how an attacker who phished a session
 * keeps MFA access (T1098.005, device registration). Virtual devices of every user come from one
 * listing; every device type of the privileged users from iam:ListMFADevices.
 */
export default defineCheck({
  id: 'iam-mfa-single-device',
  controlId: 'IAM-MFA',
  title: 'No user has more than one MFA device',
  severity: 'error',
  remediation: 'Find out who enrolled the extra device (CloudTrail EnableMFADevice / CreateVirtualMFADevice), deactivate it (aws iam deactivate-mfa-device) and delete it.',
}, (s, _settings, emit) => {
  const virtual = s.iam.virtualMfaDevices;
  if (!virtual.ok) return emit.error(usersResource(s), virtual.failure);
  const privileged = privilegedDevices(s);
  if ('missing' in privileged) return emit.cannotVerify(usersResource(s), privileged.missing);
  if (!privileged.ok) return emit.error(usersResource(s), privileged.failure);
  const byUser = new Map<string, Set<string>>();
  const add = (arn: string, serial: string): void => { byUser.set(arn, (byUser.get(arn) ?? new Set()).add(serial)); };
  for (const d of virtual.value) if (d.userArn && !/:root$/.test(d.userArn)) add(d.userArn, d.serialNumber);
  for (const u of privileged.value) for (const d of u.devices) add(u.arn, d.serialNumber);
  const many = [...byUser].filter(([, serials]) => serials.size > 1).sort(([a], [b]) => a.localeCompare(b));
  for (const [arn, serials] of many) {
    emit.fail(userResource(s, arn), `user ${arn.split('/').pop()} has ${serials.size} MFA devices: ${[...serials].sort().join(', ')}`);
  }
  if (many.length === 0) {
    emit.pass(usersResource(s), `no user has more than one MFA device (virtual devices of all users; every device of ${privileged.value.length} privileged users)`);
  }
});
