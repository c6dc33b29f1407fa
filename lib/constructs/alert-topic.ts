import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  /** Customer-managed key that encrypts the topic (IR-ROUTING, DATA-CMK). */
  readonly key: kms.IKey;
  /** E-mail addresses subscribed to the topic. */
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
 */
export class AlertTopic extends Construct {
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
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
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      this.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Allow${service.split('.')[0]}Publish`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }));
    }
  }
}
