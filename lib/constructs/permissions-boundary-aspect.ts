import { AspectPriority, Aspects, Aws, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { loadPolicy } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { SECURITY_AUTOMATION_ROLE_PATH } from './security-automation';

const BOUNDARY_ID = 'PermissionsBoundary';
const BOUNDED_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User']);

/**
 * Puts the permissions boundary (policies/iam/permissions-boundary.json) on every IAM role of the
 * scope — L2 roles, roles of custom-resource providers and raw CfnResources alike (IAM-LEASTPRIV).
 * Each stack that has a role gets its own boundary managed policy, so no stack depends on another.
 */
export class PermissionsBoundaryAspect implements IAspect {
  /** The boundary policy of a stack, created on first use. */
  public static boundaryOf(stack: Stack): iam.ManagedPolicy {
    const existing = stack.node.tryFindChild(BOUNDARY_ID) as iam.ManagedPolicy | undefined;
    if (existing) return existing;
    const policy = new iam.ManagedPolicy(stack, BOUNDARY_ID, {
      description: 'cdk-hardening permissions boundary: the ceiling of every role this app creates',
      document: iam.PolicyDocument.fromJson(loadPolicy('iam/permissions-boundary', {
        Partition: Aws.PARTITION,
        AccountId: Aws.ACCOUNT_ID,
        AutomationRolePath: SECURITY_AUTOMATION_ROLE_PATH.slice(1),
      })),
    });
    const reason = 'a permissions boundary grants nothing: it is a ceiling intersected with each role\'s own policies, so it allows everything except its explicit denies';
    acknowledgeNag(policy, 'AwsSolutions-IAM5[Action::*]', reason);
    acknowledgeNag(policy, 'AwsSolutions-IAM5[Resource::*]', reason);
    acknowledgeNag(policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', reason);
    acknowledgeNag(policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', reason);
    return policy;
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || !BOUNDED_TYPES.has(node.cfnResourceType)) return;
    node.addPropertyOverride('PermissionsBoundary', PermissionsBoundaryAspect.boundaryOf(Stack.of(node)).managedPolicyArn);
  }
}

/** Applies the permissions boundary to every role under `scope` (usually the app). */
export function applyPermissionsBoundary(scope: IConstruct): void {
  Aspects.of(scope).add(new PermissionsBoundaryAspect(), { priority: AspectPriority.MUTATING });
}
