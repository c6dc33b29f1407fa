/**
 * The speed-ups of the pack give the answers of the plain paths they replace, on varied and
 * adversarial apps:
 * - lazy property rendering (each shape of value rendered once per validation, intrinsics in slots,
 *   only the required placeholders validated) equals CDK's own rendering of the whole resource;
 * - shared policy answers (sharedAnswer, sharedResult: one evaluation per canonical document) equal
 *   the question asked of each resource's own documents;
 * - findings built by findingMaker equal finding() (same keys in the same order);
 * - the acknowledgement scan skipped where scopes carry only acknowledgements of other rules still
 *   finds every acknowledgement of a rule of the pack.
 */
import { App, CfnParameter, CfnResource, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Finding, finding, findingMaker } from '../../lib/findings';
import { control } from '../../lib/lessons';
import { evaluateScope } from '../../lib/nag/evaluate';
import { CfnJson, ResourceIndex } from '../../lib/nag/resource-index';
import { ownOf, policyJson, sharedAnswer, syntheticValue } from '../../lib/nag/rules/common';
import { MAX_MFA_AGE_SECONDS, sharedTrustAnswer } from '../../lib/nag/rules/iam/IAMRoleTrustRequiresMFA';
import { rulesNamed } from '../../lib/nag/rules';
import { RequestPrincipal } from '../../lib/policy';
import { FOREIGN_ACCOUNT, deniesWithoutTls, outsiderAccess, trustAdmitsWithoutMfa } from '../../lib/policy/questions';
import { generate as policyHeavyApp } from '../../bench/nag-policy';

const ORG = 'o-a1b2c3d4e5';
const ACCOUNT = '111122223333';

/** Many resources of few shapes, differing in their references, with wildcards, conditions, parameters and overrides. */
function adversarialApp(): App {
  const app = new App();
  const s = new Stack(app, 'Adv', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const p = new CfnParameter(s, 'Outside').valueAsString;
  const user = new iam.User(s, 'Alice');
  const other = new iam.User(s, 'Bob');
  for (let i = 0; i < 6; i++) {
    const key = new kms.Key(s, `K${i}`, { enableKeyRotation: i % 2 === 0 });
    const bucket = new s3.Bucket(s, `B${i}`, {
      encryptionKey: i === 3 ? undefined : key, encryption: i === 3 ? s3.BucketEncryption.S3_MANAGED : undefined,
      enforceSSL: i !== 4, versioned: i % 2 === 1,
      lifecycleRules: i === 5 ? [{ id: 'r', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }] : undefined,
    });
    const queue = new sqs.Queue(s, `Q${i}`, { encryptionMasterKey: key, enforceSSL: true });
    const topic = new sns.Topic(s, `T${i}`, { masterKey: key });
    // Public, narrowed, partially wildcarded, naming another resource, or depending on a parameter.
    const conditions = [
      { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      {},
      { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
      { StringEquals: { 'aws:SourceAccount': p } },
      { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } },
      { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
    ][i];
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: i === 2 ? ['s3:*'] : ['s3:GetObject'],
      resources: [i === 1 ? 'arn:aws:s3:::*-bucket/*' : bucket.arnForObjects('*')], conditions,
    }));
    if (i === 4) {
      // The TLS deny by a pattern that matches this bucket's name only partially (renaming it would change the answer).
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:*'],
        resources: ['arn:aws:s3:::*-bucket', 'arn:aws:s3:::*-bucket/*'], conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    }
    queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [i === 1 ? new iam.AnyPrincipal() : new iam.ServicePrincipal('sns.amazonaws.com')], actions: ['sqs:SendMessage'], resources: [queue.queueArn], conditions,
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'], resources: [topic.topicArn], conditions }));
    const trust = [
      new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }),
      new iam.ArnPrincipal(user.userArn),
      new iam.ArnPrincipal(other.userArn).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      new iam.ArnPrincipal(p),
      new iam.AccountRootPrincipal(),
      new iam.AnyPrincipal().withConditions({ StringEquals: { 'aws:PrincipalOrgID': ORG } }),
    ][i];
    new iam.Role(s, `R${i}`, { assumedBy: trust });
    const sg = new ec2.CfnSecurityGroup(s, `Sg${i}`, {
      groupDescription: 'g', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: i === 2 ? '0.0.0.0/0' : '10.0.0.0/16' }],
      tags: [{ key: 'n', value: `${i}` }], vpcId: Fn.importValue(`Vpc${i % 2}`),
    });
    if (i === 4) sg.addPropertyOverride('SecurityGroupIngress.0.CidrIp', '0.0.0.0/0');
  }
  // Escape hatches on whole resources: a raw override, a logical id set by hand, a logical id renamed on the stack.
  const opened = new s3.CfnBucket(s, 'Opened', { versioningConfiguration: { status: 'Enabled' } });
  opened.addOverride('Properties.VersioningConfiguration.Status', 'Suspended');
  new s3.CfnBucketPolicy(s, 'OpenedPolicy', {
    bucket: opened.ref,
    policyDocument: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`${opened.attrArn}/*`] })] }),
  });
  const renamed = new kms.Key(s, 'Renamed');
  (new kms.Key(s, 'Overridden').node.defaultChild as kms.CfnKey).overrideLogicalId('HandNamedKey');
  s.renameLogicalId(s.getLogicalId(renamed.node.defaultChild as kms.CfnKey), 'RenamedKey');
  // A number that is a token (CDK encodes it as a huge negative double): a parameter, never a literal.
  new logs.CfnLogGroup(s, 'DaysFromParameter', { retentionInDays: new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber });
  new logs.CfnLogGroup(s, 'DaysLiteral', { retentionInDays: 1096 });
  return app;
}

function lazyAndFull(app: App): { path: string; lazy: unknown; full: unknown }[] {
  const ix = new ResourceIndex(app, { organizationId: ORG });
  const out: { path: string; lazy: unknown; full: unknown }[] = [];
  for (const node of ix.resources) {
    const logicalId = ix.logicalId(node);
    const rendered = Stack.of(node).resolve((node as unknown as { _toCloudFormation(): object })._toCloudFormation()) as { Resources: Record<string, { Properties?: unknown }> };
    // JSON drops keys whose value is undefined, as the template does.
    const lazy = JSON.parse(JSON.stringify({ ...ix.props(node) })) as unknown;
    out.push({ path: node.node.path, lazy, full: rendered.Resources[logicalId].Properties ?? {} });
  }
  return out;
}

describe('lazy property rendering with renderings shared per shape of value', () => {
  test.each([
    ['the policy-heavy bench app', () => policyHeavyApp(3)],
    ['an adversarial app (parameters, imports, overrides, tags, lists of structures)', adversarialApp],
  ])('equals CDK rendering of every property of every resource: %s', (_name, build) => {
    const rows = lazyAndFull(build());
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect({ path: r.path, props: r.lazy }).toEqual({ path: r.path, props: r.full });
  });

  test('a subclass overriding renderProperties is rendered by its own method, never from a shared rendering', () => {
    class Tagged extends s3.CfnBucket {
      protected renderProperties(props: Record<string, unknown>): Record<string, unknown> {
        const out = super.renderProperties(props);
        return { ...out, VersioningConfiguration: out.VersioningConfiguration === undefined ? undefined : { Status: 'Suspended' } };
      }
    }
    const app = new App();
    const s = new Stack(app, 'S');
    new s3.CfnBucket(s, 'Plain', { versioningConfiguration: { status: 'Enabled' } });
    new Tagged(s, 'Custom', { versioningConfiguration: { status: 'Enabled' } });
    const f = evaluateScope(app, { rules: rulesNamed('S3BucketVersioning') });
    expect(f.map((x) => `${x.resource.logicalId} ${x.status}`)).toEqual(['Plain PASS', 'Custom FAIL']);
    for (const r of lazyAndFull(app)) expect(r.lazy).toEqual(r.full);
  });
});

describe('shared policy answers equal the question asked of each resource', () => {
  const app = adversarialApp();
  const ix = new ResourceIndex(app, { organizationId: ORG });
  const docOf = (n: CfnResource, prop: string) => policyJson(ix, n, ix.props(n)[prop]);

  test('TLS and outsiders of every bucket, queue and topic policy (asked in turn, so later ones hit the cache)', () => {
    let compared = 0;
    for (const [type, actions] of [['AWS::S3::BucketPolicy', ['s3:GetObject']], ['AWS::SQS::QueuePolicy', ['sqs:SendMessage']], ['AWS::SNS::TopicPolicy', ['sns:Publish']]] as const) {
      for (const n of ix.ofType(type)) {
        let doc: unknown;
        try {
          doc = docOf(n, 'PolicyDocument');
        } catch {
          continue; // a document that cannot be converted is ERROR before any question
        }
        const own = ownOf(ix, n);
        const target = ix.resourceOf(n, (ix.props(n).Bucket ?? (ix.props(n).Queues as unknown[] | undefined)?.[0] ?? (ix.props(n).Topics as unknown[])[0]));
        const subject = syntheticValue(ix, target!, type === 'AWS::SNS::TopicPolicy' ? undefined : 'Arn') as string;
        const options = (s: string) => ({ defaultActions: actions, defaultResources: [s], wildcardOnly: true });
        expect(sharedAnswer(ix, `outsiders ${type}`, [doc], subject, own, ([d], s) => outsiderAccess(d, own, options(s))))
          .toEqual(outsiderAccess(doc, own, options(subject)));
        if (type === 'AWS::S3::BucketPolicy') {
          expect(sharedAnswer(ix, 'tls', [doc], subject, own, (d, s) => deniesWithoutTls(d, s, own))).toEqual(deniesWithoutTls([doc], subject, own));
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  test('role trust for own, foreign and app-named callers, each role in turn', () => {
    const callers: RequestPrincipal[] = [
      { arn: `arn:aws:iam::${ACCOUNT}:user/someone`, account: ACCOUNT, type: 'User' },
      { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SomeRole/session`, account: ACCOUNT, type: 'AssumedRole' },
      { arn: `arn:aws:iam::${FOREIGN_ACCOUNT}:user/someone`, account: FOREIGN_ACCOUNT, type: 'User' },
    ];
    const users = ix.ofType('AWS::IAM::User').map((u) => syntheticValue(ix, u, 'Arn') as string);
    let compared = 0;
    for (const role of ix.ofType('AWS::IAM::Role')) {
      const doc = docOf(role, 'AssumeRolePolicyDocument');
      const own = ownOf(ix, role);
      const roleArn = syntheticValue(ix, role, 'Arn') as string;
      for (const caller of [...callers, ...users.map((arn): RequestPrincipal => ({ arn, type: 'User' }))]) {
        expect(sharedTrustAnswer(ix, doc, roleArn, caller, own)).toEqual(trustAdmitsWithoutMfa(doc, roleArn, caller, own, MAX_MFA_AGE_SECONDS));
        compared++;
      }
    }
    expect(compared).toBe(6 * 5);
  });

  test('the rules give the same findings (status, message) with answers shared across resources and with every answer asked anew', () => {
    const rules = rulesNamed('ResourcePolicyNotPublic', 'S3BucketTLSOnly', 'IAMRoleTrustRequiresMFA', 'KMSKeyPolicySeparatesDuties');
    const together = evaluateScope(adversarialApp(), { rules, organizationId: ORG, now: new Date('2026-01-01T00:00:00Z') });
    expect(together.filter((f) => f.status === 'ERROR').length).toBeGreaterThan(0);
    expect(together.filter((f) => f.status === 'FAIL').length).toBeGreaterThan(0);
    expect(together.filter((f) => f.status === 'PASS').length).toBeGreaterThan(0);
    // The same app again, the shared answers cache emptied at every question.
    const alone: typeof together = [];
    const original = ResourceIndex.prototype.memo;
    const spy = jest.spyOn(ResourceIndex.prototype, 'memo').mockImplementation(function (this: ResourceIndex, name: string, build: () => unknown) {
      return name === 'sharedAnswers' ? build() : original.call(this, name, build);
    } as typeof original);
    try {
      alone.push(...evaluateScope(adversarialApp(), { rules, organizationId: ORG, now: new Date('2026-01-01T00:00:00Z') }));
    } finally {
      spy.mockRestore();
    }
    expect(together.map((f) => [f.ruleId, f.resource.id, f.status, f.message])).toEqual(alone.map((f) => [f.ruleId, f.resource.id, f.status, f.message]));
  });
});

describe('findingMaker', () => {
  test('gives what finding() gives for the literal the pack built before, keys in the same order', () => {
    const c = control('DATA-TLS');
    const resource = { id: 'S/B/Resource', constructPath: 'S/B/Resource', logicalId: 'B', template: 'S.template.json', type: 'AWS::S3::Bucket' };
    for (const citations of [c.citations.slice(0, 2), undefined]) {
      const make = findingMaker({ ruleId: 'BreachLessons-S3BucketTLSOnly', controlId: c.id, source: 'synth', severity: 'error', remediation: 'fix it', citations });
      for (const status of ['PASS', 'FAIL', 'ERROR'] as const) {
        // The pack's former `finding({ ...base, status, message })`, base in this order.
        const base = { ruleId: 'BreachLessons-S3BucketTLSOnly', controlId: c.id, source: 'synth' as const, severity: 'error' as const, resource, remediation: 'fix it', citations };
        expect(JSON.stringify(make(resource, status, 'm'))).toBe(JSON.stringify(finding({ ...base, status, message: 'm' })));
      }
    }
  });

  test('fails when a citation is not one of the control: at once, before any finding', () => {
    const c = control('DATA-TLS');
    expect(() => findingMaker({ ruleId: 'r', controlId: c.id, source: 'synth', severity: 'error', citations: [{ framework: 'glba', section: '314.4(z)' }] })).toThrow(/does not cite/);
  });
});

describe('acknowledgements beside CDK acknowledgements of other rules', () => {
  const RULE = 'IAMPolicyNoWildcardAdmin';
  const wild = (s: Stack) => new iam.Role(s, 'R', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: { p: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] }) },
  });
  const statusOf = (ack: (s: Stack, r: iam.Role) => void, ruleSet = rulesNamed(RULE)) => {
    const app = new App();
    const s = new Stack(app, 'S');
    // Every stack that reads its availability zones carries CDK's own acknowledgement of W3010.
    Validations.of(s).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'CDK' });
    ack(s, wild(s));
    return evaluateScope(app, { rules: ruleSet, now: new Date('2026-01-01T00:00:00Z') }).filter((f) => f.resource.id === 'S/R/Resource').map((f) => `${f.status} ${/ungoverned/.test(f.message) ? 'ungoverned' : ''}`.trim());
  };

  test('an acknowledgement of another rule only: the finding stands', () => {
    expect(statusOf((_s, r) => Validations.of(r).acknowledge({ id: 'AwsSolutions-IAM5', reason: 'x' }))).toEqual(['FAIL']);
  });

  test.each(['BreachLessons-IAMPolicyNoWildcardAdmin', 'BreachLessons::BreachLessons-IAMPolicyNoWildcardAdmin', 'Annotation::BreachLessons-IAMPolicyNoWildcardAdmin'])(
    'a plain acknowledgement %s on a scope beside W3010 is found and rejected as ungoverned', (id) => {
      expect(statusOf((s) => Validations.of(s).acknowledge({ id, reason: 'trust me' }))).toEqual(['FAIL ungoverned']);
    });

  test('an acknowledgement of a rule the pack does not run is not read for the rules it runs', () => {
    expect(statusOf((_s, r) => Validations.of(r).acknowledge({ id: 'BreachLessons-S3BucketVersioning', reason: 'other rule' }))).toEqual(['FAIL']);
  });
});

/**
 * Every resource rendered whole, as synthesis renders it (no lazy or shared renderings); with no
 * construct values behind the rendering, every fast path reading them takes the resolved path.
 * `fn` runs with the plain path, which is restored afterwards.
 */
function plainly<T>(fn: () => T): T {
  const rendered = new WeakMap<ResourceIndex, Map<CfnResource, CfnJson>>();
  const spy = jest.spyOn(ResourceIndex.prototype, 'cfn').mockImplementation(function (this: ResourceIndex, node: CfnResource): CfnJson {
    let m = rendered.get(this);
    if (!m) rendered.set(this, (m = new Map()));
    let r = m.get(node);
    if (!r) {
      const out = Stack.of(node).resolve((node as unknown as { _toCloudFormation(): object })._toCloudFormation()) as { Resources: Record<string, CfnJson> };
      m.set(node, (r = Object.values(out.Resources)[0]));
    }
    return r;
  });
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

const NOW = new Date('2026-01-01T00:00:00Z');
const shown = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.resource.id, f.resource.logicalId, f.status, f.message].join(' | '));

describe('the whole pack with its lazy renderings equals the pack rendering every resource whole', () => {
  test.each([
    ['the policy-heavy bench app', () => policyHeavyApp(3)],
    ['an adversarial app (parameters, number parameters, imports, overrides, renamed ids, tags, lists of structures)', adversarialApp],
  ])('every finding of every rule: %s', (_name, build) => {
    const fast = evaluateScope(build(), { organizationId: ORG, now: NOW });
    const plain = plainly(() => evaluateScope(build(), { organizationId: ORG, now: NOW }));
    expect(fast.length).toBeGreaterThan(100);
    expect(shown(fast)).toEqual(shown(plain));
  });

  test('a retention read from a number parameter cannot be verified; a literal one is judged', () => {
    const days = evaluateScope(adversarialApp(), { rules: rulesNamed('LogGroupRetention'), now: NOW });
    const status = (id: string) => days.filter((f) => f.resource.id.endsWith(`/${id}`)).map((f) => f.status);
    expect(status('DaysFromParameter')).toEqual(['ERROR']);
    expect(status('DaysLiteral')).toEqual(['PASS']);
  });
});
