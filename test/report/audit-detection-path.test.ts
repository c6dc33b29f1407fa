/** `report --audit`: the detection-path live statuses (LOG-TRAIL, LOG-ALARMS, IR-ROUTING) reach the report. */
import { AUDIT_CHECKS, evaluateSnapshot, ok } from '../../lib/audit';
import { ControlId } from '../../lib/lessons';
import { Finding, finding } from '../../lib/findings';
import { buildReportModel } from '../../lib/report';
import { SETTINGS, goodSnapshot } from '../audit/support/snapshots';
import { homeRegion, otherRegion, trailDetail } from '../audit/support/logging-snapshots';

const DETECTION: ControlId[] = ['LOG-TRAIL', 'LOG-ALARMS', 'IR-ROUTING'];
const base = { title: 't', generatedAt: SETTINGS.now, toolVersion: '0.0.0', liveControls: new Set<ControlId>(AUDIT_CHECKS.map((c) => c.controlId)) };
const design = (controlId: ControlId): Finding => finding({
  ruleId: `BreachLessons-${controlId}`, controlId, source: 'synth', status: 'PASS', severity: 'error',
  resource: { id: 'S/Res', template: 'S.template.json', logicalId: 'Res' }, message: 'm',
});

function controls(live: Finding[]) {
  const m = buildReportModel({ ...base, findings: [...DETECTION.map(design), ...live] });
  return new Map(m.lessons.flatMap((l) => l.controls).filter((c) => DETECTION.includes(c.id)).map((c) => [c.id, c]));
}

describe('report --audit with the detection path', () => {
  it('a control whose live check FAILs is FAIL overall although design time passes', () => {
    const now = SETTINGS.now;
    const stopped = { ...goodSnapshot(), logging: [otherRegion('eu-west-1'), homeRegion(now, { trailDetails: [trailDetail(now, { status: ok({ isLogging: false }) })] })] };
    const c = controls(evaluateSnapshot(stopped, SETTINGS));
    expect([c.get('LOG-TRAIL')!.designStatus, c.get('LOG-TRAIL')!.liveStatus, c.get('LOG-TRAIL')!.status]).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(c.get('IR-ROUTING')!.status).toBe('PASS');
  });
  it('without the detection path collected, the live side is ERROR, never PASS', () => {
    const c = controls(evaluateSnapshot({ ...goodSnapshot(), logging: undefined }, SETTINGS));
    for (const id of DETECTION) expect([id, c.get(id)!.liveStatus, c.get(id)!.status]).toEqual([id, 'ERROR', 'ERROR']);
  });
  it('an untouched account: design and live PASS', () => {
    const c = controls(evaluateSnapshot(goodSnapshot(), SETTINGS));
    for (const id of DETECTION) expect([id, c.get(id)!.status]).toEqual([id, 'PASS']);
  });
});
