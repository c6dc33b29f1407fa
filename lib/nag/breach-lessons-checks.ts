import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Finding } from '../findings';
import { ControlId, lessonOf } from '../lessons';
import { EvaluateOptions, evaluateScope } from './evaluate';
import { buildEvidence, writeEvidence } from './evidence';
import { BREACH_LESSONS_RULES } from './rules';
import { BreachLessonsRule } from './types';

export const BREACH_LESSONS_PACK_NAME = 'BreachLessons';

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
   * The own AWS Organizations id (o-...): a policy limited to an organization is compared with it
   * (bin/app.ts passes `hardening:organizationId`).
   * @default - none: a policy limited to an organization cannot be verified (ERROR)
   */
  readonly organizationId?: string;
}

/** The shape of an AWS Organizations id. */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

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
 */
export class BreachLessonsChecks implements IPolicyValidationPlugin {
  public readonly name = BREACH_LESSONS_PACK_NAME;
  public readonly ruleIds: string[];
  /** The findings of the last validation (every evaluation), for tests and tools. */
  public lastFindings: Finding[] = [];
  /** The evidence file the last synthesis wrote, if any. */
  public lastEvidenceFile?: string;
  private readonly props: BreachLessonsChecksProps;

  /** @param _scope the app, accepted for parity with cdk-nag packs; the tree comes with each validation */
  constructor(_scope?: IConstruct, props: BreachLessonsChecksProps = {}) {
    if (props.organizationId !== undefined && !ORGANIZATION_ID.test(props.organizationId)) {
      throw new Error(`BreachLessonsChecks: organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got ${JSON.stringify(props.organizationId)}`);
    }
    this.props = props;
    this.ruleIds = (props.rules ?? BREACH_LESSONS_RULES).map((r) => r.id);
  }

  /** Called by CDK at synthesis: evaluates the app, writes the evidence file, reports violations. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    if (!context.appConstruct) {
      throw new Error('BreachLessonsChecks needs the construct tree on the validation context (aws-cdk-lib >= 2.2xx with appConstruct)');
    }
    const now = this.props.now ?? new Date();
    const templatePathOf = new Map(context.stackTemplates.map((t) => [t.stackConstructPath, t.templatePath] as const));
    const report = this.run(context.appConstruct, {
      now,
      templateNameOf: (s) => path.basename(templatePathOf.get(s.node.path) ?? `${s.artifactId}.template.json`),
    }, templatePathOf);
    const first = context.stackTemplates[0]?.templatePath ?? context.templatePaths[0];
    if (this.props.writeEvidence !== false && first) {
      this.lastEvidenceFile = writeEvidence(path.dirname(first), buildEvidence(this.lastFindings, now));
    }
    return report;
  }

  /** Evaluates a construct tree directly (tests, tools), like cdk-nag's `NagPack.validateScope`. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.run(scope, { now: this.props.now ?? new Date() }, new Map());
  }

  private run(scope: IConstruct, options: EvaluateOptions, templatePathOf: Map<string, string>): PolicyValidationPluginReport {
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
    for (const f of findings) {
      if (f.status === 'PASS' || f.status === 'ACKNOWLEDGED') continue;
      const rule = index.get(f.ruleId)!;
      const lesson = lessonOf(f.controlId);
      const where = f.resource.logicalId ? ` (${f.resource.template ?? ''}#${f.resource.logicalId})` : '';
      const templatePath = f.resource.template ? byFile.get(f.resource.template) : undefined;
      // A finding whose resource carries an acknowledgement the pack rejected (ungoverned, expired,
      // non-acknowledgeable) is 'fatal': CDK must not suppress it on the strength of that acknowledgement.
      const rejectedAck = f.status === 'FAIL' && (f.acknowledgement !== undefined || f.message.includes(' is ungoverned'));
      violations.push({
        ruleName: f.ruleId,
        description: `[${lesson.id} ${lesson.title} / ${f.controlId}] ${f.resource.constructPath}${where}: ${f.message}. Fix: ${rule.fix}`,
        fix: rule.fix,
        severity: rejectedAck ? 'fatal' : f.status === 'ERROR' ? 'error' : f.severity,
        ruleMetadata: { lesson: lesson.id, control: f.controlId, status: f.status },
        violatingResources: [{
          constructPath: f.resource.constructPath ?? f.resource.id,
          locations: ['Properties'],
          ...(templatePath ? { templatePath } : {}),
        }],
      });
    }
    return { success: violations.length === 0, violations };
  }
}
