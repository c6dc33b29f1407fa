/**
 * DATA-ROTATION, DATA-KEYPOLICY, IAM-MFA, IAM-NOUSERS and the account-level settings against moto (a real
 * AWS-protocol server): an account is seeded the way the hardened environment leaves it (a hardened key,
 * privileged users with hardware MFA, EBS encryption by default, a recording Config recorder), audited,
 * tampered with as an intruder would (rotation off, the key policy rewritten, their own MFA device
 * enrolled, a privileged user moved to a phone app, an access key created, EBS default encryption and
 * the recorder switched off) and audited again. Where moto lacks the API (Access Analyzer answers 500;
 * S3 Control's account-id host prefix cannot reach a loopback endpoint) the audit must say ERROR.
 *
 * moto's credential report carries a fixed 2015 timestamp: the report's clock is injected (the
 * staleness rule is not weakened); the untouched audit looks from 30 days after seeding, so the devices
 * enrolled at seeding are not "recent", and the tampered audit from now.
 */
import {
  ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand, StopConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { DisableEbsEncryptionByDefaultCommand, EC2Client, EnableEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, DeactivateMFADeviceCommand, EnableMFADeviceCommand, IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyRotationCommand, EnableKeyRotationCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AuditResult, runAudit } from '../../../lib/audit';
import { Finding } from '../../../lib/findings';
import { loadPolicy } from '../../../lib/policies';
import { HARDENED_KEY_POLICY } from '../support/snapshots';
import { Moto, startMoto } from '../support/moto';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const DAY = 86_400_000;
/** moto's credential report says it was generated at 2015-02-02T20:02:02Z. */
const REPORT_CLOCK = new Date('2015-02-02T20:30:00Z');
const MINE = [
  'kms-key-rotation', 'kms-key-policy', 'iam-mfa-single-device', 'iam-privileged-hardware-mfa', 'iam-mfa-recent-enrolment', 'iam-no-users',
  'account-ebs-encryption-default', 'account-config-recording', 'account-s3-public-access-block', 'account-access-analyzer',
];
const SERVICES = ['iam', 'kms', 'ec2', 'config', 'tag', 's3', 'access-analyzer'];
const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const PASS_ROLE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] });
const KEY_POLICY = JSON.stringify(HARDENED_KEY_POLICY).split('111122223333').join(ACCOUNT);

let moto: Moto;
let keyArn: string;
let attackerDevice: string;
let untouched: AuditResult;
let tampered: AuditResult;

const audit = (now: Date) => runAudit({
  regions: [REGION],
  clients: { endpoint: moto.endpoint, credentials: CREDS, maxAttempts: 2, requestTimeoutMs: 10_000, connectionTimeoutMs: 2_000 },
  polling: { sleep: async () => undefined, now: () => REPORT_CLOCK },
  now: () => now,
});
const byRule = (r: AuditResult, id: string): Finding[] => r.findings.filter((f) => f.ruleId === id);
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

beforeAll(async () => {
  moto = await startMoto();
  const cfg = { region: REGION, endpoint: moto.motoEndpoint, credentials: CREDS };
  const iam = new IAMClient(cfg);
  const kms = new KMSClient(cfg);
  const ec2 = new EC2Client(cfg);
  const config = new ConfigServiceClient(cfg);
  try {
    // Keys: the hardened key, rotating, with the policy CustomerManagedKey deploys.
    const key = (await kms.send(new CreateKeyCommand({ Policy: KEY_POLICY }))).KeyMetadata!;
    keyArn = key.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/hardening/data', TargetKeyId: key.KeyId }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    // People: two privileged users with hardware tokens, a reader with a phone app; no passwords, no keys.
    for (const [name, policy, serial] of [['admin', ADMIN_POLICY, 'GAHT-ADMIN-0001'], ['ops', PASS_ROLE_POLICY, 'GAHT-OPS-0001']] as const) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `${name}-access`, PolicyDocument: policy }));
      await iam.send(new EnableMFADeviceCommand({ UserName: name, SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    }
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const phone = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'reader-phone' }))).VirtualMFADevice!.SerialNumber!;
    await iam.send(new EnableMFADeviceCommand({ UserName: 'reader', SerialNumber: phone, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    // Account settings.
    await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } } }));
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'hardening-config' } }));
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));

    untouched = await audit(new Date(Date.now() + 30 * DAY));

    // The intruder.
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }) }));
    attackerDevice = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'admin-backup' }))).VirtualMFADevice!.SerialNumber!;
    await iam.send(new EnableMFADeviceCommand({ UserName: 'admin', SerialNumber: attackerDevice, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'ops', SerialNumber: 'GAHT-OPS-0001' }));
    const opsPhone = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ops-phone' }))).VirtualMFADevice!.SerialNumber!;
    await iam.send(new EnableMFADeviceCommand({ UserName: 'ops', SerialNumber: opsPhone, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    await ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
    await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));

    tampered = await audit(new Date());
  } finally {
    for (const c of [iam, kms, ec2, config]) c.destroy();
  }
}, 180_000);

afterAll(async () => {
  await moto?.stop();
});

describe('an untouched seeded account', () => {
  it('passes the key, MFA, user and account checks moto can answer, with a finding from every check', () => {
    const fs = untouched.findings.filter((f) => MINE.includes(f.ruleId));
    expect(new Set(fs.map((f) => f.ruleId))).toEqual(new Set(MINE));
    const answered = fs.filter((f) => f.ruleId !== 'account-s3-public-access-block' && f.ruleId !== 'account-access-analyzer');
    expect(answered.filter((f) => f.status !== 'PASS').map((f) => `${f.ruleId} ${f.status} ${f.message}`)).toEqual([]);
    expect(byRule(untouched, 'kms-key-rotation')[0].resource.id).toBe(keyArn);
    expect(byRule(untouched, 'iam-privileged-hardware-mfa')[0].message).toBe('all 2 privileged users have a FIDO2 or hardware MFA device');
  });
  it('moto lacks Access Analyzer and S3 Control cannot reach loopback: ERROR naming the action, never a pass', () => {
    for (const u of [untouched, tampered]) {
      expect(byRule(u, 'account-access-analyzer')).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/^cannot verify: access-analyzer:ListAnalyzers /) }]);
      expect(byRule(u, 'account-s3-public-access-block')).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/^cannot verify: s3:GetAccountPublicAccessBlock /) }]);
    }
  });
});

describe('the same account after the intruder', () => {
  it('DATA-ROTATION: rotation switched off is a FAIL naming the key', () => {
    expect(byRule(tampered, 'kms-key-rotation')).toMatchObject([{
      status: 'FAIL', controlId: 'DATA-ROTATION', resource: { id: keyArn },
      message: 'key alias/hardening/data (alias alias/hardening/data) has automatic rotation off',
    }]);
  });
  it('DATA-KEYPOLICY: kms:* to the account root lets administrators use the key', () => {
    const [f] = byRule(tampered, 'kms-key-policy');
    expect(f).toMatchObject({ status: 'FAIL', controlId: 'DATA-KEYPOLICY', resource: { id: keyArn } });
    expect(f.message).toContain(`account ${ACCOUNT} may administer the key (kms:CreateAlias, Root) and use it (kms:Encrypt, Root)`);
  });
  it('IAM-MFA: a second device on a privileged user, a privileged user on a phone app, and the recent enrolments', () => {
    expect(byRule(tampered, 'iam-mfa-single-device')).toMatchObject([{
      status: 'FAIL', controlId: 'IAM-MFA', resource: { id: user('admin') }, message: `user admin has 2 MFA devices: GAHT-ADMIN-0001, ${attackerDevice}`,
    }]);
    expect(byRule(tampered, 'iam-privileged-hardware-mfa')).toMatchObject([{
      status: 'FAIL', resource: { id: user('ops') }, message: expect.stringMatching(/^privileged user ops \(inline policy ops-access allows iam:PassRole\) has only virtual TOTP MFA \(arn:aws:iam::123456789012:mfa\/ops-phone\)$/),
    }]);
    const recent = byRule(tampered, 'iam-mfa-recent-enrolment');
    expect(recent.every((f) => f.status === 'FAIL' && f.controlId === 'IAM-MFA')).toBe(true);
    expect(recent.find((f) => f.message.includes(attackerDevice))).toMatchObject({ resource: { id: user('admin') } });
  });
  it('IAM-NOUSERS: the access key created for a user is a FAIL naming the user', () => {
    expect(byRule(tampered, 'iam-no-users')).toMatchObject([{ status: 'FAIL', controlId: 'IAM-NOUSERS', resource: { id: user('reader') }, message: 'IAM user reader has active access key 1' }]);
  });
  it('EBS encryption by default and the Config recorder switched off are FAIL naming the region', () => {
    expect(byRule(tampered, 'account-ebs-encryption-default')).toMatchObject([{ status: 'FAIL', controlId: 'DATA-CMK', message: `EBS encryption by default is off in ${REGION}` }]);
    expect(byRule(tampered, 'account-config-recording')).toMatchObject([{
      status: 'FAIL', controlId: 'LOG-TAMPER', resource: { id: `arn:aws:config:${REGION}:${ACCOUNT}:configuration-recorder` }, message: `AWS Config in ${REGION}: default is not recording`,
    }]);
  });
});

describe('least privilege for keys and account settings: policies/iam/audit-readonly.json', () => {
  const policy = loadPolicy('iam/audit-readonly');
  const principal = `arn:aws:iam::${ACCOUNT}:role/cdk-hardening-audit`;
  const decide = async (action: string): Promise<string> => {
    const r = await runSimulation({
      request: { principal, action, resource: { resource: '*', accountId: ACCOUNT }, contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': ACCOUNT } },
      identityPolicies: [{ name: 'audit-readonly', policy }], serviceControlPolicies: [], resourceControlPolicies: [],
    }, {});
    if (r.resultType === 'error') throw new Error(`simulation of ${action} failed: ${JSON.stringify(r.errors)}`);
    return r.overallResult;
  };
  it('allows every action the audit sent to these services, and none of the intruder\'s writes', async () => {
    const sent = moto.actions().filter((a) => SERVICES.includes(a.split(':')[0] ?? '') && !a.includes(' '));
    expect(sent).toEqual(expect.arrayContaining(['iam:ListMFADevices', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'ec2:GetEbsEncryptionByDefault', 'config:DescribeConfigurationRecorderStatus']));
    for (const a of sent) expect(`${a} ${await decide(a)}`).toBe(`${a} Allowed`);
    for (const w of ['kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'iam:EnableMFADevice', 'iam:DeactivateMFADevice', 'iam:CreateAccessKey',
      'ec2:DisableEbsEncryptionByDefault', 'config:StopConfigurationRecorder', 's3:PutAccountPublicAccessBlock', 'access-analyzer:DeleteAnalyzer']) {
      expect(`${w} ${await decide(w)}`).not.toBe(`${w} Allowed`);
    }
  });
});
