import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult } from '../common';

/** No access key is created by infrastructure as code. */
export function IAMNoAccessKeys(_node: CfnResource, _ix: ResourceIndex): NagRuleResult {
  return NagRuleCompliance.NON_COMPLIANT;
}

export const IAMNoAccessKeysMeta: RuleMetadata = {
  ruleName: 'IAMNoAccessKeys',
  controlIds: ['IAM-NOUSERS'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.21', 'nist-800-53:AC-2'],
  level: 'error',
  resourceTypes: ['AWS::IAM::AccessKey'],
  info: 'The template creates an IAM access key.',
  explanation: 'Lesson L1/L2: a long-term access key bypasses MFA (aws:MultiFactorAuthPresent is absent for it) and ends up in code, CI variables and laptops.',
  fix: 'Remove the AccessKey: workloads use roles, people use federation into a HumanRole (or IdentityCenterPermissionSets), CI uses OIDC federation.',
};
