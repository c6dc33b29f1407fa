import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, OPEN_CIDRS, bool, num, obj, reasons, str } from '../common';

/** The protocol and ports of an inbound allow entry, without its CIDR; undefined when it is egress or deny. */
export function naclIngressPorts(ix: ResourceIndex, node: CfnResource): { protocol: string; from: number; to: number } | undefined {
  const p = ix.props(node);
  if (bool(p.Egress, 'Egress') === true || str(p.RuleAction, 'RuleAction') !== 'allow') return undefined;
  const protocol = String(num(p.Protocol, 'Protocol') ?? -1);
  const range = obj(p.PortRange, 'PortRange');
  const all = protocol === '-1' || range === undefined;
  return {
    protocol: protocol === '6' ? 'tcp' : protocol,
    from: all ? 0 : num(range!.From, 'PortRange.From') ?? 0,
    to: all ? 65535 : num(range!.To, 'PortRange.To') ?? 65535,
  };
}

/** The CIDR an entry admits (throws CannotVerify when it is an intrinsic). */
export function naclCidr(ix: ResourceIndex, node: CfnResource): string | undefined {
  const p = ix.props(node);
  return str(p.CidrBlock, 'CidrBlock') ?? str(p.Ipv6CidrBlock, 'Ipv6CidrBlock');
}

/** The normalized inbound allow entry of a network ACL, or undefined when it is egress or deny. */
export function naclIngress(ix: ResourceIndex, node: CfnResource): { protocol: string; from: number; to: number; cidr: string | undefined } | undefined {
  const ports = naclIngressPorts(ix, node);
  return ports && { ...ports, cidr: naclCidr(ix, node) };
}

/** No network ACL entry allows inbound traffic from anywhere except TCP 443. */
export function NetworkAclNoOpenIngress(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const e = naclIngress(ix, node);
  if (!e) return NagRuleCompliance.NOT_APPLICABLE;
  if (!e.cidr || !OPEN_CIDRS.has(e.cidr)) return reasons([]);
  if (e.protocol === 'tcp' && e.from === 443 && e.to === 443) return reasons([]);
  return [`allows ${e.protocol === '-1' ? 'all traffic' : `protocol ${e.protocol} ports ${e.from}-${e.to}`} from ${e.cidr}`];
}

export const NetworkAclNoOpenIngressMeta: RuleMetadata = {
  ruleName: 'NetworkAclNoOpenIngress',
  controlIds: ['NET-INGRESS'],
  cites: ['glba:314.4(c)(1)', 'nist-800-53:SC-7', 'nist-800-53:AC-4'],
  level: 'error',
  resourceTypes: ['AWS::EC2::NetworkAclEntry'],
  info: 'The network ACL entry allows inbound traffic from anywhere (0.0.0.0/0 or ::/0) other than TCP 443.',
  explanation: 'Lesson L4 (no lateral movement): a network ACL is the subnet-wide backstop; an allow-all entry from the internet removes it.',
  fix: 'Allow inbound only from the VPC CIDR (AclCidr.ipv4(vpcCidr)) or TCP 443 from anywhere, and deny the rest (SegmentedVpc\'s data-tier network ACL admits only the VPC).',
};
