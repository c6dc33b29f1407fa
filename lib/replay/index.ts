import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigFileError, HardeningConfig, readConfigFile } from '../config';
import { NamedPolicy } from '../policy';
import { PlaceholderValues, PolicyName, RCP_NAMES, SCP_NAMES, loadPolicy, rcpValues, scpValues } from '../policies';
import { TemplateError, loadTemplate } from '../template/load';
import { LoadOptions, loadApp } from './load';
import { buildModel } from './model';
import { AppResolver, StackTemplate } from './resolve';
import { ReplayOptions, ReplayResult, replay } from './replay';

export * from './replay';
export { STEPS, TACTICS, Tactic, StepDefinition } from './steps';
export { SERVICE_DELIVERY } from './detect';
export { buildModel, AppModel } from './model';
export { loadApp } from './load';
export { AppResolver } from './resolve';
export { attackerPersonas, Persona, OUTSIDE_ACCOUNT } from './personas';

/** A bad input to the replay (unreadable file, unknown step): the CLI exits 2 with this message. */
export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

export interface RunReplayOptions extends LoadOptions {
  /** Attach the SCPs (and RCPs) of policies/, rendered with the app's configuration. */
  readonly scps?: boolean;
  /** cdk.json whose `hardening:` context renders the SCPs (default: ./cdk.json when present, else the defaults). */
  readonly config?: string;
  /** The CDK bootstrap template (default: the aws-cdk package's own template, when the app uses the bootstrap). */
  readonly bootstrap?: string;
  readonly organizationId?: string;
  readonly steps?: readonly string[];
  /** Evaluate every request (no shortcut); for tests. */
  readonly exhaustive?: boolean;
  /** Where to look for the aws-cdk package (default: the current directory, then this package). */
  readonly cwd?: string;
}

export interface RunReplayResult {
  readonly result: ReplayResult;
  readonly stacks: readonly string[];
  readonly assumptions: readonly string[];
  readonly warnings: readonly string[];
  readonly scpNames: readonly string[];
  readonly resourceCount: number;
}

function configFrom(file: string | undefined, cwd: string): { config: HardeningConfig; source: string } {
  try {
    return readConfigFile(file, cwd);
  } catch (e) {
    if (e instanceof ConfigFileError) throw new ReplayInputError(e.message);
    throw e;
  }
}

/**
 * The organization policies of policies/ (scp/*, rcp/*), rendered with the configuration's values. The
 * RCPs (the data perimeter) need the organization id: without hardening:organizationId none is attached.
 */
export function organizationPolicies(config: HardeningConfig): { scps: NamedPolicy[]; rcps: NamedPolicy[] } {
  const render = (values: PlaceholderValues) => (n: PolicyName): NamedPolicy => ({ name: `policies/${n}.json`, document: loadPolicy(n, values) });
  return {
    scps: SCP_NAMES.map(render(scpValues(config))),
    rcps: config.organizationId ? RCP_NAMES.map(render(rcpValues(config))) : [],
  };
}

/** The bootstrap qualifier an app's templates use (from CDK's BootstrapVersion parameter), if any. */
export function bootstrapQualifier(stacks: readonly StackTemplate[]): string | undefined {
  for (const s of stacks) {
    const d = s.template.Parameters?.BootstrapVersion?.Default;
    const m = typeof d === 'string' ? /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(d) : null;
    if (m) return m[1];
  }
  return undefined;
}

function defaultBootstrapTemplate(cwd: string): string | undefined {
  for (const base of [cwd, __dirname]) {
    try {
      const pkg = require.resolve('aws-cdk/package.json', { paths: [base] });
      const file = path.join(path.dirname(pkg), 'lib', 'api', 'bootstrap', 'bootstrap-template.yaml');
      if (fs.existsSync(file)) return file;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** The stand-in for the CI role when `hardening:pipelinePrincipalArns` names none yet. */
const UNNAMED_CI_ROLE = 'cdk-hardening-ci-not-yet-named';

/**
 * The hardened bootstrap of docs/hardened-bootstrap.md, rendered with the configuration, when the app
 * deploys through the pipeline execution role that bootstrap creates (the configured
 * `hardening:pipelineRoleName`): the replay then judges the bootstrap the app was built for.
 */
function hardenedBootstrapFor(executionRoles: readonly string[], configFile: string | undefined, cwd: string, qualifier: string | undefined):
  { template: StackTemplate['template']; source: string; roleName: string } | undefined {
  const { config, source } = configFrom(configFile, cwd);
  if (!executionRoles.some((arn) => arn.endsWith(`:role/${config.pipelineRoleName}`))) return undefined;
  // Loaded here only: the bootstrap construct needs aws-cdk-lib, which the rest of replay does not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeHardenedBootstrap } = require('../constructs/hardened-bootstrap') as typeof import('../constructs/hardened-bootstrap');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-bootstrap-'));
  try {
    // With no CI role configured yet, a stand-in CI role no persona holds: the bootstrap's trust is
    // then judged as it will be once the real role is named (said in the evidence).
    const ci = config.pipelinePrincipalArns.length ? config.pipelinePrincipalArns : [`arn:aws:iam::${config.account ?? '111122223333'}:role/${UNNAMED_CI_ROLE}`];
    const template = synthesizeHardenedBootstrap({
      pipelinePrincipalArns: ci, pipelineRoleName: config.pipelineRoleName, qualifier: qualifier ?? config.cdkQualifier,
    }, outdir);
    const standIn = config.pipelinePrincipalArns.length ? '' : ` (hardening:pipelinePrincipalArns is empty: the deploy roles trust a stand-in CI role ${UNNAMED_CI_ROLE}, which no persona holds)`;
    return { template: template as StackTemplate['template'], source: `${source}${standIn}`, roleName: config.pipelineRoleName };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Loads the app (and its bootstrap), builds the model and replays the kill chain. */
export function runReplay(inputs: readonly string[], options: RunReplayOptions = {}): RunReplayResult {
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  let app;
  try {
    app = loadApp(inputs, options);
  } catch (e) {
    if (e instanceof TemplateError) throw new ReplayInputError(e.message);
    throw e;
  }
  const stacks = [...app.stacks];
  const assumptions = [...new Set(app.assumptions)];
  const qualifier = bootstrapQualifier(stacks);
  if (options.bootstrap && !fs.existsSync(options.bootstrap)) throw new ReplayInputError(`--bootstrap ${options.bootstrap}: no such file`);
  const hardened = options.bootstrap ? undefined : hardenedBootstrapFor(app.executionRoles, options.config, cwd, qualifier);
  const bootstrapFile = options.bootstrap ?? (hardened || !qualifier ? undefined : defaultBootstrapTemplate(cwd));
  if (hardened) {
    stacks.push({ stackName: 'CDKToolkit', file: 'hardened-bootstrap (lib/constructs/hardened-bootstrap.ts)', template: hardened.template, env: stacks[0].env, bootstrap: true });
    assumptions.push(`CDK bootstrap roles from this toolkit's hardened bootstrap, rendered with ${hardened.source}: the app deploys through its execution role ${hardened.roleName}; pass --bootstrap for another template`);
  } else if (bootstrapFile) {
    let t;
    try {
      t = loadTemplate(bootstrapFile);
    } catch (e) {
      throw new ReplayInputError(e instanceof TemplateError ? e.message : `${bootstrapFile}: ${(e as Error).message}`);
    }
    stacks.push({ stackName: 'CDKToolkit', file: bootstrapFile, template: t.template, env: stacks[0].env, bootstrap: true });
    assumptions.push(`CDK bootstrap roles from ${options.bootstrap ? bootstrapFile : `the aws-cdk package's default bootstrap template (${bootstrapFile}); pass --bootstrap for yours`}`);
  } else if (qualifier) {
    warnings.push(`the app deploys through the CDK bootstrap (qualifier ${qualifier}) but no bootstrap template was found: its roles are not replayed (pass --bootstrap FILE)`);
  }
  const resolver = new AppResolver(stacks, qualifier ? { Qualifier: qualifier } : {});
  const model = buildModel(resolver);
  const replayOptions: ReplayOptions = { organizationId: options.organizationId, steps: options.steps, exhaustive: options.exhaustive, executionRoles: app.executionRoles };
  let scpNames: string[] = [];
  if (options.scps) {
    const { config, source } = configFrom(options.config, cwd);
    const org = organizationPolicies(config);
    Object.assign(replayOptions, { scps: org.scps, rcps: org.rcps.length ? org.rcps : undefined, organizationId: options.organizationId ?? config.organizationId });
    scpNames = [...org.scps, ...org.rcps].map((p) => p.name);
    assumptions.push(`organization policies rendered with the configuration of ${source}`);
  }
  for (const p of model.principals) {
    if (p.unknownPolicies.length) warnings.push(`${p.kind} ${p.name}: ${p.unknownPolicies.join(', ')} cannot be read: decisions that depend on ${p.unknownPolicies.length > 1 ? 'them' : 'it'} are undecidable`);
  }
  return { result: replay(model, replayOptions), stacks: app.stacks.map((s) => s.stackName), assumptions, warnings, scpNames, resourceCount: model.resourceCount };
}
