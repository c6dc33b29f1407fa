import {
  AWS_FSBP_V1, CIS_AWS_V4_0_1, CONTROLS, Citation, NIST_800_53_R5, NOTIFICATION_CLOCKS, REFERENCE_IDS, citationLabel,
  citationTag, control, frameworkTitle,
} from '../../lib/lessons';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';

/** Every citation of the catalogue whose framework has a list of real ids, with the id missing from it. */
function unknownIds(citations: readonly Citation[]): string[] {
  return citations.filter((c) => {
    const ref = REFERENCE_IDS[c.framework];
    return ref !== undefined && !ref.ids.has(c.section);
  }).map(citationTag);
}

describe('the lists of real framework ids', () => {
  test('every CIS, NIST and FSBP id a control cites is a real id of its framework and version', () => {
    const bad = CONTROLS.flatMap((c) => unknownIds(c.citations).map((t) => `${c.id} ${t}`));
    expect(bad).toEqual([]);
  });

  test('every id a rule cites is a real id', () => {
    const bad = BREACH_LESSONS_RULES.flatMap((r) => unknownIds(r.citations).map((t) => `${r.ruleName} ${t}`));
    expect(bad).toEqual([]);
  });

  test('the check catches an id that does not exist or belongs to another version', () => {
    // CIS v3.0.0 numbers EBS encryption 2.2.1 and the NACL admin-port item 5.1; v4.0.1 has neither number.
    expect(unknownIds([{ framework: 'cis-aws', section: '2.2.5' }, { framework: 'cis-aws', section: '5.1' }]))
      .toEqual(['cis-aws:2.2.5', 'cis-aws:5.1']);
    expect(unknownIds([{ framework: 'nist-800-53', section: 'AC-2(99)' }, { framework: 'nist-800-53', section: 'XX-1' }])).toHaveLength(2);
    expect(unknownIds([{ framework: 'glba', section: '314.4(z)' }])).toEqual([]); // no list: the syntax test covers it
  });

  test('the six Security Hub ids outside the FSBP standard are not FSBP and nothing cites them as such', () => {
    for (const id of ['IAM.9', 'IAM.19', 'IAM.22', 'KMS.4', 'EC2.13', 'S3.14']) {
      expect([id, AWS_FSBP_V1.ids.has(id)]).toEqual([id, false]);
    }
    const fsbp = CONTROLS.flatMap((c) => c.citations).filter((c) => c.framework === 'aws-fsbp').map((c) => c.section);
    expect(fsbp).not.toEqual(expect.arrayContaining(['IAM.9']));
    expect(fsbp.filter((s) => ['IAM.9', 'IAM.19', 'IAM.22', 'KMS.4', 'EC2.13', 'S3.14'].includes(s))).toEqual([]);
  });

  test('each list states its source and version, and CIS numbers name v4.0.1', () => {
    for (const ref of [CIS_AWS_V4_0_1, NIST_800_53_R5, AWS_FSBP_V1]) {
      expect(ref.source.length).toBeGreaterThan(10);
      expect(ref.version).toMatch(/\S/);
      expect(ref.ids.size).toBeGreaterThan(20);
    }
    expect(CIS_AWS_V4_0_1.version).toBe('v4.0.1');
    expect(frameworkTitle('cis-aws')).toContain('v4.0.1');
    expect(citationLabel({ framework: 'cis-aws', section: '5.1.1' })).toBe('CIS AWS Foundations Benchmark v4.0.1 5.1.1');
    // v4.0.1 spot checks: 1.15 is "permissions only through groups", 1.21 central user management, 5.7 IMDSv2.
    expect(['1.15', '1.21', '1.22', '5.1.1', '5.7', '4.16'].every((id) => CIS_AWS_V4_0_1.ids.has(id))).toBe(true);
    expect(['1.23', '5.8', '4.17', '2.2.5'].some((id) => CIS_AWS_V4_0_1.ids.has(id))).toBe(false);
    // NIST enhancements are written as SP 800-53 prints them.
    expect(NIST_800_53_R5.ids.has('AC-6(2)')).toBe(true);
    expect(NIST_800_53_R5.ids.has('ac-6.2')).toBe(false);
  });
});

describe('the corrected citations (issue 9)', () => {
  const tags = (id: Parameters<typeof control>[0]): string[] => control(id).citations.map(citationTag);

  test('IAM-NOUSERS cites CIS 1.11 and 1.21, not 1.15 (permissions through groups)', () => {
    expect(tags('IAM-NOUSERS')).toEqual(expect.arrayContaining(['cis-aws:1.11', 'cis-aws:1.21']));
    expect(tags('IAM-NOUSERS')).not.toContain('cis-aws:1.15');
  });

  test('NIST: IAM-ROOT AC-6(2) not AC-6(9); IAM-KEYS IA-5 and AC-2(3) not IA-5(1); IAM-SESSION AC-12 and IA-11 not AC-2(5)', () => {
    expect(tags('IAM-ROOT')).toContain('nist-800-53:AC-6(2)');
    expect(tags('IAM-ROOT')).not.toContain('nist-800-53:AC-6(9)');
    expect(tags('IAM-KEYS')).toEqual(expect.arrayContaining(['nist-800-53:IA-5', 'nist-800-53:AC-2(3)']));
    expect(tags('IAM-KEYS')).not.toContain('nist-800-53:IA-5(1)');
    expect(tags('IAM-SESSION')).toEqual(expect.arrayContaining(['nist-800-53:AC-12', 'nist-800-53:IA-11']));
    expect(tags('IAM-SESSION')).not.toContain('nist-800-53:AC-2(5)');
  });

  test('GLBA 314.4(d)(2) is not on GD-ENABLED; NYDFS 500.14(b) is not on NET-TIERS or EXF-EGRESS (segmentation is 500.7)', () => {
    expect(tags('GD-ENABLED')).not.toContain('glba:314.4(d)(2)');
    expect(tags('GD-ENABLED')).toContain('glba:314.4(c)(8)');
    for (const id of ['NET-TIERS', 'EXF-EGRESS'] as const) {
      expect(tags(id)).not.toContain('nydfs-500:500.14(b)');
      expect(tags(id)).toContain('nydfs-500:500.7');
    }
  });

  test('the Fannie Mae clock is 36 hours since 12 August 2025, from the Information Security and Business Resiliency Supplement', () => {
    const fannie = NOTIFICATION_CLOCKS.find((c) => c.id === 'fannie-mae')!;
    expect(fannie.hours).toBe(36);
    expect(fannie.effective).toBe('2025-08-12');
    expect(fannie.source).toContain('Information Security and Business Resiliency Supplement');
  });

  test('every notification clock carries its source and an ISO effective date', () => {
    for (const c of NOTIFICATION_CLOCKS) {
      expect([c.id, c.source.length > 10]).toEqual([c.id, true]);
      expect([c.id, /^\d{4}-\d{2}-\d{2}$/.test(c.effective) && !Number.isNaN(Date.parse(c.effective))]).toEqual([c.id, true]);
    }
  });
});
