import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, failed, ok } from '../../../lib/audit/types';
import accessAnalyzer from '../../../lib/audit/checks/account/access-analyzer';
import configRecording from '../../../lib/audit/checks/account/config-recording';
import ebsDefault from '../../../lib/audit/checks/account/ebs-encryption-default';
import s3Bpa from '../../../lib/audit/checks/account/s3-public-access-block';
import { ACCOUNT, SETTINGS, accountRegion, deniedResult, goodSnapshot } from '../support/snapshots';

const run = (check: AuditCheck, s: AccountSnapshot) => check.evaluate(s, SETTINGS);
const statuses = (check: AuditCheck, s: AccountSnapshot) => run(check, s).map((f) => f.status);
const withRegions = (eu: Parameters<typeof accountRegion>[1], us: Parameters<typeof accountRegion>[1] = {}): AccountSnapshot => ({
  ...goodSnapshot(), accountRegions: [accountRegion('eu-west-1', eu), accountRegion('us-east-1', us)],
});
const throttled = (action: string) => failed({ action, kind: 'throttled', code: 'ThrottlingException', message: 'Rate exceeded' });

describe('account-level checks on a compliant snapshot', () => {
  it.each([s3Bpa, ebsDefault, accessAnalyzer, configRecording].map((c) => [c.id, c] as const))('%s passes (per region where regional)', (_id, c) => {
    const fs = run(c, goodSnapshot());
    expect(fs.every((f) => f.status === 'PASS' && f.source === 'live' && f.resource.account === ACCOUNT)).toBe(true);
    expect(fs.length).toBe(c === s3Bpa ? 1 : 2);
  });
  it.each([ebsDefault, accessAnalyzer, configRecording].map((c) => [c.id, c] as const))('%s is one ERROR when the regions could not be listed', (_id, c) => {
    expect(run(c, { ...goodSnapshot(), regions: deniedResult('account:ListRegions') })).toMatchObject([{ status: 'ERROR', resource: { region: '*' } }]);
  });
  it.each([ebsDefault, accessAnalyzer, configRecording].map((c) => [c.id, c] as const))('%s is ERROR for a region that was not collected (never skipped)', (_id, c) => {
    const s = { ...goodSnapshot(), accountRegions: [accountRegion('eu-west-1')] };
    expect(run(c, s).map((f) => [f.resource.region, f.status])).toEqual([['eu-west-1', 'PASS'], ['us-east-1', 'ERROR']]);
    expect(run(c, s)[1].message).toMatch(/^cannot verify: \S+:\S+ .*region us-east-1 was not collected/);
    expect(run(c, { ...goodSnapshot(), accountRegions: undefined }).map((f) => f.status)).toEqual(['ERROR', 'ERROR']);
  });
});

describe('account-s3-public-access-block', () => {
  it('fails each setting that is off, naming it', () => {
    const s = { ...goodSnapshot(), s3PublicAccessBlock: ok({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false }) };
    expect(run(s3Bpa, s)).toMatchObject([{ status: 'FAIL', controlId: 'DATA-PUBLIC', message: 'account S3 Block Public Access has blockPublicPolicy, restrictPublicBuckets off' }]);
  });
  it('fails when the account has no configuration at all', () => {
    expect(run(s3Bpa, { ...goodSnapshot(), s3PublicAccessBlock: ok(null) })[0]).toMatchObject({ status: 'FAIL', message: `account ${ACCOUNT} has no S3 Block Public Access configuration` });
  });
  it('is ERROR when denied, throttled or not collected', () => {
    expect(run(s3Bpa, { ...goodSnapshot(), s3PublicAccessBlock: deniedResult('s3:GetAccountPublicAccessBlock') })[0].message).toMatch(/^cannot verify: s3:GetAccountPublicAccessBlock access denied/);
    expect(run(s3Bpa, { ...goodSnapshot(), s3PublicAccessBlock: throttled('s3:GetAccountPublicAccessBlock') })[0].message).toMatch(/throttled past the retries/);
    expect(statuses(s3Bpa, { ...goodSnapshot(), s3PublicAccessBlock: undefined })).toEqual(['ERROR']);
  });
});

describe('account-ebs-encryption-default', () => {
  it('fails the region where it is off, passes the other', () => {
    expect(run(ebsDefault, withRegions({ ebsEncryptionByDefault: ok(false) })).map((f) => [f.resource.region, f.status, f.message])).toEqual([
      ['eu-west-1', 'FAIL', 'EBS encryption by default is off in eu-west-1'],
      ['us-east-1', 'PASS', 'EBS encryption by default is on in us-east-1'],
    ]);
  });
  it('is ERROR naming the action in a throttled region', () => {
    expect(run(ebsDefault, withRegions({}, { ebsEncryptionByDefault: throttled('ec2:GetEbsEncryptionByDefault') }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: ec2:GetEbsEncryptionByDefault throttled/) });
  });
});

describe('account-access-analyzer', () => {
  it('fails a region with no analyzer, or only an unused-access or a disabled one', () => {
    expect(run(accessAnalyzer, withRegions({ accessAnalyzers: ok([]) }))[0]).toMatchObject({ status: 'FAIL', message: 'no active external-access analyzer in eu-west-1' });
    const other = ok([{ name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' }, { name: 'ext', type: 'ACCOUNT', status: 'DISABLED' }]);
    expect(run(accessAnalyzer, withRegions({ accessAnalyzers: other }))[0].message).toBe('no active external-access analyzer in eu-west-1: unused (ACCOUNT_UNUSED_ACCESS, ACTIVE), ext (ACCOUNT, DISABLED)');
  });
  it("a FAIL lists the analyzers it found, so the reader sees why none counts", () => {
    const unused = { name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE' };
    const disabled = { name: 'ext', type: 'ACCOUNT', status: 'DISABLED' };
    expect(run(accessAnalyzer, withRegions({ accessAnalyzers: ok([unused, disabled]) }))[0].message)
      .toBe('no active external-access analyzer in eu-west-1: unused (ACCOUNT_UNUSED_ACCESS, ACTIVE), ext (ACCOUNT, DISABLED)');
  });
  it('a PASS names the active analyzers', () => {
    const a = (name: string) => ({ name, type: 'ACCOUNT', status: 'ACTIVE' });
    expect(run(accessAnalyzer, withRegions({ accessAnalyzers: ok([a('one'), a('two')]) }))[0].message).toBe('external-access analyzer one, two is active in eu-west-1');
  });
  it('passes an organization analyzer', () => {
    expect(statuses(accessAnalyzer, withRegions({ accessAnalyzers: ok([{ name: 'org', type: 'ORGANIZATION', status: 'ACTIVE' }]) }))).toEqual(['PASS', 'PASS']);
  });
  it('is ERROR when ListAnalyzers is denied', () => {
    expect(statuses(accessAnalyzer, withRegions({ accessAnalyzers: deniedResult('access-analyzer:ListAnalyzers') }))).toEqual(['ERROR', 'PASS']);
  });
});

describe('account-config-recording', () => {
  const rec = (over: object) => ok([{ name: 'default', allSupported: true, recording: true, lastStatus: 'SUCCESS', ...over }]);
  it('fails a stopped recorder, a failing one, one not recording all types, and none at all', () => {
    expect(run(configRecording, withRegions({ configRecorders: rec({ recording: false }) }))[0]).toMatchObject({ status: 'FAIL', controlId: 'LOG-TAMPER', message: 'AWS Config in eu-west-1: default is not recording' });
    expect(run(configRecording, withRegions({ configRecorders: rec({ lastStatus: 'FAILURE' }) }))[0].message).toBe('AWS Config in eu-west-1: default last recording failed');
    expect(run(configRecording, withRegions({ configRecorders: rec({ allSupported: false }) }))[0].message).toBe('AWS Config in eu-west-1: default does not record all supported resource types');
    expect(run(configRecording, withRegions({ configRecorders: ok([]) }))[0].message).toBe('no AWS Config recorder in eu-west-1');
  });
  it('a recorder with no status is not recording (never assumed on)', () => {
    expect(statuses(configRecording, withRegions({ configRecorders: ok([{ name: 'default', allSupported: true }]) }))).toEqual(['FAIL', 'PASS']);
  });
  it('is ERROR naming the status call when it failed', () => {
    expect(run(configRecording, withRegions({ configRecorders: deniedResult('config:DescribeConfigurationRecorderStatus') }))[0].message).toMatch(/config:DescribeConfigurationRecorderStatus access denied/);
  });
});

describe('account-level checks: what each outcome says (mutation survivors)', () => {
  it('a FAIL names why each recorder of the region does not count', () => {
    const recorders = ok([
      { name: 'stopped', allSupported: true, recording: false, lastStatus: 'SUCCESS' },
      { name: 'broken', allSupported: true, recording: true, lastStatus: 'FAILURE' },
    ]);
    expect(run(configRecording, withRegions({ configRecorders: recorders }))[0].message).toBe('AWS Config in eu-west-1: stopped is not recording; broken last recording failed');
  });
  it('a region not collected is ERROR saying the call failed for it, naming the call', () => {
    const s = { ...goodSnapshot(), accountRegions: [accountRegion('eu-west-1')] };
    expect(run(configRecording, s)[1].message).toBe('cannot verify: config:DescribeConfigurationRecorderStatus failed (region us-east-1 was not collected)');
  });
  it('S3 Block Public Access not collected is ERROR naming the call that would have read it', () => {
    expect(run(s3Bpa, { ...goodSnapshot(), s3PublicAccessBlock: undefined })).toMatchObject([{
      status: 'ERROR', message: "cannot verify: the account's S3 Block Public Access (s3:GetAccountPublicAccessBlock) was not collected",
    }]);
  });
});
