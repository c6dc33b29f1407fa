import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, compliantIf } from '../common';

/** VPCs whose default security group CDK restricts (Custom::VpcRestrictDefaultSG), built once. */
function restrictedVpcs(ix: ResourceIndex): Set<CfnResource> {
  return ix.memo('restrictedDefaultSgVpcs', () => {
    const s = new Set<CfnResource>();
    for (const c of ix.ofType('Custom::VpcRestrictDefaultSG')) {
      const t = ix.deref(c, ix.props(c).DefaultSecurityGroupId);
      if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::EC2::VPC') s.add(t.node);
    }
    return s;
  });
}

/** Every VPC closes its default security group; no rule resource opens it again. */
export function DefaultSecurityGroupClosed(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (node.cfnResourceType === 'AWS::EC2::VPC') return compliantIf(restrictedVpcs(ix).has(node));
  const t = ix.deref(node, ix.props(node).GroupId);
  const opensDefault = t.kind === 'resource' && t.node.cfnResourceType === 'AWS::EC2::VPC' && t.attribute === 'DefaultSecurityGroup';
  return opensDefault ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}

export const DefaultSecurityGroupClosedMeta: RuleMetadata = {
  ruleName: 'DefaultSecurityGroupClosed',
  controlIds: ['NET-DEFAULTSG'],
  cites: ['cis-aws:5.5', 'nist-800-53:SC-7', 'aws-fsbp:EC2.2'],
  level: 'error',
  resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
  info: 'The VPC default security group is not closed, or a rule resource opens it.',
  explanation: 'Lesson L4 (no lateral movement): the default group admits all traffic between its members; anything launched without a group lands in it and can reach everything else there (CIS 5.5).',
  fix: 'Use SegmentedVpc (it closes the default group), or set restrictDefaultSecurityGroup: true on the ec2.Vpc (the @aws-cdk/aws-ec2:restrictDefaultSecurityGroup feature flag); never add rules to the default group.',
};
