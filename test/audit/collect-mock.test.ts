import {
  CredentialReportExpiredException, GenerateCredentialReportCommand, GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetCredentialReportCommand, IAMClient, IAMServiceException,
  LimitExceededException, ListVirtualMFADevicesCommand, NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  BadRequestException, DescribeOrganizationConfigurationCommand, GetAdministratorAccountCommand, GetDetectorCommand,
  GetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { AWSOrganizationsNotInUseException, DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_REPORT_POLLING, ReportPolling, collectGuardDutyRegion, collectIam } from '../../lib/audit';
import { collectCredentialReport } from '../../lib/audit/collect-iam';
import { collectOrganization } from '../../lib/audit/collect-account';
import { credentialReportCsv, compliantAccount } from './support/fake-aws';

const iamMock = mockClient(IAMClient);
const gdMock = mockClient(GuardDutyClient);
const orgMock = mockClient(OrganizationsClient);
const NOW = new Date('2026-06-01T12:00:00Z');
const CSV = Buffer.from(credentialReportCsv(compliantAccount('111122223333', ['us-east-1'], NOW)));

function polling(delays: number[], over: Partial<ReportPolling> = {}): ReportPolling {
  return { ...DEFAULT_REPORT_POLLING, initialDelayMs: 100, maxDelayMs: 400, maxPolls: 6, now: () => NOW, sleep: async (ms) => { delays.push(ms); }, ...over };
}
const client = () => new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const denied = (action: string) => Object.assign(new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `not authorized to perform: ${action}` }));

beforeEach(() => {
  iamMock.reset();
  gdMock.reset();
  orgMock.reset();
  iamMock.on(GetCredentialReportCommand).resolves({ Content: CSV, GeneratedTime: NOW, ReportFormat: 'text/csv' });
});

describe('credential report collection (aws-sdk-client-mock)', () => {
  it('polls STARTED -> INPROGRESS -> COMPLETE with exponential backoff', async () => {
    iamMock.on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' }).resolvesOnce({ State: 'INPROGRESS' }).resolvesOnce({ State: 'INPROGRESS' }).resolves({ State: 'COMPLETE' });
    const delays: number[] = [];
    const r = await collectCredentialReport(client(), polling(delays));
    expect(r.ok && r.value.rows.map((x) => x.user)).toEqual(['<root_account>', 'alice', 'bob']);
    expect(delays).toEqual([100, 200, 400]);
    expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 4);
  });
  it('backs off through LimitExceeded', async () => {
    iamMock.on(GenerateCredentialReportCommand)
      .rejectsOnce(new LimitExceededException({ $metadata: {}, message: 'in progress' })).resolves({ State: 'COMPLETE' });
    const delays: number[] = [];
    const r = await collectCredentialReport(client(), polling(delays));
    expect(r.ok).toBe(true);
    expect(delays).toEqual([100]);
  });
  it('gives up after the bounded number of polls, delays capped', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const delays: number[] = [];
    const r = await collectCredentialReport(client(), polling(delays));
    expect(r).toEqual({ ok: false, failure: { action: 'iam:GenerateCredentialReport', kind: 'timeout', message: 'credential report not COMPLETE after 6 polls (last: INPROGRESS)' } });
    expect(delays).toEqual([100, 200, 400, 400, 400]);
  });
  it('regenerates an expired report once', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportExpiredException({ $metadata: {}, message: 'expired' }))
      .resolves({ Content: CSV, GeneratedTime: NOW });
    const r = await collectCredentialReport(client(), polling([]));
    expect(r.ok).toBe(true);
    expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
  });
  it('records a stale report (older than 4 h even after regeneration) as a failure, not data', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ Content: CSV, GeneratedTime: new Date(NOW.getTime() - 30 * 3_600_000) });
    const r = await collectCredentialReport(client(), polling([]));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failure).toMatchObject({ action: 'iam:GetCredentialReport', kind: 'stale', message: expect.stringContaining('30 h old') });
    expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
  });
  it('records AccessDenied on GenerateCredentialReport without retrying it', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(denied('iam:GenerateCredentialReport'));
    const r = await collectCredentialReport(client(), polling([]));
    expect(!r.ok && r.failure).toMatchObject({ action: 'iam:GenerateCredentialReport', kind: 'access-denied', code: 'AccessDenied' });
  });
  it('records a malformed report as an error naming the problem', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ Content: Buffer.from('user,arn\nx,y\n'), GeneratedTime: NOW });
    const r = await collectCredentialReport(client(), polling([]));
    expect(!r.ok && r.failure.message).toMatch(/lacks columns/);
  });
});

describe('IAM snapshot (aws-sdk-client-mock)', () => {
  beforeEach(() => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
    iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [{ SerialNumber: 's', User: { Arn: 'arn:aws:iam::111122223333:root', UserName: 'r', UserId: 'r', Path: '/', CreateDate: NOW } }] });
  });
  it('treats NoSuchEntity as "no password policy" and decodes URL-encoded policy documents', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(new NoSuchEntityException({ $metadata: {}, message: 'none' }));
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [{ UserName: 'alice', Arn: 'arn:aws:iam::111122223333:user/alice', GroupList: ['ops'] }],
      GroupDetailList: [{ GroupName: 'ops', Arn: 'g', GroupPolicyList: [{ PolicyName: 'p', PolicyDocument: encodeURIComponent('{"Statement":[]}') }], AttachedManagedPolicies: [] }],
      Policies: [{ Arn: 'arn:p', PolicyName: 'p', PolicyVersionList: [{ Document: encodeURIComponent('{"v":1}'), IsDefaultVersion: false }, { Document: encodeURIComponent('{"v":2}'), IsDefaultVersion: true }] }],
      IsTruncated: false,
    });
    const s = await collectIam(client(), polling([]));
    expect(s.passwordPolicy).toEqual({ ok: true, value: null });
    expect(s.virtualMfaDevices).toEqual({ ok: true, value: [{ serialNumber: 's', userArn: 'arn:aws:iam::111122223333:root' }] });
    expect(s.authorization.ok && s.authorization.value.groups[0].inlinePolicies[0].document).toEqual({ Statement: [] });
    expect(s.authorization.ok && s.authorization.value.policies[0].document).toEqual({ v: 2 });
    expect(iamMock).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, { Filter: ['User', 'Group', 'LocalManagedPolicy'] });
  });
  it('records AccessDenied on one API and still collects the others', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 14 } });
    iamMock.on(GetAccountAuthorizationDetailsCommand).rejects(denied('iam:GetAccountAuthorizationDetails'));
    const s = await collectIam(client(), polling([]));
    expect(s.authorization).toMatchObject({ ok: false, failure: { action: 'iam:GetAccountAuthorizationDetails', kind: 'access-denied' } });
    expect(s.credentialReport.ok && s.accountSummary.ok && s.passwordPolicy.ok).toBe(true);
  });
});

describe('GuardDuty and Organizations (aws-sdk-client-mock)', () => {
  const gd = () => new GuardDutyClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  it('a region without a detector stops after ListDetectors', async () => {
    gdMock.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(await collectGuardDutyRegion(gd(), 'eu-west-1', true)).toEqual({ region: 'eu-west-1', detectorIds: { ok: true, value: [] } });
    expect(gdMock).toHaveReceivedCommandTimes(GetDetectorCommand, 0);
  });
  it('collects detector, oldest high findings, administrator and (visible only to the admin) the org configuration', async () => {
    gdMock.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    gdMock.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r', Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }] });
    gdMock.on(ListFindingsCommand).resolves({ FindingIds: ['f2', 'f1'] });
    gdMock.on(GetFindingsCommand).resolves({ Findings: [
      { Id: 'f1', Severity: 8, CreatedAt: '2026-05-01T00:00:00.000Z', Type: 't', AccountId: 'a', Arn: 'a', Region: 'r', Resource: {}, SchemaVersion: '2', UpdatedAt: 'x' },
      { Id: 'f2', Severity: 9, CreatedAt: '2026-04-01T00:00:00.000Z', Type: 't', AccountId: 'a', Arn: 'a', Region: 'r', Resource: {}, SchemaVersion: '2', UpdatedAt: 'x' },
    ] });
    gdMock.on(GetAdministratorAccountCommand).resolves({});
    gdMock.on(DescribeOrganizationConfigurationCommand).rejects(new BadRequestException({ $metadata: {}, message: 'not the delegated administrator' }));
    const r = await collectGuardDutyRegion(gd(), 'eu-west-1', true);
    expect(r.detector).toEqual({ ok: true, value: { id: 'd1', status: 'ENABLED', features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED', additional: [] }] } });
    expect(r.highSeverityFindings).toEqual({ ok: true, value: { count: 2, oldest: [
      { id: 'f2', severity: 9, createdAt: '2026-04-01T00:00:00.000Z', type: 't' }, { id: 'f1', severity: 8, createdAt: '2026-05-01T00:00:00.000Z', type: 't' }] } });
    expect(r.administrator).toEqual({ ok: true, value: null });
    expect(r.organizationConfiguration).toEqual({ ok: true, value: null });
    expect(gdMock).toHaveReceivedCommandWith(ListFindingsCommand, {
      DetectorId: 'd1',
      FindingCriteria: { Criterion: { 'severity': { GreaterThanOrEqual: 7 }, 'service.archived': { Equals: ['false'] } } },
      SortCriteria: { AttributeName: 'createdAt', OrderBy: 'ASC' },
    });
  });
  it('outside an organization, skips the administrator calls', async () => {
    gdMock.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    gdMock.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
    gdMock.on(ListFindingsCommand).resolves({ FindingIds: [] });
    const r = await collectGuardDutyRegion(gd(), 'eu-west-1', false);
    expect(r.administrator).toBeUndefined();
    expect(gdMock).toHaveReceivedCommandTimes(GetAdministratorAccountCommand, 0);
    expect(gdMock).toHaveReceivedCommandTimes(GetFindingsCommand, 0);
  });
  it('AWSOrganizationsNotInUseException means no organization', async () => {
    orgMock.on(DescribeOrganizationCommand).rejects(new AWSOrganizationsNotInUseException({ $metadata: {}, message: 'not in use' }));
    expect(await collectOrganization(new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }))).toEqual({ ok: true, value: null });
  });
});
