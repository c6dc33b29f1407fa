import { App, Aws, CfnOutput, CfnParameter, CfnResource, Duration, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SSE_S3_ACCESS_LOG_EXCEPTION } from '../../../lib/nag/rules/s3/S3BucketCustomerManagedKey';
import { PiiBucket } from '../../../lib/constructs/pii-bucket';
import { DATA_CLASS_TAG_KEY } from '../../../lib/constructs/tags';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param, paramValue, synthFast } from '../helpers';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const kmsBucket = (s: Stack, keyId: string) => new s3.CfnBucket(s, 'B', {
  bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId } }] },
});

describe('S3BucketCustomerManagedKey', () => {
  const rule = 'S3BucketCustomerManagedKey';
  test('Compliance 1: L2 bucket under a customer-managed key', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(s, 'K') }), 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 bucket with a literal customer key ARN', () => {
    expectRule(rule, (s) => kmsBucket(s, KEY_ARN), 'B', 'PASS');
  });
  test('Compliance 3: SSE-S3 on an explicitly marked access-log bucket', () => {
    expectRule(rule, (s) => {
      const b = new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.S3_MANAGED });
      (b.node.defaultChild as s3.CfnBucket).addMetadata(SSE_S3_ACCESS_LOG_EXCEPTION, true);
    }, 'B/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 SSE-S3 without the exception', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.S3_MANAGED }), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 2: L2 KMS_MANAGED (the aws/s3 key)', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS_MANAGED }), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 3: L1 bucket naming alias/aws/s3', () => {
    expectRule(rule, (s) => kmsBucket(s, 'alias/aws/s3'), 'B', 'FAIL');
  });
  test('Noncompliance 4: L1 bucket without default encryption', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => kmsBucket(s, param(s)), 'B', 'ERROR');
  });
});

describe('S3BucketBlockPublicAccess', () => {
  const rule = 'S3BucketBlockPublicAccess';
  test('Compliance 1: L2 BLOCK_ALL', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }), 'B/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 BLOCK_ACLS only', () => {
    const f = expectRule(rule, (s) => new s3.Bucket(s, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY }), 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/BlockPublicPolicy is not true/);
  });
  test('Noncompliance 2: L1 bucket without the configuration', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL');
  });
  test('Unresolved 1: a setting is a parameter', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', {
      publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: paramValue(s), ignorePublicAcls: true, restrictPublicBuckets: true },
    }), 'B', 'ERROR');
  });
});

describe('S3BucketNoPublicAcl', () => {
  const rule = 'S3BucketNoPublicAcl';
  test('Compliance 1: L2 bucket without an ACL', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 Private ACL', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { accessControl: 'Private' }), 'B', 'PASS');
  });
  test('Noncompliance 1: L2 PUBLIC_READ', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { accessControl: s3.BucketAccessControl.PUBLIC_READ }), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 AuthenticatedRead', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { accessControl: 'AuthenticatedRead' }), 'B', 'FAIL');
  });
  test('Unresolved 1: the ACL is a parameter', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { accessControl: param(s) }), 'B', 'ERROR');
  });
});

describe('S3BucketTLSOnly', () => {
  const rule = 'S3BucketTLSOnly';
  const denyStatement = (principal: unknown) => ({
    Effect: 'Deny', Principal: principal, Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  test('Compliance 1: L2 enforceSSL', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { enforceSSL: true }), 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 bucket and L1 policy denying non-TLS', () => {
    expectRule(rule, (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [denyStatement({ AWS: '*' })] } });
    }, 'B', 'PASS');
  });
  test('Noncompliance 1: L2 bucket without enforceSSL', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 2: a policy denying only some principals', () => {
    expectRule(rule, (s) => {
      const b = new s3.Bucket(s, 'B');
      b.addToResourcePolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY, principals: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/x')], actions: ['s3:*'],
        resources: [b.bucketArn], conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    }, 'B/Resource', 'FAIL');
  });
  test('Unresolved 1: the principal of the deny is a parameter', () => {
    expectRule(rule, (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [denyStatement({ AWS: param(s) })] } });
    }, 'B', 'ERROR');
  });
});

describe('S3BucketVersioning', () => {
  const rule = 'S3BucketVersioning';
  test('Compliance 1: L2 versioned', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { versioned: true }), 'B/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 default', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 suspended', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { versioningConfiguration: { status: 'Suspended' } }), 'B', 'FAIL');
  });
  test('Unresolved 1: the status is a parameter', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { versioningConfiguration: { status: param(s) } }), 'B', 'ERROR');
  });
});

// ---- PII buckets (tagged hardening:data-class) -------------------------------------------------

/** Tags a bucket as PII the way Tags.of does at synthesis (aspects do not run in these unit cases). */
const pii = <T extends s3.Bucket | s3.CfnBucket>(b: T): T => {
  const cfn = (b instanceof s3.Bucket ? b.node.defaultChild : b) as s3.CfnBucket;
  cfn.tags.setTag(DATA_CLASS_TAG_KEY, 'customer-pii');
  return b;
};

describe('S3BucketNoncurrentVersionExpiry', () => {
  const rule = 'S3BucketNoncurrentVersionExpiry';
  const l1 = (s: Stack, r: s3.CfnBucket.RuleProperty) => pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: { rules: [r] } }));
  test('Compliance 1: L2 PII bucket expiring noncurrent versions after 365 days', () => {
    expectRule(rule, (s) => pii(new s3.Bucket(s, 'B', { versioned: true, lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365) }] })), 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 rule with NoncurrentDays 730', () => {
    expectRule(rule, (s) => l1(s, { status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 730 } }), 'B', 'PASS');
  });
  test('Compliance 3: PiiBucket (Tags.of at synthesis)', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    new PiiBucket(s, 'Customers', { accessLogBucket: new s3.Bucket(s, 'Logs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER }) });
    synthFast(app);
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['S/Customers/Resource/Resource PASS']);
  });
  test('Compliance 4: a bucket without the data-class tag is not evaluated', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B'), 'B/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 PII bucket without lifecycle rules', () => {
    const f = expectRule(rule, (s) => pii(new s3.Bucket(s, 'B', { versioned: true })), 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/no enabled lifecycle rule expires noncurrent versions/);
  });
  test('Noncompliance 2: L1 rule keeping noncurrent versions 1095 days', () => {
    const f = expectRule(rule, (s) => l1(s, { id: 'keep', status: 'Enabled', noncurrentVersionExpirationInDays: 1095 }), 'B', 'FAIL');
    expect(f!.message).toMatch(/rule 'keep' keeps noncurrent versions 1095 days \(more than 730\)/);
  });
  test('Noncompliance 3: only under a prefix, or keeping the newest versions, or disabled', () => {
    const f = expectRule(rule, (s) => pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: { rules: [
      { status: 'Enabled', prefix: 'tmp/', noncurrentVersionExpiration: { noncurrentDays: 30 } },
      { status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 3 } },
      { status: 'Disabled', noncurrentVersionExpiration: { noncurrentDays: 30 } },
    ] } })), 'B', 'FAIL');
    expect(f!.message).toMatch(/only under prefix 'tmp\/'.*keeps the 3 newest noncurrent versions without limit/);
  });
  test('Unresolved 1: the days are a parameter', () => {
    expectRule(rule, (s) => l1(s, { status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: paramValue(s) as unknown as number } }), 'B', 'ERROR');
  });
  test('Unresolved 2: a tag key is a parameter, so the bucket may hold PII', () => {
    expectRule(rule, (s) => new s3.CfnBucket(s, 'B', { tags: [{ key: param(s), value: 'x' }] }), 'B', 'ERROR');
  });
});

describe('S3BucketMinimumTLS12', () => {
  const rule = 'S3BucketMinimumTLS12';
  const tlsDeny = (version: unknown) => ({
    Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:TlsVersion': version } },
  });
  const l1 = (s: Stack, version: unknown) => {
    const b = pii(new s3.CfnBucket(s, 'B'));
    new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [tlsDeny(version)] } });
  };
  test('Compliance 1: L2 minimumTLSVersion 1.2', () => {
    expectRule(rule, (s) => pii(new s3.Bucket(s, 'B', { enforceSSL: true, minimumTLSVersion: 1.2 })), 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 policy denying TLS below 1.3', () => {
    expectRule(rule, (s) => l1(s, '1.3'), 'B', 'PASS');
  });
  test('Compliance 3: not a PII bucket: not evaluated', () => {
    expectRule(rule, (s) => new s3.Bucket(s, 'B', { enforceSSL: true }), 'B/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 enforceSSL without a minimum version', () => {
    const f = expectRule(rule, (s) => pii(new s3.Bucket(s, 'B', { enforceSSL: true })), 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/no bucket policy denies TLS below 1.2/);
  });
  test('Noncompliance 2: L1 policy denying only TLS below 1.1', () => {
    const f = expectRule(rule, (s) => l1(s, 1.1), 'B', 'FAIL');
    expect(f!.message).toMatch(/denies only TLS below 1.1/);
  });
  test('Unresolved 1: the version is a parameter', () => {
    expectRule(rule, (s) => l1(s, param(s)), 'B', 'ERROR');
  });
});

describe('S3BucketDataEventsLogged', () => {
  const rule = 'S3BucketDataEventsLogged';
  const trailWith = (s: Stack, props: Partial<cloudtrail.CfnTrailProps>) => new cloudtrail.CfnTrail(s, 'Trail', {
    isLogging: true, s3BucketName: 'archive', ...props,
  });
  test('Compliance 1: L2 trail with an S3 event selector on the bucket', () => {
    expectRule(rule, (s) => {
      const b = pii(new s3.Bucket(s, 'B'));
      new cloudtrail.Trail(s, 'Trail').addS3EventSelector([{ bucket: b }], { readWriteType: cloudtrail.ReadWriteType.ALL });
    }, 'B/Resource', 'PASS');
  });
  test('Compliance 2: L1 trail logging every bucket (arn:aws:s3)', () => {
    expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B'));
      trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    }, 'B', 'PASS');
  });
  test('Compliance 3: L1 advanced selector with the bucket ARN, reads and writes', () => {
    expectRule(rule, (s) => {
      const b = pii(new s3.CfnBucket(s, 'B', { bucketName: 'customer-records' }));
      trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${b.attrArn}/`] },
      ] }] });
    }, 'B', 'PASS');
  });
  test('a selector naming one bucket of the app by reference records that bucket only: another PII bucket beside it FAILs', () => {
    const build = (s: Stack) => {
      const a = pii(new s3.CfnBucket(s, 'A'));
      pii(new s3.CfnBucket(s, 'B'));
      trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [`${a.attrArn}/`] }] }] });
    };
    expectRule(rule, build, 'A', 'PASS');
    expectRule(rule, build, 'B', 'FAIL');
  });
  test('Compliance 4: a literal bucket name in a ReadOnly and a WriteOnly selector', () => {
    expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B', { bucketName: 'customer-records' }));
      trailWith(s, { eventSelectors: ['ReadOnly', 'WriteOnly'].map((readWriteType) => ({
        readWriteType, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::customer-records/'] }],
      })) });
    }, 'B', 'PASS');
  });
  test('Compliance 5: across stacks, after synthesis (the bucket ARN is passed from the data stack)', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'us-east-1' } });
    const logging = new Stack(app, 'Logging', { env: { account: '111122223333', region: 'us-east-1' } });
    const bucket = new s3.Bucket(data, 'Pii');
    Tags.of(bucket).add(DATA_CLASS_TAG_KEY, 'customer-pii');
    new cloudtrail.Trail(logging, 'Trail').addS3EventSelector([{ bucket }]);
    synthFast(app);
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/Pii/Resource PASS']);
  });
  test('Noncompliance 1: no trail at all', () => {
    const f = expectRule(rule, (s) => pii(new s3.Bucket(s, 'B')), 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/no trail records S3 object-level events of this bucket/);
  });
  test('Noncompliance 2: L2 selector for writes only, under a prefix', () => {
    const f = expectRule(rule, (s) => {
      const b = pii(new s3.Bucket(s, 'B'));
      const trail = new cloudtrail.Trail(s, 'Trail');
      trail.addS3EventSelector([{ bucket: b }], { readWriteType: cloudtrail.ReadWriteType.WRITE_ONLY });
      trail.addS3EventSelector([{ bucket: b, objectPrefix: 'exports/' }]);
    }, 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/only objects under 'exports\/'.*only writes are recorded/);
  });
  test('Noncompliance 3: an advanced selector on all buckets that excludes this one', () => {
    expectRule(rule, (s) => {
      const b = pii(new s3.CfnBucket(s, 'B'));
      trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', notStartsWith: [`${b.attrArn}/`] },
      ] }] });
    }, 'B', 'FAIL');
  });
  test('Unresolved 1: the selector value is a parameter', () => {
    expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B'));
      trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [param(s)] }] }] });
    }, 'B', 'ERROR');
  });
});

// ---- S3BucketDataEventsLogged: false passes and surviving mutants (issue 14, helper mut-s3) ----------------

describe('S3BucketDataEventsLogged: what a trail really records', () => {
  const rule = 'S3BucketDataEventsLogged';
  const NAME = 'customer-records';
  const trailWith = (s: Stack, props: Partial<cloudtrail.CfnTrailProps>, id = 'Trail') => new cloudtrail.CfnTrail(s, id, {
    isLogging: true, s3BucketName: 'archive', ...props,
  });
  const named = (s: Stack) => pii(new s3.CfnBucket(s, 'B', { bucketName: NAME }));
  /** An advanced selector on S3 object data events, with the given resources.ARN field (none: every bucket). */
  const objects = (arn?: Omit<cloudtrail.CfnTrail.AdvancedFieldSelectorProperty, 'field'>, extra: cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[] = []) => ({
    fieldSelectors: [
      { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
      ...(arn ? [{ field: 'resources.ARN', ...arn }] : []), ...extra,
    ],
  });

  test('fails when resources.ARN Equals the bucket ARN: Equals matches one object ARN exactly, so no object of the bucket is recorded', () => {
    const f = expectRule(rule, (s) => {
      const b = named(s);
      trailWith(s, { advancedEventSelectors: [objects({ equalTo: [`${b.attrArn}/`] })] });
    }, 'B', 'FAIL');
    expect(f!.message).toMatch(/Equals/);
  });

  test('fails when resources.ARN Equals the all-buckets form arn:aws:s3::: (it names no object)', () => {
    expectRule(rule, (s) => {
      named(s);
      trailWith(s, { advancedEventSelectors: [objects({ equalTo: ['arn:aws:s3:::'] })] });
    }, 'B', 'FAIL');
  });

  test('fails when StartsWith every bucket is ANDed with NotStartsWith this bucket (the exclusion is not ignored)', () => {
    expectRule(rule, (s) => {
      named(s);
      trailWith(s, { advancedEventSelectors: [objects({ startsWith: ['arn:aws:s3:::'], notStartsWith: [`arn:aws:s3:::${NAME}/`] })] });
    }, 'B', 'FAIL');
  });

  test('fails when StartsWith this bucket is ANDed with NotStartsWith one of its prefixes (objects under it are not recorded)', () => {
    expectRule(rule, (s) => {
      const b = named(s);
      trailWith(s, { advancedEventSelectors: [objects({ startsWith: [`${b.attrArn}/`], notStartsWith: [`${b.attrArn}/exports/`] })] });
    }, 'B', 'FAIL');
  });

  test('cannot verify when an exclusion of an all-buckets selector is a parameter (it may be this bucket)', () => {
    expectRule(rule, (s) => {
      named(s);
      trailWith(s, { advancedEventSelectors: [objects({ notStartsWith: [param(s)] })] });
    }, 'B', 'ERROR');
  });

  test('fails when the only trail is in another account: a trail records the events of its own account', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'us-east-1' } });
    const logging = new Stack(app, 'Logging', { env: { account: '444455556666', region: 'us-east-1' } });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    trailWith(logging, { isMultiRegionTrail: true, eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/B FAIL']);
    expect(f[0].message).toMatch(/Logging\/Trail.*444455556666\/us-east-1/);
  });

  test('fails when the only trail is a single-region trail of another region', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'eu-west-1' } });
    const logging = new Stack(app, 'Logging', { env: { account: '111122223333', region: 'us-east-1' } });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    trailWith(logging, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${NAME}/`] }] }] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/B FAIL']);
  });

  test('passes with a multi-region trail of another region, or an organization trail of another account', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'eu-west-1' } });
    const org = new Stack(app, 'Org', { env: { account: '444455556666', region: 'us-east-1' } });
    const logging = new Stack(app, 'Logging', { env: { account: '111122223333', region: 'us-east-1' } });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    trailWith(org, { isMultiRegionTrail: true, isOrganizationTrail: true, eventSelectors: [{ readWriteType: 'ReadOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    trailWith(logging, { isMultiRegionTrail: true, eventSelectors: [{ readWriteType: 'WriteOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/B PASS']);
  });

  test('cannot verify when the trail\'s account cannot be compared with the bucket\'s', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'us-east-1' } });
    const logging = new Stack(app, 'Logging', { env: { region: 'us-east-1' } });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    trailWith(logging, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/B ERROR']);
    expect(f[0].message).toMatch(/cannot verify.*Logging\/Trail/);
  });
});

describe('S3BucketDataEventsLogged: how selector values are read', () => {
  const rule = 'S3BucketDataEventsLogged';
  const NAME = 'customer-records';
  const trailWith = (s: Stack, props: Partial<cloudtrail.CfnTrailProps>) => new cloudtrail.CfnTrail(s, 'Trail', {
    isLogging: true, s3BucketName: 'archive', ...props,
  });
  const named = (s: Stack) => pii(new s3.CfnBucket(s, 'B', { bucketName: NAME }));
  const basic = (s: Stack, values: unknown[], readWriteType?: string) =>
    trailWith(s, { eventSelectors: [{ readWriteType, dataResources: [{ type: 'AWS::S3::Object', values: values as string[] }] }] });
  const advancedOn = (s: Stack, arn?: Record<string, unknown>, extra: Record<string, unknown>[] = []) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [
    { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
    ...(arn ? [{ field: 'resources.ARN', ...arn }] : []), ...extra,
  ] as unknown as cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[] }] });

  test('passes for an imported bucket named in an ARN built with the partition (arn:${AWS::Partition}:s3:::name/)', () => {
    expectRule(rule, (s) => {
      named(s);
      new cloudtrail.Trail(s, 'Trail').addS3EventSelector([{ bucket: s3.Bucket.fromBucketName(s, 'Imported', NAME) }]);
    }, 'B', 'PASS');
  });
  test('passes when the ARN is built from the bucket\'s own name (Ref), and from a name without the trailing slash', () => {
    expectRule(rule, (s) => {
      const b = named(s);
      basic(s, [`arn:${Aws.PARTITION}:s3:::${b.ref}/`]);
    }, 'B', 'PASS');
    expectRule(rule, (s) => {
      named(s);
      advancedOn(s, { startsWith: [`arn:aws:s3:::${NAME}`] });
    }, 'B', 'PASS');
  });
  test('passes for an ARN exported by another stack of the app and imported by the trail (Fn::ImportValue)', () => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'us-east-1' } });
    const logging = new Stack(app, 'Logging', { env: { account: '111122223333', region: 'us-east-1' } });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    new CfnOutput(data, 'Out', { value: `arn:aws:s3:::${NAME}/`, exportName: 'PiiBucketObjects' });
    new cloudtrail.CfnTrail(logging, 'Trail', { isLogging: true, s3BucketName: 'archive', eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [Fn.importValue('PiiBucketObjects')] }] }] });
    const f = evaluateScope(app, { rules: rulesNamed(rule) });
    expect(f.map((x) => `${x.resource.id} ${x.status}`)).toEqual(['Data/B PASS']);
  });
  test('cannot verify a bucket whose name holds the account id, nor a selector naming it the same way', () => {
    const f = expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B', { bucketName: `${NAME}-${Aws.ACCOUNT_ID}` }));
      basic(s, [`arn:aws:s3:::${NAME}-${Aws.ACCOUNT_ID}/`]);
    }, 'B', 'ERROR');
    expect(f!.message).toMatch(/cannot verify a trail data-event selector: unresolved value .*AWS::AccountId/);
  });
  test('cannot verify a value joined with a parameter (a suffix, or the delimiter)', () => {
    expectRule(rule, (s) => {
      named(s);
      advancedOn(s, { startsWith: [`arn:aws:s3:::${NAME}${param(s)}`] });
    }, 'B', 'ERROR');
    expectRule(rule, (s) => {
      named(s);
      new CfnParameter(s, 'Sep');
      basic(s, [{ 'Fn::Join': [{ Ref: 'Sep' }, ['arn:aws:s3:::', NAME, '/']] }]);
    }, 'B', 'ERROR');
    expectRule(rule, (s) => {
      const b = named(s);
      advancedOn(s, { startsWith: [`${b.attrArn}/${param(s)}`] });
    }, 'B', 'ERROR');
  });
  test('cannot verify a bucket name taken from another resource (a custom resource may return this bucket\'s name)', () => {
    expectRule(rule, (s) => {
      named(s);
      const names = new CfnResource(s, 'Names', { type: 'Custom::BucketName' });
      basic(s, [`arn:aws:s3:::${names.ref}/`]);
    }, 'B', 'ERROR');
  });
  test('does not read another attribute of the bucket, or its name with a suffix, as the bucket', () => {
    expectRule(rule, (s) => {
      const b = named(s);
      basic(s, [`arn:aws:s3:::${b.attrDomainName}/`]);
    }, 'B', 'ERROR');
    expectRule(rule, (s) => {
      const b = named(s);
      basic(s, [`arn:aws:s3:::${b.ref}-archive/`]);
    }, 'B', 'ERROR');
  });
  test('the all-buckets form is the whole value: another bucket, even one whose prefix spells arn:aws:s3:::, is another bucket', () => {
    expectRule(rule, (s) => { named(s); basic(s, ['arn:aws:s3:::other-bucket/']); }, 'B', 'FAIL');
    expectRule(rule, (s) => { named(s); basic(s, ['arn:aws:s3:::other-bucket/arn:aws:s3:::']); }, 'B', 'FAIL');
  });
  test('cannot verify a value that is not an S3 ARN (text before arn:, a line break)', () => {
    expectRule(rule, (s) => { named(s); basic(s, [`urn:arn:aws:s3:::${NAME}/`]); }, 'B', 'ERROR');
    expectRule(rule, (s) => { named(s); basic(s, [`arn:aws:s3:::${NAME}/\nexports/`]); }, 'B', 'ERROR');
  });
  test('names a sibling bucket\'s selector (bucket ARN + "-archive/") by what follows the ARN', () => {
    const f = expectRule(rule, (s) => {
      const b = named(s);
      advancedOn(s, { startsWith: [`${b.attrArn}-archive/`] });
    }, 'B', 'FAIL');
    expect(f!.message).toContain("'-archive/'");
  });
  test('a trail that is not logging records nothing; one whose logging is a parameter cannot be verified', () => {
    expectRule(rule, (s) => { named(s); basic(s, ['arn:aws:s3']).isLogging = false; }, 'B', 'FAIL');
    expectRule(rule, (s) => { named(s); basic(s, ['arn:aws:s3']).isLogging = paramValue(s) as unknown as boolean; }, 'B', 'ERROR');
  });
  test.each([
    ['EventSelectors', (s: Stack) => trailWith(s, { eventSelectors: param(s) as never })],
    ['event selector', (s: Stack) => trailWith(s, { eventSelectors: [param(s)] as never })],
    ['ReadWriteType', (s: Stack) => basic(s, ['arn:aws:s3'], param(s))],
    ['DataResources', (s: Stack) => trailWith(s, { eventSelectors: [{ dataResources: param(s) as never }] })],
    ['data resource', (s: Stack) => trailWith(s, { eventSelectors: [{ dataResources: [param(s)] as never }] })],
    ['data resource Type', (s: Stack) => trailWith(s, { eventSelectors: [{ dataResources: [{ type: param(s), values: ['arn:aws:s3'] }] }] })],
    ['data resource Values', (s: Stack) => trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: param(s) as never }] }] })],
    ['AdvancedEventSelectors', (s: Stack) => trailWith(s, { advancedEventSelectors: param(s) as never })],
    ['advanced event selector', (s: Stack) => trailWith(s, { advancedEventSelectors: [param(s)] as never })],
    ['FieldSelectors', (s: Stack) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: param(s) as never }] })],
    ['field selector', (s: Stack) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [param(s)] as never }] })],
    ['field selector Field', (s: Stack) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [{ field: param(s) }] }] })],
    ['eventCategory Equals', (s: Stack) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equalTo: param(s) as never }] }] })],
    ['eventCategory Equals', (s: Stack) => trailWith(s, { advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equalTo: [paramValue(s)] as never }] }] })],
    ['resources.ARN Equals', (s: Stack) => advancedOn(s, { equalTo: param(s) })],
    ['resources.ARN StartsWith', (s: Stack) => advancedOn(s, { startsWith: param(s) })],
    ['resources.ARN NotEquals', (s: Stack) => advancedOn(s, { notEquals: param(s) })],
    ['resources.ARN NotStartsWith', (s: Stack) => advancedOn(s, { notStartsWith: param(s) })],
  ])('cannot verify: the message names the unresolved %s', (what, build) => {
    const f = expectRule(rule, (s) => { named(s); build(s); }, 'B', 'ERROR');
    expect(f!.message).toContain(`cannot verify ${what}: unresolved value`);
  });
});

describe('S3BucketDataEventsLogged: reads, writes, and which selectors count', () => {
  const rule = 'S3BucketDataEventsLogged';
  const NAME = 'customer-records';
  const trailWith = (s: Stack, props: Partial<cloudtrail.CfnTrailProps>) => new cloudtrail.CfnTrail(s, 'Trail', {
    isLogging: true, s3BucketName: 'archive', ...props,
  });
  const named = (s: Stack) => pii(new s3.CfnBucket(s, 'B', { bucketName: NAME }));
  const unnamed = (s: Stack) => pii(new s3.CfnBucket(s, 'B'));
  const advancedWith = (s: Stack, fieldSelectors: cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[]) =>
    trailWith(s, { advancedEventSelectors: [{ fieldSelectors }] });
  const DATA = { field: 'eventCategory', equalTo: ['Data'] };
  const OBJECTS = { field: 'resources.type', equalTo: ['AWS::S3::Object'] };
  
  /** The reasons a FAIL gives, after the rule's info. */
  const reasonsOf = (f: { message: string } | undefined) => /of the PII bucket \((.*)\)$/.exec(f!.message)![1].split('; ');
  const NONE = 'no trail records S3 object-level events of this bucket';

  test('a ReadOnly basic selector records only reads', () => {
    const f = expectRule(rule, (s) => {
      unnamed(s);
      trailWith(s, { eventSelectors: [{ readWriteType: 'ReadOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] });
    }, 'B', 'FAIL');
    expect(reasonsOf(f)).toEqual(['only reads are recorded, not writes']);
  });
  test('a basic selector on Lambda functions records no S3 object', () => {
    const f = expectRule(rule, (s) => {
      unnamed(s);
      trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }] }] });
    }, 'B', 'FAIL');
    expect(reasonsOf(f)).toEqual([NONE]);
  });
  test('advanced selectors on management events, or on data events of Lambda, record no S3 object', () => {
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [{ field: 'eventCategory', equalTo: ['Management'] }]); }, 'B', 'FAIL');
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, { field: 'resources.type', equalTo: ['AWS::Lambda::Function'] }]); }, 'B', 'FAIL');
  });
  test('an advanced selector on every bucket, without a resources.ARN field, records the bucket', () => {
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS]); }, 'B', 'PASS');
  });
  test('an advanced selector filtered on eventName records only some events', () => {
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'eventName', equalTo: ['GetObject'] }]); }, 'B', 'FAIL');
  });
  test('readOnly true records only reads; readOnly false only writes; both values record both', () => {
    const reads = expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'readOnly', equalTo: ['true'] }]); }, 'B', 'FAIL');
    expect(reasonsOf(reads)).toEqual(['only reads are recorded, not writes']);
    const writes = expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'readOnly', equalTo: ['false'] }]); }, 'B', 'FAIL');
    expect(reasonsOf(writes)).toEqual(['only writes are recorded, not reads']);
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'readOnly', equalTo: ['true', 'false'] }]); }, 'B', 'PASS');
  });
  test('EndsWith and NotEndsWith on resources.ARN select objects by suffix: not every object', () => {
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', endsWith: ['.csv'] }]); }, 'B', 'FAIL');
    expectRule(rule, (s) => { unnamed(s); advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', notEndsWith: ['.tmp'] }]); }, 'B', 'FAIL');
  });
  test('StartsWith another bucket only records that bucket; every bucket but another one records this one', () => {
    expectRule(rule, (s) => { named(s); advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::other-bucket/'] }]); }, 'B', 'FAIL');
    expectRule(rule, (s) => { named(s); advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::other-bucket/'] }]); }, 'B', 'PASS');
  });
  test('NotStartsWith the all-buckets form excludes every bucket', () => {
    expectRule(rule, (s) => { named(s); advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::'] }]); }, 'B', 'FAIL');
  });
  test('the reasons name each prefix a trail records, by bucket resource and by bucket name, and nothing else', () => {
    const byResource = expectRule(rule, (s) => {
      const b = pii(new s3.Bucket(s, 'B'));
      new cloudtrail.Trail(s, 'Trail').addS3EventSelector([{ bucket: b, objectPrefix: 'exports/' }]);
    }, 'B/Resource', 'FAIL');
    expect(reasonsOf(byResource)).toEqual(["a trail records only objects under 'exports/'", NONE]);
    const byName = expectRule(rule, (s) => {
      named(s);
      trailWith(s, { eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${NAME}/exports/`] }] }] });
    }, 'B', 'FAIL');
    expect(reasonsOf(byName)).toEqual(["a trail records only objects under 'exports/'", NONE]);
  });
  test('the reason for an Equals selector names the one object it records', () => {
    const f = expectRule(rule, (s) => {
      named(s);
      advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', equalTo: [`arn:aws:s3:::${NAME}/report.csv`] }]);
    }, 'B', 'FAIL');
    expect(reasonsOf(f)).toEqual(["a trail's resources.ARN Equals '/report.csv' records one object ARN exactly, not the bucket's objects", NONE]);
  });
  test('an Equals of the all-buckets form (arn:aws:s3, arn:aws:s3:::) names no object and no bucket: no reason of its own', () => {
    for (const all of ['arn:aws:s3', 'arn:aws:s3:::']) {
      const f = expectRule(rule, (s) => {
        named(s);
        advancedWith(s, [DATA, OBJECTS, { field: 'resources.ARN', equalTo: [all] }]);
      }, 'B', 'FAIL');
      expect([all, reasonsOf(f)]).toEqual([all, [NONE]]);
    }
  });
});

describe('S3BucketDataEventsLogged: trails of other accounts and regions, and values that cannot be read', () => {
  const rule = 'S3BucketDataEventsLogged';
  const NAME = 'customer-records';
  const everyBucket = [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }];
  /** A PII bucket in 111122223333/eu-west-1 and one trail on every bucket in `trailEnv`, shaped by `shape`. */
  const across = (trailEnv: { account: string; region: string }, shape: (t: cloudtrail.CfnTrail, s: Stack) => void) => {
    const app = new App();
    const data = new Stack(app, 'Data', { env: { account: '111122223333', region: 'eu-west-1' } });
    const logging = new Stack(app, 'Logging', { env: trailEnv });
    pii(new s3.CfnBucket(data, 'B', { bucketName: NAME }));
    shape(new cloudtrail.CfnTrail(logging, 'Trail', { isLogging: true, s3BucketName: 'archive', eventSelectors: everyBucket }), logging);
    return evaluateScope(app, { rules: rulesNamed(rule) });
  };

  test('cannot verify a trail of another account whose organization-trail setting is a parameter', () => {
    const f = across({ account: '444455556666', region: 'eu-west-1' }, (t, s) => { t.isOrganizationTrail = paramValue(s) as unknown as boolean; });
    expect(f.map((x) => x.status)).toEqual(['ERROR']);
    expect(f[0].message).toMatch(/cannot verify that a trail records this bucket's events from its account and region \(111122223333\/eu-west-1\).*Logging\/Trail in 444455556666\/eu-west-1/);
  });
  test('cannot verify a trail of another region whose multi-region setting is a parameter; "true" as a string is multi-region', () => {
    const f = across({ account: '111122223333', region: 'us-east-1' }, (t, s) => { t.isMultiRegionTrail = paramValue(s) as unknown as boolean; });
    expect(f.map((x) => x.status)).toEqual(['ERROR']);
    const g = across({ account: '111122223333', region: 'us-east-1' }, (t) => { t.addPropertyOverride('IsMultiRegionTrail', 'true'); });
    expect(g.map((x) => x.status)).toEqual(['PASS']);
  });
  test('the reason for a trail of another region names the trail, its environment and the bucket\'s', () => {
    const f = across({ account: '111122223333', region: 'us-east-1' }, () => undefined);
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain("trail Logging/Trail selects it but is in 111122223333/us-east-1, not the bucket's 111122223333/eu-west-1");
  });
  test('an organization or multi-region setting nobody can read does not matter for a trail of the bucket\'s own account and region: PASS', () => {
    const here = { account: '111122223333', region: 'eu-west-1' };
    expect(across(here, (t, s) => { t.isOrganizationTrail = paramValue(s) as unknown as boolean; }).map((x) => x.status)).toEqual(['PASS']);
    expect(across(here, (t, s) => { t.isMultiRegionTrail = paramValue(s) as unknown as boolean; }).map((x) => x.status)).toEqual(['PASS']);
  });
  test('a trail of another environment is named only when it selects the bucket (reads alone count)', () => {
    const other = { account: '111122223333', region: 'us-east-1' };
    const none = across(other, (t) => { t.eventSelectors = [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::other-bucket/'] }] }]; });
    expect(none.map((x) => x.status)).toEqual(['FAIL']);
    expect(none[0].message).not.toContain('Logging/Trail');
    const reads = across(other, (t) => { t.eventSelectors = [{ readWriteType: 'ReadOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }]; });
    expect(reads[0].message).toContain("trail Logging/Trail selects it but is in 111122223333/us-east-1");
  });
  test('a trail whose reach cannot be read makes the finding cannot verify only when it selects the bucket or its selector cannot be read', () => {
    const maybe = { account: '444455556666', region: 'eu-west-1' };
    const unknownOrg = (t: cloudtrail.CfnTrail, s: Stack) => { t.isOrganizationTrail = paramValue(s) as unknown as boolean; };
    const other = across(maybe, (t, s) => { unknownOrg(t, s); t.eventSelectors = [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::other-bucket/'] }] }]; });
    expect(other.map((x) => x.status)).toEqual(['FAIL']);
    const reads = across(maybe, (t, s) => { unknownOrg(t, s); t.eventSelectors = [{ readWriteType: 'ReadOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }]; });
    expect(reads.map((x) => x.status)).toEqual(['ERROR']);
    const unread = across(maybe, (t, s) => { unknownOrg(t, s); t.eventSelectors = [{ dataResources: [{ type: 'AWS::S3::Object', values: [paramValue(s, 'Selected') as unknown as string] }] }]; });
    expect(unread.map((x) => x.status)).toEqual(['ERROR']);
  });
  test('a selector naming the bucket by its literal name, every object, records it: PASS', () => {
    const f = across({ account: '111122223333', region: 'eu-west-1' }, (t) => { t.eventSelectors = [{ dataResources: [{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${NAME}/`] }] }]; });
    expect(f.map((x) => x.status)).toEqual(['PASS']);
  });
  test('a trail set not to be multi-region or organization-wide (false, or "false" as a string) is a trail of its own region and account: FAIL, not cannot verify', () => {
    const settings: Array<[string, (t: cloudtrail.CfnTrail) => void]> = [
      ['IsMultiRegionTrail false', (t) => { t.isMultiRegionTrail = false; }],
      ['IsMultiRegionTrail "false"', (t) => { t.addPropertyOverride('IsMultiRegionTrail', 'false'); }],
    ];
    for (const [what, shape] of settings) {
      expect([what, across({ account: '111122223333', region: 'us-east-1' }, shape).map((x) => x.status)]).toEqual([what, ['FAIL']]);
    }
    const org: Array<[string, (t: cloudtrail.CfnTrail) => void]> = [
      ['IsOrganizationTrail false', (t) => { t.isOrganizationTrail = false; }],
      ['IsOrganizationTrail "false"', (t) => { t.addPropertyOverride('IsOrganizationTrail', 'false'); }],
    ];
    for (const [what, shape] of org) {
      const f = across({ account: '444455556666', region: 'eu-west-1' }, shape);
      expect([what, f.map((x) => x.status)]).toEqual([what, ['FAIL']]);
      expect(f[0].message).toContain("is in 444455556666/eu-west-1, not the bucket's 111122223333/eu-west-1");
    }
  });
  test('cannot verify a resources.ARN Equals value that is a parameter (it may name an object of this bucket)', () => {
    expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B', { bucketName: NAME }));
      new cloudtrail.CfnTrail(s, 'Trail', { isLogging: true, s3BucketName: 'archive', advancedEventSelectors: [{ fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', equalTo: [param(s)] },
      ] }] });
    }, 'B', 'ERROR');
  });
  test('the reasons for a named bucket no trail selects say only that', () => {
    const f = expectRule(rule, (s) => {
      pii(new s3.CfnBucket(s, 'B', { bucketName: NAME }));
      new cloudtrail.CfnTrail(s, 'Trail', { isLogging: true, s3BucketName: 'archive', eventSelectors: [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::other-bucket/'] }] }] });
    }, 'B', 'FAIL');
    expect(/of the PII bucket \((.*)\)$/.exec(f!.message)![1].split('; ')).toEqual(['no trail records S3 object-level events of this bucket']);
  });
});

describe('S3 rules: what each finding names (surviving mutants, helper mut-s3)', () => {
  const cmk = 'S3BucketCustomerManagedKey';
  const expiry = 'S3BucketNoncurrentVersionExpiry';
  const encrypted = (s: Stack, byDefault: s3.CfnBucket.ServerSideEncryptionByDefaultProperty | undefined) => new s3.CfnBucket(s, 'B', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: byDefault }] },
  });
  const lifecycle = (s: Stack, rule: Partial<s3.CfnBucket.RuleProperty>) =>
    pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: { rules: [{ status: 'Enabled', ...rule }] } }));
  const unresolvedIn = (f: { message: string } | undefined, what: string) => expect(f!.message).toContain(`cannot verify ${what}: unresolved value`);

  test('S3BucketCustomerManagedKey: dual-layer SSE-KMS (aws:kms:dsse) under a customer key passes; under aws/s3 it fails naming the key', () => {
    expectRule(cmk, (s) => encrypted(s, { sseAlgorithm: 'aws:kms:dsse', kmsMasterKeyId: KEY_ARN }), 'B', 'PASS');
    const f = expectRule(cmk, (s) => encrypted(s, { sseAlgorithm: 'aws:kms:dsse', kmsMasterKeyId: 'alias/aws/s3' }), 'B', 'FAIL');
    expect(f!.message).toMatch(/\(SSE-KMS with the AWS-managed aws\/s3 key\)$/);
  });
  test('S3BucketCustomerManagedKey: a rule that only enables the bucket key, with no default algorithm, fails naming the missing algorithm', () => {
    const f = expectRule(cmk, (s) => encrypted(s, undefined), 'B', 'FAIL');
    expect(f!.message).toMatch(/\(encryption algorithm undefined\)$/);
  });
  test('S3BucketCustomerManagedKey: the reasons say no encryption, or SSE-S3 on a bucket not marked as an access-log destination', () => {
    expect(expectRule(cmk, (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL')!.message).toMatch(/\(no default encryption configured\)$/);
    expect(expectRule(cmk, (s) => encrypted(s, { sseAlgorithm: 'AES256' }), 'B', 'FAIL')!.message)
      .toMatch(/\(SSE-S3 \(AES256\) on a bucket not marked as an access-log destination\)$/);
  });
  test.each([
    ['BucketEncryption', (s: Stack) => new s3.CfnBucket(s, 'B', { bucketEncryption: paramValue(s) })],
    ['ServerSideEncryptionConfiguration', (s: Stack) => new s3.CfnBucket(s, 'B', { bucketEncryption: { serverSideEncryptionConfiguration: paramValue(s) } })],
    ['encryption rule', (s: Stack) => new s3.CfnBucket(s, 'B', { bucketEncryption: { serverSideEncryptionConfiguration: [paramValue(s)] } })],
    ['ServerSideEncryptionByDefault', (s: Stack) => new s3.CfnBucket(s, 'B', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: paramValue(s) }] } })],
    ['SSEAlgorithm', (s: Stack) => encrypted(s, { sseAlgorithm: param(s) })],
    ['KMSMasterKeyID', (s: Stack) => kmsBucket(s, param(s))],
  ])('S3BucketCustomerManagedKey cannot verify: the message names the unresolved %s', (what, build) => {
    unresolvedIn(expectRule(cmk, build, 'B', 'ERROR'), what);
  });

  test('S3BucketNoncurrentVersionExpiry: a rule narrowed by tags or by object size expires only part of the bucket', () => {
    const tags = expectRule(expiry, (s) => lifecycle(s, { tagFilters: [{ key: 'tier', value: 'cold' }], noncurrentVersionExpiration: { noncurrentDays: 30 } }), 'B', 'FAIL');
    expect(tags!.message).toMatch(/a rule expires noncurrent versions only under tag filters/);
    for (const size of [{ objectSizeGreaterThan: 1048576 }, { objectSizeLessThan: 1048576 }]) {
      const f = expectRule(expiry, (s) => lifecycle(s, { ...size, noncurrentVersionExpiration: { noncurrentDays: 30 } }), 'B', 'FAIL');
      expect(f!.message).toMatch(/a rule expires noncurrent versions only under an object size filter/);
    }
  });
  test('S3BucketNoncurrentVersionExpiry: a rule expiring only current versions does not count', () => {
    const f = expectRule(expiry, (s) => lifecycle(s, { expirationInDays: 30 }), 'B', 'FAIL');
    expect(f!.message).toMatch(/\(no enabled lifecycle rule expires noncurrent versions\)$/);
  });
  test('S3BucketNoncurrentVersionExpiry: a rule without an id is named "a rule"', () => {
    const f = expectRule(expiry, (s) => lifecycle(s, { noncurrentVersionExpirationInDays: 1095 }), 'B', 'FAIL');
    expect(f!.message).toMatch(/\(a rule keeps noncurrent versions 1095 days \(more than 730\)\)$/);
  });
  test('S3BucketNoncurrentVersionExpiry: newerNoncurrentVersions 0 keeps no version beyond the days', () => {
    expectRule(expiry, (s) => lifecycle(s, { noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: 0 } }), 'B', 'PASS');
  });
  test.each([
    ['LifecycleConfiguration', (s: Stack) => pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: paramValue(s) }))],
    ['lifecycle rules', (s: Stack) => pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: { rules: paramValue(s) } }))],
    ['lifecycle rule', (s: Stack) => pii(new s3.CfnBucket(s, 'B', { lifecycleConfiguration: { rules: [paramValue(s)] } }))],
    ['lifecycle rule Status', (s: Stack) => lifecycle(s, { status: param(s), noncurrentVersionExpirationInDays: 30 })],
    ['NoncurrentVersionExpiration', (s: Stack) => lifecycle(s, { noncurrentVersionExpiration: paramValue(s) })],
    ['NoncurrentDays', (s: Stack) => lifecycle(s, { noncurrentVersionExpiration: { noncurrentDays: paramValue(s) as unknown as number } })],
    ['NoncurrentVersionExpirationInDays', (s: Stack) => lifecycle(s, { noncurrentVersionExpirationInDays: paramValue(s) as unknown as number })],
    ['lifecycle rule Prefix', (s: Stack) => lifecycle(s, { prefix: param(s), noncurrentVersionExpirationInDays: 30 })],
    ['lifecycle rule TagFilters', (s: Stack) => lifecycle(s, { tagFilters: paramValue(s), noncurrentVersionExpirationInDays: 30 })],
    ['NewerNoncurrentVersions', (s: Stack) => lifecycle(s, { noncurrentVersionExpiration: { noncurrentDays: 30, newerNoncurrentVersions: paramValue(s) as unknown as number } })],
  ])('S3BucketNoncurrentVersionExpiry cannot verify: the message names the unresolved %s', (what, build) => {
    unresolvedIn(expectRule(expiry, build, 'B', 'ERROR'), what);
  });

  test.each([
    ['Tags', (s: Stack) => new s3.CfnBucket(s, 'B').addPropertyOverride('Tags', { Ref: 'P' })],
    ['tag', (s: Stack) => new s3.CfnBucket(s, 'B').addPropertyOverride('Tags', [{ Ref: 'P' }])],
    ['tag Key', (s: Stack) => new s3.CfnBucket(s, 'B', { tags: [{ key: param(s), value: 'x' }] })],
  ])('PII buckets: whether a bucket holds PII cannot be verified when its %s is unresolved, and the message says so', (what, build) => {
    unresolvedIn(expectRule(expiry, (s) => { new CfnParameter(s, 'Q'); build(s); }, 'B', 'ERROR'), what);
  });

  test('S3BucketTLSOnly: a bucket without any policy fails saying so; an unresolved policy names the question', () => {
    expect(expectRule('S3BucketTLSOnly', (s) => new s3.CfnBucket(s, 'B'), 'B', 'FAIL')!.message).toMatch(/\(no bucket policy\)$/);
    const f = expectRule('S3BucketTLSOnly', (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{
        Effect: 'Deny', Principal: { AWS: param(s) }, Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }] } });
    }, 'B', 'ERROR');
    expect(f!.message).toContain('cannot verify whether requests without TLS are denied');
  });
  test('S3BucketMinimumTLS12: an unresolved version names the question', () => {
    const f = expectRule('S3BucketMinimumTLS12', (s) => {
      const b = pii(new s3.CfnBucket(s, 'B'));
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{
        Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:TlsVersion': param(s) } },
      }] } });
    }, 'B', 'ERROR');
    expect(f!.message).toContain('cannot verify whether old TLS versions are denied');
  });
  test.each([
    ['S3BucketBlockPublicAccess', 'PublicAccessBlockConfiguration', (s: Stack) => new s3.CfnBucket(s, 'B', { publicAccessBlockConfiguration: paramValue(s) })],
    ['S3BucketNoPublicAcl', 'AccessControl', (s: Stack) => new s3.CfnBucket(s, 'B', { accessControl: param(s) })],
    ['S3BucketVersioning', 'VersioningConfiguration', (s: Stack) => new s3.CfnBucket(s, 'B', { versioningConfiguration: paramValue(s) })],
    ['S3BucketVersioning', 'VersioningConfiguration.Status', (s: Stack) => new s3.CfnBucket(s, 'B', { versioningConfiguration: { status: param(s) } })],
  ])('%s cannot verify: the message names the unresolved %s', (rule, what, build) => {
    unresolvedIn(expectRule(rule, build, 'B', 'ERROR'), what);
  });
});

describe('S3 TLS rules: a bucket with several bucket policies (S3 keeps one per bucket)', () => {
  const grantRead = (b: s3.Bucket) => ({
    Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `${b.bucketArn}/*`,
  });
  test('S3BucketTLSOnly fails when a second BucketPolicy without the TLS deny may replace the one that has it, naming it', () => {
    const f = expectRule('S3BucketTLSOnly', (s) => {
      const b = new s3.Bucket(s, 'B', { enforceSSL: true });
      new s3.CfnBucketPolicy(s, 'Extra', { bucket: b.bucketName, policyDocument: { Statement: [grantRead(b)] } });
    }, 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/S\/Extra.*is not denied/);
    expect(f!.message).not.toMatch(/S\/B\/Policy/);
  });
  test('S3BucketTLSOnly passes when every one of several policies denies requests without TLS', () => {
    expectRule('S3BucketTLSOnly', (s) => {
      const b = new s3.Bucket(s, 'B', { enforceSSL: true });
      new s3.CfnBucketPolicy(s, 'Extra', { bucket: b.bucketName, policyDocument: { Statement: [grantRead(b), {
        Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: [b.bucketArn, `${b.bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }] } });
    }, 'B/Resource', 'PASS');
  });
  test('S3BucketMinimumTLS12 fails when a second BucketPolicy without the TLS 1.2 deny may replace the one that has it, naming it', () => {
    const f = expectRule('S3BucketMinimumTLS12', (s) => {
      const b = pii(new s3.Bucket(s, 'B', { enforceSSL: true, minimumTLSVersion: 1.2 }));
      new s3.CfnBucketPolicy(s, 'Extra', { bucket: b.bucketName, policyDocument: { Statement: [grantRead(b)] } });
    }, 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/S\/Extra.*no bucket policy denies TLS below 1\.2/);
  });
});

describe('S3 TLS rules: a bucket with one policy', () => {
  test('the reason for a single policy is about that policy alone, without talk of several', () => {
    const f = expectRule('S3BucketTLSOnly', (s) => {
      const b = new s3.Bucket(s, 'B');
      b.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] }));
    }, 'B/Resource', 'FAIL');
    expect(f!.message).toMatch(/is not denied/);
    expect(f!.message).not.toMatch(/only policy/);
  });
});
