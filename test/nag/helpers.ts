import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Finding, FindingStatus } from '../../lib/findings';
import { evaluateScope } from '../../lib/nag/evaluate';
import { isControlId, lessonOf } from '../../lib/lessons';
import { rulesNamed } from '../../lib/nag/rules';
import { BreachLessonsRule } from '../../lib/nag/types';

export type Expected = FindingStatus | 'N/A';

/** An App of a second module instance of aws-cdk-lib: what npm's nested copy is to the user's app. */
export function foreignApp(): App {
  let app: App | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    app = new (require('aws-cdk-lib') as typeof import('aws-cdk-lib')).App();
  });
  return app!;
}

/** A fresh app and stack per case (no synthesis): build, evaluate only the named rule, return its findings. */
export function findingsOf(ruleName: string, build: (s: Stack) => void): Finding[] {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
  build(stack);
  return evaluateScope(app, { rules: rulesNamed(ruleName), now: new Date('2026-01-01T00:00:00Z') });
}

/** Expects the rule's finding on the resource whose construct path ends with `path` to have `status`. */
export function expectRule(ruleName: string, build: (s: Stack) => void, path: string, status: Expected): Finding | undefined {
  const all = findingsOf(ruleName, build);
  const hits = all.filter((f) => f.resource.id === `S/${path}` || f.resource.id.endsWith(`/${path}`));
  if (status === 'N/A') {
    expect(hits.map((h) => `${h.status} ${h.resource.id}`)).toEqual([]);
    return undefined;
  }
  expect(hits.map((h) => h.status)).toEqual([status]);
  if (status === 'ERROR') expect(hits[0].message).toMatch(/cannot verify/);
  return hits[0];
}

/** A parameter's value: a token no rule can resolve. */
export function param(s: Stack, id = 'P'): string {
  return new CfnParameter(s, id).valueAsString;
}

/** A parameter as an IResolvable, for L1 properties typed `boolean | IResolvable` and the like. */
export function paramValue(s: Stack, id = 'P') {
  return new CfnParameter(s, id).value;
}

/** Synthesizes without aws-cdk-lib's own CloudFormation validation (seconds per app), so aspects run. */
export function synthFast(app: import('aws-cdk-lib').App): void {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    app.synth();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

/**
 * What a user reads of a rule besides its findings: its control ids are real, its level decides whether
 * synthesis fails ('error' or 'warning'), its explanation names the lesson of its control, and its info
 * and fix say what is wrong and how to fix it. Used by the pack's test for every rule and by each rule
 * folder's tests for its own rules.
 */
export function expectCompleteMetadata(r: BreachLessonsRule): void {
  expect(r.controlIds.length).toBeGreaterThan(0);
  for (const c of r.controlIds) expect(isControlId(c)).toBe(true);
  expect(['error', 'warning']).toContain(r.level);
  expect(r.resourceTypes.length).toBeGreaterThan(0);
  // 'Lesson L8 (recovery without paying): ...', 'Lesson L1/L2: ...', 'Lesson L4 (...) and L6 (...): ...'
  const [, head] = /^Lesson (.+?): .{20,}/.exec(r.explanation) ?? [];
  expect(head?.match(/\bL\d+\b/g)).toContain(lessonOf(r.controlIds[0]).id);
  expect(r.info.length).toBeGreaterThan(20);
  expect(r.fix.length).toBeGreaterThan(20);
}

/** One test per named rule: its metadata is complete (expectCompleteMetadata). */
export function describeMetadata(...ruleNames: string[]): void {
  test.each(ruleNames)('%s: says what is wrong, which lesson it serves, how to fix it, and its level', (name) => {
    expectCompleteMetadata(rulesNamed(name)[0]);
  });
}
