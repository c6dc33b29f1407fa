import { readFileSync } from 'fs';
import { join } from 'path';
import { App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { BACKUP_CHANGE_EVENTS } from '../../lib/constructs/backup-change-alerts';
import { HARDENED_BOOTSTRAP_VERSION, HardenedBootstrap } from '../../lib/constructs/hardened-bootstrap';
import { LockedBackupVault } from '../../lib/constructs/locked-backup-vault';
import { DEFAULTS } from '../../lib/config/defaults';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext, testStack } from '../helpers/app';
import { decideWithResource, resolve, roleArn } from '../policies/killchain-attack-helpers';
import { ACCOUNT } from '../policies/simulate';

/**
 * Issue 10 items 5, 9 and 11: the stacks deploy through the pipeline's execution role, the
 * hardened bootstrap trusts only the pipeline, and backups are neither stopped quietly nor kept
 * shorter than known dwell times.
 */

const CI = `arn:aws:iam::${ACCOUNT}:role/github-actions-deploy`;
const config = parseConfig({ ...cdkJsonContext(), 'hardening:account': ACCOUNT, 'hardening:backupCopyAccountVaultArn': 'arn:aws:backup:us-east-1:444455556666:backup-vault:central-locked' });
const app = new App({ context: cdkJsonContext() });
const env = buildHardenedEnvironment(app, config);

describe('item 11: every stack deploys through the pipeline execution role', () => {
  it.each(env.stacks.map((s) => [s.stackName, s] as const))('%s names the pipeline role as its CloudFormation execution role', (_n, stack) => {
    expect(stack.synthesizer).toBeInstanceOf(DefaultStackSynthesizer);
    expect((stack.synthesizer as DefaultStackSynthesizer).cloudFormationExecutionRoleArn)
      .toBe(`arn:\${AWS::Partition}:iam::${ACCOUNT}:role/${config.pipelineRoleName}`);
  });

  it('and the key policies name that role and break-glass as the only key administrators', () => {
    for (const stack of env.stacks) {
      for (const key of Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))) {
        const admin = (resolve(key.Properties.KeyPolicy) as { Statement: { Sid: string; Condition?: { ArnLike?: Record<string, string[]> } }[] })
          .Statement.find((s) => s.Sid === 'NamedKeyAdministrators');
        expect([stack.stackName, admin?.Condition?.ArnLike?.['aws:PrincipalArn']]).toEqual([stack.stackName, [roleArn(config.pipelineRoleName), roleArn('BreakGlass')]]);
      }
    }
  });
});

describe('item 5: the hardened CDK bootstrap', () => {
  const bootstrapApp = new App();
  const bootstrap = new HardenedBootstrap(bootstrapApp, 'CDKToolkit', { pipelinePrincipalArns: [CI], pipelineRoleName: config.pipelineRoleName });
  const t = Template.fromStack(bootstrap);
  const roles = t.findResources('AWS::IAM::Role');
  const byName = (fragment: string) => Object.values(roles).find((r) => JSON.stringify(r.Properties.RoleName).includes(fragment))!;
  const trust = (fragment: string) => resolve(JSON.parse(JSON.stringify(byName(fragment).Properties.AssumeRolePolicyDocument))) as object;

  it('the deploy and file-publishing roles trust the pipeline\'s CI role, not the whole account', async () => {
    for (const fragment of ['deploy-role', 'file-publishing-role']) {
      const policy = trust(fragment);
      expect(JSON.stringify(policy)).not.toMatch(/:root"/);
      const resource = roleArn(`cdk-hnb659fds-${fragment}-${ACCOUNT}-us-east-1`);
      expect([fragment, await decideWithResource({ principal: CI, action: 'sts:AssumeRole', resource, resourcePolicy: policy })]).toEqual([fragment, 'Allowed']);
      // An operator with MFA, holding AdministratorAccess, is not trusted.
      expect([fragment, await decideWithResource({
        principal: roleArn('Hardening-operators'), action: 'sts:AssumeRole', resource, resourcePolicy: policy, context: { 'aws:MultiFactorAuthPresent': 'true' },
      })]).toEqual([fragment, 'ImplicitlyDenied']);
    }
  });

  it('CloudFormation deploys through the pipeline execution role: least-privilege policy, a permissions boundary, no AdministratorAccess', () => {
    const exec = byName(config.pipelineRoleName);
    expect(exec.Properties.RoleName).toBe(config.pipelineRoleName);
    expect(exec.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' } },
    ]);
    expect(exec.Properties.PermissionsBoundary).toBeDefined();
    expect(JSON.stringify(t.toJSON())).not.toContain('AdministratorAccess');
  });

  it('the deploy role may pass only the pipeline execution role, and only to CloudFormation', () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument.Statement).flat();
    const pass = policies.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } });
    expect(JSON.stringify(pass[0].Resource)).toContain('CloudFormationExecutionRole');
  });

  it('provides the outputs and version parameter the CDK CLI reads, at least the version the app asks for', () => {
    t.hasOutput('BucketName', {});
    t.hasOutput('BucketDomainName', {});
    t.hasOutput('BootstrapVersion', { Value: String(HARDENED_BOOTSTRAP_VERSION) });
    t.hasResourceProperties('AWS::SSM::Parameter', { Value: String(HARDENED_BOOTSTRAP_VERSION) });
    const out = app.synth();
    for (const artifact of out.stacks) {
      const required = (artifact.manifest.properties as { requiresBootstrapStackVersion?: number }).requiresBootstrapStackVersion ?? 0;
      // (The optional lookup role asks for 8; without it the CLI falls back to the caller's credentials for diffs.)
      expect([artifact.stackName, required > 0 && required <= HARDENED_BOOTSTRAP_VERSION]).toEqual([artifact.stackName, true]);
    }
  });

  it('fails when no pipeline principal is named, or one is not a role ARN', () => {
    expect(() => new HardenedBootstrap(new App(), 'A', { pipelinePrincipalArns: [], pipelineRoleName: 'p' })).toThrow(/pipelinePrincipalArns must name at least one CI role/);
    expect(() => new HardenedBootstrap(new App(), 'B', { pipelinePrincipalArns: ['arn:aws:iam::123456789012:root'], pipelineRoleName: 'p' }))
      .toThrow("pipelinePrincipalArns: 'arn:aws:iam::123456789012:root' is not an IAM role ARN");
  });

  it('is documented with the command that installs it', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'hardened-bootstrap.md'), 'utf8');
    expect(doc).toContain('cdk bootstrap');
    expect(doc).toContain('--template');
  });
});

describe('item 9: backups are neither stopped quietly nor kept shorter than dwell times', () => {
  const recovery = Template.fromStack(env.recovery);

  it('an EventBridge rule with the protected security name sends every backup change to the alert topic', () => {
    const rules = Object.values(recovery.findResources('AWS::Events::Rule'));
    const rule = rules.find((r) => r.Properties.Name === 'Hardening-security-backup-changes')!;
    expect(rule.Properties.EventPattern.source).toEqual(['aws.backup']);
    expect([...rule.Properties.EventPattern.detail.eventName].sort()).toEqual([...BACKUP_CHANGE_EVENTS].sort());
    for (const e of ['DeleteBackupPlan', 'DeleteBackupSelection', 'DeleteBackupVaultLockConfiguration', 'DeleteRecoveryPoint']) {
      expect(rule.Properties.EventPattern.detail.eventName).toContain(e);
    }
    expect(JSON.stringify(rule.Properties.Targets)).toMatch(/AlertsTopic/);
    recovery.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Hardening-security-rule-failed-backup-changes', MetricName: 'FailedInvocations' });
  });

  it('the vault lock keeps recovery points at least 90 days by default, over twice the 41-day dwell of the Bayview breach', () => {
    expect(DEFAULTS.vaultLockMinRetentionDays).toBeGreaterThanOrEqual(2 * 41);
    recovery.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 90 } });
    const { stack } = testStack();
    new LockedBackupVault(stack, 'V');
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: DEFAULTS.vaultLockMinRetentionDays } });
  });

  it('copies every recovery point to a vault of another account when configured', () => {
    const [plan] = Object.values(recovery.findResources('AWS::Backup::BackupPlan'));
    for (const rule of plan.Properties.BackupPlan.BackupPlanRule) {
      expect(JSON.stringify(rule.CopyActions)).toContain('arn:aws:backup:us-east-1:444455556666:backup-vault:central-locked');
    }
  });

  it('the backup role is named, and the vault key names it as its only user', () => {
    recovery.hasResourceProperties('AWS::IAM::Role', { RoleName: 'Hardening-backup-service' });
    const [key] = Object.values(recovery.findResources('AWS::KMS::Key'));
    const use = (resolve(key.Properties.KeyPolicy) as { Statement: { Sid: string; Condition: { ArnLike: Record<string, string[]> } }[] })
      .Statement.find((s) => s.Sid === 'KeyUseThroughServices')!;
    expect(use.Condition.ArnLike['aws:PrincipalArn']).toEqual([roleArn('Hardening-backup-service')]);
  });
});

describe('item 6: bulk reads of PII tables leave a trace', () => {
  it('the trail records item-level events (read and write) of every PII table', () => {
    const [trail] = Object.values(Template.fromStack(env.logging).findResources('AWS::CloudTrail::Trail'));
    const selectors = trail.Properties.EventSelectors as { DataResources?: { Type: string; Values: unknown[] }[]; ReadWriteType: string }[];
    const dynamo = selectors.filter((s) => s.DataResources?.some((d) => d.Type === 'AWS::DynamoDB::Table'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0].ReadWriteType).toBe('All');
    expect(dynamo[0].DataResources![0].Values).toHaveLength(env.data.tables.length);
    expect(env.data.tables.length).toBeGreaterThan(0);
  });
});
