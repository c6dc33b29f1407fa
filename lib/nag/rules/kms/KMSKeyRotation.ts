import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, compliantIf, str } from '../common';

/** Symmetric customer-managed KMS keys rotate automatically. */
export function KMSKeyRotation(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const spec = str(p.KeySpec, 'KeySpec') ?? 'SYMMETRIC_DEFAULT';
  if (spec !== 'SYMMETRIC_DEFAULT') return NagRuleCompliance.NOT_APPLICABLE;
  return compliantIf(bool(p.EnableKeyRotation, 'EnableKeyRotation') === true);
}

export const KMSKeyRotationMeta: RuleMetadata = {
  ruleName: 'KMSKeyRotation',
  controlIds: ['DATA-ROTATION'],
  cites: ['nydfs-500:500.15', 'cis-aws:3.6', 'nist-800-53:SC-12'],
  level: 'warning',
  resourceTypes: ['AWS::KMS::Key'],
  info: 'The symmetric KMS key does not have automatic rotation enabled.',
  explanation: 'Lesson L5 (stolen PII is unreadable): rotation limits how much data one key version protects (CIS 3.6, NYDFS 500.15).',
  fix: 'Use CustomerManagedKey (rotation on), or set enableKeyRotation: true on the kms.Key (EnableKeyRotation true).',
};
