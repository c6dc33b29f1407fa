import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RuleFailureAlarms } from './rule-failure-alarms';

/**
 * AWS Backup calls that stop, shorten or remove backups (issue 10 item 9, T1490 inhibit system
 * recovery): plans and selections, the vault, its lock, access policy and notifications, recovery
 * points and the account's opt-in settings. The permissions boundary and the protect-recovery SCP
 * deny them to everyone but the pipeline and break-glass; this list makes their use visible.
 */
export const BACKUP_CHANGE_EVENTS = [
  'DeleteBackupPlan', 'UpdateBackupPlan', 'DeleteBackupSelection', 'CreateBackupSelection',
  'DeleteBackupVault', 'DeleteBackupVaultAccessPolicy', 'PutBackupVaultAccessPolicy',
  'DeleteBackupVaultLockConfiguration', 'PutBackupVaultLockConfiguration',
  'DeleteBackupVaultNotifications', 'PutBackupVaultNotifications',
  'DeleteRecoveryPoint', 'UpdateRecoveryPointLifecycle', 'DisassociateRecoveryPoint', 'DisassociateRecoveryPointFromParent',
  'StopBackupJob', 'UpdateRegionSettings', 'UpdateGlobalSettings',
] as const;

/** The EventBridge pattern of every backup change (CloudTrail management events of AWS Backup). */
export const BACKUP_CHANGE_PATTERN: events.EventPattern = {
  source: ['aws.backup'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['backup.amazonaws.com'], eventName: [...BACKUP_CHANGE_EVENTS] },
};

/** The rule is named `<namePrefix>backup-changes`. */
export const BACKUP_RULE_SUFFIX = 'backup-changes';

export interface BackupChangeAlertsProps {
  /** The encrypted alert topic (it must admit EventBridge of this account, as AlertTopic does). */
  readonly topic: sns.ITopic;
  /** Where the alarm on failed deliveries goes: a topic under another key. @default - `topic` */
  readonly failureTopic?: sns.ITopic;
  /** Rule name `<prefix>backup-changes`; give the SCP-protected security prefix. */
  readonly namePrefix: string;
}

/**
 * Backups are not stopped quietly (BAK-VAULTLOCK, IR-ROUTING): an EventBridge rule sends every
 * change of backup plans, selections, the vault, its lock and recovery points to the alert topic,
 * with an alarm on the rule's failed deliveries.
 */
export class BackupChangeAlerts extends Construct {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: BackupChangeAlertsProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(props.namePrefix)) throw new Error(`namePrefix must be 1-40 letters, digits, '.', '_' or '-', got '${props.namePrefix}'`);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: `${props.namePrefix}${BACKUP_RULE_SUFFIX}`,
      description: 'cdk-hardening BAK-VAULTLOCK: a backup plan, selection, vault, lock or recovery point changed',
      eventPattern: BACKUP_CHANGE_PATTERN,
      targets: [new TopicOnlyTarget(props.topic)],
    });
    new RuleFailureAlarms(this, 'DeliveryFailures', {
      rules: { [BACKUP_RULE_SUFFIX]: this.rule },
      topic: props.failureTopic ?? props.topic,
      alarmNamePrefix: props.namePrefix,
    });
  }
}

/**
 * Targets the topic without CDK's SnsTopic grant (events.amazonaws.com with no condition): the
 * alert topic's own policy admits EventBridge of this account.
 */
class TopicOnlyTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}
