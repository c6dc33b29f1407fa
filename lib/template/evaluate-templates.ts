import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Finding, finding } from '../findings';
import { evaluateScope } from '../nag/evaluate';
import { isOrganizationId } from '../nag/organization-id';
import { ENVIRONMENT_GROUP_CONTEXT, STACKSET_TEMPLATE_METADATA } from '../nag/resource-index';
import { ConditionalTemplate, Scenario, applyScenario, describeScenario, scenariosOf } from './conditions';
import { pseudoValues, resolvePseudo } from './intrinsics';
import { LoadedTemplate, TemplateError } from './load';

export interface EvaluateTemplatesOptions {
  /** Clock for acknowledgement expiry. */
  readonly now?: Date;
  /**
   * Known parameter values (`--parameter Name=Value`), substituted where a template declares the
   * parameter. Any other parameter stays a reference: rules that need its value report ERROR.
   * `AWS::AccountId` and `AWS::Region` (and the other pseudo parameters) give the deployment's
   * account and region for every template whose cloud assembly manifest does not name them.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * The own AWS Organizations id (`--organization-id`), as the pack's `organizationId`: a policy
   * limited to an organization is compared with it.
   * @default - none: a policy limited to an organization cannot be verified (ERROR)
   */
  readonly organizationId?: string;
  /**
   * Where the copies CfnInclude reads are written (each run in a directory of its own, removed after).
   * @default os.tmpdir()
   */
  readonly workDir?: string;
}

/** Most combined scenarios (across the templates checked together) `check` evaluates. */
export const MAX_COMBINED_SCENARIOS = 64;

/** One template prepared for evaluation: pseudo parameters resolved, its scenarios enumerated. */
interface Prepared {
  readonly base: ConditionalTemplate;
  readonly known: Record<string, string>;
  readonly parameters: Record<string, string>;
  readonly env: { account?: string; region?: string };
  readonly group: string;
  readonly scenarios: Scenario[];
}

function prepare(t: LoadedTemplate, linked: unknown, given: Readonly<Record<string, string>>): Prepared {
  const declared = t.template.Parameters ?? {};
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) if (k in declared) parameters[k] = v;
  // The manifest's literal environment wins: a CDK stack with an explicit env deploys only there.
  const env = { account: t.environment?.account ?? given['AWS::AccountId'], region: t.environment?.region ?? given['AWS::Region'] };
  const pseudo = pseudoValues({ // it takes the AWS:: keys only
    ...given,
    ...(env.account ? { 'AWS::AccountId': env.account } : {}),
    ...(env.region ? { 'AWS::Region': env.region } : {}),
  });
  const base = resolvePseudo(linked, pseudo) as ConditionalTemplate;
  const known = { ...parameters, ...pseudo };
  let scenarios: Scenario[];
  try {
    scenarios = scenariosOf(base, known);
  } catch (e) {
    throw new TemplateError(t.path, (e as Error).message);
  }
  return { base, known, parameters, env, group: t.assembly ?? t.path, scenarios };
}

/** Every combination of one scenario per template. */
function combinations(prepared: readonly Prepared[]): Scenario[][] {
  let out: Scenario[][] = [[]];
  for (const p of prepared) {
    out = out.flatMap((c) => p.scenarios.map((s) => [...c, s]));
    if (out.length > MAX_COMBINED_SCENARIOS) {
      throw new TemplateError('templates', // one template alone never gets here: its own limit (scenariosOf) is lower
        `more than ${MAX_COMBINED_SCENARIOS} combinations of conditions whose parameters are not given: give them with --parameter`);
    }
  }
  return out;
}

/** Intrinsics CfnInclude understands (aws-cdk-lib's template parser), besides Ref and Condition. */
const INCLUDABLE = new Set(['Fn::And', 'Fn::Base64', 'Fn::Cidr', 'Fn::Equals', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::GetAtt', 'Fn::If',
  'Fn::ImportValue', 'Fn::Join', 'Fn::Not', 'Fn::Or', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::ValueOf']);

/**
 * Replaces intrinsics CfnInclude cannot load (`Fn::GetStackOutput`, `Fn::ToJsonString`, `Fn::Length`...)
 * with an opaque `Fn::ImportValue` naming the original: the template still loads and the value stays
 * something no rule can resolve, so it is reported as "cannot verify", never as a pass.
 */
export function opaqueUnsupportedIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(opaqueUnsupportedIntrinsics);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0].startsWith('Fn::') && !INCLUDABLE.has(keys[0])) {
    return { 'Fn::ImportValue': `${keys[0]} ${JSON.stringify((value as Record<string, unknown>)[keys[0]])}` };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, opaqueUnsupportedIntrinsics(v)]));
}

/** The stack name a template file stands for: its name without `.template.json`, `.json`, `.yaml`. */
export function stackNameOf(file: string): string {
  return path.basename(file).replace(/(\.template)?\.(json|ya?ml)$/i, '');
}

type Json = unknown;
type Outputs = Record<string, { Value?: Json; Export?: { Name?: Json } }>;

/**
 * Links `Fn::GetStackOutput` (CDK's cross-stack and cross-region references) between templates
 * checked together: a reference to output O of stack S, when exactly one template given is stack S and
 * declares O, becomes `Fn::ImportValue` of O's export (one is added when O has none), so rules follow it
 * into that template as they would inside the app. Anything else is left for
 * {@link opaqueUnsupportedIntrinsics}. Returns new template objects; the inputs are not changed.
 */
export function linkStackOutputs(templates: readonly LoadedTemplate[]): Json[] {
  const byName = new Map<string, number[]>();
  templates.forEach((t, i) => byName.set(stackNameOf(t.path), [...(byName.get(stackNameOf(t.path)) ?? []), i]));
  const copies = templates.map((t) => JSON.parse(JSON.stringify(t.template)) as { Outputs?: Outputs });
  const exportOf = (stackName: string, outputName: string): string | undefined => {
    const hits = byName.get(stackName);
    if (hits?.length !== 1) return undefined;
    const out = copies[hits[0]].Outputs?.[outputName];
    if (!out || typeof out !== 'object') return undefined;
    if (out.Export === undefined) out.Export = { Name: `cdk-hardening-check:${stackName}:${outputName}` };
    return typeof out.Export?.Name === 'string' ? out.Export.Name : undefined;
  };
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, Json>;
    const ref = o['Fn::GetStackOutput'] as { StackName?: Json; OutputName?: Json } | undefined;
    if (Object.keys(o).length === 1 && ref && typeof ref.StackName === 'string' && typeof ref.OutputName === 'string') {
      const name = exportOf(ref.StackName, ref.OutputName);
      if (name) return { 'Fn::ImportValue': name };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return copies.map((c) => {
    const { Outputs: outputs, ...rest } = c;
    const linked = walk(rest) as Record<string, Json>;
    return outputs === undefined ? linked : { ...linked, Outputs: outputs };
  });
}

/** The construct path CDK recorded for a resource, when the template was made by CDK. */
function cdkPathOf(t: LoadedTemplate, logicalId: string): string | undefined {
  const p = t.template.Resources[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : undefined;
}

/**
 * Runs every BreachLessons rule over templates: each is loaded with CfnInclude into its own stack
 * of one throwaway app (so cross-resource rules see the whole template, and intrinsics stay tokens
 * the rules cannot resolve — ERROR, never PASS), then evaluated once. `Fn::Sub` is read as the
 * `Fn::Join` it stands for; pseudo parameters given with `--parameter AWS::X=...` (or named by a
 * cloud assembly's manifest) are put in; Conditions are evaluated, and when they read parameters not
 * given, every reachable combination is evaluated and the findings merged (an outcome that differs
 * between combinations is "cannot verify"). Findings have source 'template' and name the file as
 * given and the logical id (`<file>#<LogicalId>`).
 */
export function evaluateTemplates(templates: readonly LoadedTemplate[], options: EvaluateTemplatesOptions = {}): Finding[] {
  if (options.organizationId !== undefined && !isOrganizationId(options.organizationId)) {
    throw new Error(`evaluateTemplates: organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got ${JSON.stringify(options.organizationId)}`);
  }
  const linked = linkStackOutputs(templates);
  const prepared = templates.map((t, i) => prepare(t, linked[i], options.parameters ?? {}));
  const runs = combinations(prepared).map((scenarios) => ({ scenarios, findings: evaluateOnce(templates, prepared, scenarios, options) }));
  if (runs.length === 1) return runs[0].findings;
  return mergeScenarios(runs.map((r) => ({
    describe: r.scenarios.map((s, i) => (s.chosen.length > 0 ? `${templates[i].path}: ${describeScenario(s)}` : '')).filter((x) => x).join('; '),
    findings: r.findings,
  })));
}

/** The findings of one scenario per template. */
function evaluateOnce(templates: readonly LoadedTemplate[], prepared: readonly Prepared[], scenarios: readonly Scenario[], options: EvaluateTemplatesOptions): Finding[] {
  const app = new App({ context: { '@aws-cdk/core:newStyleStackSynthesis': true } });
  const byStack = new Map<Stack, LoadedTemplate>();
  const dir = fs.mkdtempSync(path.join(options.workDir ?? os.tmpdir(), 'cdk-hardening-check-'));
  try {
    templates.forEach((t, i) => {
      const p = prepared[i];
      const env = { ...(p.env.account ? { account: p.env.account } : {}), ...(p.env.region ? { region: p.env.region } : {}) };
      const stack = new Stack(app, `Template${i}`, { env });
      // Unresolved accounts and regions are the same only within one template, or one cloud assembly.
      stack.node.setContext(ENVIRONMENT_GROUP_CONTEXT, p.group);
      // A StackSet template says so, and which accounts it never reaches (the management account): as at synthesis.
      const stackSet = (p.base as { Metadata?: Record<string, unknown> }).Metadata?.[STACKSET_TEMPLATE_METADATA];
      if (stackSet && typeof stackSet === 'object') stack.node.setContext(STACKSET_TEMPLATE_METADATA, stackSet);
      const file = path.join(dir, `${i}.json`);
      let body: unknown;
      try {
        body = applyScenario(p.base, scenarios[i], p.known);
      } catch (e) {
        throw new TemplateError(t.path, (e as Error).message);
      }
      fs.writeFileSync(file, JSON.stringify(opaqueUnsupportedIntrinsics(body)));
      try {
        new CfnInclude(stack, 'Template', { templateFile: file, parameters: p.parameters, allowCyclicalReferences: true });
      } catch (e) {
        throw new TemplateError(t.path, `cannot load template: ${(e as Error).message}`);
      }
      byStack.set(stack, t);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const raw = evaluateScope(app, {
    source: 'template',
    now: options.now,
    templateNameOf: (s) => byStack.get(s)?.path ?? s.stackName,
    organizationId: options.organizationId,
  });
  const pathToTemplate = new Map([...byStack.values()].map((t) => [t.path, t] as const));
  const stackPathOf = new Map([...byStack.entries()].map(([s, t]) => [t, s.node.path] as const));
  return raw.map((f) => {
    const t = f.resource.template !== undefined ? pathToTemplate.get(f.resource.template) : undefined;
    const logicalId = f.resource.logicalId;
    if (!t || !logicalId) return f;
    const cdkPath = cdkPathOf(t, logicalId);
    // Messages may name the throwaway construct path; name the file and logical id instead.
    const stackPath = stackPathOf.get(t)!;
    const message = f.message.split(`${stackPath}/Template/`).join(`${t.path}#`);
    return finding({
      ...f,
      message,
      resource: {
        id: `${t.path}#${logicalId}`, template: t.path, logicalId,
        ...(f.resource.type ? { type: f.resource.type } : {}),
        ...(cdkPath ? { constructPath: cdkPath } : {}),
      },
    });
  });
}

/**
 * One finding per (rule, resource) from the findings of every scenario: the same status everywhere
 * it was evaluated stays (a FAIL in some scenarios only is still a FAIL, a resource that exists in
 * some only is judged where it exists); PASS beside ACKNOWLEDGED is ACKNOWLEDGED; any ERROR is ERROR;
 * FAIL beside PASS or ACKNOWLEDGED is "cannot verify" naming the conditions each outcome needs.
 */
export function mergeScenarios(runs: ReadonlyArray<{ readonly describe: string; readonly findings: readonly Finding[] }>): Finding[] {
  const byKey = new Map<string, Array<{ describe: string; f: Finding }>>();
  for (const r of runs) {
    for (const f of r.findings) {
      const k = `${f.ruleId}\u0000${f.resource.id}`;
      const l = byKey.get(k);
      if (l) l.push({ describe: r.describe, f }); else byKey.set(k, [{ describe: r.describe, f }]);
    }
  }
  const out: Finding[] = [];
  for (const hits of byKey.values()) {
    const statuses = new Set(hits.map((h) => h.f.status));
    const first = (s: string) => hits.find((h) => h.f.status === s)!;
    const partial = hits.length < runs.length;
    if (statuses.size === 1) {
      const h = hits[0];
      const only = partial && h.f.status === 'FAIL' ? ` (when ${hits.map((x) => x.describe).join(' | ')})` : '';
      out.push(only ? finding({ ...h.f, message: `${h.f.message}${only}` }) : h.f);
    } else if (statuses.size === 2 && statuses.has('PASS') && statuses.has('ACKNOWLEDGED')) {
      out.push(first('ACKNOWLEDGED').f);
    } else if (statuses.has('ERROR')) {
      out.push(first('ERROR').f);
    } else {
      const failing = hits.filter((h) => h.f.status === 'FAIL');
      const passing = hits.filter((h) => h.f.status !== 'FAIL');
      const f = failing[0].f;
      const { acknowledgement: _a, ...rest } = f;
      out.push(finding({
        ...rest,
        status: 'ERROR',
        message: `cannot verify: the outcome depends on conditions whose parameters are not given (give them with --parameter):`
          + ` FAIL when ${failing.map((h) => h.describe).join(' | ')} (${f.message});`
          + ` ${passing[0].f.status} when ${passing.map((h) => h.describe).join(' | ')}`,
      }));
    }
  }
  return out;
}
