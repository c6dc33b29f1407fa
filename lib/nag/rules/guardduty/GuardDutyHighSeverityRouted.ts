import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex, describeEnvironment, sameEnvironment } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult } from '../common';
import { CannotVerify } from '../../types';
import { GUARDDUTY_DETECTOR_METADATA } from './GuardDutyDetectorPresent';
import { GuardDutyEventRule, detectorDisabled, guardDutyEventRules } from './event-rules';

/**
 * How one EventBridge rule serves one detector: it routes when it is in the detector's account and
 * region, forwards every high-severity finding and delivers to a target there.
 */
function judgeRule(detector: CfnResource, r: GuardDutyEventRule): { ok: boolean; unknown?: string; gaps: string[] } {
  if (r.unresolved !== undefined) return { ok: false, unknown: r.unresolved, gaps: [] };
  const gaps = [...r.gaps];
  const where = sameEnvironment(detector, r.node);
  if (where === 'different') gaps.push(`the rule is in ${describeEnvironment(r.node)}, the detector in ${describeEnvironment(detector)}: a rule routes only its own account and region`);
  if (r.delivery.relation === 'different') gaps.push(r.delivery.why);
  if (gaps.length > 0) return { ok: false, gaps };
  if (where === 'unknown') {
    return { ok: false, gaps, unknown: `cannot verify that the rule (${describeEnvironment(r.node)}) is in the detector's account and region (${describeEnvironment(detector)})` };
  }
  if (r.delivery.relation === 'unknown') return { ok: false, gaps, unknown: r.delivery.why };
  return { ok: true, gaps };
}

/**
 * An app with a GuardDuty detector (or the adoption marker) has, in the detector's account and region,
 * an EventBridge rule forwarding findings of severity >= 7 to a target of that account and region.
 */
export function GuardDutyHighSeverityRouted(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::GuardDuty::Detector' && node.getMetadata(GUARDDUTY_DETECTOR_METADATA) !== true) return NagRuleCompliance.NOT_APPLICABLE;
  if (detectorDisabled(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = guardDutyEventRules(ix);
  const judged = rules.map((r) => ({ r, j: judgeRule(node, r) }));
  if (judged.some((x) => x.j.ok)) return NagRuleCompliance.COMPLIANT;
  const unknown = judged.find((x) => x.j.unknown !== undefined);
  if (unknown) throw new CannotVerify(`${unknown.j.unknown} (rule ${unknown.r.node.node.path})`);
  if (rules.length === 0) return ['no EventBridge rule matches source aws.guardduty'];
  return judged.map((x) => `${x.r.node.node.path}: ${x.j.gaps.join(', ')}`);
}

export const GuardDutyHighSeverityRoutedMeta: RuleMetadata = {
  ruleName: 'GuardDutyHighSeverityRouted',
  controlIds: ['IR-ROUTING'],
  cites: ['glba:314.4(h)', 'nydfs-500:500.14(b)', 'nydfs-500:500.16', 'nist-800-53:IR-4', 'nist-800-53:IR-6', 'nist-800-53:SI-4'],
  level: 'warning',
  resourceTypes: ['AWS::GuardDuty::Detector', 'Custom::GuardDutyDetectorAdoption', 'AWS::CloudFormation::CustomResource'],
  info: 'The app runs GuardDuty but no EventBridge rule forwards its findings of severity 7 and above.',
  explanation: 'Lesson L9 (response starts in minutes): GuardDuty findings sit in the console until someone looks; in the breach, alerts went unseen for days. A rule on the default bus must send every high and critical finding to people.',
  fix: 'Add an events.Rule with eventPattern { source: ["aws.guardduty"], detailType: ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", 7] }] } } targeting the encrypted alert topic (SecurityAlerts, and a WorkloadBaseline through it, does this).',
};
