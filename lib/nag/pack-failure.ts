import * as path from 'path';
import { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** Rule name of the violation BreachLessons reports when it could not evaluate the app at all. */
export const PACK_FAILURE_RULE = 'BreachLessons-PackFailure';

/**
 * The failing report for a pack that could not evaluate the app: synthesis must fail, naming the cause.
 * It carries a violation on a resource (the first stack): the CDK CLI, which reports validation itself,
 * counts a failed report without violations as a success.
 */
export function packFailureReport(cause: string, constructPath: string, templatePath?: string, packName = 'BreachLessons'): PolicyValidationPluginReport {
  return {
    success: false,
    violations: [{
      ruleName: packName === 'BreachLessons' ? PACK_FAILURE_RULE : `${packName}-PackFailure`,
      description: `${packName} could not check the app, so no ${packName === 'BreachLessons' ? 'lesson' : 'rule'} is verified and synthesis fails closed: ${cause}`,
      fix: 'Fix the cause above and synthesize again; a pack that cannot run never passes.',
      // fatal: nothing can acknowledge a pack that did not run.
      severity: 'fatal',
      ruleMetadata: { status: 'ERROR' },
      violatingResources: [{ constructPath, locations: [], ...(templatePath ? { templatePath } : {}) }],
    }],
  };
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * Where a pack failure is reported: the first stack of the context (CDK prints no violation without a
 * resource). Never throws: a context that cannot be read is reported at the root ('').
 */
export function locationOf(context: Partial<IPolicyValidationContext> | undefined): { constructPath: string; templatePath?: string } {
  try {
    return firstLocation(context);
  } catch {
    return { constructPath: '' };
  }
}

function firstLocation(context: Partial<IPolicyValidationContext> | undefined): { constructPath: string; templatePath?: string } {
  const first = Array.isArray(context?.stackTemplates) ? context!.stackTemplates[0] : undefined;
  if (first) return { constructPath: first.stackConstructPath, templatePath: first.templatePath };
  const templatePath = Array.isArray(context?.templatePaths) ? context!.templatePaths[0] : undefined;
  return { constructPath: templatePath ? path.basename(templatePath).replace(/\.template\.json$/, '') : '', ...(templatePath ? { templatePath } : {}) };
}
