import { Stack, StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alertEmailsOrParameter } from '../constructs/alert-topic';
import { GuardDutyDetector } from '../constructs/guardduty-detector';
import { SecurityAlerts } from '../constructs/security-alerts';
import { SecurityHub } from '../constructs/security-hub';
import { detectionWiring } from '../constructs/wiring';

export interface DetectionStackProps extends StackProps {
  /** Adopt the account's existing GuardDuty detector instead of creating one. */
  readonly adoptExistingDetector: boolean;
  readonly securityHub: boolean;
  /** Adopt the Security Hub already enabled in the account/region instead of creating one. @default false */
  readonly adoptExistingSecurityHub?: boolean;
  /** @default - a CloudFormation parameter AlertEmail, given at deploy time */
  readonly alertEmails?: readonly string[];
  /** Prefix of the alert rule and topic names; the protect-security-services SCP protects it. */
  readonly securityNamePrefix: string;
  /** The role whose every use alerts. */
  readonly breakGlassRoleName: string;
  /** Where the alarms on the rules' FailedInvocations go: a topic under another key (the logging stack's). */
  readonly failureTopic?: sns.ITopic;
}

/**
 * Malware is seen (L3) and response starts in minutes (L9): GuardDuty with every protection plan,
 * high-severity findings and risky sign-ins routed to an encrypted topic, optional Security Hub.
 * Stateful (the alert key): termination protection on.
 */
export class DetectionStack extends Stack {
  public readonly detector: GuardDutyDetector;
  public readonly alerts: SecurityAlerts;
  public readonly securityHub?: SecurityHub;

  constructor(scope: Construct, id: string, props: DetectionStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const wired = detectionWiring(this, {
      adoptExistingDetector: props.adoptExistingDetector,
      emails: alertEmailsOrParameter(this, props.alertEmails), namePrefix: props.securityNamePrefix,
      breakGlassRoleName: props.breakGlassRoleName, failureTopic: props.failureTopic,
    });
    this.detector = wired.detector;
    this.alerts = wired.alerts;
    if (props.securityHub) this.securityHub = new SecurityHub(this, 'SecurityHub', { adoptExisting: props.adoptExistingSecurityHub });
  }
}
