import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CustomerManagedKey, nameKeyAdministrators } from '../../lib/constructs/customer-managed-key';
import { PiiBucket } from '../../lib/constructs/pii-bucket';
import { PiiTable } from '../../lib/constructs/pii-table';
import { SegmentedVpc } from '../../lib/constructs/segmented-vpc';
import { testStack } from '../helpers/app';
import { OUTSIDE, REGION, decideWithResource, resolve, roleArn } from '../policies/killchain-attack-helpers';
import { ACCOUNT } from '../policies/simulate';

/**
 * Issue 10 items 3, 6 and 10 on the synthesized policies: who may rewrite or use a key, who may
 * reach a PII bucket or table, what an interface endpoint lets through. Decided by simulation with
 * the context keys AWS sets (a role session: no MFA key).
 */

const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const cdkExecRole = roleArn(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
const operators = roleArn('Hardening-operators');
const workload = roleArn('app-task-role');
const breakGlass = roleArn('BreakGlass');
const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT };

function keyPolicy(build: (k: CustomerManagedKey) => void = () => undefined): object {
  const { app, stack } = testStack();
  const key = new CustomerManagedKey(stack, 'Key', { alias: 'hardening/test', viaServices: ['s3'], userArns: [workload] });
  build(key);
  void app;
  const [res] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  return resolve(res.Properties.KeyPolicy) as object;
}

describe('item 3: a key policy is rewritten only by its named administrators', () => {
  const policy = keyPolicy();
  const asKey = (principal: string, action: string, context: Record<string, string> = {}, principalAccount?: string) =>
    decideWithResource({ principal, principalAccount, action, resource: keyArn, context, resourcePolicy: policy });

  it('an operator, a workload or any holder of kms:* cannot rewrite the policy, disable the key or grant itself Decrypt', async () => {
    for (const principal of [operators, workload]) {
      for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:CreateGrant', 'kms:UpdateAlias']) {
        expect([principal, action, await asKey(principal, action)]).toEqual([principal, action, 'ImplicitlyDenied']);
      }
    }
  });

  it('CloudFormation\'s execution role stays able to update the key (no lockout)', async () => {
    expect(await asKey(cdkExecRole, 'kms:PutKeyPolicy')).toBe('Allowed');
    expect(await asKey(cdkExecRole, 'kms:CreateGrant', { ...viaS3, 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
  });

  it('but cannot use the key to decrypt (administrators do not use)', async () => {
    expect(await asKey(cdkExecRole, 'kms:Decrypt', viaS3)).toBe('ImplicitlyDenied');
  });

  it('break-glass administers the keys once named (the hardened environment names it on every key)', async () => {
    expect(await asKey(breakGlass, 'kms:PutKeyPolicy')).toBe('ImplicitlyDenied');
    const named = keyPolicy((k) => nameKeyAdministrators(k, [breakGlass]));
    expect(await decideWithResource({ principal: breakGlass, action: 'kms:PutKeyPolicy', resource: keyArn, resourcePolicy: named })).toBe('Allowed');
  });

  it('data is used only by named principals, only through the named services', async () => {
    expect(await asKey(workload, 'kms:Decrypt', viaS3)).toBe('Allowed');
    expect(await asKey(workload, 'kms:Decrypt')).toBe('ImplicitlyDenied');
    expect(await asKey(operators, 'kms:Decrypt', viaS3)).toBe('ImplicitlyDenied');
    expect(await asKey(roleArn('another-app'), 'kms:GenerateDataKey', viaS3)).toBe('ImplicitlyDenied');
  });

  it('with no named user nobody can decrypt (fail closed)', async () => {
    const { stack } = testStack();
    new CustomerManagedKey(stack, 'Key', { alias: 'hardening/none', viaServices: ['s3'] });
    const [res] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const p = resolve(res.Properties.KeyPolicy) as object;
    expect(await decideWithResource({ principal: workload, action: 'kms:Decrypt', resource: keyArn, context: viaS3, resourcePolicy: p })).toBe('ImplicitlyDenied');
  });

  it('every principal of the account may still read what the key is', async () => {
    expect(await asKey(operators, 'kms:DescribeKey')).toBe('Allowed');
  });
});

describe('item 6: the data perimeter of key, bucket and table', () => {
  const outsider = roleArn('attacker', OUTSIDE);

  it('an outside account is denied by the key even when a statement grants it', async () => {
    const policy = keyPolicy((k) => k.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(OUTSIDE)], actions: ['kms:Decrypt', 'kms:PutKeyPolicy'], resources: ['*'],
    })));
    for (const action of ['kms:Decrypt', 'kms:PutKeyPolicy']) {
      expect(await decideWithResource({ principal: outsider, principalAccount: OUTSIDE, action, resource: keyArn, context: viaS3, resourcePolicy: policy }))
        .toBe('ExplicitlyDenied');
    }
  });

  it('an outside account is denied by the PII bucket even when its policy grants it', async () => {
    const { stack } = testStack();
    const b = new PiiBucket(stack, 'Bucket', { encryptionKey: new CustomerManagedKey(stack, 'K', { alias: 'hardening/b', viaServices: ['s3'] }).key });
    b.bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal(OUTSIDE)], actions: ['s3:GetObject'], resources: [b.bucket.arnForObjects('*')] }));
    const res = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).find((r) => JSON.stringify(r).includes('DataPerimeter'))!;
    const policy = resolve(JSON.parse(JSON.stringify(res.Properties.PolicyDocument)
      .replace(/\{"Fn::GetAtt":\["Bucket[A-Za-z0-9]*","Arn"\]\}/g, '"arn:aws:s3:::pii-bucket"')
      .replace(/\{"Fn::GetAtt":\["K[A-Za-z0-9]*","Arn"\]\}/g, `"arn:aws:kms:${REGION}:${ACCOUNT}:key/own"`))) as object;
    const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::pii-bucket/customers.csv', resourcePolicy: policy, context: { 'aws:SecureTransport': 'true' } };
    expect(await decideWithResource({ ...request, principal: outsider, principalAccount: OUTSIDE })).toBe('ExplicitlyDenied');
    expect(await decideWithResource({ ...request, principal: workload })).toBe('Allowed');
  });

  it('item 3/T1486: objects cannot be re-encrypted under a foreign key or a customer-provided key', async () => {
    const { stack } = testStack();
    const b = new PiiBucket(stack, 'Bucket', { encryptionKey: new CustomerManagedKey(stack, 'K', { alias: 'hardening/b', viaServices: ['s3'] }).key });
    void b;
    const res = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).find((r) => JSON.stringify(r).includes('DataPerimeter'))!;
    const own = `arn:aws:kms:${REGION}:${ACCOUNT}:key/own`;
    const policy = resolve(JSON.parse(JSON.stringify(res.Properties.PolicyDocument)
      .replace(/\{"Fn::GetAtt":\["Bucket[A-Za-z0-9]*","Arn"\]\}/g, '"arn:aws:s3:::pii-bucket"')
      .replace(/\{"Fn::GetAtt":\["K[A-Za-z0-9]*","Arn"\]\}/g, `"${own}"`))) as object;
    const put = (context: Record<string, string>) => decideWithResource({
      principal: workload, action: 's3:PutObject', resource: 'arn:aws:s3:::pii-bucket/customers.csv', resourcePolicy: policy, context: { 'aws:SecureTransport': 'true', ...context },
    });
    expect(await put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${OUTSIDE}:key/ransom` })).toBe('ExplicitlyDenied');
    expect(await put({ 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' })).toBe('ExplicitlyDenied');
    expect(await put({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': own })).toBe('Allowed');
    expect(await put({})).toBe('Allowed');
  });

  it('the PII table carries a resource policy denying every principal outside the account', () => {
    const { stack } = testStack();
    new PiiTable(stack, 'Table');
    const [res] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
    const [statement] = (resolve(res.Properties.ResourcePolicy.PolicyDocument) as { Statement: object[] }).Statement;
    expect(statement).toEqual({
      Sid: 'DataPerimeter', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'dynamodb:*', Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('the table policy denies an outside account, and not this account\'s roles', async () => {
    const { stack } = testStack();
    new PiiTable(stack, 'Table');
    const [res] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
    const policy = resolve(res.Properties.ResourcePolicy.PolicyDocument) as object;
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/pii`;
    expect(await decideWithResource({ principal: outsider, principalAccount: OUTSIDE, action: 'dynamodb:Scan', resource: table, resourcePolicy: policy })).toBe('ExplicitlyDenied');
    expect(await decideWithResource({ principal: workload, action: 'dynamodb:Scan', resource: table, resourcePolicy: policy })).toBe('Allowed');
  });

  it('limits the perimeter to the organization when one is given', () => {
    const { stack } = testStack();
    new PiiTable(stack, 'Table', { organizationId: 'o-a1b2c3d4e5' });
    const [res] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
    expect(JSON.stringify(res.Properties.ResourcePolicy)).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
  });
});

describe('item 10: interface endpoints limit the resource, not only the caller', () => {
  function endpointPolicies(): Record<string, object> {
    const { stack } = testStack();
    const logGroup = new logs.LogGroup(stack, 'FlowLogs');
    new SegmentedVpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup: logGroup });
    const out: Record<string, object> = {};
    for (const ep of Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'))) {
      const name = JSON.stringify(ep.Properties.ServiceName).match(/\.([a-z0-9]+)"/)?.[1] ?? '?';
      // CDK writes Principal {"AWS": "*"}, which AWS reads as "*"; the simulator wants the latter.
      out[name] = JSON.parse(JSON.stringify(resolve(ep.Properties.PolicyDocument)).replace(/\{"AWS":"\*"\}/g, '"*"'));
    }
    return out;
  }
  const eps = endpointPolicies();
  const through = (service: string, action: string, resource: string, resourceAccount: string) =>
    decideWithResource({ principal: workload, action, resource, resourceAccount, endpointPolicies: [eps[service]] });

  it('an own role cannot write to an attacker\'s secret through the Secrets Manager endpoint', async () => {
    expect(await through('secretsmanager', 'secretsmanager:PutSecretValue', `arn:aws:secretsmanager:${REGION}:${OUTSIDE}:secret:drop-AbCdEf`, OUTSIDE)).toBe('ImplicitlyDenied');
    expect(await through('secretsmanager', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app-AbCdEf`, ACCOUNT)).toBe('Allowed');
  });

  it('an own role cannot assume an attacker\'s role through the STS endpoint', async () => {
    expect(await through('sts', 'sts:AssumeRole', roleArn('exfil', OUTSIDE), OUTSIDE)).toBe('ImplicitlyDenied');
    expect(await through('sts', 'sts:AssumeRole', roleArn('app-reader'), ACCOUNT)).toBe('Allowed');
  });

  it('an own role cannot encrypt with an attacker\'s key through the KMS endpoint', async () => {
    expect(await through('kms', 'kms:Encrypt', `arn:aws:kms:${REGION}:${OUTSIDE}:key/k`, OUTSIDE)).toBe('ImplicitlyDenied');
  });

  it('every interface endpoint but Session Manager\'s message channels names the resource account', () => {
    for (const [service, policy] of Object.entries(eps)) {
      const limited = JSON.stringify(policy).includes('aws:ResourceAccount');
      expect([service, limited]).toEqual([service, !['ssmmessages', 'ec2messages'].includes(service)]);
    }
  });
});
