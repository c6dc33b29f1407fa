import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { control } from '../../lib/lessons';
import { acknowledgeLesson } from '../../lib/nag/acknowledge';
import { evaluateScope } from '../../lib/nag/evaluate';
import { rulesNamed } from '../../lib/nag/rules';
import { BreachLessonsRule, CannotVerify } from '../../lib/nag/types';

/**
 * What one rule's answer becomes in the evidence: the finding's status and message for each kind of
 * answer (compliant, a list of problems, non-compliant, not applicable, cannot verify, a crash), and
 * what an acknowledgement does to it in each source. The rule is KMSKeyRotation with its check
 * replaced, so the metadata (control, info, fix, citations) is a real rule's.
 */

const NOW = new Date('2026-06-01T12:00:00Z');
const base = rulesNamed('KMSKeyRotation')[0];
const answering = (answer: () => NagRuleResult, extra: Partial<BreachLessonsRule> = {}): BreachLessonsRule => ({ ...base, rule: answer, ...extra });

function findingsOf(rule: BreachLessonsRule, options: { source?: 'synth' | 'live' | 'template'; ack?: boolean } = {}) {
  const app = new App();
  const key = new kms.Key(new Stack(app, 'S'), 'K', { enableKeyRotation: true });
  if (options.ack) acknowledgeLesson(key, { id: base.id, reason: 'rotation handled by the HSM team every quarter', owner: 'crypto-team', expires: '2026-12-31', ticket: 'SEC-7' });
  return evaluateScope(app, { now: NOW, rules: [rule], source: options.source });
}

describe('a rule\'s answer, as a finding', () => {
  test('compliant, or an empty list of problems: PASS with the control\'s "holds" message, or the rule\'s own', () => {
    const holds = `${control(base.controlIds[0]).title}: holds`;
    for (const answer of [NagRuleCompliance.COMPLIANT, [] as string[]]) {
      const [f] = findingsOf(answering(() => answer, { passes: undefined }));
      expect([f.status, f.message]).toEqual(['PASS', holds]);
    }
    const [own] = findingsOf(answering(() => NagRuleCompliance.COMPLIANT, { passes: 'every key rotates yearly' }));
    expect(own.message).toBe('every key rotates yearly');
  });
  test('a list of problems: FAIL, the rule\'s info without its final period, then every problem', () => {
    const [f] = findingsOf(answering(() => ['first', 'second'], { info: 'Key rotation is off.' }));
    expect([f.status, f.message]).toEqual(['FAIL', 'Key rotation is off (first; second)']);
    const [dotted] = findingsOf(answering(() => ['first'], { info: 'Rotation (e.g. yearly) is off.' }));
    expect(dotted.message).toBe('Rotation (e.g. yearly) is off (first)');
    expect(f.remediation).toBe(base.fix);
    expect(f.citations).toEqual(base.citations);
  });
  test('non-compliant without detail: FAIL with the info alone; a period inside the text stays', () => {
    const [f] = findingsOf(answering(() => NagRuleCompliance.NON_COMPLIANT, { info: 'Rotation (e.g. yearly) is off.' }));
    expect([f.status, f.message]).toEqual(['FAIL', 'Rotation (e.g. yearly) is off']);
  });
  test('not applicable: no finding at all', () => {
    expect(findingsOf(answering(() => NagRuleCompliance.NOT_APPLICABLE))).toEqual([]);
  });
  test('cannot verify: ERROR with the reason, never compliant', () => {
    const [f] = findingsOf(answering(() => { throw new CannotVerify('cannot verify EnableKeyRotation: unresolved value'); }));
    expect([f.status, f.message]).toEqual(['ERROR', `${base.ruleName} could not be evaluated (cannot verify EnableKeyRotation: unresolved value); an unverifiable value is never compliant`]);
  });
  test('a crash, with an Error or anything else thrown: ERROR naming it', () => {
    const [e] = findingsOf(answering(() => { throw new TypeError('x is undefined'); }));
    expect(e.message).toBe(`${base.ruleName} could not be evaluated (rule failed: x is undefined); an unverifiable value is never compliant`);
    const [s] = findingsOf(answering(() => { throw 'a string'; })); // eslint-disable-line no-throw-literal
    expect([s.status, s.message]).toEqual(['ERROR', `${base.ruleName} could not be evaluated (rule failed: a string); an unverifiable value is never compliant`]);
  });
  test('the finding names the resource: construct path, logical id, template file and type', () => {
    const [f] = findingsOf(answering(() => NagRuleCompliance.COMPLIANT));
    expect(f.resource).toEqual({ id: 'S/K/Resource', constructPath: 'S/K/Resource', logicalId: expect.stringMatching(/^K[0-9A-F]{8}$/), template: 'S.template.json', type: 'AWS::KMS::Key' });
    expect(f.source).toBe('synth');
  });
});

describe('an acknowledgement, by source', () => {
  test('at synthesis and for templates it acknowledges a FAIL, with owner, expiry and ticket', () => {
    for (const source of ['synth', 'template'] as const) {
      const [f] = findingsOf(answering(() => ['off']), { source, ack: true });
      expect(f.status).toBe('ACKNOWLEDGED');
      expect(f.acknowledgement).toEqual({ reason: 'rotation handled by the HSM team every quarter', owner: 'crypto-team', expires: '2026-12-31', expired: false, ticket: 'SEC-7' });
      expect(f.message).toBe(`${base.info.replace(/\.$/, '')} (off); acknowledged by crypto-team until 2026-12-31: rotation handled by the HSM team every quarter`);
    }
  });
  test('a live finding is never acknowledged by a construct\'s metadata', () => {
    const [f] = findingsOf(answering(() => ['off']), { source: 'live', ack: true });
    expect(f.status).toBe('FAIL');
    expect(f.acknowledgement).toBeUndefined();
  });
  test('a PASS stays a PASS beside an acknowledgement; an ERROR is acknowledged like a FAIL', () => {
    expect(findingsOf(answering(() => NagRuleCompliance.COMPLIANT), { ack: true })[0].status).toBe('PASS');
    const [e] = findingsOf(answering(() => { throw new CannotVerify('unresolved'); }), { ack: true });
    expect(e.status).toBe('ACKNOWLEDGED');
    // The evidence still says the rule could not verify the resource: the acknowledgement covers the risk, it hides nothing.
    expect(e.message).toBe('KMSKeyRotation could not be evaluated (unresolved); an unverifiable value is never compliant; acknowledged by crypto-team until 2026-12-31: rotation handled by the HSM team every quarter');
  });
});
