import * as fs from 'fs';
import * as path from 'path';
import { expandTemplatePaths } from '../template/load';
import { Environment, PLACEHOLDER_ACCOUNT, PLACEHOLDER_REGION, StackTemplate } from './resolve';

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string; readonly cloudFormationExecutionRoleArn?: string };
}

export interface LoadOptions {
  /** The account the app is deployed to, when the assembly does not say (environment-agnostic stacks). */
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
}

export interface LoadedApp {
  readonly stacks: StackTemplate[];
  /** Files found in a directory that are no template (reported, not read). */
  readonly skipped: string[];
  /** What the loader assumed, for the evidence (e.g. the placeholder account). */
  readonly assumptions: string[];
  /** The CloudFormation execution roles the manifest deploys the stacks with (the pipeline), resolved. */
  readonly executionRoles: string[];
}

/** `aws://123456789012/us-east-1` → its parts; `unknown-account`/`unknown-region` → undefined. */
export function parseEnvironment(env: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env ?? '');
  if (!m) return {};
  return { account: /^\d{12}$/.test(m[1]) ? m[1] : undefined, region: m[2].startsWith('unknown-') ? undefined : m[2] };
}

type ManifestStack = { stackName: string; env: { account?: string; region?: string }; executionRole?: string };

function manifestStacks(dir: string): Map<string, ManifestStack> {
  const out = new Map<string, ManifestStack>();
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return out;
  let m: { artifacts?: Record<string, ManifestArtifact> };
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  for (const [id, a] of Object.entries(m.artifacts ?? {})) {
    if (a?.type === 'aws:cloudformation:stack' && typeof a.properties?.templateFile === 'string') {
      out.set(path.resolve(dir, a.properties.templateFile), { stackName: a.properties.stackName ?? id, env: parseEnvironment(a.environment), executionRole: a.properties.cloudFormationExecutionRoleArn });
    } else if (a?.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      for (const [k, v] of manifestStacks(path.join(dir, a.properties.directoryName))) out.set(k, v);
    }
  }
  return out;
}

/**
 * Reads an app: a cloud assembly directory (its manifest names the stacks and their environments),
 * or template files and directories of templates. Throws TemplateError (naming the file) on
 * unreadable input.
 */
export function loadApp(inputs: readonly string[], options: LoadOptions = {}): LoadedApp {
  const { loaded, skipped } = expandTemplatePaths(inputs);
  const fromManifest = new Map<string, ManifestStack>();
  for (const i of inputs) {
    if (fs.statSync(i).isDirectory()) for (const [k, v] of manifestStacks(i)) fromManifest.set(k, v);
  }
  const assumptions: string[] = [];
  const stacks = loaded.map((t): StackTemplate => {
    const m = fromManifest.get(path.resolve(t.path));
    const stackName = m?.stackName ?? path.basename(t.path).replace(/(\.template)?\.(json|ya?ml)$/i, '');
    const account = m?.env.account ?? options.account;
    const region = m?.env.region ?? options.region;
    const env: Environment = { account: account ?? PLACEHOLDER_ACCOUNT, region: region ?? PLACEHOLDER_REGION, partition: options.partition ?? 'aws' };
    if (!account) assumptions.push(`${stackName}: environment-agnostic; its account is the placeholder ${PLACEHOLDER_ACCOUNT} (the same for every stack; pass --account to use yours)`);
    if (!region) assumptions.push(`${stackName}: no region; using ${PLACEHOLDER_REGION}`);
    return { stackName, file: t.path, template: t.template, env };
  });
  const executionRoles = new Set<string>();
  for (const st of stacks) {
    const role = fromManifest.get(path.resolve(st.file))?.executionRole;
    if (role) {
      executionRoles.add(role.replace(/\$\{AWS::Partition\}/g, st.env.partition).replace(/\$\{AWS::AccountId\}/g, st.env.account).replace(/\$\{AWS::Region\}/g, st.env.region));
    }
  }
  return { stacks, skipped, assumptions, executionRoles: [...executionRoles] };
}
