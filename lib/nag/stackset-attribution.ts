import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackSetTemplate } from '../constructs/stackset-template';
import { locationOf, messageOf, packFailureReport } from './pack-failure';

/**
 * One walk of the construct tree: every construct by path (for acknowledgements), and the StackSet
 * resources whose TemplateBody is a template stack, keyed by that stack's construct path.
 */
function scanTree(root: IConstruct, stackTemplates: IPolicyValidationContext['stackTemplates']): {
  readonly byPath: Map<string, IConstruct>;
  readonly sets: Map<string, PolicyViolatingResource[]>;
} {
  const templateOf = new Map(stackTemplates.map((t) => [t.stackConstructPath, t.templatePath] as const));
  const byPath = new Map<string, IConstruct>();
  const sets = new Map<string, PolicyViolatingResource[]>();
  for (const c of root.node.findAll()) {
    byPath.set(c.node.path, c);
    if (!(c instanceof StackSetTemplate)) continue;
    const templatePath = templateOf.get(Stack.of(c).node.path);
    const at: PolicyViolatingResource = { constructPath: c.stackSet.node.path, locations: ['Properties/TemplateBody'], ...(templatePath ? { templatePath } : {}) };
    const key = c.templateStack.node.path;
    sets.set(key, [...(sets.get(key) ?? []), at]);
  }
  return { byPath, sets };
}

/** CDK's key for an acknowledgement of a plugin's rule (`<namespace>::<rule>`, spaces as dashes), as its synthesis matches them. */
function acknowledgementKey(pluginName: string, ruleName: string): string {
  const at = ruleName.indexOf('::');
  const namespace = at > 0 ? ruleName.slice(0, at) : pluginName;
  return `${namespace.replace(/ /g, '-')}::${(at > 0 ? ruleName.slice(at + 2) : ruleName).replace(/ /g, '-')}`;
}

/**
 * Whether CDK will suppress this violation on this resource: it is not fatal, and the resource or one of
 * its scopes carries a plain CDK acknowledgement (`Validations.of(c).acknowledge`) of the rule. Then the
 * StackSet must not be named too, or the acknowledgement would no longer suppress the violation.
 */
function acknowledgedByCdk(v: PolicyViolation, r: PolicyViolatingResource, pluginName: string, byPath: ReadonlyMap<string, IConstruct>): boolean {
  if (v.severity?.toLowerCase() === 'fatal' || r.constructPath === undefined) return false;
  const key = acknowledgementKey(pluginName, v.ruleName);
  for (let c: IConstruct | undefined = byPath.get(r.constructPath); c; c = c.node.scope) {
    for (const e of c.node.metadata) {
      if (e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && e.data && Object.prototype.hasOwnProperty.call(e.data, key)) return true;
    }
  }
  return false;
}

/**
 * `cdk synth` (the CDK CLI reports validation itself since 2.1100) prints, and fails on, only the
 * violations of the stacks it selected, and it never selects a StackSet template: a stack of a nested
 * Stage that is deployed through its StackSet, not by `cdk deploy`. So a violation found in a template
 * would be written to validation-report.json and then dropped, and the synthesis pass. Every violating
 * resource inside a StackSet template is therefore also reported on the StackSet resource(s) that
 * deploy it: the violation stays visible, and fails synthesis, wherever the StackSet is selected. A
 * resource whose violation CDK suppresses (a plain acknowledgement of the rule) is left as it is.
 */
export function attributeToStackSets(report: PolicyValidationPluginReport, context: Pick<IPolicyValidationContext, 'appConstruct' | 'stackTemplates'>, pluginName: string): PolicyValidationPluginReport {
  // A context the pack could not read has been reported as such (contextProblem): nothing to attribute.
  if (report.violations.length === 0 || !context.appConstruct || !Array.isArray(context.stackTemplates)) return report;
  const { byPath, sets } = scanTree(context.appConstruct, context.stackTemplates);
  if (sets.size === 0) return report;
  const stackOfFile = new Map(context.stackTemplates.map((t) => [path.basename(t.templatePath), t.stackConstructPath] as const));
  const templateStackOf = (r: PolicyViolatingResource): string | undefined => {
    const at = r.constructPath ?? (r.templatePath ? stackOfFile.get(path.basename(r.templatePath)) : undefined);
    if (at === undefined) return undefined;
    return [...sets.keys()].find((p) => at === p || at.startsWith(`${p}/`));
  };
  return {
    ...report,
    violations: report.violations.map((v) => {
      const extra = v.violatingResources.flatMap((r) => {
        const t = templateStackOf(r);
        return t === undefined || acknowledgedByCdk(v, r, pluginName, byPath) ? [] : sets.get(t)!;
      });
      if (extra.length === 0) return v;
      const seen = new Set(v.violatingResources.map((r) => r.constructPath));
      const added = extra.filter((r) => !seen.has(r.constructPath) && seen.add(r.constructPath));
      return { ...v, violatingResources: [...v.violatingResources, ...added] };
    }),
  };
}

/**
 * A rule pack whose violations in StackSet templates are also reported on their StackSets
 * ({@link attributeToStackSets}); its name, rules and acknowledgements are the pack's own. An exception
 * of the pack becomes a fatal violation: CDK would record it as a failed report without violations,
 * which the CDK CLI counts as a success.
 */
export class StackSetAwarePlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly inner: IPolicyValidationPlugin) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  /** Never throws: a pack that throws, or whose report cannot be attributed, fails synthesis naming the cause. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const where = locationOf(context);
    let report: PolicyValidationPluginReport;
    try {
      report = this.inner.validate(context);
    } catch (e) {
      return packFailureReport(`the pack failed while evaluating the app: ${messageOf(e)}`, where.constructPath, where.templatePath, this.name);
    }
    try {
      return attributeToStackSets(report, context, this.name);
    } catch (e) {
      const failure = packFailureReport(`the pack could not attribute violations to StackSets: ${messageOf(e)}`, where.constructPath, where.templatePath, this.name);
      return { success: false, violations: [...failure.violations, ...report.violations] };
    }
  }
}
