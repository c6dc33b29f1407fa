import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EMAIL } from '../config/alert-emails';

/** The AWS services that publish alerts to the topic: CloudWatch alarms and EventBridge rules. */
export const ALERT_PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] as const;

/** What a publisher needs of the topic's key to publish to an encrypted topic. */
export const ALERT_PUBLISHER_KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

/** Id of the deploy-time parameter that carries the alert address when none is configured. */
export const ALERT_EMAIL_PARAMETER = 'AlertEmail';

/**
 * The configured alert addresses, or — when none is configured — a CloudFormation parameter with no
 * default, so that synthesis works offline while a deployment cannot start without a real address
 * (`cdk deploy --parameters <Stack>:AlertEmail=oncall@your.org`). One parameter per stack.
 */
export function alertEmailsOrParameter(scope: Construct, emails?: readonly string[]): readonly string[] {
  if (emails !== undefined) return emails;
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(ALERT_EMAIL_PARAMETER) as CfnParameter | undefined;
  const param = existing ?? new CfnParameter(stack, ALERT_EMAIL_PARAMETER, {
    type: 'String',
    description: 'address that receives the security alerts (IR-ROUTING): the on-call mailbox, never a reserved documentation domain',
    allowedPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
    constraintDescription: 'must be an e-mail address',
  });
  return [param.valueAsString];
}

export interface AlertTopicProps {
  /**
   * Customer-managed key that encrypts the topic (IR-ROUTING, DATA-CMK). When it is a key of this
   * app, its policy is given the statements the publishers need; an imported key must already have them.
   */
  readonly key: kms.IKey;
  /** E-mail addresses subscribed to the topic; at least one. */
  readonly emails: readonly string[];
  /** @default - generated */
  readonly displayName?: string;
  /**
   * Physical name; give one under the protect-security-services SCP's name prefix so the topic
   * cannot be deleted or re-pointed. @default - generated
   */
  readonly topicName?: string;
}

/**
 * The KMS-encrypted SNS topic high-severity findings and alarms reach people through (IR-ROUTING).
 * Publishing requires TLS; CloudWatch alarms and EventBridge rules of this account may publish.
 *
 * The topic policy binds the publishers to this account (aws:SourceAccount, which both services send
 * to SNS). The key policy admits them with no source condition: EventBridge does not send
 * aws:SourceAccount or aws:SourceArn to KMS when it publishes to an encrypted topic (SNS developer
 * guide, key management, "compatibility with AWS services"), so such a condition drops every alert and
 * leaves only the rule's FailedInvocations metric as a trace. No other condition is known to hold on
 * that KMS call, so none is added: the bound is the topic policy, which a foreign rule cannot pass.
 */
export class AlertTopic extends Construct {
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error('emails must list at least one address: alerts that reach nobody are not response (IR-ROUTING)');
    // The format only: a reserved documentation domain is refused by the app's configuration
    // (lib/config alertEmailProblem), where the deployer chooses the address.
    for (const e of props.emails) {
      if (!Token.isUnresolved(e) && !EMAIL.test(e)) throw new Error(`emails: '${e}' is not an e-mail address`);
    }
    this.topic = new sns.Topic(this, 'Resource', {
      masterKey: props.key,
      displayName: props.displayName ?? 'Security alerts',
      topicName: props.topicName,
      enforceSSL: true,
    });
    for (const email of props.emails) {
      this.topic.addSubscription(new subs.EmailSubscription(email));
    }
    const account = Stack.of(this).account;
    for (const service of ALERT_PUBLISHERS) {
      const name = service.split('.')[0];
      this.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Allow${name}Publish`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }));
      props.key.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Allow${name}ToPublishEncrypted`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ALERT_PUBLISHER_KEY_ACTIONS,
        resources: ['*'],
      }), /* allowNoOp */ true);
    }
  }
}
