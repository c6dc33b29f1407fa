import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, compliantIf, obj, str } from '../common';
import { launchTemplateOf } from './launch-templates';

/**
 * Whether the metadata options protect the credentials: session tokens required (IMDSv2), or the
 * endpoint switched off altogether (HttpEndpoint disabled, the strongest setting).
 */
function requiresTokens(options: unknown): boolean {
  const o = obj(options, 'MetadataOptions');
  if (str(o?.HttpTokens, 'HttpTokens') === 'required') return true;
  return str(o?.HttpEndpoint, 'HttpEndpoint') === 'disabled';
}

/** Instances, launch templates and launch configurations require IMDSv2 session tokens or disable the metadata endpoint. */
export function EC2IMDSv2Required(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  switch (node.cfnResourceType) {
    case 'AWS::EC2::LaunchTemplate':
      return compliantIf(requiresTokens(obj(p.LaunchTemplateData, 'LaunchTemplateData')?.MetadataOptions));
    case 'AWS::AutoScaling::LaunchConfiguration':
      return compliantIf(requiresTokens(p.MetadataOptions));
    default: {
      // Metadata options the instance declares override its launch template's (RunInstances parameters win).
      if (p.MetadataOptions !== undefined) return compliantIf(requiresTokens(p.MetadataOptions));
      const lt = obj(p.LaunchTemplate, 'LaunchTemplate');
      if (!lt) return compliantIf(false);
      const target = launchTemplateOf(ix, node, lt);
      return compliantIf(requiresTokens(obj(ix.props(target).LaunchTemplateData, 'LaunchTemplateData')?.MetadataOptions));
    }
  }
}

export const EC2IMDSv2RequiredMeta: RuleMetadata = {
  ruleName: 'EC2IMDSv2Required',
  controlIds: ['EC2-IMDSV2'],
  cites: ['cis-aws:5.7', 'nist-800-53:AC-3', 'nist-800-53:AC-6', 'aws-fsbp:EC2.8'],
  level: 'error',
  resourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  info: 'The instance, launch template or launch configuration does not require IMDSv2.',
  explanation: 'Lesson L2 (a stolen credential opens little): with IMDSv1 a server-side request forgery reads the instance role credentials (T1552.005).',
  fix: 'Set requireImdsv2: true on the Instance / LaunchTemplate (MetadataOptions HttpTokens required; HttpEndpoint disabled is stronger still); on a launch configuration set MetadataOptions.HttpTokens: required, or replace it with a launch template.',
};
