import { enforcesMfa } from '../../lib/audit';

const deny = (over: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, ...over }] });

describe('enforcesMfa (recognized by what the policy says)', () => {
  it('recognizes the canonical deny-unless-MFA statement, as object or JSON string', () => {
    expect(enforcesMfa(deny({}))).toBe(true);
    expect(enforcesMfa(JSON.stringify(deny({})))).toBe(true);
    expect(enforcesMfa(deny({ NotAction: undefined, Action: '*' }))).toBe(true);
    expect(enforcesMfa(deny({ Condition: { BoolIfExists: { 'AWS:MultiFactorAuthPresent': ['false'] } } }))).toBe(true);
    expect(enforcesMfa(deny({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': false } } }))).toBe(true);
  });
  it('rejects Bool (access keys walk past it), Allow, narrow actions and narrow resources', () => {
    expect(enforcesMfa(deny({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }))).toBe(false);
    expect(enforcesMfa(deny({ Effect: 'Allow' }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: undefined, Action: 's3:*' }))).toBe(false);
    expect(enforcesMfa(deny({ Resource: 'arn:aws:s3:::bucket/*' }))).toBe(false);
    expect(enforcesMfa(deny({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } }))).toBe(false);
  });
  it('rejects junk', () => {
    expect(enforcesMfa('not json')).toBe(false);
    expect(enforcesMfa(undefined)).toBe(false);
    expect(enforcesMfa({ Statement: 'x' })).toBe(false);
  });
});
