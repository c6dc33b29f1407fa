import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLogBucket } from '../../lib/constructs/access-log-bucket';
import { CustomerManagedKey, KEY_USE_ACTIONS } from '../../lib/constructs/customer-managed-key';
import { PiiBucket } from '../../lib/constructs/pii-bucket';
import { PiiTable } from '../../lib/constructs/pii-table';
import { testStack } from '../helpers/app';

describe('CustomerManagedKey', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = testStack();
    new CustomerManagedKey(stack, 'Key', { alias: 'hardening/test', viaServices: ['s3', 'dynamodb'] });
    template = Template.fromStack(stack);
  });

  test('rotation on, 30-day pending window, retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hardening/test' });
  });

  // Issue 10 item 3: 'KeyAdministration' granted the account root kms:Put* and so delegated policy
  // rewrite to every IAM principal holding kms:*. Administration is now 'NamedKeyAdministrators' (the
  // deploying role by default); every principal only reads the key ('KeyRead'); a perimeter denies outsiders.
  test('administrators get no cryptographic use; use goes only through the named services', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const statements = key.Properties.KeyPolicy.Statement as { Sid: string; Action: string[]; Condition?: Record<string, Record<string, unknown>> }[];
    const admin = statements.find((s) => s.Sid === 'NamedKeyAdministrators')!;
    for (const a of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:*']) expect(admin.Action).not.toContain(a);
    const use = statements.find((s) => s.Sid === 'KeyUseThroughServices')!;
    expect([...use.Action].sort()).toEqual([...KEY_USE_ACTIONS].sort());
    expect(use.Condition!.StringEquals['kms:ViaService']).toEqual(['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com']);
    expect(use.Condition!.StringEquals['kms:CallerAccount']).toBe('111122223333');
    expect(statements.map((s) => s.Sid)).toEqual(['KeyRead', 'NamedKeyAdministrators', 'KeyUseThroughServices', 'KeyGrantsForServices', 'DataPerimeter']);
    // A grant can hand its creator Decrypt: only AWS services acting for a resource may create one.
    expect(admin.Action.some((a) => a === 'kms:CreateGrant' || a === 'kms:Create*')).toBe(false);
    const grants = statements.find((s) => s.Sid === 'KeyGrantsForServices')!;
    expect(grants.Action).toContain('kms:CreateGrant');
    expect(grants.Condition!.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    expect(grants.Condition!.StringEquals['kms:ViaService']).toEqual(['s3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com']);
  });

  test('explicit administrators replace the account', () => {
    const { stack } = testStack();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    new CustomerManagedKey(stack, 'Key', { alias: 'x', administrators: [admin] });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'KeyAdministration', Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('Admin'), 'Arn'] } } })]) },
    });
    const sids = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).not.toContain('NamedKeyAdministrators');
  });

  test('fails when the alias is reserved or malformed', () => {
    const { stack } = testStack();
    expect(() => new CustomerManagedKey(stack, 'A', { alias: 'aws/s3' })).toThrow(/invalid key alias 'aws\/s3'/);
    expect(() => new CustomerManagedKey(stack, 'B', { alias: 'has space' })).toThrow(/invalid key alias 'has space'/);
  });
});

describe('PiiBucket', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = testStack();
    new PiiBucket(stack, 'Pii', { dataClass: 'customer-pii' });
    template = Template.fromStack(stack);
  });

  test('SSE-KMS with its own customer-managed key and a bucket key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('PiiKey'), 'Arn'] } },
      }] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('all four block-public-access settings, versioning, object ownership enforced', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('PiiAccessLogs') }, LogFilePrefix: 'Pii/' },
    });
  });

  test('the bucket policy denies non-TLS and TLS below 1.2', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Bucket).includes('PiiBucket') || JSON.stringify(p.Properties.Bucket).match(/"Pii[A-Z0-9]/));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
  });

  test('noncurrent versions expire (DISPOSAL); the bucket is retained and tagged for backup', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' })]) },
        Tags: Match.arrayWith([{ Key: 'hardening:backup', Value: 'required' }, { Key: 'hardening:data-class', Value: 'customer-pii' }]),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('object lock in compliance mode on request', () => {
    const { stack } = testStack();
    new PiiBucket(stack, 'Locked', { objectLockRetentionDays: 2555 });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
    });
  });

  test('fails when noncurrent versions would be kept beyond 2 years', () => {
    const { stack } = testStack();
    expect(() => new PiiBucket(stack, 'Long', { noncurrentVersionExpirationDays: 1000 })).toThrow(/1-730 .* got 1000/);
  });
});

describe('AccessLogBucket', () => {
  test('SSE-S3 as an explicit, marked exception; otherwise hardened and retained', () => {
    const { stack } = testStack();
    new AccessLogBucket(stack, 'Logs');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
      Metadata: Match.objectLike({ [AccessLogBucket.SSE_S3_EXCEPTION_METADATA]: true }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('PiiTable', () => {
  test('customer-managed key, point-in-time recovery, deletion protection, retained', () => {
    const { stack } = testStack();
    new PiiTable(stack, 'Table');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TableKey'), 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
        Tags: Match.arrayWith([{ Key: 'hardening:backup', Value: 'required' }]),
      }),
      DeletionPolicy: 'Retain',
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Condition: { StringEquals: Match.objectLike({ 'kms:ViaService': ['dynamodb.us-east-1.amazonaws.com'] }) } })]) },
    });
  });
});
