import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, compliantIf, num } from '../common';
import { isHumanRole } from './trust';

export const MAX_HUMAN_SESSION_SECONDS = 3600;

/** Roles people assume have a maximum session of one hour. */
export function IAMRoleHumanSessionDuration(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isHumanRole(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const max = num(ix.props(node).MaxSessionDuration, 'MaxSessionDuration') ?? 3600;
  return compliantIf(max <= MAX_HUMAN_SESSION_SECONDS);
}

export const IAMRoleHumanSessionDurationMeta: RuleMetadata = {
  ruleName: 'IAMRoleHumanSessionDuration',
  controlIds: ['IAM-SESSION'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-12', 'nist-800-53:IA-11'],
  level: 'warning',
  resourceTypes: ['AWS::IAM::Role'],
  info: 'A role people assume allows sessions longer than one hour.',
  explanation: 'Lesson L2 (a stolen credential opens little): a stolen session token is useful until it expires; one hour bounds the window.',
  fix: 'Create roles people assume with HumanRole (one-hour sessions), or set maxSessionDuration: Duration.hours(1) (MaxSessionDuration <= 3600).',
};
