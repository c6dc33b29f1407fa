import { TrailDetail } from '../../logging-types';
import { ApiFailure } from '../../types';
import { defineOrganizationCheck, managementAccountOf, organizationResource } from './check';

/**
 * An organization trail (IsOrganizationTrail) of the management account, multi-region and logging
 * (cloudtrail:DescribeTrails and GetTrailStatus, from the management account's own audit).
 */
export default defineOrganizationCheck({
  id: 'org-organization-trail',
  controlId: 'LOG-TRAIL',
  title: 'An organization trail is logging every account',
  severity: 'error',
  remediation: 'Deploy the <prefix>OrgManagement stack (its organization trail); if the trail exists, aws cloudtrail start-logging --name <trail> from the management account.',
}, (input, emit) => {
  const o = input.organization.organization;
  const org = organizationResource(input);
  if (!o.ok) return emit.error(org, o.failure);
  if (o.value === null) return emit.fail(org, `account ${input.organization.callerAccount} is in no organization: there is no organization trail`);
  const mgmt = managementAccountOf(input)!;
  const snapshot = input.accounts.find((a) => a.account === mgmt);
  if (!snapshot) return emit.cannotVerify(org, `the management account ${mgmt} was not audited (does it hold the audit role?), so its trails are unseen`);
  if (!snapshot.regions.ok) return emit.error(org, snapshot.regions.failure);
  if (!snapshot.logging) return emit.cannotVerify(org, `the trails of the management account ${mgmt} were not collected`);
  const failures: ApiFailure[] = [];
  const details = new Map<string, TrailDetail>();
  const seen = new Map<string, { name: string; homeRegion: string; multiRegion: boolean }>();
  for (const region of snapshot.logging) {
    if (!region.trails.ok) failures.push(region.trails.failure);
    else for (const t of region.trails.value) if (t.organizationTrail && t.arn.split(':')[4] === mgmt) seen.set(t.arn, t);
    for (const d of region.trailDetails) details.set(d.trail.arn, d);
  }
  const problems: string[] = [];
  for (const [arn, t] of seen) {
    const resource = { id: arn, type: 'AWS::CloudTrail::Trail', account: mgmt, region: t.homeRegion };
    if (!t.multiRegion) {
      problems.push(`organization trail ${t.name} is not multi-region`);
      continue;
    }
    const d = details.get(arn);
    if (!d) {
      failures.push({ action: 'cloudtrail:GetTrailStatus', kind: 'error', message: `organization trail ${t.name}'s home region ${t.homeRegion} was not audited` });
      continue;
    }
    if (!d.status.ok) {
      failures.push(d.status.failure);
      continue;
    }
    if (d.status.value.isLogging) return emit.pass(resource, `organization trail ${t.name} of the management account ${mgmt} is multi-region and logging, for every account of ${o.value.id}`);
    problems.push(`organization trail ${t.name} is not logging (StopLogging)`);
  }
  if (failures.length > 0) return emit.error(org, failures[0]);
  if (problems.length > 0) return emit.fail(org, problems.join('; '));
  emit.fail(org, `the management account ${mgmt} has no organization trail (IsOrganizationTrail) in the audited regions`);
});
