import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify } from '../common';

/** Flow logs by the VPC they watch (ALL traffic or not), and those whose target cannot be resolved. */
function flowLogs(ix: ResourceIndex): { all: Set<CfnResource>; partial: Set<CfnResource>; unresolved: unknown[] } {
  return ix.memo('flowLogsByVpc', () => {
    const all = new Set<CfnResource>();
    const partial = new Set<CfnResource>();
    const unresolved: unknown[] = [];
    for (const f of ix.ofType('AWS::EC2::FlowLog')) {
      const p = ix.props(f);
      if (p.ResourceType !== 'VPC') continue;
      const t = ix.deref(f, p.ResourceId);
      if (t.kind !== 'resource') { unresolved.push(p.ResourceId); continue; }
      if (p.TrafficType === 'ALL') all.add(t.node); else partial.add(t.node);
    }
    return { all, partial, unresolved };
  });
}

/** Every VPC has a flow log capturing ALL traffic. */
export function VPCFlowLogAllTraffic(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const f = flowLogs(ix);
  if (f.all.has(node)) return NagRuleCompliance.COMPLIANT;
  if (f.unresolved.length > 0) return cannotVerify('the VPC of a flow log', f.unresolved[0]);
  return f.partial.has(node) ? ['the flow log does not capture ALL traffic'] : ['no flow log'];
}

export const VPCFlowLogAllTrafficMeta: RuleMetadata = {
  ruleName: 'VPCFlowLogAllTraffic',
  controlIds: ['LOG-FLOW'],
  cites: ['nydfs-500:500.14(b)', 'cis-aws:3.7', 'nist-800-53:AU-2', 'nist-800-53:SI-4', 'aws-fsbp:EC2.6'],
  level: 'error',
  resourceTypes: ['AWS::EC2::VPC'],
  info: 'The VPC has no flow log capturing ALL traffic.',
  explanation: 'Lesson L7 (dwell time is short): flow logs show lateral movement and exfiltration connections; without them the investigation cannot tell what left the network (CIS 3.7).',
  fix: 'Add vpc.addFlowLog(...) with trafficType: FlowLogTrafficType.ALL (SegmentedVpc does this).',
};
