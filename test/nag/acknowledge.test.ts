import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BreachLessonsChecks } from '../../lib/nag/breach-lessons-checks';
import { acknowledgeLesson, DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS, LessonAcknowledgement } from '../../lib/nag/acknowledge';
import { evaluateScope } from '../../lib/nag/evaluate';
import { rulesNamed } from '../../lib/nag/rules';

const NOW = new Date('2026-06-01T12:00:00Z');
const VERSIONING = 'BreachLessons-S3BucketVersioning';
const CMK = 'BreachLessons-S3BucketCustomerManagedKey';
const ack = (extra: Partial<LessonAcknowledgement> = {}): LessonAcknowledgement => ({
  id: VERSIONING, reason: 'scratch bucket for build artifacts, rebuilt on every run', owner: 'platform-team', expires: '2026-12-31', ticket: 'SEC-42', ...extra,
});

/** A stack with one unversioned bucket encrypted with SSE-S3; `mark` acknowledges on it. */
function unversioned(mark: (bucket: s3.Bucket, stack: Stack) => void) {
  const app = new App();
  const stack = new Stack(app, 'S');
  const bucket = new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.S3_MANAGED });
  mark(bucket, stack);
  return app;
}
const findingFor = (app: App, ruleId: string, nonAcknowledgeable?: readonly never[]) =>
  evaluateScope(app, { now: NOW, rules: rulesNamed(ruleId.replace('BreachLessons-', '')), nonAcknowledgeable }).find((f) => f.ruleId === ruleId)!;

describe('acknowledgeLesson', () => {
  test('a valid acknowledgement makes the finding ACKNOWLEDGED with owner, expiry and ticket', () => {
    const f = findingFor(unversioned((b) => acknowledgeLesson(b, ack())), VERSIONING);
    expect(f.status).toBe('ACKNOWLEDGED');
    expect(f.acknowledgement).toEqual({ reason: ack().reason, owner: 'platform-team', expires: '2026-12-31', ticket: 'SEC-42', expired: false });
    expect(f.message).toMatch(/acknowledged by platform-team until 2026-12-31/);
  });

  test('an acknowledgement on the stack covers the resources below it', () => {
    expect(findingFor(unversioned((_b, s) => acknowledgeLesson(s, ack())), VERSIONING).status).toBe('ACKNOWLEDGED');
  });

  test('the acknowledged finding leaves no violation but stays in the findings', () => {
    const app = unversioned((b) => acknowledgeLesson(b, ack()));
    const pack = new BreachLessonsChecks(app, { now: NOW, rules: rulesNamed('S3BucketVersioning') });
    expect(pack.validateScope(app)).toEqual({ success: true, violations: [] });
    expect(pack.lastFindings.map((f) => f.status)).toEqual(['ACKNOWLEDGED']);
  });

  test('an expired acknowledgement fails again and says so', () => {
    const f = findingFor(unversioned((b) => acknowledgeLesson(b, ack({ expires: '2026-05-31' }))), VERSIONING);
    expect(f.status).toBe('FAIL');
    expect(f.acknowledgement?.expired).toBe(true);
    expect(f.message).toMatch(/acknowledgement by platform-team at S\/B expired on 2026-05-31/);
  });

  test('the expiry day itself still holds (UTC end of day)', () => {
    const f = findingFor(unversioned((b) => acknowledgeLesson(b, ack({ expires: '2026-06-01' }))), VERSIONING);
    expect(f.status).toBe('ACKNOWLEDGED');
  });

  test('a non-acknowledgeable control fails with a clear message', () => {
    expect(DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS).toEqual(['IAM-MFA', 'IAM-NOUSERS', 'DATA-CMK', 'DATA-PUBLIC', 'LOG-TRAIL']);
    const f = findingFor(unversioned((b) => acknowledgeLesson(b, ack({ id: CMK }))), CMK);
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/control DATA-CMK cannot be acknowledged: the acknowledgement by platform-team at S\/B is rejected/);
  });

  test('the non-acknowledgeable set is configurable', () => {
    const f = findingFor(unversioned((b) => acknowledgeLesson(b, ack({ id: CMK }))), CMK, []);
    expect(f.status).toBe('ACKNOWLEDGED');
  });

  test.each([
    ['BreachLessons-S3BucketVersioning'],
    ['BreachLessons::BreachLessons-S3BucketVersioning'],
  ])('a plain Validations.acknowledge (%s) is ungoverned: FAIL', (id) => {
    const f = findingFor(unversioned((b) => Validations.of(b).acknowledge({ id, reason: 'because we said so, really' })), VERSIONING);
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/plain acknowledgement at S\/B is ungoverned: use acknowledgeLesson/);
  });

  test('an acknowledgement does not touch a passing finding', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    const b = new s3.Bucket(s, 'B', { versioned: true, encryptionKey: new kms.Key(s, 'K') });
    acknowledgeLesson(b, ack());
    expect(findingFor(app, VERSIONING).status).toBe('PASS');
  });

  test.each<[Partial<LessonAcknowledgement>, RegExp]>([
    [{ reason: 'too short' }, /acknowledgement reason 'too short' .* at least 20 characters/],
    [{ owner: '  ' }, /acknowledgement owner '  ' .* must not be empty/],
    [{ expires: '2026-02-30' }, /acknowledgement expires '2026-02-30' .* not an ISO date YYYY-MM-DD/],
    [{ expires: '31/12/2026' }, /acknowledgement expires '31\/12\/2026'/],
    [{ id: 'BreachLessons-NoSuchRule' }, /acknowledgement id 'BreachLessons-NoSuchRule' is not a BreachLessons rule id/],
    [{ ticket: '' }, /acknowledgement ticket '' .* must not be empty/],
  ])('fails when %j', (bad, message) => {
    const app = new App();
    const b = new s3.Bucket(new Stack(app, 'S'), 'B');
    expect(() => acknowledgeLesson(b, ack(bad))).toThrow(message);
  });
});
