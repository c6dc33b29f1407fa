import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { CustomerManagedKey } from './customer-managed-key';
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
}

/**
 * Response starts in minutes (IR-ROUTING): EventBridge rules for GuardDuty findings of severity
 * >= 7, root sign-in and console sign-in without MFA, delivered to a topic encrypted with a
 * customer-managed key (rotation on, retained) and subscribed by the given addresses.
 */
export class SecurityAlerts extends Construct {
  public readonly key: CustomerManagedKey;
  public readonly topic: sns.Topic;
  public readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error('emails must list at least one address: alerts that reach nobody are not response (IR-ROUTING)');
    for (const e of props.emails) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw new Error(`emails: '${e}' is not an e-mail address`);
    }
    const prefix = props.namePrefix ?? 'cdk-hardening-security-';
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(prefix)) throw new Error(`namePrefix must be 1-40 letters, digits, '.', '_' or '-', got '${prefix}'`);
    const stack = Stack.of(this);
    this.key = new CustomerManagedKey(this, 'Key', {
      alias: props.keyAlias ?? 'hardening/security-alerts',
      description: 'encrypts the security alert topic',
    });
    this.key.allowService('events', ['kms:GenerateDataKey*', 'kms:Decrypt'], { StringEquals: { 'aws:SourceAccount': stack.account } }, 'AllowEventBridgeToPublishEncrypted');
    this.topic = new AlertTopic(this, 'Topic', {
      key: this.key.key, emails: props.emails, displayName: 'Security alerts: GuardDuty, root and no-MFA sign-in', topicName: `${prefix}alerts`,
    }).topic;
    for (const [suffix, eventPattern] of Object.entries(SECURITY_EVENT_PATTERNS)) {
      this.rules[suffix] = new events.Rule(this, pascal(suffix), {
        ruleName: `${prefix}${suffix}`,
        description: `cdk-hardening IR-ROUTING: ${suffix.replace(/-/g, ' ')}`,
        eventPattern,
        targets: [new ConditionedTopicTarget(this.topic)],
      });
    }
  }
}

/**
 * Sends a rule's events to the alert topic without granting anything more. CDK's SnsTopic target
 * grants events.amazonaws.com sns:Publish and key use with no condition, which would let EventBridge
 * rules of any account publish to the topic; AlertTopic and the key policy already admit
 * EventBridge of this account only (aws:SourceAccount).
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
