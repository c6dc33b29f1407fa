import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct } from 'constructs';
import { AccountPasswordPolicy } from '../constructs/account-password-policy';
import { AccessLevel } from '../constructs/human-access';
import { HumanRole } from '../constructs/human-role';
import { IdentityCenterPermissionSets } from '../constructs/identity-center-permission-sets';
import { MfaEnforcedGroups } from '../constructs/mfa-enforced-groups';

export interface IdentityStackProps extends StackProps {
  /** Prefix of group, role and permission set names. */
  readonly namePrefix: string;
  readonly accessLevels: readonly AccessLevel[];
  readonly mfaMaxAgeSeconds: number;
  readonly roleMaxSessionSeconds: number;
  readonly passwordMaxAgeDays: number;
  /** Creates permission sets in this IAM Identity Center instance. @default - none */
  readonly identityCenterInstanceArn?: string;
}

/**
 * People prove who they are (L1) and a stolen credential opens little (L2): MFA-enforced groups,
 * MFA-conditioned roles with one-hour sessions, the account password policy, IAM Access Analyzer
 * and, when configured, Identity Center permission sets. No IAM users, no access keys.
 * Termination protection on.
 */
export class IdentityStack extends Stack {
  public readonly groups: MfaEnforcedGroups;
  public readonly roles: Partial<Record<AccessLevel, HumanRole>> = {};
  public readonly passwordPolicy: AccountPasswordPolicy;
  public readonly permissionSets?: IdentityCenterPermissionSets;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    // Holds the retained key and log group of the security automation, and the password policy
    // whose deletion would weaken every IAM user's password: termination protection on.
    super(scope, id, { terminationProtection: true, ...props });
    for (const level of props.accessLevels) {
      this.roles[level] = new HumanRole(this, `${level[0].toUpperCase()}${level.slice(1)}Role`, {
        accessLevel: level,
        roleName: `${props.namePrefix}-${level}`,
        maxSessionDuration: Duration.seconds(props.roleMaxSessionSeconds),
        mfaMaxAge: Duration.seconds(props.mfaMaxAgeSeconds),
      });
    }
    // Groups grant only assuming their level's role, which requires MFA and carries the boundary.
    const roles = Object.fromEntries(Object.entries(this.roles).map(([level, r]) => [level, r!.role]));
    this.groups = new MfaEnforcedGroups(this, 'Groups', { accessLevels: props.accessLevels, namePrefix: props.namePrefix, roles });
    this.passwordPolicy = new AccountPasswordPolicy(this, 'PasswordPolicy', { maxPasswordAgeDays: props.passwordMaxAgeDays });
    new accessanalyzer.CfnAnalyzer(this, 'AccessAnalyzer', { type: 'ACCOUNT', analyzerName: `${props.namePrefix}-account` });
    if (props.identityCenterInstanceArn) {
      this.permissionSets = new IdentityCenterPermissionSets(this, 'PermissionSets', {
        instanceArn: props.identityCenterInstanceArn,
        accessLevels: props.accessLevels,
        namePrefix: props.namePrefix,
        sessionDuration: Duration.seconds(props.roleMaxSessionSeconds),
      });
    }
  }
}
