import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf } from '../common';

/** No IAM user is created with a console password (LoginProfile). */
export function IAMUserNoConsolePassword(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(ix.props(node).LoginProfile === undefined);
}

export const IAMUserNoConsolePasswordMeta: RuleMetadata = {
  ruleName: 'IAMUserNoConsolePassword',
  controlIds: ['IAM-NOUSERS'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.21', 'nist-800-53:AC-2', 'nist-800-53:IA-2'],
  level: 'error',
  resourceTypes: ['AWS::IAM::User'],
  info: 'The IAM user is created with a console password.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): long-lived IAM user passwords are what help-desk social engineering resets; people come through federation (IAM Identity Center) with MFA.',
  fix: 'Remove the IAM user (or its password / LoginProfile); give people IAM Identity Center (IdentityCenterPermissionSets) or SAML federation into a HumanRole.',
};
