/**
 * The CIS AWS Foundations Benchmark v4.0.1 section 4 monitoring controls (LOG-ALARMS): one
 * CloudWatch Logs metric filter and alarm each, on the CloudTrail log group.
 */
export interface CisMetricFilter {
  /** CIS recommendation number. */
  readonly cis: string;
  /** PascalCase name used for construct ids and the metric name. */
  readonly name: string;
  readonly description: string;
  readonly pattern: string;
}

const anyEvent = (names: string[]): string => names.map((n) => `($.eventName = ${n})`).join(' || ');

export const CIS_METRIC_FILTERS: readonly CisMetricFilter[] = [
  { cis: '4.1', name: 'UnauthorizedApiCalls', description: 'unauthorized API calls',
    pattern: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }' },
  { cis: '4.2', name: 'ConsoleSignInWithoutMfa', description: 'management console sign-in without MFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }' },
  { cis: '4.3', name: 'RootAccountUsage', description: 'usage of the root user',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }' },
  { cis: '4.4', name: 'IamPolicyChanges', description: 'IAM policy changes',
    pattern: `{ ${anyEvent(['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'])} }` },
  { cis: '4.5', name: 'CloudTrailConfigChanges', description: 'CloudTrail configuration changes',
    pattern: `{ ${anyEvent(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }` },
  { cis: '4.6', name: 'ConsoleAuthFailures', description: 'management console authentication failures',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }' },
  { cis: '4.7', name: 'CmkDisableOrDeletion', description: 'disabling or scheduled deletion of customer-managed keys',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }' },
  { cis: '4.8', name: 'S3BucketPolicyChanges', description: 'S3 bucket policy changes',
    pattern: `{ ($.eventSource = s3.amazonaws.com) && (${anyEvent(['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'])}) }` },
  { cis: '4.9', name: 'ConfigChanges', description: 'AWS Config configuration changes',
    pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyEvent(['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'])}) }` },
  { cis: '4.10', name: 'SecurityGroupChanges', description: 'security group changes',
    pattern: `{ ${anyEvent(['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'])} }` },
  { cis: '4.11', name: 'NaclChanges', description: 'network ACL changes',
    pattern: `{ ${anyEvent(['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'])} }` },
  { cis: '4.12', name: 'NetworkGatewayChanges', description: 'network gateway changes',
    pattern: `{ ${anyEvent(['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'])} }` },
  { cis: '4.13', name: 'RouteTableChanges', description: 'route table changes',
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${anyEvent(['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'])}) }` },
  { cis: '4.14', name: 'VpcChanges', description: 'VPC changes',
    pattern: `{ ${anyEvent(['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'])} }` },
  { cis: '4.15', name: 'OrganizationsChanges', description: 'AWS Organizations changes',
    pattern: `{ ($.eventSource = organizations.amazonaws.com) && (${anyEvent(['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'])}) }` },
];
