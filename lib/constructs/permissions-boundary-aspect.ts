import { AspectPriority, Aspects, Aws, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { BoundaryRoleNames, PolicyDocumentJson, boundaryValues, loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { SECURITY_AUTOMATION_ROLE_PATH } from './security-automation';

const BOUNDARY_ID = 'PermissionsBoundary';
const BOUNDARY_NAME_SUFFIX = '-permissions-boundary';
const DEFAULT_ROLES: BoundaryRoleNames = { stackPrefix: DEFAULTS.stackPrefix, pipelineRoleName: DEFAULTS.pipelineRoleName, breakGlassRoleName: DEFAULTS.breakGlassRoleName };
const BOUNDED_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User']);
/**
 * The organization-wide settings OrganizationSetup makes (EnableAWSServiceAccess, EnablePolicyType,
 * RegisterDelegatedAdministrator). The boundary denies them to every role; in a stack that holds an
 * OrganizationSetup, to every role but those on the security-automation path.
 */
export const ORGANIZATION_SETUP_ACTIONS: readonly string[] = ['organizations:Enable*', 'organizations:Register*'];
const ORGANIZATION_SETUP_STACKS = new WeakSet<Stack>();

/**
 * Puts the permissions boundary (policies/iam/permissions-boundary.json) on every IAM role of the
 * scope — L2 roles, roles of custom-resource providers and raw CfnResources alike (IAM-LEASTPRIV).
 * Each stack that has a role gets its own boundary managed policy, so no stack depends on another.
 */
export class PermissionsBoundaryAspect implements IAspect {
  /**
   * The name of a stack's boundary policy, `<stack name>-permissions-boundary`: predictable, so that
   * Identity Center permission sets can reference it and the pipeline boundary can require it.
   */
  public static boundaryNameOf(stack: Stack): string {
    return `${stack.stackName}${BOUNDARY_NAME_SUFFIX}`.slice(-128);
  }

  /**
   * The boundary policy of a stack, created on first use. `roles` names the deployment pipeline's
   * execution role and break-glass, which bounded roles may neither pass nor assume.
   */
  public static boundaryOf(stack: Stack, roles: BoundaryRoleNames = DEFAULT_ROLES): iam.ManagedPolicy {
    const existing = stack.node.tryFindChild(BOUNDARY_ID) as iam.ManagedPolicy | undefined;
    if (existing) return existing;
    let document = loadPolicy('iam/permissions-boundary', boundaryValues(Aws.PARTITION, Aws.ACCOUNT_ID, SECURITY_AUTOMATION_ROLE_PATH.slice(1), roles));
    if (ORGANIZATION_SETUP_STACKS.has(stack)) document = exemptOrganizationSetup(document);
    const policy = new iam.ManagedPolicy(stack, BOUNDARY_ID, {
      managedPolicyName: PermissionsBoundaryAspect.boundaryNameOf(stack),
      description: 'cdk-hardening permissions boundary: the ceiling of every role this app creates',
      document: iam.PolicyDocument.fromJson(document),
    });
    const reason = 'a permissions boundary grants nothing: it is a ceiling intersected with each role\'s own policies, so it allows everything except its explicit denies';
    acknowledgeNag(policy, 'AwsSolutions-IAM5[Action::*]', reason);
    acknowledgeNag(policy, 'AwsSolutions-IAM5[Resource::*]', reason);
    acknowledgeNag(policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', reason);
    acknowledgeNag(policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', reason);
    return policy;
  }

  /**
   * Lets the security-automation roles of `stack` — and only them — make the organization-wide settings
   * of ORGANIZATION_SETUP_ACTIONS (the stack holds an OrganizationSetup). Every other stack's boundary,
   * and every other role of this one, still denies them. Must come before the boundary is rendered.
   */
  public static allowOrganizationSetup(stack: Stack): void {
    if (stack.node.tryFindChild(BOUNDARY_ID)) {
      throw new Error(`the permissions boundary of ${stack.node.path} is already rendered; add the OrganizationSetup before anything renders the boundary`);
    }
    ORGANIZATION_SETUP_STACKS.add(stack);
  }

  constructor(private readonly roles: BoundaryRoleNames = DEFAULT_ROLES) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || !BOUNDED_TYPES.has(node.cfnResourceType)) return;
    node.addPropertyOverride('PermissionsBoundary', PermissionsBoundaryAspect.boundaryOf(Stack.of(node), this.roles).managedPolicyArn);
  }
}

/**
 * The boundary with ORGANIZATION_SETUP_ACTIONS moved out of the statement that denies them to every role
 * into one that denies them to every role off the security-automation path, on the same condition as the
 * boundary's GuardDuty exemption. Throws if the document no longer has either statement as expected.
 */
export function exemptOrganizationSetup(document: PolicyDocumentJson): PolicyDocumentJson {
  const asList = (a: string | string[] | undefined) => (a === undefined ? [] : Array.isArray(a) ? a : [a]);
  const denying = document.Statement.filter((s) => s.Effect === 'Deny' && !s.Condition && ORGANIZATION_SETUP_ACTIONS.every((a) => asList(s.Action).includes(a)));
  const automationOnly = document.Statement.find((s) => s.Sid === 'DenyGuardDutyChanges');
  if (denying.length !== 1 || !automationOnly?.Condition) {
    throw new Error(`policies/iam/permissions-boundary.json: expected one unconditional Deny of ${ORGANIZATION_SETUP_ACTIONS.join(', ')} and the DenyGuardDutyChanges exemption of the security-automation path`);
  }
  const statements = document.Statement.flatMap((s) => (s !== denying[0] ? [s] : [
    { ...s, Action: asList(s.Action).filter((a) => !ORGANIZATION_SETUP_ACTIONS.includes(a)) },
    { Sid: 'DenyOrganizationSetup', Effect: 'Deny' as const, Action: [...ORGANIZATION_SETUP_ACTIONS], Resource: '*', Condition: automationOnly.Condition },
  ]));
  return { ...document, Statement: statements };
}

/**
 * Applies the permissions boundary to every role under `scope` (usually the app). `roles` names the
 * pipeline's execution role and break-glass. @default - the configuration defaults
 */
export function applyPermissionsBoundary(scope: IConstruct, roles: BoundaryRoleNames = DEFAULT_ROLES): void {
  Aspects.of(scope).add(new PermissionsBoundaryAspect(roles), { priority: AspectPriority.MUTATING });
}
