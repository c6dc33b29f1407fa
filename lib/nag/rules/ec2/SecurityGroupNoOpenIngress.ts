import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, OPEN_CIDRS, isOnly443, reasons } from '../common';
import { ingressOf, publicLoadBalancerGroupGaps } from './security-groups';

/**
 * No security group admits 0.0.0.0/0 or ::/0, except TCP 443 on a group used only by internet-facing
 * load balancers (every user of the group is followed: an instance sharing it is open to the world).
 */
export function SecurityGroupNoOpenIngress(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const { group, permissions } = ingressOf(ix, node);
  const out: string[] = [];
  for (const p of permissions) {
    if (!p.cidr || !OPEN_CIDRS.has(p.cidr)) continue;
    const rule = `${p.protocol === '-1' ? 'all traffic' : `${p.protocol} ${p.from}-${p.to}`} from ${p.cidr}`;
    if (!isOnly443(p) || !group) { out.push(rule); continue; }
    const gaps = publicLoadBalancerGroupGaps(ix, group);
    if (gaps.length > 0) out.push(`${rule}: ${gaps.join('; ')}`);
  }
  return reasons(out);
}

export const SecurityGroupNoOpenIngressMeta: RuleMetadata = {
  ruleName: 'SecurityGroupNoOpenIngress',
  controlIds: ['NET-INGRESS'],
  cites: ['glba:314.4(c)(1)', 'nist-800-53:SC-7', 'nist-800-53:AC-4', 'aws-fsbp:EC2.18'],
  level: 'error',
  resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  info: 'The security group admits traffic from anywhere (0.0.0.0/0 or ::/0) other than TCP 443 to an internet-facing load balancer.',
  explanation: 'Lesson L4 (no lateral movement): every port open to the internet is a way in for stolen credentials and exploits; only the public load balancer listens to the world, on 443.',
  fix: 'Admit only the load balancer security group or VPC CIDRs (connections.allowFrom(peerGroup, port)); keep Peer.anyIpv4() to TCP 443 on an internet-facing load balancer only. SegmentedVpc\'s tier security groups admit no internet ingress.',
};
