import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { ACCESS_LEVELS, AccessLevel } from './human-access';
import { MAX_HUMAN_SESSION } from './human-role';
import { PermissionsBoundaryAspect } from './permissions-boundary-aspect';

export interface IdentityCenterPermissionSetsProps {
  /** The IAM Identity Center instance, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;
  /** @default - administrators, operators, auditors */
  readonly accessLevels?: readonly AccessLevel[];
  /** Permission set names are `<namePrefix><AccessLevel>`, at most 32 characters. @default 'Hardening' */
  readonly namePrefix?: string;
  /** At most one hour (IAM-SESSION). @default Duration.hours(1) */
  readonly sessionDuration?: Duration;
  /**
   * Name of the customer-managed policy every permission set's role carries as permissions boundary,
   * so people coming through Identity Center are capped like every role of the app. The policy must
   * exist, under this name, in every account the sets are assigned to (the identity stack creates
   * `<stack name>-permissions-boundary`).
   * @default - the boundary of this construct's stack (PermissionsBoundaryAspect.boundaryNameOf)
   */
  readonly permissionsBoundaryPolicyName?: string;
}

/**
 * IAM Identity Center permission sets for people who come through federation (IAM-NOUSERS,
 * IAM-SESSION): one per access level, sessions of at most one hour, each capped by the app's
 * permissions boundary (people cannot bypass it by coming through Identity Center). Identity Center enforces MFA
 * at sign-in; assign the sets to groups of the identity source outside this app.
 */
export class IdentityCenterPermissionSets extends Construct {
  public readonly permissionSets: Partial<Record<AccessLevel, sso.CfnPermissionSet>> = {};

  constructor(scope: Construct, id: string, props: IdentityCenterPermissionSetsProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.instanceArn) && !/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/.test(props.instanceArn)) {
      throw new Error(`instanceArn must be an IAM Identity Center instance ARN, got '${props.instanceArn}'`);
    }
    const session = props.sessionDuration ?? MAX_HUMAN_SESSION;
    const seconds = session.toSeconds();
    if (seconds > MAX_HUMAN_SESSION.toSeconds() || seconds < 900) {
      throw new Error(`sessionDuration must be between 900 and ${MAX_HUMAN_SESSION.toSeconds()} seconds (IAM-SESSION), got ${seconds}`);
    }
    const boundaryName = props.permissionsBoundaryPolicyName ?? PermissionsBoundaryAspect.boundaryNameOf(Stack.of(this));
    if (!Token.isUnresolved(boundaryName) && !/^[\w+=,.@-]{1,128}$/.test(boundaryName)) {
      throw new Error(`permissionsBoundaryPolicyName must be an IAM policy name, got '${boundaryName}'`);
    }
    const prefix = props.namePrefix ?? 'Hardening';
    for (const level of props.accessLevels ?? (Object.keys(ACCESS_LEVELS) as AccessLevel[])) {
      const name = `${prefix}${level[0].toUpperCase()}${level.slice(1)}`;
      if (name.length > 32) throw new Error(`permission set name '${name}' is longer than 32 characters; shorten namePrefix '${prefix}'`);
      this.permissionSets[level] = new sso.CfnPermissionSet(this, name, {
        instanceArn: props.instanceArn,
        name,
        description: ACCESS_LEVELS[level].description,
        sessionDuration: isoDuration(seconds),
        managedPolicies: ACCESS_LEVELS[level].managedPolicies.map((n) => `arn:${Aws.PARTITION}:iam::aws:policy/${n}`),
        permissionsBoundary: { customerManagedPolicyReference: { name: boundaryName, path: '/' } },
      });
    }
  }
}

/** 3600 -> PT1H, 5400 -> PT1H30M, 900 -> PT15M. */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}
