import { Aws, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccountPasswordPolicy } from '../constructs/account-password-policy';
import { acknowledgeNag } from '../constructs/acknowledge';
import { alertEmailsOrParameter } from '../constructs/alert-topic';
import { BackupChangeAlerts } from '../constructs/backup-change-alerts';
import { AccessLevel } from '../constructs/human-access';
import { HumanRole } from '../constructs/human-role';
import { LockedBackupVault } from '../constructs/locked-backup-vault';
import { OrganizationAuditRole, OrganizationAuditRoleProps } from '../constructs/organization-audit-role';
import { SecurityAlerts } from '../constructs/security-alerts';
import { StackSetTemplateSynthesizer } from '../constructs/stackset-template';
import { TaggedBackupPlan } from '../constructs/tagged-backup-plan';

/** The AWS managed policies AWS Backup's role needs to back up and restore every resource type the tag may select. */
const BACKUP_SERVICE_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup', 'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore',
];

export interface BaselineGlobalStackProps extends StackProps {
  /**
   * Accounts the template never deploys to (the management account, the targets' excluded accounts):
   * the pack knows its boundary caps nobody there.
   */
  readonly excludedAccounts?: readonly string[];
  /** Prefix of role names, as in account mode. */
  readonly namePrefix: string;
  /** MFA-bound human roles, one per level; none when empty. */
  readonly accessLevels: readonly AccessLevel[];
  readonly mfaMaxAgeSeconds: number;
  readonly roleMaxSessionSeconds: number;
  readonly passwordMaxAgeDays: number;
  readonly audit: OrganizationAuditRoleProps;
  /** The role AWS Backup uses in every region (the regional template's plans name it). */
  readonly backupRoleName: string;
}

/**
 * The global baseline, one stack per member account (in the home region; IAM is global): the
 * permissions boundary on every role (PermissionsBoundaryAspect), the account password policy, the organization audit role trusted
 * only by the auditor role of the security-tooling account, MFA-bound human roles, and the AWS Backup role the regional
 * baseline's plans use. A StackSet template: env-agnostic, asset-free, no bootstrap rule.
 */
export class BaselineGlobalStack extends Stack {
  public readonly auditRole: OrganizationAuditRole;
  public readonly backupRole: iam.Role;
  public readonly humanRoles: Partial<Record<AccessLevel, HumanRole>> = {};
  public readonly passwordPolicy: AccountPasswordPolicy;

  constructor(scope: Construct, id: string, props: BaselineGlobalStackProps) {
    super(scope, id, { ...props, synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: props.excludedAccounts }) });
    this.auditRole = new OrganizationAuditRole(this, 'AuditRole', props.audit);
    // In a StackSet template the policy is set by a function with inline code (no asset).
    this.passwordPolicy = new AccountPasswordPolicy(this, 'PasswordPolicy', { maxPasswordAgeDays: props.passwordMaxAgeDays });
    for (const level of props.accessLevels) {
      this.humanRoles[level] = new HumanRole(this, `${level[0].toUpperCase()}${level.slice(1)}Role`, {
        accessLevel: level,
        roleName: `${props.namePrefix}-${level}`,
        maxSessionDuration: Duration.seconds(props.roleMaxSessionSeconds),
        mfaMaxAge: Duration.seconds(props.mfaMaxAgeSeconds),
      });
    }
    this.backupRole = new iam.Role(this, 'BackupRole', {
      roleName: props.backupRoleName,
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: backs up and restores the resources tagged for backup, in every governed region',
      managedPolicies: BACKUP_SERVICE_POLICIES.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    for (const p of BACKUP_SERVICE_POLICIES) {
      acknowledgeNag(this.backupRole, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`,
        `${p.split('/').pop()} is the AWS-maintained policy AWS Backup needs to back up and restore the resource types the backup tag may select`);
    }
  }
}

export interface BaselineRegionalStackProps extends StackProps {
  /**
   * Accounts the template never deploys to (the management account, the targets' excluded accounts):
   * the pack knows its boundary caps nobody there.
   */
  readonly excludedAccounts?: readonly string[];
  /** @default - a CloudFormation parameter AlertEmail, which the StackSet passes on */
  readonly alertEmails?: readonly string[];
  /** The SCP-protected prefix of the alert rule and topic names. */
  readonly securityNamePrefix: string;
  readonly breakGlassRoleName: string;
  readonly vault: {
    readonly vaultName: string;
    readonly minRetentionDays: number;
    readonly maxRetentionDays: number;
    readonly changeableForDays: number;
  };
  readonly plan: { readonly dailyRetentionDays: number; readonly monthlyRetentionDays: number };
  /** The AWS Backup role of the global baseline. */
  readonly backupRoleName: string;
}

/**
 * The regional baseline, one stack per member account and governed region: a locked backup vault and a
 * plan over every tagged resource, alerts on every change to them, and the alert rules that must live in
 * each account (root and no-MFA sign-in, MFA device and IAM persistence changes, break-glass use, tampering
 * with the log, alert and detection pipelines) to an encrypted topic. No detector: GuardDuty's organization
 * configuration creates it. No IAM role either: a named role would collide across regions, so the plan
 * uses the global baseline's backup role.
 */
export class BaselineRegionalStack extends Stack {
  public readonly vault: LockedBackupVault;
  public readonly plan: TaggedBackupPlan;
  public readonly alerts: SecurityAlerts;
  public readonly backupAlerts: BackupChangeAlerts;

  constructor(scope: Construct, id: string, props: BaselineRegionalStackProps) {
    super(scope, id, { ...props, synthesizer: new StackSetTemplateSynthesizer({ excludedAccounts: props.excludedAccounts }) });
    const backupRoleArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${props.backupRoleName}`;
    this.vault = new LockedBackupVault(this, 'Vault', { ...props.vault, keyUserArns: [backupRoleArn] });
    this.plan = new TaggedBackupPlan(this, 'Plan', {
      vault: this.vault.vault,
      dailyRetentionDays: props.plan.dailyRetentionDays,
      monthlyRetentionDays: props.plan.monthlyRetentionDays,
      lockRetentionDays: { min: props.vault.minRetentionDays, max: props.vault.maxRetentionDays },
      role: iam.Role.fromRoleArn(this, 'BackupRole', backupRoleArn, { mutable: false }),
    });
    this.alerts = new SecurityAlerts(this, 'Alerts', {
      emails: alertEmailsOrParameter(this, props.alertEmails), namePrefix: props.securityNamePrefix, breakGlassRoleName: props.breakGlassRoleName,
    });
    this.backupAlerts = new BackupChangeAlerts(this, 'BackupChangeAlerts', { topic: this.alerts.topic, namePrefix: props.securityNamePrefix });
  }
}
