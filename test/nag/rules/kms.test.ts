import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CustomerManagedKey, KEY_ADMIN_ACTIONS } from '../../../lib/constructs/customer-managed-key';
import { expectRule, findingsOf, param, paramValue } from '../helpers';

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
