import { CfnResource } from 'aws-cdk-lib';
import { exemptsOnlyMfaSelfService } from '../../../policies';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, Statement, compliantIf, conditionValues, resourceIsStar, strings } from '../common';
import { groupStatements } from './policy-documents';

/** The canonical deny-unless-MFA statement, recognized by what it says, not by its name. */
export function isDenyUnlessMfa(ix: ResourceIndex, node: CfnResource, s: Statement): boolean {
  if (s.Effect !== 'Deny') return false;
  if (!conditionValues(s.Condition, 'BoolIfExists', 'aws:MultiFactorAuthPresent').includes('false')) return false;
  // NotAction may leave out only MFA self-service (the same recognizer as the live audit's).
  const broad = s.NotAction !== undefined
    ? exemptsOnlyMfaSelfService(strings(s.NotAction, 'NotAction'))
    : strings(s.Action, 'Action').includes('*');
  const everywhere = s.Resource !== undefined && resourceIsStar(ix, node, s.Resource);
  return broad && everywhere;
}

/** Every IAM group carries a deny-unless-MFA statement (Deny, BoolIfExists aws:MultiFactorAuthPresent false). */
export function IAMGroupRequiresMFA(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(groupStatements(ix, node).some((s) => isDenyUnlessMfa(ix, node, s)));
}

export const IAMGroupRequiresMFAMeta: RuleMetadata = {
  ruleName: 'IAMGroupRequiresMFA',
  controlIds: ['IAM-MFA'],
  cites: ['glba:314.4(c)(5)', 'nydfs-500:500.12', 'nist-800-53:IA-2(1)', 'nist-800-53:IA-2(2)'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Group'],
  info: 'The IAM group carries no deny-unless-MFA statement.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): the breach began with credentials obtained by social engineering; without MFA a phished password is enough (GLBA 314.4(c)(5), NYDFS 500.12).',
  fix: 'Create the groups with MfaEnforcedGroups, or attach a policy with Effect Deny, NotAction of the MFA self-service actions, Resource *, Condition BoolIfExists aws:MultiFactorAuthPresent false (policies/iam/require-mfa.json).',
};
