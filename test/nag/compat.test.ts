import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { MIN_AWS_CDK_LIB, SUPPORTED_AWS_CDK_LIB_RANGE, appCdkLib, assertCompatible, contextProblem, copyProblem, isSupportedAwsCdkLib, packCdkLib, versionProblem } from '../../lib/nag/compat';
import { foreignApp } from './helpers';

/**
 * What a platform engineer reads when the pack cannot run with the app's aws-cdk-lib (the cases in
 * fail-closed.test.ts, here with the whole message): the range, the copies, what to run.
 */
const FIX = `install cdk-hardening beside one aws-cdk-lib >=2.262.0 <3.0.0 in the app (aws-cdk-lib, constructs and cdk-nag are peer dependencies: \`npm install aws-cdk-lib@^2.262.0\`, then remove any node_modules/cdk-hardening/node_modules/aws-cdk-lib, e.g. with \`npm dedupe\`)`;

test('the supported range, and versions outside it: text before the version, a later major with a higher minor', () => {
  expect(SUPPORTED_AWS_CDK_LIB_RANGE).toBe(`>=${MIN_AWS_CDK_LIB} <3.0.0`);
  for (const v of ['v2.262.0', 'x2.300.0', '3.300.0', '4.262.0']) expect([v, isSupportedAwsCdkLib(v)]).toEqual([v, false]);
});

test('the lowest supported version and its neighbours: the patch decides within the minimum minor', () => {
  expect(MIN_AWS_CDK_LIB).toBe('2.262.0');
  for (const [v, ok] of [['2.262.0', true], ['2.262.1', true], ['2.263.0', true], ['2.261.9', false], ['2.261.99', false]] as const) expect([v, isSupportedAwsCdkLib(v)]).toEqual([v, ok]);
});

test('assertCompatible: an app of another copy throws the whole message; this copy\'s app, or no app, passes', () => {
  expect(() => assertCompatible(foreignApp())).toThrow(/^the app was built with .*two copies of aws-cdk-lib/);
  expect(() => assertCompatible(new App())).not.toThrow();
  expect(() => assertCompatible()).not.toThrow();
});

test('an unsupported version: the whole message', () => {
  expect(versionProblem({ version: '2.200.0', dir: '/a/node_modules/aws-cdk-lib' })).toBe(
    `BreachLessonsChecks does not support aws-cdk-lib 2.200.0 (at /a/node_modules/aws-cdk-lib): it needs >=2.262.0 <3.0.0 (the validation context's appConstruct and stackTemplates); ${FIX}`);
});

test('the aws-cdk-lib an app directory would load: this repository\'s, and none where there is none', () => {
  const here = appCdkLib(path.join(__dirname, '..', '..'));
  expect(here).toEqual(packCdkLib());
  expect(here!.dir.endsWith(path.join('node_modules', 'aws-cdk-lib'))).toBe(true);
  expect(appCdkLib(os.tmpdir())).toBeUndefined();
});

test('an app of another copy: the app\'s copy is named only when it is known and another directory', () => {
  const pack = { version: '2.276.0', dir: '/p/node_modules/aws-cdk-lib' };
  const tail = `, but BreachLessonsChecks loads aws-cdk-lib 2.276.0 at /p/node_modules/aws-cdk-lib: two copies of aws-cdk-lib, so the pack would check the app against the wrong one; ${FIX}`;
  const app = foreignApp();
  expect(copyProblem(app, pack, undefined)).toBe(`the app was built with another copy of aws-cdk-lib${tail}`);
  expect(copyProblem(app, pack, pack)).toBe(`the app was built with another copy of aws-cdk-lib${tail}`);
  expect(copyProblem(app, pack, { version: '2.270.0', dir: '/a/node_modules/aws-cdk-lib' })).toBe(`the app was built with aws-cdk-lib 2.270.0 at /a/node_modules/aws-cdk-lib${tail}`);
});

test('a validation context that is missing, no object, or lacks what the pack reads', () => {
  expect(contextProblem(undefined)).toBe('the validation context is missing');
  expect(contextProblem('x' as never)).toBe('the validation context is missing');
  const older = (what: string) => `the validation context has no ${what}: the app runs an aws-cdk-lib older than 2.262.0 (BreachLessonsChecks loads ${packCdkLib().version}); ${FIX}`;
  expect(contextProblem({})).toBe(older('appConstruct and stackTemplates'));
  expect(contextProblem({ appConstruct: new App() })).toBe(older('stackTemplates'));
  expect(contextProblem({ appConstruct: new App(), stackTemplates: [] })).toBeUndefined();
});
