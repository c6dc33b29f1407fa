import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Finding } from '../../lib/findings';
import { evaluateTemplates } from '../../lib/template/evaluate-templates';
import { run } from '../report/fake-io';

const OURS = 'o-ours1234567';
const THEIRS = 'o-theirs12345';
const RULE = 'BreachLessons-ResourcePolicyNotPublic';

/** A bucket whose policy lets everyone read, limited only by aws:PrincipalOrgID = `org`. */
function orgLimitedTemplate(org: string): object {
  return {
    Resources: {
      Data: { Type: 'AWS::S3::Bucket', Properties: {} },
      DataPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Data' },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Data', 'Arn'] }, '/*']] },
              Condition: { StringEquals: { 'aws:PrincipalOrgID': org } },
            }],
          },
        },
      },
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-org-'));
  fs.writeFileSync(path.join(dir, 'ours.json'), JSON.stringify(orgLimitedTemplate(OURS)));
  fs.writeFileSync(path.join(dir, 'theirs.json'), JSON.stringify(orgLimitedTemplate(THEIRS)));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function policyFinding(file: string, extra: string[]): Promise<{ code: number; f: Finding }> {
  const r = await run(['check', path.join(dir, file), '--format', 'json', ...extra]);
  const hits = (JSON.parse(r.stdout).findings as Finding[]).filter((f) => f.ruleId === RULE && f.resource.logicalId === 'DataPolicy');
  expect(hits).toHaveLength(1);
  return { code: r.code, f: hits[0] };
}

describe('check --organization-id', () => {
  it('passes a policy limited to our organization', async () => {
    const { f } = await policyFinding('ours.json', ['--organization-id', OURS]);
    expect(f.status).toBe('PASS');
  });

  it('fails a policy limited to another organization', async () => {
    const { f, code } = await policyFinding('theirs.json', ['--organization-id', OURS]);
    expect(f.status).toBe('FAIL');
    expect(code).toBe(1);
  });

  it('reports ERROR (cannot verify) without the flag, never a pass', async () => {
    for (const file of ['ours.json', 'theirs.json']) {
      const { f } = await policyFinding(file, []);
      expect(f.status).toBe('ERROR');
    }
  });

  it('fails as a usage error naming a malformed id (exit 2)', async () => {
    for (const bad of ['123456789012', 'o-SHORT', 'ou-abcd-12345678']) {
      const r = await run(['check', path.join(dir, 'ours.json'), '--organization-id', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--organization-id '${bad}' is not an AWS Organizations id`);
    }
  });

  it('is documented in check --help', async () => {
    const r = await run(['check', '--help']);
    expect(r.stdout + r.stderr).toContain('--organization-id <o-id>');
  });

  it('evaluateTemplates rejects a malformed organizationId, naming it', () => {
    expect(() => evaluateTemplates([], { organizationId: 'org-1' })).toThrow(/organizationId must be an AWS Organizations id.*"org-1"/);
  });
});
