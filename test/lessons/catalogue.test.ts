import { ATTACK_VERSION, CITATION_SYNTAX, CONTROLS, FRAMEWORKS, LESSONS, NOTIFICATION_CLOCKS, citationLabel, control, lessonOf } from '../../lib/lessons';

/** The lessons and control ids exactly as ../shared/LESSONS.md gives them. */
const EXPECTED: Record<string, string[]> = {
  L1: ['IAM-MFA', 'IAM-NOUSERS', 'IAM-PASSWORD', 'IAM-ROOT'],
  L2: ['IAM-LEASTPRIV', 'IAM-KEYS', 'EC2-IMDSV2', 'IAM-SESSION'],
  L3: ['GD-ENABLED', 'GD-TRIAGE', 'GD-CENTRAL'],
  L4: ['NET-TIERS', 'NET-INGRESS', 'NET-DEFAULTSG', 'NET-NOADMINPORTS', 'NET-ENDPOINTS'],
  L5: ['DATA-CMK', 'DATA-ROTATION', 'DATA-TLS', 'DATA-PUBLIC', 'DATA-KEYPOLICY'],
  L6: ['EXF-EGRESS', 'EXF-ENDPOINTPOLICY', 'EXF-DATAEVENTS'],
  L7: ['LOG-TRAIL', 'LOG-ARCHIVE', 'LOG-FLOW', 'LOG-RETENTION', 'LOG-ALARMS', 'LOG-TAMPER'],
  L8: ['BAK-VAULTLOCK', 'BAK-RETAIN'],
  L9: ['IR-ROUTING', 'IR-CLOCKS'],
  L10: ['DISPOSAL'],
};

describe('the lesson catalogue', () => {
  test('holds lessons L1-L10 with exactly their controls', () => {
    expect(Object.fromEntries(LESSONS.map((l) => [l.id, l.controls.map((c) => c.id)]))).toEqual(EXPECTED);
  });

  test('control ids are unique and each knows its lesson', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of LESSONS) for (const c of l.controls) expect(c.lessonId).toBe(l.id);
  });

  test('every control cites at least one regulation, and every citation is well formed', () => {
    for (const c of CONTROLS) {
      expect([c.id, c.citations.length > 0]).toEqual([c.id, true]);
      for (const cit of c.citations) {
        expect(FRAMEWORKS).toContain(cit.framework);
        expect([c.id, cit.section, CITATION_SYNTAX[cit.framework].test(cit.section)]).toEqual([c.id, cit.section, true]);
      }
      const tags = c.citations.map((x) => `${x.framework}:${x.section}`);
      expect(new Set(tags).size).toBe(tags.length);
    }
  });

  test('the citation syntax rejects malformed sections', () => {
    expect(CITATION_SYNTAX.glba.test('314.4(c)(5)')).toBe(true);
    expect(CITATION_SYNTAX.glba.test('314.4c5')).toBe(false);
    expect(CITATION_SYNTAX['nydfs-500'].test('500.17(a)')).toBe(true);
    expect(CITATION_SYNTAX['nydfs-500'].test('500.17a')).toBe(false);
    expect(CITATION_SYNTAX['nist-800-53'].test('IA-2(1)')).toBe(true);
    expect(CITATION_SYNTAX['nist-800-53'].test('ia-2')).toBe(false);
    expect(CITATION_SYNTAX['cis-aws'].test('4.15')).toBe(true);
    expect(CITATION_SYNTAX['cis-aws'].test('4')).toBe(false);
  });

  test('the MFA control cites GLBA 314.4(c)(5), NYDFS 500.12 and NIST IA-2(1)', () => {
    const labels = control('IAM-MFA').citations.map(citationLabel);
    expect(labels).toEqual(expect.arrayContaining([
      'FTC GLBA Safeguards Rule, 16 CFR 314.4(c)(5)', 'NYDFS 23 NYCRR 500.12', 'NIST SP 800-53 r5 IA-2(1)']));
  });

  test('LOG-ALARMS cites CIS 4.1 through 4.15', () => {
    const cis = control('LOG-ALARMS').citations.filter((c) => c.framework === 'cis-aws').map((c) => c.section);
    expect(cis).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
  });

  test('ATT&CK technique ids are well formed and the version is pinned', () => {
    expect(ATTACK_VERSION).toMatch(/^ATT&CK Enterprise v\d+$/);
    for (const l of LESSONS) for (const t of l.attack) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(LESSONS.find((l) => l.id === 'L1')!.attack).toEqual(['T1566', 'T1656', 'T1598']);
  });

  test('lookups resolve ids and refuse unknown ones', () => {
    expect(lessonOf('DATA-CMK').id).toBe('L5');
    expect(lessonOf('L7').id).toBe('L7');
    expect(() => control('NOPE' as never)).toThrow(/unknown control id 'NOPE'/);
  });

  test('the notification clocks carry the regulatory deadlines', () => {
    const hours = Object.fromEntries(NOTIFICATION_CLOCKS.map((c) => [c.id, c.hours]));
    expect(hours).toMatchObject({ 'nydfs-500.17a': 72, 'nydfs-500.17c-notice': 24, 'ftc-safeguards': 720, 'ginnie-mae': 48, 'fannie-mae': 36 });
  });
});
