import { GROUP_NAMES } from '../config/schema';

/** The kinds of people the identity stack serves: one group, one role and one permission set each. */
export type AccessLevel = typeof GROUP_NAMES[number];

export interface AccessLevelSpec {
  /** AWS managed policies (name after `policy/`) that define what the level may do. */
  readonly managedPolicies: readonly string[];
  readonly description: string;
}

/**
 * What each access level may do, as AWS-maintained job-function policies: they follow new
 * services without edits here. Every group also carries require-mfa; every role requires MFA.
 */
export const ACCESS_LEVELS: Readonly<Record<AccessLevel, AccessLevelSpec>> = {
  administrators: { managedPolicies: ['AdministratorAccess'], description: 'administers the account (capped by the permissions boundary)' },
  operators: { managedPolicies: ['PowerUserAccess'], description: 'operates workloads; no IAM or Organizations administration' },
  auditors: { managedPolicies: ['SecurityAudit', 'job-function/ViewOnlyAccess'], description: 'reads configuration and security state; no data access' },
};

/** The cdk-nag finding id for an AWS managed policy attached to a group or role. */
export function managedPolicyFinding(name: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
}

/** The acknowledgement reason for an access level's AWS managed policy. */
export function managedPolicyReason(level: AccessLevel, name: string): string {
  return `${name} is the AWS-maintained job-function policy defining the ${level} access level; the principal also requires MFA`;
}
