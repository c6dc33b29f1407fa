import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DEFAULT_FAIL_ON, FailOn, Finding, failsAt } from '../findings';
import { ControlId, lessonOf } from '../lessons';
import { DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS } from './acknowledge';
import { assertCompatible, contextProblem } from './compat';
import { EvaluateOptions, evaluateScope } from './evaluate';
import { buildEvidence, writeEvidence } from './evidence';
import { isOrganizationId } from './organization-id';
import { PACK_FAILURE_RULE, locationOf, messageOf, packFailureReport } from './pack-failure';
import { attributeToStackSets } from './stackset-attribution';

export { PACK_FAILURE_RULE, packFailureReport };
import { BREACH_LESSONS_RULES } from './rules';
import { BreachLessonsRule } from './types';

export const BREACH_LESSONS_PACK_NAME = 'BreachLessons';

/** The levels a pack can fail synthesis at (`check --fail-on` uses the same words, plus 'never'). */
export type PackFailOn = Exclude<FailOn, 'never'>;
export const PACK_FAIL_ON_VALUES: readonly PackFailOn[] = ['error', 'warning'];


export interface BreachLessonsChecksProps {
  /** Controls no acknowledgement can waive. @default DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS */
  readonly nonAcknowledgeableControls?: readonly ControlId[];
  /** Write `breach-lessons-evidence.json` into the cloud assembly at synthesis. @default true */
  readonly writeEvidence?: boolean;
  /** The clock acknowledgement expiry is judged against. @default the time of validation */
  readonly now?: Date;
  /** Run only these rules (tests). @default every BreachLessons rule */
  readonly rules?: readonly BreachLessonsRule[];
  /**
   * The lowest level whose FAIL fails synthesis: 'warning' (every FAIL) or 'error' (warning-level
   * FAILs are reported, and kept in the evidence, but pass). ERROR ("cannot verify") always fails.
   * `cdk-hardening check --fail-on` takes the same words and the same default.
   * @default 'warning' (DEFAULT_FAIL_ON)
   */
  readonly failOn?: PackFailOn;
  /**
   * The own AWS Organizations id (o-...): a policy limited to an organization is compared with it
   * (bin/app.ts passes `hardening:organizationId`).
   * @default - none: a policy limited to an organization cannot be verified (ERROR)
   */
  readonly organizationId?: string;
}

/** Checks the pack's props; throws naming the bad value. */
export function validatePackProps(props: BreachLessonsChecksProps): void {
  if (props.failOn !== undefined && !PACK_FAIL_ON_VALUES.includes(props.failOn)) {
    throw new Error(`BreachLessonsChecks failOn '${String(props.failOn)}' is not one of ${PACK_FAIL_ON_VALUES.map((v) => `'${v}'`).join(', ')}`);
  }
}

/** How to acknowledge a finding the governed way, or why it cannot be; CDK's plain form is refused. */
export function acknowledgeHint(f: Finding, constructPath: string, blocked: ReadonlySet<ControlId>): string {
  const control = blocked.has(f.controlId) ? f.controlId : undefined;
  if (control) return `Control ${control} cannot be acknowledged: fix it.`;
  return `Accept it only with acknowledgeLesson(<${constructPath}>, { id: '${f.ruleId}', reason, owner, expires });`
    + ' a plain CDK acknowledgement (the "Acknowledge with" form) is refused as ungoverned.';
}


/**
 * The BreachLessons pack: a cdk-nag 3 policy-validation plugin.
 * `Validations.of(app).addPlugins(new BreachLessonsChecks(app))`.
 *
 * It implements `IPolicyValidationPlugin` itself and reuses cdk-nag's rule types
 * (`NagRuleCompliance`, `NagRuleResult`) rather than extending `NagPack`: `NagPack.applyRule`
 * drops passing evaluations and silences any finding carrying a plain acknowledgement, and its tree
 * walk offers no point to build a cross-resource index first. This pack needs every evaluation for
 * the evidence file, governed acknowledgements (owner, expiry, non-acknowledgeable controls) and one
 * index per validation, so the only part of NagPack left would be its name.
 *
 * Fail closed: an unsupported aws-cdk-lib (or a second copy beside the app's) throws at construction;
 * any exception during validation (a crashing rule, a context without the fields the pack needs, an
 * evidence file that cannot be written) becomes a failing violation naming the cause — never a throw,
 * which CDK turns into a line of validation-report.json while `cdk synth` exits 0.
 */
export class BreachLessonsChecks implements IPolicyValidationPlugin {
  public readonly name = BREACH_LESSONS_PACK_NAME;
  public readonly ruleIds: string[];
  /** The level whose FAILs fail synthesis. */
  public readonly failOn: PackFailOn;
  /** The findings of the last validation (every evaluation), for tests and tools. */
  public lastFindings: Finding[] = [];
  /** The evidence file the last synthesis wrote, if any. */
  public lastEvidenceFile?: string;
  private readonly props: BreachLessonsChecksProps;

  /**
   * @param scope the app: checked to be built with the same aws-cdk-lib the pack loads (the tree itself comes with each validation)
   * @throws when aws-cdk-lib is outside the supported range, the app uses another copy of it, or a prop is invalid
   */
  constructor(scope?: IConstruct, props: BreachLessonsChecksProps = {}) {
    assertCompatible(scope);
    validatePackProps(props);
    if (props.organizationId !== undefined && !isOrganizationId(props.organizationId)) {
      throw new Error(`BreachLessonsChecks: organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got ${JSON.stringify(props.organizationId)}`);
    }
    this.props = props;
    this.failOn = props.failOn ?? DEFAULT_FAIL_ON;
    this.ruleIds = (props.rules ?? BREACH_LESSONS_RULES).map((r) => r.id);
  }

  /**
   * Called by CDK at synthesis: evaluates the app, writes the evidence file, reports violations (those
   * in a StackSet template on its StackSet too: attributeToStackSets). Never throws.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.validateAndRecord(context);
    try {
      return attributeToStackSets(report, context, this.name);
    } catch (e) {
      const where = locationOf(context);
      const failure = packFailureReport(`the pack could not attribute violations to StackSets: ${messageOf(e)}`, where.constructPath, where.templatePath);
      return { success: false, violations: [...failure.violations, ...report.violations] };
    }
  }

  private validateAndRecord(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const where = locationOf(context);
    let report: PolicyValidationPluginReport;
    try {
      const problem = contextProblem(context);
      if (problem) return packFailureReport(problem, where.constructPath, where.templatePath);
      report = this.validateContext(context);
    } catch (e) {
      return packFailureReport(`the pack failed while evaluating the app: ${messageOf(e)}`, where.constructPath, where.templatePath);
    }
    try {
      const first = context.stackTemplates[0]?.templatePath ?? context.templatePaths?.[0];
      if (this.props.writeEvidence !== false && first) {
        this.lastEvidenceFile = writeEvidence(path.dirname(first), buildEvidence(this.lastFindings, this.props.now ?? new Date()));
      }
    } catch (e) {
      const failure = packFailureReport(`the evidence file could not be written: ${messageOf(e)}`, where.constructPath, where.templatePath);
      return { success: false, violations: [...failure.violations, ...report.violations] };
    }
    return report;
  }

  /** Evaluates a construct tree directly (tests, tools), like cdk-nag's `NagPack.validateScope`. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.run(scope, { now: this.props.now ?? new Date() }, new Map());
  }

  private validateContext(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const now = this.props.now ?? new Date();
    const templatePathOf = new Map(context.stackTemplates.map((t) => [t.stackConstructPath, t.templatePath] as const));
    return this.run(context.appConstruct, {
      now,
      templateNameOf: (s) => path.basename(templatePathOf.get(s.node.path) ?? `${s.artifactId}.template.json`),
    }, templatePathOf);
  }

  private run(scope: IConstruct, options: EvaluateOptions, templatePathOf: Map<string, string>): PolicyValidationPluginReport {
    const blocked = new Set<ControlId>(this.props.nonAcknowledgeableControls ?? DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS);
    const findings = evaluateScope(scope, {
      ...options,
      source: 'synth',
      nonAcknowledgeable: this.props.nonAcknowledgeableControls,
      rules: this.props.rules,
      organizationId: this.props.organizationId,
    });
    this.lastFindings = findings;
    const violations: PolicyViolation[] = [];
    const byFile = new Map([...templatePathOf.values()].map((p) => [path.basename(p), p] as const));
    const index = new Map((this.props.rules ?? BREACH_LESSONS_RULES).map((r) => [r.id, r] as const));
    let success = true;
    for (const f of findings) {
      if (f.status === 'PASS' || f.status === 'ACKNOWLEDGED') continue;
      const rule = index.get(f.ruleId)!;
      const lesson = lessonOf(f.controlId);
      const where = f.resource.logicalId ? ` (${f.resource.template ?? ''}#${f.resource.logicalId})` : '';
      const templatePath = f.resource.template ? byFile.get(f.resource.template) : undefined;
      const constructPath = f.resource.constructPath ?? f.resource.id;
      // A finding whose resource carries an acknowledgement the pack rejected (ungoverned, expired,
      // non-acknowledgeable), or whose control cannot be acknowledged, is 'fatal': CDK must neither
      // suppress it on the strength of a plain acknowledgement nor offer one ("Acknowledge with ...").
      const rejectedAck = f.status === 'FAIL' && (f.acknowledgement !== undefined || f.message.includes(' is ungoverned'));
      const unacknowledgeable = blocked.has(f.controlId);
      const fails = failsAt(f, this.failOn);
      if (fails) success = false;
      violations.push({
        ruleName: f.ruleId,
        description: `[${lesson.id} ${lesson.title} / ${f.controlId}] ${constructPath}${where}: ${f.message}. Fix: ${rule.fix}`
          + ` ${acknowledgeHint(f, constructPath, blocked)}`
          + ` (level ${f.severity}; ${fails ? 'fails' : 'does not fail'} synthesis at failOn '${this.failOn}')`,
        fix: rule.fix,
        severity: rejectedAck || unacknowledgeable ? 'fatal' : f.status === 'ERROR' ? 'error' : f.severity,
        ruleMetadata: { lesson: lesson.id, control: f.controlId, status: f.status, level: f.severity, failOn: this.failOn, failsSynthesis: String(fails) },
        violatingResources: [{
          constructPath,
          locations: ['Properties'],
          ...(templatePath ? { templatePath } : {}),
        }],
      });
    }
    return { success, violations };
  }
}

