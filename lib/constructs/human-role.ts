import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LIMITS } from '../config/defaults';
import { acknowledgeNag } from './acknowledge';
import { ACCESS_LEVELS, AccessLevel, managedPolicyFinding, managedPolicyReason } from './human-access';

/** The longest session a human role may have (IAM-SESSION). */
export const MAX_HUMAN_SESSION = Duration.seconds(LIMITS.maxSessionSeconds);

export interface HumanRoleProps {
  readonly accessLevel: AccessLevel;
  /**
   * Longest session, at most one hour (IAM-SESSION).
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
  /**
   * How long ago the caller may have proved MFA (`aws:MultiFactorAuthAge`), at most one hour.
   * @default Duration.hours(1)
   */
  readonly mfaMaxAge?: Duration;
  /** @default - generated */
  readonly roleName?: string;
}

/**
 * Who may assume a role for people (IAM-MFA): principals of this account with MFA present and proved within
 * `mfaMaxAge` (at most one hour; role chaining drops the MFA context, so chained sessions cannot). Throws
 * naming a bad age.
 */
export function mfaRequiredPrincipal(mfaMaxAge: Duration = MAX_HUMAN_SESSION): iam.PrincipalWithConditions {
  const max = MAX_HUMAN_SESSION.toSeconds();
  if (!Token.isUnresolved(mfaMaxAge.toSeconds()) && (mfaMaxAge.toSeconds() <= 0 || mfaMaxAge.toSeconds() > max)) {
    throw new Error(`mfaMaxAge must be between 1 and ${max} seconds (IAM-MFA), got ${mfaMaxAge.toSeconds()}`);
  }
  return new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    NumericLessThanEquals: { 'aws:MultiFactorAuthAge': String(mfaMaxAge.toSeconds()) },
  });
}

/**
 * A role for people (IAM-MFA, IAM-SESSION): assumable by principals of this account only with
 * MFA present and proved within `mfaMaxAge` (role chaining drops the MFA context, so chained
 * sessions cannot assume it), sessions of at most an hour, the access level's policies.
 */
export class HumanRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HumanRoleProps) {
    super(scope, id);
    const spec = ACCESS_LEVELS[props.accessLevel];
    if (!spec) throw new Error(`unknown access level '${props.accessLevel}'; expected one of ${Object.keys(ACCESS_LEVELS).join(', ')}`);
    const session = props.maxSessionDuration ?? MAX_HUMAN_SESSION;
    const mfaAge = props.mfaMaxAge ?? MAX_HUMAN_SESSION;
    const max = MAX_HUMAN_SESSION.toSeconds();
    if (!Token.isUnresolved(session.toSeconds()) && session.toSeconds() > max) {
      throw new Error(`maxSessionDuration must be at most ${max} seconds (IAM-SESSION), got ${session.toSeconds()}`);
    }
    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: `people: ${spec.description}; MFA within ${mfaAge.toSeconds()} s required`,
      maxSessionDuration: session,
      assumedBy: mfaRequiredPrincipal(mfaAge),
      managedPolicies: spec.managedPolicies.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
    });
    for (const name of spec.managedPolicies) acknowledgeNag(this.role, managedPolicyFinding(name), managedPolicyReason(props.accessLevel, name));
  }
}
