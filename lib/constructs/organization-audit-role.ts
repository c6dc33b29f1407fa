import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDITOR_ROLE_NAME, ORGANIZATION_ID } from '../config/schema';
import { loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';

export interface OrganizationAuditRoleProps {
  /** The role's name: the same in every account, so the audit finds it (`--organization-role`). */
  readonly roleName: string;
  /** The security-tooling account the audit runs from. */
  readonly auditorAccountId: string;
  /**
   * The role of that account the audit runs as (optional path, `*` for a generated part such as
   * AWSReservedSSO_Audit_*): the only principal the role trusts. Trusting the whole account would let any
   * user or workload of it (a stolen access key, a compromised function) read every account.
   */
  readonly auditorRoleName: string;
  /** The organization the caller must belong to (`aws:PrincipalOrgID`). */
  readonly organizationId: string;
}

/**
 * The read-only role the organization audit assumes in an account (`audit --organization-role`):
 * trusted only by sessions of the auditor role of the security-tooling account (`aws:PrincipalArn`, so the
 * trust holds before that role exists and after it is re-created) within the organization
 * (`aws:PrincipalOrgID`), sessions of at most an hour, permissions exactly policies/iam/audit-readonly.json
 * (every action a read; test/policies/audit-readonly). Built in every member account by the global
 * baseline StackSet and, because StackSets skip it, in the management account's own stack.
 */
export class OrganizationAuditRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OrganizationAuditRoleProps) {
    super(scope, id);
    if (!/^\d{12}$/.test(props.auditorAccountId)) throw new Error(`auditorAccountId must be a 12-digit account id, got '${props.auditorAccountId}'`);
    if (props.auditorRoleName.length > 512 || !AUDITOR_ROLE_NAME.test(props.auditorRoleName)) {
      throw new Error(`auditorRoleName must be an IAM role name (at most 64 characters) with an optional path and * wildcards, not only *, got '${props.auditorRoleName}'`);
    }
    if (!ORGANIZATION_ID.test(props.organizationId)) throw new Error(`organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got '${props.organizationId}'`);
    const readOnly = new iam.ManagedPolicy(this, 'ReadOnly', {
      description: 'cdk-hardening organization audit: the reads the live checks make (policies/iam/audit-readonly.json)',
      document: iam.PolicyDocument.fromJson(loadPolicy('iam/audit-readonly')),
    });
    acknowledgeNag(readOnly, 'AwsSolutions-IAM5[Resource::*]',
      'the audit reads account-wide settings (credential report, password policy, detectors, trails, keys) that support no resource ARN; every action is a read (test/policies/audit-readonly)');
    acknowledgeNag(readOnly, 'AwsSolutions-IAM5[Resource::arn:*:iam::*:role/*]',
      'the audit reads the trust and policies of every role of the account (who can assume what); reads only');
    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: `cdk-hardening organization audit: read-only, assumed by the role ${props.auditorRoleName} of the security-tooling account`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.PrincipalWithConditions(new iam.AccountPrincipal(props.auditorAccountId), {
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
        ArnLike: { 'aws:PrincipalArn': `arn:${Stack.of(this).partition}:iam::${props.auditorAccountId}:role/${props.auditorRoleName}` },
      }),
      managedPolicies: [readOnly],
    });
  }
}
