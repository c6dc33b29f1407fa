import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { RequestPrincipal } from '../../../lib/policy';
import { addressIn, formatAddress, parseCidr } from '../../../lib/policy/ip';
import { oracleDecide } from '../../policy/oracle';
import { OWN, OWN_ORG, bucketPolicy, bucketPolicyOf, doc } from './public-bucket';

// Class "where the caller calls from read as a limit": Principal * "limited" by aws:SourceIp to a range a
// stranger can call from (0.0.0.0/1, every IPv6 address), or by a NotIpAddress that excludes only the one
// internet address outsiders were tried from (or only IPv4), passed: outsiders always called from
// 203.0.113.7. S3 itself counts an aws:SourceIp range wider than /8 (IPv4) or /32 (IPv6) as public.

const STRANGER = '444455556666';
const stranger: RequestPrincipal = { arn: `arn:aws:iam::${STRANGER}:user/theirs`, account: STRANGER, type: 'User', userId: 'AIDATHEIRUSER0000001' };

/** What the real evaluation says of the stranger's request from `sourceIp`. */
async function oracle(Condition: Record<string, unknown>, sourceIp: string) {
  const request = {
    principal: stranger, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
    context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': sourceIp },
  };
  const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  return (await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: doc(Condition) } })).decision;
}

describe('ResourcePolicyNotPublic: where a stranger calls from is its choice (false pass)', () => {
  test.each([
    ['half of all IPv4 addresses', { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }, '0.0.0.7'],
    ['every IPv6 address', { IpAddress: { 'aws:SourceIp': '::/0' } }, '0:0:0:0:0:0:0:7'],
    ['an IPv6 range wider than /32', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001::/16'] } }, '2001:0:0:0:0:0:0:7'],
    ['everyone but one internet range', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, '198.51.100.7'],
    ['everyone but some IPv4 ranges (IPv6 callers are not excluded)', { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24'] } }, '2001:db8::7'],
    // (0.0.0.0/0 would say the same; the oracle misreads a /0 block: test/policy/oracle-disagreements.md)
    ['everyone but every IPv4 address', { NotIpAddress: { 'aws:SourceIp': ['0.0.0.0/1', '128.0.0.0/1'] } }, '2001:db8::7'],
  ])('%s: FAIL, naming where the stranger calls from, which the oracle lets in', async (_, condition, from) => {
    const [f] = bucketPolicy(condition);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`account ${STRANGER} in no organization from ${from} call s3:GetObject`);
    expect(await oracle(condition, from)).toBe('Allowed');
    // the oracle agrees that the default address is kept out: the choice is what lets the stranger in
    expect(await oracle(condition, '203.0.113.7')).not.toBe('Allowed');
  });

  test.each([
    ['a fixed internet range', { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }],
    ['a /8 (the widest range S3 calls fixed)', { IpAddress: { 'aws:SourceIp': '3.0.0.0/8' } }],
    ['a /32 of IPv6', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }],
    ['the ranges the other choices come from', { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '192.0.2.0/24', '2001:db8::/32'] } }],
    ['a broad range beside a limit to the own organization', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' }, StringEquals: { 'aws:PrincipalOrgID': OWN_ORG } }],
  ])('%s: PASS', (_, condition) => {
    expect(bucketPolicy(condition).map((f) => [f.status, f.message])).toEqual([['PASS', expect.any(String)]]);
  });

  test('a queue policy is judged the same way', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
    const q = new sqs.CfnQueue(s, 'Q', {});
    const statement = { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: q.attrArn };
    new sqs.CfnQueuePolicy(s, 'Open', { queues: [q.ref], policyDocument: { Version: '2012-10-17', Statement: [{ ...statement, Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.7/32' } } }] } });
    new sqs.CfnQueuePolicy(s, 'Closed', { queues: [q.ref], policyDocument: { Version: '2012-10-17', Statement: [{ ...statement, Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }] } });
    const status = evaluateScope(app, { rules: rulesNamed('ResourcePolicyNotPublic'), organizationId: OWN_ORG })
      .filter((f) => f.resource.id === 'S/Open' || f.resource.id === 'S/Closed').map((f) => [f.resource.id, f.status]);
    expect(status.sort()).toEqual([['S/Closed', 'PASS'], ['S/Open', 'FAIL']]);
  });
});

// Class "a request through a VPC endpoint read as one from an internet address": AWS sends no aws:SourceIp
// through a VPC endpoint (aws:VpcSourceIp, aws:SourceVpce, aws:SourceVpc instead), and a stranger may call
// through an endpoint of its own VPC. A grant to everyone beside a deny of every internet address, or
// "limited" to private addresses by aws:VpcSourceIp, passed: outsiders always carried an aws:SourceIp.
describe('ResourcePolicyNotPublic: a stranger calling through a VPC endpoint of its own (false pass)', () => {
  const THEIR_ENDPOINT = { 'aws:SourceVpce': 'vpce-0fedcba9876543210', 'aws:SourceVpc': 'vpc-0fedcba9876543210', 'aws:VpcSourceIp': '10.0.1.20' };
  /** The bucket policy: everyone may read, but for the requests a statement denies. */
  const withDeny = (Condition: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [
    { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*' },
    { Sid: 'NotFromTheInternet', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::customer-data/*', Condition },
  ] });
  function findings(policyDocument: unknown) {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: OWN, region: 'us-east-1' } });
    const b = new s3.CfnBucket(s, 'B', { bucketName: 'customer-data' });
    new s3.CfnBucketPolicy(s, 'P', { bucket: b.ref, policyDocument });
    return evaluateScope(app, { rules: rulesNamed('ResourcePolicyNotPublic'), organizationId: OWN_ORG }).filter((f) => f.resource.id === 'S/P');
  }
  async function oracleOf(document: unknown, context: Record<string, string>) {
    const request = { principal: stranger, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN, context: { 'aws:SecureTransport': 'true', ...context } };
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    return (await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: document as never } })).decision;
  }
  // (every address as two halves of each family: the oracle misreads a /0 block, test/policy/oracle-disagreements.md)
  const everyAddress = { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'] } };

  test('everyone allowed, every internet address denied: FAIL, naming the stranger through its own endpoint, which the oracle lets in', async () => {
    const [f] = findings(withDeny(everyAddress));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`account ${STRANGER} in no organization through a VPC endpoint of its own call s3:GetObject`);
    expect(await oracleOf(withDeny(everyAddress), THEIR_ENDPOINT)).toBe('Allowed');
    expect(await oracleOf(withDeny(everyAddress), { 'aws:SourceIp': '203.0.113.7' })).toBe('ExplicitlyDenied');
  });

  test('"only private addresses" by aws:VpcSourceIp: FAIL, the stranger calls from such an address in its own VPC (oracle agrees)', async () => {
    const condition = { IpAddress: { 'aws:VpcSourceIp': '192.168.0.0/16' } };
    const [f] = findings(doc(condition));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`account ${STRANGER} in no organization through a VPC endpoint of its own from 192.168.0.7 call s3:GetObject`);
    expect(await oracleOf(doc(condition), { ...THEIR_ENDPOINT, 'aws:VpcSourceIp': '192.168.0.7' })).toBe('Allowed');
    expect(await oracleOf(doc(condition), { 'aws:SourceIp': '203.0.113.7' })).not.toBe('Allowed');
  });

  test('MFA and a private address at once: one request through its own endpoint, named by the address it carries', () => {
    const [f] = findings(doc({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:VpcSourceIp': '192.168.0.0/16' } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`account ${STRANGER} in no organization with MFA, through a VPC endpoint of its own from 192.168.0.7 call s3:GetObject`);
  });

  test('an aws:VpcSourceIp value that is no address matches no request: PASS', () => {
    expect(findings(doc({ IpAddress: { 'aws:VpcSourceIp': 'the-office' } })).map((f) => f.status)).toEqual(['PASS']);
  });

  test.each([
    ['any VPC endpoint (Null aws:SourceVpce false)', { Null: { 'aws:SourceVpce': 'false' } }],
    ['any VPC (Null aws:SourceVpc false)', { Null: { 'aws:SourceVpc': 'false' } }],
  ])('everyone allowed through %s: FAIL, the stranger has an endpoint of its own', (_, condition) => {
    const [f] = findings(doc(condition));
    expect([f.status, f.message.includes(`account ${STRANGER} in no organization through a VPC endpoint of its own call s3:GetObject`)]).toEqual(['FAIL', true]);
  });

  test.each([
    ['every request not through the own endpoint denied', { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } }],
    ['every request not from the own VPC denied', { StringNotEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d4e5f60718' } }],
    ['every request denied that is not from a fixed internet range', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }],
  ])('everyone allowed, %s: PASS (the stranger\'s endpoint, VPC or address is not the one named)', (_, condition) => {
    expect(findings(withDeny(condition)).map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('ResourcePolicyNotPublic: where a stranger calls from joins every other choice it makes (false pass)', () => {
  // Each network (an address, an endpoint of its own) was tried alone, and all of them in one request with every
  // other choice, where the endpoint's keys dropped the address: a policy needing an address and MFA, or an
  // address and a call through Athena, or an endpoint and a VPC both matching patterns, passed.
  const everyone = { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*' };
  const deny = (Sid: string, Condition: Record<string, unknown>) => ({ ...everyone, Sid, Effect: 'Deny', Condition });
  const notThroughAthena = deny('Athena', { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } });
  const athena = { 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' };
  test.each<[string, Record<string, unknown>[], string, Record<string, string>]>([
    ['an Allow needing MFA beside a Deny of every address outside half the internet: with MFA from that half', [
      { ...everyone, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }, deny('Ip', { NotIpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }),
    ], 'with MFA, from 0.0.0.7', { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:SourceIp': '0.0.0.7' }],
    ['an Allow of half the internet beside a Deny of calls not through Athena: from that half, through Athena', [
      { ...everyone, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }, notThroughAthena,
    ], 'sending aws:CalledViaFirst athena.amazonaws.com, from 0.0.0.7', { ...athena, 'aws:SourceIp': '0.0.0.7' }],
    ['Denies of every address outside half the internet and of calls not through Athena: from that half, through Athena', [
      everyone, deny('Ip', { NotIpAddress: { 'aws:SourceIp': '0.0.0.0/1' } }), notThroughAthena,
    ], 'sending aws:CalledViaFirst athena.amazonaws.com, from 0.0.0.7', { ...athena, 'aws:SourceIp': '0.0.0.7' }],
    ['Denies of every endpoint but vpce-0a1b* and of every VPC but vpc-0a1b*: through an endpoint of its own with both ids', [
      everyone, deny('Endpoint', { StringNotLike: { 'aws:SourceVpce': 'vpce-0a1b*' } }), deny('Vpc', { StringNotLike: { 'aws:SourceVpc': 'vpc-0a1b*' } }),
    ], 'through its own vpce-0a1bany in vpc-0a1bany', { 'aws:SourceVpce': 'vpce-0a1bany', 'aws:SourceVpc': 'vpc-0a1bany', 'aws:VpcSourceIp': '10.0.1.20' }],
    ['Denies of every endpoint but vpce-0a*, of endpoints vpce-0b* and of every VPC but vpc-0c*: through an endpoint of its own with the first id, in a VPC with the last', [
      everyone, deny('Endpoint', { StringNotLike: { 'aws:SourceVpce': 'vpce-0a*' } }), deny('NotThose', { StringLike: { 'aws:SourceVpce': 'vpce-0b*' } }),
      deny('Vpc', { StringNotLike: { 'aws:SourceVpc': 'vpc-0c*' } }),
    ], 'through its own vpce-0aany in vpc-0cany', { 'aws:SourceVpce': 'vpce-0aany', 'aws:SourceVpc': 'vpc-0cany', 'aws:VpcSourceIp': '10.0.1.20' }],
    ['Denies of every endpoint but vpce-0a1b* and of every host outside one subnet: through an endpoint of its own with that id, from a host of the subnet', [
      everyone, deny('Endpoint', { StringNotLike: { 'aws:SourceVpce': 'vpce-0a1b*' } }), deny('Subnet', { NotIpAddress: { 'aws:VpcSourceIp': '10.9.0.0/16' } }),
    ], 'through its own vpce-0a1bany from 10.9.0.7', { 'aws:SourceVpce': 'vpce-0a1bany', 'aws:SourceVpc': 'vpc-0fedcba9876543210', 'aws:VpcSourceIp': '10.9.0.7' }],
    ['an Allow needing MFA from half the internet, beside a Deny of one IPv6 range: with MFA from that half (an IPv6 address is another network, not one joined to it)', [
      { ...everyone, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }, deny('Ipv6', { IpAddress: { 'aws:SourceIp': '2001:db8::/48' } }),
    ], 'with MFA, from 0.0.0.7', { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:SourceIp': '0.0.0.7' }],
  ])('%s: FAIL naming the request, which the oracle lets in (and none of its parts alone)', async (_, statements, sends, context) => {
    const policy = { Version: '2012-10-17', Statement: statements };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call s3:GetObject`);
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const ask = async (extra: Record<string, string>) => (await oracleDecide({ principal: stranger, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
      context: { 'aws:SecureTransport': 'true', 'aws:ViaAWSService': 'false', ...(extra['aws:SourceVpce'] ? {} : { 'aws:SourceIp': '203.0.113.7' }), ...extra } },
    { identity: [theirs], resourcePolicy: { name: 'bucket', document: policy } })).decision;
    expect(await ask(context)).toBe('Allowed');
    const [network, other] = [Object.entries(context).filter(([k]) => /Source/.test(k)), Object.entries(context).filter(([k]) => !/Source/.test(k))];
    expect(await ask(Object.fromEntries(other))).not.toBe('Allowed');
    if (other.length > 0) expect(await ask(Object.fromEntries(network))).not.toBe('Allowed');
  });
  test('an Allow needing a VPC of its own and an address of half the internet at once: no request AWS sends carries both (PASS)', () => {
    const both = { ...everyone, Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' }, IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } };
    expect(bucketPolicyOf({ Version: '2012-10-17', Statement: [both] }).map((f) => f.status)).toEqual(['PASS']);
  });
  test('an Allow needing MFA from a range of the own office beside nothing else: a stranger cannot be there (PASS)', () => {
    expect(bucketPolicyOf({ Version: '2012-10-17', Statement: [{ ...everyone, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }] }).map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('addresses', () => {
  test.each([
    ['0.0.0.0/1', '0.0.0.7'], ['128.0.0.0/1', '128.0.0.7'], ['10.1.2.3/30', '10.1.2.3'], ['10.1.2.9/29', '10.1.2.15'], ['::/0', '0:0:0:0:0:0:0:7'],
    ['2001:db8::/32', '2001:db8:0:0:0:0:0:7'], ['2001:db8::1/128', '2001:db8:0:0:0:0:0:1'],
  ])('an address inside %s: %s', (block, address) => {
    const b = parseCidr(block)!;
    expect(addressIn(b)).toBe(address);
    expect(parseCidr(address)).toEqual({ v6: b.v6, base: parseCidr(address)!.base, bits: b.v6 ? 128 : 32 });
  });

  test('IPv4 dotted, IPv6 as eight hexadecimal groups', () => {
    expect(formatAddress(false, 0xcb007107n)).toBe('203.0.113.7');
    expect(formatAddress(true, (0x2001n << 112n) | 0xabcdn)).toBe('2001:0:0:0:0:0:0:abcd');
  });
});
