import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { ACCESS_LEVELS, AccessLevel, managedPolicyFinding, managedPolicyReason } from './human-access';

export interface MfaEnforcedGroupsProps {
  /**
   * The access levels to create a group for.
   * @default - administrators, operators, auditors
   */
  readonly accessLevels?: readonly AccessLevel[];
  /**
   * Prefix of the group names (`<prefix>-administrators`).
   * @default - CloudFormation-generated names
   */
  readonly namePrefix?: string;
}

/**
 * IAM groups for people (IAM-MFA, CIS 1.15 permissions through groups): each carries the
 * require-mfa policy from policies/iam/require-mfa.json — nothing but MFA enrolment works without
 * MFA, and the key-absent case (access keys) is denied too — and its access level's policies.
 * Membership is managed outside this app, which creates no IAM users (IAM-NOUSERS).
 */
export class MfaEnforcedGroups extends Construct {
  public readonly requireMfa: iam.ManagedPolicy;
  public readonly groups: Partial<Record<AccessLevel, iam.Group>> = {};

  constructor(scope: Construct, id: string, props: MfaEnforcedGroupsProps = {}) {
    super(scope, id);
    const levels = props.accessLevels ?? (Object.keys(ACCESS_LEVELS) as AccessLevel[]);
    if (new Set(levels).size !== levels.length) throw new Error(`access levels listed twice: ${levels.join(', ')}`);
    for (const level of levels) {
      if (!(level in ACCESS_LEVELS)) throw new Error(`unknown access level '${level}'; expected one of ${Object.keys(ACCESS_LEVELS).join(', ')}`);
    }
    this.requireMfa = new iam.ManagedPolicy(this, 'RequireMfa', {
      description: 'deny everything but MFA self-service unless signed in with MFA (policies/iam/require-mfa.json)',
      document: iam.PolicyDocument.fromJson(loadPolicy('iam/require-mfa', { Partition: Aws.PARTITION, AccountId: Aws.ACCOUNT_ID })),
    });
    acknowledgeNag(this.requireMfa, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:mfa/*]',
      'users name their virtual MFA device at enrolment, so the device ARN cannot be known; creating a device grants nothing until enabled on one\'s own user');
    for (const level of levels) {
      const spec = ACCESS_LEVELS[level];
      const group = new iam.Group(this, pascal(level), {
        groupName: props.namePrefix ? `${props.namePrefix}-${level}` : undefined,
        managedPolicies: [this.requireMfa, ...spec.managedPolicies.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n))],
      });
      for (const name of spec.managedPolicies) acknowledgeNag(group, managedPolicyFinding(name), managedPolicyReason(level, name));
      this.groups[level] = group;
    }
  }
}

function pascal(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
