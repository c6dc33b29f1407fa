import * as fs from 'fs';
import * as path from 'path';
import { App, IPolicyValidationContext } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The lowest aws-cdk-lib the pack works with. It reads the construct tree (`appConstruct`) and each
 * stack's template (`stackTemplates`) from the validation context: `appConstruct` exists in 2.260.0
 * and 2.261.0, `stackTemplates` first in 2.262.0 (checked in the published packages'
 * core/lib/validation/validation.d.ts). package.json's peerDependencies state the same range.
 */
export const MIN_AWS_CDK_LIB = '2.262.0';
export const SUPPORTED_AWS_CDK_LIB_RANGE = `>=${MIN_AWS_CDK_LIB} <3.0.0`;

/** One installed copy of aws-cdk-lib: its version and the directory it is installed in. */
export interface CdkLibCopy {
  readonly version: string;
  readonly dir: string;
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Whether `version` lies in SUPPORTED_AWS_CDK_LIB_RANGE; an unparseable version is not supported. */
export function isSupportedAwsCdkLib(version: string): boolean {
  const v = parseVersion(version);
  const min = parseVersion(MIN_AWS_CDK_LIB)!;
  if (!v || v[0] !== min[0]) return false;
  return v[1] > min[1] || (v[1] === min[1] && v[2] >= min[2]);
}

function copyAt(packageJson: string): CdkLibCopy {
  const pkg = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version?: string };
  return { version: String(pkg.version), dir: path.dirname(packageJson) };
}

/** The aws-cdk-lib this package loads (the copy its `instanceof` checks and rules run against). */
export function packCdkLib(): CdkLibCopy {
  return copyAt(require.resolve('aws-cdk-lib/package.json'));
}

/** The aws-cdk-lib an app in `dir` (default: the working directory, where cdk.json is) would load, if any. */
export function appCdkLib(dir = process.cwd()): CdkLibCopy | undefined {
  try {
    return copyAt(require.resolve('aws-cdk-lib/package.json', { paths: [dir] }));
  } catch {
    return undefined;
  }
}

const FIX = `install cdk-hardening beside one aws-cdk-lib ${SUPPORTED_AWS_CDK_LIB_RANGE} in the app`
  + ` (aws-cdk-lib, constructs and cdk-nag are peer dependencies: \`npm install aws-cdk-lib@^${MIN_AWS_CDK_LIB}\`,`
  + ' then remove any node_modules/cdk-hardening/node_modules/aws-cdk-lib, e.g. with `npm dedupe`)';

/** Why the pack cannot run with this aws-cdk-lib, or undefined when it can. Pure: tests pass any copy. */
export function versionProblem(pack: CdkLibCopy): string | undefined {
  if (isSupportedAwsCdkLib(pack.version)) return undefined;
  return `BreachLessonsChecks does not support aws-cdk-lib ${pack.version} (at ${pack.dir}): it needs ${SUPPORTED_AWS_CDK_LIB_RANGE}`
    + ` (the validation context's appConstruct and stackTemplates); ${FIX}`;
}

/**
 * Why the app's construct tree cannot be checked by this copy of aws-cdk-lib, or undefined. An app
 * built with another copy (npm installed a second aws-cdk-lib beside the user's) is an App by
 * aws-cdk-lib's own cross-copy marker but not an instance of this copy's App: every `instanceof`
 * and token check of the rules would run against the wrong copy.
 */
export function copyProblem(root: IConstruct, pack: CdkLibCopy, app: CdkLibCopy | undefined): string | undefined {
  if (!App.isApp(root) || root instanceof App) return undefined;
  const appSide = app && app.dir !== pack.dir ? `aws-cdk-lib ${app.version} at ${app.dir}` : 'another copy of aws-cdk-lib';
  return `the app was built with ${appSide}, but BreachLessonsChecks loads aws-cdk-lib ${pack.version} at ${pack.dir}:`
    + ` two copies of aws-cdk-lib, so the pack would check the app against the wrong one; ${FIX}`;
}

/** Throws at plugin construction when this aws-cdk-lib, or the app's, cannot be checked. */
export function assertCompatible(scope?: IConstruct): void {
  const pack = packCdkLib();
  const problem = versionProblem(pack) ?? (scope ? copyProblem(scope.node.root, pack, appCdkLib()) : undefined);
  if (problem) throw new Error(problem);
}

/**
 * What the validation context lacks that the pack needs (an older or different aws-cdk-lib), or
 * undefined. Checked at every validation, since the plugin may be built without the app.
 */
export function contextProblem(context: Partial<IPolicyValidationContext> | undefined): string | undefined {
  const missing: string[] = [];
  if (!context || typeof context !== 'object') return 'the validation context is missing';
  if (!context.appConstruct) missing.push('appConstruct');
  if (!Array.isArray(context.stackTemplates)) missing.push('stackTemplates');
  if (missing.length > 0) {
    return `the validation context has no ${missing.join(' and ')}: the app runs an aws-cdk-lib older than ${MIN_AWS_CDK_LIB}`
      + ` (BreachLessonsChecks loads ${packCdkLib().version}); ${FIX}`;
  }
  return copyProblem(context.appConstruct!.node.root, packCdkLib(), appCdkLib());
}
