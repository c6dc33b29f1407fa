import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, cannotVerify, compliantIf, joinLiteral } from '../common';

/** Every role carries a permissions boundary (a literal ARN or a managed policy of the app). */
export function IAMRolePermissionsBoundary(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const b = ix.props(node).PermissionsBoundary;
  if (b === undefined) return compliantIf(false);
  const t = ix.deref(node, b);
  if (t.kind === 'literal' || (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::IAM::ManagedPolicy')) return compliantIf(true);
  if (t.kind === 'unresolved' && joinLiteral(t.value) !== undefined) return compliantIf(true);
  return cannotVerify('PermissionsBoundary', b);
}

export const IAMRolePermissionsBoundaryMeta: RuleMetadata = {
  ruleName: 'IAMRolePermissionsBoundary',
  controlIds: ['IAM-LEASTPRIV'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-6', 'nist-800-53:AC-6(10)'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  info: 'The IAM role has no permissions boundary.',
  explanation: 'Lesson L2 (a stolen credential opens little): a boundary caps what a role can ever do, so privilege escalation (T1098) through policy edits stays inside it.',
  fix: 'Apply the boundary to every role of the app: applyPermissionsBoundary(app) (PermissionsBoundaryAspect, policies/iam/permissions-boundary.json).',
};
