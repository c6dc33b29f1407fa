import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDITOR_ROLE_NAME, ORGANIZATION_ID, ROLE_NAME } from '../config/schema';
import { loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { MAX_HUMAN_SESSION, mfaRequiredPrincipal } from './human-role';

export interface OrganizationAuditorProps {
  /**
   * The role's path and name (hardening:auditorRoleName, e.g. `OrganizationAuditor` or `audit/Auditor`):
   * what the audit role of every account trusts. A name with `*` (a role IAM Identity Center generates,
   * `AWSReservedSSO_Audit_*`) is not created here: use `isCreatable` before building one.
   */
  readonly roleName: string;
  /** The audit role every account holds (hardening:auditRoleName): the only role this one may assume. */
  readonly auditRoleName: string;
  /** The organization whose accounts' audit roles it may assume (`aws:ResourceOrgID`). */
  readonly organizationId: string;
  /**
   * How long ago the person assuming it proved MFA (`aws:MultiFactorAuthAge`), at most one hour.
   * @default one hour
   */
  readonly mfaMaxAge?: Duration;
}

/**
 * The role of the security-tooling account the organization audit runs as (hardening:auditorRoleName), for
 * people: assumable by principals of this account only with MFA proved within `mfaMaxAge` (a stolen access key,
 * a compromised workload or a chained session cannot), sessions of at most an hour. It holds the audit's
 * reads (policies/iam/audit-readonly.json, for this account and the organization's StackSets and GuardDuty)
 * and may assume exactly one role: the audit role, in the accounts of the organization
 * (policies/iam/organization-auditor.json). The audit roles themselves hold no sts:AssumeRole, so a session
 * of one cannot chain into another role its account trusts.
 */
export class OrganizationAuditor extends Construct {
  /** Whether the stacks can create a role of this name: a literal path and name, no `*`. */
  static isCreatable(roleName: string): boolean {
    return AUDITOR_ROLE_NAME.test(roleName) && !roleName.includes('*');
  }

  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OrganizationAuditorProps) {
    super(scope, id);
    if (!OrganizationAuditor.isCreatable(props.roleName)) {
      throw new Error(`roleName must be an IAM role name with an optional path and no *, got '${props.roleName}' (a role with * in its name is one IAM Identity Center creates)`);
    }
    if (!ROLE_NAME.test(props.auditRoleName)) throw new Error(`auditRoleName must be an IAM role name, got '${props.auditRoleName}'`);
    if (!ORGANIZATION_ID.test(props.organizationId)) throw new Error(`organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got '${props.organizationId}'`);
    const mfaAge = props.mfaMaxAge ?? MAX_HUMAN_SESSION;
    const assumedBy = mfaRequiredPrincipal(mfaAge);
    const slash = props.roleName.lastIndexOf('/');
    const reads = new iam.ManagedPolicy(this, 'Reads', {
      description: 'cdk-hardening organization auditor: the reads the live checks make (policies/iam/audit-readonly.json)',
      document: iam.PolicyDocument.fromJson(loadPolicy('iam/audit-readonly')),
    });
    acknowledgeNag(reads, 'AwsSolutions-IAM5[Resource::*]',
      'the audit reads account-wide settings (credential report, password policy, detectors, trails, keys, the organization) that support no resource ARN; every action is a read (test/policies/audit-readonly)');
    const assume = new iam.ManagedPolicy(this, 'AssumeAuditRoles', {
      description: `cdk-hardening organization auditor: assume the role ${props.auditRoleName} in the accounts of ${props.organizationId}, nothing else`,
      document: iam.PolicyDocument.fromJson(loadPolicy('iam/organization-auditor', {
        Partition: Aws.PARTITION, AuditRoleName: props.auditRoleName, OrganizationId: props.organizationId,
      })),
    });
    acknowledgeNag(assume, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${props.auditRoleName}]`,
      'the audit role has the same name in every account of the organization (aws:ResourceOrgID), which the audit walks; no other role');
    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName.slice(slash + 1),
      path: slash < 0 ? undefined : `/${props.roleName.slice(0, slash)}/`,
      description: `cdk-hardening organization auditor: people run the audit as this role, MFA within ${mfaAge.toSeconds()} s required`,
      maxSessionDuration: MAX_HUMAN_SESSION,
      assumedBy,
      managedPolicies: [reads, assume],
    });
  }
}
