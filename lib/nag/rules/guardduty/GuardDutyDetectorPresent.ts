import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex, describeEnvironment, sameEnvironment } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, cannotVerify, compliantIf } from '../common';

/** Resource metadata marking a construct that adopts an existing detector (only one may exist per region). */
export const GUARDDUTY_DETECTOR_METADATA = 'cdk-hardening:guardduty-detector';

export const WORKLOAD_TYPES = [
  'AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::Service', 'AWS::EKS::Cluster',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
];

/** The app's detectors and adoption markers, found once per validation. */
function detectors(ix: ResourceIndex): CfnResource[] {
  return ix.memo('guardDutyDetectors', () => ix.resources.filter((r) =>
    r.cfnResourceType === 'AWS::GuardDuty::Detector' || r.getMetadata(GUARDDUTY_DETECTOR_METADATA) === true));
}

/**
 * An app with workloads defines or adopts a GuardDuty detector in the workload's own account and
 * region (a detector watches only its region of its account).
 */
export function GuardDutyDetectorPresent(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const all = detectors(ix);
  const relations = all.map((d) => sameEnvironment(node, d));
  if (relations.includes('same')) return compliantIf(true);
  if (relations.includes('unknown')) {
    return cannotVerify(`that a GuardDuty detector is in the workload's account and region (${describeEnvironment(node)})`,
      all.filter((_, i) => relations[i] === 'unknown').map((d) => `${d.node.path} in ${describeEnvironment(d)}`));
  }
  if (all.length === 0) return compliantIf(false);
  return [`no detector in ${describeEnvironment(node)}: the app's detectors are in ${[...new Set(all.map((d) => describeEnvironment(d)))].join(', ')}`];
}

export const GuardDutyDetectorPresentMeta: RuleMetadata = {
  ruleName: 'GuardDutyDetectorPresent',
  controlIds: ['GD-ENABLED'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.14(a)', 'nist-800-53:SI-4', 'aws-fsbp:GuardDuty.1'],
  level: 'warning',
  resourceTypes: WORKLOAD_TYPES,
  info: 'The app runs workloads but defines no GuardDuty detector.',
  explanation: 'Lesson L3 (malware is seen): without GuardDuty nothing flags the malware, credential misuse and exfiltration this workload could suffer; the account may enable it elsewhere, which this app cannot show.',
  fix: 'Add a GuardDutyDetector to the app (a WorkloadBaseline adds one, adoptExistingDetector: true for an existing one; the detection stack of HardenedEnvironment has one; adoptExisting: true when the account already has a detector), or mark the construct that adopts the existing detector with metadata cdk-hardening:guardduty-detector: true.',
};
