import { buildContext, ContextValue, evaluateCondition, evaluate, isUnknown, Match, parsePolicy, unknown } from '../../lib/policy';

const USER = 'arn:aws:iam::111122223333:user/alice';

/** Evaluates one condition block entry against a request carrying `context`. */
function check(operator: string, key: string, values: string | string[], context: Record<string, ContextValue> = {}): Match {
  const policy = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [operator]: { [key]: values } } }] }, 't');
  const ctx = buildContext({ principal: { arn: USER }, action: 's3:GetObject', resource: '*', context });
  return evaluateCondition(policy.statements[0].conditions[0], ctx);
}

describe('string operators', () => {
  test('StringEquals is case-sensitive; values are ORed', () => {
    expect(check('StringEquals', 'aws:RequestedRegion', ['eu-west-1', 'us-east-1'], { 'aws:RequestedRegion': 'us-east-1' })).toBe(true);
    expect(check('StringEquals', 'aws:RequestedRegion', 'US-EAST-1', { 'aws:RequestedRegion': 'us-east-1' })).toBe(false);
    expect(check('StringEquals', 'aws:RequestedRegion', 'us-east-1', {})).toBe(false);
  });
  test('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase', () => {
    expect(check('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'RED', { 'aws:PrincipalTag/team': 'red' })).toBe(true);
    expect(check('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'RED', { 'aws:PrincipalTag/team': 'red' })).toBe(false);
  });
  test('StringLike: * and ? wildcards', () => {
    expect(check('StringLike', 'aws:PrincipalTag/team', 'r?d*', { 'aws:PrincipalTag/team': 'redteam' })).toBe(true);
    expect(check('StringLike', 'aws:PrincipalTag/team', 'r?d', { 'aws:PrincipalTag/team': 'reed' })).toBe(false);
  });
  test('negated string operators match when the key is ABSENT (AWS rule) and when no value matches', () => {
    expect(check('StringNotEquals', 'aws:SourceVpce', 'vpce-1', {})).toBe(true);
    expect(check('StringNotLike', 'aws:SourceVpce', 'vpce-*', {})).toBe(true);
    expect(check('StringNotEquals', 'aws:SourceVpce', ['vpce-1', 'vpce-2'], { 'aws:SourceVpce': 'vpce-2' })).toBe(false);
    expect(check('StringNotEquals', 'aws:SourceVpce', ['vpce-1', 'vpce-2'], { 'aws:SourceVpce': 'vpce-3' })).toBe(true);
  });
  test('condition key names are case-insensitive', () => {
    expect(check('StringEquals', 'AWS:requestedregion', 'us-east-1', { 'aws:RequestedRegion': 'us-east-1' })).toBe(true);
  });
});

describe('numeric, date, bool, binary', () => {
  test('Numeric* compare numbers; a non-numeric value does not match', () => {
    expect(check('NumericLessThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '100' })).toBe(true);
    expect(check('NumericLessThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '3600' })).toBe(false);
    expect(check('NumericLessThanEquals', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '3600' })).toBe(true);
    expect(check('NumericGreaterThan', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '9.5' })).toBe(false);
    expect(check('NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '10' })).toBe(true);
    expect(check('NumericEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': 'ten' })).toBe(false);
    expect(check('NumericNotEquals', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '11' })).toBe(true);
    expect(check('NumericNotEquals', 'aws:MultiFactorAuthAge', '10', {})).toBe(true);
  });
  test('Date* accept ISO 8601 and epoch seconds', () => {
    expect(check('DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2026-12-02T00:00:00Z' })).toBe(true);
    expect(check('DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2026-12-02T00:00:00Z' })).toBe(false);
    expect(check('DateEquals', 'aws:EpochTime', '1577836800', { 'aws:EpochTime': '2020-01-01T00:00:00Z' })).toBe(true);
    expect(check('DateNotEquals', 'aws:CurrentTime', '2020-01-01T00:00:00Z', {})).toBe(true);
    expect(check('DateGreaterThanEquals', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': 'not a date' })).toBe(false);
    expect(check('DateLessThanEquals', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2020-01-01T00:00:00Z' })).toBe(true);
  });
  test('Bool: access keys carry NO aws:MultiFactorAuthPresent, so Bool false does not match and BoolIfExists false does', () => {
    expect(check('Bool', 'aws:MultiFactorAuthPresent', 'false', {})).toBe(false);
    expect(check('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', {})).toBe(true);
    expect(check('Bool', 'aws:MultiFactorAuthPresent', 'false', { 'aws:MultiFactorAuthPresent': false })).toBe(true);
    expect(check('Bool', 'aws:MultiFactorAuthPresent', 'true', { 'aws:MultiFactorAuthPresent': 'true' })).toBe(true);
    expect(check('Bool', 'aws:SecureTransport', 'TRUE', { 'aws:SecureTransport': 'true' })).toBe(true);
  });
  test('BinaryEquals compares the base64 value', () => {
    expect(check('BinaryEquals', 'aws:RequestTag/blob', 'QmluYXJ5', { 'aws:RequestTag/blob': 'QmluYXJ5' })).toBe(true);
    expect(check('BinaryEquals', 'aws:RequestTag/blob', 'QmluYXJ5', { 'aws:RequestTag/blob': 'QmluYXJ6' })).toBe(false);
  });
});

describe('IpAddress / NotIpAddress', () => {
  test('IPv4 and IPv6 CIDRs', () => {
    expect(check('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.200.3.4' })).toBe(true);
    expect(check('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '11.0.0.1' })).toBe(false);
    expect(check('IpAddress', 'aws:SourceIp', '203.0.113.7', { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
    expect(check('IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db8:ffff::1' })).toBe(true);
    expect(check('IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db9::1' })).toBe(false);
    expect(check('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '::ffff:10.0.0.1' })).toBe(false);
  });
  test('NotIpAddress: absent key matches; an address inside does not', () => {
    expect(check('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', {})).toBe(true);
    expect(check('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '2001:db8::/32'], { 'aws:SourceIp': '2001:db8::5' })).toBe(false);
    expect(check('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '192.0.2.1' })).toBe(true);
  });
});

describe('ARN operators', () => {
  test('ArnLike / ArnEquals: wildcards per field, the resource part spans colons', () => {
    expect(check('ArnLike', 'aws:SourceArn', 'arn:aws:events:*:111122223333:rule/*', { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/a' })).toBe(true);
    expect(check('ArnLike', 'aws:SourceArn', 'arn:aws:events:*:111122223333:rule/*', { 'aws:SourceArn': 'arn:aws:events:us-east-1:444455556666:rule/a' })).toBe(false);
    expect(check('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:111122223333:t', { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' })).toBe(true);
    expect(check('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*', { 'aws:SourceArn': 'not-an-arn' })).toBe(false);
  });
  test('ArnNotLike / ArnNotEquals: absent key matches', () => {
    expect(check('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/admin', { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/admin' })).toBe(false);
    expect(check('ArnNotEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:111122223333:t', {})).toBe(true);
  });
});

describe('Null, IfExists and set qualifiers', () => {
  test('Null: "true" matches an absent key, "false" a present one', () => {
    expect(check('Null', 'aws:SourceVpce', 'true', {})).toBe(true);
    expect(check('Null', 'aws:SourceVpce', 'false', {})).toBe(false);
    expect(check('Null', 'aws:SourceVpce', 'false', { 'aws:SourceVpce': 'vpce-1' })).toBe(true);
  });
  test('...IfExists: absent -> true, present -> the operator', () => {
    expect(check('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', {})).toBe(true);
    expect(check('StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-2' })).toBe(false);
    expect(check('NumericLessThanIfExists', 'aws:MultiFactorAuthAge', '10', { 'aws:MultiFactorAuthAge': '20' })).toBe(false);
    expect(check('IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', {})).toBe(true);
  });
  test('ForAllValues: vacuously true on an absent or empty key; every value must match', () => {
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], {})).toBe(true);
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': [] })).toBe(true);
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['env'] })).toBe(true);
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['env', 'owner'] })).toBe(false);
  });
  test('ForAnyValue: false on an absent or empty key, even with IfExists (observed on AWS)', () => {
    expect(check('ForAnyValue:StringEquals', 'aws:TagKeys', 'env', {})).toBe(false);
    expect(check('ForAnyValue:StringEquals', 'aws:TagKeys', 'env', { 'aws:TagKeys': [] })).toBe(false);
    expect(check('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'env', {})).toBe(false);
    expect(check('ForAnyValue:StringLike', 'aws:TagKeys', 'own*', { 'aws:TagKeys': ['env', 'owner'] })).toBe(true);
  });
  test('set qualifiers with negated operators', () => {
    expect(check('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': ['env', 'owner'] })).toBe(true);
    expect(check('ForAllValues:StringNotEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': ['env', 'owner'] })).toBe(false);
    expect(check('ForAllValues:StringNotEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': ['cost', 'owner'] })).toBe(true);
  });
  test('a multivalued context value under an operator without a set qualifier does not match', () => {
    expect(check('StringEquals', 'aws:TagKeys', 'env', { 'aws:TagKeys': ['env'] })).toBe(false);
    expect(check('StringNotEquals', 'aws:TagKeys', 'env', { 'aws:TagKeys': ['owner'] })).toBe(false);
  });
});

describe('variables in condition values', () => {
  test('${aws:username} resolves; an unresolvable variable fails in either polarity', () => {
    expect(check('StringEquals', 'aws:PrincipalTag/owner', '${aws:username}', { 'aws:PrincipalTag/owner': 'alice' })).toBe(true);
    expect(check('StringLike', 'aws:PrincipalTag/owner', '${aws:PrincipalTag/missing}*', { 'aws:PrincipalTag/owner': 'alice' })).toBe(false);
    expect(check('StringNotEquals', 'aws:PrincipalTag/owner', '${aws:PrincipalTag/missing}', { 'aws:PrincipalTag/owner': 'alice' })).toBe(false);
    expect(check('StringEquals', 'aws:PrincipalTag/owner', "${aws:PrincipalTag/missing, 'alice'}", { 'aws:PrincipalTag/owner': 'alice' })).toBe(true);
  });
});

describe('unknown values and malformed blocks are never a silent match or non-match', () => {
  test('an Unknown context value makes the condition Unknown', () => {
    const m = check('StringEquals', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': unknown('Ref VpceId') });
    expect(isUnknown(m)).toBe(true);
  });
  test('an unknown operator fails the parse with its name; evaluate answers Undecidable', () => {
    expect(() => check('StringEqualz', 'aws:SourceVpce', 'x')).toThrow(/unknown condition operator "StringEqualz"/);
    const r = evaluate({ principal: { arn: USER }, action: 's3:GetObject', resource: '*' },
      { identity: [{ name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForSomeValues:StringEquals': { k: 'v' } } }] } }] });
    expect(r.decision).toBe('Undecidable');
    expect(r.reason).toMatch(/forsomevalues|ForSomeValues/);
  });
  test('Null takes no IfExists', () => {
    expect(() => check('NullIfExists', 'aws:SourceVpce', 'true')).toThrow(/not valid/);
  });
});
