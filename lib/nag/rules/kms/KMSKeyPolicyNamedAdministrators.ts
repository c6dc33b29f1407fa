import { CfnResource, Stack } from 'aws-cdk-lib';
import { keyPolicyChangers, showOwn } from '../../../policy/questions';
import { ResourceIndex, stackSetTemplateInfo } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, decided, ownOf, policyJson, reasons, sharedAnswer, syntheticValue } from '../common';
import { STACKSETS_EXEC_ROLE, stackSetExecutionRoleGuard } from './stackset-execution-guard';

/**
 * Only the administrators the key policy names may change it: no principal it does not name (by ARN in
 * `Principal`, or by an exact `aws:PrincipalArn`) may call kms:PutKeyPolicy (granted by `kms:*` and
 * `kms:Put*` too). A grant to an account root admits every principal of the account whose IAM policies
 * allow the action, so `kms:*` to the root fails. Decided with lib/policy (keyPolicyChangers).
 * In a StackSet template the CloudFormation execution role can only be named by its pattern
 * (`stacksets-exec-*`): it counts as named only where the app's SCPs keep every target account from
 * creating a role of that name (stackSetExecutionRoleGuard); otherwise the finding says why not.
 */
export function KMSKeyPolicyNamedAdministrators(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const raw = ix.props(node).KeyPolicy;
  if (raw === undefined) return ['no key policy: the default key policy gives the account root kms:*, so any principal of the account with kms:PutKeyPolicy in its IAM policies may rewrite it'];
  const doc = policyJson(ix, node, raw);
  const own = ownOf(ix, node);
  const keyArn = syntheticValue(ix, node, 'Arn') as string;
  const execution = (p: string) => STACKSETS_EXEC_ROLE.exec(p)?.[1] === own.account;
  const guard = stackSetTemplateInfo(Stack.of(node)) ? stackSetExecutionRoleGuard(ix, own, Stack.of(node)) : undefined;
  const a = guard?.guarded
    ? sharedAnswer(ix, 'kms policy changers, stacksets-exec-* guarded', [doc], keyArn, own, (docs, subject) => keyPolicyChangers(docs[0], subject, own, execution))
    : sharedAnswer(ix, 'kms policy changers', [doc], keyArn, own, (docs, subject) => keyPolicyChangers(docs[0], subject, own));
  if (!decided(a, 'who may change the key policy')) return NagRuleCompliance.COMPLIANT;
  const unguarded = guard && a.why.some((w) => w.includes(':role/stacksets-exec-*')) ? [guard.why] : [];
  return reasons([...a.why.map(showOwn), ...unguarded]);
}

export const KMSKeyPolicyNamedAdministratorsMeta: RuleMetadata = {
  ruleName: 'KMSKeyPolicyNamedAdministrators',
  controlIds: ['DATA-KEYPOLICY'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-6', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  info: 'Principals other than the administrators the key policy names may change the key policy (kms:PutKeyPolicy).',
  explanation: 'Lesson L5 (stolen PII is unreadable) and L8 (recovery without paying): whoever may rewrite a key policy owns the key: with kms:* to the account root, any role with kms:* in its IAM policies (operators, workload roles, a stolen session) can hand the key to an outside account or lock everyone out of the data and its backups (T1486).',
  fix: 'Use CustomerManagedKey: only its named administrators (administratorArns: the pipeline\'s execution role by default, break-glass added by nameKeyAdministrators) may call kms:Put*, through an exact aws:PrincipalArn; never grant kms:* or kms:Put* to the account root, "*" or a wildcard principal pattern. In a StackSet template, attach the protect-security-services SCP (its ProtectStackSetsExecutionRole statement) to the organization root or to every OU the StackSets deploy to (and every account a StackSet adds to its OUs with AccountFilterType UNION), so no one but StackSets can create a stacksets-exec-* role.',
  passes: 'Only the administrators the key policy names may change it',
};
