import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { registerChecks } from '../../lib/stacks/hardened-environment';
import { Construct } from 'constructs';
import { StackSetTemplate, StackSetTemplateSynthesizer, StackSetTemplates } from '../../lib/constructs/stackset-template';
import { featureFlags } from '../helpers/app';

/** A template stack in a StackSetTemplates stage, built by `build`; returns the synthesis error, if any. */
function synthTemplate(build: (s: Stack) => void, stackProps: { env?: { account: string; region: string }; plainSynthesizer?: boolean } = {}): string | undefined {
  const app = new App({ context: featureFlags() });
  const stage = new StackSetTemplates(app, 'Templates');
  const stack = stage.add(new Stack(stage, 'Baseline', {
    env: stackProps.env,
    synthesizer: stackProps.plainSynthesizer ? undefined : new StackSetTemplateSynthesizer(),
  }));
  build(stack);
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the packs see the StackSet templates', () => {
  test('a finding in a template stack fails synthesis of the app, naming the template\'s construct', () => {
    const app = new App({ context: featureFlags() });
    const stage = new StackSetTemplates(app, 'Templates');
    const child = stage.add(new Stack(stage, 'Baseline', { synthesizer: new StackSetTemplateSynthesizer() }));
    new s3.Bucket(child, 'Plain');
    registerChecks(app);
    expect(() => app.synth()).toThrow(/Templates\/Baseline\/Plain\/Resource[\s\S]*BreachLessons/);
  });
});

describe('StackSet template validation (a baseline template must deploy in a member account)', () => {
  test('Compliance: inline code, a topic, pseudo-parameters only: synthesizes', () => {
    expect(synthTemplate((s) => {
      new sns.Topic(s, 'Topic');
      new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};') });
    })).toBeUndefined();
  });

  test('fails when a function\'s code is a file asset, naming the asset construct', () => {
    const err = synthTemplate((s) => {
      new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(__dirname) });
    });
    expect(err).toContain('Templates/Baseline/Fn/Code is a file asset');
  });

  test('fails when a GuardDuty detector is in the template, naming it', () => {
    const err = synthTemplate((s) => { new guardduty.CfnDetector(s, 'Detector', { enable: true }); });
    expect(err).toContain('Templates/Baseline/Detector is a AWS::GuardDuty::Detector');
  });

  test('fails when the template imports a value, naming the resource', () => {
    const err = synthTemplate((s) => { new sns.Topic(s, 'Topic', { displayName: Fn.importValue('SomeExport') }); });
    expect(err).toContain('Templates/Baseline/Topic/Resource imports a value (Fn::ImportValue)');
  });

  test('fails when the stack uses a synthesizer that adds the bootstrap version parameter and rule, naming the stack', () => {
    const err = synthTemplate((s) => { new sns.Topic(s, 'Topic'); }, { plainSynthesizer: true });
    expect(err).toContain('Templates/Baseline must use the StackSetTemplateSynthesizer: any other synthesizer may add the CDK bootstrap version parameter and rule');
  });

  test('fails when a bootstrap version parameter is declared by hand, naming it', () => {
    const err = synthTemplate((s) => { new CfnParameter(s, 'BootstrapVersion', { type: 'String' }); });
    expect(err).toContain('Templates/Baseline/BootstrapVersion is the CDK bootstrap version parameter');
  });

  test('fails when the stack is bound to a literal account and region', () => {
    const err = synthTemplate((s) => { new sns.Topic(s, 'Topic'); }, { env: { account: '555555555555', region: 'us-east-1' } });
    expect(err).toContain('Templates/Baseline is bound to 555555555555/us-east-1');
  });

  test('StackSetTemplate refuses a template that is not a StackSet template in a Stage of its own', () => {
    const app = new App({ context: featureFlags() });
    const parent = new Stack(app, 'Parent');
    const plain = new Stack(app, 'Plain');
    const props = {
      stackSetName: 'x', description: 'x', organizationalUnitIds: ['r-ab12'], regions: ['us-east-1'],
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' as const },
    };
    expect(() => new StackSetTemplate(parent, 'S', { ...props, template: plain })).toThrow('must be built with StackSetTemplateSynthesizer in a Stage of its own');
  });

  test('StackSetTemplate fails synthesis when a template parameter has no value', () => {
    const app = new App({ context: featureFlags() });
    const stage = new StackSetTemplates(app, 'Templates');
    const child = stage.add(new Stack(stage, 'Child', { synthesizer: new StackSetTemplateSynthesizer() }));
    new sns.Topic(child, 'Topic', { displayName: new CfnParameter(child, 'Name').valueAsString });
    const parent = new Stack(app, 'Parent');
    new StackSetTemplate(parent as Construct, 'S', {
      stackSetName: 'x', description: 'x', organizationalUnitIds: ['r-ab12'], regions: ['us-east-1'], template: child,
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: 'SEQUENTIAL' },
    });
    expect(() => app.synth()).toThrow('no value for the template\'s parameter Name');
  });
});
