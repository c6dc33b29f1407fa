import { DefaultStackSynthesizer, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';

/**
 * Actions that manage a key without using it for cryptography. `kms:CreateGrant` is deliberately
 * not among them (a grant can give its creator Decrypt): grants are allowed only to AWS services
 * acting for this account, in KeyGrantsForServices.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];

/** Cryptographic use of a key. */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Grants AWS services create on a key to use it for a resource (DynamoDB, EBS, RDS, AWS Backup). */
export const KEY_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/** Administrative reads every principal of the account may make (what the key is, its policy, its aliases). */
export const KEY_READ_ACTIONS = ['kms:Describe*', 'kms:List*', 'kms:Get*'];

export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  readonly description?: string;
  /**
   * Principals that administer the key. They get the administrative actions only — never
   * Encrypt, Decrypt or GenerateDataKey (DATA-KEYPOLICY).
   * @default - the roles of `administratorArns`
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * ARNs (ArnLike patterns on `aws:PrincipalArn`) of the only roles that may rewrite the key policy,
   * create grants, disable or delete the key: the deployment pipeline's execution role and break-glass.
   * The account delegates nothing else: `kms:*` in an IAM policy does not reach this key.
   * More can be added with `addAdministrators` (the hardened environment adds break-glass).
   * @default - the CloudFormation execution role of the stack's synthesizer, so deployments keep working
   */
  readonly administratorArns?: string[];
  /**
   * AWS services through which the named `userArns` may use the key (`kms:ViaService`),
   * e.g. `['s3', 'dynamodb']`. Outside these services nobody can use the key.
   * @default - none
   */
  readonly viaServices?: string[];
  /**
   * ARNs (ArnLike patterns on `aws:PrincipalArn`) of the roles that may use the key through
   * `viaServices`; more with `addUsers`. Nobody else of the account can decrypt (named principals).
   * @default - none
   */
  readonly userArns?: string[];
  /**
   * The organization whose principals the data perimeter admits (`aws:PrincipalOrgID`).
   * @default - only principals of this account (`aws:PrincipalAccount`)
   */
  readonly organizationId?: string;
  /** @default Duration.days(30) */
  readonly pendingWindow?: Duration;
}

/**
 * A customer-managed KMS key (DATA-CMK): rotation on, an alias, retained when the stack is deleted,
 * and a key policy in which
 * - every principal of the account may read what the key is (Describe, List, Get);
 * - only named administrators (by default the stack's CloudFormation execution role) may rewrite
 *   the policy, create grants, disable or delete it — not every principal holding `kms:*`;
 * - only named users may use it, and only through the given AWS services;
 * - a data perimeter denies every principal outside the account (or organization), unless it is an
 *   AWS service principal (CloudTrail, CloudWatch Logs, EventBridge deliver with their own identity).
 */
export class CustomerManagedKey extends Construct {
  public readonly key: kms.Key;
  public readonly alias: kms.IAlias;
  private readonly adminArns: string[];
  private readonly userArns: string[];

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(`invalid key alias '${props.alias}': use letters, digits, '/', '_' and '-', not starting with 'aws/'`);
    }
    const stack = Stack.of(this);
    this.adminArns = [...(props.administratorArns ?? (props.administrators ? [] : [deployRoleArn(stack)]))];
    this.userArns = [...(props.userArns ?? [])];
    const admins = Lazy.list({ produce: () => [...new Set(this.adminArns)] });
    const root = new iam.AccountRootPrincipal();
    const policy = new iam.PolicyDocument();
    policy.addStatements(new iam.PolicyStatement({ sid: 'KeyRead', principals: [root], actions: KEY_READ_ACTIONS, resources: ['*'] }));
    if (props.administrators) {
      policy.addStatements(new iam.PolicyStatement({ sid: 'KeyAdministration', principals: props.administrators, actions: KEY_ADMIN_ACTIONS, resources: ['*'] }));
    }
    if (this.adminArns.length > 0) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'NamedKeyAdministrators',
        principals: [root],
        actions: KEY_ADMIN_ACTIONS,
        resources: ['*'],
        conditions: { ArnLike: { 'aws:PrincipalArn': admins } },
      }));
    }
    const via = (props.viaServices ?? []).map((s) => `${s}.${stack.region}.amazonaws.com`);
    if (via.length > 0) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'KeyUseThroughServices',
        principals: [root],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': via },
          ArnLike: { 'aws:PrincipalArn': Lazy.list({ produce: () => (this.userArns.length ? [...new Set(this.userArns)] : [NOBODY]) }) },
        },
      }));
      policy.addStatements(new iam.PolicyStatement({
        sid: 'KeyGrantsForServices',
        principals: [root],
        actions: KEY_GRANT_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': via },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
          ArnLike: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...new Set([...this.adminArns, ...this.userArns])] }) },
        },
      }));
    }
    policy.addStatements(new iam.PolicyStatement({
      sid: 'DataPerimeter',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:*'],
      resources: ['*'],
      conditions: {
        StringNotEqualsIfExists: props.organizationId ? { 'aws:PrincipalOrgID': props.organizationId } : { 'aws:PrincipalAccount': stack.account },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }));
    this.key = new kms.Key(this, 'Resource', {
      description: props.description ?? `customer-managed key ${props.alias}`,
      enableKeyRotation: true,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      policy,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = this.key.addAlias(`alias/${props.alias}`);
  }

  /** Whether the key names its administrators by ARN (false when the `administrators` prop names principals). */
  public get namesAdministratorArns(): boolean {
    return this.adminArns.length > 0;
  }

  /** Names more key administrators (ArnLike patterns on `aws:PrincipalArn`), e.g. break-glass. */
  public addAdministrators(...arns: string[]): void {
    if (!this.namesAdministratorArns) throw new Error('this key names its administrators as principals (administrators prop); add them there');
    this.adminArns.push(...arns);
  }

  /** Names more roles that may use the key through its services (ArnLike patterns on `aws:PrincipalArn`). */
  public addUsers(...arns: string[]): void {
    this.userArns.push(...arns);
  }

  /**
   * Lets an AWS service principal (e.g. `logs`, `cloudtrail`, `cloudwatch`, `events`) use the key,
   * limited by the given conditions (always pass a source account/ARN condition).
   */
  public allowService(service: string, actions: string[], conditions: Record<string, unknown>, sid?: string): void {
    const stack = Stack.of(this);
    const principal = service === 'logs'
      ? new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)
      : new iam.ServicePrincipal(`${service}.amazonaws.com`);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: sid ?? `Allow${service.replace(/[^A-Za-z0-9]/g, '')}Use`,
      principals: [principal],
      actions,
      resources: ['*'],
      conditions,
    }));
  }
}

/** Matches no principal: a use statement with no named users admits nobody (fail closed). */
const NOBODY = 'arn:aws:iam::000000000000:role/no-principal-is-named';

/** The role CloudFormation deploys the stack with, which must stay able to update the key policy. */
function deployRoleArn(stack: Stack): string {
  const synth = stack.synthesizer;
  if (synth instanceof DefaultStackSynthesizer) {
    // The synthesizer keeps CloudFormation's placeholders (for the asset manifest); a template needs tokens.
    return synth.cloudFormationExecutionRoleArn
      .replace(/\$\{AWS::Partition\}/g, stack.partition)
      .replace(/\$\{AWS::AccountId\}/g, stack.account)
      .replace(/\$\{AWS::Region\}/g, stack.region);
  }
  throw new Error(`stack ${stack.stackName} does not use a DefaultStackSynthesizer, so its deployment role is unknown: pass administratorArns (the role CloudFormation deploys with)`);
}

/**
 * Adds `arns` (e.g. break-glass) to the named administrators of every CustomerManagedKey under
 * `scope` that names its administrators by ARN. Call once the keys exist, before synthesis.
 */
export function nameKeyAdministrators(scope: IConstruct, arns: readonly string[]): void {
  for (const c of scope.node.findAll()) {
    if (c instanceof CustomerManagedKey && c.namesAdministratorArns) c.addAdministrators(...arns);
  }
}
