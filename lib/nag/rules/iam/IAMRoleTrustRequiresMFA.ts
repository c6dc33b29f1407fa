import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, conditionValues, num, reasons } from '../common';
import { HUMAN_KINDS, onlyServices, trustStatements } from './trust';

/** The oldest MFA sign-in a human role may accept (the configuration's upper bound, 12 hours). */
export const MAX_MFA_AGE_SECONDS = 43200;

/** The upper bound a statement puts on aws:MultiFactorAuthAge; undefined when it sets none. */
function mfaAgeBound(condition: unknown): number | undefined {
  const values = [...conditionValues(condition, 'NumericLessThan', 'aws:MultiFactorAuthAge'),
    ...conditionValues(condition, 'NumericLessThanEquals', 'aws:MultiFactorAuthAge')];
  const bounds = values.map((v) => num(v, 'aws:MultiFactorAuthAge')!);
  return bounds.length === 0 ? undefined : Math.min(...bounds);
}

/**
 * Roles whose trust admits an account, user or any principal require MFA to be assumed
 * (Bool aws:MultiFactorAuthPresent true) and a recent MFA sign-in (aws:MultiFactorAuthAge bound).
 */
export function IAMRoleTrustRequiresMFA(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (onlyServices(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const human = trustStatements(ix, node).filter((t) => t.kinds.some((k) => HUMAN_KINDS.has(k)));
  if (human.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const out: string[] = [];
  for (const t of human) {
    const name = `trust statement${t.statement.Sid ? ` ${String(t.statement.Sid)}` : ''} admitting ${t.kinds.join(', ')} principals`;
    if (!conditionValues(t.statement.Condition, 'Bool', 'aws:MultiFactorAuthPresent').includes('true')) {
      out.push(`${name} does not require Bool aws:MultiFactorAuthPresent true`);
      continue;
    }
    const age = mfaAgeBound(t.statement.Condition);
    if (age === undefined) out.push(`${name} sets no aws:MultiFactorAuthAge bound`);
    else if (age > MAX_MFA_AGE_SECONDS) out.push(`${name} accepts an MFA sign-in ${age} seconds old (at most ${MAX_MFA_AGE_SECONDS})`);
  }
  return reasons(out);
}

export const IAMRoleTrustRequiresMFAMeta: RuleMetadata = {
  ruleName: 'IAMRoleTrustRequiresMFA',
  controlIds: ['IAM-MFA'],
  cites: ['glba:314.4(c)(5)', 'nydfs-500:500.12', 'nist-800-53:IA-2(1)', 'nist-800-53:IA-2(2)'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  info: 'The role can be assumed by an account or user principal without MFA or without a recent MFA sign-in.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): a role people assume is only as strong as the credential that assumes it; without an MFA condition a stolen access key walks in.',
  fix: 'Create roles people assume with HumanRole (its trust requires MFA of at most one hour), or add Condition Bool aws:MultiFactorAuthPresent true and NumericLessThanEquals aws:MultiFactorAuthAge 3600 (at most 43200) to the trust statement.',
};
