import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { CustomerManagedKey } from './customer-managed-key';
import {
  ALERT_PIPELINE_TAMPER_EVENTS, DETECTOR_TAMPER_EVENTS, IAM_PERSISTENCE_EVENTS, LOG_PIPELINE_TAMPER_EVENTS, MFA_DEVICE_EVENTS,
} from './killchain-events';
import { RuleFailureAlarms } from './rule-failure-alarms';
import { DEFAULTS } from '../config/defaults';
import { GUARDDUTY_HIGH_SEVERITY } from '../lessons';

/** GuardDuty severity at and above which a finding pages people: high is 7.0–8.9, critical 9+. */
export const HIGH_SEVERITY = GUARDDUTY_HIGH_SEVERITY;

/** The event patterns that page people, by rule name suffix. */
export const SECURITY_EVENT_PATTERNS: Readonly<Record<string, events.EventPattern>> = {
  'guardduty-high-severity': {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', HIGH_SEVERITY] }] },
  },
  'root-sign-in': {
    source: ['aws.signin'],
    detailType: ['AWS Console Sign In via CloudTrail'],
    detail: { userIdentity: { type: ['Root'] } },
  },
  // Federated sign-ins prove MFA at the identity provider and report MFAUsed "No": only IAM
  // users and root sign in to the console with an AWS password, so only they are matched.
  'console-sign-in-without-mfa': {
    source: ['aws.signin'],
    detailType: ['AWS Console Sign In via CloudTrail'],
    detail: {
      eventName: ['ConsoleLogin'],
      userIdentity: { type: ['IAMUser', 'Root'] },
      additionalEventData: { MFAUsed: ['No'] },
      responseElements: { ConsoleLogin: ['Success'] },
    },
  },
};

/**
 * An EventBridge pattern for CloudTrail API calls of the given events, by CloudTrail event source. It
 * matches on the CloudTrail record's own eventSource and eventName (the event's `source` is a
 * per-service alias that is not always the event source's prefix, so it is not matched).
 */
function apiCalls(bySource: Readonly<Record<string, readonly string[]>>): events.EventPattern {
  return {
    detailType: ['AWS API Call via CloudTrail'],
    detail: { eventSource: Object.keys(bySource), eventName: [...new Set(Object.values(bySource).flat())] },
  };
}

/**
 * The kill-chain patterns (issue 10), which EventBridge sees only in the region of the rule: IAM
 * events (MFA devices) only in us-east-1, where IAM records them; the break-glass role's calls in this
 * region. KillChainAlarms' metric filters on the multi-region trail's log group see every region.
 */
export function killChainEventPatterns(breakGlassRoleName: string): Record<string, events.EventPattern> {
  return {
    'mfa-device-change': apiCalls({ 'iam.amazonaws.com': MFA_DEVICE_EVENTS }),
    'iam-persistence': apiCalls(IAM_PERSISTENCE_EVENTS),
    'break-glass-use': {
      detailType: ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
      detail: {
        $or: [
          { userIdentity: { sessionContext: { sessionIssuer: { userName: [breakGlassRoleName] } } } },
          { requestParameters: { roleArn: [{ suffix: `:role/${breakGlassRoleName}` }] } },
        ],
      },
    },
    'log-pipeline-tampering': apiCalls(LOG_PIPELINE_TAMPER_EVENTS),
    'alert-pipeline-tampering': apiCalls(ALERT_PIPELINE_TAMPER_EVENTS),
    'detector-tampering': apiCalls(DETECTOR_TAMPER_EVENTS),
  };
}

export interface SecurityAlertsProps {
  /** Addresses subscribed to the topic; at least one. */
  readonly emails: readonly string[];
  /**
   * Prefix of the rule and topic names. The protect-security-services SCP protects names with
   * this prefix, so keep it equal to the SCP's SecurityNamePrefix.
   * @default 'cdk-hardening-security-'
   */
  readonly namePrefix?: string;
  /** @default 'hardening/security-alerts' */
  readonly keyAlias?: string;
  /** The role whose every use alerts (break-glass). @default DEFAULTS.breakGlassRoleName */
  readonly breakGlassRoleName?: string;
  /**
   * Where the alarms on the rules' FailedInvocations go. Give a topic encrypted with another key, so
   * a broken key policy cannot silence the alerts and the news of their failure together.
   * @default - this construct's own topic
   */
  readonly failureTopic?: sns.ITopic;
}

/**
 * Response starts in minutes (IR-ROUTING): EventBridge rules for GuardDuty findings of severity
 * >= 7, root sign-in, console sign-in without MFA, MFA device changes, break-glass use and changes to
 * the log and alert pipelines, delivered to a topic encrypted with a customer-managed key (rotation
 * on, retained) and subscribed by the given addresses; an alarm on each rule's FailedInvocations.
 */
export class SecurityAlerts extends Construct {
  public readonly key: CustomerManagedKey;
  public readonly topic: sns.Topic;
  public readonly rules: Record<string, events.Rule> = {};
  public readonly failureAlarms: RuleFailureAlarms;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    // AlertTopic refuses an empty list, malformed addresses and reserved domains.
    const prefix = props.namePrefix ?? 'cdk-hardening-security-';
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(prefix)) throw new Error(`namePrefix must be 1-40 letters, digits, '.', '_' or '-', got '${prefix}'`);
    this.key = new CustomerManagedKey(this, 'Key', {
      alias: props.keyAlias ?? 'hardening/security-alerts',
      description: 'encrypts the security alert topic',
    });
    // AlertTopic admits EventBridge and CloudWatch to the key (without aws:SourceAccount, which
    // EventBridge does not send to KMS) and to the topic (with it).
    this.topic = new AlertTopic(this, 'Topic', {
      key: this.key.key, emails: props.emails, displayName: 'Security alerts: GuardDuty, root and no-MFA sign-in', topicName: `${prefix}alerts`,
    }).topic;
    const patterns = { ...SECURITY_EVENT_PATTERNS, ...killChainEventPatterns(props.breakGlassRoleName ?? DEFAULTS.breakGlassRoleName) };
    for (const [suffix, eventPattern] of Object.entries(patterns)) {
      this.rules[suffix] = new events.Rule(this, pascal(suffix), {
        ruleName: `${prefix}${suffix}`,
        description: `cdk-hardening IR-ROUTING: ${suffix.replace(/-/g, ' ')}`,
        eventPattern,
        targets: [new ConditionedTopicTarget(this.topic)],
      });
    }
    this.failureAlarms = new RuleFailureAlarms(this, 'FailedInvocations', {
      rules: this.rules, topic: props.failureTopic ?? this.topic, alarmNamePrefix: prefix,
    });
  }
}

/**
 * Sends a rule's events to the alert topic without granting anything more. CDK's SnsTopic target
 * grants events.amazonaws.com sns:Publish with no condition, which would let EventBridge rules of any
 * account publish to the topic; AlertTopic's topic policy admits EventBridge of this account only
 * (aws:SourceAccount), and its key policy admits EventBridge without it (not sent to KMS).
 */
class ConditionedTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}

function pascal(s: string): string {
  return s.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
