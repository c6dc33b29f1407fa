/**
 * Types of the policy evaluator (lib/policy). See the header of lib/policy/index.ts for the API.
 * Everything here is data: no logic, so rules, the replay and the audit can share it.
 */

/**
 * A value the caller could not resolve (a CloudFormation intrinsic, a token). It may stand for a
 * principal ARN or account, a resource ARN or account, a context value, or any string inside a
 * policy document. The evaluator never treats it as a match nor as a non-match: when the decision
 * depends on it, the outcome is `Undecidable`, with `reason` in the explanation.
 */
export class Unknown {
  public readonly isUnknownValue = true;
  constructor(public readonly reason: string) {}
  public toString(): string { return `<unknown: ${this.reason}>`; }
}

/** Builds an Unknown marker: `unknown('Fn::GetAtt Bucket.Arn')`. */
export function unknown(reason: string): Unknown { return new Unknown(reason); }

/** True when the value is an Unknown marker. */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown || (typeof value === 'object' && value !== null && (value as { isUnknownValue?: unknown }).isUnknownValue === true);
}

/** A string the caller may not have resolved. */
export type MaybeUnknown<T = string> = T | Unknown;

/** The kinds of principal AWS reports in aws:PrincipalType (plus Service for AWS service principals). */
export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous' | 'Service';

/** Who makes the request. */
export interface RequestPrincipal {
  /**
   * The principal's ARN: `arn:aws:iam::ACCT:user/Name`, `arn:aws:sts::ACCT:assumed-role/Role/Session`,
   * `arn:aws:iam::ACCT:role/Role` (a session of that role, session name unknown), `arn:aws:iam::ACCT:root`,
   * `arn:aws:sts::ACCT:federated-user/Name`; for a service principal its name (`events.amazonaws.com`);
   * `*` / `anonymous` for an anonymous caller.
   */
  readonly arn: MaybeUnknown;
  /** The principal's account id (12 digits). Absent for a service principal and for anonymous callers. */
  readonly account?: MaybeUnknown;
  /** @default - derived from the ARN */
  readonly type?: PrincipalType;
  /** The principal's organization id (o-xxxx): sets aws:PrincipalOrgID. @default - absent */
  readonly orgId?: MaybeUnknown;
  /** For an assumed-role session: the role's ARN (with its path). @default - derived from the session ARN, path `/` */
  readonly roleArn?: MaybeUnknown;
  /** aws:userid when the caller knows it (AIDA..., AROA...:session). @default - absent */
  readonly userId?: MaybeUnknown;
}

/** A context value as AWS sends it: a single value or a list (multivalued keys). */
export type ContextValue = MaybeUnknown<string> | boolean | number | ReadonlyArray<MaybeUnknown<string> | boolean | number>;

/** One request: principal, action, resource and the context keys exactly as the request carries them. */
export interface PolicyRequest {
  readonly principal: RequestPrincipal;
  /** `service:Action`, e.g. `s3:GetObject`. */
  readonly action: string;
  /** The resource ARN; `*` for actions that take no resource. */
  readonly resource: MaybeUnknown;
  /**
   * The resource's account. @default - the account field of the resource ARN. When the ARN carries none
   * (S3) and the decision depends on same- vs cross-account, the outcome is Undecidable: give it.
   */
  readonly resourceAccount?: MaybeUnknown;
  /**
   * Context keys exactly as given (names case-insensitive). A key absent here is ABSENT for every
   * condition: the evaluator adds only what AWS always sets from the principal (aws:PrincipalArn,
   * aws:PrincipalAccount, aws:PrincipalOrgID when orgId is given, aws:PrincipalType, aws:username for
   * IAM users, aws:userid when given, aws:PrincipalServiceName for service principals). A key given here wins.
   */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/** A policy document as JSON (or already parsed by parsePolicy). Strings inside may be Unknown markers. */
export type PolicyDocumentInput = unknown;

/** A policy with the name that will appear in explanations. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocumentInput | ParsedPolicy;
}

/** What kind of resource policy applies, which changes the evaluation rules. */
export type ResourcePolicyKind =
  /** a bucket, queue, topic, secret, ... policy: a same-account allow naming the principal suffices */
  | 'resource'
  /** a KMS key policy: must admit the caller directly or the account root (delegation to IAM) */
  | 'kms-key'
  /** an IAM role trust policy: must allow sts:AssumeRole*; cross-account the identity side too */
  | 'role-trust';

/** The documents that take part in one decision. Omitted = not applicable (no SCP, no boundary...). */
export interface PolicySet {
  /** Identity-based policies of the principal (inline, managed, group policies). */
  readonly identity?: readonly NamedPolicy[];
  /** The resource's own policy (bucket policy, key policy, trust policy...). */
  readonly resourcePolicy?: NamedPolicy;
  /** @default - 'kms-key' for kms: actions on a key ARN, 'role-trust' for sts:AssumeRole* on a role ARN, else 'resource' */
  readonly resourcePolicyKind?: ResourcePolicyKind;
  /** The principal's permissions boundary. */
  readonly permissionsBoundary?: NamedPolicy;
  /** Session policies passed when the session was created. */
  readonly sessionPolicies?: readonly NamedPolicy[];
  /** SCPs of the principal's account, one array per level, root first (each level must allow). */
  readonly scps?: ReadonlyArray<readonly NamedPolicy[]>;
  /** RCPs of the resource's account, one array per level, root first (each level must allow). */
  readonly rcps?: ReadonlyArray<readonly NamedPolicy[]>;
}

/** The type of a document in an explanation. */
export type PolicyType = 'scp' | 'rcp' | 'resource' | 'identity' | 'permissions-boundary' | 'session';

/** One statement of one document: the evidence of a decision. */
export interface StatementRef {
  readonly policyType: PolicyType;
  readonly policy: string;
  /** Index of the statement in the document's Statement array (0 for a single statement object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
}

/** Final decisions, as AWS names them, plus the evaluator's third outcome. */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' | 'Undecidable';

/** The outcome of one evaluation step. */
export interface StepResult {
  readonly step: 'explicit-deny' | 'rcp' | 'scp' | 'resource' | 'identity' | 'permissions-boundary' | 'session' | 'kms-key' | 'role-trust' | 'cross-account';
  /** allow: the step lets the request through; deny: it stops it; n/a: not applicable; unknown: depends on Unknown values */
  readonly outcome: 'allow' | 'deny' | 'n/a' | 'unknown';
  readonly statements: readonly StatementRef[];
  readonly note?: string;
}

/** The answer to one request. */
export interface EvaluationResult {
  readonly decision: Decision;
  /** decision === 'Allow' */
  readonly allowed: boolean;
  /**
   * The statements that decided: for ExplicitDeny the matching deny statement(s); for Allow the
   * allow statements each required step matched; for ImplicitDeny the step that had no allow is
   * named in `reason` (statements empty unless a statement is the cause).
   */
  readonly decidedBy: readonly StatementRef[];
  /** One line for reports: `explicit deny by scp 'deny-root' statement 0 (DenyRoot)`. */
  readonly reason: string;
  /** Every step the evaluation went through, in order. */
  readonly steps: readonly StepResult[];
  /** Reasons of the Unknown values the outcome depends on (empty when fully decided). */
  readonly unknowns: readonly string[];
}

/** The result of matching one statement part against a request: true, false or Unknown (with its reason). */
export type Match = boolean | Unknown;

/** A statement normalized once: arrays, lowercased actions, compiled patterns. Produced by parsePolicy. */
export interface ParsedStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** exactly one of action / notAction is set */
  readonly action?: readonly CompiledPattern[];
  readonly notAction?: readonly CompiledPattern[];
  /** absent in trust and key policies' implicit form: undefined means "not given" */
  readonly resource?: readonly ResourcePattern[];
  readonly notResource?: readonly ResourcePattern[];
  readonly principal?: ParsedPrincipal;
  readonly notPrincipal?: ParsedPrincipal;
  readonly conditions: readonly ParsedCondition[];
  /** policy variables are resolved only in documents of Version 2012-10-17 (elsewhere they are literal text) */
  readonly variables: boolean;
}

/** A compiled Action pattern (lowercased, `*` and `?`). */
export interface CompiledPattern {
  readonly source: string;
  readonly regex: RegExp | undefined;
  readonly literal: string | undefined;
  /** set when the pattern itself could not be resolved */
  readonly unknown?: Unknown;
}

/** A Resource pattern: Unknown, or a string possibly holding wildcards and policy variables. */
export type ResourcePattern = Unknown | { readonly source: string; readonly hasVariables: boolean };

/** A Principal / NotPrincipal block, normalized. */
export interface ParsedPrincipal {
  readonly wildcard: boolean;
  readonly aws: ReadonlyArray<MaybeUnknown>;
  readonly service: ReadonlyArray<MaybeUnknown>;
  readonly federated: ReadonlyArray<MaybeUnknown>;
  readonly canonicalUser: ReadonlyArray<MaybeUnknown>;
}

/** The parts of a condition operator name. */
export interface ParsedOperator {
  readonly source: string;
  readonly qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
  /** the base operator, canonical casing, without IfExists: StringEquals, NumericLessThan, Null... */
  readonly base: string;
  readonly ifExists: boolean;
}

/** One (operator, key, values) triple of a Condition block. */
export interface ParsedCondition {
  readonly operator: ParsedOperator;
  /** the key as written */
  readonly key: string;
  /** the key lowercased */
  readonly keyLower: string;
  readonly values: ReadonlyArray<MaybeUnknown>;
}

/** A policy document parsed once. */
export interface ParsedPolicy {
  readonly isParsedPolicy: true;
  readonly name: string;
  readonly version: string | undefined;
  readonly statements: readonly ParsedStatement[];
}

/** A malformed document, an unknown operator, a bad value: never silently "no match". */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** A context key's value, normalized: its values as strings, and whether it was given as a list. */
export interface ContextEntry {
  readonly values: ReadonlyArray<MaybeUnknown>;
  readonly multi: boolean;
}

/** A request prepared once for many statements (built by buildContext). */
export interface RequestContext {
  readonly request: PolicyRequest;
  /** lowercased `service:action` */
  readonly action: string;
  readonly resource: MaybeUnknown;
  readonly resourceAccount: MaybeUnknown | undefined;
  readonly principalArn: MaybeUnknown;
  readonly principalAccount: MaybeUnknown | undefined;
  readonly principalType: PrincipalType;
  /** for sessions: the role ARN the session belongs to */
  readonly roleArn: MaybeUnknown | undefined;
  /** context keys by lowercased name, with the keys AWS sets from the principal added */
  readonly keys: ReadonlyMap<string, ContextEntry>;
}
