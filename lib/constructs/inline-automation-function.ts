import { Aws, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag } from './acknowledge';
import { CustomerManagedKey } from './customer-managed-key';
import { inlineHandlerSource } from './inline-handler';
import { SECURITY_AUTOMATION_ROLE_PATH } from './security-automation';

export interface InlineAutomationFunctionProps {
  /** The handler module under lib/constructs/handlers, e.g. `organization`. */
  readonly handler: string;
  /** Appended to `<stack name>-SecurityAutomation-`; the name the permissions boundary protects. */
  readonly nameSuffix: string;
  /** What the function does, for the role and the function. */
  readonly description: string;
  /** Everything the function may do besides writing its own logs: its one managed policy. */
  readonly statements: iam.PolicyStatement[];
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
}

/**
 * A deployment-time function of a custom resource, with inline code (no file asset) and a role of
 * its own: on SECURITY_AUTOMATION_ROLE_PATH (the path the permissions boundary lets make security
 * changes; the boundary itself is added by PermissionsBoundaryAspect like on every role), holding one
 * managed policy with exactly `statements` and one for its own log group — no inline policy.
 * The function is named `<stack>-SecurityAutomation-<suffix>`, which the boundary protects from other
 * roles; its log group is encrypted with a customer-managed key and kept three years, both retained.
 */
export class InlineAutomationFunction extends Construct {
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InlineAutomationFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const suffix = `-SecurityAutomation-${props.nameSuffix}`;
    if (!/^[A-Za-z0-9-]{1,30}$/.test(props.nameSuffix)) throw new Error(`nameSuffix must be 1-30 letters, digits or hyphens, got '${props.nameSuffix}'`);
    const functionName = `${stack.stackName.slice(0, 64 - suffix.length)}${suffix}`;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: SECURITY_AUTOMATION_ROLE_PATH,
      description: props.description.slice(0, 1000),
      maxSessionDuration: Duration.hours(1),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this.role], statements: props.statements, description: props.description.slice(0, 1000) });

    const logGroupArn = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${functionName}`;
    const key = new CustomerManagedKey(this, 'LogKey', {
      alias: `hardening/security-automation/${functionName}`,
      description: `encrypts the log group of ${functionName}`,
    });
    key.allowService('logs', ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn },
    }, 'AllowCloudWatchLogsEncrypt');
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      encryptionKey: key.key,
      retention: logs.RetentionDays.THREE_YEARS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      roles: [this.role],
      description: `lets ${functionName} write its own log group`,
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn}:*`] })],
    });
    acknowledgeNag(logsPolicy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${functionName}:*]`,
      'log streams of the function\'s own, named log group; Lambda generates the stream names');

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: props.description.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(inlineHandlerSource(props.handler)),
      role: this.role,
      timeout: props.timeout ?? Duration.minutes(10),
      memorySize: 256,
      logGroup: this.logGroup,
    });
    this.function.node.addDependency(this.policy, logsPolicy);
    const why = 'runs only when CloudFormation creates or updates its custom resource, invoked synchronously';
    acknowledgeNag(this.function, 'NIST.800.53.R5-LambdaConcurrency', `${why}; a concurrency limit has nothing to limit`);
    acknowledgeNag(this.function, 'NIST.800.53.R5-LambdaDLQ', `${why}; a failure fails the deployment, so there is no lost event to queue`);
    acknowledgeNag(this.function, 'NIST.800.53.R5-LambdaInsideVPC', `${why}; it only calls AWS control-plane APIs and touches no data in a VPC`);
  }

  /** A custom resource served by this function, retained when the stack is deleted, answered within 15 minutes. */
  public customResource(scope: Construct, id: string, resourceType: string, properties: Record<string, unknown>): CustomResource {
    const resource = new CustomResource(scope, id, {
      serviceToken: this.function.functionArn,
      resourceType,
      properties,
      removalPolicy: RemovalPolicy.RETAIN,
      serviceTimeout: Duration.minutes(15),
    });
    return resource;
  }
}
