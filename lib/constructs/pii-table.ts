import { RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeNag } from './acknowledge';
import { CustomerManagedKey } from './customer-managed-key';
import { dataPerimeterStatement } from './pii-bucket';
import { BACKUP_TAG, DATA_CLASS_TAG_KEY } from './tags';

export interface PiiTableProps {
  /** @default - a new customer-managed key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** @default { name: 'pk', type: STRING } */
  readonly partitionKey?: dynamodb.Attribute;
  /** @default { name: 'sk', type: STRING } */
  readonly sortKey?: dynamodb.Attribute;
  /** Data class recorded in the `hardening:data-class` tag. @default 'pii' */
  readonly dataClass?: string;
  /** The organization the data perimeter admits. @default - only principals of this account */
  readonly organizationId?: string;
}

/**
 * A DynamoDB table for personal data (L5, L8): encrypted with a customer-managed key,
 * point-in-time recovery, deletion protection, retained, on-demand capacity.
 */
export class PiiTable extends Construct {
  public readonly table: dynamodb.Table;
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: PiiTableProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey ?? new CustomerManagedKey(this, 'Key', {
      alias: `hardening/${id.toLowerCase()}`, viaServices: ['dynamodb'],
    }).key;
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: props.partitionKey ?? { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: props.sortKey ?? { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Data perimeter (T1537): no principal outside the account or organization, whatever is granted.
      resourcePolicy: new iam.PolicyDocument({
        statements: [dataPerimeterStatement(Stack.of(this).account, ['dynamodb:*'], ['*'], props.organizationId)],
      }),
    });
    Tags.of(this.table).add(BACKUP_TAG.key, BACKUP_TAG.value);
    Tags.of(this.table).add(DATA_CLASS_TAG_KEY, props.dataClass ?? 'pii');
    acknowledgeNag(this.table, 'NIST.800.53.R5-DynamoDBInBackupPlan',
      'the table carries tag hardening:backup=required and the recovery stack selects it by that tag into a locked vault; cdk-nag recognizes only ARN selections in the same stack.');
  }
}
