import * as path from 'path';
import { Finding } from '../../lib/findings';
import { evaluateTemplates } from '../../lib/template/evaluate-templates';
import { loadTemplate } from '../../lib/template/load';
import { run } from '../report/fake-io';

// `check` resolves Fn::Sub like Fn::Join, takes the deployment's account and region as pseudo
// parameters, and evaluates Conditions (enumerating them when their parameters are not given).

const DIR = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'template'));
const F = (name: string) => path.join(DIR, name);
const NOW = new Date('2026-01-01T00:00:00Z');

function check(files: string[], parameters: Record<string, string> = {}): Finding[] {
  return evaluateTemplates(files.map((f) => loadTemplate(F(f))), { now: NOW, parameters });
}
function one(findings: Finding[], rule: string, logicalId: string, file?: string): Finding {
  const hits = findings.filter((f) => f.ruleId === `BreachLessons-${rule}` && f.resource.logicalId === logicalId && (!file || f.resource.template === F(file)));
  expect(hits).toHaveLength(1);
  return hits[0];
}

describe('Fn::Sub and pseudo parameters', () => {
  test.each(['routed-join.yaml', 'routed-sub.yaml', 'routed-sub-list.json'])('%s: the pseudo account and region are the template\'s own: routed', (file) => {
    expect(one(check([file]), 'GuardDutyHighSeverityRouted', 'Detector').status).toBe('PASS');
  });
  test('!Sub and !Join agree with the deployment\'s account and region given, too', () => {
    const p = { 'AWS::AccountId': '111111111111', 'AWS::Region': 'eu-west-1' };
    for (const file of ['routed-join.yaml', 'routed-sub.yaml', 'routed-sub-list.json']) {
      expect(one(check([file], p), 'GuardDutyHighSeverityRouted', 'Detector').status).toBe('PASS');
    }
  });
  test('a literal ARN cannot be placed until the deployment\'s account and region are given', () => {
    const f = one(check(['routed-literal.yaml']), 'GuardDutyHighSeverityRouted', 'Detector');
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/cannot verify/);
  });
  test('Compliance: the literal ARN is in the deployment\'s account and region', () => {
    const f = check(['routed-literal.yaml'], { 'AWS::AccountId': '111111111111', 'AWS::Region': 'us-east-1' });
    expect(one(f, 'GuardDutyHighSeverityRouted', 'Detector').status).toBe('PASS');
  });
  test('Noncompliance: the deployment is in another region than the literal ARN', () => {
    const f = one(check(['routed-literal.yaml'], { 'AWS::AccountId': '111111111111', 'AWS::Region': 'eu-west-1' }), 'GuardDutyHighSeverityRouted', 'Detector');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('111111111111/eu-west-1');
  });
  test('templates checked separately are separate environments unless the account and region are given', () => {
    // routed-join's rule is its own; a second detector elsewhere cannot be placed relative to it.
    const f = check(['routed-join.yaml', 'routed-sub.yaml']);
    expect(one(f, 'GuardDutyHighSeverityRouted', 'Detector', 'routed-join.yaml').status).toBe('PASS');
    expect(one(f, 'GuardDutyHighSeverityRouted', 'Detector', 'routed-sub.yaml').status).toBe('PASS');
  });
});

describe('Conditions', () => {
  test('Unresolved: a selection that exists only under a condition whose parameter is not given (it passed before)', () => {
    const f = one(check(['conditional-backup.yaml']), 'StatefulResourceBackedUp', 'Data');
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/cannot verify: the outcome depends on conditions .*FAIL when .*BackupOn=false.*PASS when .*BackupOn=true/);
  });
  test('Compliance: the parameter given switches the selection on', () => {
    expect(one(check(['conditional-backup.yaml'], { EnableBackup: 'true' }), 'StatefulResourceBackedUp', 'Data').status).toBe('PASS');
  });
  test('Noncompliance: the parameter given switches it off (resource, its reference and its output removed)', () => {
    const f = check(['conditional-backup.yaml'], { EnableBackup: 'false' });
    expect(one(f, 'StatefulResourceBackedUp', 'Data').status).toBe('FAIL');
    expect(f.filter((x) => x.resource.logicalId === 'Plan')).toEqual([]);
  });
  test('Fn::If in properties under Or / And / Not / Condition, with the parameters given', () => {
    const prod = check(['conditional-properties.yaml'], { Env: 'prod', 'AWS::Region': 'us-east-1' });
    expect(one(prod, 'EBSEncryptedCustomerManagedKey', 'Volume').status).toBe('PASS');
    expect(one(prod, 'KMSKeyRotation', 'Key').status).toBe('PASS');
    const dev = check(['conditional-properties.yaml'], { Env: 'dev', 'AWS::Region': 'us-east-1' });
    expect(one(dev, 'EBSEncryptedCustomerManagedKey', 'Volume').status).toBe('FAIL');
  });
  test('Fn::If whose condition is unknown: cannot verify where the branches differ, a verdict where they agree', () => {
    const f = check(['conditional-properties.yaml']);
    expect(one(f, 'EBSEncryptedCustomerManagedKey', 'Volume').status).toBe('ERROR');
    // Both branches of StrictHere set rotation on: the same outcome in every scenario.
    expect(one(f, 'KMSKeyRotation', 'Key').status).toBe('PASS');
  });
});

describe('check --parameter for pseudo parameters', () => {
  test('AWS::AccountId and AWS::Region are accepted without a declaration, and used', async () => {
    const r = await run(['check', F('routed-literal.yaml'), '--parameter', 'AWS::AccountId=111111111111', '--parameter', 'AWS::Region=us-east-1', '--format', 'json']);
    expect(r.stderr).toBe('');
    const f = one(JSON.parse(r.stdout).findings, 'GuardDutyHighSeverityRouted', 'Detector');
    expect(f.status).toBe('PASS');
  });
  test.each([
    ['AWS::AccountId=12345', "'12345' is not a valid AWS::AccountId"],
    ['AWS::Region=Mars', "'Mars' is not a valid AWS::Region"],
    ['AWS::NoValue=x', 'AWS::NoValue is not a pseudo parameter check can set'],
  ])('rejects --parameter %s', async (p, message) => {
    const r = await run(['check', F('routed-literal.yaml'), '--parameter', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
