import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, reasons } from '../common';
import { DATA_STORE_TYPES, dataStoreSubnets, internetRoutes, isClusterMember } from './network';

/** Data stores sit only in subnets with no route to an internet, NAT or egress-only gateway. */
export function DataStoreIsolatedSubnets(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const subnets = dataStoreSubnets(ix, node);
  if (subnets === 'default') return ['no subnets named: the data store lands in the default VPC, whose subnets are public'];
  if (subnets.length === 0) return ['the subnet list is empty'];
  return reasons(subnets.flatMap((s) => internetRoutes(ix, node, s)));
}

export const DataStoreIsolatedSubnetsMeta: RuleMetadata = {
  ruleName: 'DataStoreIsolatedSubnets',
  controlIds: ['NET-TIERS'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:SC-7', 'nist-800-53:AC-4'],
  level: 'error',
  resourceTypes: DATA_STORE_TYPES,
  info: 'The data store sits in a subnet with a route to an internet, NAT or egress-only gateway.',
  explanation: 'Lesson L4 (no lateral movement) and L6 (exfiltration is blocked): a database that can reach the internet can be reached from it and can send data out; the data tier belongs in isolated subnets.',
  fix: 'Place the data store in isolated subnets (vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED }, or the data subnet group of SegmentedVpc); reach AWS APIs through VPC endpoints.',
};
