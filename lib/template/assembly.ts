import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from './load';

interface Manifest { readonly artifacts?: Record<string, { readonly type?: string; readonly environment?: string; readonly properties?: Record<string, unknown> }> }

/** A stack of a cloud assembly: its template file and the account and region its manifest names. */
export interface AssemblyStack {
  readonly templateFile: string;
  /** Literal parts of the manifest's `aws://account/region` (unknown-account / unknown-region left out). */
  readonly environment: { readonly account?: string; readonly region?: string };
}

/** The literal account and region of a manifest environment `aws://<account>/<region>`. */
export function parseEnvironment(env: unknown): AssemblyStack['environment'] {
  const m = typeof env === 'string' ? /^aws:\/\/([^/]+)\/(.+)$/.exec(env) : null;
  if (!m) return {};
  return {
    ...(/^\d{12}$/.test(m[1]) ? { account: m[1] } : {}),
    ...(m[2] !== 'unknown-region' && /^[a-z0-9-]+$/.test(m[2]) ? { region: m[2] } : {}),
  };
}

/** The stacks a cloud assembly lists, with their environments, nested assemblies included, sorted by file. */
export function cloudAssemblyStacks(dir: string): AssemblyStack[] | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new TemplateError(file, `invalid cloud assembly manifest: ${(e as Error).message}`);
  }
  if (typeof m !== 'object' || m === null || typeof m.artifacts !== 'object' || m.artifacts === null) return undefined;
  const out: AssemblyStack[] = [];
  for (const a of Object.values(m.artifacts)) {
    if (a?.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      out.push({ templateFile: path.join(dir, a.properties.templateFile), environment: parseEnvironment(a.environment) });
    } else if (a?.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      const nested = path.join(dir, a.properties.directoryName);
      const stacks = cloudAssemblyStacks(nested);
      if (stacks === undefined) throw new TemplateError(nested, 'nested cloud assembly listed in the manifest has no readable manifest.json');
      out.push(...stacks);
    }
  }
  return out.sort((x, y) => (x.templateFile < y.templateFile ? -1 : x.templateFile > y.templateFile ? 1 : 0));
}

/**
 * The stack templates a cloud assembly lists in its manifest.json, nested assemblies (stages)
 * included, sorted; undefined when the directory has no cloud assembly manifest.
 */
export function cloudAssemblyTemplates(dir: string): string[] | undefined {
  return cloudAssemblyStacks(dir)?.map((st) => st.templateFile);
}
