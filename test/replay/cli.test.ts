import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { run as runCli } from '../report/fake-io';
import { WEAK_ACCOUNT, weakenedTemplate } from './weakened-app';

function templateFile(t: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
  const f = join(dir, 'App.template.json');
  writeFileSync(f, JSON.stringify(t));
  return f;
}

async function run(args: string[]) {
  const r = await runCli(['replay', ...args]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('cdk-hardening replay', () => {
  const weak = templateFile(weakenedTemplate());
  // A bucket whose policy names a principal the replay cannot resolve (a parameter without a value).
  const undecidable = templateFile({
    Parameters: { Reader: { Type: 'String' } },
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'Reader' } }, Action: 'kms:*', Resource: '*' }] } } },
      Data: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] } } },
    },
  });

  test('exit 1 when a step is OPEN; the text names the step, the persona and what allowed it', async () => {
    const r = await run([weak, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/OPEN\s+evasion-stop-trail\s+\[defense-evasion; T1562\.008; LOG-TAMPER\]/);
    expect(r.out).toMatch(/hijacked-workload:.* → arn:aws:cloudtrail:us-east-1:123456789012:trail\/.*: cloudtrail:StopLogging allowed/);
  });

  test('--fail-on never: exit 0 with open steps still listed', async () => {
    const r = await run([weak, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OPEN/);
  });

  test('exit 3 when a step cannot be decided, naming the unresolved value', async () => {
    const r = await run([undecidable, '--step', 'impact-key-policy-takeover', '--format', 'json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe('cdk-hardening/replay@1');
    expect(JSON.stringify(doc.steps)).toMatch(/parameter Reader/);
  });

  test('exit 0 when every attempt is denied: the app without the principals that could stop the trail', async () => {
    const guarded = templateFile(weakenedTemplate({
      WorkloadRole: undefined, Fn: undefined, Selection: undefined, HumanRole: undefined, Ops: undefined,
    }));
    const r = await run([guarded, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail']);
    expect(r.out).toMatch(/DENIED\s+evasion-stop-trail/);
    expect(r.code).toBe(0);
  });

  test('bad input exits 2 with one clear line', async () => {
    expect((await run(['/no/such/dir'])).code).toBe(2);
    const bad = await run([weak, '--step', 'no-such-step']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--step 'no-such-step': no such step/);
    const acct = await run([weak, '--account', '12']);
    expect(acct.code).toBe(2);
    expect(acct.err).toMatch(/--account '12' is not a 12-digit account id/);
  });

  test('sarif is valid SARIF 2.1.0 with one result per step and resource', async () => {
    const r = await run([weak, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail', '--format', 'sarif']);
    const sarif = JSON.parse(r.out);
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    expect(ajv.validate(schema, sarif)).toBe(true);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('replay-evasion-stop-trail');
  });

  test('--out writes the file; md and junit render', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'replay-out-')), 'r.md');
    const r = await run([weak, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail', '--format', 'md', '--out', out]);
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toMatch(/## Kill chain/);
    const junit = await run([weak, '--account', WEAK_ACCOUNT, '--step', 'evasion-stop-trail', '--format', 'junit']);
    expect(junit.out).toMatch(/<testsuites/);
  });
});
