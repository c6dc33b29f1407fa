import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { cannotVerify, list, obj } from '../common';

/** The policy documents an IAM resource carries inline (Policies / PolicyDocument). */
export function inlineDocuments(ix: ResourceIndex, node: CfnResource): unknown[] {
  const p = ix.props(node);
  if (node.cfnResourceType === 'AWS::IAM::Policy' || node.cfnResourceType === 'AWS::IAM::ManagedPolicy') return [p.PolicyDocument];
  return list(p.Policies, 'Policies').map((x) => obj(x, 'inline policy')!.PolicyDocument);
}

/** IAM::Policy and IAM::ManagedPolicy resources by the group they attach to, built once. */
function attachedToGroup(ix: ResourceIndex): Map<CfnResource, CfnResource[]> {
  return ix.memo('policiesByGroup', () => {
    const m = new Map<CfnResource, CfnResource[]>();
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const pol of ix.ofType(type)) {
        const groups = ix.props(pol).Groups;
        for (const g of Array.isArray(groups) ? groups : []) {
          const group = ix.resourceOf(pol, g);
          if (!group) continue;
          const l = m.get(group);
          if (l) l.push(pol); else m.set(group, [pol]);
        }
      }
    }
    return m;
  });
}

/**
 * Every policy document that applies to a group, with the resource that holds it (to resolve its
 * references): inline, attached policy resources, managed policies of the app. An AWS-managed policy
 * ARN contributes nothing; any other unknown ARN throws CannotVerify.
 */
export function groupDocuments(ix: ResourceIndex, group: CfnResource): { holder: CfnResource; document: unknown }[] {
  const docs = inlineDocuments(ix, group).map((document) => ({ holder: group, document }));
  for (const pol of attachedToGroup(ix).get(group) ?? []) docs.push({ holder: pol, document: ix.props(pol).PolicyDocument });
  for (const arn of list(ix.props(group).ManagedPolicyArns, 'ManagedPolicyArns')) {
    const t = ix.deref(group, arn);
    if (t.kind === 'resource' && t.node.cfnResourceType === 'AWS::IAM::ManagedPolicy') docs.push({ holder: t.node, document: ix.props(t.node).PolicyDocument });
    else if (!isAwsManagedPolicyArn(arn)) cannotVerify('the managed policy', arn);
  }
  return docs;
}

function isAwsManagedPolicyArn(arn: unknown): boolean {
  if (typeof arn === 'string') return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
  const j = (arn as Record<string, unknown>)?.['Fn::Join'];
  return Array.isArray(j) && Array.isArray(j[1]) && (j[1] as unknown[]).some((p) => typeof p === 'string' && p.startsWith(':iam::aws:policy/'));
}
