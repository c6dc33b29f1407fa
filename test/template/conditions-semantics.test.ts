import {
  ConditionalTemplate, MAX_SCENARIOS, applyScenario, describeScenario, evaluateCondition, scenariosOf, usedConditions, valueOf,
} from '../../lib/template/conditions';

/**
 * CloudFormation's condition functions as `check` must read them, one behaviour at a time: what a
 * value is when its parameters are given, when a condition is true, false or undecided, which
 * conditions a template uses, which scenarios a reviewer is shown and what each scenario deploys.
 * A mistake here decides which resources the rules ever see: a resource kept out of every scenario
 * is a resource no rule judges.
 */

const T = (conditions: Record<string, unknown>, resources: ConditionalTemplate['Resources'] = {}, extra: Partial<ConditionalTemplate> = {}): ConditionalTemplate =>
  ({ Conditions: conditions, Resources: resources, ...extra });
const bucket = (condition?: string) => ({ Type: 'AWS::S3::Bucket', ...(condition ? { Condition: condition } : {}) });
const eq = (param: string, literal: string) => ({ 'Fn::Equals': [{ Ref: param }, literal] });

describe('valueOf: the value of an expression whose parameters are given', () => {
  const t = T({}, {}, { Mappings: { Tiers: { prod: { level: 'gold', ref: { Ref: 'Env' } }, dev: { level: 'tin' } } } });
  const known = { Env: 'prod', List: 'a,b,c' };
  test.each([
    ['a string', 'x', 'x'],
    ['a number, as CloudFormation compares it: a string', 5, '5'],
    ['a boolean', true, 'true'],
    ['a list of known values', ['a', { Ref: 'Env' }], ['a', 'prod']],
    ['a Ref to a given parameter', { Ref: 'Env' }, 'prod'],
    ['Fn::Sub of a given parameter', { 'Fn::Sub': 'env-${Env}' }, 'env-prod'],
    ['Fn::Sub with its own variables', { 'Fn::Sub': ['${A}-${Env}', { A: 'x' }] }, 'x-prod'],
    ['Fn::Join', { 'Fn::Join': ['/', ['a', { Ref: 'Env' }]] }, 'a/prod'],
    ['Fn::Select of a literal list, the index a number', { 'Fn::Select': [1, ['a', 'b']] }, 'b'],
    ['Fn::Select, the index a string', { 'Fn::Select': ['0', ['a', 'b']] }, 'a'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [2, { 'Fn::Split': [',', { Ref: 'List' }] }] }, 'c'],
    ['Fn::Split', { 'Fn::Split': [',', 'x,y'] }, ['x', 'y']],
    ['Fn::FindInMap with a given key', { 'Fn::FindInMap': ['Tiers', { Ref: 'Env' }, 'level'] }, 'gold'],
    ['Fn::FindInMap whose value is itself a reference', { 'Fn::FindInMap': ['Tiers', 'prod', 'ref'] }, 'prod'],
  ])('%s', (_what, expr, value) => {
    expect(valueOf(expr, known, t)).toEqual(value);
  });
  test.each([
    ['a Ref to a parameter not given', { Ref: 'Other' }],
    ['a Ref to a name every object inherits', { Ref: 'constructor' }],
    ['a Ref that names no string', { Ref: ['Env'] }],
    ['a list with one unknown item', ['a', { Ref: 'Other' }]],
    ['an object that is no intrinsic', { Env: 'prod' }],
    ['an intrinsic it does not evaluate', { 'Fn::GetAtt': ['R', 'Arn'] }],
    ['Fn::Sub of a parameter not given', { 'Fn::Sub': 'env-${Other}' }],
    ['Fn::Sub that is no Sub', { 'Fn::Sub': 5 }],
    ['Fn::Join that is no list', { 'Fn::Join': 'a' }],
    ['Fn::Join whose separator is no string', { 'Fn::Join': [1, ['a', 'b']] }],
    ['Fn::Join of an unknown item', { 'Fn::Join': ['-', ['a', { Ref: 'Other' }]] }],
    ['Fn::Join of a string, not a list', { 'Fn::Join': ['-', 'ab'] }],
    ['Fn::Join of a nested list', { 'Fn::Join': ['-', ['a', ['b']]] }],
    ['Fn::Select that is no list', { 'Fn::Select': 'a' }],
    ['Fn::Select of an object with numbered keys, which is no list', { 'Fn::Select': { 0: 0, 1: ['a'] } }],
    ['Fn::Select from a string, not a list', { 'Fn::Select': [0, 'ab'] }],
    ['Fn::Select with an unknown index', { 'Fn::Select': [{ Ref: 'Other' }, ['a']] }],
    ['Fn::Select with a list as index', { 'Fn::Select': [['0'], ['a']] }],
    ['Fn::Split that is no list', { 'Fn::Split': ',' }],
    ['Fn::Split whose separator is no string', { 'Fn::Split': [1, 'a1b'] }],
    ['Fn::Split of a parameter not given', { 'Fn::Split': [',', { Ref: 'Other' }] }],
    ['Fn::Split of a list', { 'Fn::Split': [',', ['a']] }],
    ['Fn::FindInMap that is no list', { 'Fn::FindInMap': 'Tiers' }],
    ['Fn::FindInMap with a key not given', { 'Fn::FindInMap': ['Tiers', { Ref: 'Other' }, 'level'] }],
    ['Fn::FindInMap of a missing second key', { 'Fn::FindInMap': ['Tiers', 'dev', 'ref'] }],
    ['Fn::FindInMap of a missing first key', { 'Fn::FindInMap': ['Tiers', 'test', 'level'] }],
    ['Fn::FindInMap of a missing map', { 'Fn::FindInMap': ['Nope', 'prod', 'level'] }],
    ['Fn::FindInMap with a list as map name', { 'Fn::FindInMap': [['Tiers'], 'prod', 'level'] }],
    ['Fn::FindInMap with a list as first key', { 'Fn::FindInMap': ['Tiers', ['prod'], 'level'] }],
    ['Fn::FindInMap with a list as second key', { 'Fn::FindInMap': ['Tiers', 'prod', ['level']] }],
  ])('undefined: %s', (_what, expr) => {
    expect(valueOf(expr, known, t)).toBeUndefined();
  });
  test('a template without Mappings has no map value', () => {
    expect(valueOf({ 'Fn::FindInMap': ['Tiers', 'prod', 'level'] }, known, T({}))).toBeUndefined();
  });
});

describe('evaluateCondition: true, false, or undecided', () => {
  const t = T({
    Prod: eq('Env', 'prod'),
    East: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    NotProdObject: { 'Fn::Not': { Condition: 'Prod' } },
    NotProd: { 'Fn::Not': [{ Condition: 'Prod' }] },
    And: { 'Fn::And': [{ Condition: 'Prod' }, { Condition: 'East' }] },
    Or: { 'Fn::Or': [{ Condition: 'Prod' }, { Condition: 'East' }] },
    Twice: { 'Fn::And': [{ Condition: 'Prod' }, { Condition: 'NotProd' }, { Condition: 'Prod' }] },
    Lists: { 'Fn::Equals': [{ 'Fn::Split': [',', { Ref: 'L' }] }, ['a', 'b']] },
    Number: { 'Fn::Equals': [{ Ref: 'Count' }, 3] },
  });
  test.each([
    // Fn::And: a false decides; else undecided when any is; else true
    ['And', { Env: 'dev' }, false], ['And', { 'AWS::Region': 'eu-west-1' }, false], ['And', { Env: 'prod' }, undefined],
    ['And', { Env: 'prod', 'AWS::Region': 'us-east-1' }, true],
    // Fn::Or: a true decides; else undecided when any is; else false
    ['Or', { Env: 'prod' }, true], ['Or', { 'AWS::Region': 'us-east-1' }, true], ['Or', { Env: 'dev' }, undefined],
    ['Or', { Env: 'dev', 'AWS::Region': 'eu-west-1' }, false],
    ['NotProd', { Env: 'prod' }, false], ['NotProd', { Env: 'dev' }, true], ['NotProd', {}, undefined],
    ['NotProdObject', { Env: 'dev' }, true], ['NotProdObject', {}, undefined],
    ['Prod', {}, undefined],
    ['Twice', { Env: 'prod' }, false],
    ['Lists', { L: 'a,b' }, true], ['Lists', { L: 'a,b,c' }, false], ['Lists', { L: 'a' }, false],
    ['Number', { Count: '3' }, true], ['Number', { Count: '03' }, false],
  ])('%s with %j is %s', (name, known, value) => {
    expect(evaluateCondition(name as string, t, known as Record<string, string>)).toBe(value);
  });
  test('a scenario\'s choice decides a condition its parameters leave open, and what reads it', () => {
    expect(evaluateCondition('NotProd', t, {}, new Map([['Prod', true]]))).toBe(false);
    expect(evaluateCondition('Prod', t, { Env: 'prod' }, new Map([['Prod', false]]))).toBe(false);
  });
  test.each([
    ['Condition naming no string', { 'Fn::Not': [{ Condition: 1 }] }, "condition 'Bad': Condition must name a condition, got 1"],
    ['Fn::Equals of one value', { 'Fn::Equals': ['a'] }, 'condition \'Bad\': Fn::Equals takes two values, got ["a"]'],
    ['Fn::Equals of three values', { 'Fn::Equals': ['a', 'a', 'a'] }, 'Fn::Equals takes two values, got ["a","a","a"]'],
    ['Fn::Equals of no list', { 'Fn::Equals': 'a' }, 'Fn::Equals takes two values, got "a"'],
    ['Fn::And of no list', { 'Fn::And': { Condition: 'X' } }, 'condition \'Bad\': Fn::And takes a list, got {"Condition":"X"}'],
    ['Fn::Or of no list', { 'Fn::Or': 'x' }, 'condition \'Bad\': Fn::Or takes a list, got "x"'],
    ['a function conditions do not have', { 'Fn::If': ['X', 'a', 'b'] }, 'condition \'Bad\': unsupported condition function {"Fn::If":["X","a","b"]}'],
    ['a bare value', 'true', 'condition \'Bad\': unsupported condition function "true"'],
  ])('%s fails naming the condition and the value', (_what, def, message) => {
    expect(() => evaluateCondition('Bad', T({ Bad: def, X: eq('P', 'x') }), {})).toThrow(message);
  });
  test('a template without Conditions declares none', () => {
    expect(() => evaluateCondition('X', { Resources: {} }, {})).toThrow("condition 'X' is not declared in Conditions");
  });
  test('a cycle through another condition fails naming the condition met again', () => {
    expect(() => evaluateCondition('A', T({ A: { 'Fn::Not': [{ Condition: 'B' }] }, B: { 'Fn::Or': [{ Condition: 'A' }] } }), {}))
      .toThrow("condition 'A' refers to itself");
  });
});

describe('usedConditions: the conditions resources and outputs use', () => {
  test('a resource\'s Condition, Fn::If in its properties, metadata and policies, and the outputs\'; sorted, once each', () => {
    const t = T({}, {
      A: { ...bucket('OnA'), Properties: { X: [{ 'Fn::If': ['InList', 1, 2] }], Y: { 'Fn::If': ['InProps', 1, 2] } } },
      B: { Type: 'AWS::S3::Bucket', Metadata: { M: { 'Fn::If': ['InMeta', 1, 2] } }, DeletionPolicy: { 'Fn::If': ['InDeletion', 'Retain', 'Delete'] } },
      C: { Type: 'AWS::S3::Bucket', UpdateReplacePolicy: { 'Fn::If': ['InReplace', 'Retain', 'Delete'] }, Condition: 'OnA' },
    }, { Outputs: { O: { Condition: 'InOutput', Value: { 'Fn::If': ['InOutputValue', 'a', 'b'] } } } });
    expect(usedConditions(t)).toEqual(['InDeletion', 'InList', 'InMeta', 'InOutput', 'InOutputValue', 'InProps', 'InReplace', 'OnA']);
  });
  test('not: the version-reporting resource\'s, an Fn::If beside other keys or naming no string, a Condition that is no string, other sections', () => {
    const t = T({}, {
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Condition: 'Avail', Properties: { X: { 'Fn::If': ['AvailToo', 1, 2] } } },
      A: { Type: 'AWS::S3::Bucket', Condition: { Ref: 'X' }, Properties: { X: { 'Fn::If': ['Extra', 1, 2], Other: 1 }, Y: { 'Fn::If': [{ Ref: 'P' }, 1, 2] }, Z: { 'Fn::If': 'Str' } } },
      B: { Type: 'AWS::S3::Bucket', UpdatePolicy: { 'Fn::If': ['InUpdatePolicy', 1, 2] } },
    }, { Outputs: { O: { Condition: 5, Value: 'v' } } });
    expect(usedConditions(t)).toEqual([]);
  });
});

describe('scenariosOf: every combination a deployment can produce, and no more than a reviewer can read', () => {
  test('a literal on the left of Fn::Equals bounds the parameter as well: P cannot be both a and b', () => {
    const t = T({ A: { 'Fn::Equals': ['a', { Ref: 'P' }] }, B: { 'Fn::Equals': ['b', { Ref: 'P' }] } }, { R: bucket('A'), S: bucket('B') });
    expect(scenariosOf(t, {}).map((s) => `${s.values.get('A')}/${s.values.get('B')}`).sort()).toEqual(['false/false', 'false/true', 'true/false']);
  });
  test('conditions read through Fn::Not of another condition are bounded through that condition\'s parameter', () => {
    const t = T({ X: { 'Fn::Not': [{ Condition: 'A' }] }, Y: { 'Fn::Not': [{ Condition: 'B' }] }, A: eq('P', 'a'), B: eq('P', 'b') }, { R: bucket('X'), S: bucket('Y') });
    expect(scenariosOf(t, {}).map((s) => `${s.values.get('X')}/${s.values.get('Y')}`).sort()).toEqual(['false/true', 'true/false', 'true/true']);
  });
  test('a parameter given is never enumerated, compared directly or through a function, whatever its AllowedValues', () => {
    const direct = T({ C: { 'Fn::And': [eq('P', 'x'), eq('Q', 'y')] }, D: eq('P', 'x') }, { R: bucket('C'), S: bucket('D') }, { Parameters: { P: { AllowedValues: ['x', 'z'] } } });
    const d = scenariosOf(direct, { P: 'x' });
    expect(d.map((s) => `${s.values.get('C')}/${s.values.get('D')}`).sort()).toEqual(['false/true', 'true/true']);
    const through = T({ C: { 'Fn::Equals': [{ 'Fn::Join': ['', [{ Ref: 'P' }, { Ref: 'Q' }]] }, 'ab'] } }, { R: bucket('C') },
      { Parameters: { P: { AllowedValues: ['a', 'c'] }, Q: { AllowedValues: ['b'] } } });
    expect(scenariosOf(through, { P: 'a' }).map((s) => s.values.get('C'))).toEqual([true]);
  });
  test('a condition read only through another one is enumerated through its parameters', () => {
    const t = T({ Outer: { 'Fn::And': [{ Condition: 'Inner' }, { Condition: 'Inner2' }] }, Inner: eq('P', 'x'), Inner2: eq('Q', 'y') }, { R: bucket('Outer') });
    expect(scenariosOf(t, {}).map((s) => s.values.get('Outer')).sort()).toEqual([false, true]);
    expect(scenariosOf(t, { Q: 'y' }).map((s) => s.values.get('Outer')).sort()).toEqual([false, true]);
    expect(scenariosOf(t, { Q: 'n' }).map((s) => s.values.get('Outer'))).toEqual([false]);
  });
  test('AllowedValues (numbers read as strings) bound a parameter compared directly or through a function', () => {
    const direct = T({ A: eq('P', '1') }, { R: bucket('A') }, { Parameters: { P: { AllowedValues: [1] } } });
    expect(scenariosOf(direct, {}).map((s) => s.values.get('A'))).toEqual([true]);
    const through = T({ A: { 'Fn::Equals': [{ 'Fn::Join': ['', [{ Ref: 'P' }, '-x']] }, 'a-x'] } }, { R: bucket('A') }, { Parameters: { P: { AllowedValues: ['b'] } } });
    expect(scenariosOf(through, {}).map((s) => s.values.get('A'))).toEqual([false]);
    const viaSub = T({ A: { 'Fn::Equals': [{ 'Fn::Sub': '${P}-x' }, 'a-x'] } }, { R: bucket('A') }, { Parameters: { P: { AllowedValues: ['a'] } } });
    expect(scenariosOf(viaSub, {}).map((s) => s.values.get('A'))).toEqual([true]);
  });
  test('an empty AllowedValues bounds nothing: the literals and any other value', () => {
    const t = T({ A: eq('P', 'a') }, { R: bucket('A') }, { Parameters: { P: { AllowedValues: [] } } });
    expect(scenariosOf(t, {}).map((s) => s.values.get('A')).sort()).toEqual([false, true]);
  });
  test('a parameter compared with a literal and also through a function is not bounded by the literal: both values', () => {
    const t = T({ A: eq('P', 'a'), B: { 'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'P' }] }] }, 'a'] } }, { R: bucket('A'), S: bucket('B') });
    const keys = scenariosOf(t, {}).map((s) => `${s.values.get('A')}/${s.values.get('B')}`).sort();
    expect(keys).toEqual(['false/false', 'false/true', 'true/false', 'true/true']);
  });
  test('two parameters compared with each other: both values, never one scenario', () => {
    const t = T({ A: { 'Fn::Equals': [{ Ref: 'P' }, { Ref: 'Q' }] } }, { R: bucket('A') });
    expect(scenariosOf(t, {}).map((s) => s.values.get('A')).sort()).toEqual([false, true]);
  });
  test('a parameter already given is not enumerated', () => {
    const t = T({ A: { 'Fn::And': [eq('P', 'a'), { Condition: 'B' }] }, B: eq('Q', 'b') }, { R: bucket('A') });
    const s = scenariosOf(t, { P: 'a' });
    expect(s.map((x) => x.values.get('A')).sort()).toEqual([false, true]);
    expect(s.every((x) => x.chosen.join() === 'A')).toBe(true);
  });
  test(`exactly ${MAX_SCENARIOS} scenarios are enumerated; one more is refused`, () => {
    const build = (n: number) => {
      const conditions: Record<string, unknown> = {};
      const resources: ConditionalTemplate['Resources'] = {};
      for (let i = 0; i < n; i++) { conditions[`C${i}`] = eq(`P${i}`, 'on'); resources[`R${i}`] = bucket(`C${i}`); }
      return T(conditions, resources);
    };
    expect(scenariosOf(build(5), {})).toHaveLength(MAX_SCENARIOS);
    expect(() => scenariosOf(build(6), {})).toThrow(`more than ${MAX_SCENARIOS} combinations of conditions (C0, C1, C2, C3, C4, C5) depend on parameters not given: give --parameter for P0, P1, P2, P3, P4, P5`);
  });
  test('4,096 assignments of parameters are tried when they give few scenarios; more are refused before any is tried', () => {
    const build = (n: number) => {
      const params = Array.from({ length: n }, (_, i) => `P${i}`);
      return T({ Any: { 'Fn::Or': params.map((p) => eq(p, 'a')) } }, { R: bucket('Any') },
        { Parameters: Object.fromEntries(params.map((p) => [p, { AllowedValues: ['a', 'b'] }])) });
    };
    expect(scenariosOf(build(12), {}).map((s) => s.values.get('Any')).sort()).toEqual([false, true]);
    expect(() => scenariosOf(build(13), {})).toThrow('more than 32 combinations of conditions (Any) depend on parameters not given: give --parameter for P0, P1, P10, P11, P12, P2, P3, P4, P5, P6, P7, P8, P9');
  });
  test('conditions no parameter bounds: at most ten are tried both ways; the error then asks for the parameters they read', () => {
    const build = (n: number) => {
      const conditions: Record<string, unknown> = {};
      const resources: ConditionalTemplate['Resources'] = {};
      for (let i = 0; i < n; i++) {
        conditions[`C${i}`] = { 'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: `P${i}` }] }] }, 'on'] };
        resources[`R${i}`] = { ...bucket(), Properties: { BucketName: { 'Fn::If': [`C${i}`, 'a', 'b'] } }, Condition: i < 5 ? `C${i}` : 'C0' };
      }
      return T(conditions, resources);
    };
    expect(() => scenariosOf(build(11), {})).toThrow(/depend on parameters not given: give --parameter for the parameters they read$/);
  });
  test('each scenario says what it chose, for messages', () => {
    const t = T({ A: eq('P', 'a'), B: eq('Q', 'b'), K: eq('Known', 'k') }, { R: bucket('A'), S: bucket('B'), U: bucket('K') });
    const s = scenariosOf(t, { Known: 'k' });
    expect(s.map(describeScenario).sort()).toEqual(['A=false, B=false', 'A=false, B=true', 'A=true, B=false', 'A=true, B=true']);
    expect(s.every((x) => x.values.get('K') === true)).toBe(true);
    expect(describeScenario(scenariosOf(t, { Known: 'k', P: 'a', Q: 'b' })[0])).toBe('');
    expect(scenariosOf(T({}, { R: bucket() }), {}).map(describeScenario)).toEqual(['']);
  });
});

describe('applyScenario: the template as that scenario deploys it', () => {
  const t: ConditionalTemplate = {
    Parameters: { P: { Type: 'String' } },
    Conditions: { On: eq('P', 'on'), Fixed: { 'Fn::Equals': ['a', 'a'] }, Impossible: { 'Fn::Equals': ['a', 'b'] } },
    Resources: {
      Gated: { Type: 'AWS::SNS::Topic', Condition: 'On' },
      Kept: { Type: 'AWS::SNS::Topic', Condition: 'Fixed' },
      Never: { Type: 'AWS::SNS::Topic', Condition: 'Impossible' },
      User: {
        Type: 'AWS::SQS::Queue', DependsOn: 'Gated',
        Properties: {
          A: { 'Fn::GetAtt': ['Gated', 'TopicName'] }, B: { 'Fn::GetAtt': 'Gated.TopicArn' }, C: { 'Fn::GetAtt': ['Kept', 'TopicName'] }, D: { Ref: 'Kept' },
          // Objects with a key beside Ref or Fn::GetAtt are no references: left as they are.
          E: { Ref: 'Gated', Note: 1 }, F: { 'Fn::GetAtt': ['Gated', 'Arn'], Note: 1 }, G: { 'Fn::GetAtt': 'Gated.Arn', Note: 1 }, H: { Ref: 'AWS::NoValue', Note: 1 },
        },
      },
      Other: { Type: 'AWS::SQS::Queue', DependsOn: 'Kept' },
      Both: { Type: 'AWS::SQS::Queue', DependsOn: ['Gated', 'Kept'] },
    },
    Outputs: { Plain: { Value: 'v' }, WhenFixed: { Condition: 'Fixed', Value: 'f' }, WhenOn: { Condition: 'On', Value: 'o' } },
  };
  // Applied inside each test, never at collection: a mutation tool activates its mutant per test.
  const applyOff = () => applyScenario(t, { values: new Map([['On', false]]), chosen: ['On'] }, {});
  test('references to a removed resource, by GetAtt in either form, are opaque; references to kept ones, and look-alikes, stay', () => {
    const off = applyOff();
    expect(off.Resources.User.Properties).toEqual({
      A: { 'Fn::ImportValue': 'resource removed by its condition: {"Fn::GetAtt":["Gated","TopicName"]}' },
      B: { 'Fn::ImportValue': 'resource removed by its condition: {"Fn::GetAtt":"Gated.TopicArn"}' },
      C: { 'Fn::GetAtt': ['Kept', 'TopicName'] }, D: { Ref: 'Kept' },
      E: { Ref: 'Gated', Note: 1 }, F: { 'Fn::GetAtt': ['Gated', 'Arn'], Note: 1 }, G: { 'Fn::GetAtt': 'Gated.Arn', Note: 1 }, H: { Ref: 'AWS::NoValue', Note: 1 },
    });
  });
  test('DependsOn on a removed resource is dropped, as a string or from a list; on a kept one it stays', () => {
    const off = applyOff();
    expect(off.Resources.User.DependsOn).toBeUndefined();
    expect(off.Resources.Other.DependsOn).toBe('Kept');
    expect(off.Resources.Both.DependsOn).toEqual(['Kept']);
  });
  test('a condition the scenario did not choose is decided by the given parameters: its resource and output stay, without the Condition', () => {
    const off = applyOff();
    expect(off.Resources.Kept).toEqual({ Type: 'AWS::SNS::Topic' });
    expect(off.Resources.Never).toBeUndefined();
    expect(off.Outputs).toEqual({ Plain: { Value: 'v' }, WhenFixed: { Value: 'f' } });
    expect(off.Parameters).toEqual(t.Parameters);
    expect(off.Conditions).toBeUndefined();
  });
  test('the original template is left as it was', () => {
    applyOff();
    expect(t.Resources.Gated).toEqual({ Type: 'AWS::SNS::Topic', Condition: 'On' });
    expect(t.Conditions).toBeDefined();
  });
  test('a template without Outputs gets none', () => {
    expect(applyScenario(T({}, { R: bucket() }), { values: new Map(), chosen: [] }, {})).not.toHaveProperty('Outputs');
  });
  test('Fn::If on a condition neither chosen nor decidable, or malformed, fails naming it', () => {
    const undecided = T({ Open: eq('P', 'x') }, { R: { ...bucket(), Properties: { N: { 'Fn::If': ['Open', 'a', 'b'] } } } });
    expect(() => applyScenario(undecided, { values: new Map(), chosen: [] }, {})).toThrow("condition 'Open' is undecided");
    const outputOnly = T({ Open: eq('P', 'x') }, {}, { Outputs: { O: { Condition: 'Open', Value: 'v' } } });
    expect(() => applyScenario(outputOnly, { values: new Map(), chosen: [] }, {})).toThrow("condition 'Open' is undecided");
    for (const bad of [['Open', 'a'], 'Open', [1, 'a', 'b'], ['Open', 'a', 'b', 'c']]) {
      const m = T({ Open: eq('P', 'x') }, { R: { ...bucket(), Properties: { N: { 'Fn::If': bad } } } });
      expect(() => applyScenario(m, { values: new Map([['Open', true]]), chosen: [] }, {})).toThrow(`Fn::If takes [condition, then, else], got ${JSON.stringify(bad)}`);
    }
  });
  test('the version-reporting resource stays whatever its condition, without it; AWS::NoValue in a list or a branch is dropped', () => {
    const m = T({ Avail: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }, {
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Condition: 'Avail', Properties: { Analytics: 'v2' } },
      R: { ...bucket(), Properties: { L: [{ Ref: 'AWS::NoValue' }, 'x', { 'Fn::If': ['Avail', { Ref: 'AWS::NoValue' }, 'y'] }] } },
    });
    const out = applyScenario(m, { values: new Map([['Avail', true]]), chosen: [] }, {});
    expect(out.Resources.CDKMetadata).toEqual({ Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2' } });
    expect(out.Resources.R.Properties).toEqual({ L: ['x'] });
  });
});
