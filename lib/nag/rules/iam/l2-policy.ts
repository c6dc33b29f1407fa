import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Fast paths over policies built with iam.PolicyDocument, read from the construct before any
 * resolution. Each answers only when the answer is certain from the L2 objects; otherwise it
 * returns undefined and the rule resolves the document as CloudFormation will see it.
 */

/** The statements of an L2 policy document, or undefined for anything else. */
export function l2Statements(doc: unknown): iam.PolicyStatement[] | undefined {
  if (!(doc instanceof iam.PolicyDocument)) return undefined;
  const list = (doc as unknown as { statements?: unknown }).statements;
  if (!Array.isArray(list) || !list.every((s) => s instanceof iam.PolicyStatement)) return undefined;
  return list as iam.PolicyStatement[];
}

/** A principal that certainly is not everyone: a service, this account's root, or a literal ARN. */
function certainlyNotEveryone(p: iam.IPrincipal): boolean {
  if (p instanceof iam.ServicePrincipal) return true;
  // The root of the stack's own account (CDK renders the account as a stack-dependent token).
  if (p instanceof iam.AccountRootPrincipal) return true;
  if (p instanceof iam.AccountPrincipal) return typeof p.accountId === 'string' && /^\d{12}$/.test(p.accountId);
  if (p instanceof iam.ArnPrincipal && !(p instanceof iam.AnyPrincipal)) return !Token.isUnresolved(p.arn) && p.arn !== '*';
  return false;
}

/**
 * True when no Allow statement has a wildcard principal (nor NotPrincipal), so no condition needs
 * judging; undefined when unsure (then lib/policy judges the conditions by their meaning).
 */
export function l2CertainlyNotPublic(doc: unknown): true | undefined {
  const statements = l2Statements(doc);
  if (!statements) return undefined;
  const ok = statements.every((s) => s.effect === iam.Effect.DENY
    || (s.notPrincipals.length === 0 && s.principals.every(certainlyNotEveryone)));
  return ok ? true : undefined;
}

/** True when an L2 trust policy admits only AWS service principals (no person can assume the role). */
export function l2OnlyServicePrincipals(doc: unknown): true | undefined {
  const statements = l2Statements(doc);
  if (!statements || statements.length === 0) return undefined;
  const ok = statements.every((s) => s.notPrincipals.length === 0 && s.principals.length > 0
    && s.principals.every((p) => p instanceof iam.ServicePrincipal));
  return ok ? true : undefined;
}
