import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, cidrWithin, coversPort, reasons } from '../common';
import { naclCidr, naclIngressPorts } from './NetworkAclNoOpenIngress';
import { ingressRulesOf, permissionOf, portsOf, vpcCidrOf } from './security-groups';

const ADMIN_PORTS = [22, 3389];

/** A CIDR wider than any VPC can be (IPv4 /16, IPv6 /56): beyond the VPC whatever its range. */
function widerThanAnyVpc(cidr: string | undefined): boolean {
  const m = /\/(\d+)$/.exec(cidr ?? '');
  if (!cidr || !m) return false;
  return cidr.includes(':') ? Number(m[1]) < 56 : Number(m[1]) < 16;
}

/** SSH (22) and RDP (3389) are never open to sources beyond the VPC, in security groups or network ACLs. */
export function NoAdminPortsBeyondVpc(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (node.cfnResourceType === 'AWS::EC2::NetworkAclEntry') {
    // Ports first: an entry that cannot reach 22 or 3389 passes whatever its (perhaps unresolved) CIDR.
    const range = naclIngressPorts(ix, node);
    if (!range) return NagRuleCompliance.NOT_APPLICABLE;
    const ports = ADMIN_PORTS.filter((port) => range.protocol === '-1' || (range.protocol === 'tcp' && range.from <= port && port <= range.to));
    if (ports.length === 0) return reasons([]);
    const e = { ...range, cidr: naclCidr(ix, node) };
    if (widerThanAnyVpc(e.cidr)) return [`port ${ports.join(', ')} open to ${e.cidr}`];
    const acl = ix.resourceOf(node, ix.props(node).NetworkAclId);
    if (!acl) return cannotVerify('the network ACL', ix.props(node).NetworkAclId);
    const vpcCidr = vpcCidrOf(ix, acl);
    return reasons(e.cidr && cidrWithin(e.cidr, vpcCidr) ? [] : [`port ${ports.join(', ')} open to ${e.cidr} beyond VPC ${vpcCidr}`]);
  }
  const { group, groupRef, rules, what } = ingressRulesOf(ix, node);
  const out: string[] = [];
  let vpcCidr: string | undefined;
  for (const rule of rules) {
    // Ports first: a rule that cannot reach 22 or 3389 is never "cannot verify" for its source.
    const ports = ADMIN_PORTS.filter((port) => coversPort(portsOf(rule, what), port));
    if (ports.length === 0) continue;
    const p = permissionOf(ix, node, rule, what);
    if (p.sourceGroup !== undefined) continue;
    if (widerThanAnyVpc(p.cidr)) { out.push(`port ${ports.join(', ')} open to ${p.cidr}`); continue; }
    if (p.prefixList !== undefined) cannotVerify('the prefix list source', p.prefixList);
    if (!group) cannotVerify('the security group', groupRef);
    vpcCidr ??= vpcCidrOf(ix, group!);
    if (!p.cidr || !cidrWithin(p.cidr, vpcCidr)) out.push(`port ${ports.join(', ')} open to ${p.cidr} beyond VPC ${vpcCidr}`);
  }
  return reasons(out);
}

export const NoAdminPortsBeyondVpcMeta: RuleMetadata = {
  ruleName: 'NoAdminPortsBeyondVpc',
  controlIds: ['NET-NOADMINPORTS'],
  cites: ['cis-aws:5.2', 'cis-aws:5.3', 'cis-aws:5.4', 'nist-800-53:SC-7', 'nist-800-53:AC-17'],
  level: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry'],
  info: 'SSH (22) or RDP (3389) is open to sources beyond the VPC.',
  explanation: 'Lesson L4 (no lateral movement): remote-service ports are how an intruder with stolen credentials moves between hosts (T1021); administrators use Session Manager instead.',
  fix: 'Remove the SSH/RDP ingress and use AWS Systems Manager Session Manager (SegmentedVpc adds the ssm, ssmmessages and ec2messages endpoints it needs); if a port must stay, admit only a security group or a CIDR inside the VPC.',
};
