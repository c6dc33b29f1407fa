/**
 * lib/policy/questions, first part: who outside the account/organization gets in (outsiderAccess), whether
 * a bucket policy denies every request without (recent) TLS (deniesWithoutTls), whether identity documents
 * deny everything but MFA self-service without MFA (deniesWithoutMfa, mfaDenyCandidates), and the values a
 * document names (namedIdentities). Each case is a policy written to read right and mean otherwise.
 */
import { Own, OWN_ACCOUNT_PLACEHOLDER, deniesWithoutMfa, deniesWithoutTls, mfaDenyCandidates, namedIdentities, outsiderAccess, scpDenies } from '../../lib/policy/questions';
import { unknown } from '../../lib/policy';

const OWN: Own = { account: '111122223333', organizationId: 'o-ours1234567', partition: 'aws', region: 'us-east-1' };
const NO_ORG: Own = { ...OWN, organizationId: undefined };
const AGNOSTIC: Own = { ...OWN, account: OWN_ACCOUNT_PLACEHOLDER };
const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });
const BUCKET = 'arn:aws:s3:::customer-data';
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];

const FOREIGN_NO_ORG = 'a principal of account 444455556666 in no organization';
const pub = { defaultActions: ['s3:GetObject'], defaultResources: [BUCKET, `${BUCKET}/k`], wildcardOnly: true };
const any = { ...pub, wildcardOnly: false };
const open = (Condition?: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  doc({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*`, ...(Condition ? { Condition } : {}), ...rest });

describe('outsiderAccess: what every request carries', () => {
  test('a wildcard "limited" to TLS, the internet, or direct calls is open, and says who and what', () => {
    for (const c of [
      { Bool: { 'aws:SecureTransport': 'true' } },
      { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
      { Bool: { 'aws:ViaAWSService': 'false' } },
    ]) {
      expect([c, outsiderAccess(open(c), OWN, pub)]).toEqual([c, { yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] }]);
    }
  });
  test('a wildcard limited to the own resource account or resource organization keeps nobody out', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:ResourceAccount': OWN.account } }), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    expect(outsiderAccess(open({ StringEquals: { 'aws:ResourceOrgID': OWN.organizationId } }), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
  test('with no own organization configured, a resource-organization condition is unknown and says so', () => {
    const a = outsiderAccess(open({ StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } }), NO_ORG, pub);
    expect(a.yes).toBe('unknown');
    expect(a.why.join('\n')).toContain('the own organization id (none configured)');
  });
  test('outsiders are IAM users with a name and an ARN: a condition on them does not keep anyone out', () => {
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    expect(outsiderAccess(open({ StringLike: { 'aws:username': '?*' } }), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
});

describe('outsiderAccess: the outsiders tried', () => {
  const principalAccountAndNoOrg = { Null: { 'aws:PrincipalOrgID': 'true', 'aws:PrincipalAccount': 'false' } };
  test('a foreign account in no organization', () => {
    expect(outsiderAccess(open(principalAccountAndNoOrg), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
  test('a foreign account\'s root user and its federated users: a grant to everyone but roles and users lets them in (false pass: read as nobody)', () => {
    const spare = (arns: string[]) => open({ ArnNotLike: { 'aws:PrincipalArn': arns } });
    const roles = 'arn:aws:iam::*:role/*'; const users = 'arn:aws:iam::*:user/*'; const feds = 'arn:aws:sts::*:federated-user/*';
    const a = outsiderAccess(spare([roles, users, 'arn:aws:sts::*:assumed-role/*']), NO_ORG, pub);
    expect(a.yes).toBe(true);
    expect(a.why).toEqual(['Open lets the root user of account 444455556666 in no organization call s3:GetObject']);
    const b = outsiderAccess(spare([roles, users, 'arn:aws:sts::*:assumed-role/*', 'arn:aws:iam::*:root']), NO_ORG, pub);
    expect(b).toEqual({ yes: true, why: ['Open lets a federated user of account 444455556666 in no organization call s3:GetObject'] });
    // aws:userid as AWS sends it: the account id for the root user, account:name for a federated user
    expect(outsiderAccess(open({ StringEquals: { 'aws:userid': '444455556666' } }), NO_ORG, pub).why).toEqual(['Open lets the root user of account 444455556666 in no organization call s3:GetObject']);
    expect(outsiderAccess(open({ StringLike: { 'aws:userid': '444455556666:*' } }), NO_ORG, pub).why).toEqual(['Open lets a federated user of account 444455556666 in no organization call s3:GetObject']);
    // the root user carries no principal tags: a grant to tagged principals only does not let it in
    const tagged = outsiderAccess(open({ StringEquals: { 'aws:PrincipalTag/team': 'x' }, ArnNotLike: { 'aws:PrincipalArn': [roles, users, feds, 'arn:aws:sts::*:assumed-role/*'] } }), NO_ORG, pub);
    expect(tagged).toEqual({ yes: false, why: [] });
  });
  test('a foreign account in any organization', () => {
    expect(outsiderAccess(open({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a principal of account 444455556666 in organization o-foreign00000 call s3:GetObject'] });
  });
  test('an anonymous caller carries no principal keys and no kms:CallerAccount (nor the source keys a service delivering for an account carries)', () => {
    const anonymousOnly = { 'aws:SourceAccount': 'true' };
    expect(outsiderAccess(open({ Null: { 'aws:PrincipalAccount': 'true', ...anonymousOnly } }), OWN, pub)).toEqual({ yes: true, why: ['Open lets an anonymous caller call s3:GetObject'] });
    expect(outsiderAccess(open({ Null: { 'kms:CallerAccount': 'true', ...anonymousOnly } }), OWN, pub)).toEqual({ yes: true, why: ['Open lets an anonymous caller call s3:GetObject'] });
  });
  test('a service principal delivering for a foreign account carries no aws:PrincipalAccount either: a Null or IfExists test on it lets the service in', () => {
    expect(outsiderAccess(open({ Null: { 'aws:PrincipalAccount': 'true' } }), OWN, pub)).toEqual({ yes: true, why: [
      `Open lets sns.amazonaws.com acting for arn:aws:sns:${OWN.region}:444455556666:any-topic (account 444455556666 in no organization) call s3:GetObject`,
    ] });
    expect(outsiderAccess(open({ StringEqualsIfExists: { 'aws:PrincipalAccount': OWN.account } }), OWN, pub).yes).toBe(true);
    expect(outsiderAccess(open({ StringEqualsIfExists: { 'aws:PrincipalAccount': OWN.account }, StringEquals: { 'aws:SourceAccount': OWN.account } }), OWN, pub).yes).toBe(false);
  });
  test('a key policy open to a named foreign caller account (kms:CallerAccount) is open to it', () => {
    expect(outsiderAccess(open({ StringEquals: { 'kms:CallerAccount': '999988887777' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a principal of account 999988887777 in no organization call s3:GetObject'] });
  });
  test('a named organization path admits its members', () => {
    expect(outsiderAccess(open({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-other98765/*'] } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a principal of account 444455556666 in organization o-other98765 call s3:GetObject'] });
  });
  const both = { StringEquals: { 'aws:PrincipalAccount': '999988887777', 'aws:PrincipalOrgID': 'o-other98765' } };
  test('a named account in a named organization, both foreign: yes, naming both', () => {
    expect(outsiderAccess(open(both), OWN, pub)).toEqual({ yes: true, why: ['Open lets a principal of account 999988887777 in organization o-other98765 call s3:GetObject'] });
  });
  test('the same when the own account is not known: unknown, saying the account cannot be compared', () => {
    expect(outsiderAccess(open(both), AGNOSTIC, pub)).toEqual({ yes: 'unknown', why: [
      'Open lets a principal of account 999988887777 in organization o-other98765 call s3:GetObject, and the own account is not known to compare 999988887777 with',
    ] });
  });
  test('the same when no own organization is configured: unknown, saying the organization cannot be compared', () => {
    expect(outsiderAccess(open(both), NO_ORG, pub)).toEqual({ yes: 'unknown', why: [
      'Open lets a principal of account 999988887777 in organization o-other98765 call s3:GetObject, and no own organization is configured to compare o-other98765 with',
    ] });
  });
  test('the placeholder of the own account is never an outsider', () => {
    const d = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_PLACEHOLDER}:root` }, Action: 's3:GetObject', Resource: '*' });
    expect(outsiderAccess(d, OWN, any)).toEqual({ yes: false, why: [] });
  });
});

describe('outsiderAccess: which statements count as public', () => {
  test('an unresolved principal, alone or beside a named one, may be everyone: unknown', () => {
    for (const AWS of [unknown('a parameter'), [`arn:aws:iam::${OWN.account}:root`, unknown('a parameter')]]) {
      expect(outsiderAccess(doc({ Effect: 'Allow', Principal: { AWS }, Action: 's3:GetObject', Resource: '*' }), OWN, pub).yes).toBe('unknown');
    }
  });
  test('an Allow without any principal admits nobody to a resource', () => {
    expect(outsiderAccess(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('a named foreign statement beside a public one: only the public one is named, and its doubt does not count', () => {
    const named = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:GetObject', Resource: '*' };
    expect(outsiderAccess(doc(named, { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), OWN, pub))
      .toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    const maybe = { ...named, Condition: { IpAddress: { 'aws:SourceIp': unknown('the partner range') } } };
    const ownOnly = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } } };
    expect(outsiderAccess(doc(maybe, ownOnly), OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('the sample of a statement is its own: a named or a deny statement does not lend its actions to a public one', () => {
    const getAny = { Sid: 'Reads', Effect: 'Allow', Principal: '*', Action: 's3:Get*', Resource: '*' };
    const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN.account}:role/x` }, Action: 's3:GetObject', Resource: '*' };
    expect(outsiderAccess(doc(partner, getAny), OWN, pub)).toEqual({ yes: true, why: [`Reads lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    const internalDeny = { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } };
    expect(outsiderAccess(doc(internalDeny, getAny), OWN, pub)).toEqual({ yes: true, why: [`Reads lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    const listOwn = { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } } };
    expect(outsiderAccess(doc(listOwn, getAny), OWN, pub)).toEqual({ yes: true, why: [`Reads lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    const noPrincipal = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    expect(outsiderAccess(doc(noPrincipal, getAny), OWN, pub)).toEqual({ yes: true, why: [`Reads lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
  test('two public statements that both let an outsider in are both named', () => {
    const st = (Sid: string) => ({ Sid, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' });
    expect(outsiderAccess(doc(st('A'), st('B')), OWN, pub)).toEqual({ yes: true, why: [`A, B lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
  test('a named statement is judged as a resource policy: the own account named is no outsider', () => {
    const d = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN.account}:root` }, Action: 's3:GetObject', Resource: '*' });
    expect(outsiderAccess(d, OWN, any)).toEqual({ yes: false, why: [] });
  });
});

describe('outsiderAccess: the actions and resources tried', () => {
  test('a service wildcard or a pattern tries the default actions it matches (any case), named in the answer', () => {
    const o = { ...pub, defaultActions: ['s3:GetObject', 's3:ListBucket'] };
    expect(outsiderAccess(open(undefined, { Action: 'S3:*' }), OWN, o)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    expect(outsiderAccess(open(undefined, { Action: 's3:List*' }), OWN, o)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:ListBucket`] });
  });
  test('the statement\'s own service is tried even when many default actions of other services are given', () => {
    const o = { ...pub, defaultActions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:GetQueueUrl', 'sqs:ListQueues'] };
    expect(outsiderAccess(open(undefined, { Action: 's3:*' }), OWN, o)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:any`] });
  });
  test('Action "*" tries every default action, so a deny of the first does not hide the second', () => {
    const o = { ...pub, defaultActions: ['s3:GetObject', 's3:PutObject'] };
    const d = doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' });
    expect(outsiderAccess(d, OWN, o)).toEqual({ yes: true, why: [`statement 1 lets ${FOREIGN_NO_ORG} call s3:PutObject`] });
  });
  test('Action "*" limited to the own organization: no, and no nonsense action is tried', () => {
    const d = open({ StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } }, { Action: '*' });
    expect(outsiderAccess(d, OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('NotAction: the default actions it does not exclude are tried', () => {
    expect(outsiderAccess(doc({ Effect: 'Allow', Principal: '*', NotAction: 's3:DeleteBucket', Resource: '*' }), OWN, pub))
      .toEqual({ yes: true, why: [`statement 1 lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
    expect(outsiderAccess(doc({ Effect: 'Allow', Principal: '*', NotAction: 's3:GetObject', NotResource: 'arn:aws:s3:::other/*' }), OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('a statement\'s own resources are tried beside the defaults', () => {
    expect(outsiderAccess(open(undefined, { Resource: 'arn:aws:s3:::other-bucket/*' }), OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] });
  });
  test('Resource "*" with a deny on the bucket and its objects: nothing outside the bucket is invented', () => {
    const d = doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: '*', Resource: [BUCKET, `${BUCKET}/*`] });
    expect(outsiderAccess(d, OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('an unresolved Action or Resource of a public statement makes the answer unknown, never no', () => {
    const a = outsiderAccess(open(undefined, { Action: unknown('an action parameter') }), OWN, pub);
    expect(a.yes).toBe('unknown');
    expect(a.why[0]).toContain('an action parameter');
    expect(outsiderAccess(open(undefined, { Resource: unknown('a bucket parameter') }), OWN, pub).yes).toBe('unknown');
  });
  test('a public policy given as JSON text (as documents may be) is public: its statements are sampled too', () => {
    const text = JSON.stringify(open());
    expect(outsiderAccess(text, OWN, pub)).toEqual(outsiderAccess(open(), OWN, pub));
    expect(outsiderAccess(text, OWN, pub).yes).toBe(true);
    const notAction = JSON.stringify(doc({ Effect: 'Allow', Principal: '*', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::other-bucket/*' }));
    expect(outsiderAccess(notAction, OWN, pub).yes).toBe(true);
  });
});

describe('outsiderAccess: unknown answers say on what they depend', () => {
  test('a request the evaluator cannot build is unknown, naming why', () => {
    const a = outsiderAccess(open(undefined, { Action: '*' }), OWN, { ...pub, defaultActions: ['GetObject'] });
    expect(a.yes).toBe('unknown');
    expect(a.why[0]).toBe(`whether ${FOREIGN_NO_ORG} may call GetObject depends on request action must be service:action, got "GetObject"`);
  });
  test('an allow on an unresolved value names it; two of them are both named', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalAccount': unknown('the partner account parameter') } }), OWN, pub).why[0])
      .toBe(`whether ${FOREIGN_NO_ORG} may call s3:GetObject depends on the partner account parameter`);
    const st = (Sid: string, p: string) => ({ Sid, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': unknown(p) } } });
    expect(outsiderAccess(doc(st('A', 'endpoint one'), st('B', 'endpoint two')), OWN, pub).why[0]).toMatch(/depends on .*endpoint one.*; .*endpoint two/);
  });
  test('a deny that may apply, beside an allow that may not: the doubt is the deny\'s', () => {
    const d = doc(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': unknown('the partner account') } } },
      { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': unknown('the office range') } } },
    );
    const a = outsiderAccess(d, OWN, pub);
    expect(a.yes).toBe('unknown');
    expect(a.why[0]).toContain('the office range');
    expect(a.why.join()).not.toContain('the partner account');
  });
  test('a deny that may apply where nothing is allowed anyway: no', () => {
    const d = doc(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } } },
      { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': unknown('the office range') } } },
    );
    expect(outsiderAccess(d, OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('at most three doubts are named', () => {
    const a = outsiderAccess(open({ StringEquals: { 'aws:PrincipalAccount': unknown('the partner account') } }, { Action: '*' }), OWN, { ...pub, defaultActions: ['s3:GetObject', 's3:PutObject'] });
    expect(a.yes).toBe('unknown');
    expect(a.why).toHaveLength(3);
  });
  test('a malformed document is named by the default name', () => {
    expect(outsiderAccess(open({ StringEquall: { 'aws:PrincipalOrgID': 'o-x' } }), OWN, pub).why[0]).toContain("'resource policy'");
  });
});

describe('namedIdentities', () => {
  test('unresolved values are not values the document names; null values are skipped', () => {
    const d = doc({ Effect: 'Allow', Principal: { AWS: unknown('the account 999988887777 of a parameter') }, Action: 's3:GetObject', Resource: null });
    expect(namedIdentities(d)).toEqual({ accounts: [], orgs: [] });
  });
});

describe('deniesWithoutTls', () => {
  const deny = (Condition: Record<string, unknown> = { Bool: { 'aws:SecureTransport': 'false' } }, Resource: unknown = [BUCKET, `${BUCKET}/*`], extra: Record<string, unknown> = {}) =>
    doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource, Condition, ...extra });
  const notTls = { Bool: { 'aws:SecureTransport': 'false' } };
  test('yes is a plain yes', () => {
    expect(deniesWithoutTls([deny()], BUCKET, OWN)).toEqual({ yes: true, why: [] });
  });
  test('one document of several denying is enough', () => {
    expect(deniesWithoutTls([doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), deny()], BUCKET, OWN).yes).toBe(true);
  });
  test('a deny of plain HTTP for roles and users only spares the root user and federated users, of the own account and of others (false pass: read as every principal)', () => {
    const roles = 'arn:aws:iam::*:role/*'; const users = 'arn:aws:iam::*:user/*';
    const only = (arns: string[]) => deniesWithoutTls([deny({ ...notTls, ArnLike: { 'aws:PrincipalArn': arns } })], BUCKET, OWN);
    const a = only([roles, users]);
    expect(a.yes).toBe(false);
    expect(a.why[0]).toContain('by arn:aws:iam::111122223333:root');
    const b = only([roles, users, 'arn:aws:iam::*:root']);
    expect(b.why[0]).toContain('by arn:aws:sts::111122223333:federated-user/member');
    const c = only([roles, users, 'arn:aws:iam::111122223333:root', 'arn:aws:sts::111122223333:federated-user/*']);
    expect(c.why[0]).toContain('by arn:aws:iam::444455556666:root');
    expect(only([roles, users, 'arn:aws:iam::*:root', 'arn:aws:sts::*:federated-user/*'])).toEqual({ yes: true, why: [] });
    // every principal tried has a name, as every IAM principal does: a pattern needing one covers them
    expect(only(['arn:aws:iam::*:role/?*', 'arn:aws:iam::*:user/?*', 'arn:aws:iam::*:root', 'arn:aws:sts::*:federated-user/?*'])).toEqual({ yes: true, why: [] });
  });
  test('a deny of plain HTTP for IAM users only names the next principal let through: the root user, not a role', () => {
    const a = deniesWithoutTls([deny({ ...notTls, StringEquals: { 'aws:PrincipalType': 'User' } })], BUCKET, OWN);
    expect(a.why[0]).toContain('by arn:aws:iam::111122223333:root');
  });
  test('the own account\'s root user and federated users are in its organization: a deny of the organization\'s plain HTTP reaches them', () => {
    const roles = ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'];
    const foreign = ['arn:aws:iam::444455556666:root', 'arn:aws:sts::444455556666:federated-user/*'];
    const docs = [deny({ ...notTls, ArnLike: { 'aws:PrincipalArn': roles } }), deny({ ...notTls, StringEquals: { 'aws:PrincipalOrgID': OWN.organizationId } }), deny({ ...notTls, ArnLike: { 'aws:PrincipalArn': foreign } })];
    expect(deniesWithoutTls(docs, BUCKET, OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny of the root user\'s plain HTTP that spares a principal tag still denies it: the root user has no tags', () => {
    const spare = deny({ ...notTls, StringNotEquals: { 'aws:PrincipalTag/tls': 'exempt' }, ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:root'] } });
    expect(deniesWithoutTls([spare, deny({ ...notTls, ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:root'] } })], BUCKET, OWN)).toEqual({ yes: true, why: [] });
  });
  const ownNetwork = 'from 10.0.1.20 through vpce-0a1b2c3d4e5f60718 is not denied';
  test('a deny that exempts the internal network (aws:VpcSourceIp, what AWS sends through an endpoint) names the request from it', () => {
    expect(deniesWithoutTls([deny({ ...notTls, NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } })], BUCKET, OWN)).toEqual({ yes: false, why: [
      `s3:ListBucket on the bucket (${BUCKET}) without TLS by arn:aws:iam::111122223333:user/member ${ownNetwork}`,
    ] });
    expect(deniesWithoutTls([deny({ ...notTls, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })], BUCKET, OWN).why[0]).toContain(ownNetwork);
  });
  test('a deny of every internet address leaves the own network open: AWS sends no aws:SourceIp through a VPC endpoint', () => {
    expect(deniesWithoutTls([deny({ ...notTls, IpAddress: { 'aws:SourceIp': ['0.0.0.0/0', '::/0'] } })], BUCKET, OWN).why[0]).toContain(ownNetwork);
  });
  test('a private range in aws:SourceIp exempts no one (AWS never sends one there): the deny holds', () => {
    expect(deniesWithoutTls([deny({ ...notTls, NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], BUCKET, OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny that exempts traffic through any VPC endpoint or VPC leaves the own network open', () => {
    expect(deniesWithoutTls([deny({ ...notTls, StringNotLike: { 'aws:SourceVpce': 'vpce-*' } })], BUCKET, OWN).why[0]).toContain(ownNetwork);
    expect(deniesWithoutTls([deny({ ...notTls, StringNotLike: { 'aws:SourceVpc': 'vpc-*' } })], BUCKET, OWN).why[0]).toContain(ownNetwork);
  });
  test('a deny for the own account only (and judged as a bucket policy, by principal) names the outsider let through', () => {
    const d = deny(notTls, [BUCKET, `${BUCKET}/*`], { Principal: { AWS: `arn:aws:iam::${OWN.account}:root` } });
    expect(deniesWithoutTls([d], BUCKET, OWN).why[0]).toBe(`s3:ListBucket on the bucket (${BUCKET}) without TLS by arn:aws:iam::444455556666:user/outsider from 203.0.113.7 is not denied`);
  });
  test('objects only, or a one-character key pattern: the bucket, or an object, is named', () => {
    expect(deniesWithoutTls([deny(notTls, `${BUCKET}/*`)], BUCKET, OWN).why[0]).toContain(`on the bucket (${BUCKET})`);
    expect(deniesWithoutTls([deny(notTls, [BUCKET, `${BUCKET}/?`])], BUCKET, OWN).why[0]).toContain(`on an object (${BUCKET}/data/customers.csv)`);
  });
  test('old TLS versions arrive over TLS: a version deny that also requires SecureTransport true covers them; the version let through is named', () => {
    expect(deniesWithoutTls([deny({ NumericLessThan: { 's3:TlsVersion': '1.2' }, Bool: { 'aws:SecureTransport': 'true' } })], BUCKET, OWN, '1.2').yes).toBe(true);
    expect(deniesWithoutTls([deny({ NumericLessThan: { 's3:TlsVersion': '1.1' } })], BUCKET, OWN, '1.2').why[0]).toContain('with TLS 1.1 by');
  });
  // A caller chooses about its plain-text request what the deny looks at: an office address, a call through a
  // service, its own tags, MFA, a source identity (a role session's).
  test.each<[string, Record<string, unknown>, string]>([
    ['the office\'s addresses', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'user/member, from 198.51.100.7 is not denied'],
    ['calls through CloudFormation', { StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'user/member, sending aws:CalledViaFirst cloudformation.amazonaws.com from 203.0.113.7 is not denied'],
    ['principals tagged team=data', { StringNotEquals: { 'aws:PrincipalTag/team': 'data' } }, 'user/member, tagged team=data from 203.0.113.7 is not denied'],
    ['sessions with MFA', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, 'user/member, with MFA from 203.0.113.7 is not denied'],
    ['a source identity', { StringNotEquals: { 'aws:SourceIdentity': 'etl' } }, 'assumed-role/member/session, with source identity etl from 203.0.113.7 is not denied'],
  ])('a TLS deny that spares %s: no, naming the request without TLS that makes that choice', (_, spare, tail) => {
    expect(deniesWithoutTls([deny({ ...notTls, ...spare })], BUCKET, OWN).why).toEqual([`s3:ListBucket on the bucket (${BUCKET}) without TLS by arn:aws:${tail.startsWith('user') ? 'iam' : 'sts'}::111122223333:${tail}`]);
  });
  test('a TLS deny sparing a source identity beside a plain one for the own account: an outsider\'s role session sets it and gets through', () => {
    const a = deniesWithoutTls([deny({ ...notTls, StringEquals: { 'aws:PrincipalAccount': OWN.account } }), deny({ ...notTls, StringNotEquals: { 'aws:SourceIdentity': 'etl' } })], BUCKET, OWN);
    expect(a.why).toEqual([`s3:ListBucket on the bucket (${BUCKET}) without TLS by arn:aws:sts::444455556666:assumed-role/outsider/session, with source identity etl from 203.0.113.7 is not denied`]);
  });
  test('the role session that sets a source identity is a role of its account, in its organization: denies of principals not roles, or outside the organization, spare it', () => {
    const sourced = deny({ ...notTls, StringNotEquals: { 'aws:SourceIdentity': 'etl' } });
    const member = `s3:ListBucket on the bucket (${BUCKET}) without TLS by arn:aws:sts::111122223333:assumed-role/member/session, with source identity etl from 203.0.113.7 is not denied`;
    expect(deniesWithoutTls([sourced, deny({ ...notTls, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } })], BUCKET, OWN).why).toEqual([member]);
    expect(deniesWithoutTls([sourced, deny({ ...notTls, StringNotEquals: { 'aws:PrincipalOrgID': OWN.organizationId } })], BUCKET, OWN).why).toEqual([member]);
  });
  test('a TLS deny sparing the office in one document, a plain one in another: the plain one holds', () => {
    expect(deniesWithoutTls([deny({ ...notTls, NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }), deny()], BUCKET, OWN)).toEqual({ yes: true, why: [] });
  });
  test('a TLS deny sparing an endpoint of any id: a stranger\'s own endpoint, and the own one, get through; the own one is named first', () => {
    expect(deniesWithoutTls([deny({ ...notTls, StringNotLike: { 'aws:SourceVpce': 'vpce-*' } })], BUCKET, OWN).why[0]).toContain(ownNetwork);
  });
  test('the oracle agrees: plain text from an office host is allowed by a bucket policy whose TLS deny spares the office', async () => {
    const { oracleDecide } = await import('./oracle');
    const policy = { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/member' }, Action: 's3:ListBucket', Resource: BUCKET },
      ...deny({ ...notTls, NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }).Statement,
    ] };
    const ask = async (ip: string) => (await oracleDecide({ principal: { arn: 'arn:aws:iam::111122223333:user/member', account: '111122223333', type: 'User' }, action: 's3:ListBucket', resource: BUCKET, resourceAccount: '111122223333', context: { 'aws:SecureTransport': 'false', 'aws:SourceIp': ip } }, { identity: [], resourcePolicy: { name: 'bucket', document: policy } })).decision;
    expect(await ask('198.51.100.7')).toBe('Allowed');
    expect(await ask('203.0.113.7')).toBe('ExplicitlyDenied');
  });
  test('a malformed second document is named as such', () => {
    expect(deniesWithoutTls([deny(), deny({ StringEquall: { 'aws:SourceVpce': 'x' } })], BUCKET, OWN)).toEqual({ yes: 'unknown', why: [expect.stringContaining("'bucket policy 2'")] });
  });
  test('denies that may apply name each unresolved value', () => {
    const d1 = deny({ ...notTls, StringNotEquals: { 'aws:SourceVpce': unknown('the endpoint parameter') } });
    const d2 = deny({ ...notTls, StringNotEquals: { 'aws:SourceVpc': unknown('the vpc parameter') } });
    const a = deniesWithoutTls([d1, d2], BUCKET, OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why).toEqual([expect.stringMatching(/^whether s3:ListBucket on the bucket .* without TLS .* is denied depends on .*the endpoint parameter; .*the vpc parameter/)]);
  });
});

describe('deniesWithoutMfa: every service\'s resources', () => {
  const mfaDeny = (Resource: unknown) => doc({ Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource, Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
  const services = ['dynamodb', 'kms', 'secretsmanager', 'ec2', 'lambda', 'rds', 'guardduty', 'cloudtrail'].map((s) => `arn:aws:${s}:*:*:*`);
  test('a deny listing the S3, IAM and every regional resource: yes', () => {
    expect(deniesWithoutMfa([mfaDeny(['arn:aws:s3:::*', 'arn:aws:iam::*:*', ...services])], OWN)).toEqual({ yes: true, why: [] });
  });
  test('a deny without S3 objects names the S3 request', () => {
    expect(deniesWithoutMfa([mfaDeny(['arn:aws:iam::*:*', 'arn:aws:*:us-east-1:*:*'])], OWN).why[0]).toMatch(/^s3:GetObject in an access-key request/);
  });
  test('a deny without IAM names the first IAM request', () => {
    expect(deniesWithoutMfa([mfaDeny(['arn:aws:s3:::*', 'arn:aws:*:us-east-1:*:*'])], OWN).why[0]).toMatch(/^iam:CreateAccessKey in an access-key request/);
  });
});

describe('mfaDenyCandidates', () => {
  const canonical = { Sid: 'NoMfa', Effect: 'Deny', NotAction: MFA_SELF_SERVICE, Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } };
  const allow = { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' };
  const plain = { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };
  const wide = { Sid: 'Wide', Effect: 'Deny', NotAction: [...MFA_SELF_SERVICE, 'secretsmanager:*'], Resource: '*' };
  const wideOne = { Sid: 'WideOne', Effect: 'Deny', NotAction: 'secretsmanager:*', Resource: '*' };
  test('keeps the denies, drops allows and denies whose NotAction leaves out more than MFA self-service', () => {
    expect(mfaDenyCandidates(doc(allow, canonical, plain, wide, wideOne))).toEqual(doc(canonical, plain));
  });
  test('a NotAction of one MFA self-service action, written as a string, is kept', () => {
    const one = { Sid: 'NoMfaOne', Effect: 'Deny', NotAction: 'iam:EnableMFADevice', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } };
    expect(mfaDenyCandidates(doc(one, wideOne))).toEqual(doc(one));
  });
  test('a single statement (not a list), and a document given as JSON text', () => {
    expect(mfaDenyCandidates({ Version: '2012-10-17', Statement: canonical })).toEqual(doc(canonical));
    expect(mfaDenyCandidates({ Version: '2012-10-17', Statement: allow })).toEqual(doc());
    expect(mfaDenyCandidates(JSON.stringify(doc(allow, canonical)))).toEqual(doc(canonical));
  });
  test('what is not a document is handed back for the parser to report', () => {
    const u = unknown('a parameter');
    expect(mfaDenyCandidates(u)).toBe(u);
    expect(mfaDenyCandidates(null)).toBe(null);
    expect(mfaDenyCandidates('42')).toBe(42);
    expect(mfaDenyCandidates('{not json')).toBe('{not json');
  });
});

describe('judge: a request the evaluator cannot build', () => {
  test('an SCP question asked with a malformed action is unknown, naming the action', () => {
    const scp = doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' });
    const a = scpDenies(scp, [{ action: 'GetObject', resource: `${BUCKET}/k` }], OWN);
    expect(a.yes).toBe('unknown');
    expect(a.why.join('\n')).toContain('request action must be service:action, got "GetObject"');
  });
});

describe('outsiderAccess: every listed action and resource is tried', () => {
  const SIX = ['s3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention'];
  test('a public grant of seven actions whose first six are denied is open through the seventh (only six were tried: "no")', () => {
    const policy = doc(
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: [...SIX, 's3:PutObject'], Resource: `${BUCKET}/*` },
      { Sid: 'NotThese', Effect: 'Deny', Principal: '*', Action: SIX, Resource: `${BUCKET}/*` },
    );
    expect(outsiderAccess(policy, OWN, pub)).toEqual({ yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:PutObject`] });
  });
  test('a public grant on seven object prefixes whose first six are denied is open on the seventh', () => {
    const prefixes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((p) => `${BUCKET}/${p}/*`);
    const policy = doc(
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: prefixes },
      { Sid: 'NotThese', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', NotResource: `${BUCKET}/g/*` },
    );
    expect(outsiderAccess(policy, OWN, { ...pub, defaultResources: [BUCKET] }).yes).toBe(true);
  });
});

describe('outsiderAccess: an action pattern stands for every default action it matches', () => {
  const Q = 'arn:aws:sqs:us-east-1:111122223333:q';
  const own = OWN;
  test('a public sqs:Send* grant whose deny spares only sqs:SendMessage is open to anyone', () => {
    const doc = { Version: '2012-10-17', Statement: [
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sqs:Send*', Resource: Q },
      { Sid: 'OnlySend', Effect: 'Deny', Principal: '*', NotAction: 'sqs:SendMessage', Resource: Q },
    ] };
    const a = outsiderAccess(doc, own, { defaultActions: ['sqs:SendMessage'], defaultResources: [Q], wildcardOnly: true });
    expect(a.yes).toBe(true);
    expect(a.why.join(' ')).toContain('sqs:SendMessage');
  });
  test('the pattern is matched case-insensitively and with ?, as IAM matches actions', () => {
    const doc = { Version: '2012-10-17', Statement: [
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'SQS:sendmessag?', Resource: Q },
      { Sid: 'OnlySend', Effect: 'Deny', Principal: '*', NotAction: 'sqs:SendMessage', Resource: Q },
    ] };
    expect(outsiderAccess(doc, own, { defaultActions: ['sqs:SendMessage'], defaultResources: [Q], wildcardOnly: true }).yes).toBe(true);
  });
  test('a pattern that matches no default action does not try them', () => {
    const doc = { Version: '2012-10-17', Statement: [
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sqs:Receive*', Resource: Q },
      { Sid: 'NoReceive', Effect: 'Deny', Principal: '*', Action: 'sqs:Receive*', Resource: Q },
    ] };
    expect(outsiderAccess(doc, own, { defaultActions: ['sqs:SendMessage'], defaultResources: [Q], wildcardOnly: true }).yes).toBe(false);
  });
});

describe('outsiderAccess: what the sender puts in its request is its own choice', () => {
  // One key of each kind a sender sets; each "limit" admits the stranger who sends the value, and only that one.
  test.each<[string, string, string]>([
    ['aws:Referer', 'StringLike', 'https://shop.example.com/*'], ['aws:UserAgent', 'StringEquals', 'partner-sync/1.0'],
    ['s3:TlsVersion', 'NumericGreaterThanEquals', '1.2'], ['s3:max-keys', 'NumericLessThanEquals', '100'],
    ['s3:authType', 'StringEquals', 'REST-HEADER'], ['s3:signatureversion', 'StringEquals', 'AWS4-HMAC-SHA256'],
    ['s3:signatureAge', 'NumericLessThanEquals', '600000'], ['s3:VersionId', 'StringEquals', 'v1'],
    ['s3:LocationConstraint', 'StringEquals', 'us-east-1'], ['s3:object-lock-mode', 'StringEquals', 'COMPLIANCE'],
    ['s3:object-lock-legal-hold', 'StringEquals', 'ON'], ['s3:object-lock-retain-until-date', 'DateGreaterThanEquals', '2030-01-01T00:00:00Z'],
    ['s3:object-lock-remaining-retention-days', 'NumericGreaterThanEquals', '30'],
    ['kms:EncryptionAlgorithm', 'StringEquals', 'SYMMETRIC_DEFAULT'], ['kms:SigningAlgorithm', 'StringEquals', 'RSASSA_PSS_SHA_256'],
    ['kms:MacAlgorithm', 'StringEquals', 'HMAC_SHA_256'], ['kms:MessageType', 'StringEquals', 'DIGEST'],
    ['kms:GranteePrincipal', 'StringLike', 'arn:aws:iam::*:role/x'], ['kms:RetiringPrincipal', 'StringEquals', 'arn:aws:iam::444455556666:role/r'],
    ['kms:GrantConstraintType', 'StringEquals', 'EncryptionContextSubset'], ['kms:GrantIsForAWSResource', 'Bool', 'true'],
    ['kms:RequestAlias', 'StringEquals', 'alias/partner'], ['kms:GrantOperations', 'ForAnyValue:StringEquals', 'Decrypt'],
    ['sns:Protocol', 'StringEquals', 'https'], ['sns:Endpoint', 'StringLike', '*@example.com'],
    ['dynamodb:LeadingKeys', 'ForAnyValue:StringEquals', 'customer-1'], ['dynamodb:Attributes', 'ForAnyValue:StringEquals', 'name'],
    ['dynamodb:Select', 'StringEquals', 'SPECIFIC_ATTRIBUTES'], ['dynamodb:ReturnValues', 'StringEquals', 'NONE'],
    ['dynamodb:ReturnConsumedCapacity', 'StringEquals', 'TOTAL'], ['secretsmanager:VersionStage', 'StringEquals', 'AWSCURRENT'],
    ['secretsmanager:VersionId', 'StringEquals', 'v-1'], ['sts:RoleSessionName', 'StringLike', 'partner-*'], ['sts:ExternalId', 'StringEquals', 'vendor-4711'],
    ['sts:SourceIdentity', 'StringEquals', 'alice'], ['sts:TransitiveTagKeys', 'ForAnyValue:StringEquals', 'project'], ['kms:ViaService', 'StringEquals', 's3.us-east-1.amazonaws.com'],
  ])('%s (%s %s): open, to the stranger sending it', (key, operator, value) => {
    const sent = /^Numeric|^Date/.test(operator) || value.includes('*') ? undefined : value;
    const a = outsiderAccess(open({ [operator]: { [key]: value } }), OWN, pub);
    expect(a.yes).toBe(true);
    expect(a.why[0]).toMatch(new RegExp(`^Open lets ${FOREIGN_NO_ORG} sending ${key} ${sent === undefined ? '\\S+' : sent.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} call s3:GetObject$`));
  });

  test('a key AWS sets from the caller or the resource is no choice of the sender: the stranger stays out', () => {
    for (const c of [{ StringEquals: { 'aws:PrincipalType': 'Service' } }, { StringEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d4e5f60718' } }, { StringEquals: { 's3:AccessPointNetworkOrigin': 'VPC' } }]) {
      expect([c, outsiderAccess(open(c), OWN, pub)]).toEqual([c, { yes: false, why: [] }]);
    }
  });
});

describe('outsiderAccess: an AWS service delivering for an outsider\'s resource', () => {
  const svc = (arn: string, org = 'no organization') => `Open lets ${arn.split(':')[2]}.amazonaws.com acting for ${arn} (account 444455556666 in ${org}) call s3:GetObject`;
  test('a source ARN that is no ARN, or has no account field to fill, names no resource AWS sends: nobody gets in, and nothing breaks', () => {
    for (const v of ['xyz:aws:sns:us-east-1:444455556666:orders', 'arn:aws:sns:us-east-1:444455556666', 'arn:aws:sns', 'orders']) {
      expect([v, outsiderAccess(open({ StringEquals: { 'aws:SourceArn': v } }), OWN, pub)]).toEqual([v, { yes: false, why: [] }]);
    }
  });
  test('a source ARN of a resource of the outsider\'s own: the service acting for it, named by that resource', () => {
    expect(outsiderAccess(open({ ArnEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:444455556666:rule/r' } }), OWN, pub))
      .toEqual({ yes: true, why: [svc('arn:aws:events:us-east-1:444455556666:rule/r')] });
  });
  test('a source ARN of one named account and a pattern of any: the stranger comes through the pattern, named by what the pattern admits', () => {
    const c = { ArnLike: { 'aws:SourceArn': ['arn:aws:sns:us-east-1:111122223333:topic-a', 'arn:aws:sns:*:*:topic-*'] } };
    expect(outsiderAccess(open(c), OWN, pub)).toEqual({ yes: true, why: [svc('arn:aws:sns:any:444455556666:topic-any')] });
  });
  test('an S3 source ARN has no account field: a bucket name pattern is one an outsider can create (in), a literal name is some particular bucket (out)', () => {
    expect(outsiderAccess(open({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::logs-*' } }), OWN, pub)).toEqual({ yes: true, why: [svc('arn:aws:s3:::logs-any')] });
    expect(outsiderAccess(open({ ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::logs-archive' } }), OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('a service field that is no service name is delivered as SNS', () => {
    for (const f of ['Bad_svc', 'svc_Bad']) {
      const arn = `arn:aws:${f}:us-east-1:444455556666:x`;
      expect([f, outsiderAccess(open({ StringEquals: { 'aws:SourceArn': arn } }), OWN, pub)])
        .toEqual([f, { yes: true, why: [`Open lets sns.amazonaws.com acting for ${arn} (account 444455556666 in no organization) call s3:GetObject`] }]);
    }
  });
  test('a source organization of someone else\'s: the service acting for a resource of that organization, named with it', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:SourceOrgID': 'o-partner12345' } }), OWN, pub))
      .toEqual({ yes: true, why: [svc(`arn:aws:sns:${OWN.region}:444455556666:any-topic`, 'organization o-partner12345')] });
  });
});

describe('outsiderAccess: the actions a statement is tried with', () => {
  test('a statement\'s own action comes first: the finding names it, not what another statement allows', () => {
    const d = doc(
      { Sid: 'List', Effect: 'Allow', Principal: '*', Action: 's3:List*', Resource: BUCKET },
      { Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
    );
    expect(outsiderAccess(d, OWN, { ...pub, defaultActions: ['s3:GetObject', 's3:ListBucket'] }))
      .toEqual({ yes: true, why: [`List lets ${FOREIGN_NO_ORG} call s3:ListBucket`] });
  });
});

describe('questions: an error that is not about the policy is no answer about it', () => {
  const broken = { Version: '2012-10-17', get Statement(): unknown { throw new TypeError('a bug, not a policy fault'); } };
  test('reading the document fails: the error propagates, never an unknown answer blaming the policy', () => {
    expect(() => outsiderAccess(broken, OWN, pub)).toThrow(TypeError);
    expect(() => deniesWithoutTls([broken], BUCKET, OWN)).toThrow(TypeError);
    expect(() => deniesWithoutMfa([broken], OWN)).toThrow(TypeError);
  });
});

describe('outsiderAccess: a Null test on a sender key decided at deployment', () => {
  test('unknown, naming the value, never a crash', () => {
    const a = outsiderAccess(open({ Null: { 's3:x-amz-acl': unknown('whether an ACL is sent (Ref MustSend)') } }), OWN, pub);
    expect(a.yes).toBe('unknown');
    expect(a.why.join('\n')).toContain('whether an ACL is sent (Ref MustSend)');
  });
});

describe('outsiderAccess: the principals a policy\'s aws:PrincipalArn patterns name', () => {
  const whom = (arn: string, org = 'no organization') => `Open lets ${arn} (account 444455556666 in ${org}) call s3:GetObject`;
  test('a role or user name pattern of any account: that role (as a session of it) or user of a stranger\'s account, named', () => {
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/partner-*' } }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:role/partner-any')] });
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/partner-*' }, StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:role/partner-any')] });
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/partner-*' }, StringEquals: { 'aws:PrincipalType': 'User' } }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:user/partner-any')] });
  });
  test('in an organization a condition names: the role or user of that organization', () => {
    const org = { StringEquals: { 'aws:PrincipalOrgID': 'o-partner12345' } };
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/partner-*' }, ...org }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:role/partner-any', 'organization o-partner12345')] });
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/partner-*' }, ...org }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:user/partner-any', 'organization o-partner12345')] });
  });
  test('a group, or anything but a role or user, is no principal: nobody', () => {
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:group/partners-*' } }), OWN, pub)).toEqual({ yes: false, why: [] });
  });
  test('patterns of another partition, service or account, or no ARN at all, name nobody: the finding names the principal the open pattern admits', () => {
    const patterns = ['arn:aws-cn:iam::*:role/cn-only', 'arn:AWS:iam::*:role/upper-partition-only', 'xyz:aws:iam::*:role/no-arn-only', 'arn:aws:sts::*:role/sts-only',
      'arn:aws:IAM::*:role/upper-service-only', 'arn:aws:iam::1111*:role/own-only', 'arn:aws:iam::*:role/*-only'];
    expect(outsiderAccess(open({ ArnLike: { 'aws:PrincipalArn': patterns } }), OWN, pub))
      .toEqual({ yes: true, why: [whom('arn:aws:iam::444455556666:role/any-only')] });
  });
});

describe('outsiderAccess: what an outsider\'s callers carry', () => {
  test('a role session of an outsider\'s organization carries its organization', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalOrgID': 'o-partner12345' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a role session of account 444455556666 in organization o-partner12345 call s3:GetObject'] });
  });
  test('an AWS service delivering sends no source address: a policy open only to requests without one lets the service in', () => {
    expect(outsiderAccess(open({ Null: { 'aws:SourceIp': 'true', 'aws:SourceVpce': 'true' } }), OWN, pub))
      .toEqual({ yes: true, why: [`Open lets sns.amazonaws.com acting for arn:aws:sns:${OWN.region}:444455556666:any-topic (account 444455556666 in no organization) call s3:GetObject`] });
  });
  test('nor does a stranger calling through a VPC endpoint of its own (it sends aws:VpcSourceIp instead), named first', () => {
    expect(outsiderAccess(open({ Null: { 'aws:SourceIp': 'true' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a principal of account 444455556666 in no organization through a VPC endpoint of its own call s3:GetObject'] });
  });
  test('no AWS service delivers through a VPC endpoint, and only wildcard statements are delivered to', () => {
    const c = { StringEquals: { 'aws:SourceAccount': '999988887777' } };
    expect(outsiderAccess(open(c), OWN, pub).yes).toBe(true);
    expect(outsiderAccess(open(c), OWN, { ...pub, serviceDelivery: false })).toEqual({ yes: false, why: [] });
    expect(outsiderAccess(open(c), OWN, { ...pub, wildcardOnly: false })).toEqual({ yes: false, why: [] });
  });
  test('an unresolved principal tag or source identity: unknown, naming the caller that would carry it', () => {
    const tag = outsiderAccess(open({ StringEquals: { 'aws:PrincipalTag/team': unknown('the team (Ref Team)') } }), OWN, pub);
    expect(tag.yes).toBe('unknown');
    expect(tag.why[0]).toBe(`whether ${FOREIGN_NO_ORG} tagged team=(unresolved) may call s3:GetObject depends on the team (Ref Team)`);
    const id = outsiderAccess(open({ StringEquals: { 'aws:SourceIdentity': unknown('the identity (Ref Id)') } }), OWN, pub);
    expect(id.yes).toBe('unknown');
    expect(id.why[0]).toBe('whether a role session of account 444455556666 in no organization with a source identity (unresolved) may call s3:GetObject depends on the identity (Ref Id)');
  });
  test('a source identity and MFA at once: only role sessions set a source identity, so a role session is named', () => {
    expect(outsiderAccess(open({ StringEquals: { 'aws:SourceIdentity': 'alice' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a role session of account 444455556666 in no organization with MFA, with source identity alice call s3:GetObject'] });
  });
  test('a unique-id pattern with a wildcard admits strangers for certain: a user pattern a user, a role pattern a role session', () => {
    // AROA* and AIDA* admit the plain role session and user as they are: AWS starts their ids so
    expect(outsiderAccess(open({ StringLike: { 'aws:userid': 'AROA*:*' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a role session of account 444455556666 in no organization call s3:GetObject'] });
    expect(outsiderAccess(open({ StringLike: { 'aws:userid': 'AROAPARTNER*' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a role session of account 444455556666 in no organization with unique id AROAPARTNERany call s3:GetObject'] });
    expect(outsiderAccess(open({ StringLike: { 'aws:userid': 'AIDAPARTNER*' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a principal of account 444455556666 in no organization with unique id AIDAPARTNERany call s3:GetObject'] });
    expect(outsiderAccess(open({ StringLike: { 'aws:userid': '?AIDA*' } }), OWN, pub))
      .toEqual({ yes: true, why: ['Open lets a role session of account 444455556666 in no organization with unique id xAIDAany call s3:GetObject'] });
  });
  test('an address that is no address is skipped, not a crash', () => {
    expect(outsiderAccess(open({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', 'nonsense'] } }), OWN, pub).yes).toBe(true);
  });
});

describe('outsiderAccess: only Allow statements with a wildcard principal are tried', () => {
  test('a named partner\'s statement or a TLS deny first: the open statement is found with its own first action', () => {
    const openRead = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${BUCKET}/*` };
    const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 's3:PutObject', Resource: `${BUCKET}/*` };
    const tls = { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${BUCKET}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    for (const first of [partner, tls]) {
      expect([first.Sid, outsiderAccess(doc(first, openRead), OWN, pub)]).toEqual([first.Sid, { yes: true, why: [`Open lets ${FOREIGN_NO_ORG} call s3:GetObject`] }]);
    }
  });
});
