import { Finding, finding } from '../../lib/findings';
import { CONTROLS } from '../../lib/lessons';
import { applyExpiry, buildReport, buildReportModel, rollup } from '../../lib/report';

const NOW = new Date('2026-06-01T00:00:00Z');
const base = { title: 't', generatedAt: NOW, toolVersion: '0.0.0' };

function f(over: Partial<Finding> & Pick<Finding, 'controlId' | 'status'>): Finding {
  return finding({
    ruleId: over.ruleId ?? `BreachLessons-${over.controlId}`,
    controlId: over.controlId,
    source: over.source ?? 'synth',
    status: over.status,
    severity: over.severity ?? 'error',
    resource: over.resource ?? { id: 'S/Res', template: 'S.template.json', logicalId: 'Res' },
    message: over.message ?? 'm',
    ...(over.acknowledgement ? { acknowledgement: over.acknowledgement } : {}),
  });
}

const ack = (expires: string) => ({ reason: 'accepted for a reason', owner: 'owner@example.com', expires, expired: false });

describe('report model', () => {
  it('lists every control of the catalogue, unevaluated ones as NO_EVIDENCE and never PASS', () => {
    const m = buildReportModel({ ...base, findings: [f({ controlId: 'DATA-CMK', status: 'PASS' })], liveControls: new Set() });
    const controls = m.lessons.flatMap((l) => l.controls);
    expect(controls).toHaveLength(CONTROLS.length);
    expect(controls.find((c) => c.id === 'DATA-CMK')!.status).toBe('PASS');
    expect(controls.filter((c) => c.id !== 'DATA-CMK').every((c) => c.status === 'NO_EVIDENCE')).toBe(true);
    expect(m.summary.controls.PASS).toBe(1);
    expect(m.summary.controls.NO_EVIDENCE).toBe(CONTROLS.length - 1);
  });

  it('a design-time pass is not a pass while the control\'s live check produced no evidence', () => {
    const m = buildReportModel({ ...base, findings: [f({ controlId: 'IAM-MFA', status: 'PASS' })], liveControls: new Set(['IAM-MFA']) });
    const mfa = m.lessons.flatMap((l) => l.controls).find((c) => c.id === 'IAM-MFA')!;
    expect([mfa.designStatus, mfa.liveStatus, mfa.status]).toEqual(['PASS', 'NO_EVIDENCE', 'NO_EVIDENCE']);
    const live = buildReportModel({ ...base, findings: [f({ controlId: 'IAM-MFA', status: 'PASS' }), f({ controlId: 'IAM-MFA', status: 'PASS', source: 'live' })], liveControls: new Set(['IAM-MFA']) });
    expect(live.lessons.flatMap((l) => l.controls).find((c) => c.id === 'IAM-MFA')!.status).toBe('PASS');
  });

  it('rolls statuses up worst first: FAIL, ERROR, ACKNOWLEDGED, PASS', () => {
    expect(rollup(['PASS', 'ACKNOWLEDGED'])).toBe('ACKNOWLEDGED');
    expect(rollup(['PASS', 'ERROR', 'ACKNOWLEDGED'])).toBe('ERROR');
    expect(rollup(['ERROR', 'FAIL', 'PASS'])).toBe('FAIL');
    expect(rollup([])).toBe('NO_EVIDENCE');
  });

  it('keeps design-time and live status apart and combines them', () => {
    const m = buildReportModel({ ...base, findings: [
      f({ controlId: 'EC2-IMDSV2', status: 'PASS' }),
      f({ controlId: 'EC2-IMDSV2', status: 'ERROR', source: 'live', resource: { id: 'i-1', account: '1', region: 'r' } }),
    ] });
    const c = m.lessons.flatMap((l) => l.controls).find((x) => x.id === 'EC2-IMDSV2')!;
    expect([c.designStatus, c.liveStatus, c.status]).toEqual(['PASS', 'ERROR', 'ERROR']);
    expect(c.resources.map((r) => r.source)).toEqual(['live', 'synth']);
  });

  it('fails an acknowledgement that has expired by report time, and keeps it visible', () => {
    const m = buildReportModel({ ...base, findings: [
      f({ controlId: 'BAK-RETAIN', status: 'ACKNOWLEDGED', acknowledgement: ack('2026-05-31') }),
      f({ controlId: 'LOG-FLOW', status: 'ACKNOWLEDGED', acknowledgement: ack('2026-06-01') }),
    ] });
    const controls = m.lessons.flatMap((l) => l.controls);
    const bak = controls.find((c) => c.id === 'BAK-RETAIN')!;
    expect(bak.status).toBe('FAIL');
    expect(bak.resources[0].rules[0].message).toBe('m [acknowledgement expired on 2026-05-31: FAIL again]');
    expect(bak.acknowledgements).toEqual([expect.objectContaining({ expired: true, owner: 'owner@example.com', expires: '2026-05-31' })]);
    expect(controls.find((c) => c.id === 'LOG-FLOW')!.status).toBe('ACKNOWLEDGED');
    expect(m.summary.acknowledgements).toEqual({ active: 1, expired: 1 });
  });

  it('applyExpiry leaves a current acknowledgement alone', () => {
    const x = f({ controlId: 'LOG-FLOW', status: 'ACKNOWLEDGED', acknowledgement: ack('2099-01-01') });
    expect(applyExpiry(x, NOW)).toBe(x);
  });

  it('marks controls no rule checks as NO_CHECK when the rule list is known', () => {
    const m = buildReportModel({ ...base, findings: [], designControls: new Set(['DATA-CMK'] as const) });
    const controls = m.lessons.flatMap((l) => l.controls);
    expect(controls.find((c) => c.id === 'DATA-CMK')!.designStatus).toBe('NO_EVIDENCE');
    expect(controls.find((c) => c.id === 'GD-TRIAGE')!.designStatus).toBe('NO_CHECK');
    expect(controls.find((c) => c.id === 'GD-TRIAGE')!.status).toBe('NO_EVIDENCE');
  });

  it('a lesson with a passing control and an unevaluated one is NO_EVIDENCE, not PASS', () => {
    const m = buildReportModel({ ...base, findings: [f({ controlId: 'DATA-CMK', status: 'PASS' })] });
    expect(m.lessons.find((l) => l.id === 'L5')!.status).toBe('NO_EVIDENCE');
    const failing = buildReportModel({ ...base, findings: [f({ controlId: 'DATA-CMK', status: 'FAIL' })] });
    expect(failing.lessons.find((l) => l.id === 'L5')!.status).toBe('FAIL');
  });

  it('filters by lesson and by framework, showing only that framework\'s citations', () => {
    const m = buildReportModel({ ...base, findings: [], filters: { lessons: ['L1'], frameworks: ['nydfs-500'] } });
    expect(m.lessons.map((l) => l.id)).toEqual(['L1']);
    const cites = m.lessons[0].controls.flatMap((c) => c.citations);
    expect(cites.length).toBeGreaterThan(0);
    expect(cites.every((c) => c.framework === 'nydfs-500')).toBe(true);
    const fsbp = buildReportModel({ ...base, findings: [], filters: { frameworks: ['aws-fsbp'] } });
    expect(fsbp.lessons.flatMap((l) => l.controls).map((c) => c.id)).not.toContain('IR-CLOCKS');
  });

  it('filters controls by overall status and lists only findings of that status', () => {
    const findings = [
      f({ controlId: 'DATA-CMK', status: 'FAIL', resource: { id: 'a' } }),
      f({ controlId: 'DATA-CMK', status: 'PASS', resource: { id: 'b' } }),
      f({ controlId: 'LOG-FLOW', status: 'PASS' }),
    ];
    const { model, findings: shown } = buildReport({ ...base, findings, filters: { statuses: ['FAIL'] } });
    expect(model.lessons.flatMap((l) => l.controls).map((c) => c.id)).toEqual(['DATA-CMK']);
    expect(model.lessons[0].controls[0].resources.map((r) => r.resource.id)).toEqual(['a']);
    expect(shown.map((x) => x.resource.id)).toEqual(['a']);
    expect(model.summary.findings).toEqual({ PASS: 1, FAIL: 1, ERROR: 0, ACKNOWLEDGED: 0 });
    const none = buildReportModel({ ...base, findings, filters: { statuses: ['NO_EVIDENCE'] } });
    expect(none.lessons.flatMap((l) => l.controls).every((c) => c.status === 'NO_EVIDENCE')).toBe(true);
  });

  it('groups a resource\'s rule results under one entry with the worst status', () => {
    const r = { id: 'S/B', template: 'S.template.json', logicalId: 'B' };
    const m = buildReportModel({ ...base, findings: [
      f({ controlId: 'DATA-CMK', status: 'PASS', ruleId: 'BreachLessons-A', resource: r }),
      f({ controlId: 'DATA-CMK', status: 'FAIL', ruleId: 'BreachLessons-B', resource: r }),
    ] });
    const c = m.lessons.flatMap((l) => l.controls).find((x) => x.id === 'DATA-CMK')!;
    expect(c.resources).toHaveLength(1);
    expect(c.resources[0].status).toBe('FAIL');
    expect(c.resources[0].rules.map((x) => x.ruleId)).toEqual(['BreachLessons-B', 'BreachLessons-A']);
  });

  it('carries the notification clocks', () => {
    const m = buildReportModel({ ...base, findings: [] });
    const hours = Object.fromEntries(m.notificationClocks.map((c) => [c.id, c.hours]));
    expect(hours['nydfs-500.17a']).toBe(72);
    expect(hours['nydfs-500.17c-notice']).toBe(24);
    expect(hours['ftc-safeguards']).toBe(720);
    expect(hours['ginnie-mae']).toBe(48);
  });

  it('answers per regulation citation with the worst status of the controls citing it', () => {
    const m = buildReportModel({ ...base, findings: [
      f({ controlId: 'DATA-CMK', status: 'FAIL' }),
      f({ controlId: 'DATA-TLS', status: 'PASS' }),
      f({ controlId: 'DATA-ROTATION', status: 'PASS' }),
    ] });
    const nydfs = m.regulations.find((r) => r.framework === 'nydfs-500')!;
    expect(nydfs.title).toBe('NYDFS 23 NYCRR');
    const s15 = nydfs.citations.find((c) => c.section === '500.15')!;
    expect(s15.controls.map((c) => c.id)).toEqual(['DATA-CMK', 'DATA-ROTATION', 'DATA-TLS']);
    expect(s15.status).toBe('FAIL');
    // 500.12 (MFA) has no evidence: never a pass.
    expect(nydfs.citations.find((c) => c.section === '500.12')!.status).toBe('NO_EVIDENCE');
    expect(nydfs.status).toBe('FAIL');
    // Sections in natural order: 500.6 before 500.12.
    const sections = nydfs.citations.map((c) => c.section);
    expect(sections.indexOf('500.6')).toBeLessThan(sections.indexOf('500.12'));
    const tls = buildReportModel({ ...base, findings: [f({ controlId: 'DATA-TLS', status: 'PASS' })], filters: { frameworks: ['aws-fsbp'] }, liveControls: new Set() });
    expect(tls.regulations.map((r) => r.framework)).toEqual(['aws-fsbp']);
    expect(tls.regulations[0].citations.find((c) => c.section === 'S3.5')!.status).toBe('PASS');
  });
});
