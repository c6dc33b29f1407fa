import {
  BackupClient, BackupServiceException, DescribeBackupVaultCommand, GetBackupPlanCommand, GetBackupSelectionCommand,
  ListBackupPlansCommand, ListBackupSelectionsCommand, ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { collectBackupRegion, recoverySettings } from '../../lib/audit';

const mock = mockClient(BackupClient);
const client = () => new BackupClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
const RS = recoverySettings();
const VAULT = RS.vaultName;
const LOCKED = { BackupVaultName: VAULT, BackupVaultArn: `arn:aws:backup:us-east-1:111122223333:backup-vault:${VAULT}`, Locked: true, MinRetentionDays: 90, MaxRetentionDays: 3650, LockDate: new Date('2026-01-04T00:00:00Z') };
const throttled = () => new BackupServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
const rule = (name: string, vault: string, days = 90) => ({ RuleName: name, TargetBackupVaultName: vault, Lifecycle: { DeleteAfterDays: days }, RuleId: name });

beforeEach(() => {
  mock.reset();
  mock.on(DescribeBackupVaultCommand).resolves(LOCKED);
});

describe('recovery path collection (aws-sdk-client-mock)', () => {
  it('follows every page of plans and selections, and reads only the plans writing into the vault', async () => {
    mock.on(ListBackupPlansCommand)
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'p1', BackupPlanName: 'Resource', BackupPlanArn: 'arn:p1' }, { BackupPlanId: 'other', BackupPlanName: 'app' }], NextToken: 't1' })
      .resolves({ BackupPlansList: [{ BackupPlanId: 'p2', BackupPlanName: 'Second' }] });
    mock.on(GetBackupPlanCommand, { BackupPlanId: 'p1' }).resolves({ BackupPlan: { BackupPlanName: 'Resource', Rules: [rule('Daily', VAULT), rule('Monthly', VAULT, 365)] } });
    mock.on(GetBackupPlanCommand, { BackupPlanId: 'other' }).resolves({ BackupPlan: { BackupPlanName: 'app', Rules: [rule('Nightly', 'Default', 7)] } });
    mock.on(GetBackupPlanCommand, { BackupPlanId: 'p2' }).resolves({ BackupPlan: { BackupPlanName: 'Second', Rules: [{ RuleName: 'Forever', TargetBackupVaultName: VAULT, RuleId: 'f' }] } });
    mock.on(ListBackupSelectionsCommand, { BackupPlanId: 'p1' })
      .resolvesOnce({ BackupSelectionsList: [{ SelectionId: 's1', SelectionName: 'ByTag' }], NextToken: 'n' })
      .resolves({ BackupSelectionsList: [{ SelectionId: 's2', SelectionName: 'Narrow' }] });
    mock.on(ListBackupSelectionsCommand, { BackupPlanId: 'p2' }).resolves({ BackupSelectionsList: [] });
    mock.on(GetBackupSelectionCommand, { BackupPlanId: 'p1', SelectionId: 's1' }).resolves({ BackupSelection: {
      SelectionName: 'ByTag', IamRoleArn: 'arn:role', ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'hardening:backup', ConditionValue: 'required' }] } });
    mock.on(GetBackupSelectionCommand, { BackupPlanId: 'p1', SelectionId: 's2' }).resolves({ BackupSelection: {
      SelectionName: 'Narrow', IamRoleArn: 'arn:role', Resources: ['*'], NotResources: ['arn:aws:s3:::x'],
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/a', ConditionValue: 'b' }], StringNotLike: [{ ConditionKey: 'aws:ResourceTag/c', ConditionValue: 'd*' }] } } });
    const r = await collectBackupRegion(client(), 'us-east-1', RS);
    expect(r.vault).toEqual({ ok: true, value: { name: VAULT, arn: LOCKED.BackupVaultArn, locked: true, minRetentionDays: 90, maxRetentionDays: 3650, lockDate: '2026-01-04T00:00:00.000Z' } });
    expect(r.plans?.ok && r.plans.value.map((p) => [p.name, p.rules.map((x) => `${x.name}:${x.deleteAfterDays ?? 'forever'}`)])).toEqual([
      ['Resource', ['Daily:90', 'Monthly:365']], ['Second', ['Forever:forever']],
    ]);
    const p1 = r.plans?.ok ? r.plans.value[0] : undefined;
    expect(p1?.selections).toEqual({ ok: true, value: [
      { id: 's1', name: 'ByTag', iamRoleArn: 'arn:role', resources: [], notResources: [], listOfTags: [{ type: 'STRINGEQUALS', key: 'hardening:backup', value: 'required' }], conditions: [] },
      { id: 's2', name: 'Narrow', iamRoleArn: 'arn:role', resources: ['*'], notResources: ['arn:aws:s3:::x'], listOfTags: [],
        conditions: [{ type: 'StringEquals', key: 'aws:ResourceTag/a', value: 'b' }, { type: 'StringNotLike', key: 'aws:ResourceTag/c', value: 'd*' }] },
    ] });
    expect(mock).toHaveReceivedCommandTimes(ListBackupPlansCommand, 2);
    expect(mock).toHaveReceivedCommandTimes(GetBackupPlanCommand, 3);
    // Selections only of the two plans writing into the vault, not of `app`.
    expect(mock).toHaveReceivedCommandTimes(ListBackupSelectionsCommand, 3);
    expect(mock).not.toHaveReceivedCommandWith(ListBackupSelectionsCommand, { BackupPlanId: 'other' });
    expect(mock).toHaveReceivedCommandWith(DescribeBackupVaultCommand, { BackupVaultName: VAULT });
  });

  it('a region with neither the vault nor an expectation of it costs one call', async () => {
    mock.on(DescribeBackupVaultCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'not found' }));
    expect(await collectBackupRegion(client(), 'eu-west-1', RS)).toEqual({ region: 'eu-west-1', vault: { ok: true, value: null } });
    expect(mock.calls()).toHaveLength(1);
  });

  it('in the home region, a deleted vault is null and the plans are still read', async () => {
    mock.on(DescribeBackupVaultCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'not found' }));
    mock.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
    const r = await collectBackupRegion(client(), 'us-east-1', RS);
    expect(r).toEqual({ region: 'us-east-1', vault: { ok: true, value: null }, plans: { ok: true, value: [] } });
  });

  it('throttling past the retries and AccessDenied are failures naming the action, never an empty list', async () => {
    mock.on(ListBackupPlansCommand).rejects(throttled());
    expect((await collectBackupRegion(client(), 'us-east-1', RS)).plans).toEqual({ ok: false, failure: { action: 'backup:ListBackupPlans', kind: 'throttled', code: 'ThrottlingException', message: 'Rate exceeded' } });
    mock.on(ListBackupPlansCommand).resolves({ BackupPlansList: [{ BackupPlanId: 'p1' }] });
    mock.on(GetBackupPlanCommand).rejects(throttled());
    expect((await collectBackupRegion(client(), 'us-east-1', RS)).plans).toMatchObject({ ok: false, failure: { action: 'backup:GetBackupPlan', kind: 'throttled' } });
    mock.on(GetBackupPlanCommand).resolves({ BackupPlan: { BackupPlanName: 'Resource', Rules: [rule('Daily', VAULT)] } });
    mock.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionId: 's1' }] });
    mock.on(GetBackupSelectionCommand).rejects(new BackupServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' }));
    const r = await collectBackupRegion(client(), 'us-east-1', RS);
    expect(r.plans?.ok && r.plans.value[0].selections).toMatchObject({ ok: false, failure: { action: 'backup:GetBackupSelection', kind: 'access-denied' } });
    mock.on(DescribeBackupVaultCommand).rejects(throttled());
    expect((await collectBackupRegion(client(), 'eu-west-1', RS)).vault).toMatchObject({ ok: false, failure: { action: 'backup:DescribeBackupVault', kind: 'throttled' } });
  });

  it('an answer without the plan or selection is a failure, not an empty plan', async () => {
    mock.on(ListBackupPlansCommand).resolves({ BackupPlansList: [{ BackupPlanId: 'p1' }] });
    mock.on(GetBackupPlanCommand).resolves({});
    expect((await collectBackupRegion(client(), 'us-east-1', RS)).plans).toMatchObject({ ok: false, failure: { action: 'backup:GetBackupPlan', message: 'no BackupPlan in the answer for plan p1' } });
  });
});
