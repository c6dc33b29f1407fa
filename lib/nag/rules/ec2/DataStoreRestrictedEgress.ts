import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, OPEN_CIDRS, cannotVerify, list, obj, permission, reasons } from '../common';
import { DATA_STORE_TYPES, dataStoreSecurityGroups, isClusterMember } from './network';

/** Egress rule resources by the group they extend, built once per validation. */
function egressResources(ix: ResourceIndex): Map<CfnResource, CfnResource[]> {
  return ix.memo('egressByGroup', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const e of ix.ofType('AWS::EC2::SecurityGroupEgress')) {
      const g = ix.resourceOf(e, ix.props(e).GroupId);
      if (!g) continue;
      const l = m.get(g);
      if (l) l.push(e); else m.set(g, [e]);
    }
    return m;
  });
}

function allOutbound(r: Record<string, unknown>): boolean {
  const p = permission(r, 'egress rule');
  return p.protocol === '-1' && !!p.cidr && OPEN_CIDRS.has(p.cidr);
}

/** Data stores' security groups do not allow all outbound traffic. */
export function DataStoreRestrictedEgress(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const groups = dataStoreSecurityGroups(ix, node);
  if (groups === 'default') return ['no security group named: the VPC default group applies'];
  const out: string[] = [];
  for (const ref of groups) {
    const sg = ix.resourceOf(node, ref);
    if (!sg || sg.cfnResourceType !== 'AWS::EC2::SecurityGroup') return cannotVerify('the security group', ref);
    const inline = list(ix.props(sg).SecurityGroupEgress, 'SecurityGroupEgress').map((r) => obj(r, 'egress rule')!);
    const extra = (egressResources(ix).get(sg) ?? []).map((e) => ix.props(e));
    const name = ix.logicalId(sg);
    if (inline.length === 0 && extra.length === 0) out.push(`${name} declares no egress rule, so AWS allows all outbound`);
    else if ([...inline, ...extra].some(allOutbound)) out.push(`${name} allows all outbound traffic`);
  }
  return reasons(out);
}

export const DataStoreRestrictedEgressMeta: RuleMetadata = {
  ruleName: 'DataStoreRestrictedEgress',
  controlIds: ['EXF-EGRESS'],
  cites: ['nydfs-500:500.7', 'nist-800-53:SC-7', 'nist-800-53:SC-7(5)', 'nist-800-53:AC-4'],
  level: 'error',
  resourceTypes: DATA_STORE_TYPES,
  info: 'A security group of the data store allows all outbound traffic.',
  explanation: 'Lesson L6 (exfiltration is blocked or noticed): a data store that may open any outbound connection can ship the data out (T1048); it only ever answers.',
  fix: 'Put the data store in SegmentedVpc\'s dataSecurityGroup (no egress), or create its security groups with allowAllOutbound: false and add only the egress the engine needs.',
};
