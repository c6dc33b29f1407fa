import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ServiceControlPolicies } from '../../lib/constructs/service-control-policies';
import { SCP_NAMES, loadPolicy, scpValues } from '../../lib/policies';
import { testStack } from '../helpers/app';

const values = scpValues({ stackPrefix: 'Hardening', breakGlassRoleName: 'BreakGlass', pipelineRoleName: 'cdk-hardening-pipeline-execution', allowedRegions: ['us-east-1', 'us-west-2'] });

describe('ServiceControlPolicies', () => {
  let t: Template;
  let stack: ReturnType<typeof testStack>['stack'];
  beforeAll(() => {
    ({ stack } = testStack());
    new ServiceControlPolicies(stack, 'Scps', { values, targetIds: ['ou-ab12-cdefgh34'] });
    t = Template.fromStack(stack);
  });

  test('one service control policy per document, with the file\'s content and the configured values', () => {
    t.resourceCountIs('AWS::Organizations::Policy', SCP_NAMES.length);
    for (const name of SCP_NAMES) {
      t.hasResourceProperties('AWS::Organizations::Policy', {
        Name: `cdk-hardening-${name.slice(4)}`,
        Type: 'SERVICE_CONTROL_POLICY',
        Content: loadPolicy(name, values),
        TargetIds: ['ou-ab12-cdefgh34'],
      });
    }
  });

  test('no unacknowledged AwsSolutions or NIST 800-53 R5 finding', () => {
    for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) expect(pack.validateScope(stack).violations).toEqual([]);
  });

  test('fails without targets, with a malformed target, or with an unknown policy', () => {
    const { stack: s } = testStack();
    expect(() => new ServiceControlPolicies(s, 'A', { values, targetIds: [] })).toThrow('targetIds must list at least one root');
    expect(() => new ServiceControlPolicies(s, 'B', { values, targetIds: ['ou-x'] })).toThrow("targetIds: 'ou-x' is not a root (r-...), organizational unit (ou-...-...) or 12-digit account id");
    expect(() => new ServiceControlPolicies(s, 'C', { values, targetIds: ['r-ab12'], policies: ['scp/nope' as 'scp/deny-root-user'] })).toThrow("unknown service control policy 'scp/nope'");
  });

  test('fails when a rendered policy reaches the 5,120-character limit', () => {
    const { stack: s } = testStack();
    const huge = { ...values, AllowedRegions: Array.from({ length: 400 }, (_, i) => `xx-region-${i}`) };
    expect(() => new ServiceControlPolicies(s, 'D', { values: huge, targetIds: ['r-ab12'], policies: ['scp/region-guard'] }))
      .toThrow(/scp\/region-guard is \d+ characters minified; service control policies must stay under 5120/);
  });
});
