import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Finding, finding } from '../findings';
import { evaluateScope } from '../nag/evaluate';
import { LoadedTemplate, TemplateError } from './load';

export interface EvaluateTemplatesOptions {
  /** Clock for acknowledgement expiry. */
  readonly now?: Date;
  /**
   * Known parameter values (`--parameter Name=Value`), substituted where a template declares the
   * parameter. Any other parameter stays a reference: rules that need its value report ERROR.
   */
  readonly parameters?: Readonly<Record<string, string>>;
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
 * the rules cannot resolve — ERROR, never PASS), then evaluated once. Findings have source
 * 'template' and name the file as given and the logical id (`<file>#<LogicalId>`).
 */
export function evaluateTemplates(templates: readonly LoadedTemplate[], options: EvaluateTemplatesOptions = {}): Finding[] {
  const app = new App({ context: { '@aws-cdk/core:newStyleStackSynthesis': true } });
  const byStack = new Map<Stack, LoadedTemplate>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-check-'));
  try {
    const linked = linkStackOutputs(templates);
    templates.forEach((t, i) => {
      const stack = new Stack(app, `Template${i}`);
      const file = path.join(dir, `${i}.json`);
      fs.writeFileSync(file, JSON.stringify(opaqueUnsupportedIntrinsics(linked[i])));
      const declared = t.template.Parameters ?? {};
      const parameters: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.parameters ?? {})) if (k in declared) parameters[k] = v;
      try {
        new CfnInclude(stack, 'Template', { templateFile: file, parameters, allowCyclicalReferences: true });
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
