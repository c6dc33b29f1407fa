import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, num, reasons } from '../common';

/** Resource metadata marking the custom resource that sets the account password policy. */
export const ACCOUNT_PASSWORD_POLICY_METADATA = 'cdk-hardening:account-password-policy';

/** CIS AWS Foundations 1.8 and 1.9. */
export const PASSWORD_LENGTH_FLOOR = 14;
export const PASSWORD_REUSE_FLOOR = 24;
export const REQUIRED_CHARACTER_CLASSES = ['RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters'] as const;

/** The SDK call an AwsCustomResource sends on one event: `Create` / `Update` hold it as a JSON string. */
function sdkCall(v: unknown, what: string): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new CannotVerify(`cannot verify ${what}: unresolved value ${JSON.stringify(v)}`);
  try {
    const o = JSON.parse(v) as unknown;
    if (typeof o === 'object' && o !== null && !Array.isArray(o)) return o as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new CannotVerify(`cannot verify ${what}: not an SDK call ${JSON.stringify(v)}`);
}

/** IAM UpdateAccountPasswordPolicy, however the construct spells service and action (v2 or v3 SDK names). */
function isPasswordPolicyCall(call: Record<string, unknown> | undefined): boolean {
  if (!call) return false;
  const service = String(call.service ?? '').toLowerCase().replace(/^@aws-sdk\/client-/, '');
  const action = String(call.action ?? '').toLowerCase().replace(/command$/, '');
  return service === 'iam' && action === 'updateaccountpasswordpolicy';
}

/** AwsCustomResource encodes booleans in parameters as `TRUE:BOOLEAN` / `FALSE:BOOLEAN` in some versions. */
const decodeBool = (v: unknown): unknown => (v === 'TRUE:BOOLEAN' ? true : v === 'FALSE:BOOLEAN' ? false : v);

function checkParameters(event: string, params: unknown): string[] {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    if (params === undefined) return [`${event} sends no parameters: AWS defaults are 8 characters and no reuse prevention`];
    throw new CannotVerify(`cannot verify ${event} parameters: unresolved value ${JSON.stringify(params)}`);
  }
  const p = params as Record<string, unknown>;
  const out: string[] = [];
  const length = num(p.MinimumPasswordLength, `${event} MinimumPasswordLength`);
  if (length === undefined || length < PASSWORD_LENGTH_FLOOR) out.push(`${event} MinimumPasswordLength is ${length ?? 'unset'}, needs at least ${PASSWORD_LENGTH_FLOOR} (CIS 1.8)`);
  const reuse = num(p.PasswordReusePrevention, `${event} PasswordReusePrevention`);
  if (reuse === undefined || reuse < PASSWORD_REUSE_FLOOR) out.push(`${event} PasswordReusePrevention is ${reuse ?? 'unset'}, needs ${PASSWORD_REUSE_FLOOR} (CIS 1.9)`);
  for (const k of REQUIRED_CHARACTER_CLASSES) {
    if (bool(decodeBool(p[k]), `${event} ${k}`) !== true) out.push(`${event} ${k} is ${String(p[k] ?? 'unset')}, must be true`);
  }
  return out;
}

/**
 * The custom resource that sets the account password policy (marked with metadata
 * cdk-hardening:account-password-policy, or any custom resource whose Create or Update call is IAM
 * UpdateAccountPasswordPolicy) sends at least 14 characters, reuse prevention 24 and every character class.
 */
export function IAMAccountPasswordPolicyStrong(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const marked = node.getMetadata(ACCOUNT_PASSWORD_POLICY_METADATA) === true;
  const props = ix.props(node);
  const events: Array<[string, Record<string, unknown> | undefined]> = [];
  for (const event of ['Create', 'Update']) {
    try {
      events.push([event, sdkCall(props[event], event)]);
    } catch (e) {
      // An unreadable call is this rule's business when the resource is marked as the password policy
      // or the call visibly names UpdateAccountPasswordPolicy (parameters built from tokens).
      if (marked || /updateaccountpasswordpolicy/i.test(JSON.stringify(props[event]) ?? '')) throw e;
    }
  }
  const calls = events.filter(([, c]) => isPasswordPolicyCall(c));
  if (!marked && calls.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const out: string[] = [];
  for (const [event, call] of events) {
    if (call === undefined) {
      if (event === 'Create') out.push('Create sends no call: the password policy is never set');
      continue;
    }
    if (!isPasswordPolicyCall(call)) {
      out.push(`${event} calls ${String(call.service)}.${String(call.action)}, not IAM UpdateAccountPasswordPolicy`);
      continue;
    }
    out.push(...checkParameters(event, call.parameters));
  }
  return reasons(out);
}

export const IAMAccountPasswordPolicyStrongMeta: RuleMetadata = {
  ruleName: 'IAMAccountPasswordPolicyStrong',
  controlIds: ['IAM-PASSWORD'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'cis-aws:1.8', 'cis-aws:1.9', 'nist-800-53:IA-5(1)', 'aws-fsbp:IAM.7'],
  level: 'error',
  resourceTypes: ['Custom::*', 'AWS::CloudFormation::CustomResource'],
  info: 'The account password policy the app sets is weaker than 14 characters, reuse prevention 24 and every character class.',
  explanation: 'Lesson L1 (humans prove who they are): any IAM password left (break-glass, legacy) must resist guessing and reuse; CIS 1.8/1.9 ask for 14 characters and 24 remembered passwords.',
  fix: 'Set the policy with the AccountPasswordPolicy construct (its defaults meet CIS), or send UpdateAccountPasswordPolicy MinimumPasswordLength >= 14, PasswordReusePrevention 24 and RequireSymbols/Numbers/Uppercase/Lowercase true on Create and Update.',
};
