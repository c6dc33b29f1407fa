import { ConfigError, parseConfig } from '../../lib/config';
import { DEFAULT_FAIL_ON } from '../../lib/findings';
import { registerChecks } from '../../lib/stacks/hardened-environment';
import { App, Validations } from 'aws-cdk-lib';
import { BreachLessonsChecks } from '../../lib/nag/breach-lessons-checks';

describe('hardening:failOn', () => {
  test("defaults to 'warning', the pack's and --fail-on's default", () => {
    expect(parseConfig({}).failOn).toBe('warning');
    expect(DEFAULT_FAIL_ON).toBe('warning');
  });

  test("'error' given with -c is read", () => {
    expect(parseConfig({ 'hardening:failOn': 'error' }).failOn).toBe('error');
  });

  test('fails when the level is not error or warning, naming key and value', () => {
    expect(() => parseConfig({ 'hardening:failOn': 'never' })).toThrow(ConfigError);
    expect(() => parseConfig({ 'hardening:failOn': 'never' })).toThrow(/hardening:failOn="never"/);
  });

  test("registerChecks hands the configured level to the app's BreachLessons pack", () => {
    for (const failOn of ['error', 'warning'] as const) {
      const app = new App();
      const spy = jest.spyOn(Validations.prototype, 'addPlugins');
      registerChecks(app, { failOn });
      const packs = spy.mock.calls.flat().filter((p): p is BreachLessonsChecks => p instanceof BreachLessonsChecks);
      spy.mockRestore();
      expect(packs.map((p) => p.failOn)).toEqual([failOn]);
    }
  });
});
