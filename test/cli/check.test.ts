import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding } from '../../lib/findings';
import { run } from '../report/fake-io';
import { sarifValidator } from '../report/sarif-validator';

const DIR = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'check'));
const T = (name: string) => path.join(DIR, 'templates', name);
const INVALID = (name: string) => path.join(DIR, 'invalid', name);

async function findingsOf(argv: string[]): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  const r = await run(['check', ...argv, '--format', 'json']);
  expect(r.stdout).not.toBe('');
  return { code: r.code, findings: JSON.parse(r.stdout).findings, stderr: r.stderr };
}

const one = (fs_: Finding[], ruleId: string, logicalId: string) => {
  const hits = fs_.filter((f) => f.ruleId === ruleId && f.resource.logicalId === logicalId);
  expect(hits).toHaveLength(1);
  return hits[0];
};

describe('cdk-hardening check: hand-written templates with known problems', () => {
  it('fails an unencrypted bucket and a key without rotation, naming file and logical id; exit 1', async () => {
    const { code, findings } = await findingsOf([T('unencrypted-bucket.json')]);
    expect(code).toBe(1);
    const cmk = one(findings, 'BreachLessons-S3BucketCustomerManagedKey', 'ReportsBucket');
    expect(cmk).toMatchObject({ status: 'FAIL', source: 'template', controlId: 'DATA-CMK', lessonId: 'L5',
      resource: { id: `${T('unencrypted-bucket.json')}#ReportsBucket`, template: T('unencrypted-bucket.json'), logicalId: 'ReportsBucket', type: 'AWS::S3::Bucket' } });
    expect(cmk.resource.constructPath).toBeUndefined();
    expect(one(findings, 'BreachLessons-KMSKeyRotation', 'ReportsKey').status).toBe('FAIL');
    expect(one(findings, 'BreachLessons-StatefulResourceRetained', 'ReportsKey').status).toBe('PASS');
    expect((await run(['check', T('unencrypted-bucket.json'), '--fail-on', 'never'])).code).toBe(0);
  });

  it('fails SSH open to the world', async () => {
    const { findings } = await findingsOf([T('open-network.json')]);
    const sg = one(findings, 'BreachLessons-SecurityGroupNoOpenIngress', 'AdminSg');
    expect(sg.status).toBe('FAIL');
    expect(sg.message).toContain('tcp 22-22 from 0.0.0.0/0');
    // No message names the throwaway app's construct paths.
    expect(findings.every((f) => !/Template\d+\/Template\//.test(f.message))).toBe(true);
  });
});

describe('cdk-hardening check: YAML short forms, Parameters and Conditions', () => {
  it('reads !Ref, !GetAtt, !Sub, !If and never passes what it cannot resolve', async () => {
    const { code, findings } = await findingsOf([T('short-forms.yaml')]);
    expect(code).toBe(3);
    // !GetAtt Key.Arn resolves to a customer-managed key of the template.
    expect(one(findings, 'BreachLessons-S3BucketCustomerManagedKey', 'Bucket').status).toBe('PASS');
    // EnableKeyRotation: !Ref Rotate — a parameter the deployer chooses.
    const rot = one(findings, 'BreachLessons-KMSKeyRotation', 'Key');
    expect(rot.status).toBe('ERROR');
    expect(rot.message).toContain('{"Ref":"Rotate"}');
    expect(one(findings, 'BreachLessons-KMSKeyRotation', 'StaticKey').status).toBe('PASS');
    // PublicAccessBlockConfiguration: !If [IsProd, ..., !Ref AWS::NoValue] depends on a Condition.
    expect(one(findings, 'BreachLessons-S3BucketBlockPublicAccess', 'Bucket').status).toBe('ERROR');
    // Web exists only when IsProd holds, and then its !If ingress admits 10.0.0.0/8 only: it passes in every case.
    expect(one(findings, 'BreachLessons-SecurityGroupNoOpenIngress', 'Web').status).toBe('PASS');
  });

  it('substitutes --parameter values where the template declares them', async () => {
    const { findings } = await findingsOf([T('short-forms.yaml'), '--parameter', 'Rotate=true']);
    expect(one(findings, 'BreachLessons-KMSKeyRotation', 'Key').status).toBe('PASS');
    const off = await findingsOf([T('short-forms.yaml'), '--parameter', 'Rotate=false']);
    expect(one(off.findings, 'BreachLessons-KMSKeyRotation', 'Key').status).toBe('FAIL');
  });

  it('rejects a --parameter no template declares (a misspelt name is never silently ignored)', async () => {
    const r = await run(['check', T('short-forms.yaml'), '--parameter', 'Rotate=true', '--parameter', 'Rotat=false']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--parameter 'Rotat': no template given declares this parameter (declared: ");
    expect(r.stderr).toContain('Rotate');
  });

  it('rejects a malformed --parameter', async () => {
    const r = await run(['check', T('short-forms.yaml'), '--parameter', 'Rotate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--parameter 'Rotate' is not Name=Value");
  });
});

describe('cdk-hardening check: directories and CDK-made templates', () => {
  it('checks every template in a directory and skips files that are not templates', async () => {
    const { findings, stderr } = await findingsOf([path.join(DIR, 'dir')]);
    const files = new Set(findings.map((f) => f.resource.template));
    expect([...files].sort()).toEqual([path.join(DIR, 'dir', 'Network.template.json'), path.join(DIR, 'dir', 'app.yml')]);
    expect(stderr).toContain(`skipping ${path.join(DIR, 'dir', 'settings.json')}: not a CloudFormation template`);
  });

  it('checks exactly the stack templates a cloud assembly lists', async () => {
    const assembly = path.join(DIR, '..', 'report', 'assembly');
    const { findings, stderr } = await findingsOf([assembly]);
    expect([...new Set(findings.map((f) => f.resource.template))].sort()).toEqual([
      path.join(assembly, 'DataStack.template.json'), path.join(assembly, 'NetworkStack.template.json'),
    ]);
    expect(stderr).not.toContain('skipping');
    expect(findings.find((f) => f.resource.logicalId === 'ReportsBucket9C8D7E6F')?.resource.constructPath).toBe('DataStack/ReportsBucket/Resource');
  });

  it('reads a template synthesized by CDK and reports construct paths', async () => {
    const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'Pii');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-check-'));
    const file = path.join(dir, 'Pii.template.json');
    fs.writeFileSync(file, JSON.stringify(app.synth().getStackByName('Pii').template, null, 1));
    const { findings } = await findingsOf([file]);
    const bucket = findings.filter((f) => f.resource.type === 'AWS::S3::Bucket');
    expect(bucket.length).toBeGreaterThan(3);
    expect(bucket[0].resource.constructPath).toBe('Pii/Bucket/Resource');
    for (const id of ['BreachLessons-S3BucketCustomerManagedKey', 'BreachLessons-S3BucketTLSOnly', 'BreachLessons-S3BucketBlockPublicAccess', 'BreachLessons-S3BucketVersioning']) {
      expect(bucket.find((f) => f.ruleId === id)?.status).toBe('PASS');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('cdk-hardening check: formats', () => {
  it('writes valid SARIF with file, line and logical id', async () => {
    const r = await run(['check', T('unencrypted-bucket.json'), '--format', 'sarif']);
    const doc = JSON.parse(r.stdout);
    expect(sarifValidator()(doc)).toEqual([]);
    const res = doc.runs[0].results.find((x: any) => x.ruleId === 'BreachLessons-KMSKeyRotation');
    expect(res.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: T('unencrypted-bucket.json') }, region: { startLine: 13 } });
    expect(res.locations[0].logicalLocations[0].name).toBe('ReportsKey');
    const yaml = JSON.parse((await run(['check', T('short-forms.yaml'), '--format', 'sarif'])).stdout);
    const key = yaml.runs[0].results.find((x: any) => x.ruleId === 'BreachLessons-KMSKeyRotation');
    expect(key.locations[0].physicalLocation.region).toEqual({ startLine: 14 });
  });

  it.each(['text', 'junit', 'md', 'html'])('writes %s', async (format) => {
    const r = await run(['check', T('unencrypted-bucket.json'), '--format', format]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DATA-CMK');
    expect(r.stdout).toContain('ReportsBucket');
  });
});

describe('cdk-hardening check: invalid input exits 2 naming the file and the problem', () => {
  it.each([
    ['broken.json', 'broken.json: invalid JSON at line 1, column 52'],
    ['no-resources.json', 'no-resources.json: not a CloudFormation template: no Resources section'],
    ['no-type.yaml', "no-type.yaml: resource 'Bucket' has no Type"],
    ['unknown-tag.yaml', 'unknown-tag.yaml: invalid YAML at line 5, column 19: Unresolved tag: !Frobnicate'],
    ['bad-getatt.json', "bad-getatt.json: cannot load template: Resource used in GetAtt expression with logical ID: 'Missing' not found"],
    ['empty.yaml', 'empty.yaml: empty file'],
    ['missing.json', 'missing.json: no such file or directory'],
  ])('%s', async (name, message) => {
    const r = await run(['check', INVALID(name)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('fails the whole run when one of several files is invalid', async () => {
    const r = await run(['check', T('unencrypted-bucket.json'), INVALID('broken.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('broken.json');
  });

  it('rejects a directory without templates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-empty-'));
    const r = await run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}: directory holds no CloudFormation template`);
  });

  it('needs at least one template', async () => {
    const r = await run(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'template'");
  });
});

describe('cdk-hardening check: transforms', () => {
  it('says that resources a Transform would generate are not checked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-sam-'));
    const file = path.join(dir, 'sam.yaml');
    fs.writeFileSync(file, [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {Handler: index.handler, Runtime: nodejs20.x, InlineCode: "x"}',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
      '    Properties: {KmsMasterKeyId: !ImportValue shared-key}',
    ].join('\n'));
    const r = await findingsOf([file]);
    expect(r.stderr).toContain(`${file}: Transform "AWS::Serverless-2016-10-31" is not expanded`);
    expect(one(r.findings, 'BreachLessons-SNSTopicCustomerManagedKey', 'Topic').status).toBe('ERROR');
    expect(r.code).toBe(3);
  });

  it('exits 3 (incomplete) even when nothing it can see fails: generated resources were not checked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-sam-'));
    const file = path.join(dir, 'sam.yaml');
    fs.writeFileSync(file, [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Table:',
      '    Type: AWS::Serverless::SimpleTable',
    ].join('\n'));
    // A DynamoDB table without a customer-managed key, once expanded: nothing here may call that a pass.
    const r = await findingsOf([file]);
    // The only finding: IAM-NOUSERS cannot attest a template whose transform generates unseen resources.
    expect(r.findings.map((f) => `${f.ruleId} ${f.status}`)).toEqual(['BreachLessons-IAMTemplateNoUsersOrKeys ERROR']);
    expect(r.stderr).toContain('resources it would generate are not checked (incomplete: exit 3)');
    expect(r.code).toBe(3);
    expect((await run(['check', file, '--fail-on', 'never'])).code).toBe(3);
  });
});

describe('cdk-hardening check: intrinsics CfnInclude cannot load', () => {
  it('loads Fn::GetStackOutput and Fn::ToJsonString as values it cannot verify', async () => {
    const r = await findingsOf([T('unsupported-intrinsics.json')]);
    expect(r.code).toBe(3);
    const topic = one(r.findings, 'BreachLessons-SNSTopicCustomerManagedKey', 'Topic');
    expect(topic.status).toBe('ERROR');
    expect(topic.message).toContain('Fn::GetStackOutput');
  });
});

describe('cdk-hardening check: cross-stack references', () => {
  const X = (name: string) => path.join(DIR, 'cross-stack', name);

  it('follows Fn::GetStackOutput into a template checked in the same run', async () => {
    const { findings } = await findingsOf([X('Keys.template.json'), X('Topics.template.json')]);
    expect(one(findings, 'BreachLessons-SNSTopicCustomerManagedKey', 'AlertTopic').status).toBe('PASS');
    // An output the other template does not declare stays unverifiable.
    expect(one(findings, 'BreachLessons-SNSTopicCustomerManagedKey', 'OtherTopic').status).toBe('ERROR');
  });

  it('cannot verify the reference when the other template is not given', async () => {
    const { findings } = await findingsOf([X('Topics.template.json')]);
    expect(one(findings, 'BreachLessons-SNSTopicCustomerManagedKey', 'AlertTopic').status).toBe('ERROR');
  });
});
