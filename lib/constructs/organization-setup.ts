import { Aws, CustomResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag } from './acknowledge';
import { ORGANIZATION_SETUP_TYPE } from './handlers/organization';
import { InlineAutomationFunction } from './inline-automation-function';
import { PermissionsBoundaryAspect } from './permissions-boundary-aspect';

export type OrganizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' | 'BACKUP_POLICY';

const POLICY_TYPES: readonly OrganizationPolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'BACKUP_POLICY'];
/** GuardDuty's service principal: its delegated administrator needs its trusted access. */
export const GUARDDUTY_SERVICE_PRINCIPAL = 'guardduty.amazonaws.com';
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface OrganizationSetupProps {
  /**
   * Services given trusted access to the organization (EnableAWSServiceAccess), e.g.
   * `member.org.stacksets.cloudformation.amazonaws.com`. GuardDuty's is added: its delegated administrator needs it.
   */
  readonly trustedServicePrincipals: string[];
  /** Policy types enabled on the organization's root (EnablePolicyType). */
  readonly policyTypes: Array<'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' | 'BACKUP_POLICY'>;
  /** Member accounts registered as delegated administrators (RegisterDelegatedAdministrator); each service must be trusted. */
  readonly delegatedAdministrators: Array<{ accountId: string; servicePrincipal: string }>;
  /** The GuardDuty delegated administrator (EnableOrganizationAdminAccount in every governed region); not the management account. */
  readonly guardDutyAdminAccountId: string;
  /** The regions GuardDuty's delegated administrator is designated in. */
  readonly governedRegions: string[];
}

/**
 * The organization settings that have no CloudFormation resource, made by a custom resource in the
 * management account: trusted access for the given services, policy types on the root, delegated
 * administrators, and GuardDuty's delegated administrator in every governed region. Each setting is
 * read first and set only when missing (a second deployment writes nothing), retried on throttling and
 * concurrent modification, and left in place when the resource or the stack is deleted.
 *
 * The function's role may make exactly these calls; the stack's permissions boundary lets its
 * security-automation roles (and no other role) make the organization-wide settings
 * (PermissionsBoundaryAspect.allowOrganizationSetup). Organizations' list calls, EnableAWSServiceAccess
 * and GuardDuty's organization-admin calls support no resource ARN, so they take `Resource: '*'`,
 * narrowed by condition where IAM offers one (`organizations:ServicePrincipal`, `organizations:PolicyType`,
 * `aws:RequestedRegion`); EnablePolicyType is limited to this organization's root and
 * RegisterDelegatedAdministrator to the named accounts.
 */
export class OrganizationSetup extends Construct {
  public readonly resource: CustomResource;
  public readonly automation: InlineAutomationFunction;

  constructor(scope: Construct, id: string, props: OrganizationSetupProps) {
    super(scope, id);
    const management = Stack.of(this).account;
    const errors = validate(props, Token.isUnresolved(management) ? undefined : management);
    if (errors.length > 0) throw new Error(`OrganizationSetup ${this.node.path}: ${errors.join('; ')}`);

    const trusted = unique([...props.trustedServicePrincipals, GUARDDUTY_SERVICE_PRINCIPAL]);
    const delegatedServices = unique([...props.delegatedAdministrators.map((d) => d.servicePrincipal), GUARDDUTY_SERVICE_PRINCIPAL]);
    const delegatedAccounts = unique([...props.delegatedAdministrators.map((d) => d.accountId), props.guardDutyAdminAccountId]);
    const org = (resource: string) => `arn:${Aws.PARTITION}:organizations::${Aws.ACCOUNT_ID}:${resource}`;

    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadOrganizationSettings',
        actions: ['organizations:ListAWSServiceAccessForOrganization', 'organizations:ListRoots', 'organizations:ListDelegatedAdministrators'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'EnableTrustedAccess',
        actions: ['organizations:EnableAWSServiceAccess'],
        resources: ['*'],
        conditions: { StringEquals: { 'organizations:ServicePrincipal': trusted } },
      }),
      new iam.PolicyStatement({
        sid: 'RegisterDelegatedAdministrators',
        actions: ['organizations:RegisterDelegatedAdministrator'],
        resources: delegatedAccounts.map((a) => org(`account/o-*/${a}`)),
        conditions: { StringEquals: { 'organizations:ServicePrincipal': delegatedServices } },
      }),
      // What GuardDuty reads of the organization, with the caller's permissions, when it designates its administrator.
      new iam.PolicyStatement({
        sid: 'GuardDutyReadsOrganization',
        actions: ['organizations:DescribeOrganization', 'organizations:ListAccounts', 'organizations:DescribeAccount', 'organizations:DescribeOrganizationalUnit'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DesignateGuardDutyAdministrator',
        actions: ['guardduty:ListOrganizationAdminAccounts', 'guardduty:EnableOrganizationAdminAccount'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': unique(props.governedRegions) } },
      }),
    ];
    if (props.policyTypes.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'EnablePolicyTypes',
        actions: ['organizations:EnablePolicyType'],
        resources: [org('root/o-*/r-*')],
        conditions: { StringEquals: { 'organizations:PolicyType': unique(props.policyTypes) } },
      }));
    }

    // The boundary denies organizations:Enable*/Register* to every role; in this stack, not to security automation.
    PermissionsBoundaryAspect.allowOrganizationSetup(Stack.of(this));
    this.automation = new InlineAutomationFunction(this, 'Automation', {
      handler: 'organization',
      nameSuffix: 'OrgSetup',
      description: 'cdk-hardening: enables trusted access, policy types, delegated administrators and the GuardDuty administrator of the organization',
      statements,
    });
    acknowledgeNag(this.automation.policy, 'AwsSolutions-IAM5[Resource::*]',
      'Organizations list calls, EnableAWSServiceAccess, DescribeOrganization, ListAccounts and GuardDuty\'s organization-admin calls support no resource ARN; '
      + 'each write is narrowed by organizations:ServicePrincipal or aws:RequestedRegion');
    acknowledgeNag(this.automation.policy, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:root/o-*/r-*]',
      'the organization\'s root, whose ids are not known at synthesis; EnablePolicyType is narrowed to the named policy types');
    for (const a of delegatedAccounts) {
      acknowledgeNag(this.automation.policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:account/o-*/${a}]`,
        `the delegated administrator ${a} in this organization, whose id is not known at synthesis`);
    }

    this.resource = this.automation.customResource(this, 'Resource', ORGANIZATION_SETUP_TYPE, {
      TrustedServicePrincipals: trusted,
      PolicyTypes: unique(props.policyTypes),
      DelegatedAdministrators: props.delegatedAdministrators.map((d) => ({ AccountId: d.accountId, ServicePrincipal: d.servicePrincipal })),
      GuardDutyAdminAccountId: props.guardDutyAdminAccountId,
      GovernedRegions: unique(props.governedRegions),
    });
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function validate(props: OrganizationSetupProps, management: string | undefined): string[] {
  const errors: string[] = [];
  const trusted = new Set([...props.trustedServicePrincipals, GUARDDUTY_SERVICE_PRINCIPAL]);
  for (const p of props.trustedServicePrincipals) {
    if (!SERVICE_PRINCIPAL.test(p)) errors.push(`trustedServicePrincipals: '${p}' is not a service principal (<name>.amazonaws.com)`);
  }
  for (const t of props.policyTypes) {
    if (!POLICY_TYPES.includes(t)) errors.push(`policyTypes: '${t}' is not one of ${POLICY_TYPES.join(', ')}`);
  }
  const account = (what: string, id: string) => {
    if (Token.isUnresolved(id)) errors.push(`${what} must be a literal account id, not a token`);
    else if (!ACCOUNT_ID.test(id)) errors.push(`${what} must be a 12-digit account id, got '${id}'`);
    else if (management !== undefined && id === management) errors.push(`${what} ${id} is the management account, which cannot be a delegated administrator`);
  };
  props.delegatedAdministrators.forEach((d, i) => {
    account(`delegatedAdministrators[${i}].accountId`, d.accountId);
    if (!trusted.has(d.servicePrincipal)) errors.push(`delegatedAdministrators[${i}]: '${d.servicePrincipal}' is not among trustedServicePrincipals; a delegated administrator needs its service's trusted access`);
  });
  account('guardDutyAdminAccountId', props.guardDutyAdminAccountId);
  if (props.governedRegions.length === 0) errors.push('governedRegions must name at least one region');
  for (const r of props.governedRegions) {
    if (Token.isUnresolved(r) || !REGION.test(r)) errors.push(`governedRegions: '${r}' is not a region name`);
  }
  return errors;
}
