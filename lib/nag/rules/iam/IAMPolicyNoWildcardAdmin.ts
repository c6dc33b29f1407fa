import { CfnResource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, reasons, resourceIsStar, statements, strings } from '../common';
import { l2Statements } from './l2-policy';
import { inlineDocuments } from './policy-documents';

/** Managed policies of the app used only as permissions boundaries (a ceiling, not a grant), built once. */
function boundaryOnlyPolicies(ix: ResourceIndex): Set<CfnResource> {
  return ix.memo('boundaryOnlyPolicies', () => {
    const boundaries = new Set<CfnResource>();
    const attached = new Set<CfnResource>();
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
      for (const n of ix.ofType(type)) {
        const p = ix.props(n);
        const b = p.PermissionsBoundary === undefined ? undefined : ix.resourceOf(n, p.PermissionsBoundary);
        if (b) boundaries.add(b);
        for (const arn of Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns : []) {
          const a = ix.resourceOf(n, arn);
          if (a) attached.add(a);
        }
      }
    }
    for (const b of boundaries) {
      const p = ix.props(b);
      if (attached.has(b) || p.Roles !== undefined || p.Users !== undefined || p.Groups !== undefined) boundaries.delete(b);
    }
    return boundaries;
  });
}

/** Fast path: no Allow statement of an L2 document names a wildcard, NotAction or a token action. */
function plainlyNarrow(doc: unknown): boolean {
  const list = l2Statements(doc);
  return !!list && list.every((st) => st.effect === iam.Effect.DENY
    || (st.notActions.length === 0 && st.actions.every((a) => !Token.isUnresolved(a) && a !== '*' && !/^[a-z0-9-]+:\*$/i.test(a))));
}

/**
 * Fast path for a role, group or user: its inline policies as the construct holds them are a plain
 * list of { policyName, policyDocument } whose documents are all plainly narrow (no inline policy at
 * all is narrow too). Anything else (a token, an escape-hatch override, a document given as JSON)
 * is left to the resolved path.
 */
function inlinePlainlyNarrow(ix: ResourceIndex, node: CfnResource): boolean {
  const raw = ix.rawProp(node, 'Policies');
  if (raw === undefined) return ix.cfn(node).Properties !== undefined && !('Policies' in ix.cfn(node).Properties!);
  if (!Array.isArray(raw) || Token.isUnresolved(raw)) return false;
  return raw.every((p) => typeof p === 'object' && p !== null && !Token.isUnresolved(p) && plainlyNarrow((p as { policyDocument?: unknown }).policyDocument));
}

/** No custom policy allows "*" or "service:*" on Resource "*". */
export function IAMPolicyNoWildcardAdmin(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if ((node.cfnResourceType === 'AWS::IAM::Policy' || node.cfnResourceType === 'AWS::IAM::ManagedPolicy') && plainlyNarrow(ix.rawProp(node, 'PolicyDocument'))) {
    return NagRuleCompliance.COMPLIANT;
  }
  if ((node.cfnResourceType === 'AWS::IAM::Role' || node.cfnResourceType === 'AWS::IAM::Group' || node.cfnResourceType === 'AWS::IAM::User') && inlinePlainlyNarrow(ix, node)) {
    return NagRuleCompliance.COMPLIANT;
  }
  const out: string[] = [];
  for (const doc of inlineDocuments(ix, node)) {
    for (const s of statements(doc, 'policy')) {
      if (s.Effect !== 'Allow') continue;
      // Actions first: they are literal strings, and most statements stop here.
      const wild = s.NotAction !== undefined ? ['NotAction'] : strings(s.Action, 'Action').filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a));
      if (wild.length === 0) continue;
      const onAll = s.NotResource !== undefined || (s.Resource !== undefined && resourceIsStar(ix, node, s.Resource));
      if (onAll) out.push(`Allow ${wild.join(', ')} on *`);
    }
  }
  if (out.length > 0 && boundaryOnlyPolicies(ix).has(node)) return NagRuleCompliance.NOT_APPLICABLE;
  return reasons(out);
}

export const IAMPolicyNoWildcardAdminMeta: RuleMetadata = {
  ruleName: 'IAMPolicyNoWildcardAdmin',
  controlIds: ['IAM-LEASTPRIV'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.16', 'nist-800-53:AC-6', 'aws-fsbp:IAM.1', 'aws-fsbp:IAM.21'],
  level: 'error',
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::Group', 'AWS::IAM::User'],
  info: 'A custom policy allows "*" or a whole service ("service:*") on every resource.',
  explanation: 'Lesson L2 (a stolen credential opens little): a wildcard grant turns any stolen credential into an administrator (CIS 1.16, NYDFS 500.7).',
  fix: 'Name the actions and resources the principal needs (grantRead, grantEncrypt...); never Action * or service:* on Resource *.',
};
