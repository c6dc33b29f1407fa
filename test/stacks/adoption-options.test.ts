import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { HardenedEnvironment, buildHardenedEnvironment, registerChecks } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';

function build(options: Record<string, unknown>): { env: HardenedEnvironment; problems: string } {
  const context = { ...cdkJsonContext(), 'hardening:account': '111122223333', ...options };
  const app = new App({ context });
  const env = buildHardenedEnvironment(app, parseConfig(context));
  registerChecks(app);
  let problems = '';
  try { app.synth(); } catch (e) { problems = (e as Error).message; }
  return { env, problems };
}

/** An account that already has an account analyzer or a hub must not fail the deployment (issue 11 item 7). */
describe('adopting an existing account analyzer and Security Hub', () => {
  let adopted: { identity: Template; detection: Template; problems: string };
  let created: { identity: Template; detection: Template };
  beforeAll(() => {
    const a = build({ 'hardening:securityHub': true, 'hardening:adoptExistingAccessAnalyzer': true, 'hardening:adoptExistingSecurityHub': true });
    adopted = { identity: Template.fromStack(a.env.identity), detection: Template.fromStack(a.env.detection), problems: a.problems };
    const c = build({ 'hardening:securityHub': true });
    created = { identity: Template.fromStack(c.env.identity), detection: Template.fromStack(c.env.detection) };
  });

  test('adopting, the app creates no analyzer and looks the account analyzer up (fails the deployment when there is none)', () => {
    adopted.identity.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 0);
    const lookups = Object.values(adopted.identity.findResources('Custom::AccessAnalyzerLookup'));
    expect(lookups).toHaveLength(1);
    const create = JSON.stringify(lookups[0].Properties.Create);
    expect(create).toContain('listAnalyzers');
    expect(create).toContain('\\"type\\":\\"ACCOUNT\\"');
    expect(create).toContain('analyzers.0.arn');
    expect(lookups[0].Properties.Delete).toBeUndefined();
  });

  test('adopting, the app creates no hub, looks it up, and still enables both standards on it', () => {
    adopted.detection.resourceCountIs('AWS::SecurityHub::Hub', 0);
    adopted.detection.resourceCountIs('Custom::SecurityHubLookup', 1);
    const standards = adopted.detection.findResources('AWS::SecurityHub::Standard');
    expect(Object.keys(standards)).toHaveLength(2);
    for (const s of Object.values(standards)) expect(JSON.stringify(s.DependsOn)).toMatch(/SecurityHubFind/);
  });

  test('the app with both adoptions synthesizes clean under every registered pack', () => {
    expect(adopted.problems).toBe('');
  });

  test('by default the analyzer is created under the logical id it always had (no replacement on update)', () => {
    created.identity.templateMatches({ Resources: { AccessAnalyzer: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { Type: 'ACCOUNT', AnalyzerName: 'Hardening-account' } } } });
  });

  test('Security Hub runs CIS v5.0.0 (it offers no v4.0.1) beside FSBP', () => {
    created.detection.resourceCountIs('AWS::SecurityHub::Hub', 1);
    created.detection.hasResourceProperties('AWS::SecurityHub::Standard', {
      StandardsArn: 'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/5.0.0',
    });
    created.detection.hasResourceProperties('AWS::SecurityHub::Standard', {
      StandardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
    });
  });
});
