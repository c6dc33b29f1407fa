import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { cannotVerify } from '../common';

/** Launch templates of the app by LaunchTemplateName (CDK instances name theirs literally), built once. */
function templatesByName(ix: ResourceIndex): Map<string, CfnResource> {
  return ix.memo('launchTemplatesByName', () => {
    const m = new Map<string, CfnResource>();
    for (const lt of ix.ofType('AWS::EC2::LaunchTemplate')) {
      const name = ix.props(lt).LaunchTemplateName;
      if (typeof name === 'string') m.set(name, lt);
    }
    return m;
  });
}

/**
 * The launch template of the app that an instance's LaunchTemplate specification names, by id or by name.
 * A template outside the app, a parameter or another resource's output cannot be seen: cannot verify.
 */
export function launchTemplateOf(ix: ResourceIndex, node: CfnResource, spec: Record<string, unknown>): CfnResource {
  const t = ix.deref(node, spec.LaunchTemplateId ?? spec.LaunchTemplateName);
  const target = t.kind === 'resource' ? t.node : t.kind === 'literal' ? templatesByName(ix).get(t.value) : undefined;
  if (!target || target.cfnResourceType !== 'AWS::EC2::LaunchTemplate') return cannotVerify('the launch template', spec);
  return target;
}
