import { RequestPrincipal } from '../../../lib/policy';
import { MAX_CHOICE_COMBINATIONS } from '../../../lib/policy/questions';
import { oracleDecide } from '../../policy/oracle';
import { OWN, OWN_ORG, bucketPolicy, bucketPolicyOf, doc } from './public-bucket';

// Class "a condition on what the sender puts in its request read as a limit": Principal * "limited" by the
// transport (aws:SecureTransport false), the service it calls through (aws:ViaAWSService, aws:CalledVia*),
// a header it sends (s3:x-amz-acl), a tag it sends (aws:RequestTag/*), or by two choices that must hold at
// once (MFA and a principal tag), passed: outsiders sent none of these, and each choice was tried alone.
// Also a session's issue time (aws:TokenIssueTime), which the holder picks by asking for credentials.

const STRANGER = '444455556666';
type Context = Record<string, string | string[]>;
const strangerUser: RequestPrincipal = { arn: `arn:aws:iam::${STRANGER}:user/theirs`, account: STRANGER, type: 'User', userId: 'AIDATHEIRUSER0000001' };

/** What the real evaluation says of the stranger's request, with the keys it chose. */
async function oracle(Condition: Record<string, unknown>, action: string, context: Context) {
  const request = {
    principal: strangerUser, action, resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
    context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', ...context },
  };
  const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  return (await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: doc(Condition, action) } })).decision;
}

const MFA: Context = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' };

describe('ResourcePolicyNotPublic: what the sender puts in its request is no limit (false pass)', () => {
  test.each<[string, Record<string, unknown>, string, Context, string]>([
    ['plain HTTP', { Bool: { 'aws:SecureTransport': 'false' } }, 's3:GetObject', { 'aws:SecureTransport': 'false' }, 'sending aws:SecureTransport false'],
    ['a call through any AWS service', { Bool: { 'aws:ViaAWSService': 'true' } }, 's3:GetObject', { 'aws:ViaAWSService': 'true' }, 'sending aws:ViaAWSService true'],
    ['a call through Athena', { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' } }, 's3:GetObject',
      { 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' }, 'sending aws:CalledVia athena.amazonaws.com'],
    ['a call first through CloudFormation', { StringEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 's3:GetObject',
      { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com', 'aws:ViaAWSService': 'true' }, 'sending aws:CalledViaFirst cloudformation.amazonaws.com'],
    ['an ACL header on upload', { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }, 's3:PutObject', { 's3:x-amz-acl': 'bucket-owner-full-control' }, 'sending s3:x-amz-acl bucket-owner-full-control'],
    ['a tag sent with the request', { StringLike: { 'aws:RequestTag/project': 'alpha-*' } }, 's3:PutObject', { 'aws:RequestTag/project': 'alpha-any' }, 'sending aws:RequestTag/project alpha-any'],
    ['TLS 1.2 or later (read as "TLS enforced")', { NumericGreaterThanEquals: { 's3:TlsVersion': '1.2' } }, 's3:GetObject', { 's3:TlsVersion': '1.2' }, 'sending s3:TlsVersion 1.2'],
    ['a signature younger than ten minutes', { NumericLessThan: { 's3:signatureAge': '600000' } }, 's3:GetObject', { 's3:signatureAge': '599999' }, 'sending s3:signatureAge 599999'],
    ['a retention of more than ten days', { NumericGreaterThan: { 's3:object-lock-remaining-retention-days': '10' } }, 's3:PutObject',
      { 's3:object-lock-remaining-retention-days': '11' }, 'sending s3:object-lock-remaining-retention-days 11'],
    ['an object lock past a date', { DateGreaterThan: { 's3:object-lock-retain-until-date': '2030-01-01T00:00:00Z' } }, 's3:PutObject',
      { 's3:object-lock-retain-until-date': '2030-01-02T00:00:00.000Z' }, 'sending s3:object-lock-retain-until-date 2030-01-02T00:00:00.000Z'],
    ['a Referer header of the own site', { StringLike: { 'aws:Referer': 'https://www.example.com/*' } }, 's3:GetObject', { 'aws:Referer': 'https://www.example.com/any' }, 'sending aws:Referer https://www.example.com/any'],
    ['a signing method', { StringEquals: { 's3:authType': 'REST-HEADER', 's3:signatureversion': 'AWS4-HMAC-SHA256' } }, 's3:GetObject',
      { 's3:authType': 'REST-HEADER', 's3:signatureversion': 'AWS4-HMAC-SHA256' }, 'sending s3:authType REST-HEADER, sending s3:signatureversion AWS4-HMAC-SHA256'],
    ['an ACL header of any kind (Null false)', { Null: { 's3:x-amz-acl': 'false' } }, 's3:PutObject', { 's3:x-amz-acl': 'any' }, 'sending s3:x-amz-acl any'],
    ['a TLS version sent and above 1.2 (...IfExists beside Null false)', { Null: { 's3:TlsVersion': 'false' }, NumericGreaterThanIfExists: { 's3:TlsVersion': '1.2' } }, 's3:GetObject',
      { 's3:TlsVersion': '2.2' }, 'sending s3:TlsVersion 2.2'],
    ['every signature age below a bound (ForAllValues, sent)', { Null: { 's3:signatureAge': 'false' }, 'ForAllValues:NumericLessThanIfExists': { 's3:signatureAge': '100' } }, 's3:GetObject',
      { 's3:signatureAge': '99' }, 'sending s3:signatureAge 99'],
    ['an ACL, any but public-read (StringNotEquals beside Null false)', { Null: { 's3:x-amz-acl': 'false' }, StringNotEquals: { 's3:x-amz-acl': 'public-read' } }, 's3:PutObject',
      { 's3:x-amz-acl': 'breachlessons-other-value' }, 'sending s3:x-amz-acl breachlessons-other-value'],
    ['a Referer, any but one site (StringNotLike beside Null false)', { Null: { 'aws:Referer': 'false' }, StringNotLike: { 'aws:Referer': 'https://evil.example/*' } }, 's3:GetObject',
      { 'aws:Referer': 'breachlessons-other-value' }, 'sending aws:Referer breachlessons-other-value'],
    ['MFA and a principal tag at once', { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' } }, 's3:GetObject',
      { ...MFA, 'aws:PrincipalTag/team': 'payments' }, 'with MFA, tagged team=payments'],
  ])('%s: FAIL, naming what the stranger sends, which the oracle lets in', async (_, condition, action, context, sends) => {
    const [f] = bucketPolicy(condition, action);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call ${action}`);
    expect(await oracle(condition, action, context)).toBe('Allowed');
    // the oracle agrees that a stranger sending nothing of the kind is kept out
    expect(await oracle(condition, action, {})).not.toBe('Allowed');
  });

  test('a value written without quotes (a JSON boolean or number) is a value like any: FAIL', () => {
    expect(bucketPolicy({ Bool: { 'aws:SecureTransport': false } }, 's3:GetObject').map((f) => [f.status, f.message.includes('sending aws:SecureTransport false')])).toEqual([['FAIL', true]]);
    expect(bucketPolicy({ Bool: { 'aws:ViaAWSService': [true] } }, 's3:GetObject').map((f) => f.status)).toEqual(['FAIL']);
    expect(bucketPolicy({ Bool: { 'aws:MultiFactorAuthPresent': true }, StringEquals: { 'aws:PrincipalTag/team': 'payments' } }, 's3:GetObject').map((f) => f.status)).toEqual(['FAIL']);
  });

  test('each of two conditions alone does not let the stranger in (the oracle agrees): only both at once do', async () => {
    const condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' } };
    expect(await oracle(condition, 's3:GetObject', MFA)).not.toBe('Allowed');
    expect(await oracle(condition, 's3:GetObject', { 'aws:PrincipalTag/team': 'payments' })).not.toBe('Allowed');
  });

  test('a comparison is met just past its bound: the number or date one past it, an epoch date read as seconds', () => {
    const sent = (c: Record<string, unknown>, action = 's3:GetObject') => bucketPolicy(c, action).map((f) => [f.status, /sending (\S+ \S+) call/.exec(f.message)?.[1]]);
    expect(sent({ NumericLessThanEquals: { 's3:signatureAge': '600000' } })).toEqual([['FAIL', 's3:signatureAge 600000']]);
    expect(sent({ NumericEquals: { 's3:signatureAge': '600000' } })).toEqual([['FAIL', 's3:signatureAge 600000']]);
    expect(sent({ NumericGreaterThan: { 's3:TlsVersion': '1.2' } })).toEqual([['FAIL', 's3:TlsVersion 2.2']]);
    // ...IfExists is met by a stranger sending no TLS version at all: the plain caller is named
    expect(sent({ NumericGreaterThanIfExists: { 's3:TlsVersion': 1.2 } })).toEqual([['FAIL', undefined]]);
    expect(sent({ NumericGreaterThan: { 's3:TlsVersion': 1.2 } })).toEqual([['FAIL', 's3:TlsVersion 2.2']]);
    expect(sent({ 'ForAnyValue:NumericLessThan': { 's3:max-keys': '10' } }, 's3:ListBucket')).toEqual([['FAIL', 's3:max-keys 9']]);
    expect(sent({ DateLessThan: { 's3:object-lock-retain-until-date': '1893456000' } }, 's3:PutObject')).toEqual([['FAIL', 's3:object-lock-retain-until-date 2029-12-31T00:00:00.000Z']]);
    expect(sent({ DateLessThanEquals: { 's3:object-lock-retain-until-date': '2030-01-01T00:00:00Z' } }, 's3:PutObject')).toEqual([['FAIL', 's3:object-lock-retain-until-date 2030-01-01T00:00:00Z']]);
  });

  test('a comparison that must meet a value the sender sends (Null false beside it): not equal or past the bound, ...IfExists too', () => {
    const present = (key: string) => ({ Null: { [key]: 'false' } });
    const sent = (c: Record<string, unknown>, action = 's3:GetObject') => bucketPolicy(c, action).map((f) => [f.status, /sending (\S+ \S+) call/.exec(f.message)?.[1]]);
    expect(sent({ ...present('s3:TlsVersion'), NumericGreaterThanIfExists: { 's3:TlsVersion': '1.2' } })).toEqual([['FAIL', 's3:TlsVersion 2.2']]);
    expect(sent({ ...present('s3:signatureAge'), NumericNotEquals: { 's3:signatureAge': '100' } })).toEqual([['FAIL', 's3:signatureAge 101']]);
    expect(sent({ ...present('s3:object-lock-retain-until-date'), DateNotEquals: { 's3:object-lock-retain-until-date': '2030-01-01T00:00:00Z' } }, 's3:PutObject'))
      .toEqual([['FAIL', 's3:object-lock-retain-until-date 2030-01-02T00:00:00.000Z']]);
    expect(sent({ ...present('s3:signatureAge'), 'ForAllValues:NumericLessThanIfExists': { 's3:signatureAge': '100' } })).toEqual([['FAIL', 's3:signatureAge 99']]);
    // a key that must be absent is what a stranger sending nothing does already
    expect(sent({ Null: { 's3:x-amz-acl': 'true' } }, 's3:PutObject')).toEqual([['FAIL', undefined]]);
    expect(sent({ Null: { 's3:x-amz-acl': true } }, 's3:PutObject')).toEqual([['FAIL', undefined]]);
    expect(sent({ Null: { 's3:x-amz-acl': 'FALSE' } }, 's3:PutObject')).toEqual([['FAIL', 's3:x-amz-acl any']]);
  });

  test('a key that must be sent and must hold a value, beside MFA: the request carrying every choice sends that value, not just any', () => {
    const c = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' }, Null: { 's3:x-amz-acl': 'false' } };
    const [f] = bucketPolicy(c, 's3:PutObject');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('with MFA, sending s3:x-amz-acl bucket-owner-full-control call s3:PutObject');
  });

  test('a date without a time, and whether a key is sent decided at deployment', () => {
    expect(bucketPolicy({ DateGreaterThan: { 's3:object-lock-retain-until-date': '2030-01-01' } }, 's3:PutObject').map((f) => /sending (\S+ \S+) call/.exec(f.message)?.[1]))
      .toEqual(['s3:object-lock-retain-until-date 2030-01-02T00:00:00.000Z']);
    const [f] = bucketPolicy({ Null: { 's3:x-amz-acl': { Ref: 'MustSend' } } }, 's3:PutObject');
    expect(f.status).toBe('ERROR');
  });

  test('a call through an AWS service comes with aws:ViaAWSService true, as AWS sends it, and only then', () => {
    // the call through Athena alone meets both conditions: named without the second choice
    const [via] = bucketPolicy({ 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' }, Bool: { 'aws:ViaAWSService': 'true' } });
    expect([via.status, via.message.includes('in no organization sending aws:CalledVia athena.amazonaws.com call s3:GetObject')]).toEqual(['FAIL', true]);
    // a direct call with a header: the sender's direct request carries it
    const [f] = bucketPolicy({ Bool: { 'aws:ViaAWSService': 'false' }, StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }, 's3:PutObject');
    expect([f.status, f.message.includes('sending s3:x-amz-acl bucket-owner-full-control call s3:PutObject')]).toEqual(['FAIL', true]);
  });

  test('a direct call that must come through Athena: no request AWS sends meets both, whichever is written first (PASS)', async () => {
    for (const c of [
      { Bool: { 'aws:ViaAWSService': 'false' }, 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' } },
      { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' }, Bool: { 'aws:ViaAWSService': 'false' } },
      { StringEquals: { 'aws:CalledViaLast': 'athena.amazonaws.com' }, Bool: { 'aws:ViaAWSService': 'false' } },
    ]) {
      expect(bucketPolicy(c, 's3:GetObject').map((f) => [f.status, f.message])).toEqual([['PASS', expect.any(String)]]);
      // the oracle keeps out the requests AWS sends: a direct call, and a call through Athena
      expect(await oracle(c, 's3:GetObject', { 'aws:ViaAWSService': 'false' })).not.toBe('Allowed');
      expect(await oracle(c, 's3:GetObject', { 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:CalledViaLast': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' })).not.toBe('Allowed');
    }
  });

  test('two values for one key: a request carries one of them, and is named by it', () => {
    const c = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 's3:x-amz-acl': ['private', 'bucket-owner-full-control'] } };
    const [f] = bucketPolicy(c, 's3:PutObject');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('in no organization with MFA, sending s3:x-amz-acl private call s3:PutObject');
  });

  test('a direct call with MFA and a tag at once: the request carrying every choice stays direct (oracle agrees)', async () => {
    const c = { Bool: { 'aws:MultiFactorAuthPresent': 'true', 'aws:ViaAWSService': 'false' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' } };
    const [f] = bucketPolicy(c, 's3:GetObject');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('in no organization with MFA, tagged team=payments call s3:GetObject');
    expect(await oracle(c, 's3:GetObject', { ...MFA, 'aws:PrincipalTag/team': 'payments', 'aws:ViaAWSService': 'false' })).toBe('Allowed');
  });

  test('a call through Athena with MFA: the request carrying every choice comes with aws:ViaAWSService true (oracle agrees)', async () => {
    const c = { Bool: { 'aws:MultiFactorAuthPresent': 'true', 'aws:ViaAWSService': 'true' }, 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'athena.amazonaws.com' } };
    const [f] = bucketPolicy(c, 's3:GetObject');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/in no organization with MFA, .*sending aws:CalledVia athena\.amazonaws\.com call s3:GetObject/);
    expect(await oracle(c, 's3:GetObject', { ...MFA, 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' })).toBe('Allowed');
  });

  test('a key that must not be sent, beside MFA and a tag: the request carrying every choice leaves it out', () => {
    const c = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'payments' }, Null: { 's3:x-amz-acl': 'true' } };
    const [f] = bucketPolicy(c, 's3:PutObject');
    expect([f.status, f.message.includes('with MFA, tagged team=payments call s3:PutObject')]).toEqual(['FAIL', true]);
  });

  test('a bound that is no number or date is sent as written: no request meets it, and the stranger stays out', () => {
    for (const c of [{ NumericLessThan: { 's3:signatureAge': 'soon' } }, { NumericLessThan: { 's3:signatureAge': ' ' } }, { DateGreaterThan: { 's3:object-lock-retain-until-date': 'later' } }]) {
      expect(bucketPolicy(c, 's3:PutObject').map((f) => f.status)).toEqual(['PASS']);
    }
  });

  test('a session issued after some date: whoever asks for credentials now has one, so ERROR, never a pass', () => {
    const [f] = bucketPolicy({ DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }, 's3:GetObject');
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('depends on when the caller\'s session was issued (aws:TokenIssueTime)');
  });

  test('an unresolved value of a sender key: ERROR, never a pass', () => {
    const [f] = bucketPolicy({ StringEquals: { 'aws:RequestTag/project': { Ref: 'Project' } } }, 's3:PutObject');
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('sending aws:RequestTag/project (unresolved)');
  });

  test('still passes each beside a limit to the own organization', () => {
    for (const c of [{ Bool: { 'aws:SecureTransport': 'false' } }, { Bool: { 'aws:ViaAWSService': 'true' } }, { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }]) {
      const key = Object.keys(Object.values(c)[0])[0];
      expect([key, bucketPolicy({ ...c, StringEqualsIgnoreCase: { 'aws:PrincipalOrgID': OWN_ORG } }, 's3:PutObject').map((x) => x.status)]).toEqual([key, ['PASS']]);
    }
  });
});

// Class "a condition on the resource's tags read as a limit": the stranger names the object or resource
// it asks for, so a grant to everyone on whatever carries a tag (s3:ExistingObjectTag/*, aws:ResourceTag/*)
// is open on each such object; AWS's own reading of "public" agrees (only fixed source, principal and
// network values make a grant to everyone non-public). These passed: outsiders asked for no tagged object.
describe('ResourcePolicyNotPublic: the tags of what the stranger asks for are no limit (false pass)', () => {
  test.each<[string, Record<string, unknown>, Context, string]>([
    ['objects tagged for the web', { StringEquals: { 's3:ExistingObjectTag/classification': 'public' } }, { 's3:ExistingObjectTag/classification': 'public' },
      'picking a resource with s3:ExistingObjectTag/classification public'],
    ['objects of any tagged release', { StringLike: { 's3:ExistingObjectTag/release': 'v*' } }, { 's3:ExistingObjectTag/release': 'vany' },
      'picking a resource with s3:ExistingObjectTag/release vany'],
    ['objects carrying a tag at all (Null false)', { Null: { 's3:ExistingObjectTag/shared': 'false' } }, { 's3:ExistingObjectTag/shared': 'any' },
      'picking a resource with s3:ExistingObjectTag/shared any'],
    ['objects tagged anything but secret (StringNotEquals beside Null false)', { Null: { 's3:ExistingObjectTag/classification': 'false' }, StringNotEquals: { 's3:ExistingObjectTag/classification': 'secret' } },
      { 's3:ExistingObjectTag/classification': 'breachlessons-other-value' }, 'picking a resource with s3:ExistingObjectTag/classification breachlessons-other-value'],
  ])('%s: FAIL, naming the object the stranger asks for, which the oracle lets in', async (_, condition, context, picks) => {
    const [f] = bucketPolicy(condition, 's3:GetObject');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${picks} call s3:GetObject`);
    expect(await oracle(condition, 's3:GetObject', context)).toBe('Allowed');
    // an object without the tag stays closed to the stranger
    expect(await oracle(condition, 's3:GetObject', {})).not.toBe('Allowed');
  });

  test('a tag beside a fixed limit (the own organization) is no hole: PASS', () => {
    const condition = { StringEquals: { 's3:ExistingObjectTag/classification': 'public', 'aws:PrincipalOrgID': OWN_ORG } };
    expect(bucketPolicy(condition, 's3:GetObject').map((f) => f.status)).toEqual(['PASS']);
  });

  test('a tag value unresolved until deployment: the answer depends on it, ERROR naming it, never a pass', () => {
    const [f] = bucketPolicy({ StringEquals: { 's3:ExistingObjectTag/classification': { Ref: 'Classification' } } }, 's3:GetObject');
    expect([f.status, f.message]).toEqual(['ERROR', expect.stringContaining('picking a resource with s3:ExistingObjectTag/classification (unresolved)')]);
  });
});

describe('ResourcePolicyNotPublic: a Deny that spares what the sender chooses is no limit (false pass)', () => {
  const allowAll = { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*' };
  const withDeny = (Condition: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [allowAll, { Sid: 'Limit', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*', Condition }] });
  async function oracleOf(Condition: Record<string, unknown>, context: Context) {
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const request = { principal: strangerUser, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN, context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', 'aws:ViaAWSService': 'false', ...context } };
    return (await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: withDeny(Condition) } })).decision;
  }
  test.each<[string, Record<string, unknown>, Context, string]>([
    ['every direct call (Bool aws:ViaAWSService false): the stranger calls through a service', { Bool: { 'aws:ViaAWSService': 'false' } },
      { 'aws:ViaAWSService': 'true' }, 'sending aws:ViaAWSService true'],
    ['every call not made through a service (Null aws:CalledVia true)', { Null: { 'aws:CalledVia': 'true' } },
      { 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' }, 'sending aws:CalledVia any'],
    ['every call but one through Athena (StringNotEquals aws:CalledViaFirst)', { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } },
      { 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' }, 'sending aws:CalledViaFirst athena.amazonaws.com'],
    ['every request with TLS (Bool aws:SecureTransport true): the stranger sends plain HTTP', { Bool: { 'aws:SecureTransport': 'true' } },
      { 'aws:SecureTransport': 'false' }, 'sending aws:SecureTransport false'],
    ['every request without the own Referer (StringNotLike aws:Referer)', { StringNotLike: { 'aws:Referer': 'https://www.example.com/*' } },
      { 'aws:Referer': 'https://www.example.com/any' }, 'sending aws:Referer https://www.example.com/any'],
  ])('Allow * beside a Deny of %s: FAIL naming the request that escapes it, which the oracle lets in', async (_, condition, context, sends) => {
    const [f] = bucketPolicyOf(withDeny(condition));
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call s3:GetObject`);
    expect(await oracleOf(condition, context)).toBe('Allowed');
    expect(await oracleOf(condition, {})).not.toBe('Allowed');
  });
  test('an Allow needing MFA and a call through Athena, beside a Deny of calls not through Athena: the request carrying both still gets in (FAIL, oracle agrees)', async () => {
    const needs = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } };
    const policy = { Version: '2012-10-17', Statement: [{ ...allowAll, Condition: needs }, withDeny({ StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } }).Statement[1]] };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization with MFA, sending aws:CalledViaFirst athena.amazonaws.com call s3:GetObject`);
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const request = { principal: strangerUser, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
      context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', ...MFA, 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' } };
    expect((await oracleDecide(request, { identity: [theirs], resourcePolicy: { name: 'bucket', document: policy } })).decision).toBe('Allowed');
  });
  test.each<[string, string, Record<string, unknown>, string]>([
    ['TLS up to 1.2 (NumericLessThanEqualsIfExists): TLS 1.3 and later', 's3:GetObject', { NumericLessThanEqualsIfExists: { 's3:TlsVersion': '1.2' } }, 'sending s3:TlsVersion 2.2'],
    ['signatures ten minutes old or older (NumericGreaterThanEqualsIfExists): a fresh one', 's3:GetObject', { NumericGreaterThanEqualsIfExists: { 's3:signatureAge': '600000' } }, 'sending s3:signatureAge 599999'],
    ['locks until 2030 or later (DateGreaterThanEqualsIfExists): a lock to the day before', 's3:PutObject',
      { DateGreaterThanEqualsIfExists: { 's3:object-lock-retain-until-date': '2030-01-01T00:00:00Z' } }, 'sending s3:object-lock-retain-until-date 2029-12-31T00:00:00.000Z'],
    ['calls through CloudFormation alone or through no service (ForAllValues:StringEquals): a call through another service', 's3:GetObject',
      { 'ForAllValues:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' } }, 'sending aws:CalledVia breachlessons-other-value'],
  ])('Allow * beside a Deny met by the value and by its absence, %s: FAIL naming the value that escapes it', (_, action, condition, sends) => {
    const policy = { Version: '2012-10-17', Statement: [{ ...allowAll, Action: action }, { ...withDeny(condition).Statement[1], Action: action }] };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call ${action}`);
  });
  test('an Allow needing MFA and an ACL header of any kind, beside a Deny of one ACL: the request with MFA and another ACL gets in (FAIL)', () => {
    const needs = { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, Null: { 's3:x-amz-acl': 'false' } };
    const put = { ...allowAll, Action: 's3:PutObject', Condition: needs };
    const policy = { Version: '2012-10-17', Statement: [put, { ...withDeny({ StringEquals: { 's3:x-amz-acl': 'public-read' } }).Statement[1], Action: 's3:PutObject' }] };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization with MFA, sending s3:x-amz-acl breachlessons-other-value call s3:PutObject`);
  });
  test.each<[string, Record<string, unknown>[], string, Context, string]>([
    ['an Allow of one ACL beside a Deny of uploads without AES256: the stranger sends both headers', [
      { ...allowAll, Action: 's3:PutObject', Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
      { ...allowAll, Sid: 'Limit', Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } } },
    ], 's3:PutObject', { 's3:x-amz-acl': 'bucket-owner-full-control', 's3:x-amz-server-side-encryption': 'AES256' },
    'sending s3:x-amz-acl bucket-owner-full-control, sending s3:x-amz-server-side-encryption AES256'],
    ['an Allow needing MFA beside a Deny of calls not made through a service: the stranger calls through one with MFA', [
      { ...allowAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      { ...allowAll, Sid: 'Limit', Effect: 'Deny', Condition: { Null: { 'aws:CalledVia': 'true' } } },
    ], 's3:GetObject', { ...MFA, 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' }, 'with MFA, sending aws:CalledVia any'],
    ['an Allow needing MFA beside a Deny of every signature age but one: the stranger signs at that age, with MFA', [
      { ...allowAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      { ...allowAll, Sid: 'Limit', Effect: 'Deny', Condition: { NumericNotEquals: { 's3:signatureAge': '600000' } } },
    ], 's3:GetObject', { ...MFA, 's3:signatureAge': '600000' }, 'with MFA, sending s3:signatureAge 600000'],
    ['an Allow beside two Denies, of calls not through Athena and of calls over TLS: the stranger escapes both at once', [
      allowAll,
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
      { ...allowAll, Sid: 'Tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ], 's3:GetObject', { 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true', 'aws:SecureTransport': 'false' },
    'sending aws:CalledViaFirst athena.amazonaws.com, sending aws:SecureTransport false'],
    ['the same two Denies written the other way round (over TLS first): the stranger still escapes both at once', [
      allowAll,
      { ...allowAll, Sid: 'Tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
    ], 's3:GetObject', { 'aws:SecureTransport': 'false', 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' },
    'sending aws:SecureTransport false, sending aws:CalledViaFirst athena.amazonaws.com'],
    ['an Allow beside Denies of every signature age sent (below a bound, or from it), of calls not through Athena and of calls over TLS: the stranger sends no age, through Athena, over HTTP', [
      allowAll,
      { ...allowAll, Sid: 'Fresh', Effect: 'Deny', Condition: { NumericLessThan: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'Stale', Effect: 'Deny', Condition: { NumericGreaterThanEquals: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
      { ...allowAll, Sid: 'Tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ], 's3:GetObject', { 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true', 'aws:SecureTransport': 'false' },
    'sending aws:CalledViaFirst athena.amazonaws.com, sending aws:SecureTransport false'],
    ['an Allow beside two Denies, of calls through CloudFormation alone or no service, and of calls over TLS: the stranger calls through another service over HTTP', [
      allowAll,
      { ...allowAll, Sid: 'Cfn', Effect: 'Deny', Condition: { 'ForAllValues:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' } } },
      { ...allowAll, Sid: 'Tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ], 's3:GetObject', { 'aws:CalledVia': ['breachlessons-other-value'], 'aws:ViaAWSService': 'true', 'aws:SecureTransport': 'false' },
    'sending aws:CalledVia breachlessons-other-value, sending aws:SecureTransport false'],
    ['an Allow beside three Denies, two on one key written in two cases (aws:UserAgent, aws:useragent) and one of calls not through Athena: the stranger sends the agent one Deny spares, through Athena', [
      allowAll,
      { ...allowAll, Sid: 'Agent', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:UserAgent': 'payments-app' } } },
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
      { ...allowAll, Sid: 'Curl', Effect: 'Deny', Condition: { StringEquals: { 'aws:useragent': 'curl' } } },
    ], 's3:GetObject', { 'aws:UserAgent': 'payments-app', 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' },
    'sending aws:UserAgent payments-app, sending aws:CalledViaFirst athena.amazonaws.com'],
  ])('%s: FAIL naming the request, which the oracle lets in', async (_, statements, action, context, sends) => {
    const policy = { Version: '2012-10-17', Statement: statements };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call ${action}`);
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const ask = (extra: Context) => oracleDecide({ principal: strangerUser, action, resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
      context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', 'aws:ViaAWSService': 'false', ...extra } }, { identity: [theirs], resourcePolicy: { name: 'bucket', document: policy } });
    expect((await ask(context)).decision).toBe('Allowed');
    // each of the choices alone does not get in
    for (const [k, v] of Object.entries(context).filter(([k]) => k !== 'aws:ViaAWSService' && k !== 'aws:MultiFactorAuthAge')) {
      expect([k, (await ask({ [k]: v } as Context)).decision]).not.toEqual([k, 'Allowed']);
    }
  });
  test('two Denies sparing only one signature age between them (and none without one), and a Deny of calls not through Athena: the stranger signs at that age through Athena (FAIL, oracle agrees; the first and last values of each key were tried, not this one)', async () => {
    const policy = { Version: '2012-10-17', Statement: [
      allowAll,
      { ...allowAll, Sid: 'TooFresh', Effect: 'Deny', Condition: { NumericLessThanIfExists: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'TooOld', Effect: 'Deny', Condition: { NumericGreaterThanIfExists: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
    ] };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization sending s3:signatureAge 600000, sending aws:CalledViaFirst athena.amazonaws.com call s3:GetObject`);
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const ask = async (extra: Context) => (await oracleDecide({ principal: strangerUser, action: 's3:GetObject', resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
      context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', 'aws:ViaAWSService': 'false', ...extra } }, { identity: [theirs], resourcePolicy: { name: 'bucket', document: policy } })).decision;
    expect(await ask({ 's3:signatureAge': '600000', 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' })).toBe('Allowed');
    for (const age of ['599999', '600001']) expect([age, await ask({ 's3:signatureAge': age, 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' })]).not.toEqual([age, 'Allowed']);
    expect(await ask({ 's3:signatureAge': '600000' })).not.toBe('Allowed');
  });
  test('Denies that no value escapes together still hold: a signature age below a bound or from it (or none), beside a Deny of calls not through Athena (PASS)', () => {
    const policy = { Version: '2012-10-17', Statement: [
      allowAll,
      { ...allowAll, Sid: 'TooFresh', Effect: 'Deny', Condition: { NumericLessThanIfExists: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'NotFresh', Effect: 'Deny', Condition: { NumericGreaterThanEqualsIfExists: { 's3:signatureAge': '600000' } } },
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
      { ...allowAll, Sid: 'Tls', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ] };
    expect(bucketPolicyOf(policy).map((f) => f.status)).toEqual(['PASS']);
  });
  test(`Denies on more keys than ${MAX_CHOICE_COMBINATIONS} combinations of their values can try: ERROR naming the keys, never a pass`, () => {
    const between = (key: string) => [
      { ...allowAll, Sid: `Below${key.replace(/\W/g, '')}`, Effect: 'Deny', Condition: { NumericLessThanIfExists: { [key]: '10' } } },
      { ...allowAll, Sid: `Above${key.replace(/\W/g, '')}`, Effect: 'Deny', Condition: { NumericGreaterThanIfExists: { [key]: '10' } } },
    ];
    const keys = ['s3:signatureAge', 's3:TlsVersion', 's3:max-keys', 's3:object-lock-remaining-retention-days'];
    const [f] = bucketPolicyOf({ Version: '2012-10-17', Statement: [allowAll, ...keys.flatMap(between)] });
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain('which values the caller chooses for 4 keys the policy looks at (256 combinations, more than the 64 tried)');
    expect(f.message).toContain(`choosing values of ${keys.join(', ')} not all tried together`);
    // an Allow needing recent MFA beside the Denies of three keys: 2 x 4 x 4 x 4 = 128; MFA's age is unknown too, never read as absent
    const recent = { ...allowAll, Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } };
    const [mfa] = bucketPolicyOf({ Version: '2012-10-17', Statement: [recent, ...keys.slice(0, 3).flatMap(between)] });
    expect(mfa.status).toBe('ERROR');
    expect(mfa.message).toContain('which values the caller chooses for 4 keys the policy looks at (128 combinations, more than the 64 tried)');
    // one key written in two cases is one key: 5 x 4 x 3 = 60 combinations, all tried (as two keys, 96 would be too many)
    const [cased] = bucketPolicyOf({ Version: '2012-10-17', Statement: [allowAll,
      { ...allowAll, Sid: 'Fresh', Effect: 'Deny', Condition: { NumericLessThanIfExists: { 's3:signatureAge': '10' } } },
      { ...allowAll, Sid: 'Stale', Effect: 'Deny', Condition: { NumericGreaterThanIfExists: { 'S3:SignatureAge': '11' } } },
      ...between('s3:TlsVersion'),
      { ...allowAll, Sid: 'Athena', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
    ] });
    expect(cased.status).toBe('FAIL');
    expect(cased.message).toContain('sending S3:SignatureAge 10, sending s3:TlsVersion 10, sending aws:CalledViaFirst athena.amazonaws.com call s3:GetObject');
    // three of those keys are tried in every combination: the value between the bounds of each is found
    const [three] = bucketPolicyOf({ Version: '2012-10-17', Statement: [allowAll, ...keys.slice(0, 3).flatMap(between)] });
    expect(three.status).toBe('FAIL');
    expect(three.message).toContain('sending s3:signatureAge 10, sending s3:TlsVersion 10, sending s3:max-keys 10 call s3:GetObject');
  });
  test.each<[string, Record<string, unknown>[], string, Context, string]>([
    ['an Allow needing MFA and a call through Athena, beside an Allow of calls through CloudFormation by the own account: through Athena with MFA', [
      { ...allowAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:CalledViaFirst': 'athena.amazonaws.com' } } },
      { ...allowAll, Sid: 'Own', Condition: { StringEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com', 'aws:PrincipalAccount': OWN } } },
    ], 's3:GetObject', { ...MFA, 'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true' }, 'with MFA, sending aws:CalledViaFirst athena.amazonaws.com'],
    ['an Allow of uploads with MFA and one ACL, beside an Allow of another ACL to the own account: with MFA and the first ACL', [
      { ...allowAll, Action: 's3:PutObject', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
      { ...allowAll, Sid: 'Own', Action: 's3:PutObject', Condition: { StringEquals: { 's3:x-amz-acl': 'private', 'aws:PrincipalAccount': OWN } } },
    ], 's3:PutObject', { ...MFA, 's3:x-amz-acl': 'bucket-owner-full-control' }, 'with MFA, sending s3:x-amz-acl bucket-owner-full-control'],
  ])('%s: FAIL (each value of a key is tried with every other choice, not only the last one; the oracle agrees)', async (_, statements, action, context, sends) => {
    const policy = { Version: '2012-10-17', Statement: statements };
    const [f] = bucketPolicyOf(policy);
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain(`a principal of account ${STRANGER} in no organization ${sends} call ${action}`);
    const theirs = { name: 'theirs', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const ask = async (extra: Context) => (await oracleDecide({ principal: strangerUser, action, resource: 'arn:aws:s3:::customer-data/records.csv', resourceAccount: OWN,
      context: { 'aws:SecureTransport': 'true', 'aws:SourceIp': '203.0.113.7', 'aws:ViaAWSService': 'false', ...extra } }, { identity: [theirs], resourcePolicy: { name: 'bucket', document: policy } })).decision;
    expect(await ask(context)).toBe('Allowed');
    expect(await ask(MFA)).not.toBe('Allowed');
  });
  test('a Deny whose escape the sender cannot choose holds: a Deny of every principal outside the own account passes', () => {
    const [f] = bucketPolicyOf(withDeny({ StringNotEquals: { 'aws:PrincipalAccount': OWN } }));
    expect(f.status).toBe('PASS');
  });
});
