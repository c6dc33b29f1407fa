import * as fs from 'fs';
import * as path from 'path';
import { cloudAssemblyStacks } from './assembly';
import { parseCfnYaml } from './yaml';

/** A CloudFormation template in its JSON form. */
export interface CfnTemplate {
  readonly AWSTemplateFormatVersion?: string;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown>; readonly Metadata?: Record<string, unknown>; readonly Condition?: string }>;
  readonly [section: string]: unknown;
}

export interface LoadedTemplate {
  /** The path as the user gave it (findings name it). */
  readonly path: string;
  readonly format: 'json' | 'yaml';
  readonly template: CfnTemplate;
  /** 1-based line where a logical id is declared, for SARIF regions. */
  lineOf(logicalId: string): number | undefined;
  /** The cloud assembly directory the template was listed in, when it came from one. */
  readonly assembly?: string;
  /** The literal account and region the assembly's manifest gives the stack. */
  readonly environment?: { readonly account?: string; readonly region?: string };
}

/** A template that cannot be read or is not a CloudFormation template; the message names the file. */
export class TemplateError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'TemplateError';
  }
}

const TEMPLATE_FILE = /\.(json|ya?ml)$/i;

function isYamlName(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

function parseText(file: string, text: string): { format: 'json' | 'yaml'; value: unknown } {
  const trimmed = text.trimStart();
  if (!trimmed) throw new TemplateError(file, 'empty file');
  // JSON is tried first for .json and for anything that looks like an object; YAML otherwise.
  if (!isYamlName(file) || trimmed.startsWith('{')) {
    try {
      return { format: 'json', value: JSON.parse(text) };
    } catch (e) {
      const msg = (e as Error).message;
      if (!isYamlName(file)) {
        const m = /position (\d+)/.exec(msg);
        throw new TemplateError(file, `invalid JSON${m ? ` at ${positionOf(text, Number(m[1]))}` : ''}: ${msg}`);
      }
    }
  }
  try {
    return { format: 'yaml', value: parseCfnYaml(text) };
  } catch (e) {
    throw new TemplateError(file, (e as Error).message);
  }
}

/** Checks the shape CloudFormation requires; throws naming the first problem. */
export function validateTemplate(file: string, value: unknown): CfnTemplate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TemplateError(file, `not a CloudFormation template: the document is ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}, not an object`);
  }
  const t = value as Record<string, unknown>;
  const resources = t.Resources;
  if (resources === undefined) throw new TemplateError(file, 'not a CloudFormation template: no Resources section');
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateError(file, `Resources must be an object, got ${JSON.stringify(resources)}`);
  }
  if (Object.keys(resources).length === 0) throw new TemplateError(file, 'Resources is empty: a template declares at least one resource');
  for (const [id, r] of Object.entries(resources as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) throw new TemplateError(file, `resource logical id '${id}' is not alphanumeric`);
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TemplateError(file, `resource '${id}' must be an object, got ${JSON.stringify(r)}`);
    const type = (r as Record<string, unknown>).Type;
    if (typeof type !== 'string' || !/^[A-Za-z0-9]+::[A-Za-z0-9:-]+$/.test(type)) {
      throw new TemplateError(file, `resource '${id}' has ${type === undefined ? 'no Type' : `an invalid Type ${JSON.stringify(type)}`}`);
    }
    const props = (r as Record<string, unknown>).Properties;
    if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) {
      throw new TemplateError(file, `resource '${id}' Properties must be an object, got ${JSON.stringify(props)}`);
    }
  }
  for (const section of ['Parameters', 'Conditions', 'Mappings', 'Outputs']) {
    const s = t[section];
    if (s !== undefined && (typeof s !== 'object' || s === null || Array.isArray(s))) {
      throw new TemplateError(file, `${section} must be an object, got ${JSON.stringify(s)}`);
    }
  }
  return t as unknown as CfnTemplate;
}

function lineIndex(text: string, format: 'json' | 'yaml'): (logicalId: string) => number | undefined {
  let index: Map<string, number> | undefined;
  return (logicalId) => {
    if (!index) {
      index = new Map();
      const re = format === 'json' ? /^\s*"([A-Za-z0-9]+)"\s*:\s*\{/ : /^\s+([A-Za-z0-9]+)\s*:\s*$/;
      const lines = text.split('\n');
      let inResources = false;
      for (let i = 0; i < lines.length; i++) {
        if (!inResources) {
          if (/^\s*"?Resources"?\s*:/.test(lines[i])) inResources = true;
          continue;
        }
        const m = re.exec(lines[i]);
        if (m && !index.has(m[1])) index.set(m[1], i + 1);
      }
    }
    return index.get(logicalId);
  };
}

/** Reads, parses (JSON or YAML with short forms) and checks one template file. */
export function loadTemplate(file: string): LoadedTemplate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TemplateError(file, err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}`);
  }
  return templateOf(file, text, parseText(file, text));
}

function templateOf(file: string, text: string, parsed: { format: 'json' | 'yaml'; value: unknown }): LoadedTemplate {
  const template = validateTemplate(file, parsed.value);
  return { path: file, format: parsed.format, template, lineOf: lineIndex(text, parsed.format) };
}

/**
 * Expands the paths given to `check`: a file stays itself; a cloud assembly directory (with a
 * manifest.json listing artifacts) becomes the stack templates it lists, nested assemblies included;
 * any other directory becomes every *.json, *.yaml and *.yml file in it (not recursive). Files named explicitly must be templates; files found in a
 * directory that are valid JSON/YAML but no template (no Resources, no AWSTemplateFormatVersion) are
 * skipped and reported. A missing path or a directory without templates is an error.
 */
export function expandTemplatePaths(args: readonly string[]): { loaded: LoadedTemplate[]; skipped: string[] } {
  const loaded: LoadedTemplate[] = [];
  const skipped: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new TemplateError(arg, 'no such file or directory');
    }
    if (!stat.isDirectory()) {
      loaded.push(loadTemplate(arg));
      continue;
    }
    // A cloud assembly (cdk.out): exactly the stack templates its manifest lists.
    const assembly = cloudAssemblyStacks(arg);
    if (assembly) {
      if (!assembly.length) throw new TemplateError(arg, 'cloud assembly lists no stack template');
      loaded.push(...assembly.map((s) => ({ ...loadTemplate(s.templateFile), assembly: arg, environment: s.environment })));
      continue;
    }
    const names = fs.readdirSync(arg).filter((n) => TEMPLATE_FILE.test(n)).sort();
    let found = 0;
    for (const name of names) {
      const file = path.join(arg, name);
      if (!fs.statSync(file).isFile()) continue;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new TemplateError(file, `cannot read: ${(e as Error).message}`);
      }
      const parsed = parseText(file, text);
      const o = parsed.value as Record<string, unknown> | null;
      if (!/\.template\.json$/i.test(name) && (typeof o !== 'object' || o === null || Array.isArray(o) || (!('Resources' in o) && !('AWSTemplateFormatVersion' in o)))) {
        skipped.push(file);
        continue;
      }
      // Read and parsed once: the text just read is the template.
      loaded.push(templateOf(file, text, parsed));
      found++;
    }
    if (found === 0) throw new TemplateError(arg, 'directory holds no CloudFormation template (*.template.json, *.json, *.yaml, *.yml)');
  }
  return { loaded, skipped };
}
