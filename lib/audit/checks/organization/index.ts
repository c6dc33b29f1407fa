import guarddutyAutoEnable from './guardduty-auto-enable';
import organizationTrail from './organization-trail';
import scpAttached from './scp-attached';
import stacksetBaseline from './stackset-instances';
import { OrganizationCheck, OrganizationCheckInput } from './check';
import { Finding } from '../../../findings';

export * from './check';
export { renderedScp } from './scp-attached';

/** The organization-level checks (issue 13), run once per audit in organization mode. */
export const ORGANIZATION_CHECKS: readonly OrganizationCheck[] = [organizationTrail, guarddutyAutoEnable, stacksetBaseline, scpAttached];

export function evaluateOrganization(input: OrganizationCheckInput, checks: readonly OrganizationCheck[] = ORGANIZATION_CHECKS): Finding[] {
  return checks.flatMap((c) => c.evaluate(input));
}
