import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from './load';

interface Manifest { readonly artifacts?: Record<string, { readonly type?: string; readonly properties?: Record<string, unknown> }> }

/**
 * The stack templates a cloud assembly lists in its manifest.json, nested assemblies (stages)
 * included, sorted; undefined when the directory has no cloud assembly manifest.
 */
export function cloudAssemblyTemplates(dir: string): string[] | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new TemplateError(file, `invalid cloud assembly manifest: ${(e as Error).message}`);
  }
  if (typeof m !== 'object' || m === null || typeof m.artifacts !== 'object' || m.artifacts === null) return undefined;
  const out: string[] = [];
  for (const a of Object.values(m.artifacts)) {
    if (a?.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      out.push(path.join(dir, a.properties.templateFile));
    } else if (a?.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      // A stage the manifest lists but that cannot be read is an error, never a stage without stacks.
      const nested = path.join(dir, a.properties.directoryName);
      const templates = cloudAssemblyTemplates(nested);
      if (templates === undefined) throw new TemplateError(nested, 'nested cloud assembly listed in the manifest has no readable manifest.json');
      out.push(...templates);
    }
  }
  return out.sort();
}
