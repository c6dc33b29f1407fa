import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { RequestPrincipal } from '../../../lib/policy';
import { OWN_ACCOUNT_PLACEHOLDER, outsiderAccess } from '../../../lib/policy/questions';
import { oracleDecide } from '../../policy/oracle';
import { OWN, OWN_ORG, bucketPolicy, bucketPolicyOf, doc } from './public-bucket';

// Class "a condition on what the caller chooses read as a limit": Principal * "limited" by a condition on
// something a stranger sets for its own requests (a session with MFA, its principal's tags, a source
// identity, its own VPC endpoint matching a pattern), on the kind of principal (aws:PrincipalType), or on
// a unique id pattern (aws:userid AROA*) admits strangers, yet outsiders were tried only as an IAM user
// without MFA, tags, source identity or unique id, so such a policy read as closed.

const STRANGER = '444455556666';
const strangerRole: RequestPrincipal = {
  arn: `arn:aws:sts::${STRANGER}:assumed-role/theirs/s`, roleArn: `arn:aws:iam::${STRANGER}:role/theirs`, account: STRANGER, type: 'AssumedRole', userId: 'AROATHEIRROLE0000001:s',
};
const strangerUser: RequestPrincipal = { arn: `arn:aws:iam::${STRANGER}:user/theirs`, account: STRANGER, type: 'User', userId: 'AIDATHEIRUSER0000001' };

/** What the real evaluation says of the stranger's request, with the keys AWS sets for it (and those it chose). */
async function oracle(Condition: Record<string, unknown>, principal: RequestPrincipal, context: Record<string, string> = {}) {
  const request = {
    principal, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
    context: { 'aws:SecureTransport': 'true', ...context },
  };
  const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  return (await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: doc(Condition) } })).decision;
}

describe('ResourcePolicyNotPublic: a condition on what a stranger chooses is no limit (false pass)', () => {
  test.each([
    ['a session with MFA', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, strangerUser, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' }, 'with MFA'],
    ['recent MFA', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, strangerUser, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' }, 'with MFA'],
    ['a principal tag value', { StringEquals: { 'aws:PrincipalTag/team': 'payments' } }, strangerUser, { 'aws:PrincipalTag/team': 'payments' }, 'tagged team=payments'],
    ['any value of a principal tag', { StringLike: { 'aws:PrincipalTag/team': '*' } }, strangerUser, { 'aws:PrincipalTag/team': 'any' }, 'tagged team=any'],
    ['a source identity', { StringEquals: { 'aws:SourceIdentity': 'alice' } }, strangerRole, { 'aws:SourceIdentity': 'alice' }, 'role session of account 444455556666 in no organization with source identity alice'],
    ['a source identity and MFA at once', { StringEquals: { 'aws:SourceIdentity': 'alice' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, strangerRole,
      { 'aws:SourceIdentity': 'alice', 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' }, 'role session of account 444455556666 in no organization with MFA, with source identity alice'],
    ['any VPC endpoint', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, strangerUser, { 'aws:SourceVpce': 'vpce-0fedcba9876543210' }, 'through a VPC endpoint of its own'],
    ['any VPC', { StringLike: { 'aws:SourceVpc': 'vpc-*' } }, strangerUser, { 'aws:SourceVpc': 'vpc-0fedcba9876543210' }, 'through a VPC endpoint of its own'],
    ['role sessions only', { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }, strangerRole, {}, 'a role session of account 444455556666'],
    ['any role session (aws:userid AROA*)', { StringLike: { 'aws:userid': 'AROA*' } }, strangerRole, {}, 'a role session of account 444455556666'],
    ['any IAM user (aws:userid AIDA*)', { StringLike: { 'aws:userid': 'AIDA*' } }, strangerUser, {}, 'a principal of account 444455556666'],
    ['any role session named alice (aws:userid *:alice)', { StringLike: { 'aws:userid': '*:alice' } }, { ...strangerRole, arn: `arn:aws:sts::${STRANGER}:assumed-role/theirs/alice`, userId: 'AROATHEIRROLE0000001:alice' }, {}, 'with unique id any:alice'],
  ])('%s: FAIL, naming the stranger, which the oracle lets in', async (_, condition, principal, context, whom) => {
    const [f] = bucketPolicy(condition);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(whom);
    expect(await oracle(condition, principal, context)).toBe('Allowed');
    // the oracle agrees that a stranger who did not choose so is kept out (the condition is no dead letter)
    if (Object.keys(context).length > 0) expect(await oracle(condition, principal)).not.toBe('Allowed');
  });

  test('a unique id named literally: whose account it is cannot be told, ERROR naming the id, never a pass', () => {
    const [f] = bucketPolicy({ StringEquals: { 'aws:userid': 'AROAEXAMPLEROLEID:alice' } });
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('aws:userid AROAEXAMPLEROLEID:alice names a principal by its unique id');
    const [g] = bucketPolicy({ StringLike: { 'aws:userid': 'AIDAEXAMPLEUSERID' } });
    expect(g.status).toBe('ERROR');
    expect(g.message).toContain('a principal of account 444455556666 in no organization with unique id AIDAEXAMPLEUSERID');
  });

  test('still passes these conditions beside a limit to the own account or organization', () => {
    for (const c of [
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, { StringEquals: { 'aws:PrincipalTag/team': 'payments' } }, { StringLike: { 'aws:userid': 'AROA*' } },
      { StringEquals: { 'aws:SourceIdentity': 'alice' } }, { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } },
    ]) {
      const key = Object.keys(c)[0];
      expect([key, bucketPolicy({ ...c, StringEqualsIgnoreCase: { 'aws:PrincipalOrgID': OWN_ORG } }).map((x) => x.status)]).toEqual([key, ['PASS']]);
      expect([key, bucketPolicy({ ...c, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:*` } }).map((x) => x.status)]).toEqual([key, ['PASS']]);
    }
  });

  test('users of any account with MFA and a tag, beside a source identity another statement names: the user is tried with both (FAIL, oracle agrees)', async () => {
    const users = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' }, StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } };
    const list = { Sid: 'OwnAdmins', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::customer-data', Condition: { StringEquals: { 'aws:SourceIdentity': 'admin', 'aws:PrincipalAccount': OWN } } };
    const policy = { Version: '2012-10-17', Statement: [doc(users).Statement[0], list] };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization with MFA, tagged team=payments call s3:GetObject`);
    expect(await oracle(users, strangerUser, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:PrincipalTag/team': 'payments' })).toBe('Allowed');
    expect(await oracle(users, strangerUser, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' })).not.toBe('Allowed');
  });
  test('an Allow needing MFA and one team tag, beside an Allow of another team to the own account: with MFA and the first team (FAIL, oracle agrees)', async () => {
    const needs = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' } };
    const ops = { Sid: 'Ops', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops', 'aws:PrincipalAccount': OWN } } };
    const [f] = bucketPolicyOf({ Version: '2012-10-17', Statement: [doc(needs).Statement[0], ops] });
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization with MFA, tagged team=payments call s3:GetObject`);
    expect(await oracle(needs, strangerUser, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:PrincipalTag/team': 'payments' })).toBe('Allowed');
  });
  test('a literal VPC endpoint or VPC is taken to be the own (a stranger cannot have its id): PASS', () => {
    expect(bucketPolicy({ StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } }).map((f) => f.status)).toEqual(['PASS']);
    expect(bucketPolicy({ StringEquals: { 'aws:SourceVpc': 'vpc-0123456789abcdef0' } }).map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('VPCEndpointPolicyRestricted: the same choices through the own endpoint (false pass)', () => {
  const endpoint = (Condition: Record<string, unknown>) => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
    new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: doc(Condition, 's3:*', '*') });
    return evaluateScope(app, { rules: rulesNamed('VPCEndpointPolicyRestricted'), organizationId: OWN_ORG }).filter((f) => f.resource.id === 'S/E');
  };
  test('principals with a tag or MFA, of any account: FAIL; of the own organization: PASS', () => {
    expect(endpoint({ StringEquals: { 'aws:PrincipalTag/team': 'payments' } }).map((f) => f.status)).toEqual(['FAIL']);
    expect(endpoint({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }).map((f) => f.status)).toEqual(['FAIL']);
    expect(endpoint({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalOrgID': OWN_ORG, 'aws:ResourceOrgID': OWN_ORG } }).map((f) => f.status)).toEqual(['PASS']);
  });

  test('principals of any account on hosts of one subnet: the caller\'s host address is its own, FAIL naming it; on the own host\'s subnet too', () => {
    const [f] = endpoint({ IpAddress: { 'aws:VpcSourceIp': '10.9.0.0/16' } });
    expect([f.status, f.message]).toEqual(['FAIL', expect.stringContaining('from 10.9.0.7')]);
    expect(endpoint({ IpAddress: { 'aws:VpcSourceIp': '10.9.0.0/16' }, StringEquals: { 'aws:PrincipalOrgID': OWN_ORG, 'aws:ResourceOrgID': OWN_ORG } }).map((x) => x.status)).toEqual(['PASS']);
    // the own host (10.0.1.20) is in the subnet: the plain caller through the endpoint gets in, named as it is
    const [own] = endpoint({ IpAddress: { 'aws:VpcSourceIp': '10.0.1.0/24' } });
    expect([own.status, own.message]).toEqual(['FAIL', expect.stringContaining(`a principal of account ${STRANGER} in no organization call s3:`)]);
  });
  test("a bucket tagged to match: the stranger tags its own bucket, FAIL; the own organization's resources only: PASS", () => {
    const [f] = endpoint({ StringEquals: { 'aws:ResourceTag/owner': 'platform' } });
    expect([f.status, f.message]).toEqual(['FAIL', expect.stringContaining('picking a resource with aws:ResourceTag/owner platform')]);
    expect(endpoint({ StringEquals: { 'aws:ResourceTag/owner': 'platform', 'aws:PrincipalOrgID': OWN_ORG, 'aws:ResourceOrgID': OWN_ORG } }).map((x) => x.status)).toEqual(['PASS']);
  });
});

describe('outsiderAccess: the callers an outsider is tried as', () => {
  const own = { account: OWN, partition: 'aws', region: 'us-east-1', organizationId: OWN_ORG };
  const o = { defaultActions: ['s3:GetObject'], defaultResources: ['arn:aws:s3:::customer-data/*'], wildcardOnly: true };
  const ask = (Condition: Record<string, unknown>) => outsiderAccess(doc(Condition), own, o, 'bucket policy');

  test('a role session carries its role ARN, its type and a role unique id; a user its user unique id', () => {
    expect(ask({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/outsider' }, StringEquals: { 'aws:PrincipalType': 'AssumedRole' }, StringLike: { 'aws:userid': 'AROA*:someone' } }).yes).toBe(true);
    expect(ask({ StringEquals: { 'aws:PrincipalType': 'User' }, StringLike: { 'aws:userid': 'AIDA*', 'aws:username': 'someone' } }).yes).toBe(true);
  });

  test('a source identity only on role sessions: a user cannot carry one', () => {
    const r = ask({ StringEquals: { 'aws:SourceIdentity': 'alice', 'aws:PrincipalType': 'User' } });
    expect(r).toEqual({ yes: false, why: [] });
  });

  test('one doubt per outsider and action: its other callers do not repeat it', () => {
    const r = outsiderAccess(doc({ StringEquals: { 'aws:PrincipalAccount': '999988887777' } }), { ...own, organizationId: undefined, account: OWN_ACCOUNT_PLACEHOLDER }, o);
    expect(r.yes).toBe('unknown');
    expect(r.why).toEqual(['Partners lets a principal of account 999988887777 in no organization call s3:GetObject, and the own account is not known to compare 999988887777 with']);
  });

  test('a principal tag whose value is unresolved: unknown, never closed', () => {
    const r = outsiderAccess(doc({ StringEquals: { 'aws:PrincipalTag/team': { Ref: 'Team' } } }), own, o);
    expect(r.yes).not.toBe(false);
  });
});
