import { ConditionalTemplate, MAX_SCENARIOS, applyScenario, evaluateCondition, scenariosOf } from '../../lib/template/conditions';
import { mergeScenarios } from '../../lib/template/evaluate-templates';
import { resolvePseudo, subAsJoin } from '../../lib/template/intrinsics';
import { finding } from '../../lib/findings';

describe('subAsJoin', () => {
  test.each([
    ['arn:${AWS::Partition}:s3:::${Bucket}/*', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']],
    ['${Key.Arn}', [{ 'Fn::GetAtt': ['Key', 'Arn'] }]],
    ['${Res.Outputs.Arn}', [{ 'Fn::GetAtt': ['Res', 'Outputs.Arn'] }]],
    ['literal ${!NotARef} text', ['literal ${NotARef} text']],
    ['plain', ['plain']],
  ])('%s', (text, parts) => {
    expect(subAsJoin(text)).toEqual({ 'Fn::Join': ['', parts] });
  });
  test('the list form substitutes its variables', () => {
    expect(subAsJoin(['${A}-${AWS::Region}', { A: { Ref: 'P' } }])).toEqual({ 'Fn::Join': ['', [{ Ref: 'P' }, '-', { Ref: 'AWS::Region' }]] });
  });
  test('anything else is not a Sub it can read', () => {
    expect(subAsJoin({ Ref: 'X' })).toBeUndefined();
    expect(subAsJoin(['a'])).toBeUndefined();
  });
});

describe('resolvePseudo', () => {
  test('known pseudo parameters become literals; unknown ones stay references, as in a Join', () => {
    expect(resolvePseudo({ A: { 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:t' } }, { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1' }))
      .toEqual({ A: { 'Fn::Join': ['', ['arn:aws:sns:eu-west-1:', { Ref: 'AWS::AccountId' }, ':t']] } });
    expect(resolvePseudo({ 'Fn::Sub': '${AWS::Region}' }, { 'AWS::Region': 'us-east-1' })).toBe('us-east-1');
    expect(resolvePseudo({ 'Fn::Sub': '${Key.Arn}' }, {})).toEqual({ 'Fn::GetAtt': ['Key', 'Arn'] });
  });
});

const T = (conditions: Record<string, unknown>, resources: ConditionalTemplate['Resources'] = {}, parameters: ConditionalTemplate['Parameters'] = {}): ConditionalTemplate =>
  ({ Parameters: parameters, Conditions: conditions, Resources: resources });

describe('evaluateCondition', () => {
  const t = T({
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    IsEast: { 'Fn::Equals': ['us-east-1', { Ref: 'AWS::Region' }] },
    Both: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsEast' }] },
    Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsEast' }] },
    NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Mapped: { 'Fn::Equals': [{ 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'tier'] }, 'gold'] },
    Loop: { 'Fn::Not': [{ Condition: 'Loop' }] },
  });
  const withMap = { ...t, Mappings: { M: { prod: { tier: 'gold' }, dev: { tier: 'tin' } } } };
  test('decides what the known parameters decide, in three values', () => {
    expect(evaluateCondition('IsProd', t, { Env: 'prod' })).toBe(true);
    expect(evaluateCondition('NotProd', t, { Env: 'prod' })).toBe(false);
    expect(evaluateCondition('Both', t, { Env: 'dev' })).toBe(false);
    expect(evaluateCondition('Both', t, { Env: 'prod' })).toBeUndefined();
    expect(evaluateCondition('Either', t, { 'AWS::Region': 'us-east-1' })).toBe(true);
    expect(evaluateCondition('Either', t, { 'AWS::Region': 'eu-west-1' })).toBeUndefined();
    expect(evaluateCondition('Mapped', withMap, { Env: 'prod' })).toBe(true);
    expect(evaluateCondition('Mapped', withMap, { Env: 'dev' })).toBe(false);
  });
  test('fails on an undeclared condition and on a cycle, naming it', () => {
    expect(() => evaluateCondition('Nope', t, {})).toThrow("condition 'Nope' is not declared in Conditions");
    expect(() => evaluateCondition('Loop', t, {})).toThrow("condition 'Loop' refers to itself");
  });
});

describe('scenariosOf', () => {
  const res = (condition: string) => ({ R: { Type: 'AWS::S3::Bucket', Condition: condition } });
  test('one scenario when every used condition is decided', () => {
    const s = scenariosOf(T({ C: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] } }, res('C')), { P: 'x' });
    expect(s).toHaveLength(1);
    expect(s[0].values.get('C')).toBe(true);
  });
  test('a parameter compared with literals: each literal and "any other value"', () => {
    const t = T({ A: { 'Fn::Equals': [{ Ref: 'P' }, 'a'] }, B: { 'Fn::Equals': [{ Ref: 'P' }, 'b'] } },
      { R1: { Type: 'AWS::S3::Bucket', Condition: 'A' }, R2: { Type: 'AWS::S3::Bucket', Condition: 'B' } });
    const keys = scenariosOf(t, {}).map((s) => `${s.values.get('A')}/${s.values.get('B')}`).sort();
    // A and B cannot both hold: P is one value.
    expect(keys).toEqual(['false/false', 'false/true', 'true/false']);
  });
  test('AllowedValues bound the enumeration', () => {
    const t = T({ A: { 'Fn::Equals': [{ Ref: 'P' }, 'a'] } }, res('A'), { P: { AllowedValues: ['a'] } });
    expect(scenariosOf(t, {}).map((s) => s.values.get('A'))).toEqual([true]);
  });
  test('a comparison through another function takes both values', () => {
    const t = T({ A: { 'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'P' }] }] }, 'prod'] } }, res('A'));
    expect(scenariosOf(t, {}).map((s) => s.values.get('A')).sort()).toEqual([false, true]);
  });
  test('conditions only CDK\'s metadata resource uses create no scenario', () => {
    const t = T({ Avail: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }, { CDKMetadata: { Type: 'AWS::CDK::Metadata', Condition: 'Avail' } });
    expect(scenariosOf(t, {})).toHaveLength(1);
  });
  test('too many combinations: an error naming the parameters to give', () => {
    const conditions: Record<string, unknown> = {};
    const resources: ConditionalTemplate['Resources'] = {};
    for (let i = 0; i < 7; i++) {
      conditions[`C${i}`] = { 'Fn::Equals': [{ Ref: `P${i}` }, 'on'] };
      resources[`R${i}`] = { Type: 'AWS::S3::Bucket', Condition: `C${i}` };
    }
    expect(() => scenariosOf(T(conditions, resources), {})).toThrow(new RegExp(`more than ${MAX_SCENARIOS} combinations .*give --parameter for P0, P1`));
  });
});

describe('applyScenario', () => {
  const t: ConditionalTemplate = {
    Conditions: { On: { 'Fn::Equals': [{ Ref: 'P' }, 'on'] } },
    Resources: {
      Gated: { Type: 'AWS::SNS::Topic', Condition: 'On' },
      User: {
        Type: 'AWS::SQS::Queue', DependsOn: ['Gated'],
        Properties: { A: { 'Fn::If': ['On', 1, { Ref: 'AWS::NoValue' }] }, B: [{ 'Fn::If': ['On', { Ref: 'Gated' }, { Ref: 'AWS::NoValue' }] }, 'x'], C: { Ref: 'Gated' } },
      },
    },
    Outputs: { O: { Condition: 'On', Value: { Ref: 'Gated' } } },
  };
  test('a true condition keeps the resource and takes the first branch', () => {
    const on = applyScenario(t, { values: new Map([['On', true]]), chosen: ['On'] }, {});
    expect(on.Resources.Gated).toEqual({ Type: 'AWS::SNS::Topic' });
    expect(on.Resources.User.Properties).toEqual({ A: 1, B: [{ Ref: 'Gated' }, 'x'], C: { Ref: 'Gated' } });
    expect(on.Outputs).toEqual({ O: { Value: { Ref: 'Gated' } } });
    expect(on.Conditions).toBeUndefined();
  });
  test('a false condition removes the resource, its output, AWS::NoValue and makes a stray reference opaque', () => {
    const off = applyScenario(t, { values: new Map([['On', false]]), chosen: ['On'] }, {});
    expect(off.Resources.Gated).toBeUndefined();
    expect(off.Resources.User.DependsOn).toEqual([]);
    expect(off.Resources.User.Properties).toEqual({ B: ['x'], C: { 'Fn::ImportValue': expect.stringContaining('removed by its condition') } });
    expect(off.Outputs).toEqual({});
  });
});

describe('mergeScenarios', () => {
  const base = { ruleId: 'BreachLessons-KMSKeyRotation', controlId: 'DATA-CMK' as const, source: 'template' as const, severity: 'error' as const, resource: { id: 't#K' } };
  const f = (status: 'PASS' | 'FAIL' | 'ERROR', message: string = status) => finding({ ...base, status, message });
  test('the same outcome everywhere stays; a FAIL in some scenarios only is a FAIL naming them', () => {
    expect(mergeScenarios([{ describe: 'C=true', findings: [f('PASS')] }, { describe: 'C=false', findings: [f('PASS')] }]).map((x) => x.status)).toEqual(['PASS']);
    const m = mergeScenarios([{ describe: 'C=true', findings: [f('FAIL', 'bad')] }, { describe: 'C=false', findings: [] }]);
    expect(m.map((x) => [x.status, x.message])).toEqual([['FAIL', 'bad (when C=true)']]);
  });
  test('FAIL beside PASS is cannot-verify naming both; any ERROR is ERROR', () => {
    const m = mergeScenarios([{ describe: 'C=true', findings: [f('PASS')] }, { describe: 'C=false', findings: [f('FAIL', 'bad')] }]);
    expect(m[0].status).toBe('ERROR');
    expect(m[0].message).toBe('cannot verify: the outcome depends on conditions whose parameters are not given (give them with --parameter): FAIL when C=false (bad); PASS when C=true');
    expect(mergeScenarios([{ describe: 'a', findings: [f('ERROR', 'x')] }, { describe: 'b', findings: [f('FAIL')] }])[0].status).toBe('ERROR');
  });
});
