import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { evaluateScope, resourceTypeMatches } from '../../lib/nag/evaluate';
import { ResourceIndex } from '../../lib/nag/resource-index';
import { rulesNamed } from '../../lib/nag/rules';
import { synthFast } from './helpers';

describe('evaluateScope', () => {
  test('evaluates a template loaded with CfnInclude (source template): FAIL, ERROR, never a false PASS', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-include-'));
    try {
      const file = path.join(dir, 'legacy.json');
      fs.writeFileSync(file, JSON.stringify({
        Parameters: { KeyArn: { Type: 'String' } },
        Resources: {
          Logs: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
          Data: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'KeyArn' } } }] } } },
          Marked: { Type: 'AWS::S3::Bucket', Metadata: { 'cdk-hardening:sse-s3-access-log-exception': true }, Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
        },
      }));
      const app = new App();
      const stack = new Stack(app, 'Legacy');
      new CfnInclude(stack, 'Template', { templateFile: file });
      const findings = evaluateScope(app, { source: 'template', templateNameOf: () => 'legacy.json', rules: rulesNamed('S3BucketCustomerManagedKey') });
      expect(findings.map((f) => [f.resource.logicalId, f.status, f.source, f.resource.template])).toEqual([
        ['Logs', 'FAIL', 'template', 'legacy.json'],
        ['Data', 'ERROR', 'template', 'legacy.json'],
        ['Marked', 'PASS', 'template', 'legacy.json'],
      ]);
      expect(findings[1].message).toMatch(/cannot verify KMSMasterKeyID: unresolved value \{"Ref":"KeyArn"\}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('follows references across stacks after synthesis (exports and imports)', () => {
    const app = new App();
    const net = new Stack(app, 'Net', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(net, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const data = new Stack(app, 'Data', { env: { region: 'us-east-1' } });
    new rds.DatabaseInstance(data, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    synthFast(app);
    const f = evaluateScope(app, { rules: rulesNamed('DataStoreIsolatedSubnets') });
    expect(f.map((x) => `${x.resource.id} ${x.status} ${x.resource.template}`)).toEqual(['Data/Db/Resource PASS Data.template.json']);
  });

  test('omits not-applicable evaluations and resources no rule looks at', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    new sqs.CfnQueue(s, 'Q', { kmsMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' });
    new ec2.CfnEIP(s, 'Ip');
    const f = evaluateScope(app);
    // The template-wide IAM-NOUSERS attestation sits on the first resource only; the EIP meets no rule.
    expect(f.map((x) => `${x.ruleId} ${x.resource.logicalId}`)).toEqual(['BreachLessons-IAMTemplateNoUsersOrKeys Q', 'BreachLessons-SQSQueueCustomerManagedKey Q']);
  });

  test('resource-type patterns: exact, Custom::* and *', () => {
    expect(resourceTypeMatches('AWS::SQS::Queue', 'AWS::SQS::Queue')).toBe(true);
    expect(resourceTypeMatches('AWS::SQS::Queue', 'AWS::SQS::QueuePolicy')).toBe(false);
    expect(resourceTypeMatches('Custom::*', 'Custom::AccountPasswordPolicy')).toBe(true);
    expect(resourceTypeMatches('Custom::*', 'AWS::CloudFormation::CustomResource')).toBe(false);
    expect(resourceTypeMatches('*', 'AWS::EC2::EIP')).toBe(true);
    expect(resourceTypeMatches('AWS::S3::*', 'AWS::S3::Bucket')).toBe(true);
    expect(resourceTypeMatches('AWS::S3::*', 'AWS::SQS::Queue')).toBe(false);
  });

  test('builds each cross-resource index once per validation, however many resources use it', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    for (let i = 0; i < 30; i++) new s3.Bucket(s, `B${i}`, { enforceSSL: true });
    const builds: string[] = [];
    const original = ResourceIndex.prototype.memo;
    const spy = jest.spyOn(ResourceIndex.prototype, 'memo').mockImplementation(function (this: ResourceIndex, name: string, build: () => unknown) {
      return original.call(this, name, () => { builds.push(name); return build(); });
    } as typeof original);
    try {
      const f = evaluateScope(app, { rules: rulesNamed('S3BucketTLSOnly', 'StatefulResourceBackedUp', 'IAMTemplateNoUsersOrKeys') });
      expect(f).toHaveLength(61);
      expect(builds.filter((b) => b === 'iamNoUsersByTemplate')).toHaveLength(1);
      expect(builds.filter((b) => b === 'bucketPoliciesByBucket')).toHaveLength(1);
      expect(builds.filter((b) => b === 'backupCoverage')).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});
