import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex, RefTarget, sameEnvironment } from '../../resource-index';
import { CannotVerify } from '../../types';
import { cannotVerify, list, obj, str } from '../common';

/** Where a data store's subnets come from: a subnet group resource type and its property, or its own list. */
interface DataStoreShape {
  readonly subnetGroupProp?: string;
  readonly subnetGroupType?: string;
  readonly subnetGroupNameProp?: string;
  readonly subnetIds?: (p: Record<string, unknown>) => unknown;
  readonly securityGroupsProp: string;
}

/** The data stores NET-TIERS and EXF-EGRESS look at. */
export const DATA_STORES: Readonly<Record<string, DataStoreShape>> = {
  'AWS::RDS::DBInstance': { subnetGroupProp: 'DBSubnetGroupName', subnetGroupType: 'AWS::RDS::DBSubnetGroup', subnetGroupNameProp: 'DBSubnetGroupName', securityGroupsProp: 'VPCSecurityGroups' },
  'AWS::RDS::DBCluster': { subnetGroupProp: 'DBSubnetGroupName', subnetGroupType: 'AWS::RDS::DBSubnetGroup', subnetGroupNameProp: 'DBSubnetGroupName', securityGroupsProp: 'VpcSecurityGroupIds' },
  'AWS::DocDB::DBCluster': { subnetGroupProp: 'DBSubnetGroupName', subnetGroupType: 'AWS::DocDB::DBSubnetGroup', subnetGroupNameProp: 'DBSubnetGroupName', securityGroupsProp: 'VpcSecurityGroupIds' },
  'AWS::Neptune::DBCluster': { subnetGroupProp: 'DBSubnetGroupName', subnetGroupType: 'AWS::Neptune::DBSubnetGroup', subnetGroupNameProp: 'DBSubnetGroupName', securityGroupsProp: 'VpcSecurityGroupIds' },
  'AWS::ElastiCache::CacheCluster': { subnetGroupProp: 'CacheSubnetGroupName', subnetGroupType: 'AWS::ElastiCache::SubnetGroup', subnetGroupNameProp: 'CacheSubnetGroupName', securityGroupsProp: 'VpcSecurityGroupIds' },
  'AWS::ElastiCache::ReplicationGroup': { subnetGroupProp: 'CacheSubnetGroupName', subnetGroupType: 'AWS::ElastiCache::SubnetGroup', subnetGroupNameProp: 'CacheSubnetGroupName', securityGroupsProp: 'SecurityGroupIds' },
  'AWS::ElastiCache::ServerlessCache': { subnetIds: (p) => p.SubnetIds, securityGroupsProp: 'SecurityGroupIds' },
  'AWS::MemoryDB::Cluster': { subnetGroupProp: 'SubnetGroupName', subnetGroupType: 'AWS::MemoryDB::SubnetGroup', subnetGroupNameProp: 'SubnetGroupName', securityGroupsProp: 'SecurityGroupIds' },
  'AWS::Redshift::Cluster': { subnetGroupProp: 'ClusterSubnetGroupName', subnetGroupType: 'AWS::Redshift::ClusterSubnetGroup', securityGroupsProp: 'VpcSecurityGroupIds' },
  'AWS::EFS::MountTarget': { subnetIds: (p) => (p.SubnetId === undefined ? undefined : [p.SubnetId]), securityGroupsProp: 'SecurityGroups' },
  'AWS::OpenSearchService::Domain': { subnetIds: (p) => (p.VPCOptions as Record<string, unknown> | undefined)?.SubnetIds, securityGroupsProp: 'VPCOptions.SecurityGroupIds' },
};

export const DATA_STORE_TYPES: readonly string[] = Object.keys(DATA_STORES);

/** An Aurora / Multi-AZ cluster member: its cluster carries network settings. */
export function isClusterMember(ix: ResourceIndex, node: CfnResource): boolean {
  return node.cfnResourceType === 'AWS::RDS::DBInstance' && ix.props(node).DBClusterIdentifier !== undefined;
}

/** The subnet id values of a data store; 'default' when it names no subnets (the default VPC). */
export function dataStoreSubnets(ix: ResourceIndex, node: CfnResource): unknown[] | 'default' {
  const shape = DATA_STORES[node.cfnResourceType];
  const p = ix.props(node);
  if (shape.subnetIds) {
    const ids = shape.subnetIds(p);
    return ids === undefined ? 'default' : list(ids, 'subnet ids');
  }
  const ref = p[shape.subnetGroupProp!];
  if (ref === undefined) return 'default';
  const group = subnetGroup(ix, node, ref, shape);
  return list(ix.props(group).SubnetIds, 'subnet group SubnetIds');
}

function subnetGroup(ix: ResourceIndex, node: CfnResource, ref: unknown, shape: DataStoreShape): CfnResource {
  const t = ix.deref(node, ref);
  if (t.kind === 'resource' && t.node.cfnResourceType === shape.subnetGroupType) return t.node;
  if (t.kind === 'literal' && shape.subnetGroupNameProp) {
    const byName = ix.memo(`subnetGroupsByName:${shape.subnetGroupType}`, () => {
      const m = new Map<string, CfnResource>();
      for (const g of ix.ofType(shape.subnetGroupType!)) {
        const n = ix.props(g)[shape.subnetGroupNameProp!];
        if (typeof n === 'string') m.set(n.toLowerCase(), g);
      }
      return m;
    });
    const g = byName.get(t.value.toLowerCase());
    if (g) return g;
  }
  return cannotVerify('the subnet group', ref);
}

/** The security-group id values of a data store; 'default' when it names none (the VPC default group). */
export function dataStoreSecurityGroups(ix: ResourceIndex, node: CfnResource): unknown[] | 'default' {
  const shape = DATA_STORES[node.cfnResourceType];
  let v: unknown = ix.props(node);
  for (const part of shape.securityGroupsProp.split('.')) v = v === undefined ? undefined : obj(v, 'security groups')![part];
  const groups = list(v, 'security groups');
  return groups.length === 0 ? 'default' : groups;
}

const resourceOf = (t: RefTarget): CfnResource | undefined => (t.kind === 'resource' ? t.node : undefined);

/** Route tables by subnet and routes by route table, built once per validation. */
function routing(ix: ResourceIndex): {
  tablesOf: Map<CfnResource, CfnResource[]>; routesOf: Map<CfnResource, CfnResource[]>; unresolvedTableOf: Map<CfnResource, unknown>;
  /**
   * Routes out (to the internet, or to a target that cannot be resolved) added to a route table the app
   * does not define (a parameter, an import, a literal rtb- id): that table may be any subnet's.
   */
  floating: { route: CfnResource; why: string }[];
} {
  return ix.memo('routing', () => {
    const tablesOf = new Map<CfnResource, CfnResource[]>();
    const routesOf = new Map<CfnResource, CfnResource[]>();
    /** Subnets associated with a route table the app does not define (its RouteTableId value). */
    const unresolvedTableOf = new Map<CfnResource, unknown>();
    const push = (m: Map<CfnResource, CfnResource[]>, k: CfnResource, v: CfnResource) => {
      const l = m.get(k);
      if (l) l.push(v); else m.set(k, [v]);
    };
    for (const a of ix.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = resourceOf(ix.propTarget(a, 'SubnetId'));
      const table = resourceOf(ix.propTarget(a, 'RouteTableId'));
      if (subnet && table) push(tablesOf, subnet, table);
      else if (subnet) unresolvedTableOf.set(subnet, ix.props(a).RouteTableId);
    }
    const floating: { route: CfnResource; why: string }[] = [];
    for (const r of ix.ofType('AWS::EC2::Route')) {
      const table = resourceOf(ix.propTarget(r, 'RouteTableId'));
      if (table) { push(routesOf, table, r); continue; }
      let why: string | undefined;
      try {
        why = internetTarget(ix, r);
      } catch (e) {
        if (!(e instanceof CannotVerify)) throw e;
        why = 'to a target that cannot be resolved';
      }
      if (why) floating.push({ route: r, why });
    }
    return { tablesOf, routesOf, unresolvedTableOf, floating };
  });
}

/**
 * Why a subnet is not isolated: the routes that lead to an internet gateway, a NAT gateway, an
 * egress-only gateway, a carrier gateway, a NAT instance or appliance (by instance or network interface),
 * or a default route to a transit gateway or core network. Empty when isolated. Memoized per subnet.
 * A route table or main route table it cannot see is an ERROR.
 */
export function internetRoutes(ix: ResourceIndex, from: CfnResource, subnetRef: unknown): string[] {
  const t = ix.deref(from, subnetRef);
  if (t.kind !== 'resource' || t.node.cfnResourceType !== 'AWS::EC2::Subnet') return cannotVerify('the subnet', subnetRef);
  const subnet = t.node;
  const cache = ix.memo('internetRoutesBySubnet', () => new Map<CfnResource, string[]>());
  const hit = cache.get(subnet);
  if (hit) return hit;
  const { tablesOf, routesOf, unresolvedTableOf, floating } = routing(ix);
  if (unresolvedTableOf.has(subnet)) return cannotVerify(`the route table of subnet ${ix.logicalId(subnet)}`, unresolvedTableOf.get(subnet));
  // A subnet with no association uses its VPC's main route table: only the local route when the VPC is
  // the app's (CloudFormation cannot name that table), unknown for a VPC from outside (a default VPC's routes to its gateway).
  if (!tablesOf.has(subnet) && ix.propTarget(subnet, 'VpcId').kind !== 'resource') {
    return cannotVerify(`the main route table of the VPC of subnet ${ix.logicalId(subnet)}`, ix.props(subnet).VpcId);
  }
  const out: string[] = [];
  for (const table of tablesOf.get(subnet) ?? []) {
    for (const route of routesOf.get(table) ?? []) {
      const why = internetTarget(ix, route);
      if (why) out.push(`${ix.logicalId(subnet)} routes ${why} (${route.node.path})`);
    }
  }
  // A route out to the internet added to a table the app cannot name may be added to this subnet's table.
  if (out.length === 0) {
    for (const { route, why } of floating) {
      if (sameEnvironment(route, subnet) === 'different') continue;
      return cannotVerify(`whether route ${route.node.path} (${why}) is in the route table of subnet ${ix.logicalId(subnet)}: its RouteTableId`, ix.props(route).RouteTableId);
    }
  }
  cache.set(subnet, out);
  return out;
}

function internetTarget(ix: ResourceIndex, route: CfnResource): string | undefined {
  const p = ix.props(route);
  const dest = str(p.DestinationCidrBlock, 'route destination') ?? str(p.DestinationIpv6CidrBlock, 'route destination') ?? 'a prefix list';
  if (p.NatGatewayId !== undefined) return `${dest} to a NAT gateway`;
  if (p.EgressOnlyInternetGatewayId !== undefined) return `${dest} to an egress-only internet gateway`;
  if (p.CarrierGatewayId !== undefined) return `${dest} to a carrier gateway`;
  if (p.InstanceId !== undefined) return `${dest} to an instance (NAT instance)`;
  if (p.NetworkInterfaceId !== undefined) return `${dest} to a network interface (NAT instance or appliance)`;
  // A default route to a transit gateway or a Cloud WAN core network is the centralized-egress pattern:
  // the internet lies beyond it, out of the app's sight. Routes to private ranges through it stay internal.
  if ((p.TransitGatewayId !== undefined || p.CoreNetworkArn !== undefined) && (dest === '0.0.0.0/0' || dest === '::/0')) {
    return `${dest} to a ${p.TransitGatewayId !== undefined ? 'transit gateway' : 'core network'} (centralized egress to the internet)`;
  }
  if (p.GatewayId !== undefined) {
    const g = ix.deref(route, p.GatewayId);
    if (g.kind === 'resource') return g.node.cfnResourceType === 'AWS::EC2::InternetGateway' ? `${dest} to an internet gateway` : undefined;
    if (g.kind === 'literal') return g.value.startsWith('vgw-') ? undefined : `${dest} to gateway ${g.value}`;
    return cannotVerify('the route gateway', p.GatewayId);
  }
  return undefined;
}

/** Whether a subnet's route tables send traffic to an internet gateway (a public subnet). Memoized per subnet. */
export function routesToInternetGateway(ix: ResourceIndex, subnet: CfnResource): boolean {
  const cache = ix.memo('publicSubnets', () => new Map<CfnResource, boolean>());
  let pub = cache.get(subnet);
  if (pub === undefined) {
    const { tablesOf, routesOf } = routing(ix);
    pub = false;
    for (const table of tablesOf.get(subnet) ?? []) {
      for (const route of routesOf.get(table) ?? []) {
        const t = ix.propTarget(route, 'GatewayId');
        if (t.kind === 'unresolved' && t.value === undefined) continue;
        if (t.kind === 'resource' ? t.node.cfnResourceType === 'AWS::EC2::InternetGateway' : t.kind === 'literal' ? t.value.startsWith('igw-') : cannotVerify('the route gateway', ix.props(route).GatewayId)) pub = true;
      }
    }
    cache.set(subnet, pub);
  }
  return pub;
}
