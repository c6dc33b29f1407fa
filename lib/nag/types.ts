import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { Citation, ControlId } from '../lessons';
import { Severity } from '../findings';
import { ResourceIndex } from './resource-index';

/**
 * A BreachLessons rule: cdk-nag's rule shape plus the per-validation index. It returns
 * `NagRuleCompliance.COMPLIANT | NON_COMPLIANT | NOT_APPLICABLE`, or a list of reasons (empty means
 * compliant), and throws {@link CannotVerify} when a value it needs cannot be resolved.
 */
export type BreachLessonsRuleFn = (node: CfnResource, index: ResourceIndex) => NagRuleResult;

/** What every rule file exports beside its function: the same facts RULES.md, reports and tests use. */
export interface RuleMetadata {
  /** The file name, e.g. `S3BucketCustomerManagedKey`. */
  readonly ruleName: string;
  readonly controlIds: readonly ControlId[];
  /**
   * The citations this rule checks, as tags (`nist-800-53:SC-28`, see citationTag): a subset of its
   * controls' citations, checked when the pack loads. A rule cites only what it tests, never every
   * citation of its control (the NACL rule does not test security groups, so it cannot cite EC2.18).
   */
  readonly cites: readonly string[];
  /** error: on the breach path; warning: hardening that matters less directly. */
  readonly level: Severity;
  /**
   * CloudFormation resource types the rule looks at; the pack dispatches by type. `Custom::*` matches
   * every custom resource type, `*` every resource (a rule that attests a fact about its template).
   */
  readonly resourceTypes: readonly string[];
  /** One line: what is wrong when the rule fails. */
  readonly info: string;
  /** Why it matters: names the lesson. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  /** What a PASS attests, when the control's title alone would overstate it. @default `<control title>: holds` */
  readonly passes?: string;
}

/** The rule as listed in `BREACH_LESSONS_RULES`: metadata, its id and its function. */
export interface BreachLessonsRule extends RuleMetadata {
  /** `BreachLessons-<RuleName>`. */
  readonly id: string;
  /** `cites` resolved against the catalogue: what RULES.md, findings, SARIF and reports show. */
  readonly citations: readonly Citation[];
  readonly rule: BreachLessonsRuleFn;
}

/** Thrown by a rule when a value it needs is a token, an intrinsic or a parameter: never a pass. */
export class CannotVerify extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotVerify';
  }
}
