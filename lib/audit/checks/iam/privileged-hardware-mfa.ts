import { privilegedUsers } from '../../privileged';
import { defineCheck, userResource, usersResource } from '../check';
import { isVirtualSerial, privilegedDevices } from './mfa-devices';

/**
 * Privileged users sign in with a FIDO2 or hardware device, not only a virtual TOTP app: TOTP codes
 * are relayed by phishing kits and help-desk social engineering (lesson L1).
 */
export default defineCheck({
  id: 'iam-privileged-hardware-mfa',
  controlId: 'IAM-MFA',
  title: 'Privileged users have a FIDO2 or hardware MFA device',
  severity: 'error',
  remediation: 'Register a FIDO2 security key for the user and remove the virtual device; better, replace the IAM user with federation.',
}, (s, _settings, emit) => {
  const auth = s.iam.authorization;
  if (!auth.ok) return emit.error(usersResource(s), auth.failure);
  const devices = privilegedDevices(s);
  if ('missing' in devices) return emit.cannotVerify(usersResource(s), devices.missing);
  if (!devices.ok) return emit.error(usersResource(s), devices.failure);
  const byArn = new Map(devices.value.map((u) => [u.arn, u.devices]));
  const privileged = privilegedUsers(auth.value, s.account);
  let bad = 0;
  for (const p of privileged) {
    const r = userResource(s, p.user.arn);
    const ds = byArn.get(p.user.arn);
    if (ds === undefined) {
      bad++;
      emit.cannotVerify(r, `privileged user ${p.user.name} (${p.why}): its MFA devices were not listed`);
    } else if (ds.length === 0) {
      bad++;
      emit.fail(r, `privileged user ${p.user.name} (${p.why}) has no MFA device`);
    } else if (ds.every((d) => isVirtualSerial(d.serialNumber))) {
      bad++;
      emit.fail(r, `privileged user ${p.user.name} (${p.why}) has only virtual TOTP MFA (${ds.map((d) => d.serialNumber).join(', ')})`);
    }
  }
  if (bad === 0) emit.pass(usersResource(s), `all ${privileged.length} privileged users have a FIDO2 or hardware MFA device`);
});
