import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, conditionValues, reasons } from '../common';
import { HUMAN_KINDS, onlyServices, trustStatements } from './trust';

/** Roles whose trust admits an account, user or any principal require MFA to be assumed. */
export function IAMRoleTrustRequiresMFA(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (onlyServices(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const human = trustStatements(ix, node).filter((t) => t.kinds.some((k) => HUMAN_KINDS.has(k)));
  if (human.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const out = human
    .filter((t) => !conditionValues(t.statement.Condition, 'Bool', 'aws:MultiFactorAuthPresent').includes('true'))
    .map((t) => `trust statement${t.statement.Sid ? ` ${String(t.statement.Sid)}` : ''} admits ${t.kinds.join(', ')} principals without Bool aws:MultiFactorAuthPresent true`);
  return reasons(out);
}

export const IAMRoleTrustRequiresMFAMeta: RuleMetadata = {
  ruleName: 'IAMRoleTrustRequiresMFA',
  controlIds: ['IAM-MFA'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  info: 'The role can be assumed by an account or user principal without MFA.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): a role people assume is only as strong as the credential that assumes it; without an MFA condition a stolen access key walks in.',
  fix: 'Add Condition Bool aws:MultiFactorAuthPresent true (and NumericLessThan aws:MultiFactorAuthAge 3600) to the trust statement, e.g. new iam.AccountPrincipal(id).withConditions({ Bool: { "aws:MultiFactorAuthPresent": "true" } }).',
};
