import { App, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ACKNOWLEDGEMENT_METADATA_KEY, LessonAcknowledgement, MIN_REASON_LENGTH, acknowledgeLesson, carriesNoAcknowledgement, findAcknowledgement, validateAcknowledgement,
} from '../../lib/nag/acknowledge';

/**
 * The acknowledgement records themselves: each field's limits as acknowledgeLesson enforces them, and how
 * the pack finds a record (governed or plain, on the resource or a scope above it) or knows there is none.
 */
const VERSIONING = 'BreachLessons-S3BucketVersioning';
const CMK = 'BreachLessons-S3BucketCustomerManagedKey';
const ack = (extra: Partial<LessonAcknowledgement> = {}): LessonAcknowledgement => ({
  id: VERSIONING, reason: 'scratch bucket for build artifacts', owner: 'platform-team', expires: '2026-12-31', ...extra,
});
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
    acknowledgeLesson(c, ack());
    const rec = c.node.metadata.find((m) => m.type === ACKNOWLEDGEMENT_METADATA_KEY)!;
    expect(rec.data).toEqual({ id: VERSIONING, reason: 'scratch bucket for build artifacts', owner: 'platform-team', expires: '2026-12-31' });
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
