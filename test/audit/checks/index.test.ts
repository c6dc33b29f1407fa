import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { AUDIT_CHECKS, evaluateSnapshot } from '../../../lib/audit/checks';
import { isControlId } from '../../../lib/lessons';
import { SETTINGS, goodSnapshot } from '../support/snapshots';

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
