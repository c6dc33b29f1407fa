import { loadPolicy } from '../../lib/policies';
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
  it('recognizes the repository\'s own require-mfa.json (its NotAction is the exemption list)', () => {
    const doc = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: '111122223333' });
    expect(enforcesMfa(doc)).toBe(true);
    expect(enforcesMfa(JSON.stringify(doc))).toBe(true);
  });
  it('rejects a NotAction that exempts more than MFA self-service: it would deny nothing, or leave data open, without MFA', () => {
    expect(enforcesMfa(deny({ NotAction: '*' }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: ['*'] }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: ['sts:GetSessionToken', 's3:*'] }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: ['iam:List*'] }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: [] }))).toBe(false);
    expect(enforcesMfa(deny({ NotAction: ['IAM:GetMFADevice', 'iam:ChangePassword'] }))).toBe(true);
  });
  it('rejects junk', () => {
    expect(enforcesMfa('not json')).toBe(false);
    expect(enforcesMfa(undefined)).toBe(false);
    expect(enforcesMfa({ Statement: 'x' })).toBe(false);
  });
});
