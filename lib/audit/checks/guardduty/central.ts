import { defineCheck, detectorResource } from '../check';
import { forEachRegion } from './scope';

/**
 * When the account is in an organization, GuardDuty is centrally managed: in each region the account
 * either has an enabled administrator relationship, or is the delegated administrator auto-enabling
 * every member (ALL).
 */
export default defineCheck({
  id: 'guardduty-central',
  controlId: 'GD-CENTRAL',
  title: 'GuardDuty centrally managed in an organization',
  severity: 'warning',
  remediation: 'From the management account: aws guardduty enable-organization-admin-account --admin-account-id <security account>; then, as that administrator, update-organization-configuration --auto-enable-organization-members ALL.',
}, (s, _settings, emit) => {
  const org = s.organization;
  if (!org.ok) return emit.error(detectorResource(s, '*'), org.failure);
  if (org.value === null) return emit.pass(detectorResource(s, '*'), 'account is in no organization: central management does not apply');
  const o = org.value;
  forEachRegion(s, emit, (g) => {
    const r = detectorResource(s, g.region);
    const admin = g.administrator;
    if (admin === undefined) return emit.error(r, { action: 'guardduty:GetAdministratorAccount', kind: 'error', message: `not collected in ${g.region}` });
    if (!admin.ok) return emit.error(r, admin.failure);
    if (admin.value && admin.value.relationshipStatus === 'Enabled') {
      return emit.pass(r, `managed by GuardDuty administrator ${admin.value.accountId} in ${g.region}`);
    }
    const conf = g.organizationConfiguration;
    if (conf === undefined) return emit.error(r, { action: 'guardduty:DescribeOrganizationConfiguration', kind: 'error', message: `not collected in ${g.region}` });
    if (!conf.ok) return emit.error(r, conf.failure);
    if (conf.value !== null) {
      if (conf.value.autoEnableOrganizationMembers === 'ALL') return emit.pass(r, `delegated GuardDuty administrator of ${o.id} in ${g.region}, auto-enabling all members`);
      return emit.fail(r, `delegated GuardDuty administrator of ${o.id} in ${g.region} auto-enables ${conf.value.autoEnableOrganizationMembers}, not ALL members`);
    }
    const rel = admin.value ? ` (administrator ${admin.value.accountId} relationship ${admin.value.relationshipStatus})` : '';
    emit.fail(r, `account is in organization ${o.id} but GuardDuty in ${g.region} has no enabled administrator${rel}`);
  });
});
