import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex, sameEnvironment } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, cannotVerify, reasons } from '../common';

/**
 * RDS instances are not publicly accessible (explicitly, or by sitting in a named subnet group). An Aurora
 * member sits in its cluster's subnet group: a cluster that names none is in the default VPC.
 */
export function RDSNotPubliclyAccessible(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  const pub = bool(p.PubliclyAccessible, 'PubliclyAccessible');
  if (pub === true) return ['PubliclyAccessible is true'];
  if (pub === undefined && p.DBSubnetGroupName === undefined && p.DBClusterIdentifier === undefined) {
    return ['PubliclyAccessible is not set and no subnet group is named: in the default VPC the instance is public'];
  }
  if (pub === undefined && p.DBSubnetGroupName === undefined) {
    const t = ix.propTarget(node, 'DBClusterIdentifier');
    const cluster = t.kind === 'resource' ? t.node : t.kind === 'literal' ? clusterNamed(ix, node, t.value) : undefined;
    if (cluster?.cfnResourceType !== 'AWS::RDS::DBCluster') {
      return cannotVerify('the subnet group of the instance cluster (not a cluster of the app)', p.DBClusterIdentifier);
    }
    if (ix.props(cluster).DBSubnetGroupName === undefined) {
      return [`PubliclyAccessible is not set and its cluster ${cluster.node.path} names no subnet group: in the default VPC the instance is public`];
    }
  }
  return reasons([]);
}

/**
 * The cluster of the app a literal DBClusterIdentifier names: one whose own identifier is that literal
 * (RDS stores identifiers in lower case) in the instance's account and region, where identifiers are
 * unique. Undefined when none is, or the environments cannot be compared.
 */
function clusterNamed(ix: ResourceIndex, node: CfnResource, id: string): CfnResource | undefined {
  const hits = ix.ofType('AWS::RDS::DBCluster').filter((c) => {
    const name = ix.props(c).DBClusterIdentifier;
    return typeof name === 'string' && name.toLowerCase() === id.toLowerCase() && sameEnvironment(node, c) === 'same';
  });
  return hits.length === 1 ? hits[0] : undefined;
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
