import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, reasons } from '../common';

/** RDS instances are not publicly accessible (explicitly, or by sitting in a named subnet group). */
export function RDSNotPubliclyAccessible(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const pub = bool(p.PubliclyAccessible, 'PubliclyAccessible');
  if (pub === true) return ['PubliclyAccessible is true'];
  if (pub === undefined && p.DBSubnetGroupName === undefined && p.DBClusterIdentifier === undefined) {
    return ['PubliclyAccessible is not set and no subnet group is named: in the default VPC the instance is public'];
  }
  return reasons([]);
}

export const RDSNotPubliclyAccessibleMeta: RuleMetadata = {
  ruleName: 'RDSNotPubliclyAccessible',
  controlIds: ['DATA-PUBLIC'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-3', 'nist-800-53:SC-7', 'aws-fsbp:RDS.2'],
  level: 'error',
  resourceTypes: ['AWS::RDS::DBInstance'],
  info: 'The RDS instance is or may be publicly accessible.',
  explanation: 'Lesson L5 (stolen PII is unreadable): a database with a public endpoint can be reached and brute-forced from the internet.',
  fix: 'Set publiclyAccessible: false and place the instance in isolated subnets (vpcSubnets: { subnetGroupName: the data tier of SegmentedVpc } or { subnetType: SubnetType.PRIVATE_ISOLATED }).',
};
