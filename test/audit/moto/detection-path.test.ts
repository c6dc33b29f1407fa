/**
 * LOG-TRAIL, LOG-ALARMS and IR-ROUTING against moto (a real AWS-protocol server): the real SDK
 * clients, pagination and wire formats. An account is seeded the way the hardened stacks build it,
 * audited, tampered with as an intruder would (StopLogging, a deleted metric filter, a disabled rule,
 * the alert address unsubscribed, alarm actions disabled) and audited again. moto not starting fails
 * the test with a clear message; it is never skipped.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Finding } from '../../../lib/findings';
import { AuditResult, runAudit } from '../../../lib/audit';
import { loadPolicy } from '../../../lib/policies';
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { Moto, startMoto } from '../support/moto';
import { GOOD_KEY_POLICY, PREFIX } from '../support/logging-snapshots';

const MINE = ['cloudtrail-multi-region-logging', 'cloudtrail-pii-data-events', 'cloudwatch-cis-alarms', 'cloudwatch-trail-log-group', 'events-security-rules', 'sns-alert-topics'];
const SERVICES = ['cloudtrail', 'logs', 'cloudwatch', 'events', 'sns', 'kms', 'tag'];
const REGION = 'us-east-1';

let moto: Moto;
let account: string;
let untouched: AuditResult;
let tampered: AuditResult;

function seed(mode: 'seed' | 'tamper'): { account: string } {
  const spec = join(tmpdir(), `a1-moto-spec-${process.pid}.json`);
  const policy = JSON.parse(JSON.stringify(GOOD_KEY_POLICY).split('111122223333').join('123456789012'));
  writeFileSync(spec, JSON.stringify({ prefix: PREFIX, filters: CIS_METRIC_FILTERS.map((f) => ({ name: f.name, pattern: f.pattern })), keyPolicy: policy }));
  const out = execFileSync('python3', [join(__dirname, 'seed_detection_path.py'), moto.motoEndpoint, mode, spec], { encoding: 'utf8' });
  return JSON.parse(out) as { account: string };
}

const audit = (now: Date) => runAudit({
  regions: [REGION],
  clients: { endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2, requestTimeoutMs: 10_000 },
  logging: { securityNamePrefix: PREFIX },
  polling: { sleep: async () => undefined },
  now: () => now,
});

const mine = (r: AuditResult): Finding[] => r.findings.filter((f) => MINE.includes(f.ruleId));
const byRule = (r: AuditResult, id: string): Finding[] => r.findings.filter((f) => f.ruleId === id);

beforeAll(async () => {
  moto = await startMoto();
  account = seed('seed').account;
  untouched = await audit(new Date());
  seed('tamper');
  tampered = await audit(new Date());
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

describe('an untouched seeded account', () => {
  it('passes LOG-ALARMS, IR-ROUTING and the PII data events, with a finding from every check', () => {
    const fs = mine(untouched);
    expect(new Set(fs.map((f) => f.ruleId))).toEqual(new Set(MINE));
    const notPass = fs.filter((f) => f.status !== 'PASS' && f.ruleId !== 'cloudtrail-multi-region-logging');
    expect(notPass.map((f) => `${f.ruleId} ${f.status} ${f.message}`)).toEqual([]);
  });
  it('has its trail logging; the one fault is the CloudWatch Logs delivery moto never makes', () => {
    const [f] = byRule(untouched, 'cloudtrail-multi-region-logging');
    expect(f.resource.id).toBe(`arn:aws:cloudtrail:${REGION}:${account}:trail/org-trail`);
    expect(f.message).toBe(`no multi-region trail covering ${REGION} is sound: trail org-trail has never delivered to CloudWatch Logs`);
  });
});

describe('the same account after an intruder blinded detection', () => {
  it('LOG-TRAIL: the stopped trail is a FAIL naming it', () => {
    const [f] = byRule(tampered, 'cloudtrail-multi-region-logging');
    expect(f).toMatchObject({ status: 'FAIL', controlId: 'LOG-TRAIL', resource: { id: `arn:aws:cloudtrail:${REGION}:${account}:trail/org-trail` } });
    expect(f.message).toContain('trail org-trail is not logging (StopLogging)');
    expect(byRule(tampered, 'cloudtrail-pii-data-events').map((x) => x.status)).toEqual(['FAIL', 'FAIL']);
  });
  it('LOG-ALARMS: the deleted metric filter and the silenced alarm are FAIL on the log group', () => {
    const [f] = byRule(tampered, 'cloudwatch-cis-alarms');
    expect(f).toMatchObject({ status: 'FAIL', controlId: 'LOG-ALARMS', resource: { id: `arn:aws:logs:${REGION}:${account}:log-group:hardening/cloudtrail` } });
    expect(f.message).toContain('CIS 4.5 CloudTrail configuration changes: no metric filter');
    expect(f.message).toContain(`alarm ${PREFIX}cis-UnauthorizedApiCalls has its actions disabled`);
  });
  it('IR-ROUTING: the disabled rule and the topic without a subscription are FAIL naming them', () => {
    const rules = byRule(tampered, 'events-security-rules');
    expect(rules.filter((f) => f.status === 'FAIL').map((f) => f.resource.id)).toEqual([`arn:aws:events:${REGION}:${account}:rule/${PREFIX}root-sign-in`]);
    expect(rules.filter((f) => f.status === 'PASS')).toHaveLength(1);
    const topics = byRule(tampered, 'sns-alert-topics');
    expect(topics.filter((f) => f.status === 'FAIL').map((f) => [f.controlId, f.resource.id, f.message])).toEqual([
      ['IR-ROUTING', `arn:aws:sns:${REGION}:${account}:${PREFIX}alerts`, `alert topic arn:aws:sns:${REGION}:${account}:${PREFIX}alerts has no subscription`],
    ]);
  });
  it('moto lacks GuardDuty ListFindings: the audit reports ERROR there, not a pass', () => {
    const triage = tampered.findings.filter((f) => f.ruleId === 'guardduty-triage' || f.ruleId === 'guardduty-enabled');
    expect(triage.length).toBeGreaterThan(0);
    expect(triage.some((f) => f.status === 'PASS')).toBe(false);
  });
});

describe('least privilege for the detection path: policies/iam/audit-readonly.json', () => {
  const policy = loadPolicy('iam/audit-readonly');
  const statement = policy.Statement.find((s) => s.Sid === 'AuditReadDetectionPath')!;
  const granted = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a): a is string => typeof a === 'string').sort();
  const principal = 'arn:aws:iam::123456789012:role/cdk-hardening-audit';
  const decide = async (action: string): Promise<string> => {
    const r = await runSimulation({
      request: { principal, action, resource: { resource: '*', accountId: '123456789012' }, contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': '123456789012' } },
      identityPolicies: [{ name: 'audit-readonly', policy }], serviceControlPolicies: [], resourceControlPolicies: [],
    }, {});
    if (r.resultType === 'error') throw new Error(`simulation of ${action} failed: ${JSON.stringify(r.errors)}`);
    return r.overallResult;
  };
  it('the statement grants no action the audit did not send', () => {
    const sent = new Set(moto.actions());
    expect(granted.filter((a) => !sent.has(a))).toEqual([]);
  });
  it('allows every action sent to these services (whichever statement grants it) and no write an intruder would use', async () => {
    const sent = moto.actions().filter((a) => SERVICES.includes(a.split(':')[0] ?? ''));
    expect(sent.length).toBeGreaterThanOrEqual(granted.length);
    for (const a of sent) expect(`${a} ${await decide(a)}`).toBe(`${a} Allowed`);
    for (const w of ['cloudtrail:StopLogging', 'cloudtrail:PutEventSelectors', 'logs:DeleteMetricFilter', 'cloudwatch:DisableAlarmActions',
      'events:DisableRule', 'sns:Unsubscribe', 'kms:PutKeyPolicy', 'tag:UntagResources']) {
      expect(`${w} ${await decide(w)}`).not.toBe(`${w} Allowed`);
    }
  });
});
