/**
 * The example organization of docs/organization.md, as `-c` strings: what a platform engineer types.
 * Three governed regions, two baseline OUs, one excluded account, three SCPs and the data-perimeter RCP attached.
 */
export const ORGANIZATION_EXAMPLE: Record<string, unknown> = {
  'hardening:deploymentMode': 'organization',
  'hardening:organizationId': 'o-a1b2c3d4e5',
  'hardening:managementAccountId': '111111111111',
  'hardening:securityToolingAccountId': '222222222222',
  'hardening:logArchiveAccountId': '333333333333',
  'hardening:allowedRegions': 'us-east-1,us-west-2,eu-west-1',
  'hardening:governedRegions': 'us-east-1,us-west-2,eu-west-1',
  'hardening:baselineTargets': 'ou-ab12-cdefgh34,ou-ab12-ijklmn56',
  'hardening:baselineExcludeAccounts': '444444444444',
  'hardening:scpTargets': '{"protect-security-services":["r-ab12"],"deny-root-user":["r-ab12"],"region-guard":["ou-ab12-cdefgh34"]}',
  'hardening:rcpTargets': '{"data-perimeter":["r-ab12"]}',
};

/** The same keys as `-c key=value` arguments for `cdk synth`. */
export function organizationCliArgs(context: Record<string, unknown> = ORGANIZATION_EXAMPLE): string[] {
  return Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${String(v)}`]);
}
