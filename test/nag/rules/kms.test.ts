import { Aws, CfnCondition, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CustomerManagedKey, KEY_ADMIN_ACTIONS } from '../../../lib/constructs/customer-managed-key';
import { expectRule, findingsOf, param, paramValue } from '../helpers';
import { KMS_USE_ACTIONS } from '../../../lib/policy/kms-actions';

describe('KMSKeyRotation', () => {
  const rule = 'KMSKeyRotation';
  test('Compliance 1: L2 key with rotation', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: true }), 'K/Resource', 'PASS');
  });
  test('Compliance 2: an asymmetric L1 key is not applicable', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', keyPolicy: {} }), 'K', 'N/A');
  });
  test('Noncompliance 1: L2 key without rotation', () => {
    expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: false }), 'K/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 key without the property', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: {} }), 'K', 'FAIL');
  });
  test('Unresolved 1: rotation is a parameter', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K', { keyPolicy: {}, enableKeyRotation: paramValue(s) }), 'K', 'ERROR');
  });
});

describe('KMSKeyPolicySeparatesDuties', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const ROOT = 'arn:aws:iam::111122223333:root';
  const l1 = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  test('Compliance 1: CustomerManagedKey (administration to the account, use only through a service)', () => {
    expectRule(rule, (s) => new CustomerManagedKey(s, 'K', { alias: 'test/pii', viaServices: ['s3'] }), 'K/Resource/Resource', 'PASS');
  });
  test('Compliance 2: L2 key with administration to the root and use granted to a role', () => {
    expectRule(rule, (s) => {
      const policy = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: KEY_ADMIN_ACTIONS, resources: ['*'] })] });
      const key = new kms.Key(s, 'K', { policy });
      key.grantEncryptDecrypt(new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    }, 'K/Resource', 'PASS');
  });
  test('Compliance 3: L1 admin role and user role, written as literal ARNs', () => {
    expectRule(rule, (s) => l1(s,
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: ['kms:CreateAlias', 'kms:Put*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
    ), 'K', 'PASS');
  });
  test('Noncompliance 1: the CDK default key policy (kms:* to the account root)', () => {
    const f = expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: true }), 'K/Resource', 'FAIL');
    expect(f!.message).toMatch(/grants account \$\{AWS::AccountId\} kms:\* without conditions/);
  });
  test('Noncompliance 2: L1 key without a key policy', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K'), 'K', 'FAIL');
  });
  test('Noncompliance 3: the same principal in two statements, written two ways', () => {
    const f = expectRule(rule, (s) => l1(s,
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:Put*', Resource: '*' },
      { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' },
    ), 'K', 'FAIL');
    expect(f!.message).toMatch(/account 111122223333 administers the key \(Admin\) and may use it \(Use\)/);
  });
  test('Noncompliance 4: an administrator with kms:Create* may create a grant giving itself Decrypt', () => {
    const f = expectRule(rule, (s) => l1(s, { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Create*', 'kms:Put*'], Resource: '*' }), 'K', 'FAIL');
    expect(f!.message).toMatch(/Admin grants account 111122223333 administration and use without conditions/);
  });
  test('Noncompliance 5: NotAction grants everything else, use included', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: ROOT }, NotAction: 'kms:Sign', Resource: '*' }), 'K', 'FAIL');
  });
  test('the L2 fast path and the rendered policy agree (an override forces the rendered path)', () => {
    const builds: [string, 'PASS' | 'FAIL', (s: Stack) => kms.Key][] = [
      ['default', 'FAIL', (s) => new kms.Key(s, 'K')],
      ['separated', 'PASS', (s) => new CustomerManagedKey(s, 'C', { alias: 'test/x', viaServices: ['s3'] }).key],
      ['service use', 'PASS', (s) => {
        const k = new CustomerManagedKey(s, 'C', { alias: 'test/y' });
        k.allowService('events', ['kms:Decrypt', 'kms:GenerateDataKey*'], { StringEquals: { 'aws:SourceAccount': s.account } });
        return k.key;
      }],
      ['root admin and use in two statements', 'FAIL', (s) => new kms.Key(s, 'K', { policy: new iam.PolicyDocument({ statements: [
        new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
        new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }),
      ] }) })],
    ];
    for (const [name, expected, build] of builds) {
      const verdict = (override: boolean) => findingsOf(rule, (s) => {
        const key = build(s);
        if (override) (key.node.defaultChild as kms.CfnKey).addPropertyOverride('Description', 'rendered');
      }).map((f) => f.status);
      expect([name, verdict(false)]).toEqual([name, [expected]]);
      expect([name, verdict(true)]).toEqual([name, [expected]]);
    }
  });
  test('Unresolved 1: the user principal is a parameter beside an administrator', () => {
    expectRule(rule, (s) => l1(s,
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Put*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: param(s) }, Action: 'kms:Decrypt', Resource: '*' },
    ), 'K', 'ERROR');
  });
});

describe('a key grant conditioned on a principal tag (whoever administers the account can tag a role)', () => {
  const ROOT = 'arn:aws:iam::111122223333:root';
  const byTag = (Action: string | string[]) => ({ Sid: 'ByTag', Effect: 'Allow', Principal: { AWS: ROOT }, Action, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'key-admins' } } });
  const key = (...Statement: Record<string, unknown>[]) => (s: Stack) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  test('Noncompliance: kms:* to the account root for principals tagged team=key-admins both administers and uses the key', () => {
    const f = expectRule('KMSKeyPolicySeparatesDuties', key(byTag('kms:*')), 'K', 'FAIL');
    expect(f?.message).toContain('tagged team=key-admins');
  });
  test('Noncompliance: kms:PutKeyPolicy to principals tagged team=key-admins names no administrator', () => {
    const f = expectRule('KMSKeyPolicyNamedAdministrators', key(byTag('kms:PutKeyPolicy')), 'K', 'FAIL');
    expect(f?.message).toContain('tagged team=key-admins');
  });
  test('Compliance: the same tag condition on use only, with administration to a named role, keeps the duties apart', () => {
    expectRule('KMSKeyPolicySeparatesDuties', key(
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: KEY_ADMIN_ACTIONS, Resource: '*' },
      { ...byTag(['kms:Decrypt']), Condition: { StringEquals: { 'aws:PrincipalTag/team': 'app', 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
    ), 'K', 'PASS');
  });
});

describe('a key grant conditioned on the time of the request (AWS sends aws:CurrentTime on every request)', () => {
  test('Unresolved: kms:* to the account root after a past date is not read as no grant', () => {
    expectRule('KMSKeyPolicySeparatesDuties', (s) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement: [
      { Sid: 'Timed', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
    ] } }), 'K', 'ERROR');
  });
});

describe('KMSKeyPolicyNamedAdministrators', () => {
  const rule = 'KMSKeyPolicyNamedAdministrators';
  const ROOT = 'arn:aws:iam::111122223333:root';
  const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';
  const read = { Sid: 'KeyRead', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Describe*', 'kms:List*', 'kms:Get*'], Resource: '*' };
  const l1 = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement: [read, ...Statement] } });
  const adminsByArn = (arns: unknown, op = 'ArnLike') => ({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Put*', Resource: '*', Condition: { [op]: { 'aws:PrincipalArn': arns } } });

  test('Compliance 1: CustomerManagedKey (the stack\'s deployment role is the one named administrator)', () => {
    expectRule(rule, (s) => new CustomerManagedKey(s, 'K', { alias: 'test/pii', viaServices: ['s3'] }), 'K/Resource/Resource', 'PASS');
  });
  test('Compliance 2: CustomerManagedKey with break-glass added, and services using the key', () => {
    expectRule(rule, (s) => {
      const k = new CustomerManagedKey(s, 'K', { alias: 'test/logs', administratorArns: [ADMIN] });
      k.addAdministrators('arn:aws:iam::111122223333:role/BreakGlass');
      k.allowService('events', ['kms:Decrypt', 'kms:GenerateDataKey*'], { StringEquals: { 'aws:SourceAccount': s.account } });
    }, 'K/Resource/Resource', 'PASS');
  });
  test('Compliance 3: a role named as the principal, and an exact aws:PrincipalArn', () => {
    expectRule(rule, (s) => l1(s,
      { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
      adminsByArn(['arn:aws:iam::111122223333:role/Pipeline'], 'ArnEquals'),
    ), 'K', 'PASS');
  });
  test('Compliance 4: an Identity Center permission-set role (random suffix, a path only AWS creates roles under)', () => {
    expectRule(rule, (s) => l1(s, adminsByArn('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_KeyAdmins_*')), 'K', 'PASS');
  });
  test('Compliance 5: a deny for everyone but the named administrator closes a grant to the account root', () => {
    expectRule(rule, (s) => l1(s,
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': ADMIN } } },
    ), 'K', 'PASS');
  });
  test('Noncompliance 1: the CDK default key policy (kms:* to the account root)', () => {
    const f = expectRule(rule, (s) => new kms.Key(s, 'K', { enableKeyRotation: true }), 'K/Resource', 'FAIL');
    expect(f!.message).toMatch(/any principal of account \$\{AWS::AccountId\} whose IAM policies allow it may change the key policy with an access key/);
  });
  test('Noncompliance 2: administrative actions only, but to the account root (every role with kms:* in IAM)', () => {
    const f = expectRule(rule, (s) => l1(s, { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: ROOT }, Action: KEY_ADMIN_ACTIONS, Resource: '*' }), 'K', 'FAIL');
    expect(f!.message).toMatch(/any principal of account 111122223333 .*\(KeyAdministration\)/);
  });
  test('Noncompliance 3: reads right, means otherwise: a "named" administrator with a trailing wildcard', () => {
    const f = expectRule(rule, (s) => l1(s, adminsByArn('arn:aws:iam::111122223333:role/KeyAdmin*')), 'K', 'FAIL');
    expect(f!.message).toMatch(/a principal matching arn:aws:iam::111122223333:role\/KeyAdmin\* \(arn:aws:iam::111122223333:role\/KeyAdminany\) may change the key policy/);
  });
  test('Noncompliance 4: reads right, means otherwise: a deny for everyone but "the admins", by a wildcard', () => {
    const f = expectRule(rule, (s) => l1(s,
      { Sid: 'Account', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'OnlyAdmins', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*Admin*' } } },
    ), 'K', 'FAIL');
    expect(f!.message).toMatch(/role\/anyAdminany\) may change the key policy with an access key \(Account\)/);
    expect(f!.message).not.toMatch(/any principal of account/);
  });
  test('Noncompliance 5: reads right, means otherwise: "limited" to the own account with kms:CallerAccount', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } }), 'K', 'FAIL');
  });
  test('Noncompliance 6: the administrator\'s name in any account (a wildcard account under Principal "*")', () => {
    const f = expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Put*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/KeyAdmin' } } }), 'K', 'FAIL');
    expect(f!.message).toMatch(/arn:aws:iam::444455556666:role\/KeyAdmin\) may change the key policy/);
  });
  test('Noncompliance 7: MFA is no name: the account root with aws:MultiFactorAuthPresent', () => {
    const f = expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), 'K', 'FAIL');
    expect(f!.message).toMatch(/in a session with MFA/);
  });
  test('Noncompliance 7b: an office range or the own VPC endpoint is no name: the account root from there (passed before)', () => {
    const f = expectRule(rule, (s) => l1(s, { Sid: 'Office', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }), 'K', 'FAIL');
    expect(f!.message).toMatch(/any principal of account 111122223333 whose IAM policies allow it may change the key policy with MFA, from 198\.51\.100\.7 \(Office\)/);
    const g = expectRule(rule, (s) => l1(s, { Sid: 'Endpoint', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1234567890abcdef0' } } }), 'K', 'FAIL');
    expect(g!.message).toMatch(/may change the key policy with an access key, through its own vpce-1234567890abcdef0 \(Endpoint\)/);
  });
  test('the oracle agrees: the account\'s principal with MFA on an office host may put the key policy, from elsewhere not', async () => {
    const { oracleDecide } = await import('../../policy/oracle');
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }] };
    const ask = async (ip: string) => (await oracleDecide({
      principal: { arn: 'arn:aws:iam::111122223333:user/someone', account: '111122223333', type: 'User' }, action: 'kms:PutKeyPolicy',
      resource: 'arn:aws:kms:us-east-1:111122223333:key/k1', resourceAccount: '111122223333',
      context: { 'aws:SecureTransport': 'true', 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:SourceIp': ip },
    }, { identity: [{ name: 'admin', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }], resourcePolicy: { name: 'key', document: keyPolicy } })).decision;
    expect(await ask('198.51.100.7')).toBe('Allowed');
    expect(await ask('203.0.113.7')).not.toBe('Allowed');
  });
  test('Noncompliance 8: L1 key without a key policy', () => {
    expectRule(rule, (s) => new kms.CfnKey(s, 'K'), 'K', 'FAIL');
  });
  test('Unresolved 1: the administrator is a parameter', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: param(s) }, Action: 'kms:Put*', Resource: '*' }), 'K', 'ERROR');
  });
  test('Unresolved 2: kms:* to everyone but the administrator (Allow with NotPrincipal) is malformed, never a pass', () => {
    const f = expectRule(rule, (s) => l1(s, { Effect: 'Allow', NotPrincipal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' }), 'K', 'ERROR');
    expect(f!.message).toMatch(/NotPrincipal is only valid with Effect "Deny"/);
  });
});

describe('KMSKeyPolicySeparatesDuties: principals of the app (their own policies decide)', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const OWN_ROOT = Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  const key = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  /** Administration through the account root (IAM must allow it too), use granted to `user` by name. */
  const adminByAccountUseBy = (s: Stack, arn: string) => key(s,
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: OWN_ROOT }, Action: 'kms:Put*', Resource: '*' },
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:Decrypt', Resource: '*' });

  test('Noncompliance: a user in a group (whose policies the app does not show) may administer through the account and use by name', () => {
    const f = expectRule(rule, (s) => adminByAccountUseBy(s, new iam.User(s, 'U', { groups: [new iam.Group(s, 'G')] }).userArn), 'K', 'FAIL');
    expect(f!.message).toContain('S/U/Resource administers the key (Admin) and may use it (Use)');
  });
  test('Compliance: the same user in no group, whose own policies grant no key administration', () => {
    expectRule(rule, (s) => adminByAccountUseBy(s, new iam.User(s, 'U').userArn), 'K', 'PASS');
  });
});

describe('KMSKeyPolicySeparatesDuties: values the rule cannot resolve are never a pass', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const key = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  test('Unresolved: kms:* to a principal given as a parameter, the only principal of the key policy', () => {
    const f = expectRule(rule, (s) => key(s, { Effect: 'Allow', Principal: { AWS: param(s, 'KeyUser') }, Action: 'kms:*', Resource: '*' }), 'K', 'ERROR');
    expect(f!.message).toContain('{"Ref":"KeyUser"}');
  });
  test('Noncompliance: an account id written as a number (as a YAML template may hold it) is that account', () => {
    const f = expectRule(rule, (s) => key(s, { Sid: 'All', Effect: 'Allow', Principal: { AWS: 111122223333 }, Action: 'kms:*', Resource: '*' }), 'K', 'FAIL');
    expect(f!.message).toContain('All grants account 111122223333 kms:* without conditions');
  });
});

describe('KMSKeyPolicySeparatesDuties: a grant narrowed by who calls still reaches whoever matches', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const ROOT = 'arn:aws:iam::111122223333:root';
  const OWN_ROOT = Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  const all = (Principal: unknown, Condition: Record<string, unknown>) => (s: Stack) =>
    new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Principal, Action: 'kms:*', Resource: '*', Condition }] } });
  test.each([
    ['an exact aws:PrincipalArn (the key administrator decrypts too)', { AWS: ROOT }, { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/KeyAdmin' } },
      'All grants arn:aws:iam::111122223333:role/KeyAdmin (through the grant to account 111122223333) kms:*'],
    ['an aws:PrincipalArn pattern', { AWS: ROOT }, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin*' } },
      'All grants arn:aws:iam::111122223333:role/Adminany (through the grant to account 111122223333) kms:*'],
    ['an aws:PrincipalArn with IfExists', { AWS: ROOT }, { ArnEqualsIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/KeyAdmin' } },
      'All grants arn:aws:iam::111122223333:role/KeyAdmin (through the grant to account 111122223333) kms:*'],
    ['IAM users only', { AWS: ROOT }, { StringEquals: { 'aws:PrincipalType': 'User' } }, 'All grants account 111122223333 kms:*'],
    ['sessions with MFA only', { AWS: ROOT }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, 'All grants account 111122223333 (in a session with MFA) kms:*'],
    ['everyone in an organization', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, 'All grants everyone (in organization o-abcdefghij) kms:*'],
    ['everyone in an account named by its id', '*', { StringEquals: { 'aws:PrincipalAccount': '111122223333' } }, 'All grants everyone in account 111122223333 kms:*'],
    // where it calls from, and who it says it is, are the caller's choices (passed before: nobody was tried so)
    ['the office\'s addresses', { AWS: ROOT }, { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'All grants account 111122223333 (with an access key, from 198.51.100.7) kms:*'],
    ['the own VPC endpoint', { AWS: ROOT }, { StringEquals: { 'aws:SourceVpce': 'vpce-1234567890abcdef0' } }, 'All grants account 111122223333 (with an access key, through its own vpce-1234567890abcdef0) kms:*'],
    ['a tag, from the office', { AWS: ROOT }, { StringEquals: { 'aws:PrincipalTag/team': 'sec' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'All grants account 111122223333 (with an access key, tagged team=sec, from 198.51.100.7) kms:*'],
    ['MFA, from the office', { AWS: ROOT }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'All grants account 111122223333 (with MFA, from 198.51.100.7) kms:*'],
  ])('Noncompliance: kms:* limited to %s', (_name, principal, condition, message) => {
    const f = expectRule(rule, all(principal, condition), 'K', 'FAIL');
    expect(f!.message).toContain(message);
    expect(f!.message).not.toContain('without conditions');
  });
  test('Compliance: kms:* to the account only through a service (kms:ViaService) or CloudFormation: how a call is sent is no direct use, and no administration', () => {
    expectRule(rule, all({ AWS: ROOT }, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }), 'K', 'PASS');
    expectRule(rule, all({ AWS: ROOT }, { StringEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }), 'K', 'PASS');
  });
  test('Unresolved: kms:* to the IAM user of a name (an administrator of the account names its users)', () => {
    const f = expectRule(rule, all({ AWS: ROOT }, { StringEquals: { 'aws:username': 'alice' } }), 'K', 'ERROR');
    expect(f!.message).toContain("the caller's aws:username");
  });
  const appRole = (s: Stack, deny: boolean) => {
    const r = new iam.Role(s, 'App', { assumedBy: new iam.AccountRootPrincipal() });
    r.addToPolicy(deny ? iam.PolicyStatement.fromJson({ Effect: 'Deny', NotAction: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*' })
      : new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
    return r.roleArn;
  };
  test('Noncompliance: kms:* to the account root for a role of the app (aws:PrincipalArn), whose policies allow kms:*', () => {
    const f = expectRule(rule, (s) => all({ AWS: OWN_ROOT }, { ArnEquals: { 'aws:PrincipalArn': appRole(s, false) } })(s), 'K', 'FAIL');
    expect(f!.message).toContain('All grants S/App/Resource (through the grant to account ${AWS::AccountId}) kms:*');
  });
  test('Noncompliance: kms:* to the account root for a role of the app whose own policy allows kms:* only from the office: the role on an office host (passed before)', () => {
    const f = expectRule(rule, (s) => {
      const r = new iam.Role(s, 'App', { assumedBy: new iam.AccountRootPrincipal() });
      r.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'], conditions: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } }));
      all({ AWS: OWN_ROOT }, { ArnEquals: { 'aws:PrincipalArn': r.roleArn } })(s);
    }, 'K', 'FAIL');
    expect(f!.message).toContain('All grants S/App/Resource (through the grant to account ${AWS::AccountId}) (with an access key, from 198.51.100.7) kms:*');
  });
  test('Compliance: kms:* to a named user only with a source identity: a user has none', () => {
    expectRule(rule, all({ AWS: 'arn:aws:iam::111122223333:user/alice' }, { StringEquals: { 'aws:SourceIdentity': 'etl' } }), 'K', 'PASS');
  });
  test('Noncompliance: kms:* to a named role only with a source identity, or a named user only from the office: each makes that choice', () => {
    const role = expectRule(rule, all({ AWS: 'arn:aws:iam::111122223333:role/Ops' }, { StringEquals: { 'aws:SourceIdentity': 'etl' } }), 'K', 'FAIL');
    expect(role!.message).toContain('(with an access key, with source identity etl) kms:*');
    const user = expectRule(rule, all({ AWS: 'arn:aws:iam::111122223333:user/alice' }, { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }), 'K', 'FAIL');
    expect(user!.message).toContain('(with an access key, from 198.51.100.7) kms:*');
  });
  test('Unresolved: kms:* to the account root, or to a named user, for a unique id: whose id that is cannot be told (never a pass)', () => {
    expect(expectRule(rule, all({ AWS: ROOT }, { StringLike: { 'aws:userid': 'AROA*:admin' } }), 'K', 'ERROR')!.message).toContain("the caller's aws:userid");
    expect(expectRule(rule, all({ AWS: 'arn:aws:iam::111122223333:user/alice' }, { StringLike: { 'aws:userid': 'AIDA*' } }), 'K', 'ERROR')!.message).toContain("the caller's aws:userid");
  });
  test('Compliance: the same grant, but the role\'s own policy denies it everything but use', () => {
    expectRule(rule, (s) => all({ AWS: OWN_ROOT }, { ArnEquals: { 'aws:PrincipalArn': appRole(s, true) } })(s), 'K', 'PASS');
  });
});

describe('KMSKeyPolicySeparatesDuties: what the finding names (the evidence an auditor reads)', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const ROOT = 'arn:aws:iam::111122223333:root';
  const OWN_ROOT = Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  const key = (s: Stack, ...Statement: Record<string, unknown>[]) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement } });
  const only = (...Statement: Record<string, unknown>[]) => (s: Stack) => key(s, ...Statement);
  const message = (build: (s: Stack) => void, status: 'FAIL' | 'ERROR') => expectRule(rule, build, 'K', status)!.message;
  const FINDING = 'The key policy lets the same principal administer the key and use it for encryption and decryption';

  test('Noncompliance: L1 key without a key policy says the default policy gives the account root kms:*', () => {
    expect(message((s) => new kms.CfnKey(s, 'K'), 'FAIL')).toContain('no key policy: the default key policy gives the account root kms:*');
  });
  test('Noncompliance: Principal "*" (written as a string) is everyone, in the own and every other account', () => {
    expect(message(only({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }), 'FAIL')).toBe(`${FINDING} (Open grants everyone kms:* without conditions)`);
  });
  test('Noncompliance: Principal AWS "*" is everyone too', () => {
    expect(message(only({ Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }), 'FAIL')).toContain('Open grants everyone kms:* without conditions');
  });
  test('Noncompliance: "*" shared with every other account (kms:CallerAccount not the own) still lets a foreign principal do both', () => {
    expect(message(only({ Sid: 'Shared', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID } } }), 'FAIL'))
      .toBe(`${FINDING} (Shared grants everyone kms:*)`);
  });
  test('Noncompliance: an account written as its bare id is that account', () => {
    expect(message(only({ Sid: 'All', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*' }), 'FAIL')).toContain('All grants account 111122223333 kms:* without conditions');
  });
  test('Noncompliance: a role named by ARN (a name ending in digits is no account id)', () => {
    const arn = 'arn:aws:iam::111122223333:role/KeyAdmin-111122223333';
    expect(message(only({ Sid: 'All', Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:*', Resource: '*' }), 'FAIL')).toContain(`All grants ${arn} kms:* without conditions`);
  });
  test('Noncompliance: a CloudFront origin access identity (no account id in its ARN) granted kms:*', () => {
    const oai = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE';
    expect(message(only({ Sid: 'Cdn', Effect: 'Allow', Principal: { AWS: oai }, Action: 'kms:*', Resource: '*' }), 'FAIL')).toContain(`Cdn grants ${oai} kms:* without conditions`);
  });
  test('Noncompliance: a named role limited to its own account by kms:CallerAccount (the account is read from its ARN)', () => {
    expect(message(only({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } }), 'FAIL'))
      .toBe(`${FINDING} (Admin grants arn:aws:iam::111122223333:role/KeyAdmin kms:*)`);
  });
  test('Noncompliance: a key shared with another account: only the own account both administers and uses it', () => {
    const m = message(only(
      { Sid: 'Own', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Share', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ), 'FAIL');
    expect(m).toBe(`${FINDING} (Own grants account 111122223333 kms:* without conditions)`);
  });
  test('Noncompliance: Action "*" is kms:* on a key; the statement that grants both is named, not the first one', () => {
    const m = message(only(
      { Sid: 'Read', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Describe*', 'kms:List*'], Resource: '*' },
      { Sid: 'Everything', Effect: 'Allow', Principal: { AWS: ROOT }, Action: '*', Resource: '*' },
    ), 'FAIL');
    expect(m).toBe(`${FINDING} (Everything grants account 111122223333 kms:* without conditions)`);
  });
  test('Noncompliance: kms:* beside an explicit action is still kms:*', () => {
    expect(message(only({ Sid: 'All', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Decrypt', 'kms:*'], Resource: '*' }), 'FAIL')).toContain('All grants account 111122223333 kms:* without conditions');
  });
  test('Noncompliance: kms:De* and kms:Put* in one statement name administration and use', () => {
    expect(message(only({ Sid: 'Mixed', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:De*', 'kms:Put*'], Resource: '*' }), 'FAIL'))
      .toBe(`${FINDING} (Mixed grants account 111122223333 administration and use without conditions)`);
  });
  test('Noncompliance: a conditioned grant of both is named without "without conditions"', () => {
    expect(message(only({ Sid: 'Tls', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 'FAIL'))
      .toBe(`${FINDING} (Tls grants account 111122223333 kms:*)`);
  });
  test('Noncompliance: every statement that administers and every one that uses is named', () => {
    const m = message(only(
      { Sid: 'AdminA', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:CreateAlias', 'kms:PutKeyPolicy'], Resource: '*' },
      { Sid: 'AdminB', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*Alias', Resource: '*' },
      { Sid: 'UseA', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Encrypt', Resource: '*' },
      { Sid: 'UseB', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
    ), 'FAIL');
    expect(m).toBe(`${FINDING} (account 111122223333 administers the key (AdminA, AdminB) and may use it (UseA, UseB))`);
  });
  test('Noncompliance: a Deny for everyone but one role names no one else as granted', () => {
    const m = message(only(
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: OWN_ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'OnlyApp', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/App' } } },
    ), 'FAIL');
    expect(m).toBe(`${FINDING} (Root grants account \${AWS::AccountId} kms:* without conditions)`);
  });
  test('Compliance: a Deny of every use without kms:ViaService narrows kms:* to administration', () => {
    expectRule(rule, only(
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'UseOnlyViaService', Effect: 'Deny', Principal: '*', Action: KMS_USE_ACTIONS, Resource: '*', Condition: { Null: { 'kms:ViaService': 'true' } } },
    ), 'K', 'PASS');
  });
  test('Unresolved: a malformed key policy (Allow with NotPrincipal) names what is wrong', () => {
    expect(message(only({ Effect: 'Allow', NotPrincipal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }), 'ERROR')).toContain('NotPrincipal is only valid with Effect "Deny"');
  });
  test('Unresolved: several unresolvable principals: the first three are named, each apart', () => {
    const m = message((s) => key(s, { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Put*', Resource: '*' },
      ...[1, 2, 3, 4].map((i) => ({ Effect: 'Allow', Principal: { AWS: param(s, `User${i}`) }, Action: 'kms:Decrypt', Resource: '*' }))), 'ERROR');
    expect(m).toContain('cannot verify who may administer and use the key: unresolved value {"Ref":"User1"}; unresolved value {"Ref":"User2"}; unresolved value {"Ref":"User3"})');
    expect(m).not.toContain('User4');
  });
});

describe('KMSKeyPolicySeparatesDuties: a role of the app is judged with every policy the app gives it', () => {
  const rule = 'KMSKeyPolicySeparatesDuties';
  const OWN_ROOT = Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  const ADMIN = new iam.PolicyStatement({ actions: ['kms:PutKeyPolicy'], resources: ['*'] });
  const role = (s: Stack, props: Partial<iam.RoleProps> = {}) => new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), ...props });
  /** Administration through the account root (the role's IAM policies decide), use by the role's name. */
  const keyFor = (s: Stack, arn: string, id = 'K') => new kms.CfnKey(s, id, { keyPolicy: { Version: '2012-10-17', Statement: [
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: OWN_ROOT }, Action: 'kms:Put*', Resource: '*' },
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:Decrypt', Resource: '*' },
  ] } });
  const BOTH = 'S/App/Resource administers the key (Admin) and may use it (Use)';
  const failsWith = (build: (s: Stack) => void) => expect(expectRule(rule, build, 'K', 'FAIL')!.message).toContain(BOTH);

  test('Compliance: a role whose policies grant no key administration only uses the key', () => {
    expectRule(rule, (s) => keyFor(s, role(s).roleArn), 'K', 'PASS');
  });
  test('Noncompliance: an inline policy of the role (Policies) grants kms:PutKeyPolicy', () => {
    failsWith((s) => keyFor(s, role(s, { inlinePolicies: { Admin: new iam.PolicyDocument({ statements: [ADMIN] }) } }).roleArn));
  });
  test('Noncompliance: a policy attached to the role (AWS::IAM::Policy) grants kms:PutKeyPolicy', () => {
    failsWith((s) => { const r = role(s); r.addToPolicy(ADMIN); keyFor(s, r.roleArn); });
  });
  test('Noncompliance: a customer managed policy attaching itself to the role (its Roles) grants kms:PutKeyPolicy', () => {
    failsWith((s) => { const r = role(s); new iam.ManagedPolicy(s, 'MP', { statements: [ADMIN], roles: [r] }); keyFor(s, r.roleArn); });
  });
  test('Noncompliance: a customer managed policy in the role\'s ManagedPolicyArns grants kms:PutKeyPolicy', () => {
    failsWith((s) => keyFor(s, role(s, { managedPolicies: [new iam.ManagedPolicy(s, 'MP', { statements: [ADMIN] })] }).roleArn));
  });
  test('Compliance: a customer managed policy in ManagedPolicyArns is read, not taken for the worst case', () => {
    expectRule(rule, (s) => keyFor(s, role(s, { managedPolicies: [new iam.ManagedPolicy(s, 'MP', { statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] })] })] }).roleArn), 'K', 'PASS');
  });
  test('Noncompliance: an AWS managed policy (not in the app) may grant anything', () => {
    failsWith((s) => keyFor(s, role(s, { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')] }).roleArn));
  });
  test('Noncompliance: a managed policy ARN another resource of the app returns (a custom resource) may grant anything', () => {
    failsWith((s) => {
      const lookup = new CfnResource(s, 'Lookup', { type: 'Custom::PolicyLookup', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:lookup' } });
      keyFor(s, role(s, { managedPolicies: [iam.ManagedPolicy.fromManagedPolicyArn(s, 'Looked', lookup.getAtt('Arn').toString())] }).roleArn);
    });
  });
  test('Noncompliance: an IAM user with a policy attached to it (its Users) grants kms:PutKeyPolicy', () => {
    const f = expectRule(rule, (s) => { const u = new iam.User(s, 'U'); u.addToPolicy(ADMIN); keyFor(s, u.userArn); }, 'K', 'FAIL');
    expect(f!.message).toContain('S/U/Resource administers the key (Admin) and may use it (Use)');
  });
  test('Unresolved: the role\'s inline policies, managed policies or one inline policy chosen by a condition', () => {
    const cond = (s: Stack) => new CfnCondition(s, 'C', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') }).logicalId;
    const cases: [string, (s: Stack) => void][] = [
      ['Policies', (s) => { const r = role(s); (r.node.defaultChild as iam.CfnRole).addPropertyOverride('Policies', Fn.conditionIf(cond(s), [], [])); keyFor(s, r.roleArn); }],
      ['inline policy', (s) => { const r = role(s); (r.node.defaultChild as iam.CfnRole).addPropertyOverride('Policies', [Fn.conditionIf(cond(s), { PolicyName: 'a', PolicyDocument: {} }, Aws.NO_VALUE)]); keyFor(s, r.roleArn); }],
      ['ManagedPolicyArns', (s) => { const r = role(s); (r.node.defaultChild as iam.CfnRole).addPropertyOverride('ManagedPolicyArns', Fn.conditionIf(cond(s), [], [])); keyFor(s, r.roleArn); }],
    ];
    for (const [what, build] of cases) expect([what, expectRule(rule, build, 'K', 'ERROR')!.message]).toEqual([what, expect.stringContaining(what)]);
  });
  test('Two keys of the same shape, each using its own role: each is judged with its role\'s policies', () => {
    const statuses = findingsOf(rule, (s) => {
      const admin = new iam.Role(s, 'Admin', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      admin.addToPolicy(ADMIN);
      const user = new iam.Role(s, 'User', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      for (const [id, r] of [['K1', admin], ['K2', user], ['K3', admin], ['K4', user]] as const) {
        new kms.CfnKey(s, id, { keyPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'Role', Effect: 'Allow', Principal: { AWS: r.roleArn }, Action: ['kms:Decrypt', 'kms:Put*'], Resource: '*' }] } });
        keyFor(s, r.roleArn, `${id}root`);
      }
    }).map((f) => `${f.resource.id} ${f.status}`);
    expect(statuses.sort()).toEqual(['S/K1 FAIL', 'S/K1root FAIL', 'S/K2 FAIL', 'S/K2root PASS', 'S/K3 FAIL', 'S/K3root FAIL', 'S/K4 FAIL', 'S/K4root PASS']);
  });
});

describe('KMS key findings name what an auditor must see', () => {
  test('KMSKeyRotation: a KeySpec given as a parameter cannot be verified; the error names KeySpec', () => {
    const f = expectRule('KMSKeyRotation', (s) => new kms.CfnKey(s, 'K', { keyPolicy: {}, keySpec: param(s) }), 'K', 'ERROR');
    expect(f!.message).toContain('cannot verify KeySpec');
  });
  test('KMSKeyRotation: rotation given as a parameter: the error names EnableKeyRotation', () => {
    const f = expectRule('KMSKeyRotation', (s) => new kms.CfnKey(s, 'K', { keyPolicy: {}, enableKeyRotation: paramValue(s) }), 'K', 'ERROR');
    expect(f!.message).toContain('cannot verify EnableKeyRotation');
  });
  test('KMSKeyPolicyNamedAdministrators: a key without a key policy says so, and who may then rewrite it', () => {
    const f = expectRule('KMSKeyPolicyNamedAdministrators', (s) => new kms.CfnKey(s, 'K'), 'K', 'FAIL');
    expect(f!.message).toContain('no key policy: the default key policy gives the account root kms:*, so any principal of the account with kms:PutKeyPolicy in its IAM policies may rewrite it');
  });
  test('KMSKeyPolicyNamedAdministrators: an administrator given as a parameter: the error says who may change the key policy is unknown', () => {
    const f = expectRule('KMSKeyPolicyNamedAdministrators', (s) => new kms.CfnKey(s, 'K', { keyPolicy: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: param(s) }, Action: 'kms:Put*', Resource: '*' },
    ] } }), 'K', 'ERROR');
    expect(f!.message).toContain('cannot verify who may change the key policy');
  });
  test('KMSKeyPolicyNamedAdministrators: outside a StackSet template the finding gives the key policy\'s reason and nothing else', () => {
    const f = expectRule('KMSKeyPolicyNamedAdministrators', (s) => new kms.Key(s, 'K'), 'K/Resource', 'FAIL');
    expect(f!.message).toBe('Principals other than the administrators the key policy names may change the key policy (kms:PutKeyPolicy) '
      + '(any principal of account ${AWS::AccountId} whose IAM policies allow it may change the key policy with an access key (statement 1))');
  });
});
