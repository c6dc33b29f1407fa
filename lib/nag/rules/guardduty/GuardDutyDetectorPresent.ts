import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf } from '../common';

/** Resource metadata marking a construct that adopts an existing detector (only one may exist per region). */
export const GUARDDUTY_DETECTOR_METADATA = 'cdk-hardening:guardduty-detector';

export const WORKLOAD_TYPES = [
  'AWS::EC2::Instance', 'AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::Service', 'AWS::EKS::Cluster',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
];

/** Whether the app defines (or adopts) a GuardDuty detector, decided once per validation. */
function hasDetector(ix: ResourceIndex): boolean {
  return ix.memo('hasGuardDutyDetector', () =>
    ix.ofType('AWS::GuardDuty::Detector').length > 0
    || ix.resources.some((r) => r.getMetadata(GUARDDUTY_DETECTOR_METADATA) === true));
}

/** An app with workloads defines or adopts a GuardDuty detector. */
export function GuardDutyDetectorPresent(_node: CfnResource, ix: ResourceIndex): NagRuleResult {
  return compliantIf(hasDetector(ix));
}

export const GuardDutyDetectorPresentMeta: RuleMetadata = {
  ruleName: 'GuardDutyDetectorPresent',
  controlIds: ['GD-ENABLED'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.14(a)', 'nist-800-53:SI-4', 'aws-fsbp:GuardDuty.1'],
  level: 'warning',
  resourceTypes: WORKLOAD_TYPES,
  info: 'The app runs workloads but defines no GuardDuty detector.',
  explanation: 'Lesson L3 (malware is seen): without GuardDuty nothing flags the malware, credential misuse and exfiltration this workload could suffer; the account may enable it elsewhere, which this app cannot show.',
  fix: 'Add a GuardDutyDetector to the app (the detection stack of HardenedEnvironment has one; adoptExisting: true when the account already has a detector), or mark the construct that adopts the existing detector with metadata cdk-hardening:guardduty-detector: true.',
};
