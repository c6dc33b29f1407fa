import { App } from 'aws-cdk-lib';
import { DRIFT_CONTROLS, UNMAPPED_DRIFT_CONTROL, driftControl } from '../../lib/audit';
import { topProperty } from '../../lib/audit/drift-controls';
import { parseConfig } from '../../lib/config';
import { isControlId } from '../../lib/lessons';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { featureFlags } from '../helpers/app';

/** Entries that name none of the controls the pack's rules check on their type, and why. */
const NOT_THE_RULES_CONTROLS: Record<string, string> = {
  'AWS::EC2::SecurityGroupEgress': 'the pack checks egress rules only for the default security group (NET-DEFAULTSG); an egress rule of the data tier that drifts opens exfiltration (EXF-EGRESS)',
};

/** Every resource type the hardened environment synthesizes, with every optional part switched on and off. */
function synthesizedTypes(): Set<string> {
  const types = new Set<string>();
  for (const extra of [{}, {
    'hardening:backupCopyRegion': 'us-west-2', 'hardening:allowedRegions': ['us-east-1', 'us-west-2'], 'hardening:securityHub': true,
    'hardening:identityCenterInstanceArn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef', 'hardening:adoptExistingDetector': true, 'hardening:adoptExistingAccessAnalyzer': true,
  }]) {
    const app = new App({ context: featureFlags() });
    buildHardenedEnvironment(app, parseConfig({ 'hardening:account': '111122223333', ...extra }));
    for (const s of app.synth().stacks) for (const r of Object.values(s.template.Resources as Record<string, { Type: string }>)) types.add(r.Type);
  }
  return types;
}

describe('drift controls (lib/audit/drift-controls)', () => {
  it('maps every resource type the hardened environment deploys, so no drift falls to the catch-all', () => {
    const types = synthesizedTypes();
    expect(types.size).toBeGreaterThan(40);
    expect([...types].filter((t) => !(t in DRIFT_CONTROLS)).sort()).toEqual([]);
  }, 120_000);

  it('names only catalogue controls', () => {
    for (const e of Object.values(DRIFT_CONTROLS)) {
      for (const c of [e.control, ...Object.values(e.properties ?? {})]) expect(isControlId(c)).toBe(true);
    }
  });

  it('agrees with the BreachLessons rules: an entry for a type the pack checks names one of the rules\' controls for it', () => {
    const ruleControls = new Map<string, Set<string>>();
    for (const r of BREACH_LESSONS_RULES) {
      for (const t of r.resourceTypes) {
        if (t === '*' || t.endsWith('::*')) continue;
        ruleControls.set(t, new Set([...(ruleControls.get(t) ?? []), ...r.controlIds]));
      }
    }
    const disagree: string[] = [];
    for (const [type, e] of Object.entries(DRIFT_CONTROLS)) {
      const rules = ruleControls.get(type);
      // CloudFormation detects no drift on custom resources: their entries only keep the coverage test honest.
      if (!rules || type.startsWith('Custom::')) continue;
      const named = [e.control, ...Object.values(e.properties ?? {})];
      if (!named.some((c) => rules.has(c))) disagree.push(type);
    }
    expect(disagree.sort()).toEqual(Object.keys(NOT_THE_RULES_CONTROLS).sort());
  });

  it('narrows by the drifted top-level property, falls back to the type, and files an unknown type under LOG-TAMPER', () => {
    expect(topProperty('/BucketEncryption/ServerSideEncryptionConfiguration/0')).toBe('BucketEncryption');
    expect(driftControl('AWS::S3::Bucket', 'BucketEncryption')).toBe('DATA-CMK');
    expect(driftControl('AWS::S3::Bucket', 'PublicAccessBlockConfiguration')).toBe('DATA-PUBLIC');
    expect(driftControl('AWS::S3::Bucket')).toBe('DATA-PUBLIC');
    expect(driftControl('AWS::KMS::Key', 'EnableKeyRotation')).toBe('DATA-ROTATION');
    expect(driftControl('AWS::KMS::Key', 'KeyPolicy')).toBe('DATA-KEYPOLICY');
    expect(driftControl('AWS::IAM::Role', 'MaxSessionDuration')).toBe('IAM-SESSION');
    expect(driftControl('AWS::Foo::Bar', 'X')).toBe(UNMAPPED_DRIFT_CONTROL);
    expect(UNMAPPED_DRIFT_CONTROL).toBe('LOG-TAMPER');
  });
});
