import { Command, Option } from 'commander';
import { ExitCode, FailOn, exitCodeFor } from '../findings';
import { renderFindings } from '../report/render';
import { ReportFormat } from '../report/types';
import { isOrganizationId } from '../nag/organization-id';
import { TemplateError, expandTemplatePaths } from '../template/load';
import type { RegisterCommand } from './commands';
import { TOOL_VERSION, withCommonOptions } from './common';
import { UsageError, writeOutput } from './io';

interface CheckOptions {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  readonly parameter: string[];
  readonly organizationId?: string;
}

/** Checks `--organization-id` as the pack checks its `organizationId` prop; a bad value is a usage error naming it. */
export function parseOrganizationId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isOrganizationId(value)) throw new UsageError(`--organization-id '${value}' is not an AWS Organizations id such as o-a1b2c3d4e5`);
  return value;
}

function collectParameter(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Pseudo parameters `--parameter` may set, with the shape their value must have. */
const PSEUDO: Readonly<Record<string, RegExp>> = {
  'AWS::AccountId': /^\d{12}$/,
  'AWS::Region': /^[a-z]{2}(-[a-z]+)+-\d+$/,
  'AWS::Partition': /^aws(-[a-z-]+)?$/,
  'AWS::URLSuffix': /^[a-z0-9.-]+$/,
  'AWS::StackName': /^[A-Za-z][A-Za-z0-9-]*$/,
};

/**
 * Parses `--parameter Name=Value` pairs; a malformed one is a usage error naming it. `AWS::AccountId`,
 * `AWS::Region` (and `AWS::Partition`, `AWS::URLSuffix`, `AWS::StackName`) give the deployment's values.
 */
export function parseParameters(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const name = eq > 0 ? p.slice(0, eq) : '';
    if (name.startsWith('AWS::')) {
      const shape = PSEUDO[name];
      if (!shape) throw new UsageError(`--parameter '${p}': ${name} is not a pseudo parameter check can set (${Object.keys(PSEUDO).join(', ')})`);
      if (!shape.test(p.slice(eq + 1))) throw new UsageError(`--parameter '${p}': '${p.slice(eq + 1)}' is not a valid ${name}`);
    } else if (eq <= 0 || !/^[A-Za-z0-9]+$/.test(name)) {
      throw new UsageError(`--parameter '${p}' is not Name=Value with an alphanumeric name`);
    }
    out[name] = p.slice(eq + 1);
  }
  return out;
}

/**
 * `cdk-hardening check <template...>`: the BreachLessons rules over any CloudFormation template,
 * JSON or YAML, CDK-made or hand-written; a directory means every template in it.
 */
export const registerCheck: RegisterCommand = (program: Command, io, setExitCode) => {
  withCommonOptions(
    program.command('check')
      .description('run the BreachLessons rules over CloudFormation templates (files or directories, JSON or YAML)')
      .argument('<template...>', 'template files, or directories of templates')
      .addOption(new Option('--organization-id <o-id>', 'the own AWS Organizations id (o-...), as the pack\'s organizationId: a policy limited to this organization passes, to another fails; without it a policy limited to an organization cannot be verified (ERROR)'))
      .addOption(new Option('--parameter <name=value>', 'value of a template parameter (repeatable); unset parameters cannot be verified. AWS::AccountId=ID and AWS::Region=REGION give the deployment\'s account and region (pseudo parameters, Fn::Sub, Conditions); without them they stay symbolic').argParser(collectParameter).default([])),
  ).action(async (templates: string[], opts: CheckOptions) => {
    const parameters = parseParameters(opts.parameter);
    const organizationId = parseOrganizationId(opts.organizationId);
    // aws-cdk-lib and the rules are loaded when templates are checked, not at start-up of every command.
    const { evaluateTemplates } = await import('../template/evaluate-templates');
    const now = io.now();
    let loaded;
    let findings;
    try {
      const expanded = expandTemplatePaths(templates);
      for (const s of expanded.skipped) io.stderr(`cdk-hardening: skipping ${s}: not a CloudFormation template\n`);
      loaded = expanded.loaded;
      const declared = new Set(loaded.flatMap((t) => Object.keys(t.template.Parameters ?? {})));
      const unknown = Object.keys(parameters).filter((name) => !name.startsWith('AWS::') && !declared.has(name));
      if (unknown.length > 0) {
        throw new UsageError(`--parameter ${unknown.map((n) => `'${n}'`).join(', ')}: no template given declares ${unknown.length > 1 ? 'these parameters' : 'this parameter'}`
          + ` (declared: ${[...declared].sort().join(', ') || 'none'})`);
      }
      findings = evaluateTemplates(loaded, { now, parameters, organizationId });
    } catch (e) {
      if (e instanceof TemplateError) throw new UsageError(e.message);
      throw e;
    }
    const byPath = new Map(loaded.map((t) => [t.path, t] as const));
    let incomplete = false;
    for (const t of loaded) {
      if (t.template.Transform !== undefined) {
        // What the transform would generate is never evaluated: the check is incomplete (exit 3), never a pass.
        incomplete = true;
        io.stderr(`cdk-hardening: ${t.path}: Transform ${JSON.stringify(t.template.Transform)} is not expanded: resources it would generate are not checked (incomplete: exit 3)\n`);
      }
      if (!findings.some((f) => f.resource.template === t.path)) {
        io.stderr(`cdk-hardening: ${t.path}: no BreachLessons rule applies to any of its ${Object.keys(t.template.Resources).length} resources\n`);
      }
    }
    writeOutput(io, opts.out, renderFindings(opts.format, findings, {
      title: 'cdk-hardening check',
      generatedAt: now,
      toolVersion: TOOL_VERSION,
      failOn: opts.failOn,
      lineOf: (template, logicalId) => byPath.get(template)?.lineOf(logicalId),
    }));
    setExitCode(incomplete ? ExitCode.INCOMPLETE : exitCodeFor(findings, opts.failOn));
  });
};
