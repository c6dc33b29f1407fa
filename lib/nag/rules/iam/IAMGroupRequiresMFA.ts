import { CfnResource } from 'aws-cdk-lib';
import { deniesWithoutMfa, mfaDenyCandidates, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, decided, ownOf, policyJson, sharedAnswer, syntheticValue } from '../common';
import { groupDocuments } from './policy-documents';

/**
 * Every IAM group denies everything but MFA self-service to its members' requests without MFA: the
 * group's policies are evaluated (lib/policy) for access-key requests (no aws:MultiFactorAuthPresent)
 * and console sessions without MFA (false), across services, networks and regions.
 */
export function IAMGroupRequiresMFA(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const docs = groupDocuments(ix, node).map((d) => mfaDenyCandidates(policyJson(ix, d.holder, d.document)));
  if (docs.length === 0) return ['no policy denies requests without MFA'];
  const own = ownOf(ix, node);
  const a = sharedAnswer(ix, 'mfa', docs, syntheticValue(ix, node, 'Arn') as string, own, (d) => deniesWithoutMfa(d, own));
  return decided(a, 'whether requests without MFA are denied') ? NagRuleCompliance.COMPLIANT : a.why.map(showOwn);
}

export const IAMGroupRequiresMFAMeta: RuleMetadata = {
  ruleName: 'IAMGroupRequiresMFA',
  controlIds: ['IAM-MFA'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Group'],
  info: 'The IAM group carries no deny-unless-MFA statement.',
  explanation: 'Lesson L1 (humans prove who they are with MFA): the breach began with credentials obtained by social engineering; without MFA a phished password is enough (GLBA 314.4(c)(5), NYDFS 500.12).',
  fix: 'Attach a policy with Effect Deny, NotAction of the MFA self-service actions, Resource *, Condition BoolIfExists aws:MultiFactorAuthPresent false (policies/iam/require-mfa.json).',
};
