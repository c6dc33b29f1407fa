import { conditionEntries, conditionPairs, conditionValues, madeByService, unknown } from '../../lib/policy';

describe('madeByService: the keys that say a service calls for its caller', () => {
  test.each<[string[], boolean]>([
    [['aws:CalledVia'], true],
    [['aws:SourceIp', 'aws:calledviafirst'], true],
    [['AWS:CALLEDVIALAST'], true],
    [[], false],
    [['aws:ViaAWSService', 'aws:SourceIp'], false],
    // a principal tag whose name ends in the key's name is the caller's tag, not a service's call
    [['aws:PrincipalTag/team-aws:CalledVia'], false],
  ])('%j: %s', (keys, made) => {
    expect(madeByService(keys)).toBe(made);
    expect(madeByService(new Set(keys))).toBe(made);
  });
});

describe('conditionPairs / conditionEntries / conditionValues: the values a document compares its keys with', () => {
  const doc = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '192.0.2.0/24'] }, Bool: { 'aws:SecureTransport': true } } },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, StringEquals: { 'AWS:SOURCEIP': { Ref: 'Office' } } } },
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: null } },
    ],
  };

  test('every value on its own, with its key and operator as written and its statement\'s Effect; numbers and booleans as the parser reads them', () => {
    expect(conditionPairs(doc)).toEqual([
      ['aws:SourceIp', '198.51.100.0/24', 'IpAddress', 'Allow'],
      ['aws:SourceIp', '192.0.2.0/24', 'IpAddress', 'Allow'],
      ['aws:SecureTransport', 'true', 'Bool', 'Allow'],
      ['aws:MultiFactorAuthAge', '3600', 'NumericLessThan', 'Deny'],
      ['AWS:SOURCEIP', { Ref: 'Office' }, 'StringEquals', 'Deny'],
    ]);
  });
  test('a key in any case; the entries keep an unresolved value, the values only text', () => {
    const u = unknown('the office range');
    const withUnknown = { Statement: { Effect: 'Deny', Condition: { NotIpAddress: { 'aws:sourceip': u } } } };
    expect(conditionEntries(doc, 'aws:sourceip')).toEqual(['198.51.100.0/24', '192.0.2.0/24', { Ref: 'Office' }]);
    expect(conditionValues(doc, 'aws:sourceip')).toEqual(['198.51.100.0/24', '192.0.2.0/24']);
    expect(conditionEntries(withUnknown, 'aws:sourceip')).toEqual([u]);
    expect(conditionValues(withUnknown, 'aws:sourceip')).toEqual([]);
  });
  test('a single statement, a document as JSON text, and documents without statements', () => {
    expect(conditionValues(JSON.stringify(doc), 'aws:multifactorauthage')).toEqual(['3600']);
    expect(conditionValues({ Statement: { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } } }, 'aws:principalorgid')).toEqual(['o-abc']);
    for (const empty of [null, undefined, {}, { Statement: [] }, { Statement: [null, 'text'] }, { Statement: { Condition: { StringEquals: 'aws:SourceIp' } } }]) expect(conditionPairs(empty)).toEqual([]);
  });
  test('text that is no JSON throws, for the caller to name the document', () => {
    expect(() => conditionPairs('{"Statement": [')).toThrow(SyntaxError);
  });
});
