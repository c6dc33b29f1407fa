import { App, BootstraplessSynthesizer, CfnOutput, CfnParameter, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { loadPolicy } from '../policies';

/**
 * The bootstrap version this template provides: the version the CDK CLI checks before it deploys
 * (`/cdk-bootstrap/<qualifier>/version`). It is the lowest the app's DefaultStackSynthesizer asks for
 * (deploy role, file assets: 6; a test pins that the synthesized app asks for no more). Later
 * versions add a lookup role and a container repository this template deliberately does not have:
 * synthesis makes no lookups and the app has no container images.
 */
export const HARDENED_BOOTSTRAP_VERSION = 6;

/** The CloudFormation execution role's ARN in the form DefaultStackSynthesizer expects. */
export function pipelineExecutionRoleArn(roleName: string): string {
  return `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}`;
}

/**
 * The synthesizer every stack of the hardened environment uses: the CDK bootstrap roles of
 * `qualifier`, with CloudFormation deploying through the pipeline's execution role (not CDK's
 * `cfn-exec-role`, which holds AdministratorAccess without a boundary in the default bootstrap).
 */
export function pipelineSynthesizer(props: { readonly qualifier: string; readonly pipelineRoleName: string }): DefaultStackSynthesizer {
  return new DefaultStackSynthesizer({
    qualifier: props.qualifier,
    cloudFormationExecutionRole: pipelineExecutionRoleArn(props.pipelineRoleName),
  });
}

export interface PipelineExecutionRoleProps {
  /** The role's name; the SCPs exempt exactly this name (`hardening:pipelineRoleName`). */
  readonly roleName: string;
  /** Qualifier of the bootstrap version parameter the role may read (or `${Qualifier}` inside a bootstrap template). */
  readonly qualifier: string;
}

/**
 * The deployment pipeline's CloudFormation execution role (issue 10 item 11): the one role besides
 * break-glass that the SCPs let change the security pipeline, so CI never needs break-glass. Trusted
 * only by CloudFormation; its permissions are policies/iam/pipeline-execution.json (the services the
 * stacks use, not AdministratorAccess) and its permissions boundary policies/iam/pipeline-boundary.json
 * (no IAM users or keys, no role without the app's boundary, no changing itself, none of the
 * destructive calls no deployment needs).
 */
export class PipelineExecutionRole extends Construct {
  public readonly role: iam.Role;
  public readonly boundary: iam.ManagedPolicy;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PipelineExecutionRoleProps) {
    super(scope, id);
    if (props.qualifier !== '${Qualifier}' && !/^[A-Za-z0-9_-]{1,10}$/.test(props.qualifier)) throw new Error(`qualifier must be 1-10 letters, digits, '_' or '-', got '${props.qualifier}'`);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) throw new Error(`roleName must be an IAM role name, got '${props.roleName}'`);
    const values = { Partition: '${AWS::Partition}', AccountId: '${AWS::AccountId}', PipelineRoleName: props.roleName, Qualifier: props.qualifier };
    const doc = (name: 'iam/pipeline-boundary' | 'iam/pipeline-execution') => iam.PolicyDocument.fromJson(subAll(loadPolicy(name, values)));
    this.boundary = new iam.ManagedPolicy(this, 'Boundary', {
      managedPolicyName: `${props.roleName}-boundary`,
      description: 'permissions boundary of the pipeline execution role (policies/iam/pipeline-boundary.json)',
      document: doc('iam/pipeline-boundary'),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: `${props.roleName}-execution`,
      description: 'what CloudFormation may do when it deploys the hardened environment (policies/iam/pipeline-execution.json)',
      document: doc('iam/pipeline-execution'),
    });
    this.role = new iam.Role(this, 'Resource', {
      roleName: props.roleName,
      description: 'cdk-hardening: the deployment pipeline\'s CloudFormation execution role; the SCPs exempt it beside break-glass',
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      managedPolicies: [this.policy],
      permissionsBoundary: this.boundary,
      maxSessionDuration: Duration.hours(1),
    });
  }
}

export interface HardenedBootstrapProps extends StackProps {
  /**
   * The CI roles that may publish assets and deploy (the deploy and file-publishing roles trust
   * them and nobody else — not the whole account, as CDK's default bootstrap does).
   */
  readonly pipelinePrincipalArns: readonly string[];
  /** The CloudFormation execution role's name (`hardening:pipelineRoleName`). */
  readonly pipelineRoleName: string;
  /** @default 'hnb659fds' (CDK's default qualifier) */
  readonly qualifier?: string;
}

/**
 * A CDK bootstrap template for the hardened environment, for `cdk bootstrap --template` (see
 * docs/hardened-bootstrap.md). Compared with CDK's default template:
 * - the deploy and file-publishing roles trust only the pipeline's CI roles, not every principal of
 *   the account, so an operator with MFA cannot deploy around review;
 * - CloudFormation deploys through the pipeline execution role (least-privilege policy, permissions
 *   boundary) instead of a role with AdministratorAccess and no boundary;
 * - the deploy role may pass only that role;
 * - no lookup role and no container repository (synthesis makes no lookups; the app has no images).
 * The app's permissions boundary denies every bounded role iam:PassRole and sts:AssumeRole on
 * `cdk-*` roles and on the pipeline role.
 */
export class HardenedBootstrap extends Stack {
  public readonly executionRole: PipelineExecutionRole;
  public readonly deployRole: iam.Role;
  public readonly filePublishingRole: iam.Role;
  public readonly stagingBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: HardenedBootstrapProps) {
    super(scope, id, { synthesizer: new BootstraplessSynthesizer(), ...props });
    if (props.pipelinePrincipalArns.length === 0) {
      throw new Error('pipelinePrincipalArns must name at least one CI role (hardening:pipelinePrincipalArns): a bootstrap no pipeline can use would be trusted by nobody, and trusting the whole account is the hole this template closes');
    }
    for (const arn of props.pipelinePrincipalArns) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) throw new Error(`pipelinePrincipalArns: '${arn}' is not an IAM role ARN`);
    }
    const qualifier = new CfnParameter(this, 'Qualifier', {
      type: 'String',
      default: props.qualifier ?? 'hnb659fds',
      allowedPattern: '[A-Za-z0-9_-]{1,10}',
      description: 'qualifier of the bootstrap resources (cdk bootstrap --qualifier)',
    });
    const name = (kind: string) => Fn.sub(`cdk-\${Qualifier}-${kind}-\${AWS::AccountId}-\${AWS::Region}`, { Qualifier: qualifier.valueAsString });
    const pipeline = new iam.CompositePrincipal(...props.pipelinePrincipalArns.map((a) => new iam.ArnPrincipal(a)));

    this.stagingBucket = new s3.Bucket(this, 'StagingBucket', {
      bucketName: name('assets'),
      // Deployment assets (function code), not personal data: S3-managed keys, as CDK's own bootstrap.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-noncurrent-assets', noncurrentVersionExpiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // '${Qualifier}' stays in the documents for Fn::Sub to resolve to the parameter cdk bootstrap passes.
    this.executionRole = new PipelineExecutionRole(this, 'CloudFormationExecutionRole', { roleName: props.pipelineRoleName, qualifier: '${Qualifier}' });

    this.filePublishingRole = new iam.Role(this, 'FilePublishingRole', {
      roleName: name('file-publishing-role'),
      assumedBy: pipeline,
      description: 'CDK bootstrap (cdk-hardening): the pipeline publishes file assets',
    });
    this.filePublishingRole.assumeRolePolicy?.addStatements(new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: props.pipelinePrincipalArns.map((a) => new iam.ArnPrincipal(a)) }));
    this.filePublishingRole.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject*', 's3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:List*', 's3:DeleteObject*', 's3:PutObject*', 's3:Abort*'],
      resources: [this.stagingBucket.bucketArn, this.stagingBucket.arnForObjects('*')],
    }));

    this.deployRole = new iam.Role(this, 'DeploymentActionRole', {
      roleName: name('deploy-role'),
      assumedBy: pipeline,
      description: 'CDK bootstrap (cdk-hardening): the pipeline deploys stacks through the pipeline execution role',
    });
    this.deployRole.assumeRolePolicy?.addStatements(new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: props.pipelinePrincipalArns.map((a) => new iam.ArnPrincipal(a)) }));
    this.deployRole.addToPolicy(new iam.PolicyStatement({
      sid: 'CloudFormationChangeSets',
      actions: [
        'cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet',
        'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:RollbackStack', 'cloudformation:ContinueUpdateRollback',
        'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:ListStackResources',
        'cloudformation:GetTemplate', 'cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate', 'cloudformation:DeleteStack',
      ],
      resources: [`arn:${this.partition}:cloudformation:${this.region}:${this.account}:stack/*`, `arn:${this.partition}:cloudformation:${this.region}:${this.account}:changeSet/*`],
    }));
    this.deployRole.addToPolicy(new iam.PolicyStatement({
      sid: 'PassOnlyThePipelineExecutionRole',
      actions: ['iam:PassRole'],
      resources: [this.executionRole.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }));
    this.deployRole.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadAssets',
      actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      resources: [this.stagingBucket.bucketArn, this.stagingBucket.arnForObjects('*')],
    }));
    new ssm.StringParameter(this, 'CdkBootstrapVersion', {
      parameterName: Fn.sub('/cdk-bootstrap/${Qualifier}/version', { Qualifier: qualifier.valueAsString }),
      stringValue: String(HARDENED_BOOTSTRAP_VERSION),
      description: 'version of the cdk-hardening bootstrap template',
      simpleName: false,
    });
    this.deployRole.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadBootstrapVersion',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [Fn.sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/cdk-bootstrap/${Qualifier}/version', { Qualifier: qualifier.valueAsString })],
    }));

    new CfnOutput(this, 'BucketName', { value: this.stagingBucket.bucketName, description: 'the staging bucket of file assets' });
    new CfnOutput(this, 'BucketDomainName', { value: this.stagingBucket.bucketRegionalDomainName });
    new CfnOutput(this, 'BootstrapVersion', { value: String(HARDENED_BOOTSTRAP_VERSION), description: 'the version of the bootstrap resources this stack provides' });
  }
}

/** Turns `${AWS::...}` placeholders in a loaded document into Fn::Sub strings CloudFormation resolves. */
function subAll(doc: unknown): unknown {
  if (typeof doc === 'string') return doc.includes('${AWS::') ? Fn.sub(doc) : doc;
  if (Array.isArray(doc)) return doc.map(subAll);
  if (doc !== null && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, subAll(v)]));
  return doc;
}

/** Synthesizes the hardened bootstrap template alone, as `cdk bootstrap --template` takes it. */
export function synthesizeHardenedBootstrap(props: HardenedBootstrapProps, outdir?: string): Record<string, unknown> {
  const app = new App({ outdir });
  const stack = new HardenedBootstrap(app, 'CDKToolkit', props);
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
