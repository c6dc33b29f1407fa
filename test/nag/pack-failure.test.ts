import { PACK_FAILURE_RULE, locationOf, messageOf, packFailureReport } from '../../lib/nag/pack-failure';

/**
 * The report that fails synthesis when a pack could not check the app at all: what the CDK prints
 * (rule, cause, fix), that nothing can acknowledge it, and the resource it is pinned to.
 */
describe('packFailureReport', () => {
  test('BreachLessons: a fatal, unacknowledgeable violation naming the cause, on the first stack', () => {
    expect(packFailureReport('boom', 'App/Data', 'cdk.out/Data.template.json')).toEqual({
      success: false,
      violations: [{
        ruleName: PACK_FAILURE_RULE,
        description: 'BreachLessons could not check the app, so no lesson is verified and synthesis fails closed: boom',
        fix: 'Fix the cause above and synthesize again; a pack that cannot run never passes.',
        severity: 'fatal',
        ruleMetadata: { status: 'ERROR' },
        violatingResources: [{ constructPath: 'App/Data', locations: [], templatePath: 'cdk.out/Data.template.json' }],
      }],
    });
    expect(PACK_FAILURE_RULE).toBe('BreachLessons-PackFailure');
  });
  test('another pack names itself and its rules; without a template path none is given', () => {
    const r = packFailureReport('no rules', 'App/S');
    expect(packFailureReport('no rules', 'App/S', undefined, 'OrgBaseline').violations[0]).toMatchObject({
      ruleName: 'OrgBaseline-PackFailure',
      description: 'OrgBaseline could not check the app, so no rule is verified and synthesis fails closed: no rules',
    });
    expect(r.violations[0].violatingResources).toEqual([{ constructPath: 'App/S', locations: [] }]);
    expect('templatePath' in r.violations[0].violatingResources[0]).toBe(false);
  });
});

describe('messageOf', () => {
  test('an error\'s message, its name when the message is empty, anything else as text', () => {
    expect(messageOf(new Error('disk full'))).toBe('disk full');
    expect(messageOf(new TypeError(''))).toBe('TypeError');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(undefined)).toBe('undefined');
  });
});

describe('locationOf', () => {
  test('the first stack of the context, with its template', () => {
    expect(locationOf({ stackTemplates: [
      { stackConstructPath: 'App/A', templatePath: 'out/A.template.json' } as never,
      { stackConstructPath: 'App/B', templatePath: 'out/B.template.json' } as never,
    ] })).toEqual({ constructPath: 'App/A', templatePath: 'out/A.template.json' });
  });
  test('without stacks, the first template path, named after its file', () => {
    expect(locationOf({ stackTemplates: [], templatePaths: ['out/Data.template.json', 'out/B.template.json'] })).toEqual({ constructPath: 'Data', templatePath: 'out/Data.template.json' });
    expect(locationOf({ templatePaths: ['out/x.json'] })).toEqual({ constructPath: 'x.json', templatePath: 'out/x.json' });
    expect(locationOf({ templatePaths: ['out/Data.template.json.bak'] })).toEqual({ constructPath: 'Data.template.json.bak', templatePath: 'out/Data.template.json.bak' });
  });
  test('a context that throws when read: the root, never a throw (the pack must still report its failure)', () => {
    const hostile = { get stackTemplates(): never { throw new Error('gone'); } };
    expect(locationOf(hostile)).toEqual({ constructPath: '' });
  });
  test('no context, or lists that are none: an empty construct path and no template', () => {
    for (const c of [undefined, {}, { stackTemplates: 'x' as never, templatePaths: 'y' as never }, { templatePaths: [] }]) {
      const got = locationOf(c);
      expect([c, got]).toEqual([c, { constructPath: '' }]);
      expect('templatePath' in got).toBe(false);
    }
  });
});
