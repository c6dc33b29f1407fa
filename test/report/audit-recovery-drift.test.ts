/**
 * `report --audit`: the recovery path (BAK-VAULTLOCK) and drift reach the report. A drifted resource is a
 * live FAIL of the control it implements, whatever that control's other checks say; a control whose only
 * live side is drift shows no live check when nothing drifted (drift is evidence of change, not a pass).
 */
import { AUDIT_CHECKS, ResourceDrift, evaluateSnapshot, ok } from '../../lib/audit';
import { ControlId } from '../../lib/lessons';
import { Finding, finding } from '../../lib/findings';
import { buildReportModel } from '../../lib/report';
import { SETTINGS, goodBackup, goodSnapshot, inSyncStack } from '../audit/support/snapshots';

const SHOWN: ControlId[] = ['BAK-VAULTLOCK', 'DATA-CMK', 'NET-INGRESS', 'LOG-TAMPER'];
const base = { title: 't', generatedAt: SETTINGS.now, toolVersion: '0.0.0', liveControls: new Set<ControlId>(AUDIT_CHECKS.map((c) => c.controlId)) };
const design = (controlId: ControlId): Finding => finding({
  ruleId: `BreachLessons-${controlId}`, controlId, source: 'synth', status: 'PASS', severity: 'error',
  resource: { id: 'S/Res', template: 'S.template.json', logicalId: 'Res' }, message: 'm',
});

function controls(live: Finding[]) {
  const m = buildReportModel({ ...base, findings: [...SHOWN.map(design), ...live] });
  return new Map(m.lessons.flatMap((l) => l.controls).filter((c) => SHOWN.includes(c.id)).map((c) => [c.id, c]));
}
const statuses = (c: { designStatus: string; liveStatus: string; status: string }) => [c.designStatus, c.liveStatus, c.status];
const withDrift = (...drifts: ResourceDrift[]) => ({
  ...goodSnapshot(),
  drift: [{ region: 'eu-west-1', stacks: ok([]) }, { region: 'us-east-1', stacks: ok([inSyncStack('HardeningData', {
    detection: ok({ status: 'DETECTION_COMPLETE', stackDriftStatus: 'DRIFTED' }), drifts: ok(drifts) })]) }],
});

describe('report --audit with the recovery path and drift', () => {
  it('an untouched account: BAK-VAULTLOCK and LOG-TAMPER pass live; a control drift alone watches has no live check', () => {
    const c = controls(evaluateSnapshot(goodSnapshot(), SETTINGS));
    expect(statuses(c.get('BAK-VAULTLOCK')!)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(statuses(c.get('LOG-TAMPER')!)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(c.get('NET-INGRESS')!.liveStatus).toBe('NO_CHECK');
  });
  it('the vault lock removed: BAK-VAULTLOCK is FAIL overall although design time passes', () => {
    const [other, home] = goodBackup();
    const v = home.vault.ok ? home.vault.value! : undefined;
    const c = controls(evaluateSnapshot({ ...goodSnapshot(), backup: [other, { ...home, vault: ok({ ...v!, locked: false }) }] }, SETTINGS));
    expect(statuses(c.get('BAK-VAULTLOCK')!)).toEqual(['PASS', 'FAIL', 'FAIL']);
  });
  it('without the recovery path collected, BAK-VAULTLOCK\'s live side is ERROR, never PASS', () => {
    const c = controls(evaluateSnapshot({ ...goodSnapshot(), backup: undefined }, SETTINGS));
    expect(statuses(c.get('BAK-VAULTLOCK')!)).toEqual(['PASS', 'ERROR', 'ERROR']);
  });
  it('a drifted bucket encryption fails DATA-CMK and a drifted security group NET-INGRESS, each naming the property', () => {
    const fs = evaluateSnapshot(withDrift(
      { logicalId: 'PiiBucket', type: 'AWS::S3::Bucket', status: 'MODIFIED', differences: [{ path: '/BucketEncryption/ServerSideEncryptionConfiguration/0', kind: 'NOT_EQUAL', expected: 'aws:kms', actual: 'AES256' }] },
      { logicalId: 'AppSg', type: 'AWS::EC2::SecurityGroup', status: 'MODIFIED', differences: [{ path: '/SecurityGroupIngress/1', kind: 'ADD', actual: '{"CidrIp":"0.0.0.0/0","FromPort":22}' }] },
    ), SETTINGS);
    const c = controls(fs);
    expect(statuses(c.get('DATA-CMK')!)).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(statuses(c.get('NET-INGRESS')!)).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(c.get('NET-INGRESS')!.resources.filter((r) => r.status === 'FAIL').map((r) => [r.source, r.resource.id])).toEqual([['live', 'HardeningData#AppSg']]);
  });
});
