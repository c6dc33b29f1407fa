import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, list, obj, reasons, regionText } from '../common';

function pitr(spec: unknown, what: string): boolean {
  return bool(obj(spec, what)?.PointInTimeRecoveryEnabled, `${what}.PointInTimeRecoveryEnabled`) === true;
}

/** DynamoDB tables have point-in-time recovery and deletion protection. */
export function DynamoDBTableRecovery(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const out: string[] = [];
  if (node.cfnResourceType === 'AWS::DynamoDB::Table') {
    if (!pitr(p.PointInTimeRecoverySpecification, 'PointInTimeRecoverySpecification')) out.push('point-in-time recovery is off');
    if (bool(p.DeletionProtectionEnabled, 'DeletionProtectionEnabled') !== true) out.push('deletion protection is off');
    return reasons(out);
  }
  for (const r of list(p.Replicas, 'Replicas')) {
    const replica = obj(r, 'replica')!;
    const region = regionText(replica.Region);
    if (!pitr(replica.PointInTimeRecoverySpecification, 'replica PointInTimeRecoverySpecification')) out.push(`replica ${region}: point-in-time recovery is off`);
    if (bool(replica.DeletionProtectionEnabled, 'replica DeletionProtectionEnabled') !== true) out.push(`replica ${region}: deletion protection is off`);
  }
  return reasons(out);
}

export const DynamoDBTableRecoveryMeta: RuleMetadata = {
  ruleName: 'DynamoDBTableRecovery',
  controlIds: ['BAK-RETAIN'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9', 'nist-800-53:CP-10', 'aws-fsbp:DynamoDB.2'],
  level: 'error',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  info: 'The DynamoDB table lacks point-in-time recovery or deletion protection.',
  explanation: 'Lesson L8 (recovery without paying): an attacker with write access can delete or corrupt the table; deletion protection and point-in-time recovery restore it without paying.',
  fix: 'Use PiiTable (it sets both), or set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } and deletionProtection: true (on every replica of a TableV2).',
};
