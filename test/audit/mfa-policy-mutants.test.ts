/** MFA-policy recognizer: what mutation testing (issue 14) found unpinned — an undecidable policy never counts. */
import { enforcesMfa } from '../../lib/audit/mfa-policy';

const deny = (over: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, ...over }] });

describe('enforcesMfa', () => {
  it('a deny over every resource of the aws partition, written as an ARN pattern, is recognized', () => {
    expect(enforcesMfa(deny({ Resource: 'arn:aws:*' }))).toBe(true);
    expect(enforcesMfa(deny({ Resource: 'arn:aws-cn:*' }))).toBe(false);
  });
  it('a deny narrowed to tagged principals does not count', () => {
    const cond = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'aws:PrincipalTag/team': 'ops' } };
    expect(enforcesMfa(deny({ Condition: cond }))).toBe(false);
  });
  it('a deny whose condition cannot be evaluated (unknown operator) does not count: undecided is not enforcing', () => {
    const cond = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEqualsSometimes: { 'aws:SourceVpc': 'vpc-1' } };
    expect(enforcesMfa(deny({ Condition: cond }))).toBe(false);
  });
  it('a deny limited to one region does not count', () => {
    const cond = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };
    expect(enforcesMfa(deny({ Condition: cond }))).toBe(false);
  });
});
