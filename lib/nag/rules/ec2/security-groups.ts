import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { Permission, cannotVerify, list, obj, permission, str } from '../common';

/**
 * A rule whose CidrIp is the CidrBlock attribute of a VPC of the app (`Peer.ipv4(vpc.vpcCidrBlock)`,
 * what interface endpoints open by default) with that VPC's literal CIDR put in; any other rule unchanged.
 */
function withVpcCidr(ix: ResourceIndex, node: CfnResource, r: Record<string, unknown>): Record<string, unknown> {
  if (typeof r.CidrIp !== 'object' || r.CidrIp === null) return r;
  const t = ix.deref(node, r.CidrIp);
  if (t.kind !== 'resource' || t.node.cfnResourceType !== 'AWS::EC2::VPC' || t.attribute !== 'CidrBlock') return r;
  const cidr = ix.props(t.node).CidrBlock;
  return typeof cidr === 'string' ? { ...r, CidrIp: cidr } : r;
}

/** The ingress permissions a security group or ingress resource declares, with the group they belong to. */
export function ingressOf(ix: ResourceIndex, node: CfnResource): { group: CfnResource | undefined; groupRef: unknown; permissions: Permission[] } {
  const p = ix.props(node);
  if (node.cfnResourceType === 'AWS::EC2::SecurityGroup') {
    return { group: node, groupRef: undefined, permissions: list(p.SecurityGroupIngress, 'SecurityGroupIngress').map((r) => permission(withVpcCidr(ix, node, obj(r, 'ingress rule')!), 'ingress rule')) };
  }
  const groupRef = p.GroupId ?? p.GroupName;
  return { group: ix.resourceOf(node, groupRef), groupRef, permissions: [permission(withVpcCidr(ix, node, p), 'ingress')] };
}

/** Security groups attached to an internet-facing load balancer, built once per validation. */
export function publicLoadBalancerGroups(ix: ResourceIndex): Set<CfnResource> {
  return ix.memo('publicLoadBalancerGroups', () => {
    const s = new Set<CfnResource>();
    for (const type of ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer']) {
      for (const lb of ix.ofType(type)) {
        const p = ix.props(lb);
        if (p.Scheme !== undefined && p.Scheme !== 'internet-facing') continue;
        for (const g of Array.isArray(p.SecurityGroups) ? p.SecurityGroups : []) {
          const sg = ix.resourceOf(lb, g);
          if (sg) s.add(sg);
        }
      }
    }
    return s;
  });
}

/** The IPv4 CIDR of the VPC a security group or network ACL belongs to; throws when it cannot be known. */
export function vpcCidrOf(ix: ResourceIndex, owner: CfnResource): string {
  const vpcRef = ix.props(owner).VpcId;
  const vpc = ix.resourceOf(owner, vpcRef);
  if (!vpc || vpc.cfnResourceType !== 'AWS::EC2::VPC') return cannotVerify(`the VPC of ${owner.node.path}`, vpcRef);
  const cidr = str(ix.props(vpc).CidrBlock, 'VPC CidrBlock');
  if (!cidr) return cannotVerify(`the CIDR of VPC ${vpc.node.path}`, ix.props(vpc).CidrBlock);
  return cidr;
}
