import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SSE_S3_ACCESS_LOG_EXCEPTION } from '../../../lib/nag/rules/s3/S3BucketCustomerManagedKey';
import { expectRule, param, paramValue } from '../helpers';

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
