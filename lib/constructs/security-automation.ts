import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { SECURITY_AUTOMATION_ROLE_PATH } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { CustomerManagedKey } from './customer-managed-key';

/** IAM path of the security automation roles (defined in lib/policies, beside the SCP values that exempt it). */
export { SECURITY_AUTOMATION_ROLE_PATH };

/** The construct id of the AwsCustomResource singleton function (`'AWS' + uuid without hyphens`). */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

export interface SecurityAutomationCallProps {
  readonly onCreate?: cr.AwsSdkCall;
  readonly onUpdate?: cr.AwsSdkCall;
  readonly onDelete?: cr.AwsSdkCall;
  /** What this call may do; added to the shared role as a managed policy of its own. */
  readonly statements: iam.PolicyStatement[];
  /** e.g. `Custom::AccountPasswordPolicy` */
  readonly resourceType: string;
}

export interface SecurityAutomationCall {
  readonly resource: cr.AwsCustomResource;
  readonly policy: iam.ManagedPolicy;
}

/**
 * The one role and function per stack that run AWS SDK calls at deployment (AwsCustomResource).
 * The role sits on SECURITY_AUTOMATION_ROLE_PATH and holds only managed policies (no inline
 * policy); the function has a fixed name and writes to its own log group, encrypted with a
 * customer-managed key and kept three years (LOG-RETENTION), both retained.
 */
export class SecurityAutomation extends Construct {
  /** The stack's SecurityAutomation, created on first use. */
  public static of(scope: IConstruct): SecurityAutomation {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild('SecurityAutomation') as SecurityAutomation | undefined) ?? new SecurityAutomation(stack, 'SecurityAutomation');
  }

  public readonly role: iam.Role;
  public readonly functionName: string;
  public readonly logGroup: logs.LogGroup;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.functionName = `${scope.stackName}-SecurityAutomation`.slice(0, 64);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: SECURITY_AUTOMATION_ROLE_PATH,
      description: 'runs deployment-time AWS SDK calls of cdk-hardening security controls',
      maxSessionDuration: Duration.hours(1),
    });
    const logGroup = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${this.functionName}`;
    const key = new CustomerManagedKey(this, 'LogKey', {
      alias: `hardening/security-automation/${scope.stackName}`,
      description: 'encrypts the log group of the security-automation function',
    });
    key.allowService('logs', ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroup },
    }, 'AllowCloudWatchLogsEncrypt');
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      encryptionKey: key.key,
      retention: logs.RetentionDays.THREE_YEARS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      roles: [this.role],
      description: 'lets the security-automation function write its own log group',
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup}:*`] }),
      ],
    });
    acknowledgeNag(logsPolicy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${this.functionName}:*]`,
      'log streams of the function\'s own, named log group; Lambda generates the stream names');
  }

  /** One AwsCustomResource run by the shared role and function, with its own managed policy. */
  public call(scope: Construct, id: string, props: SecurityAutomationCallProps): SecurityAutomationCall {
    const policy = new iam.ManagedPolicy(scope, `${id}Policy`, { roles: [this.role], statements: props.statements });
    const resource = new cr.AwsCustomResource(scope, id, {
      resourceType: props.resourceType,
      onCreate: props.onCreate,
      onUpdate: props.onUpdate,
      onDelete: props.onDelete,
      role: this.role,
      functionName: this.functionName,
      logGroup: this.logGroup,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    resource.node.addDependency(policy);
    this.acknowledgeProvider();
    return { resource, policy };
  }

  private acknowledgeProvider(): void {
    const provider = Stack.of(this).node.tryFindChild(PROVIDER_ID);
    if (!provider) return;
    if (provider.node.metadata.some((m) => m.type === 'cdk-hardening:acknowledged')) return;
    provider.node.addMetadata('cdk-hardening:acknowledged', true);
    const why = 'runs once per deployment, invoked synchronously by CloudFormation';
    acknowledgeNag(provider, 'NIST.800.53.R5-LambdaConcurrency', `${why}; a concurrency limit has nothing to limit`);
    acknowledgeNag(provider, 'NIST.800.53.R5-LambdaDLQ', `${why}; a failure fails the deployment, so there is no lost event to queue`);
    acknowledgeNag(provider, 'NIST.800.53.R5-LambdaInsideVPC', `${why}; it only calls the IAM/GuardDuty control-plane APIs and touches no data in the VPC`);
  }
}
