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

/** The raw ingress rules a security group or ingress resource declares, with the group they belong to. */
export function ingressRulesOf(ix: ResourceIndex, node: CfnResource): { group: CfnResource | undefined; groupRef: unknown; rules: Record<string, unknown>[]; what: string } {
  const p = ix.props(node);
  if (node.cfnResourceType === 'AWS::EC2::SecurityGroup') {
    return { group: node, groupRef: undefined, rules: list(p.SecurityGroupIngress, 'SecurityGroupIngress').map((r) => obj(r, 'ingress rule')!), what: 'ingress rule' };
  }
  const groupRef = p.GroupId ?? p.GroupName;
  return { group: ix.resourceOf(node, groupRef), groupRef, rules: [p], what: 'ingress' };
}

/** The full permission of one raw rule (its CIDR resolved: throws CannotVerify on an intrinsic). */
export function permissionOf(ix: ResourceIndex, node: CfnResource, rule: Record<string, unknown>, what: string): Permission {
  return permission(withVpcCidr(ix, node, rule), what);
}

/** Only the protocol and ports of a raw rule, so a rule can filter by port before it needs the source. */
export function portsOf(rule: Record<string, unknown>, what: string): Pick<Permission, 'protocol' | 'from' | 'to'> {
  const { protocol, from, to } = permission({ IpProtocol: rule.IpProtocol, FromPort: rule.FromPort, ToPort: rule.ToPort }, what);
  return { protocol, from, to };
}

/** The ingress permissions a security group or ingress resource declares, with the group they belong to. */
export function ingressOf(ix: ResourceIndex, node: CfnResource): { group: CfnResource | undefined; groupRef: unknown; permissions: Permission[] } {
  const { group, groupRef, rules, what } = ingressRulesOf(ix, node);
  return { group, groupRef, permissions: rules.map((r) => permissionOf(ix, node, r, what)) };
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
