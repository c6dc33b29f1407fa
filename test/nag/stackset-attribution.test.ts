import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { StackSetTemplate, StackSetTemplateSynthesizer, StackSetTemplates } from '../../lib/constructs/stackset-template';
import { StackSetAwarePlugin, attributeToStackSets } from '../../lib/nag/stackset-attribution';
import { featureFlags } from '../helpers/app';

/**
 * `cdk synth` never selects a StackSet template's stack, so a violation found only there would be
 * written to validation-report.json and dropped. attributeToStackSets names every StackSet that
 * deploys the template too: these tests build such an app (no synthesis needed: only the tree is read)
 * and hand the function the reports a pack would return.
 */

const PLUGIN = 'BreachLessons';
const RULE = 'BreachLessons-S3BucketVersioning';

function build() {
  const app = new App({ context: featureFlags() });
  const stage = new StackSetTemplates(app, 'Templates');
  const baseline = stage.add(new Stack(stage, 'Baseline', { synthesizer: new StackSetTemplateSynthesizer() }));
  const plain = new s3.Bucket(baseline, 'Plain');
  const acked = new s3.Bucket(baseline, 'Acked');
  // A template stack whose name starts with the other's: never confused with it.
  const lookAlike = stage.add(new Stack(stage, 'BaselineX', { synthesizer: new StackSetTemplateSynthesizer() }));
  new s3.Bucket(lookAlike, 'Other');
  const home = new Stack(app, 'Home');
  const props = {
    description: 'baseline', template: baseline, organizationalUnitIds: ['ou-ab12-cdefgh34'], regions: ['us-east-1'],
    operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' as const },
  };
  new StackSetTemplate(home, 'Global', { ...props, stackSetName: 'global' });
  new StackSetTemplate(home, 'Regional', { ...props, stackSetName: 'regional' });
  const local = new s3.Bucket(home, 'Local');
  const context: Pick<IPolicyValidationContext, 'appConstruct' | 'stackTemplates'> = {
    appConstruct: app,
    stackTemplates: [
      { stackConstructPath: 'Home', templatePath: '/out/Home.template.json' },
      { stackConstructPath: 'Templates/Baseline', templatePath: '/out/assembly-Templates/TemplatesBaseline12345678.template.json' },
      { stackConstructPath: 'Templates/BaselineX', templatePath: '/out/assembly-Templates/TemplatesBaselineX.template.json' },
    ] as IPolicyValidationContext['stackTemplates'],
  };
  return { app, context, plain, acked, local };
}

const violation = (resources: PolicyViolation['violatingResources'], extra: Partial<PolicyViolation> = {}): PolicyViolation => ({
  ruleName: RULE, description: 'versioning off', severity: 'error', violatingResources: resources, ...extra,
});
const at = (constructPath?: string, templatePath?: string) => ({ locations: ['Properties'], ...(constructPath ? { constructPath } : {}), ...(templatePath ? { templatePath } : {}) });
const SETS = [
  { constructPath: 'Home/Global/Resource', locations: ['Properties/TemplateBody'], templatePath: '/out/Home.template.json' },
  { constructPath: 'Home/Regional/Resource', locations: ['Properties/TemplateBody'], templatePath: '/out/Home.template.json' },
];

describe('attributeToStackSets', () => {
  const { context } = build();
  const report = (...violations: PolicyViolation[]): PolicyValidationPluginReport => ({ success: false, violations });

  test('a violation inside a StackSet template is also reported on every StackSet that deploys it, after its own resource', () => {
    const out = attributeToStackSets(report(violation([at('Templates/Baseline/Plain/Resource')])), context, PLUGIN);
    expect(out.success).toBe(false);
    expect(out.violations[0].violatingResources).toEqual([at('Templates/Baseline/Plain/Resource'), ...SETS]);
    expect(out.violations[0].description).toBe('versioning off');
  });
  test('a violation located by its template file alone is attributed through that file', () => {
    const out = attributeToStackSets(report(violation([at(undefined, '/elsewhere/TemplatesBaseline12345678.template.json')])), context, PLUGIN);
    expect(out.violations[0].violatingResources).toEqual([at(undefined, '/elsewhere/TemplatesBaseline12345678.template.json'), ...SETS]);
  });
  test('the template stack itself counts; each StackSet is named once, however many resources of the template violate', () => {
    const out = attributeToStackSets(report(violation([at('Templates/Baseline'), at('Templates/Baseline/Plain/Resource'), SETS[0]])), context, PLUGIN);
    expect(out.violations[0].violatingResources).toEqual([at('Templates/Baseline'), at('Templates/Baseline/Plain/Resource'), SETS[0], SETS[1]]);
  });
  test('left as they are: a violation outside any StackSet template, in a template no StackSet deploys (a look-alike name), or without a location', () => {
    const outside = violation([at('Home/Local/Resource')]);
    const lookAlike = violation([at('Templates/BaselineX/Other/Resource')]);
    const nowhere = violation([at(undefined, '/out/Unknown.template.json')]);
    const bare = violation([{ locations: ['Properties'] }]);
    const out = attributeToStackSets(report(outside, lookAlike, nowhere, bare), context, PLUGIN);
    expect(out.violations[0]).toBe(outside);
    expect(out.violations[1]).toBe(lookAlike);
    expect(out.violations[2]).toBe(nowhere);
    expect(out.violations[3]).toBe(bare);
  });
  test('nothing to attribute: the very report back (no violation, a context the pack could not read, no StackSet in the app)', () => {
    const empty: PolicyValidationPluginReport = { success: true, violations: [] };
    expect(attributeToStackSets(empty, context, PLUGIN)).toBe(empty);
    const r = report(violation([at('Templates/Baseline/Plain/Resource')]));
    expect(attributeToStackSets(r, { ...context, appConstruct: undefined as never }, PLUGIN)).toBe(r);
    expect(attributeToStackSets(r, { ...context, stackTemplates: undefined as never }, PLUGIN)).toBe(r);
    const bare = new App();
    new s3.Bucket(new Stack(bare, 'Only'), 'B');
    expect(attributeToStackSets(r, { appConstruct: bare, stackTemplates: [] }, PLUGIN)).toBe(r);
  });

  describe('a plain CDK acknowledgement CDK will honour keeps the StackSet out (naming it would defeat the acknowledgement)', () => {
    test('on the resource or a scope of it, of this rule, under the plugin\'s name: left alone; of another rule or for a fatal violation: attributed', () => {
      const b = build();
      Validations.of(b.acked).acknowledge({ id: `${PLUGIN}::${RULE}`, reason: 'pilot' });
      const acked = violation([at('Templates/Baseline/Acked/Resource')]);
      expect(attributeToStackSets(report(acked), b.context, PLUGIN).violations[0]).toBe(acked);
      const other = violation([at('Templates/Baseline/Acked/Resource')], { ruleName: 'BreachLessons-Other' });
      expect(attributeToStackSets(report(other), b.context, PLUGIN).violations[0].violatingResources).toHaveLength(3);
      for (const severity of ['fatal', 'FATAL']) {
        const fatal = violation([at('Templates/Baseline/Acked/Resource')], { severity });
        expect(attributeToStackSets(report(fatal), b.context, PLUGIN).violations[0].violatingResources).toHaveLength(3);
      }
      // Another plugin's name makes another key.
      expect(attributeToStackSets(report(acked), b.context, 'OtherPack').violations[0].violatingResources).toHaveLength(3);
    });
    test('a violation without a severity is no fatal one: the acknowledgement holds; metadata of another kind naming the rule acknowledges nothing', () => {
      const b = build();
      Validations.of(b.acked).acknowledge({ id: `${PLUGIN}::${RULE}`, reason: 'pilot' });
      const { severity: _s, ...noSeverity } = violation([at('Templates/Baseline/Acked/Resource')]);
      expect(attributeToStackSets(report(noSeverity), b.context, PLUGIN).violations[0]).toBe(noSeverity);
      b.plain.node.addMetadata('team:notes', { [`${PLUGIN}::${RULE}`]: 'looked at it' });
      const v = violation([at('Templates/Baseline/Plain/Resource')]);
      expect(attributeToStackSets(report(v), b.context, PLUGIN).violations[0].violatingResources).toHaveLength(3);
    });
    test('an acknowledgement on the template stack covers its resources; a rule named with its own namespace (spaces as dashes) is matched under it', () => {
      const b = build();
      Validations.of(Stack.of(b.plain)).acknowledge({ id: `${PLUGIN}::${RULE}`, reason: 'pilot' });
      const v = violation([at('Templates/Baseline/Plain/Resource')]);
      expect(attributeToStackSets(report(v), b.context, PLUGIN).violations[0]).toBe(v);
      Validations.of(b.plain).acknowledge({ id: 'My Pack::no versioning', reason: 'pilot' });
      const spaced = violation([at('Templates/Baseline/Plain/Resource')], { ruleName: 'My Pack::no versioning' });
      expect(attributeToStackSets(report(spaced), b.context, PLUGIN).violations[0]).toBe(spaced);
      const unspaced = violation([at('Templates/Baseline/Plain/Resource')], { ruleName: 'My Pack::other rule' });
      expect(attributeToStackSets(report(unspaced), b.context, PLUGIN).violations[0].violatingResources).toHaveLength(3);
    });
  });
});

describe('StackSetAwarePlugin', () => {
  const { context } = build();
  const fullContext = context as IPolicyValidationContext;
  const plugin = (validate: IPolicyValidationPlugin['validate']): IPolicyValidationPlugin => ({ name: 'Inner', version: '1.2.3', ruleIds: ['Inner-A'], validate });
  test('carries the inner pack\'s name, version and rules, and attributes its violations', () => {
    const aware = new StackSetAwarePlugin(plugin(() => ({ success: false, violations: [violation([at('Templates/Baseline/Plain/Resource')], { ruleName: 'Inner-A' })] })));
    expect([aware.name, aware.version, aware.ruleIds]).toEqual(['Inner', '1.2.3', ['Inner-A']]);
    expect(aware.validate(fullContext).violations[0].violatingResources).toEqual([at('Templates/Baseline/Plain/Resource'), ...SETS]);
  });
  test('a pack that throws fails synthesis with a fatal violation naming the cause, under the pack\'s name', () => {
    const r = new StackSetAwarePlugin(plugin(() => { throw new Error('kaboom'); })).validate(fullContext);
    expect(r.success).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].severity).toBe('fatal');
    expect(r.violations[0].ruleName).toBe('Inner-PackFailure');
    expect(r.violations[0].description).toContain('the pack failed while evaluating the app: kaboom');
  });
  test('a report that cannot be attributed fails synthesis naming why, and keeps the pack\'s own violations', () => {
    const own = violation([at('Templates/Baseline/Plain/Resource')]);
    const broken = { ...fullContext, appConstruct: { node: { findAll: () => { throw new Error('no tree'); } } } } as unknown as IPolicyValidationContext;
    const r = new StackSetAwarePlugin(plugin(() => ({ success: true, violations: [own] }))).validate(broken);
    expect(r.success).toBe(false);
    expect(r.violations.map((v) => v.ruleName)).toEqual(['Inner-PackFailure', RULE]);
    expect(r.violations[0].description).toContain('the pack could not attribute violations to StackSets: no tree');
    expect(r.violations[1]).toBe(own);
  });
  test('a context that throws when read still gives a failing report, never a throw', () => {
    const hostile = { get stackTemplates(): never { throw new Error('no templates'); } } as unknown as IPolicyValidationContext;
    const r = new StackSetAwarePlugin(plugin(() => { throw new Error('kaboom'); })).validate(hostile);
    expect(r.success).toBe(false);
    expect(r.violations[0]).toMatchObject({ ruleName: 'Inner-PackFailure', severity: 'fatal', violatingResources: [{ constructPath: '', locations: [] }] });
  });
});
