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
  level: 'error',
  resourceTypes: ['AWS::IAM::User'],
  info: 'The IAM user is created with a console password.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): long-lived IAM user passwords are what help-desk social engineering resets; people come through federation (IAM Identity Center) with MFA.',
  fix: 'Remove the IAM user (or its password / LoginProfile) and give people access through IAM Identity Center or SAML federation.',
};
