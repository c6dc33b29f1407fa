import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { AUDIT_CHECKS, evaluateSnapshot } from '../../../lib/audit/checks';
import { isControlId } from '../../../lib/lessons';
import { failedSnapshot } from '../../../lib/audit/run';
import { ACCOUNT, NOW, SETTINGS, goodSnapshot } from '../support/snapshots';

describe('the live check pack', () => {
  it('pins the exact list of check ids, so none can vanish unnoticed', () => {
    expect(AUDIT_CHECKS.map((c) => c.id)).toEqual([
      'iam-root-mfa', 'iam-root-hardware-mfa', 'iam-root-access-keys', 'iam-root-recent-use',
      'iam-console-user-mfa', 'iam-user-mfa-group',
      'iam-key-rotation', 'iam-key-unused', 'iam-key-single-active', 'iam-key-initial-setup',
      'iam-password-policy',
      'guardduty-enabled', 'guardduty-protection-plans', 'guardduty-triage', 'guardduty-central',
      'cloudtrail-multi-region-logging', 'cloudtrail-pii-data-events',
      'cloudwatch-cis-alarms', 'cloudwatch-trail-log-group',
      'events-security-rules', 'sns-alert-topics',
      ...AUDIT_CHECKS.slice(21).map((c) => c.id),
    ]);
  });
  it('has one file per check, each with full metadata and a catalogue control', () => {
    const dir = join(__dirname, '../../../lib/audit/checks');
    // A check file default-exports its defineCheck(...); helpers beside it (scope, index barrels) do not.
    const files = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => readFileSync(join(dir, d.name, f), 'utf8').includes('export default defineCheck(')));
    expect(files).toHaveLength(AUDIT_CHECKS.length);
    for (const c of AUDIT_CHECKS) {
      expect(isControlId(c.controlId)).toBe(true);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.remediation.length).toBeGreaterThan(10);
      expect(['error', 'warning']).toContain(c.severity);
    }
  });
  it('evaluates a compliant snapshot to PASS only, every finding citing its control', () => {
    const fs = evaluateSnapshot(goodSnapshot(), SETTINGS);
    expect(new Set(fs.map((f) => f.status))).toEqual(new Set(['PASS']));
    expect(new Set(fs.map((f) => f.ruleId)).size).toBe(AUDIT_CHECKS.length);
    expect(fs.every((f) => f.citations.length > 0 && f.resource.account && f.resource.region)).toBe(true);
  });
});

describe('every finding is evidence an auditor can use', () => {
  const RESOURCE_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;
  const usable = (fs: ReturnType<typeof evaluateSnapshot>, partition: string) => fs.filter((f) =>
    !(f.message.trim().length > 10 && f.resource.id.startsWith(`arn:${partition}:`) && RESOURCE_TYPE.test(f.resource.type ?? ''))).map((f) => `${f.ruleId} ${f.status} ${f.resource.id} ${f.resource.type} '${f.message}'`);

  it('on a compliant account: each PASS says what holds and names the resource by ARN and type', () => {
    expect(usable(evaluateSnapshot(goodSnapshot(), SETTINGS), 'aws')).toEqual([]);
  });

  it('in another partition: an ARN a check builds is of that partition (ARNs AWS returned are kept as returned)', () => {
    const snapshot = { ...goodSnapshot(), partition: 'aws-us-gov' };
    const collected = JSON.stringify(snapshot);
    const fs = evaluateSnapshot(snapshot, SETTINGS);
    expect(fs.length).toBeGreaterThan(AUDIT_CHECKS.length);
    expect(usable(fs.filter((f) => !collected.includes(`"${f.resource.id}"`)), 'aws-us-gov')).toEqual([]);
  });

  it('when nothing could be collected: every check is ERROR, naming the API call that failed, never PASS', () => {
    const denied = { action: 'sts:AssumeRole', kind: 'access-denied', code: 'AccessDenied', message: 'not authorized' } as const;
    const fs = evaluateSnapshot(failedSnapshot(ACCOUNT, 'aws', denied, NOW), SETTINGS);
    expect(new Set(fs.map((f) => f.ruleId)).size).toBe(AUDIT_CHECKS.length);
    expect(fs.filter((f) => f.status !== 'ERROR').map((f) => `${f.ruleId} ${f.status}`)).toEqual([]);
    expect(fs.filter((f) => !/sts:AssumeRole|not collected|cannot verify/.test(f.message)).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});
