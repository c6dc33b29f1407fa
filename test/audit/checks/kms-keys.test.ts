import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, failed, ok } from '../../../lib/audit/types';
import keyPolicy, { keyProbes } from '../../../lib/audit/checks/kms/key-policy';
import keyRotation from '../../../lib/audit/checks/kms/key-rotation';
import { accountPrincipals } from '../../../lib/policy/questions';
import { ACCOUNT, HARDENED_KEY_POLICY, SETTINGS, deniedResult, goodSnapshot, hardenedKey } from '../support/snapshots';

const run = (check: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => check.evaluate(s, settings);
const withKey = (over: Parameters<typeof hardenedKey>[0]): AccountSnapshot => ({
  ...goodSnapshot(), kms: [{ region: 'eu-west-1', keys: ok([]) }, { region: 'us-east-1', keys: ok([hardenedKey(over)]) }],
});
const KEY_ARN = hardenedKey().arn;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const withPolicy = (statements: object[]) => withKey({ policy: ok({ Version: '2012-10-17', Statement: statements }) });

describe('kms-key-rotation', () => {
  it('passes a rotating key and says a region has no hardened key', () => {
    expect(run(keyRotation, goodSnapshot()).map((f) => [f.resource.region, f.status, f.message])).toEqual([
      ['eu-west-1', 'PASS', 'no key of the hardened environment in eu-west-1'],
      ['us-east-1', 'PASS', 'key alias/hardening/piibucket rotates automatically'],
    ]);
  });
  it('fails rotation off, naming the key and how it was found', () => {
    expect(run(keyRotation, withKey({ rotation: ok(false) }))[1]).toMatchObject({
      status: 'FAIL', controlId: 'DATA-ROTATION', resource: { id: KEY_ARN, region: 'us-east-1' },
      message: 'key alias/hardening/piibucket (alias alias/hardening/piibucket) has automatic rotation off',
    });
  });
  it('fails a key pending deletion or disabled (whatever its rotation)', () => {
    expect(run(keyRotation, withKey({ metadata: ok({ manager: 'CUSTOMER', spec: 'SYMMETRIC_DEFAULT', state: 'PendingDeletion' }) }))[1].message).toBe('key alias/hardening/piibucket (alias alias/hardening/piibucket) is PendingDeletion');
    expect(run(keyRotation, withKey({ metadata: ok({ manager: 'CUSTOMER', spec: 'SYMMETRIC_DEFAULT', state: 'Disabled' }) }))[1].status).toBe('FAIL');
  });
  it('does not ask rotation of an asymmetric key (AWS cannot rotate it), and says why it passes', () => {
    expect(run(keyRotation, withKey({ metadata: ok({ manager: 'CUSTOMER', spec: 'RSA_2048', state: 'Enabled' }), rotation: deniedResult('kms:GetKeyRotationStatus') }))[1]).toMatchObject({
      status: 'PASS', message: 'key alias/hardening/piibucket is RSA_2048: AWS rotates only symmetric keys automatically',
    });
  });
  it('fails a key managed by AWS, naming the key and its manager (whatever its rotation)', () => {
    expect(run(keyRotation, withKey({ metadata: ok({ manager: 'AWS', spec: 'SYMMETRIC_DEFAULT', state: 'Enabled' }) }))[1]).toMatchObject({
      status: 'FAIL', resource: { id: KEY_ARN }, message: 'key alias/hardening/piibucket (alias alias/hardening/piibucket) is managed by AWS, not the customer',
    });
  });
  it('is one ERROR for all regions, naming the call, when the region list cannot be read', () => {
    expect(run(keyRotation, { ...goodSnapshot(), regions: deniedResult('account:ListRegions') })).toMatchObject([
      { status: 'ERROR', resource: { id: `arn:aws:kms:*:${ACCOUNT}:key/*`, region: '*' }, message: expect.stringMatching(/^cannot verify: account:ListRegions access denied/) },
    ]);
  });
  it('is ERROR naming the action: rotation status denied, DescribeKey throttled, listing denied, not collected', () => {
    expect(run(keyRotation, withKey({ rotation: deniedResult('kms:GetKeyRotationStatus') }))[1].message).toMatch(/^cannot verify: kms:GetKeyRotationStatus access denied/);
    const thr = failed({ action: 'kms:DescribeKey', kind: 'throttled', code: 'ThrottlingException', message: 'Rate exceeded' });
    expect(run(keyRotation, withKey({ metadata: thr }))[1].message).toMatch(/kms:DescribeKey throttled/);
    const s = { ...goodSnapshot(), kms: [{ region: 'eu-west-1', keys: deniedResult('tag:GetResources') }, { region: 'us-east-1', keys: ok([hardenedKey()]) }] };
    expect(run(keyRotation, s).map((f) => f.status)).toEqual(['ERROR', 'PASS']);
    expect(run(keyRotation, { ...goodSnapshot(), kms: undefined })).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/not collected/) }]);
    expect(run(keyRotation, { ...goodSnapshot(), kms: [{ region: 'us-east-1', keys: ok([]) }] })[0]).toMatchObject({ status: 'ERROR', resource: { region: 'eu-west-1' } });
  });
});

describe('kms-key-policy (lib/policy keyAllows, requests as AWS sends them)', () => {
  it('passes the policy CustomerManagedKey deploys: root administers, use only via S3', () => {
    expect(run(keyPolicy, goodSnapshot())[1]).toMatchObject({ status: 'PASS', resource: { id: KEY_ARN } });
  });
  it('fails kms:* to the account root (the attacker\'s rewrite, and CDK\'s default)', () => {
    const [, f] = run(keyPolicy, withPolicy([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }]));
    expect(f).toMatchObject({ status: 'FAIL', controlId: 'DATA-KEYPOLICY' });
    expect(f.message).toContain(`account ${ACCOUNT} may administer the key (kms:CreateAlias, Root) and use it (kms:Encrypt, Root)`);
  });
  it('fails when the use statement loses its kms:ViaService condition', () => {
    const use = { ...HARDENED_KEY_POLICY.Statement[1], Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } };
    expect(run(keyPolicy, withPolicy([HARDENED_KEY_POLICY.Statement[0], use]))[1].message).toMatch(/may administer the key .* and use it \(kms:Encrypt, KeyUseThroughServices\)/);
  });
  it('fails a foreign account or a role not named as administrator that may change the policy', () => {
    const foreign = { Sid: 'Attacker', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'kms:PutKeyPolicy', Resource: '*' };
    expect(run(keyPolicy, withPolicy([HARDENED_KEY_POLICY.Statement[0], foreign]))[1].message).toBe('key alias/hardening/piibucket: account 999988887777 may change the key policy (Attacker)');
    const role = `arn:aws:iam::${ACCOUNT}:role/Helpdesk`;
    const named = { Sid: 'Helpdesk', Effect: 'Allow', Principal: { AWS: role }, Action: 'kms:PutKeyPolicy', Resource: '*' };
    expect(run(keyPolicy, withPolicy([named]))[1].message).toBe(`key alias/hardening/piibucket: ${role} may change the key policy (Helpdesk)`);
    // Named in configuration: the same role is an administrator, and the root is then not one.
    const cfg = { ...SETTINGS, keyAdministrators: [role] };
    expect(run(keyPolicy, withPolicy([named]), cfg)[1].status).toBe('PASS');
    expect(run(keyPolicy, goodSnapshot(), cfg)[1].message).toContain(`account ${ACCOUNT} may change the key policy (KeyAdministration)`);
  });
  it('fails kms:* to the account root for every principal but its roles and users: the root user and federated users remain', () => {
    const spare = (arns: string[]) => withPolicy([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': arns } } }]);
    const roles = `arn:aws:iam::${ACCOUNT}:role/*`; const users = `arn:aws:iam::${ACCOUNT}:user/*`;
    expect(run(keyPolicy, spare([roles, users]))[1]).toMatchObject({ status: 'FAIL', message: expect.stringContaining(`account ${ACCOUNT} may administer the key (kms:CreateAlias, Root) and use it (kms:Encrypt, Root)`) });
    expect(run(keyPolicy, spare([roles, users, ROOT]))[1].status).toBe('FAIL');
    expect(run(keyPolicy, spare([roles, users, ROOT, `arn:aws:sts::${ACCOUNT}:federated-user/*`]))[1].status).toBe('PASS');
  });
  it('a Deny of PutKeyPolicy to everyone but the administrators is honoured', () => {
    const foreign = { Sid: 'Attacker', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'kms:PutKeyPolicy', Resource: '*' };
    const deny = { Sid: 'OnlyOwn', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } };
    expect(run(keyPolicy, withPolicy([HARDENED_KEY_POLICY.Statement[0], HARDENED_KEY_POLICY.Statement[1], foreign, deny]))[1].status).toBe('PASS');
  });
  it('is ERROR when the policy cannot be read or a condition cannot be decided', () => {
    expect(run(keyPolicy, withKey({ policy: deniedResult('kms:GetKeyPolicy') }))[1].message).toMatch(/^cannot verify: kms:GetKeyPolicy access denied/);
    expect(run(keyPolicy, withKey({ policy: ok({ Statement: [{ Effect: 'Sometimes' }] }) }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: key alias\/hardening\/piibucket/) });
  });
});

describe('kms-key-policy: the principals a key policy names, tried as AWS sees them (mutation survivors)', () => {
  const s = goodSnapshot();
  const probes = (principal: unknown, effect = 'Allow') => keyProbes({ Statement: { Effect: effect, Principal: principal, Action: 'kms:*', Resource: '*' } }, s)
    .map((p) => [p.name, p.principal.arn, p.principal.account]);
  // a grant to an account reaches every kind of its principals: a role, a user, the root user, a federated user
  const admins = (name: string, account: string) => accountPrincipals('aws', account).map((p) => [name, p.arn, account]);

  it('an account root, by ARN or bare id, is every principal of that account: an administrator of it', () => {
    expect(probes({ AWS: ROOT })).toEqual(admins(`account ${ACCOUNT}`, ACCOUNT));
    expect(probes({ AWS: ['999988887777'] })).toEqual(admins('account 999988887777', '999988887777'));
    expect(admins('x', ACCOUNT).map((p) => p[1])).toEqual([`arn:aws:iam::${ACCOUNT}:role/AccountAdministrator`, `arn:aws:iam::${ACCOUNT}:user/AccountAdministrator`, ROOT, `arn:aws:sts::${ACCOUNT}:federated-user/AccountAdministrator`]);
  });
  it('* is anyone in the own account and in any other', () => {
    expect(probes('*')).toEqual([...admins(`anyone in account ${ACCOUNT}`, ACCOUNT), ...admins('anyone in any account', '444455556666')]);
    expect([...new Set(probes({ AWS: '*' }).map((p) => p[0]))]).toEqual([`anyone in account ${ACCOUNT}`, 'anyone in any account']);
  });
  it('a role, a user or a session is itself, in the account of its ARN; a name ending in twelve digits is not an account', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/backup-999988887777`;
    const session = 'arn:aws:sts::999988887777:assumed-role/Ops/alice';
    expect(probes({ AWS: [role, session] })).toEqual([[role, role, ACCOUNT], [session, session, '999988887777']]);
    expect(probes({ AWS: `x${ROOT}` })).toEqual([[`x${ROOT}`, `x${ROOT}`, undefined]]);
    expect(probes({ AWS: `${ACCOUNT}0` })).toEqual([[`${ACCOUNT}0`, `${ACCOUNT}0`, undefined]]);
    expect(probes({ AWS: `${ROOT}x` })).toEqual([[`${ROOT}x`, `${ROOT}x`, ACCOUNT]]);
  });
  it('two account roots are two accounts, each tried', () => {
    expect(probes({ AWS: [ROOT, '999988887777'] })).toEqual([...admins(`account ${ACCOUNT}`, ACCOUNT), ...admins('account 999988887777', '999988887777')]);
  });
  it('Deny statements, service principals and a missing Statement name no one', () => {
    expect(probes({ AWS: ROOT }, 'Deny')).toEqual([]);
    expect(probes({ Service: 's3.amazonaws.com' })).toEqual([]);
    expect(keyProbes({}, s)).toEqual([]);
    expect(keyProbes(null, s)).toEqual([]);
  });
  it('malformed statements and principals name no one, and the well-formed ones beside them are still read', () => {
    const root = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
    expect(keyProbes({ Statement: null }, s)).toEqual([]);
    expect([...new Set(keyProbes({ Statement: [null, root] }, s).map((p) => p.name))]).toEqual([`account ${ACCOUNT}`]);
    // no Principal at all (an identity-policy statement pasted into a key policy)
    expect(probes(undefined)).toEqual([]);
    // a principal that is not a string (the policy parser rejects it: the check reports the key as not verifiable)
    expect([...new Set(probes({ AWS: [999988887777, { AWS: ROOT }, ROOT] }).map((p) => p[0]))]).toEqual([`account ${ACCOUNT}`]);
  });
  it('a policy whose only statement is an object, not a list, is read', () => {
    const one = withKey({ policy: ok({ Version: '2012-10-17', Statement: { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' } }) });
    expect(run(keyPolicy, one)[1]).toMatchObject({ status: 'FAIL', message: expect.stringContaining(`account ${ACCOUNT} may administer the key`) });
  });
  it('a grant conditioned on a principal tag is open to whoever can tag a role: an account administrator', () => {
    const tagged = { Sid: 'Tagged', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } };
    expect(run(keyPolicy, withPolicy([tagged]))[1]).toMatchObject({
      status: 'FAIL', message: `key alias/hardening/piibucket: account ${ACCOUNT} (with an access key, tagged team=ops) may administer the key (kms:CreateAlias, Tagged) and use it (kms:Encrypt, Tagged)`,
    });
    // the tagged administrator is still the administrator: changing the policy is theirs
    expect(run(keyPolicy, withPolicy([{ ...tagged, Action: 'kms:PutKeyPolicy' }]))[1].status).toBe('PASS');
    const helpdesk = { ...tagged, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Helpdesk` }, Action: 'kms:PutKeyPolicy' };
    expect(run(keyPolicy, withPolicy([helpdesk]))[1].message).toBe(`key alias/hardening/piibucket: arn:aws:iam::${ACCOUNT}:role/Helpdesk (with an access key, tagged team=ops) may change the key policy (Tagged)`);
  });
  // A deployed key policy "limited" by how or where its principals call: each principal makes that choice (passed before).
  it.each<[string, Record<string, unknown>, string]>([
    ['sessions with MFA', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, 'in a session with MFA'],
    ['the office\'s addresses', { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'with an access key, from 198.51.100.7'],
    ['the own VPC endpoint', { StringEquals: { 'aws:SourceVpce': 'vpce-1234567890abcdef0' } }, 'with an access key, through its own vpce-1234567890abcdef0'],
    ['MFA sessions from the office', { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'with MFA, from 198.51.100.7'],
  ])('kms:* to the account root only for %s: FAIL, naming the session that administers and uses it', (_, Condition, how) => {
    const limited = { Sid: 'Limited', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition };
    expect(run(keyPolicy, withPolicy([limited]))[1]).toMatchObject({
      status: 'FAIL', message: `key alias/hardening/piibucket: account ${ACCOUNT} (${how}) may administer the key (kms:CreateAlias, Limited) and use it (kms:Encrypt, Limited)`,
    });
  });
  it('a grant needing a source identity: a named role sets one (FAIL), a named user has none (PASS)', () => {
    const sourced = (who: string) => ({ Sid: 'Sourced', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:${who}` }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'etl' } } });
    expect(run(keyPolicy, withPolicy([sourced('role/Ops')]))[1].message).toBe(`key alias/hardening/piibucket: arn:aws:iam::${ACCOUNT}:role/Ops (with an access key, with source identity etl) may change the key policy (Sourced); arn:aws:iam::${ACCOUNT}:role/Ops (with an access key, with source identity etl) may administer the key (kms:CreateAlias, Sourced) and use it (kms:Encrypt, Sourced)`);
    expect(run(keyPolicy, withPolicy([sourced('user/alice')]))[1].status).toBe('PASS');
  });
  it('a grant to a named user only from the office: the user on an office host administers and uses the key (FAIL)', () => {
    const office = { Sid: 'Office', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } };
    expect(run(keyPolicy, withPolicy([office]))[1].message).toContain(`arn:aws:iam::${ACCOUNT}:user/alice (with an access key, from 198.51.100.7) may administer the key (kms:CreateAlias, Office)`);
  });
  it('a partner account may put the key policy only through CloudFormation: FAIL naming that call; kms:* only through a service is no direct use: PASS', () => {
    const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } } };
    expect(run(keyPolicy, withPolicy([partner]))[1].message).toBe('key alias/hardening/piibucket: account 999988887777 (with an access key, sending aws:CalledViaFirst cloudformation.amazonaws.com) may change the key policy (Partner)');
    const via = { Sid: 'Via', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } };
    expect(run(keyPolicy, withPolicy([via]))[1].status).toBe('PASS');
  });
  it('a grant conditioned on the time of the request cannot be decided: ERROR naming it (AWS sends aws:CurrentTime on every request)', () => {
    const timed = { Sid: 'Timed', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } };
    expect(run(keyPolicy, withPolicy([timed]))[1]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: key alias\/hardening\/piibucket: .*aws:CurrentTime/) });
  });
  it('the KMS part not collected, or a region missing from it, is ERROR naming it', () => {
    expect(run(keyPolicy, { ...goodSnapshot(), kms: undefined })).toMatchObject([{ status: 'ERROR', message: 'cannot verify: the KMS keys (kms:ListAliases, tag:GetResources) were not collected', resource: { region: '*' } }]);
    expect(run(keyPolicy, { ...goodSnapshot(), kms: [{ region: 'us-east-1', keys: ok([hardenedKey()]) }] })[0]).toMatchObject({ status: 'ERROR', resource: { region: 'eu-west-1' }, message: 'cannot verify: kms:ListAliases failed (region eu-west-1 was not collected)' });
  });
});

describe('kms-key-policy: what a FAIL or ERROR tells the auditor (mutation survivors)', () => {
  const grant = (sid: string, principal: string, action: string | string[], extra: object = {}) => ({ Sid: sid, Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*', ...extra });

  it('names every statement that grants the access, and every principal at fault, each problem apart', () => {
    const twice = run(keyPolicy, withPolicy([grant('Root', ROOT, 'kms:*'), grant('Legacy', ROOT, 'kms:*')]))[1];
    expect(twice.message).toBe(`key alias/hardening/piibucket: account ${ACCOUNT} may administer the key (kms:CreateAlias, Root, Legacy) and use it (kms:Encrypt, Root, Legacy)`);
    const attackers = run(keyPolicy, withPolicy([HARDENED_KEY_POLICY.Statement[0], grant('Attacker', '999988887777', 'kms:PutKeyPolicy'), grant('Vendor', 'arn:aws:iam::777788889999:root', 'kms:PutKeyPolicy'), grant('Again', '999988887777', 'kms:PutKeyPolicy')]))[1];
    expect(attackers).toMatchObject({
      status: 'FAIL',
      message: 'key alias/hardening/piibucket: account 999988887777 may change the key policy (Attacker, Again); account 777788889999 may change the key policy (Vendor)',
    });
  });
  it('the account root named as administrator in configuration is the account: it may change the policy, beside the other named administrators', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/Helpdesk`;
    const cfg = { ...SETTINGS, keyAdministrators: [ROOT, role] };
    expect(run(keyPolicy, goodSnapshot(), cfg)[1].status).toBe('PASS');
    expect(run(keyPolicy, withPolicy([...HARDENED_KEY_POLICY.Statement, grant('Helpdesk', role, 'kms:PutKeyPolicy')]), cfg)[1].status).toBe('PASS');
  });
  it('a grant limited to the key\'s own region still counts: a direct call to the key is made in its region', () => {
    const regional = grant('Regional', ROOT, 'kms:*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } });
    expect(run(keyPolicy, withPolicy([regional]))[1]).toMatchObject({
      status: 'FAIL', message: `key alias/hardening/piibucket: account ${ACCOUNT} may administer the key (kms:CreateAlias, Regional) and use it (kms:Encrypt, Regional)`,
    });
  });
  it('an ERROR names at most three distinct reasons, each apart (here: deleted roles, which AWS shows by unique id)', () => {
    const gone = grant('Gone', '', 'kms:Decrypt', { Principal: { AWS: ['AROAAAAAAAAAAAAAAAAA1', 'AROAAAAAAAAAAAAAAAAA2', 'AROAAAAAAAAAAAAAAAAA3', 'AROAAAAAAAAAAAAAAAAA4'] } });
    const f = run(keyPolicy, withPolicy([...HARDENED_KEY_POLICY.Statement, gone]))[1];
    expect(f.status).toBe('ERROR');
    const reasons = f.message.replace(/^cannot verify: key alias\/hardening\/piibucket: /, '').split('; ');
    expect(reasons).toEqual([1, 2, 3].map((i) => expect.stringContaining(`"AROAAAAAAAAAAAAAAAAA${i}"`)));
  });
});
