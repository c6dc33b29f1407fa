import { CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, reasons } from '../common';

interface TemplateFacts {
  /** The resource the template's finding is reported on: its first resource in construct-tree order. */
  readonly anchor: CfnResource;
  /** Console-password users and access keys the template defines. */
  readonly offenders: string[];
}

/** Per stack (template): its anchor and what it defines against IAM-NOUSERS, from one pass over the index. */
function templateFacts(ix: ResourceIndex): Map<Stack, TemplateFacts> {
  return ix.memo('iamNoUsersByTemplate', () => {
    const m = new Map<Stack, TemplateFacts>();
    for (const r of ix.resources) {
      const stack = Stack.of(r);
      let facts = m.get(stack);
      if (!facts) m.set(stack, (facts = { anchor: r, offenders: [] }));
      if (r.cfnResourceType === 'AWS::IAM::AccessKey') {
        facts.offenders.push(`access key ${ix.logicalId(r)}`);
      } else if (r.cfnResourceType === 'AWS::IAM::User' && ix.props(r).LoginProfile !== undefined) {
        facts.offenders.push(`user ${ix.logicalId(r)} with a console password`);
      }
    }
    return m;
  });
}

/**
 * Positive evidence for IAM-NOUSERS, once per template: the template defines no IAM user with a
 * console password and no access key. Evaluated on the template's first resource (the anchor);
 * every other resource is not applicable.
 */
export function IAMTemplateNoUsersOrKeys(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const facts = templateFacts(ix).get(Stack.of(node));
  if (!facts || facts.anchor !== node) return NagRuleCompliance.NOT_APPLICABLE;
  if (facts.offenders.length > 0) return reasons(facts.offenders);
  // A transform (SAM, a macro) generates resources no rule sees: their absence cannot be attested.
  const o = Stack.of(node).templateOptions;
  const transforms = o.transforms ?? [];
  if (transforms.length > 0) {
    throw new CannotVerify(`cannot verify the template's generated resources: Transform ${transforms.join(', ')} is not expanded`);
  }
  return NagRuleCompliance.COMPLIANT;
}

export const IAMTemplateNoUsersOrKeysMeta: RuleMetadata = {
  ruleName: 'IAMTemplateNoUsersOrKeys',
  controlIds: ['IAM-NOUSERS'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.11', 'cis-aws:1.21', 'nist-800-53:AC-2', 'nist-800-53:IA-2'],
  level: 'error',
  resourceTypes: ['*'],
  info: 'The template defines an IAM user with a console password or an access key.',
  explanation: 'Lesson L1/L2: people come through federation with MFA and workloads through roles; this rule reports once per template, on its first resource, so a template with no user and no key is positive evidence rather than an absence of findings.',
  fix: 'Remove the IAM users with a LoginProfile and the AccessKeys the finding names; give people IAM Identity Center (IdentityCenterPermissionSets) or SAML federation into a HumanRole, and workloads roles.',
  passes: 'This template defines no IAM user with a console password and no access key',
};
