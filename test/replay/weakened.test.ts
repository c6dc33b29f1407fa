import { RunReplayResult, STEPS } from '../../lib/replay';
import { replayTemplates } from './helpers';
import { WEAK_ACCOUNT, weakenedTemplate } from './weakened-app';

describe('replay of a deliberately weakened app', () => {
  let run: RunReplayResult;
  beforeAll(() => {
    run = replayTemplates({ Weak: weakenedTemplate() });
  });

  test.each(STEPS.map((s) => s.id))('reports %s OPEN where its path is open', (id) => {
    const step = run.result.steps.find((s) => s.id === id);
    expect(step?.verdict).toBe('OPEN');
    const open = step!.attempts.find((a) => a.verdict === 'OPEN')!;
    // The evidence names what was tried and what allowed it.
    expect(open.requests.length).toBeGreaterThan(0);
    expect(open.evidence).toMatch(/allowed/);
  });

  test('the account comes from --account for templates without a cloud assembly', () => {
    expect(run.result.account).toBe(WEAK_ACCOUNT);
  });

  test('no step is undecidable: every value of the weakened app resolves', () => {
    expect(run.result.counts.UNDECIDABLE).toBe(0);
  });
});

describe('persona context keys as AWS sends them', () => {
  let run: RunReplayResult;
  beforeAll(() => {
    run = replayTemplates({ Weak: weakenedTemplate() }, { steps: ['persistence-create-user'] });
  });
  const contextOf = (persona: string) => run.result.steps[0].attempts.find((a) => a.persona === persona)!.requests[0].context;

  test('a stolen access key carries no aws:MultiFactorAuthPresent at all', () => {
    expect(contextOf('stolen-access-key:weak-ops')).not.toHaveProperty('aws:MultiFactorAuthPresent');
  });
  test('a phished console session without MFA carries aws:MultiFactorAuthPresent = false', () => {
    expect(contextOf('phished-console:weak-ops')['aws:MultiFactorAuthPresent']).toBe('false');
  });
  test('an insider signed in with MFA carries true and a recent aws:MultiFactorAuthAge', () => {
    expect(contextOf('insider-mfa:weak-ops')).toMatchObject({ 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' });
  });
  test('a hijacked workload session carries no MFA key', () => {
    const hijacked = run.result.steps[0].attempts.find((a) => a.personaKind === 'hijacked-workload')!;
    expect(hijacked.requests[0].context).not.toHaveProperty('aws:MultiFactorAuthPresent');
  });
  test('a session chained through sts:AssumeRole from a role session carries no MFA', () => {
    const chained = run.result.personas.find((p) => p.id === 'chained-session:weak-human');
    expect(chained?.via).toMatch(/sts:AssumeRole weak-human/);
    const attempt = run.result.steps[0].attempts.find((a) => a.persona === 'chained-session:weak-human')!;
    expect(attempt.requests[0].context).not.toHaveProperty('aws:MultiFactorAuthPresent');
  });
  test('the outside account is another account, outside our organization', () => {
    const outside = run.result.steps[0].attempts.find((a) => a.persona === 'outside-account')!;
    expect(outside.requests[0].context['aws:ResourceAccount']).toBe(WEAK_ACCOUNT);
    expect(outside.verdict).toBe('DENIED');
  });
});

describe('the deny-unless-MFA statement against each credential', () => {
  const requireMfa = {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      Groups: [{ Ref: 'Ops' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyAllExceptListedIfNoMFA', Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }],
      },
    },
  };
  test('BoolIfExists denies the stolen key (key absent) and the phished console (false), not the MFA insider', () => {
    const run = replayTemplates({ Weak: weakenedTemplate({ RequireMfa: requireMfa }) }, { steps: ['evasion-stop-trail'] });
    const verdict = (p: string) => run.result.steps[0].attempts.find((a) => a.persona === p)!;
    expect(verdict('stolen-access-key:weak-ops').verdict).toBe('DENIED');
    expect(verdict('stolen-access-key:weak-ops').evidence).toMatch(/DenyAllExceptListedIfNoMFA/);
    expect(verdict('phished-console:weak-ops').verdict).toBe('DENIED');
    expect(verdict('insider-mfa:weak-ops').verdict).toBe('OPEN');
  });
  test('a Bool condition lets the stolen access key through (the key is absent), while it stops the phished console', () => {
    const bool = JSON.parse(JSON.stringify(requireMfa).replace('BoolIfExists', 'Bool'));
    const run = replayTemplates({ Weak: weakenedTemplate({ RequireMfa: bool }) }, { steps: ['evasion-stop-trail'] });
    const verdict = (p: string) => run.result.steps[0].attempts.find((a) => a.persona === p)!.verdict;
    expect(verdict('stolen-access-key:weak-ops')).toBe('OPEN');
    expect(verdict('phished-console:weak-ops')).toBe('DENIED');
  });
  test('MFA self-enrollment exempted by the deny stays OPEN to a stolen access key (issue 10 item 2)', () => {
    const run = replayTemplates({ Weak: weakenedTemplate({ RequireMfa: requireMfa }) }, { steps: ['persistence-enroll-mfa'] });
    const stolen = run.result.steps[0].attempts.find((a) => a.persona === 'stolen-access-key:weak-ops')!;
    expect(stolen.verdict).toBe('OPEN');
    expect(stolen.requests.map((r) => r.action)).toEqual(['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice']);
  });
});
