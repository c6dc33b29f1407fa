import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { Finding, finding } from '../../lib/findings';
import { ENVIRONMENT_GROUP_CONTEXT, STACKSET_TEMPLATE_METADATA } from '../../lib/nag/resource-index';
import {
  MAX_COMBINED_SCENARIOS, evaluateTemplates, linkStackOutputs, mergeScenarios, opaqueUnsupportedIntrinsics, stackNameOf,
} from '../../lib/template/evaluate-templates';
import { LoadedTemplate, TemplateError } from '../../lib/template/load';

/**
 * What `check` does to templates before and after the rules see them: intrinsics CfnInclude cannot
 * load are made opaque (cannot verify, never a pass), cross-stack references are followed between the
 * templates given, stack names come from file names, and the findings of several scenarios merge into
 * one per rule and resource without hiding a FAIL.
 */

const loaded = (path: string, template: Record<string, unknown>, extra: Partial<LoadedTemplate> = {}): LoadedTemplate =>
  ({ path, format: 'json', template: template as unknown as LoadedTemplate['template'], lineOf: () => undefined, ...extra });

describe('opaqueUnsupportedIntrinsics', () => {
  test('an intrinsic CfnInclude cannot load becomes an import naming it and its argument, at any depth', () => {
    expect(opaqueUnsupportedIntrinsics({ A: [{ B: { 'Fn::ToJsonString': { x: 1 } } }], C: { 'Fn::Length': [1, 2] } })).toEqual({
      A: [{ B: { 'Fn::ImportValue': 'Fn::ToJsonString {"x":1}' } }], C: { 'Fn::ImportValue': 'Fn::Length [1,2]' },
    });
  });
  test.each(['Fn::And', 'Fn::Base64', 'Fn::Cidr', 'Fn::Equals', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::GetAtt', 'Fn::If', 'Fn::ImportValue',
    'Fn::Join', 'Fn::Not', 'Fn::Or', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::ValueOf'])('%s is loaded as it is', (fn) => {
    expect(opaqueUnsupportedIntrinsics({ V: { [fn]: ['a', 'b'] } })).toEqual({ V: { [fn]: ['a', 'b'] } });
  });
  test('an object with a Fn:: key beside others, Ref and Condition, and plain values stay', () => {
    const v = { A: { 'Fn::Length': [1], Other: 2 }, B: { Ref: 'X' }, C: { Condition: 'Y' }, D: null, E: 3, F: 'Fn::Length' };
    expect(opaqueUnsupportedIntrinsics(v)).toEqual({ A: { 'Fn::Length': [1], Other: 2 }, B: { Ref: 'X' }, C: { Condition: 'Y' }, D: null, E: 3, F: 'Fn::Length' });
  });
});

describe('stackNameOf', () => {
  test.each([
    ['cdk.out/Keys.template.json', 'Keys'], ['Keys.json', 'Keys'], ['dir/Keys.yaml', 'Keys'], ['Keys.yml', 'Keys'],
    ['Keys.TEMPLATE.JSON', 'Keys'], ['Keys.template.yaml', 'Keys'], ['Keys.txt', 'Keys.txt'], ['Keys.json.bak', 'Keys.json.bak'], ['a.template', 'a.template'],
  ])('%s is stack %s', (file, name) => {
    expect(stackNameOf(file)).toBe(name);
  });
});

describe('linkStackOutputs', () => {
  const keys = (outputs: Record<string, unknown>) => loaded('out/Keys.template.json', { Resources: {}, Outputs: outputs });
  const user = (ref: unknown) => loaded('out/Topics.template.json', { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { K: ref } } } });
  const get = (StackName: unknown, OutputName: unknown) => ({ 'Fn::GetStackOutput': { StackName, OutputName, Region: 'us-east-1' } });
  const kOf = (linked: unknown[]) => (linked[1] as { Resources: { T: { Properties: { K: unknown } } } }).Resources.T.Properties.K;

  test('a reference to an output of a template given becomes an import of its export; an export is added when it has none', () => {
    const withExport = linkStackOutputs([keys({ Arn: { Value: 'a', Export: { Name: 'keys-arn' } } }), user(get('Keys', 'Arn'))]);
    expect(kOf(withExport)).toEqual({ 'Fn::ImportValue': 'keys-arn' });
    const without = linkStackOutputs([keys({ Arn: { Value: 'a' } }), user(get('Keys', 'Arn'))]);
    expect(kOf(without)).toEqual({ 'Fn::ImportValue': 'cdk-hardening-check:Keys:Arn' });
    expect((without[0] as { Outputs: unknown }).Outputs).toEqual({ Arn: { Value: 'a', Export: { Name: 'cdk-hardening-check:Keys:Arn' } } });
  });
  test('the inputs are not changed', () => {
    const k = keys({ Arn: { Value: 'a' } });
    const u = user(get('Keys', 'Arn'));
    linkStackOutputs([k, u]);
    expect(k.template).toEqual({ Resources: {}, Outputs: { Arn: { Value: 'a' } } });
    expect(u.template.Resources.T.Properties!.K).toEqual(get('Keys', 'Arn'));
  });
  test.each([
    ['an output the template does not declare', [keys({ Arn: { Value: 'a' } }), user(get('Keys', 'Other'))]],
    ['a stack not given', [keys({ Arn: { Value: 'a' } }), user(get('Nope', 'Arn'))]],
    ['a stack name two templates share', [keys({ Arn: { Value: 'a' } }), user(get('Keys', 'Arn')), loaded('other/Keys.json', { Resources: {}, Outputs: { Arn: { Value: 'b' } } })]],
    ['an export named by an intrinsic', [keys({ Arn: { Value: 'a', Export: { Name: { 'Fn::Sub': '${AWS::StackName}-arn' } } } }), user(get('Keys', 'Arn'))]],
    ['an output that is no object', [keys({ Arn: 'a' }), user(get('Keys', 'Arn'))]],
    ['a stack name that is no string', [keys({ Arn: { Value: 'a' } }), user(get({ Ref: 'S' }, 'Arn'))]],
    ['an output name that is no string', [keys({ Arn: { Value: 'a' } }), user(get('Keys', ['Arn']))]],
    ['a reference beside other keys', [keys({ Arn: { Value: 'a' } }), user({ ...get('Keys', 'Arn'), Extra: 1 })]],
    ['a stack whose template has no Outputs', [loaded('Keys.json', { Resources: {} }), user(get('Keys', 'Arn'))]],
    ['an output whose Export is null', [keys({ Arn: { Value: 'a', Export: null } }), user(get('Keys', 'Arn'))]],
    ['a null value', [keys({ Arn: { Value: 'a' } }), user(null)]],
  ])('left as it is: %s', (_what, templates) => {
    const original = templates[1].template.Resources.T.Properties!.K;
    expect(kOf(linkStackOutputs(templates))).toEqual(original);
  });
  test('references in lists and in Outputs of the referring template; a template without Outputs gets none', () => {
    const u = loaded('Topics.json', { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { L: [get('Keys', 'Arn')] } } }, Outputs: { O: { Value: get('Keys', 'Arn') } } });
    const [k, linked] = linkStackOutputs([keys({ Arn: { Value: 'a' } }), u]) as Array<Record<string, unknown>>;
    expect(linked.Resources).toEqual({ T: { Type: 'AWS::SNS::Topic', Properties: { L: [{ 'Fn::ImportValue': 'cdk-hardening-check:Keys:Arn' }] } } });
    // Outputs are where references point, not followed: they keep the reference as written.
    expect(linked.Outputs).toEqual({ O: { Value: get('Keys', 'Arn') } });
    expect(Object.keys(linkStackOutputs([loaded('A.json', { Resources: {} })])[0] as object)).toEqual(['Resources']);
    expect(k.Outputs).toBeDefined();
  });
});

describe('mergeScenarios', () => {
  const base = { ruleId: 'BreachLessons-KMSKeyRotation', controlId: 'DATA-CMK' as const, source: 'template' as const, severity: 'error' as const };
  const f = (status: Finding['status'], message: string = status, id = 't#K', ruleId = base.ruleId): Finding => finding({
    ...base, ruleId, status, message, resource: { id },
    ...(status === 'ACKNOWLEDGED' ? { acknowledgement: { reason: 'accepted for the pilot, ticket SEC-1', acknowledgedBy: 'a@example.com', expires: '2027-01-01' } } : {}),
  } as Parameters<typeof finding>[0]);
  test('one finding per rule and resource: two rules or two resources stay apart', () => {
    const m = mergeScenarios([{ describe: 'a', findings: [f('PASS', 'p', 't#K'), f('FAIL', 'x', 't#L'), f('PASS', 'p', 't#K', 'BreachLessons-Other')] },
      { describe: 'b', findings: [f('PASS', 'p', 't#K'), f('FAIL', 'x', 't#L'), f('PASS', 'p', 't#K', 'BreachLessons-Other')] }]);
    expect(m.map((x) => `${x.ruleId} ${x.resource.id} ${x.status} ${x.message}`)).toEqual([
      'BreachLessons-KMSKeyRotation t#K PASS p', 'BreachLessons-KMSKeyRotation t#L FAIL x', 'BreachLessons-Other t#K PASS p']);
  });
  test('a FAIL in every scenario names none; in some, it names each it holds in', () => {
    expect(mergeScenarios([{ describe: 'a', findings: [f('FAIL', 'x')] }, { describe: 'b', findings: [f('FAIL', 'x')] }])[0].message).toBe('x');
    const three = mergeScenarios([{ describe: 'a', findings: [f('FAIL', 'x')] }, { describe: 'b', findings: [] }, { describe: 'c', findings: [f('FAIL', 'x')] }]);
    expect(three[0].message).toBe('x (when a | c)');
    // A PASS where the resource exists only in some scenarios is a PASS: nothing to name.
    expect(mergeScenarios([{ describe: 'a', findings: [f('PASS', 'ok')] }, { describe: 'b', findings: [] }])[0].message).toBe('ok');
  });
  test('PASS beside ACKNOWLEDGED is ACKNOWLEDGED, with its acknowledgement', () => {
    const m = mergeScenarios([{ describe: 'a', findings: [f('PASS')] }, { describe: 'b', findings: [f('ACKNOWLEDGED', 'ack')] }]);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ status: 'ACKNOWLEDGED', message: 'ack', acknowledgement: { acknowledgedBy: 'a@example.com' } });
  });
  test('ERROR wins over anything, and is the first ERROR', () => {
    const m = mergeScenarios([{ describe: 'a', findings: [f('PASS')] }, { describe: 'b', findings: [f('ERROR', 'e1')] }, { describe: 'c', findings: [f('ERROR', 'e2')] }, { describe: 'd', findings: [f('ACKNOWLEDGED')] }]);
    expect(m.map((x) => [x.status, x.message])).toEqual([['ERROR', 'e1']]);
  });
  test('FAIL beside ACKNOWLEDGED or PASS: cannot verify, naming every scenario of each side, the acknowledgement dropped', () => {
    const m = mergeScenarios([
      { describe: 'a', findings: [f('ACKNOWLEDGED', 'ack')] }, { describe: 'b', findings: [f('FAIL', 'bad1')] },
      { describe: 'c', findings: [f('FAIL', 'bad2')] }, { describe: 'd', findings: [f('PASS')] },
    ]);
    expect(m).toHaveLength(1);
    expect(m[0].status).toBe('ERROR');
    expect(m[0].acknowledgement).toBeUndefined();
    expect(m[0].message).toBe('cannot verify: the outcome depends on conditions whose parameters are not given (give them with --parameter): FAIL when b | c (bad1); ACKNOWLEDGED when a | d');
  });
});

describe('evaluateTemplates: what it refuses', () => {
  test('an organization id that is none', () => {
    expect(() => evaluateTemplates([], { organizationId: 'o-1' })).toThrow('evaluateTemplates: organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got "o-1"');
  });
  test(`more than ${MAX_COMBINED_SCENARIOS} combined scenarios across the templates: a TemplateError asking for the parameters`, () => {
    const gated = (n: number) => {
      const Conditions: Record<string, unknown> = {};
      const Resources: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        Conditions[`C${i}`] = { 'Fn::Equals': [{ Ref: `P${i}` }, 'on'] };
        Resources[`R${i}`] = { Type: 'AWS::SNS::Topic', Condition: `C${i}` };
      }
      return { Parameters: Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i}`, { Type: 'String' }])), Conditions, Resources };
    };
    // 8 x 16 = 128 combinations: over the limit, before any is evaluated.
    const run = () => evaluateTemplates([loaded('a.json', gated(3)), loaded('b.json', gated(4))]);
    expect(run).toThrow(TemplateError);
    expect(run).toThrow(`more than ${MAX_COMBINED_SCENARIOS} combinations of conditions whose parameters are not given: give them with --parameter`);
    expect(() => evaluateTemplates([loaded('a.json', gated(3)), loaded('b.json', gated(4))], { parameters: { P0: 'on', P1: 'on' } }))
      .not.toThrow();
  });
  test(`exactly ${MAX_COMBINED_SCENARIOS} combined scenarios are evaluated; the error names the templates together`, () => {
    const gated = (n: number) => ({
      Parameters: Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i}`, { Type: 'String' }])),
      Conditions: Object.fromEntries(Array.from({ length: n }, (_, i) => [`C${i}`, { 'Fn::Equals': [{ Ref: `P${i}` }, 'on'] }])),
      Resources: Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: 'AWS::SNS::Topic', Condition: `C${i}` }])),
    });
    // 8 x 8 = 64: at the limit, evaluated
    expect(() => evaluateTemplates([loaded('a.json', gated(3)), loaded('b.json', gated(3))])).not.toThrow();
    expect(() => evaluateTemplates([loaded('a.json', gated(3)), loaded('b.json', gated(3)), loaded('c.json', gated(1))]))
      .toThrow(/^templates: more than 64 combinations/);
  });
  test('a template\'s own scenario limit is a TemplateError naming the file', () => {
    const Conditions: Record<string, unknown> = {};
    const Resources: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) { Conditions[`C${i}`] = { 'Fn::Equals': [{ Ref: `P${i}` }, 'on'] }; Resources[`R${i}`] = { Type: 'AWS::SNS::Topic', Condition: `C${i}` }; }
    let error: unknown;
    try { evaluateTemplates([loaded('big.json', { Conditions, Resources })]); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toContain('big.json');
    expect((error as TemplateError).message).toContain('give --parameter for P0, P1, P2, P3, P4, P5');
  });
  test('a template CfnInclude cannot load is a TemplateError naming the file and why', () => {
    const t = { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { Ref: 'Missing' } } } } };
    expect(() => evaluateTemplates([loaded('broken.json', t)])).toThrow(TemplateError);
    expect(() => evaluateTemplates([loaded('broken.json', t)])).toThrow(/^broken\.json: cannot load template: .*Missing/);
  });
  test('a malformed Fn::If is a TemplateError naming the file', () => {
    const t = { Conditions: { C: { 'Fn::Equals': ['a', 'a'] } }, Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::If': ['C', 'a'] } } } } };
    expect(() => evaluateTemplates([loaded('bad-if.json', t)])).toThrow(/bad-if\.json.*Fn::If takes \[condition, then, else\]/);
  });
});

describe('evaluateTemplates: findings name the file and the logical id, with what CDK recorded', () => {
  const NOW = new Date('2026-01-01T00:00:00Z');
  const key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false }, Metadata: { 'aws:cdk:path': 'App/Keys/Data/Resource' } };
  const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === 'BreachLessons-KMSKeyRotation' && f.resource.logicalId === id);

  test('resource id `<file>#<LogicalId>`, the template, the type and the construct path CDK recorded; messages name the file, not the throwaway stack', () => {
    const fs = evaluateTemplates([loaded('out/Keys.template.json', { Resources: { Data: key, Plain: { ...key, Metadata: { 'aws:cdk:path': 7 } } } })], { now: NOW });
    const [f] = of(fs, 'Data');
    expect(f.status).toBe('FAIL');
    expect(f.resource).toEqual({ id: 'out/Keys.template.json#Data', template: 'out/Keys.template.json', logicalId: 'Data', type: 'AWS::KMS::Key', constructPath: 'App/Keys/Data/Resource' });
    // a path that is no string is not recorded
    expect(of(fs, 'Plain')[0].resource).toEqual({ id: 'out/Keys.template.json#Plain', template: 'out/Keys.template.json', logicalId: 'Plain', type: 'AWS::KMS::Key' });
    for (const x of fs) expect(x.message).not.toMatch(/Template0\/Template\//);
  });

  test('a message naming another resource names it by file and logical id; every finding has source template', () => {
    const t = { Resources: {
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g', VpcId: 'vpc-12345678', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }] } },
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing', SecurityGroups: [{ Ref: 'Sg' }], Subnets: ['subnet-1', 'subnet-2'] } },
      Inst: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-12345678', SecurityGroupIds: [{ Ref: 'Sg' }] } },
    } };
    const fs = evaluateTemplates([loaded('web.json', t)], { now: NOW });
    const [f] = fs.filter((x) => x.ruleId === 'BreachLessons-SecurityGroupNoOpenIngress' && x.resource.logicalId === 'Sg');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('the group is also used by web.json#Inst (AWS::EC2::Instance)');
    expect(new Set(fs.map((x) => x.source))).toEqual(new Set(['template']));
  });

  test('a template whose resources refer to each other in a cycle is still loaded and judged', () => {
    const t = { Resources: {
      A: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['B', 'TopicName'] } } },
      B: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['A', 'TopicName'] } } },
      Data: key,
    } };
    expect(of(evaluateTemplates([loaded('cycle.json', t)], { now: NOW }), 'Data').map((f) => f.status)).toEqual(['FAIL']);
  });

  test('the files written for CfnInclude are removed, also when loading fails', () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluate-templates-test-'));
    try {
      evaluateTemplates([loaded('k.json', { Resources: { Data: key } })], { now: NOW, workDir });
      expect(() => evaluateTemplates([loaded('broken.json', { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { X: { Ref: 'Missing' } } } } })], { workDir })).toThrow(TemplateError);
      expect(fs.readdirSync(workDir)).toEqual([]);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('a FAIL in some scenarios names the scenarios of the templates with conditions only', () => {
    const gated = { Parameters: { On: { Type: 'String' } }, Conditions: { C: { 'Fn::Equals': [{ Ref: 'On' }, 'yes'] } }, Resources: { Data: { ...key, Condition: 'C' } } };
    const found = evaluateTemplates([loaded('gated.json', gated), loaded('plain.json', { Resources: { Other: { Type: 'AWS::SNS::Topic' } } })], { now: NOW });
    const [f] = of(found, 'Data');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/\(when gated\.json: [^;|)]*C[^;|)]*\)$/);
    expect(f.message).not.toContain('plain.json');
    // two templates with conditions: each one's scenario, apart
    const both = evaluateTemplates([loaded('gated.json', gated), loaded('other.json', { ...gated, Resources: { Else: { Type: 'AWS::SNS::Topic', Condition: 'C' } } })], { now: NOW });
    expect(of(both, 'Data')[0].message).toMatch(/\(when gated\.json: [^;|)]+; other\.json: [^;|)]+ \| /);
  });

  test('a pseudo parameter given (AWS::Partition) decides a condition on it; the manifest\'s account and region win over those given', () => {
    const gov = { Conditions: { Gov: { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-us-gov'] } }, Resources: { Data: { ...key, Condition: 'Gov' } } };
    expect(of(evaluateTemplates([loaded('gov.json', gov)], { now: NOW, parameters: { 'AWS::Partition': 'aws-us-gov' } }), 'Data').map((f) => f.status)).toEqual(['FAIL']);
    expect(of(evaluateTemplates([loaded('gov.json', gov)], { now: NOW, parameters: { 'AWS::Partition': 'aws' } }), 'Data')).toEqual([]);
    const inAccount = { Conditions: { Mine: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '111111111111'] } }, Resources: { Data: { ...key, Condition: 'Mine' } } };
    const manifest = { environment: { account: '111111111111', region: 'us-east-1' } };
    expect(of(evaluateTemplates([loaded('m.json', inAccount, manifest)], { now: NOW }), 'Data').map((f) => f.status)).toEqual(['FAIL']);
    expect(of(evaluateTemplates([loaded('m.json', inAccount, manifest)], { now: NOW, parameters: { 'AWS::AccountId': '222222222222' } }), 'Data').map((f) => f.status)).toEqual(['FAIL']);
    expect(of(evaluateTemplates([loaded('m.json', inAccount)], { now: NOW, parameters: { 'AWS::AccountId': '222222222222' } }), 'Data')).toEqual([]);
    const inRegion = { Conditions: { East: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }, Resources: { Data: { ...key, Condition: 'East' } } };
    expect(of(evaluateTemplates([loaded('r.json', inRegion, manifest)], { now: NOW, parameters: { 'AWS::Region': 'eu-west-1' } }), 'Data').map((f) => f.status)).toEqual(['FAIL']);
  });

  test('a parameter given that the template does not declare is not passed to it (CfnInclude would refuse it)', () => {
    expect(() => evaluateTemplates([loaded('k.json', { Resources: { Data: key } })], { now: NOW, parameters: { Undeclared: 'x' } })).not.toThrow();
    const declared = { Parameters: { Rotate: { Type: 'String' } }, Resources: { Data: { ...key, Properties: { EnableKeyRotation: { Ref: 'Rotate' } } } } };
    expect(of(evaluateTemplates([loaded('k.json', declared)], { now: NOW, parameters: { Rotate: 'true' } }), 'Data').map((f) => f.status)).toEqual(['PASS']);
    expect(of(evaluateTemplates([loaded('k.json', declared)], { now: NOW }), 'Data').map((f) => f.status)).toEqual(['ERROR']);
  });

  describe('the stacks the rules see', () => {
    // The rules see each template as a stack of a throwaway app: watched here through the context set on each stack.
    function stacksOf(templates: LoadedTemplate[], parameters: Record<string, string> = {}) {
      const seen = new Set<Stack>();
      const original = Node.prototype.setContext;
      const spy = jest.spyOn(Node.prototype, 'setContext').mockImplementation(function (this: Node, k: string, v: unknown) {
        const host = (this as unknown as { host: unknown }).host;
        if (Stack.isStack(host)) seen.add(host);
        return original.call(this, k, v);
      });
      try {
        evaluateTemplates(templates, { now: NOW, parameters });
      } finally {
        spy.mockRestore();
      }
      return [...seen];
    }

    test('a StackSet template is marked so, with the accounts it never reaches, as at synthesis; another template is not', () => {
      const info = { excludedAccounts: ['111111111111'] };
      const [set, plain, odd] = stacksOf([
        loaded('set.json', { Metadata: { [STACKSET_TEMPLATE_METADATA]: info }, Resources: { Data: key } }),
        loaded('plain.json', { Resources: { Data: key } }),
        loaded('odd.json', { Metadata: { [STACKSET_TEMPLATE_METADATA]: 'yes' }, Resources: { Data: key } }),
      ]);
      expect(set.node.tryGetContext(STACKSET_TEMPLATE_METADATA)).toEqual(info);
      expect(plain.node.tryGetContext(STACKSET_TEMPLATE_METADATA)).toBeUndefined();
      expect(odd.node.tryGetContext(STACKSET_TEMPLATE_METADATA)).toBeUndefined();
    });

    test('unresolved environments are the same within one cloud assembly or one file, never across; the manifest\'s or given environment is the stack\'s', () => {
      const [a, b, c, d] = stacksOf([
        loaded('asm/A.template.json', { Resources: { Data: key } }, { assembly: 'asm' }),
        loaded('asm/B.template.json', { Resources: { Data: key } }, { assembly: 'asm' }),
        loaded('C.json', { Resources: { Data: key } }),
        loaded('D.json', { Resources: { Data: key } }, { environment: { account: '111111111111', region: 'eu-west-1' } }),
      ], { 'AWS::Region': 'us-east-1' });
      expect([a, b, c].map((s) => s.node.tryGetContext(ENVIRONMENT_GROUP_CONTEXT))).toEqual(['asm', 'asm', 'C.json']);
      expect([a.region, d.region, d.account]).toEqual(['us-east-1', 'eu-west-1', '111111111111']);
      expect(Token.isUnresolved(a.account)).toBe(true);
    });
  });
});
