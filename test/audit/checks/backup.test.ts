import { BackupRegionSnapshot, recoverySettings } from '../../../lib/audit/backup-types';
import { AuditCheck } from '../../../lib/audit/checks/check';
import { AccountSnapshot, CheckSettings, failed, ok } from '../../../lib/audit/types';
import planCoverage, { selectionGaps } from '../../../lib/audit/checks/backup/plan-coverage';
import vaultLock from '../../../lib/audit/checks/backup/vault-lock';
import { ACCOUNT, HARDENED_SELECTION, NOW, SETTINGS, VAULT, daysAgo, deniedResult, goodBackup, goodSnapshot, hardenedPlan } from '../support/snapshots';

const run = (check: AuditCheck, s: AccountSnapshot, settings: CheckSettings = SETTINGS) => check.evaluate(s, settings);
const VAULT_ARN = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${VAULT}`;
const PLAN_ARN = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:plan-1`;
const home = (): BackupRegionSnapshot => goodBackup()[1];
/** The good snapshot with us-east-1's recovery path replaced. */
const withHome = (over: Partial<BackupRegionSnapshot>): AccountSnapshot => ({ ...goodSnapshot(), backup: [goodBackup()[0], { ...home(), ...over }] });
const withVault = (over: object): AccountSnapshot => {
  const v = home().vault;
  return withHome({ vault: ok({ ...(v.ok ? v.value! : { name: VAULT, arn: VAULT_ARN, locked: true }), ...over }) });
};
const statuses = (fs: { resource: { region?: string }; status: string }[]) => fs.map((f) => `${f.resource.region} ${f.status}`);

describe('backup-vault-lock', () => {
  it('passes the vault the stacks deploy, and says where the environment has none', () => {
    expect(run(vaultLock, goodSnapshot()).map((f) => [f.resource.region, f.status, f.controlId, f.resource.id, f.message])).toEqual([
      ['eu-west-1', 'PASS', 'BAK-VAULTLOCK', `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:${VAULT}`, `no vault of the hardened environment in eu-west-1 (the stacks deploy ${VAULT} to us-east-1)`],
      ['us-east-1', 'PASS', 'BAK-VAULTLOCK', VAULT_ARN, `backup vault ${VAULT} in us-east-1 is locked (retention 90-3650 days) in compliance mode, immutable since ${daysAgo(300)}`],
    ]);
  });
  it('fails a deleted vault where the stacks deploy it (the copy region too)', () => {
    expect(run(vaultLock, withHome({ vault: ok(null) }))[1]).toMatchObject({ status: 'FAIL', resource: { id: VAULT_ARN }, message: `backup vault ${VAULT} does not exist in us-east-1` });
    const copy = { ...SETTINGS, recovery: recoverySettings({ backupCopyRegion: 'eu-west-1' }) };
    expect(statuses(run(vaultLock, goodSnapshot(), copy))).toEqual(['eu-west-1 FAIL', 'us-east-1 PASS']);
  });
  it('fails a vault whose lock was removed, is in governance mode, or has other retention bounds', () => {
    expect(run(vaultLock, withVault({ locked: false, minRetentionDays: undefined, maxRetentionDays: undefined, lockDate: undefined }))[1].message)
      .toBe(`backup vault ${VAULT} in us-east-1 has no vault lock: its recovery points can be deleted`);
    expect(run(vaultLock, withVault({ lockDate: undefined }))[1].message)
      .toBe(`backup vault ${VAULT} in us-east-1: the lock is in governance mode (no lock date), which an administrator can remove at any time`);
    expect(run(vaultLock, withVault({ minRetentionDays: 7 }))[1].message).toBe(`backup vault ${VAULT} in us-east-1: minimum retention 7 days (deployed: 90)`);
    expect(run(vaultLock, withVault({ maxRetentionDays: 36500 }))[1].message).toBe(`backup vault ${VAULT} in us-east-1: maximum retention 36500 days (deployed: 3650)`);
    // The configured bounds are what is compared: the same vault passes a configuration that asked for 7 days.
    expect(run(vaultLock, withVault({ minRetentionDays: 7 }), { ...SETTINGS, recovery: recoverySettings({ vaultLockMinRetentionDays: 7 }) })[1].status).toBe('PASS');
  });
  it('passes a lock still in its grace period, saying until when it can be removed', () => {
    const until = new Date(NOW.getTime() + 2 * 86_400_000).toISOString();
    expect(run(vaultLock, withVault({ lockDate: until }))[1]).toMatchObject({ status: 'PASS', message: expect.stringContaining(`the lock can still be removed until ${until}`) });
  });
  it('a vault with several faults lists each; an unset bound is said to be unset', () => {
    expect(run(vaultLock, withVault({ minRetentionDays: undefined, maxRetentionDays: 36500 }))[1].message)
      .toBe(`backup vault ${VAULT} in us-east-1: minimum retention unset days (deployed: 90); maximum retention 36500 days (deployed: 3650)`);
  });
  it('with a copy region, a region without the vault names both regions the stacks deploy it to', () => {
    const copy = { ...SETTINGS, recovery: recoverySettings({ backupCopyRegion: 'eu-west-1' }) };
    const s: AccountSnapshot = { ...goodSnapshot(), regions: ok(['ap-south-1', 'us-east-1']), backup: [{ region: 'ap-south-1', vault: ok(null) }, home()] };
    expect(run(vaultLock, s, copy)[0].message).toBe(`no vault of the hardened environment in ap-south-1 (the stacks deploy ${VAULT} to us-east-1 and eu-west-1)`);
    expect(run(vaultLock, { ...goodSnapshot(), backup: undefined })[0].message).toBe('cannot verify: the recovery path (backup:DescribeBackupVault) was not collected');
  });
  it('is immutable from the lock date on: a lock dated now is no longer removable', () => {
    expect(run(vaultLock, withVault({ lockDate: NOW.toISOString() }))[1].message).toContain(`immutable since ${NOW.toISOString()}`);
  });
  it('names the vault by the ARN AWS returned, or by the ARN it must have when none came back', () => {
    const other = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${VAULT}-returned`;
    expect(run(vaultLock, withVault({ arn: other }))[1].resource.id).toBe(other);
    expect(run(vaultLock, withVault({ arn: '' }))[1].resource.id).toBe(VAULT_ARN);
  });
  it('looks for the vault the configured stack prefix names', () => {
    const other = { ...SETTINGS, recovery: recoverySettings({ stackPrefix: 'Bank' }) };
    expect(run(vaultLock, withHome({ vault: ok(null) }), other)[1].message).toBe('backup vault Bank-locked-vault does not exist in us-east-1');
  });
  it('is ERROR naming the action: vault denied, throttled, region or recovery path not collected, regions unreadable', () => {
    expect(run(vaultLock, withHome({ vault: deniedResult('backup:DescribeBackupVault') }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: backup:DescribeBackupVault access denied/) });
    const thr = failed({ action: 'backup:DescribeBackupVault', kind: 'throttled', code: 'ThrottlingException', message: 'Rate exceeded' });
    expect(run(vaultLock, withHome({ vault: thr }))[1].message).toMatch(/throttled past the retries/);
    expect(run(vaultLock, { ...goodSnapshot(), backup: [home()] })[0]).toMatchObject({ status: 'ERROR', resource: { region: 'eu-west-1' }, message: expect.stringContaining('region eu-west-1 was not collected') });
    expect(run(vaultLock, { ...goodSnapshot(), backup: undefined })).toMatchObject([{ status: 'ERROR', message: expect.stringMatching(/not collected/) }]);
    expect(run(vaultLock, { ...goodSnapshot(), regions: deniedResult('account:ListRegions') })).toMatchObject([{ status: 'ERROR', resource: { region: '*' } }]);
  });
});

describe('backup-plan-coverage', () => {
  const sel = (over: object) => ok([{ ...HARDENED_SELECTION, ...over }]);
  it('passes the plan and selection the stacks deploy', () => {
    expect(run(planCoverage, goodSnapshot()).map((f) => [f.resource.region, f.status, f.resource.id, f.message])).toEqual([
      ['eu-west-1', 'PASS', `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-plan:*`, 'no vault of the hardened environment in eu-west-1, so no plan backs up into it'],
      ['us-east-1', 'PASS', PLAN_ARN, `backup plan Resource in us-east-1 backs up every resource tagged hardening:backup=required into ${VAULT}`],
    ]);
  });
  it('fails a deleted plan where the stacks deploy it, and passes a region where none is expected', () => {
    expect(run(planCoverage, withHome({ plans: ok([]) }))[1]).toMatchObject({ status: 'FAIL', controlId: 'BAK-VAULTLOCK', message: `no backup plan backs up into vault ${VAULT} in us-east-1` });
    const elsewhere = { ...SETTINGS, recovery: recoverySettings({ region: 'eu-west-1' }) };
    expect(run(planCoverage, withHome({ plans: ok([]) }), elsewhere)[1]).toMatchObject({ status: 'PASS', message: expect.stringContaining('the stacks deploy the plan to eu-west-1') });
  });
  it('fails a plan whose selection was deleted, no longer selects the tag, excludes resources or is narrowed', () => {
    const msg = (over: object) => run(planCoverage, withHome({ plans: ok([hardenedPlan(over)]) }))[1];
    expect(msg({ selections: ok([]) })).toMatchObject({ status: 'FAIL', resource: { id: PLAN_ARN }, message: 'backup plan Resource in us-east-1: selects no resource (its selections were deleted)' });
    expect(msg({ selections: sel({ listOfTags: [{ type: 'STRINGEQUALS', key: 'hardening:backup', value: 'never' }] }) }).message)
      .toBe('backup plan Resource in us-east-1: selection ByTag no longer selects resources tagged hardening:backup=required');
    expect(msg({ selections: sel({ notResources: ['arn:aws:dynamodb:*:*:table/*'] }) }).message)
      .toBe('backup plan Resource in us-east-1: selection ByTag excludes arn:aws:dynamodb:*:*:table/*');
    expect(msg({ selections: sel({ conditions: [{ type: 'StringEquals', key: 'aws:ResourceTag/keep', value: 'yes' }] }) }).message)
      .toBe('backup plan Resource in us-east-1: selection ByTag is narrowed by the conditions StringEquals aws:ResourceTag/keep=yes');
  });
  it('a selection with every gap, and a plan with several problems, lists each of them', () => {
    const all = { ...HARDENED_SELECTION, listOfTags: [], notResources: ['arn:a', 'arn:b'], conditions: [{ type: 'StringEquals', key: 'k1', value: 'v1' }, { type: 'StringLike', key: 'k2', value: 'v2' }] };
    expect(selectionGaps(all, recoverySettings()).join(' and ')).toBe('no longer selects resources tagged hardening:backup=required and excludes arn:a, arn:b and is narrowed by the conditions StringEquals k1=v1, StringLike k2=v2');
    const plan = hardenedPlan({ rules: [{ name: 'Daily', targetVault: VAULT, deleteAfterDays: 1 }], selections: ok([{ ...HARDENED_SELECTION, notResources: ['arn:a'] }]) });
    expect(run(planCoverage, withHome({ plans: ok([plan]) }))[1].message)
      .toBe(`backup plan Resource in us-east-1: rule Daily keeps recovery points 1 days, outside the vault lock's 90-3650 days: the locked vault refuses them; selection ByTag excludes arn:a`);
    const unreadable = hardenedPlan({ rules: [{ name: 'A', targetVault: VAULT, deleteAfterDays: 1 }, { name: 'B', targetVault: VAULT }], selections: deniedResult('backup:GetBackupSelection') });
    expect(run(planCoverage, withHome({ plans: ok([unreadable]) }))[1].message).toMatch(/^backup plan Resource in us-east-1: rule A keeps .*; rule B keeps recovery points forever/);
  });
  it('a region without plans where the stacks deploy them to several regions names them all', () => {
    const two = { ...SETTINGS, recovery: { ...recoverySettings(), planRegions: ['eu-west-1', 'ap-south-1'] } };
    expect(run(planCoverage, withHome({ plans: ok([]) }), two)[1].message).toBe(`no backup plan backs up into vault ${VAULT} in us-east-1 (the stacks deploy the plan to eu-west-1, ap-south-1)`);
  });
  it('fails a selection moved to another tag key with the same value', () => {
    const moved = { ...HARDENED_SELECTION, listOfTags: [{ type: 'STRINGEQUALS', key: 'hardening:backup-old', value: 'required' }] };
    expect(selectionGaps(moved, recoverySettings())).toEqual(['no longer selects resources tagged hardening:backup=required']);
  });
  it('names the plan by the ARN AWS returned, or by the ARN it must have when none came back', () => {
    expect(run(planCoverage, withHome({ plans: ok([hardenedPlan({ arn: '' })]) }))[1].resource.id).toBe(PLAN_ARN);
  });
  it('judges retention only on rules into the locked vault: a short rule into another vault is not its concern', () => {
    const rules = [{ name: 'Daily', targetVault: VAULT, deleteAfterDays: 90 }, { name: 'Scratch', targetVault: 'scratch-vault', deleteAfterDays: 1 }];
    expect(run(planCoverage, withHome({ plans: ok([hardenedPlan({ rules })]) }))[1].status).toBe('PASS');
  });
  it('passes when one selection still covers the tag beside a narrowed one; an added tag only widens', () => {
    const good = HARDENED_SELECTION;
    const extra = { ...good, id: 'sel-2', name: 'Narrow', conditions: [{ type: 'StringEquals', key: 'k', value: 'v' }] };
    expect(run(planCoverage, withHome({ plans: ok([hardenedPlan({ selections: ok([extra, good]) })]) }))[1].status).toBe('PASS');
    const wider = { ...good, listOfTags: [{ type: 'STRINGEQUALS', key: 'other', value: 'x' }, { type: 'STRINGEQUALS', key: 'hardening:backup', value: 'required' }] };
    expect(selectionGaps(wider, recoverySettings())).toEqual([]);
  });
  it('fails a rule whose retention the locked vault refuses (both sides of the bounds)', () => {
    const rules = (d: number | undefined) => [{ name: 'Daily', targetVault: VAULT, ...(d === undefined ? {} : { deleteAfterDays: d }) }];
    const at = (d: number | undefined) => run(planCoverage, withHome({ plans: ok([hardenedPlan({ rules: rules(d) })]) }))[1];
    expect(at(89)).toMatchObject({ status: 'FAIL', message: `backup plan Resource in us-east-1: rule Daily keeps recovery points 89 days, outside the vault lock's 90-3650 days: the locked vault refuses them` });
    expect(at(90).status).toBe('PASS');
    expect(at(3650).status).toBe('PASS');
    expect(at(3651).status).toBe('FAIL');
    expect(at(undefined).message).toContain('keeps recovery points forever');
  });
  it('is ERROR naming the action: listing denied, selections unreadable (a retention fault is still FAIL), vault unreadable', () => {
    expect(run(planCoverage, withHome({ plans: deniedResult('backup:ListBackupPlans') }))[1]).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^cannot verify: backup:ListBackupPlans access denied/) });
    const unreadable = hardenedPlan({ selections: deniedResult('backup:GetBackupSelection') });
    expect(run(planCoverage, withHome({ plans: ok([unreadable]) })).slice(1).map((f) => [f.status, f.message])).toEqual([
      ['ERROR', expect.stringMatching(/^cannot verify: backup:GetBackupSelection access denied/)],
    ]);
    const both = hardenedPlan({ selections: deniedResult('backup:ListBackupSelections'), rules: [{ name: 'Daily', targetVault: VAULT, deleteAfterDays: 1 }] });
    expect(run(planCoverage, withHome({ plans: ok([both]) })).slice(1).map((f) => f.status)).toEqual(['FAIL', 'ERROR']);
    const s: AccountSnapshot = { ...goodSnapshot(), backup: [{ region: 'eu-west-1', vault: deniedResult('backup:DescribeBackupVault') }, home()] };
    expect(run(planCoverage, s)[0]).toMatchObject({ status: 'ERROR', resource: { region: 'eu-west-1' }, message: expect.stringMatching(/backup:DescribeBackupVault access denied/) });
    expect(run(planCoverage, { ...goodSnapshot(), backup: undefined })[0].status).toBe('ERROR');
  });
});

describe('backup checks: what each outcome says (mutation survivors)', () => {
  it('an unset maximum retention is said to be unset', () => {
    expect(run(vaultLock, withVault({ maxRetentionDays: undefined }))[1].message).toBe(`backup vault ${VAULT} in us-east-1: maximum retention unset days (deployed: 3650)`);
  });
  it('a selection with several gaps names each of them in the plan FAIL', () => {
    const sel = { ...HARDENED_SELECTION, listOfTags: [], notResources: ['arn:a'] };
    expect(run(planCoverage, withHome({ plans: ok([hardenedPlan({ selections: ok([sel]) })]) }))[1].message)
      .toBe('backup plan Resource in us-east-1: selection ByTag no longer selects resources tagged hardening:backup=required and excludes arn:a');
  });
  it('a recovery path not collected is one ERROR for every region (*), naming the call each check needed', () => {
    const s = { ...goodSnapshot(), backup: undefined };
    expect(run(planCoverage, s)).toMatchObject([{
      status: 'ERROR', resource: { region: '*', id: `arn:aws:backup:*:${ACCOUNT}:backup-plan:*` }, message: 'cannot verify: the recovery path (backup:ListBackupPlans) was not collected',
    }]);
    expect(run(vaultLock, s)).toMatchObject([{ status: 'ERROR', resource: { region: '*', id: `arn:aws:backup:*:${ACCOUNT}:backup-vault:${VAULT}` } }]);
  });
});
