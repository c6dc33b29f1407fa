import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, failed, ok } from '../../../lib/audit/types';
import keyPolicy from '../../../lib/audit/checks/kms/key-policy';
import keyRotation from '../../../lib/audit/checks/kms/key-rotation';
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
  it('does not ask rotation of an asymmetric key (AWS cannot rotate it)', () => {
    expect(run(keyRotation, withKey({ metadata: ok({ manager: 'CUSTOMER', spec: 'RSA_2048', state: 'Enabled' }), rotation: deniedResult('kms:GetKeyRotationStatus') }))[1].status).toBe('PASS');
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
