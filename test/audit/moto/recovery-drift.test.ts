/**
 * BAK-VAULTLOCK and stack drift against moto (a real AWS-protocol server): the locked vault and the plan are seeded the
 * way RecoveryStack deploys them, audited, tampered with as a ransom crew would (the vault lock removed
 * during its grace period, the plan deleted) and audited again. moto 5.2.1 has no backup selections
 * (ListBackupSelections answers 500): the coverage of an existing plan is ERROR there, never a pass. Nor has
 * it drift detection (DetectStackDrift answers 500): the environment's stack is found by its tag and is ERROR.
 * moto not starting fails the test with a clear message; it is never skipped.
 */
import {
  BackupClient, CreateBackupPlanCommand, CreateBackupVaultCommand, DeleteBackupPlanCommand, DeleteBackupVaultLockConfigurationCommand,
  PutBackupVaultLockConfigurationCommand,
} from '@aws-sdk/client-backup';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AuditResult, DEFAULT_RECOVERY_SETTINGS, runAudit } from '../../../lib/audit';
import { loadPolicy } from '../../../lib/policies';
import { DEFAULTS } from '../../../lib/config/defaults';
import { Finding } from '../../../lib/findings';
import { Moto, startMoto } from '../support/moto';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const VAULT = DEFAULT_RECOVERY_SETTINGS.vaultName;
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: Moto;
let planId: string;
let untouched: AuditResult;
let tampered: AuditResult;

const audit = () => runAudit({
  regions: [REGION],
  clients: { endpoint: moto.endpoint, credentials: CREDS, maxAttempts: 2, requestTimeoutMs: 10_000 },
  polling: { sleep: async () => undefined },
});
const byRule = (r: AuditResult, id: string): Finding[] => r.findings.filter((f) => f.ruleId === id);

beforeAll(async () => {
  moto = await startMoto();
  const backup = new BackupClient({ region: REGION, endpoint: moto.motoEndpoint, credentials: CREDS });
  const cfn = new CloudFormationClient({ region: REGION, endpoint: moto.motoEndpoint, credentials: CREDS });
  try {
    await cfn.send(new CreateStackCommand({
      StackName: 'HardeningDetection', Tags: [{ Key: 'hardening:managed-by', Value: 'cdk-hardening' }],
      TemplateBody: JSON.stringify({ Resources: { Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'Hardening-security-alerts' } } } }),
    }));
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: VAULT }));
    await backup.send(new PutBackupVaultLockConfigurationCommand({
      BackupVaultName: VAULT, MinRetentionDays: DEFAULTS.vaultLockMinRetentionDays, MaxRetentionDays: DEFAULTS.vaultLockMaxRetentionDays,
      ChangeableForDays: DEFAULTS.vaultLockChangeableForDays,
    }));
    planId = (await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: 'Resource', Rules: [
      { RuleName: 'Daily', TargetBackupVaultName: VAULT, ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: DEFAULTS.backupDailyRetentionDays } },
      { RuleName: 'Monthly', TargetBackupVaultName: VAULT, ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: DEFAULTS.backupMonthlyRetentionDays } },
    ] } }))).BackupPlanId!;
    untouched = await audit();
    // The intruder, within the lock's grace period: the lock goes, then the plan.
    await backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: VAULT }));
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: planId }));
    tampered = await audit();
  } finally {
    backup.destroy();
    cfn.destroy();
  }
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

describe('BAK-VAULTLOCK and drift against moto', () => {
  it('an untouched vault passes: locked in compliance mode with the configured retention, still in its grace period', () => {
    const [f] = byRule(untouched, 'backup-vault-lock');
    expect(f).toMatchObject({ status: 'PASS', controlId: 'BAK-VAULTLOCK', resource: { id: VAULT_ARN, region: REGION } });
    expect(f.message).toMatch(new RegExp(`^backup vault ${VAULT} in ${REGION} is locked \\(retention 90-3650 days\\) in compliance mode; the lock can still be removed until `));
  });
  it('moto has no backup selections: the existing plan\'s coverage is ERROR naming ListBackupSelections, never a pass', () => {
    const [f] = byRule(untouched, 'backup-plan-coverage');
    expect(f).toMatchObject({ status: 'ERROR', resource: { id: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:${planId}` } });
    expect(f.message).toMatch(/^cannot verify: backup:ListBackupSelections failed/);
  });
  it('the removed lock is a FAIL naming the vault and the control', () => {
    expect(byRule(tampered, 'backup-vault-lock')).toMatchObject([{
      status: 'FAIL', controlId: 'BAK-VAULTLOCK', resource: { id: VAULT_ARN },
      message: `backup vault ${VAULT} in ${REGION} has no vault lock: its recovery points can be deleted`,
    }]);
  });
  it('the deleted plan is a FAIL naming the vault it no longer backs up into', () => {
    expect(byRule(tampered, 'backup-plan-coverage')).toMatchObject([{
      status: 'FAIL', controlId: 'BAK-VAULTLOCK', resource: { id: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:*` },
      message: `no backup plan backs up into vault ${VAULT} in ${REGION}`,
    }]);
  });
  it('moto has no drift detection: the tagged stack is ERROR naming DetectStackDrift, never a pass', () => {
    expect(byRule(untouched, 'cloudformation-drift')).toMatchObject([{
      status: 'ERROR', controlId: 'LOG-TAMPER', resource: { template: 'HardeningDetection', region: REGION },
      message: expect.stringMatching(/^cannot verify: cloudformation:DetectStackDrift failed/),
    }]);
  });
  it('sent only the backup reads the policy grants', () => {
    expect(moto.actions().filter((a) => a.startsWith('backup:')).sort()).toEqual([
      'backup:DescribeBackupVault', 'backup:GetBackupPlan', 'backup:ListBackupPlans', 'backup:ListBackupSelections',
    ]);
  });
});

describe('least privilege for the recovery path and drift: policies/iam/audit-readonly.json', () => {
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
  it('allows every backup and CloudFormation action the audit sent, drift detection included', async () => {
    const sent = moto.actions().filter((a) => a.startsWith('backup:') || a.startsWith('cloudformation:'));
    expect(sent).toEqual(expect.arrayContaining(['cloudformation:DescribeStacks', 'cloudformation:DetectStackDrift']));
    for (const a of sent) expect(`${a} ${await decide(a)}`).toBe(`${a} Allowed`);
  });
  it('allows none of the writes that would stop the backups or change the stacks', async () => {
    for (const w of ['backup:DeleteBackupPlan', 'backup:UpdateBackupPlan', 'backup:DeleteBackupSelection', 'backup:DeleteBackupVaultLockConfiguration',
      'backup:PutBackupVaultLockConfiguration', 'backup:DeleteRecoveryPoint', 'backup:DeleteBackupVault', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
      'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:SetStackPolicy', 'cloudformation:UpdateTerminationProtection',
      'cloudformation:ContinueUpdateRollback', 'cloudformation:ImportStacksToStackSet']) {
      expect(`${w} ${await decide(w)}`).not.toBe(`${w} Allowed`);
    }
  });
});
