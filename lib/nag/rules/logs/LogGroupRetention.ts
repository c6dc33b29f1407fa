import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, num } from '../common';

export const MIN_LOG_RETENTION_DAYS = 365;

/** Log groups keep events at least 365 days (never-expire counts as kept). */
export function LogGroupRetention(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const days = num(ix.props(node).RetentionInDays, 'RetentionInDays');
  return compliantIf(days === undefined || days >= MIN_LOG_RETENTION_DAYS);
}

export const LogGroupRetentionMeta: RuleMetadata = {
  ruleName: 'LogGroupRetention',
  controlIds: ['LOG-RETENTION'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.6', 'nist-800-53:AU-11'],
  level: 'error',
  resourceTypes: ['AWS::Logs::LogGroup', 'Custom::LogRetention'],
  info: 'The log group keeps events for less than 365 days.',
  explanation: 'Lesson L7 (dwell time is short): the investigation of a breach reaches back months; NYDFS 500.6 asks for three years of cybersecurity-event records.',
  fix: 'Set retention: RetentionDays.THREE_YEARS (RetentionInDays >= 365; the hardened default is 1095).',
};
