/**
 * Adversarial cases of the false-pass classes of issue 9 that are about policies, each decided by
 * evaluating the policy (lib/policy) under the requests that matter, and the hardened twin of each.
 * Cases marked "(passed before)" were reported compliant by the rule before it asked lib/policy.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { enforcesMfa } from '../../../lib/audit';
import { CustomerManagedKey, KEY_ADMIN_ACTIONS } from '../../../lib/constructs/customer-managed-key';
import { DATA_CLASS_TAG_KEY } from '../../../lib/constructs/tags';
import { Finding } from '../../../lib/findings';
import { BreachLessonsChecks } from '../../../lib/nag/breach-lessons-checks';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';

const OWN = '111122223333';
const OTHER = '999988887777';
const OUR_ORG = 'o-ours1234567';
const OTHER_ORG = 'o-other987654';
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];

interface Options { readonly account?: string; readonly organizationId?: string }

/** Evaluates one rule over a fresh app whose stack is in `account` (default the concrete OWN; '' for environment-agnostic). */
function statusOf(ruleName: string, build: (s: Stack) => void, path: string, o: Options = {}): Finding {
  const app = new App();
  const account = o.account ?? OWN;
  const stack = new Stack(app, 'S', { env: account ? { account, region: 'us-east-1' } : { region: 'us-east-1' } });
  build(stack);
  const all = evaluateScope(app, { rules: rulesNamed(ruleName), now: new Date('2026-01-01T00:00:00Z'), organizationId: o.organizationId });
  const hits = all.filter((f) => f.resource.id === `S/${path}`);
  expect(hits).toHaveLength(1);
  return hits[0];
}

function expectStatus(ruleName: string, build: (s: Stack) => void, path: string, status: string, o: Options = {}): Finding {
  const f = statusOf(ruleName, build, path, o);
  expect(`${f.status}: ${f.message}`).toMatch(new RegExp(`^${status}`));
  return f;
}

const bucketPolicy = (s: Stack, ...Statement: Record<string, unknown>[]) => {
  const b = new s3.CfnBucket(s, 'B');
  new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Version: '2012-10-17', Statement } });
  return b;
};
const openRead = (Condition?: Record<string, unknown>) => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', ...(Condition ? { Condition } : {}) });

describe('class 1 and 3: ResourcePolicyNotPublic asks whether a principal outside the account or organization gets in', () => {
  const rule = 'ResourcePolicyNotPublic';
  test('Noncompliance (passed before): StringNotEquals aws:PrincipalOrgID admits everyone outside the organization', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringNotEquals: { 'aws:PrincipalOrgID': OUR_ORG } })), 'Pol', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Noncompliance (passed before): StringEqualsIfExists aws:SourceAccount admits direct calls, which carry no source account', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEqualsIfExists: { 'aws:SourceAccount': OWN } })), 'Pol', 'FAIL');
  });
  test('Noncompliance (passed before): ForAllValues:StringEquals aws:PrincipalOrgID is true for a caller in no organization', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': OUR_ORG } })), 'Pol', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Noncompliance (passed before): limited to another account', () => {
    const f = expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalAccount': OTHER } })), 'Pol', 'FAIL');
    expect(f.message).toContain(OTHER);
  });
  test('Noncompliance (passed before): limited to another organization', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalOrgID': OTHER_ORG } })), 'Pol', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Unresolved: limited to an organization when the own organization is not configured', () => {
    const f = expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalOrgID': OTHER_ORG } })), 'Pol', 'ERROR');
    expect(f.message).toMatch(/organization/);
  });
  test('Unresolved: limited to a literal account when the stack account is not concrete', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalAccount': OTHER } })), 'Pol', 'ERROR', { account: '' });
  });
  test('Compliance: limited to the own organization', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalOrgID': OUR_ORG } })), 'Pol', 'PASS', { organizationId: OUR_ORG });
  });
  test('Compliance: limited to the own account, concrete or the AWS::AccountId pseudo parameter', () => {
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalAccount': OWN } })), 'Pol', 'PASS');
    expectStatus(rule, (s) => bucketPolicy(s, openRead({ StringEquals: { 'aws:PrincipalAccount': s.account } })), 'Pol', 'PASS', { account: '' });
  });
  test('Compliance: a named service principal limited by aws:SourceAccount', () => {
    expectStatus(rule, (s) => bucketPolicy(s, { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': OWN } } }), 'Pol', 'PASS');
  });
});

describe('class 1 and 3: VPCEndpointPolicyRestricted compares the limit with the own account and organization', () => {
  const rule = 'VPCEndpointPolicyRestricted';
  const endpoint = (s: Stack, Condition: Record<string, unknown>) => new ec2.CfnVPCEndpoint(s, 'E', {
    vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3',
    policyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'Own', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition }] },
  });
  test('Noncompliance (passed before): ForAllValues:StringEquals aws:PrincipalOrgID admits a caller in no organization', () => {
    expectStatus(rule, (s) => endpoint(s, { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': OUR_ORG } }), 'E', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Noncompliance (passed before): StringLike aws:PrincipalOrgID o-* admits every organization', () => {
    expectStatus(rule, (s) => endpoint(s, { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), 'E', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Noncompliance (passed before): limited to another account', () => {
    expectStatus(rule, (s) => endpoint(s, { StringEquals: { 'aws:PrincipalAccount': OTHER } }), 'E', 'FAIL');
  });
  test('Noncompliance (passed before): limited to another organization', () => {
    expectStatus(rule, (s) => endpoint(s, { StringEquals: { 'aws:PrincipalOrgID': OTHER_ORG } }), 'E', 'FAIL', { organizationId: OUR_ORG });
  });
  test('Unresolved: an organization id with no organization configured', () => {
    expectStatus(rule, (s) => endpoint(s, { StringEquals: { 'aws:PrincipalOrgID': OUR_ORG } }), 'E', 'ERROR');
  });
  test('Compliance: the own organization, and the own account (token of an environment-agnostic stack)', () => {
    expectStatus(rule, (s) => endpoint(s, { StringEquals: { 'aws:PrincipalOrgID': OUR_ORG } }), 'E', 'PASS', { organizationId: OUR_ORG });
    expectStatus(rule, (s) => endpoint(s, { StringEquals: { 'aws:PrincipalAccount': s.account } }), 'E', 'PASS', { account: '' });
  });
});

describe('class 1 and 2: S3BucketTLSOnly asks whether every request without TLS is denied, on the bucket and every object', () => {
  const rule = 'S3BucketTLSOnly';
  const arn = { 'Fn::GetAtt': ['B', 'Arn'] };
  const objects = (suffix = '/*') => ({ 'Fn::Join': ['', [arn, suffix]] });
  const deny = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource, Condition: { Bool: { 'aws:SecureTransport': 'false' }, ...extra },
  });
  test('Noncompliance (passed before): the deny covers the bucket ARN only, not its objects', () => {
    const f = expectStatus(rule, (s) => bucketPolicy(s, deny(arn)), 'B', 'FAIL');
    expect(f.message).toMatch(/object/);
  });
  test('Noncompliance (passed before): the deny covers one prefix of the objects', () => {
    expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects('/public/*')])), 'B', 'FAIL');
  });
  test('Noncompliance (passed before): a second condition narrows the deny to one foreign account', () => {
    expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects()], { StringEquals: { 'aws:PrincipalAccount': OTHER } })), 'B', 'FAIL');
  });
  test('Noncompliance (passed before): a second condition narrows the deny to one network', () => {
    expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects()], { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })), 'B', 'FAIL');
  });
  test('Noncompliance (passed before): the deny spares the office\'s addresses, or principals tagged team=data: plain text from there, or by them', () => {
    const f = expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects()], { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } })), 'B', 'FAIL');
    expect(f.message).toMatch(/without TLS by .*, from 198\.51\.100\.7 is not denied/);
    expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects()], { StringNotEquals: { 'aws:PrincipalTag/team': 'data' } })), 'B', 'FAIL');
  });
  test('Compliance: enforceSSL, and an L1 deny on the bucket and its objects', () => {
    expectStatus(rule, (s) => new s3.Bucket(s, 'B', { enforceSSL: true }), 'B/Resource', 'PASS');
    expectStatus(rule, (s) => bucketPolicy(s, deny([arn, objects()])), 'B', 'PASS');
  });
  test('Compliance: BoolIfExists (aws:SecureTransport is always present) and Resource *', () => {
    expectStatus(rule, (s) => bucketPolicy(s, { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }), 'B', 'PASS');
  });
});

describe('class 1 and 2: S3BucketMinimumTLS12 asks whether TLS 1.0 and 1.1 are denied everywhere', () => {
  const rule = 'S3BucketMinimumTLS12';
  const arn = { 'Fn::GetAtt': ['B', 'Arn'] };
  const pii = (s: Stack, ...Statement: Record<string, unknown>[]) => {
    const b = new s3.CfnBucket(s, 'B', { tags: [{ key: DATA_CLASS_TAG_KEY, value: 'customer-pii' }] });
    new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Version: '2012-10-17', Statement } });
  };
  const deny = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: 'Deny', Principal: '*', Action: 's3:*', Resource, Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' }, ...extra },
  });
  test('Noncompliance (passed before): the deny covers the bucket ARN only', () => {
    expectStatus(rule, (s) => pii(s, deny(arn)), 'B', 'FAIL');
  });
  test('Noncompliance (passed before): a second condition narrows the deny to one foreign account', () => {
    expectStatus(rule, (s) => pii(s, deny([arn, { 'Fn::Join': ['', [arn, '/*']] }], { StringEquals: { 'aws:PrincipalAccount': OTHER } })), 'B', 'FAIL');
  });
  test('Compliance: minimumTLSVersion 1.2 on the L2 bucket', () => {
    expectStatus(rule, (s) => {
      const b = new s3.Bucket(s, 'B', { enforceSSL: true, minimumTLSVersion: 1.2 });
      (b.node.defaultChild as s3.CfnBucket).tags.setTag(DATA_CLASS_TAG_KEY, 'customer-pii');
    }, 'B/Resource', 'PASS');
  });
});

describe('class 1: the MFA deny is judged under access-key requests and console sessions without MFA', () => {
  const rule = 'IAMGroupRequiresMFA';
  const group = (s: Stack, Condition: Record<string, unknown>) => new iam.CfnGroup(s, 'G', { policies: [{ policyName: 'RequireMFA', policyDocument: {
    Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition }],
  } }] });
  const regionOnly = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, StringEquals: { 'aws:RequestedRegion': 'eu-west-3' } };
  const onlyWithAge = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, Null: { 'aws:MultiFactorAuthAge': 'false' } };
  test('Noncompliance (passed before): a second condition limits the deny to one region', () => {
    expectStatus(rule, (s) => group(s, regionOnly), 'G', 'FAIL');
  });
  test('Noncompliance (passed before): Null aws:MultiFactorAuthAge false makes the deny skip exactly the requests without MFA', () => {
    expectStatus(rule, (s) => group(s, onlyWithAge), 'G', 'FAIL');
  });
  test('Compliance: the canonical deny', () => {
    expectStatus(rule, (s) => group(s, { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }), 'G', 'PASS');
  });
  test('the live audit recognizer agrees (enforcesMfa)', () => {
    const doc = (Condition: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition }] });
    expect(enforcesMfa(doc(regionOnly))).toBe(false);
    expect(enforcesMfa(doc(onlyWithAge))).toBe(false);
    expect(enforcesMfa(doc({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }))).toBe(true);
  });
});

describe('class 1: IAMRoleTrustRequiresMFA is judged under sessions without MFA and with an old MFA sign-in', () => {
  const rule = 'IAMRoleTrustRequiresMFA';
  const role = (s: Stack, Condition: Record<string, unknown>) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'sts:AssumeRole', Condition }],
  } });
  test('Noncompliance (passed before): Action sts:Assume* is sts:AssumeRole too, without MFA', () => {
    const f = expectStatus(rule, (s) => new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: 'sts:Assume*' }],
    } }), 'R', 'FAIL');
    expect(f.message).toMatch(/without MFA/);
  });
  test('Compliance: Bool [true, false] with an age bound still needs MFA (the age key exists only with MFA)', () => {
    expectStatus(rule, (s) => role(s, { Bool: { 'aws:MultiFactorAuthPresent': ['true', 'false'] }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }), 'R', 'PASS');
  });
  test('Noncompliance (passed before): several MFA age values are alternatives, the largest wins', () => {
    const f = expectStatus(rule, (s) => role(s, { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600', '999999'] } }), 'R', 'FAIL');
    expect(f.message).toMatch(/MFA sign-in/);
  });
  test('Compliance: MFA present and at most an hour old', () => {
    expectStatus(rule, (s) => role(s, { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }), 'R', 'PASS');
  });
});

describe('class 1 and 4: KMSKeyPolicySeparatesDuties follows the account root to every principal of the account', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const ROOT = `arn:aws:iam::${OWN}:root`;
  const key = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  const admin = (AWS: unknown) => ({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS }, Action: KEY_ADMIN_ACTIONS, Resource: '*' });
  const use = (AWS: unknown, Condition?: Record<string, unknown>) => ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', ...(Condition ? { Condition } : {}) });
  test('Noncompliance (passed before): unconfined use granted to the account reaches the key administrator role', () => {
    const f = expectStatus(rule, (s) => key(s, admin(`arn:aws:iam::${OWN}:role/KeyAdmin`), use(ROOT)), 'K', 'FAIL');
    expect(f.message).toMatch(/KeyAdmin/);
  });
  test('Noncompliance (passed before): administration through the account root reaches a user role whose IAM policy allows kms:*', () => {
    expectStatus(rule, (s) => {
      const app = new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      app.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
      key(s, admin(ROOT), use(app.roleArn));
    }, 'K', 'FAIL');
  });
  test('Noncompliance (passed before): StringNotEquals kms:ViaService confines nothing', () => {
    expectStatus(rule, (s) => key(s, admin(ROOT), use(ROOT, { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })), 'K', 'FAIL');
  });
  test('Noncompliance (passed before): ForAllValues on kms:EncryptionContextKeys is true for a request without a context', () => {
    expectStatus(rule, (s) => key(s, admin(ROOT), use(ROOT, { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3:arn'] } })), 'K', 'FAIL');
  });
  test('Compliance: use by the account only through S3, administration to the account', () => {
    expectStatus(rule, (s) => key(s, admin(ROOT), use(ROOT, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })), 'K', 'PASS');
    expectStatus(rule, (s) => new CustomerManagedKey(s, 'K', { alias: 'test/pii', viaServices: ['s3'] }), 'K/Resource/Resource', 'PASS');
  });
  test('Compliance: administration through the root, use by a role whose IAM policy allows only use', () => {
    expectStatus(rule, (s) => {
      const policy = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: KEY_ADMIN_ACTIONS, resources: ['*'] })] });
      const k = new kms.Key(s, 'K', { policy });
      k.grantEncryptDecrypt(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    }, 'K/Resource', 'PASS');
  });
});

describe('the alert topic key admits EventBridge as AWS calls it (no aws:SourceAccount)', () => {
  const rule = 'SNSAlertTopicEncryptedSubscribed';
  const alertTopic = (s: Stack, events_: Record<string, unknown> | undefined) => {
    const Statement: Record<string, unknown>[] = [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: KEY_ADMIN_ACTIONS, Resource: '*' }];
    if (events_) Statement.push({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', ...events_ });
    const k = new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
    const topic = new sns.Topic(s, 'T', { masterKey: kms.Key.fromCfnKey(k) });
    topic.addSubscription(new subs.EmailSubscription('oncall@example.com'));
    // L1 rule: the L2 SnsTopic target would add its own unconditioned statement for events.amazonaws.com to the key policy.
    new events.CfnRule(s, 'Findings', { eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] }, targets: [{ id: 'Alert', arn: topic.topicArn }] });
  };
  test('Noncompliance (passed before): the key admits EventBridge only with aws:SourceAccount, which it does not send', () => {
    const f = expectStatus(rule, (s) => alertTopic(s, { Condition: { StringEquals: { 'aws:SourceAccount': OWN } } }), 'T/Resource', 'FAIL');
    expect(f.message).toMatch(/events\.amazonaws\.com/);
  });
  test('Noncompliance (passed before): the key does not admit EventBridge at all', () => {
    expectStatus(rule, (s) => alertTopic(s, undefined), 'T/Resource', 'FAIL');
  });
  test('Compliance: the key admits EventBridge', () => {
    expectStatus(rule, (s) => alertTopic(s, {}), 'T/Resource', 'PASS');
  });
});

describe('the own organization is an input of the pack', () => {
  test('BreachLessonsChecks({ organizationId }) compares endpoint limits with it', () => {
    const build = (org: string) => {
      const app = new App();
      const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
      new ec2.CfnVPCEndpoint(s, 'E', {
        vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3',
        policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } }] },
      });
      const pack = new BreachLessonsChecks(app, { organizationId: OUR_ORG, rules: rulesNamed('VPCEndpointPolicyRestricted') });
      pack.validateScope(app);
      return pack.lastFindings.map((f) => f.status);
    };
    expect(build(OUR_ORG)).toEqual(['PASS']);
    expect(build(OTHER_ORG)).toEqual(['FAIL']);
  });
  test('a malformed organization id is a clear error', () => {
    expect(() => new BreachLessonsChecks(undefined, { organizationId: 'org-1' })).toThrow(/organizationId.*org-1/);
  });
});
