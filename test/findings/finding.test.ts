import { Finding, exitCodeFor, finding, fingerprint, isExpired, reachesThreshold, sortFindings, countByStatus } from '../../lib/findings';

const base = { ruleId: 'BreachLessons-Example', controlId: 'DATA-CMK' as const, source: 'synth' as const, severity: 'error' as const, resource: { id: 'Stack/Bucket' }, message: 'm' };
const f = (over: Partial<Finding> = {}): Finding => ({ ...finding({ ...base, status: 'PASS' }), ...over });

describe('finding()', () => {
  test('fills the lesson and citations from the catalogue', () => {
    const x = finding({ ...base, status: 'FAIL' });
    expect(x.lessonId).toBe('L5');
    expect(x.citations).toContainEqual({ framework: 'glba', section: '314.4(c)(3)' });
  });

  test('refuses ACKNOWLEDGED without an acknowledgement', () => {
    expect(() => finding({ ...base, status: 'ACKNOWLEDGED' })).toThrow(/ACKNOWLEDGED without an acknowledgement/);
  });
});

describe('exitCodeFor', () => {
  test.each([
    ['only passes', [f()], 'error', 0],
    ['an error-level failure', [f({ status: 'FAIL' })], 'error', 1],
    ['a warning-level failure under --fail-on error', [f({ status: 'FAIL', severity: 'warning' })], 'error', 0],
    ['a warning-level failure under --fail-on warning', [f({ status: 'FAIL', severity: 'warning' })], 'warning', 1],
    ['a failure under --fail-on never', [f({ status: 'FAIL' })], 'never', 0],
    ['an ERROR, even with --fail-on never', [f({ status: 'ERROR' })], 'never', 3],
    ['an ERROR beside a failure', [f({ status: 'FAIL' }), f({ status: 'ERROR' })], 'error', 3],
    ['an acknowledged finding', [f({ status: 'ACKNOWLEDGED' })], 'warning', 0],
  ] as const)('%s', (_n, findings, failOn, code) => {
    expect(exitCodeFor(findings, failOn)).toBe(code);
  });

  test('reachesThreshold ignores everything but FAIL', () => {
    expect(reachesThreshold(f({ status: 'ERROR' }), 'warning')).toBe(false);
  });
});

describe('fingerprint', () => {
  test('is stable for rule + resource and differs otherwise', () => {
    expect(fingerprint(f())).toBe(fingerprint(f({ message: 'other' })));
    expect(fingerprint(f())).not.toBe(fingerprint(f({ resource: { id: 'Stack/Other' } })));
    expect(fingerprint(f())).not.toBe(fingerprint(f({ ruleId: 'BreachLessons-Other' })));
    expect(fingerprint(f())).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('isExpired', () => {
  test('an acknowledgement lapses after the end of its expiry day (UTC)', () => {
    expect(isExpired('2026-01-31', new Date('2026-01-31T23:00:00Z'))).toBe(false);
    expect(isExpired('2026-01-31', new Date('2026-02-01T00:00:01Z'))).toBe(true);
  });
  test('an unreadable date counts as expired', () => {
    expect(isExpired('soon', new Date())).toBe(true);
  });
});

test('sortFindings puts the worst first and countByStatus counts each status', () => {
  const list = [f(), f({ status: 'ACKNOWLEDGED' }), f({ status: 'FAIL' }), f({ status: 'ERROR' })];
  expect(sortFindings(list).map((x) => x.status)).toEqual(['ERROR', 'FAIL', 'ACKNOWLEDGED', 'PASS']);
  expect(countByStatus(list)).toEqual({ PASS: 1, FAIL: 1, ERROR: 1, ACKNOWLEDGED: 1 });
});
