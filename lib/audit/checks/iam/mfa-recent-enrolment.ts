import { defineCheck, userResource, usersResource } from '../check';
import { privilegedDevices } from './mfa-devices';

const DAY_MS = 86_400_000;

/**
 * No MFA device was enabled in the last `mfaRecentDays` days without being looked at: a new device
 * is the attacker's persistence after a phished session or a social-engineered reset. Each recent
 * enrolment is a FAIL to confirm with the user (and acknowledge), never silently accepted.
 */
export default defineCheck({
  id: 'iam-mfa-recent-enrolment',
  controlId: 'IAM-MFA',
  title: 'No MFA device enrolled recently without review',
  severity: 'warning',
  remediation: 'Confirm with the user (out of band) that they enrolled the device; if not, deactivate it, revoke the user\'s sessions and rotate their credentials.',
}, (s, settings, emit) => {
  const virtual = s.iam.virtualMfaDevices;
  if (!virtual.ok) return emit.error(usersResource(s), virtual.failure);
  const privileged = privilegedDevices(s);
  if ('missing' in privileged) return emit.cannotVerify(usersResource(s), privileged.missing);
  if (!privileged.ok) return emit.error(usersResource(s), privileged.failure);
  const since = settings.now.getTime() - settings.mfaRecentDays * DAY_MS;
  const seen = new Set<string>();
  const recent: { arn: string; serial: string; at: string }[] = [];
  const consider = (arn: string | undefined, serial: string, at: string | undefined): void => {
    if (!arn || at === undefined || seen.has(serial)) return;
    seen.add(serial);
    if (Date.parse(at) > since) recent.push({ arn, serial, at });
  };
  for (const d of virtual.value) consider(d.userArn, d.serialNumber, d.enableDate);
  for (const u of privileged.value) for (const d of u.devices) consider(u.arn, d.serialNumber, d.enableDate);
  for (const r of recent) {
    const resource = /:root$/.test(r.arn) ? { ...userResource(s, r.arn), type: 'AWS::IAM::Root' } : userResource(s, r.arn);
    emit.fail(resource, `MFA device ${r.serial} of ${r.arn.split(/[/:]/).pop()} was enabled ${r.at}, within the last ${settings.mfaRecentDays} days`);
  }
  if (recent.length === 0) emit.pass(usersResource(s), `no MFA device enabled in the last ${settings.mfaRecentDays} days (${seen.size} devices with an enable date)`);
});
