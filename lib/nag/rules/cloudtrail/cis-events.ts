/**
 * How BreachLessons recognizes a CloudWatch Logs metric filter for each CIS AWS Foundations 4.x
 * monitoring item: by what its pattern says (the event names it matches, the error codes, the
 * identity type), not by its text. A filter may name more events, quote them or not, order them
 * differently, or match several with a wildcard (`$.eventName = Delete*`).
 */
export interface CisItem {
  readonly cis: string;
  readonly title: string;
  /** Every one of these event names must be matched by a positive `$.eventName = ...` term. */
  readonly events?: readonly string[];
  /** Further terms the pattern must contain. */
  readonly terms?: readonly RegExp[];
}

export const CIS_ITEMS: readonly CisItem[] = [
  { cis: '4.1', title: 'unauthorized API calls', terms: [/\$\.errorCode\s*=\s*"?\*?UnauthorizedOperation/, /\$\.errorCode\s*=\s*"?AccessDenied/] },
  { cis: '4.2', title: 'console sign-in without MFA', events: ['ConsoleLogin'], terms: [/\$\.additionalEventData\.MFAUsed\s*(!=\s*"?Yes|=\s*"?No)/] },
  { cis: '4.3', title: 'root user usage', terms: [/\$\.userIdentity\.type\s*=\s*"?Root/] },
  { cis: '4.4', title: 'IAM policy changes', events: ['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'] },
  { cis: '4.5', title: 'CloudTrail configuration changes', events: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'] },
  { cis: '4.6', title: 'console authentication failures', events: ['ConsoleLogin'], terms: [/\$\.errorMessage\s*=\s*"?Failed authentication/] },
  { cis: '4.7', title: 'disabling or scheduled deletion of customer-managed keys', events: ['DisableKey', 'ScheduleKeyDeletion'] },
  { cis: '4.8', title: 'S3 bucket policy changes', events: ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'] },
  { cis: '4.9', title: 'AWS Config changes', events: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'] },
  { cis: '4.10', title: 'security group changes', events: ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'] },
  { cis: '4.11', title: 'network ACL changes', events: ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'] },
  { cis: '4.12', title: 'network gateway changes', events: ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'] },
  { cis: '4.13', title: 'route table changes', events: ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'] },
  // ClassicLink events are left out: EC2-Classic is retired and newer CIS versions drop them.
  { cis: '4.14', title: 'VPC changes', events: ['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection'] },
  { cis: '4.15', title: 'AWS Organizations changes', terms: [/\$\.eventSource\s*=\s*"?organizations\.amazonaws\.com/], events: ['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'] },
];

const glob = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The event names a filter pattern matches positively (`$.eventName = X`, not `!=`), as patterns. */
export function namedEvents(pattern: string): RegExp[] {
  const out: RegExp[] = [];
  for (const m of pattern.matchAll(/\$\.eventName\s*=\s*"?([A-Za-z0-9_*?-]+)"?/g)) out.push(glob(m[1]));
  return out;
}

/** The CIS items a metric filter pattern covers. */
export function cisItemsOf(pattern: string): string[] {
  const events = namedEvents(pattern);
  return CIS_ITEMS.filter((item) => (item.terms ?? []).every((t) => t.test(pattern))
    && (item.events ?? []).every((e) => events.some((re) => re.test(e)))).map((i) => i.cis);
}
