import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { ACCESS_LEVELS, AccessLevel } from './human-access';

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
  /**
   * The MFA-bound human role (carrying the permissions boundary) each group's members may assume.
   * This is all a group grants beyond MFA and password self-service: people work through the role,
   * so the boundary caps them, and a member of one group cannot assume another level's role.
   * @default - none: the group grants nothing but MFA and password self-service
   */
  readonly roles?: Partial<Record<AccessLevel, iam.IRole>>;
}

/**
 * IAM groups for people (IAM-MFA, CIS 1.15 permissions through groups): each carries the
 * require-mfa policy from policies/iam/require-mfa.json — nothing but MFA enrolment works without
 * MFA, and the key-absent case (access keys) is denied too — and policies/iam/human-group.json,
 * which lets members assume their own level's human role and change their own password, nothing
 * more. The access level's permissions are on the role, which requires MFA and carries the
 * permissions boundary: group members cannot bypass the boundary.
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
      const role = props.roles?.[level];
      const managedPolicies: iam.IManagedPolicy[] = [this.requireMfa];
      if (role) {
        managedPolicies.push(new iam.ManagedPolicy(this, `${pascal(level)}AssumeRole`, {
          description: `members may assume the ${level} human role (MFA-bound, bounded) and change their own password (policies/iam/human-group.json)`,
          document: iam.PolicyDocument.fromJson(loadPolicy('iam/human-group', { Partition: Aws.PARTITION, AccountId: Aws.ACCOUNT_ID, RoleName: role.roleName })),
        }));
      }
      this.groups[level] = new iam.Group(this, pascal(level), {
        groupName: props.namePrefix ? `${props.namePrefix}-${level}` : undefined,
        managedPolicies,
      });
    }
  }
}

function pascal(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
