import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult } from '../common';
import { CannotVerify } from '../../types';
import { GUARDDUTY_DETECTOR_METADATA } from './GuardDutyDetectorPresent';
import { detectorDisabled, guardDutyEventRules } from './event-rules';

/** An app with a GuardDuty detector (or the adoption marker) has an EventBridge rule forwarding findings of severity >= 7. */
export function GuardDutyHighSeverityRouted(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::GuardDuty::Detector' && node.getMetadata(GUARDDUTY_DETECTOR_METADATA) !== true) return NagRuleCompliance.NOT_APPLICABLE;
  if (detectorDisabled(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = guardDutyEventRules(ix);
  if (rules.some((r) => r.unresolved === undefined && r.gaps.length === 0)) return NagRuleCompliance.COMPLIANT;
  const unresolved = rules.find((r) => r.unresolved !== undefined);
  if (unresolved) throw new CannotVerify(`${unresolved.unresolved} (rule ${unresolved.node.node.path})`);
  if (rules.length === 0) return ['no EventBridge rule matches source aws.guardduty'];
  return rules.map((r) => `${r.node.node.path}: ${r.gaps.join(', ')}`);
}

export const GuardDutyHighSeverityRoutedMeta: RuleMetadata = {
  ruleName: 'GuardDutyHighSeverityRouted',
  controlIds: ['IR-ROUTING'],
  cites: ['glba:314.4(h)', 'nydfs-500:500.14(b)', 'nydfs-500:500.16', 'nist-800-53:IR-4', 'nist-800-53:IR-6', 'nist-800-53:SI-4'],
  level: 'warning',
  resourceTypes: ['AWS::GuardDuty::Detector', 'Custom::GuardDutyDetectorAdoption', 'AWS::CloudFormation::CustomResource'],
  info: 'The app runs GuardDuty but no EventBridge rule forwards its findings of severity 7 and above.',
  explanation: 'Lesson L9 (response starts in minutes): GuardDuty findings sit in the console until someone looks; in the breach, alerts went unseen for days. A rule on the default bus must send every high and critical finding to people.',
  fix: 'Add an events.Rule with eventPattern { source: ["aws.guardduty"], detailType: ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", 7] }] } } targeting the encrypted alert topic (SecurityAlerts does this).',
};
