import { addressesInside, conditionEntries, conditionPairs, conditionValues, madeByService, unknown } from '../../lib/policy';

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

describe('addressesInside: where a caller on a host behind a named range calls from', () => {
  test('one internet address inside each range, in order; none for text that is no range', () => {
    expect(addressesInside(['198.51.100.0/24', 'office', '2001:db8:1::/48', '203.0.113.0/24', '192.0.2.128/25'])).toEqual(['198.51.100.7', '2001:db8:1:0:0:0:0:7', '203.0.113.7', '192.0.2.135']);
  });
  test('none inside ranges AWS never sends as aws:SourceIp: private, shared, loopback, link-local (and a range wider than a private one whose first host is private)', () => {
    expect(addressesInside(['10.0.0.0/8', '172.16.0.0/12', '192.168.1.0/24', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fd00::/8', 'fe80::/10', '::1/128', '10.0.0.0/7', '11.0.0.0/7'])).toEqual([]);
    expect(addressesInside(['172.32.0.0/16', '100.128.0.0/16', '192.169.0.0/16'])).toEqual(['172.32.0.7', '100.128.0.7', '192.169.0.7']);
  });
});
