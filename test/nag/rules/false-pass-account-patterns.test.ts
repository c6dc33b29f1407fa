import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { namedIdentities } from '../../../lib/policy/questions';
import { oracleDecide } from '../../policy/oracle';
import { OWN, OWN_ORG, bucketPolicy, doc } from './public-bucket';

// Class "a pattern read as a name": Principal * "limited" by StringLike to accounts or organizations
// matching a pattern (9999*, 99998888777?, arn:aws:iam::9999*:role/*, o-att*) admits every stranger
// whose account or organization matches, yet only literal 12-digit accounts and organization ids were
// tried as outsiders, so such a policy read as closed.

/** What the real evaluation says of a principal of `account` (in `org`) reading through the policy. */
async function stranger(Condition: Record<string, unknown>, account: string, org?: string) {
  const request = {
    principal: { arn: `arn:aws:iam::${account}:role/x`, account, type: 'AssumedRole' as const, ...(org ? { orgId: org } : {}) },
    action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
    context: { 'aws:SecureTransport': 'true', ...(org ? { 'aws:PrincipalOrgID': org } : {}) },
  };
  return (await oracleDecide(request, { identity: [{ name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }], resourcePolicy: { name: 'bucket', document: doc(Condition) } })).decision;
}

describe('ResourcePolicyNotPublic: an account or organization pattern admits strangers (false pass)', () => {
  test.each([
    ['an account prefix', { StringLike: { 'aws:PrincipalAccount': '9999*' } }, '999955555555'],
    ['one free digit', { StringLike: { 'aws:PrincipalAccount': '99998888777?' } }, '999988887775'],
    ['the account field of a principal ARN pattern', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::9999*:role/*' } }, '999955555555'],
  ])('%s: FAIL, naming an account it admits, which the oracle lets in', async (_, condition, account) => {
    const [f] = bucketPolicy(condition);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`account ${account}`);
    expect(await stranger(condition, account)).toBe('Allowed');
  });

  test('an organization prefix: FAIL, naming an organization it admits, which the oracle lets in', async () => {
    const condition = { StringLike: { 'aws:PrincipalOrgID': 'o-att*' } };
    const [f] = bucketPolicy(condition);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('in organization o-attxxxxxxx');
    expect(await stranger(condition, '444455556666', 'o-attxxxxxxx')).toBe('Allowed');
  });

  test.each([
    ['any role of any account', 'arn:aws:iam::*:role/*', 'arn:aws:iam::444455556666:role/any'],
    ['partner roles of any account', 'arn:aws:iam::*:role/partner-*', 'arn:aws:iam::444455556666:role/partner-any'],
    ['a role with a path', 'arn:aws:iam::*:role/ops/*', 'arn:aws:iam::444455556666:role/ops/any'],
    ['one role of a named foreign account', 'arn:aws:iam::999988887777:role/partner', 'arn:aws:iam::999988887777:role/partner'],
    ['users of any account', 'arn:aws:iam::*:user/partner-*', 'arn:aws:iam::444455556666:user/partner-any'],
    ['any role, with a wildcard partition and service', 'arn:*:*::*:role/*', 'arn:aws:iam::444455556666:role/any'],
  ])('a principal ARN pattern naming %s: FAIL, naming the principal, which the oracle lets in', async (_, pattern, arn) => {
    const condition = { ArnLike: { 'aws:PrincipalArn': pattern } };
    const [f] = bucketPolicy(condition);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(arn);
    const account = arn.split(':')[4];
    const role = arn.includes(':role/');
    const request = {
      principal: role ? { arn: `arn:aws:sts::${account}:assumed-role/${arn.split('/').pop()}/s`, roleArn: arn, account, type: 'AssumedRole' as const } : { arn, account, type: 'User' as const },
      action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN, context: { 'aws:SecureTransport': 'true' },
    };
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    expect((await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: doc(condition) } })).decision).toBe('Allowed');
  });

  test('a role pattern narrowed by an organization path of another organization: its roles carry that path, FAIL', () => {
    const [f] = bucketPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' }, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-att*/*' } });
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('arn:aws:iam::444455556666:role/any (account 444455556666 in organization o-attxxxxxxx)');
  });

  test('an organization path pattern of another organization: FAIL', () => {
    expect(bucketPolicy({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-att*/*' } }).map((f) => f.status)).toEqual(['FAIL']);
    expect(bucketPolicy({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OWN_ORG}/*` } }).map((f) => f.status)).toEqual(['PASS']);
  });

  test('still passes a principal ARN pattern of the own account only', () => {
    expect(bucketPolicy({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` } }).map((f) => f.status)).toEqual(['PASS']);
    expect(bucketPolicy({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:user/*` } }).map((f) => f.status)).toEqual(['PASS']);
    // A role pattern with the own organization: only the organization's roles.
    expect(bucketPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' }, StringEquals: { 'aws:PrincipalOrgID': OWN_ORG } }).map((f) => f.status)).toEqual(['PASS']);
  });

  test('a pattern that admits the own account among others still admits the others', () => {
    expect(bucketPolicy({ StringLike: { 'aws:PrincipalAccount': '1111*' } }).map((f) => f.status)).toEqual(['FAIL']);
    expect(bucketPolicy({ StringLike: { 'aws:PrincipalAccount': '11112222333?' } }).map((f) => f.status)).toEqual(['FAIL']);
  });

  test('still passes the own account or organization named exactly, or by a pattern only they match', () => {
    expect(bucketPolicy({ StringEquals: { 'aws:PrincipalAccount': OWN } }).map((f) => f.status)).toEqual(['PASS']);
    expect(bucketPolicy({ StringLike: { 'aws:PrincipalAccount': `${OWN}*` } }).map((f) => f.status)).toEqual(['PASS']);
    expect(bucketPolicy({ StringEquals: { 'aws:PrincipalOrgID': OWN_ORG } }).map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('VPCEndpointPolicyRestricted: a pattern of resource accounts lets data out to a stranger\'s bucket (false pass)', () => {
  const endpoint = (Condition: Record<string, unknown>) => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
    new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: doc(Condition, 's3:*', '*') });
    return evaluateScope(app, { rules: rulesNamed('VPCEndpointPolicyRestricted'), organizationId: OWN_ORG }).filter((f) => f.resource.id === 'S/E');
  };
  test('Principal * on resources of accounts 9999*: FAIL, naming a resource of such an account', () => {
    const [f] = endpoint({ StringEquals: { 'aws:PrincipalOrgID': OWN_ORG }, StringLike: { 'aws:ResourceAccount': '9999*' } });
    // the own organization's principals only: not an outsider of the endpoint
    expect(f.status).toBe('PASS');
    const [g] = endpoint({ StringLike: { 'aws:ResourceAccount': '9999*' } });
    expect(g.status).toBe('FAIL');
    expect(g.message).toMatch(/on a resource of account 9999[57]{8} in organization o-foreign00000/);
  });
  test('Principal * on resources of organizations o-att*: FAIL', () => {
    const [f] = endpoint({ StringLike: { 'aws:ResourceOrgID': 'o-att*' } });
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/in organization o-att[xy]{7} /);
  });
});

describe('namedIdentities: the values of a pattern', () => {
  const of = (v: string) => namedIdentities({ Statement: [{ Condition: { StringLike: { k: v } } }] });
  test('two accounts per account pattern: each ? and the first * filled, to 12 digits', () => {
    expect(of('9999*')).toEqual({ accounts: ['999955555555', '999977777777'], orgs: [] });
    expect(of('99998888777?')).toEqual({ accounts: ['999988887775', '999988887777'], orgs: [] });
    expect(of('1*2*3')).toEqual({ accounts: ['155555555523', '177777777723'], orgs: [] });
    expect(of('?*')).toEqual({ accounts: [], orgs: [] });
    expect(of('arn:aws:iam::9999*:role/x')).toEqual({ accounts: ['999955555555', '999977777777'], orgs: [] });
    expect(of('arn:aws:iam::99??88887777:root')).toEqual({ accounts: ['995588887777', '997788887777'], orgs: [] });
  });
  test('no account from a pattern that cannot be 12 digits, or names no digit', () => {
    expect(of('1234567890123*')).toEqual({ accounts: [], orgs: [] });
    expect(of('12345678901?3?')).toEqual({ accounts: [], orgs: [] });
    expect(of('1234?')).toEqual({ accounts: [], orgs: [] });
    expect(of('*')).toEqual({ accounts: [], orgs: [] });
    expect(of('arn:aws:sqs:*:*:*')).toEqual({ accounts: [], orgs: [] });
    expect(of('arn:aws:s3:::bucket-1*')).toEqual({ accounts: [], orgs: [] });
    expect(of('team-1*')).toEqual({ accounts: [], orgs: [] });
  });
  test('an exact 12-digit pattern gives itself; a literal account is named once', () => {
    expect(of('111122223333*')).toEqual({ accounts: ['111122223333'], orgs: [] });
    expect(of('111122223333')).toEqual({ accounts: ['111122223333'], orgs: [] });
  });
  test('two organizations per organization pattern, at least 10 characters after o-', () => {
    expect(of('o-att*')).toEqual({ accounts: [], orgs: ['o-attxxxxxxx', 'o-attyyyyyyy'] });
    expect(of('o-abc?efgh*')).toEqual({ accounts: [], orgs: ['o-abcxefghxx', 'o-abcyefghyy'] });
    expect(of('o-abcdefghijklmnopqrstuvwxyz0123456*')).toEqual({ accounts: [], orgs: ['o-abcdefghijklmnopqrstuvwxyz012345'] });
    expect(of('o-abc')).toEqual({ accounts: [], orgs: [] });
    expect(of('o-att*/r-ab12/*')).toEqual({ accounts: [], orgs: ['o-attxxxxxxx', 'o-attyyyyyyy'] });
    expect(of('xo-abc*')).toEqual({ accounts: [], orgs: [] });
  });
});
