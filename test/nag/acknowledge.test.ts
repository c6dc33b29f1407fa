import { App, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BreachLessonsChecks } from '../../lib/nag/breach-lessons-checks';
import {
  ACKNOWLEDGEMENT_METADATA_KEY, DEFAULT_NON_ACKNOWLEDGEABLE_CONTROLS, LessonAcknowledgement, MIN_REASON_LENGTH, acknowledgeLesson, carriesNoAcknowledgement,
  findAcknowledgement, validateAcknowledgement,
} from '../../lib/nag/acknowledge';
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

/** The acknowledgement records themselves: each field at its limit, and how the pack finds a record or knows there is none. */
const bad = (extra: Record<string, unknown>) => () => validateAcknowledgement(ack(extra as Partial<LessonAcknowledgement>));

describe('validateAcknowledgement: each field at its limit', () => {
  test('a reason of exactly 20 characters is enough; 19, or 19 padded with blanks, is not; a reason must be text', () => {
    expect(MIN_REASON_LENGTH).toBe(20);
    expect(() => validateAcknowledgement(ack({ reason: 'x'.repeat(20) }))).not.toThrow();
    expect(bad({ reason: 'x'.repeat(19) })).toThrow(`acknowledgement reason '${'x'.repeat(19)}' for ${VERSIONING} is too short: at least 20 characters`);
    expect(bad({ reason: `  ${'x'.repeat(19)}  ` })).toThrow('is too short');
    expect(bad({ reason: 1234567890 })).toThrow("acknowledgement reason '1234567890'");
  });
  test('an owner must be text that is not blank', () => {
    expect(bad({ owner: '' })).toThrow(`acknowledgement owner '' for ${VERSIONING} must not be empty`);
    expect(bad({ owner: undefined })).toThrow("acknowledgement owner 'undefined'");
  });
  test('expires must be exactly a calendar date YYYY-MM-DD, as text', () => {
    for (const e of ['x2026-12-31', '2026-12-31x', '2026-12-31T00:00:00Z', 20261231]) {
      expect(bad({ expires: e })).toThrow(`acknowledgement expires '${e}' for ${VERSIONING} is not an ISO date YYYY-MM-DD`);
    }
  });
  test('a ticket, when given, must be text that is not blank', () => {
    expect(() => validateAcknowledgement(ack({ ticket: 'SEC-1' }))).not.toThrow();
    expect(bad({ ticket: '   ' })).toThrow(`acknowledgement ticket '   ' for ${VERSIONING} must not be empty when given`);
    expect(bad({ ticket: 42 })).toThrow("acknowledgement ticket '42'");
  });
  test('without a ticket the record holds none', () => {
    const c = new Construct(new App(), 'C');
    acknowledgeLesson(c, ack({ ticket: undefined }));
    const rec = c.node.metadata.find((m) => m.type === ACKNOWLEDGEMENT_METADATA_KEY)!;
    expect(rec.data).toEqual({ id: VERSIONING, reason: ack().reason, owner: 'platform-team', expires: '2026-12-31' });
    expect('ticket' in rec.data).toBe(false);
  });
});

describe('carriesNoAcknowledgement and findAcknowledgement', () => {
  const rules = new Set([VERSIONING]);
  const tree = () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const parent = new Construct(stack, 'P');
    return { app, stack, parent, child: new Construct(parent, 'C') };
  };
  test('no construct, or a tree without records of the rules asked about (other metadata, other rules, a record without an id)', () => {
    expect(carriesNoAcknowledgement(undefined, new Map(), rules)).toBe(true);
    const { parent, child, stack } = tree();
    parent.node.addMetadata('aws:cdk:info', 'x');
    acknowledgeLesson(stack, ack({ id: CMK }));
    Validations.of(parent).acknowledge({ id: CMK, reason: 'another rule, plainly' });
    parent.node.addMetadata(ACKNOWLEDGEMENT_METADATA_KEY, { reason: 'no id' });
    expect(carriesNoAcknowledgement(child, new Map(), rules)).toBe(true);
    expect(findAcknowledgement(child, VERSIONING)).toBeUndefined();
  });
  test('a governed record on a scope above: found there, for its rule only', () => {
    const { parent, child } = tree();
    acknowledgeLesson(parent, ack());
    expect(carriesNoAcknowledgement(child, new Map(), rules)).toBe(false);
    expect(findAcknowledgement(child, VERSIONING)).toEqual({ kind: 'governed', at: 'S/P', ack: ack() });
    expect(findAcknowledgement(child, CMK)).toBeUndefined();
  });
  test('a governed record alone (without the plain one acknowledgeLesson writes beside it) counts for its own rule only', () => {
    const withRecord = (data: unknown) => { const { parent, child } = tree(); parent.node.addMetadata(ACKNOWLEDGEMENT_METADATA_KEY, data); return child; };
    expect(carriesNoAcknowledgement(withRecord(ack()), new Map(), rules)).toBe(false);
    for (const data of [ack({ id: CMK }), { ...ack(), id: 7 }, { reason: 'no id at all' }]) {
      expect([data, carriesNoAcknowledgement(withRecord(data), new Map(), rules)]).toEqual([data, true]);
    }
  });
  test('a plain CDK acknowledgement, bare or under each prefix the pack reads, is found (ungoverned)', () => {
    for (const key of [VERSIONING, `BreachLessons::${VERSIONING}`, `Annotation::${VERSIONING}`, `annotation::${VERSIONING}`]) {
      const { parent, child } = tree();
      parent.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [key]: 'accepted for the pilot' });
      expect([key, carriesNoAcknowledgement(child, new Map(), rules)]).toEqual([key, false]);
      expect(findAcknowledgement(child, VERSIONING)).toEqual({ kind: 'ungoverned', at: 'S/P', reason: 'accepted for the pilot' });
    }
  });
  test('the answer is kept per construct: a scope asked once is not scanned again', () => {
    const { parent, child } = tree();
    const cache = new Map();
    expect(carriesNoAcknowledgement(child, cache, rules)).toBe(true);
    expect([cache.get(child), cache.get(parent)]).toEqual([true, true]);
    // what the cache says stands (a record added later is not seen: one cache per validation)
    acknowledgeLesson(parent, ack());
    expect(carriesNoAcknowledgement(child, cache, rules)).toBe(true);
    cache.set(child, false);
    expect(carriesNoAcknowledgement(child, cache, rules)).toBe(false);
  });
});
