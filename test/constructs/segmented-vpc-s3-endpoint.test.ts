import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SegmentedVpc, SegmentedVpcProps } from '../../lib/constructs/segmented-vpc';
import { awsOwnedBuckets, awsOwnedObjectArns } from '../../lib/policies';
import { PolicyRequest, RequestPrincipal, buildContext, evaluatePolicy, parsePolicy } from '../../lib/policy';
import { featureFlags } from '../helpers/app';
import { oracleContext } from '../policy/oracle';

/**
 * The S3 gateway endpoint policy of SegmentedVpc, rendered by synthesis and evaluated request by
 * request - by the project's evaluator (lib/policy) and by @cloud-copilot/iam-simulate as an oracle
 * (tests only) - with the context keys AWS sets on a request through a gateway endpoint: aws:SourceVpce,
 * aws:SourceVpc and aws:VpcSourceIp (no aws:SourceIp), aws:ResourceAccount of the bucket's owner, and
 * the principal's keys only when the request is signed (an anonymous yum/dnf download carries none).
 */

const OWN = '111122223333';
/** An account of AWS owning the public buckets (package repositories, SSM, ECR layers). */
const AWS_OWNER = '210987654321';
const ATTACKER = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const VPCE = 'vpce-0a1b2c3d4e5f60718';

const instanceRole = (account = OWN, orgId?: string): RequestPrincipal => ({ arn: `arn:aws:sts::${account}:assumed-role/app-instance/i-0a1b2c3d4e5f60718`, account, ...(orgId ? { orgId } : {}) });
/** ECR hands out layer URLs presigned by an account of its own. */
const ecrPresigner: RequestPrincipal = { arn: `arn:aws:sts::${AWS_OWNER}:assumed-role/ecr-layer-presigner/session`, account: AWS_OWNER };
const anonymous: RequestPrincipal = { arn: '*', type: 'Anonymous' };

type Decision = 'Allowed' | 'Denied';

// aws-cdk-lib's own CloudFormation validation (seconds per synthesis) has nothing to say about a policy.
const savedValidation = process.env.CDK_VALIDATION;
beforeAll(() => { process.env.CDK_VALIDATION = 'false'; });
afterAll(() => { if (savedValidation === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = savedValidation; });

interface Rendered { readonly policy: { Statement: Array<Record<string, unknown>> }; readonly region: string; readonly template: Template; readonly warnings: string[] }

function render(region: string, props: Partial<SegmentedVpcProps> = {}): Rendered {
  const app = new App({ context: featureFlags() });
  const stack = new Stack(app, 'Net', { env: { account: OWN, region } });
  new SegmentedVpc(stack, 'Vpc', { availabilityZones: [`${region}a`, `${region}b`], flowLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow'), ...props });
  const template = Template.fromStack(stack);
  const s3 = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter((r) => JSON.stringify(r.Properties.ServiceName).includes('.s3'));
  expect(s3).toHaveLength(1);
  const policy = s3[0].Properties.PolicyDocument;
  // Evaluated as AWS receives it: every value literal (partition and region resolve in a stack with an environment).
  expect(JSON.stringify(policy)).not.toMatch(/Fn::|"Ref"/);
  const warnings = app.synth().getStackByName('Net').messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
  return { policy, region, template, warnings };
}

function request(principal: RequestPrincipal, action: string, resource: string, resourceAccount: string, resourceOrg?: string): PolicyRequest {
  return {
    principal, action, resource, resourceAccount,
    context: {
      'aws:SourceVpce': VPCE, 'aws:SourceVpc': 'vpc-0a1b2c3d4e5f60718', 'aws:VpcSourceIp': '10.40.16.25', 'aws:SecureTransport': 'true',
      'aws:ResourceAccount': resourceAccount, ...(resourceOrg ? { 'aws:ResourceOrgID': resourceOrg } : {}),
    },
  };
}

/** The project's evaluator: does the endpoint policy let the request through (an allow, no deny, nothing undecided)? */
function ours(policy: unknown, r: PolicyRequest): Decision {
  const e = evaluatePolicy(parsePolicy(policy, 'S3 endpoint policy'), 'resource', buildContext(r));
  return e.allows.length > 0 && e.denies.length === 0 && e.unknownDenies.length === 0 && e.unknownAllows.length === 0 ? 'Allowed' : 'Denied';
}

/** Every bucket grants everything to anyone here, and the caller holds AdministratorAccess: only the endpoint can refuse. */
const OPEN_BUCKET = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] };
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The oracle, with the endpoint policy or without it (to prove that the endpoint is what refuses). */
async function oracle(policy: unknown | undefined, r: PolicyRequest): Promise<Decision> {
  const isAnonymous = r.principal.type === 'Anonymous';
  const result = await runSimulation({
    request: {
      principal: isAnonymous ? anonymousPrincipal : String(r.principal.arn),
      action: r.action,
      resource: { resource: String(r.resource), accountId: String(r.resourceAccount) },
      contextVariables: oracleContext(r),
    },
    identityPolicies: isAnonymous ? [] : [{ name: 'AdministratorAccess', policy: ADMIN }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: OPEN_BUCKET,
    vpcEndpointPolicies: policy === undefined ? undefined : [{ name: 'S3 endpoint policy', policy }],
  }, {});
  if (result.resultType === 'error') throw new Error(`the oracle rejected ${r.action} on ${String(r.resource)}: ${JSON.stringify(result.errors).slice(0, 400)}`);
  return result.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

/** Both evaluators agree on the expected decision; a denial is the endpoint's (allowed without it). */
async function expectDecision(policy: unknown, r: PolicyRequest, expected: Decision): Promise<void> {
  const what = `${r.principal.type === 'Anonymous' ? 'anonymous' : String(r.principal.arn)} ${r.action} ${String(r.resource)}`;
  expect({ what, ours: ours(policy, r), oracle: await oracle(policy, r) }).toEqual({ what, ours: expected, oracle: expected });
  if (expected === 'Denied') expect({ what, withoutEndpoint: await oracle(undefined, r) }).toEqual({ what, withoutEndpoint: 'Allowed' });
}

const defaultGroups = () => awsOwnedBuckets().groups.filter((g) => g.admittedByDefault);
const expectedObjects = (region: string) => defaultGroups().flatMap((g) => awsOwnedObjectArns(g, 'aws', region));
const bucketOf = (objectArn: string) => objectArn.slice('arn:aws:s3:::'.length).split('/')[0];
/** An object under an admitted pattern (`<bucket>/<prefix>*` -> `<bucket>/<prefix>repodata/repomd.xml`). */
const objectIn = (pattern: string) => pattern.replace(/\*$/, 'repodata/repomd.xml');
const exceptionResources = (p: Rendered['policy']) => p.Statement.filter((s) => String(s.Sid).startsWith('AwsOwned')).flatMap((s) => [s.Resource].flat() as string[]);

describe.each(['us-east-1', 'af-south-1'])('the S3 endpoint of a SegmentedVpc in %s', (region) => {
  let r: Rendered;
  beforeAll(() => { r = render(region); });

  test('admits exactly the AWS-owned objects of the default groups of policies/vpce/s3-aws-owned-buckets.json in this region, read-only', () => {
    expect(exceptionResources(r.policy).sort()).toEqual(expectedObjects(region).sort());
    for (const s of r.policy.Statement.filter((x) => String(x.Sid).startsWith('AwsOwned'))) {
      expect(s).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });
      expect(s.Condition).toBeUndefined();
    }
    expect(r.policy.Statement.map((s) => s.Sid)).toEqual(['OwnPrincipalsOnly', ...defaultGroups().map((g) => g.sid)]);
    for (const o of exceptionResources(r.policy)) expect(bucketOf(o)).toContain(region);
    expect(r.warnings).toEqual([]);
  });

  test('GetObject on every admitted AWS-owned bucket is allowed: for the instance role, an anonymous download and a URL presigned by an AWS account', async () => {
    for (const pattern of expectedObjects(region)) {
      for (const who of [instanceRole(), anonymous, ecrPresigner]) await expectDecision(r.policy, request(who, 's3:GetObject', objectIn(pattern), AWS_OWNER), 'Allowed');
    }
  });

  test('the same buckets of another region are refused', async () => {
    const other = region === 'us-east-1' ? 'eu-west-1' : 'us-east-1';
    const theirs = expectedObjects(other);
    expect(theirs.length).toBeGreaterThan(0);
    for (const pattern of [...theirs, ...expectedObjects(region).map((o) => o.split(region).join(other))]) {
      await expectDecision(r.policy, request(instanceRole(), 's3:GetObject', objectIn(pattern), AWS_OWNER), 'Denied');
    }
  });

  test('writing to, deleting from or listing an AWS-owned bucket is refused', async () => {
    for (const pattern of expectedObjects(region)) {
      for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectAcl']) {
        await expectDecision(r.policy, request(instanceRole(), action, objectIn(pattern), AWS_OWNER), 'Denied');
      }
      await expectDecision(r.policy, request(instanceRole(), 's3:ListBucket', `arn:aws:s3:::${bucketOf(pattern)}`, AWS_OWNER), 'Denied');
    }
  });

  test('another account\'s arbitrary bucket is refused: reading, and copying data out to it', async () => {
    for (const who of [instanceRole(), anonymous]) {
      for (const action of ['s3:GetObject', 's3:PutObject']) {
        await expectDecision(r.policy, request(who, action, 'arn:aws:s3:::attacker-drop/loot.csv', ATTACKER), 'Denied');
      }
    }
    // A name that merely looks like an AWS one, in the attacker's account.
    await expectDecision(r.policy, request(instanceRole(), 's3:PutObject', `arn:aws:s3:::aws-ssm-${region}-drop/loot.csv`, ATTACKER), 'Denied');
  });

  test('own buckets stay open to own principals as before, and closed to others', async () => {
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      await expectDecision(r.policy, request(instanceRole(), action, 'arn:aws:s3:::own-data/customers.csv', OWN), 'Allowed');
      await expectDecision(r.policy, request(instanceRole(ATTACKER), action, 'arn:aws:s3:::own-data/customers.csv', OWN), 'Denied');
    }
  });
});

describe('the S3 endpoint with an organization', () => {
  let r: Rendered;
  beforeAll(() => { r = render('us-east-1', { organizationId: ORG }); });

  test('buckets of the organization are open to its principals; other buckets only as AWS-owned, read-only exceptions', async () => {
    await expectDecision(r.policy, request(instanceRole(OWN, ORG), 's3:PutObject', 'arn:aws:s3:::org-data/x.csv', '777788889999', ORG), 'Allowed');
    await expectDecision(r.policy, request(instanceRole(OWN, ORG), 's3:PutObject', 'arn:aws:s3:::attacker-drop/x.csv', ATTACKER), 'Denied');
    await expectDecision(r.policy, request(instanceRole(OWN, ORG), 's3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/abc', AWS_OWNER), 'Allowed');
  });
});

describe('choosing the AWS-owned bucket groups', () => {
  test('[] keeps the strict perimeter: the package repositories are refused', async () => {
    const r = render('us-east-1', { awsOwnedBuckets: [] });
    expect(r.policy.Statement.map((s) => s.Sid)).toEqual(['OwnPrincipalsOnly']);
    await expectDecision(r.policy, request(anonymous, 's3:GetObject', 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/core/mirrors/latest/x86_64/mirror.list', AWS_OWNER), 'Denied');
  });

  test('an opt-in group (EMR) replaces the defaults when named', async () => {
    const r = render('us-east-1', { awsOwnedBuckets: ['AwsOwnedEmr'] });
    expect(r.policy.Statement.map((s) => s.Sid)).toEqual(['OwnPrincipalsOnly', 'AwsOwnedEmr']);
    await expectDecision(r.policy, request(instanceRole(), 's3:GetObject', 'arn:aws:s3:::repo.us-east-1.emr.amazonaws.com/emr-6/x.rpm', AWS_OWNER), 'Allowed');
    await expectDecision(r.policy, request(instanceRole(), 's3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256/abc', AWS_OWNER), 'Denied');
  });

  test('an unknown group fails, naming the known ones', () => {
    expect(() => render('us-east-1', { awsOwnedBuckets: ['AwsOwnedEverything'] })).toThrow(/unknown AWS-owned bucket group\(s\) AwsOwnedEverything: the groups of policies\/vpce\/s3-aws-owned-buckets.json are AwsOwnedAmazonLinux2Repositories, /);
  });

  test('a region the file names no Patch Manager buckets for gets the others, and a warning saying what is missing', () => {
    const r = render('ap-southeast-7');
    expect(r.policy.Statement.map((s) => s.Sid)).not.toContain('AwsOwnedPatchManager');
    expect(exceptionResources(r.policy)).toContain('arn:aws:s3:::prod-ap-southeast-7-starport-layer-bucket/*');
    expect(r.warnings).toEqual([expect.stringMatching(/does not admit AwsOwnedPatchManager's per-region buckets: .* names none for ap-southeast-7/)]);
  });

  test('an environment-agnostic stack builds the names from ${AWS::Region}, without the per-region buckets, and says so', () => {
    const app = new App({ context: featureFlags() });
    const stack = new Stack(app, 'Agnostic');
    new SegmentedVpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow') });
    const s3 = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).find((x) => JSON.stringify(x.Properties.ServiceName).includes('.s3'))!;
    const ecr = s3.Properties.PolicyDocument.Statement.find((s: { Sid: string }) => s.Sid === 'AwsOwnedEcrImageLayers');
    expect(ecr.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']] });
    expect(s3.Properties.PolicyDocument.Statement.map((s: { Sid: string }) => s.Sid)).not.toContain('AwsOwnedPatchManager');
    const warnings = app.synth().getStackByName('Agnostic').messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
    expect(warnings).toEqual([expect.stringMatching(/AwsOwnedPatchManager's per-region buckets: the stack's region is not known at synthesis/)]);
  });
});
