/**
 * The shape of an AWS Organizations id, shared by the pack's `organizationId` prop and
 * `cdk-hardening check --organization-id` (kept free of aws-cdk-lib so the CLI can check it at start).
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** Whether a value is an AWS Organizations id such as o-a1b2c3d4e5. */
export function isOrganizationId(value: unknown): value is string {
  return typeof value === 'string' && ORGANIZATION_ID.test(value);
}
