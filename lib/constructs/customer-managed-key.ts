import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

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

export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  readonly description?: string;
  /**
   * Principals that administer the key. They get the administrative actions only — never
   * Encrypt, Decrypt or GenerateDataKey (DATA-KEYPOLICY).
   * @default - the account, so that IAM policies delegate administration
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * AWS services through which principals of this account may use the key (`kms:ViaService`),
   * e.g. `['s3', 'dynamodb']`. Outside these services the key cannot be used by account principals.
   * @default - none
   */
  readonly viaServices?: string[];
  /** @default Duration.days(30) */
  readonly pendingWindow?: Duration;
}

/**
 * A customer-managed KMS key (DATA-CMK): rotation on, a key policy that separates administrators
 * from users, an alias, retained when the stack is deleted.
 */
export class CustomerManagedKey extends Construct {
  public readonly key: kms.Key;
  public readonly alias: kms.IAlias;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(`invalid key alias '${props.alias}': use letters, digits, '/', '_' and '-', not starting with 'aws/'`);
    }
    const stack = Stack.of(this);
    const policy = new iam.PolicyDocument();
    policy.addStatements(new iam.PolicyStatement({
      sid: 'KeyAdministration',
      principals: props.administrators ?? [new iam.AccountRootPrincipal()],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    }));
    const via = props.viaServices ?? [];
    if (via.length > 0) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'KeyUseThroughServices',
        principals: [new iam.AccountRootPrincipal()],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:CallerAccount': stack.account,
            'kms:ViaService': via.map((s) => `${s}.${stack.region}.amazonaws.com`),
          },
        },
      }));
      policy.addStatements(new iam.PolicyStatement({
        sid: 'KeyGrantsForServices',
        principals: [new iam.AccountRootPrincipal()],
        actions: KEY_GRANT_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:CallerAccount': stack.account,
            'kms:ViaService': via.map((s) => `${s}.${stack.region}.amazonaws.com`),
          },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      }));
    }
    this.key = new kms.Key(this, 'Resource', {
      description: props.description ?? `customer-managed key ${props.alias}`,
      enableKeyRotation: true,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      policy,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = this.key.addAlias(`alias/${props.alias}`);
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
