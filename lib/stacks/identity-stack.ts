import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccountAccessAnalyzer } from '../constructs/account-access-analyzer';
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
  /** Adopt the account's existing account-level IAM Access Analyzer instead of creating one. @default false */
  readonly adoptExistingAccessAnalyzer?: boolean;
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
  public readonly accessAnalyzer: AccountAccessAnalyzer;

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
    this.accessAnalyzer = new AccountAccessAnalyzer(this, 'AccessAnalyzer', {
      analyzerName: `${props.namePrefix}-account`, adoptExisting: props.adoptExistingAccessAnalyzer,
    });
    // The analyzer's logical id predates the construct: kept, so an update never replaces it (a
    // replacement would create a second analyzer of the same name and type first, and fail).
    this.accessAnalyzer.analyzer?.overrideLogicalId('AccessAnalyzer');
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
