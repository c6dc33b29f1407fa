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

/** Security-group rule keys that name a group as a source or destination: they do not attach it. */
const PEER_KEYS = new Set(['SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId', 'DestinationSecurityGroupId']);
const RULE_TYPES = new Set(['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']);

/** The security group a reference (Ref, GetAtt GroupId, an import of either) designates, if any. */
function groupReferenced(ix: ResourceIndex, from: CfnResource, v: Record<string, unknown>): CfnResource | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1 || !['Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::GetStackOutput'].includes(keys[0])) return undefined;
  const t = ix.deref(from, v);
  if (t.kind !== 'resource' || t.node.cfnResourceType !== 'AWS::EC2::SecurityGroup') return undefined;
  return t.attribute === undefined || t.attribute === 'GroupId' ? t.node : undefined;
}

/** Every security group a resource's properties designate, except as a rule's peer. */
function groupsUsedBy(ix: ResourceIndex, node: CfnResource): Set<CfnResource> {
  const found = new Set<CfnResource>();
  const walk = (v: unknown, key: string | undefined): void => {
    if (key !== undefined && PEER_KEYS.has(key)) return;
    if (Array.isArray(v)) { for (const x of v) walk(x, undefined); return; }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const g = groupReferenced(ix, node, o);
    if (g) { found.add(g); return; }
    for (const [k, x] of Object.entries(o)) walk(x, k);
  };
  walk(ix.props(node), undefined);
  found.delete(node);
  return found;
}

/**
 * Every resource that uses each security group (instances, launch templates and their network
 * interfaces, network interfaces, functions, services, databases, load balancers...), found by
 * following every reference to the group in every resource of the app rather than a list of
 * properties; a group's own rules and other groups' rules naming it as a peer do not count. Built once.
 */
export function securityGroupUsers(ix: ResourceIndex): Map<CfnResource, CfnResource[]> {
  return ix.memo('securityGroupUsers', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const node of ix.resources) {
      if (RULE_TYPES.has(node.cfnResourceType)) continue;
      for (const g of groupsUsedBy(ix, node)) {
        const l = m.get(g);
        if (l) l.push(node); else m.set(g, [node]);
      }
    }
    return m;
  });
}

const LB_TYPES = new Set(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer']);

/** What a user of a security group is for the public-load-balancer exemption. */
type UserKind = 'public' | 'internal' | 'unknown' | 'other';

/** A load balancer is internet-facing by a literal scheme (absent means internet-facing); any other value is unknown. */
function userKind(ix: ResourceIndex, node: CfnResource): UserKind {
  if (!LB_TYPES.has(node.cfnResourceType)) return 'other';
  const scheme = ix.props(node).Scheme;
  if (scheme === undefined || scheme === 'internet-facing') return 'public';
  return typeof scheme === 'string' ? 'internal' : 'unknown';
}

/**
 * Why a group does not qualify for the public-load-balancer exemption: it is used by no
 * internet-facing load balancer, or also by something else (listed). Empty when it qualifies; cannot
 * verify when only a load balancer whose scheme cannot be resolved decides.
 */
export function publicLoadBalancerGroupGaps(ix: ResourceIndex, group: CfnResource): string[] {
  const users = (securityGroupUsers(ix).get(group) ?? []).map((u) => ({ u, kind: userKind(ix, u) }));
  const others = users.filter((x) => x.kind === 'other' || x.kind === 'internal');
  const unknown = users.filter((x) => x.kind === 'unknown');
  if (!users.some((x) => x.kind === 'public') && unknown.length === 0) return ['the group is used by no internet-facing load balancer'];
  if (others.length > 0) return [`the group is also used by ${others.map(({ u }) => `${u.node.path} (${u.cfnResourceType})`).join(', ')}, not an internet-facing load balancer`];
  if (unknown.length > 0) return cannotVerify(`whether load balancer ${unknown[0].u.node.path} is internet-facing (Scheme)`, ix.props(unknown[0].u).Scheme);
  return [];
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
