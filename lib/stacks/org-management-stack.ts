import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic, alertEmailsOrParameter } from '../constructs/alert-topic';
import { CisAlarms } from '../constructs/cis-alarms';
import { Construct } from 'constructs';
import { SecurityResourceNames } from '../config/security-names';
import { acknowledgeNag } from '../constructs/acknowledge';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { OrganizationAuditRole, OrganizationAuditRoleProps } from '../constructs/organization-audit-role';
import { OrganizationSetup, OrganizationSetupProps } from '../constructs/organization-setup';
import { RcpName, ResourceControlPolicies, ScpName, ServiceControlPolicies } from '../constructs/service-control-policies';
import { PlaceholderValues } from '../policies';

export interface OrgManagementStackProps extends StackProps {
  readonly organizationId: string;
  /** Where each SCP of policies/scp is attached (roots, OUs, accounts); an SCP left out is attached nowhere. */
  readonly scpTargets: Partial<Record<ScpName, string[]>>;
  readonly scpValues: PlaceholderValues;
  /** Where each RCP of policies/rcp is attached; an RCP left out is attached nowhere. @default none */
  readonly rcpTargets?: Partial<Record<RcpName, string[]>>;
  readonly rcpValues?: PlaceholderValues;
  /** Prefix of the policy names in Organizations. */
  readonly namePrefix: string;
  readonly organizationSetup: OrganizationSetupProps;
  readonly securityNames: SecurityResourceNames;
  /** The archive bucket in the log-archive account (OrgLogArchiveStack). */
  readonly archiveBucketName: string;
  /** The log-archive account and the alias (without `alias/`) of the archive's key there. */
  readonly archiveKey: { readonly accountId: string; readonly alias: string };
  /** @default - a CloudFormation parameter AlertEmail, given at deploy time */
  readonly alertEmails?: readonly string[];
  /** A retention period CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /** The management account's own audit role (StackSets skip it); in the organization of organizationId. */
  readonly audit: Omit<OrganizationAuditRoleProps, 'organizationId'>;
}

/**
 * The management account: the organization settings that have no CloudFormation resource
 * (OrganizationSetup: trusted access, policy types, delegated administrators, GuardDuty's administrator
 * in every governed region), the service control policies of policies/scp attached where configured,
 * the organization trail (every account, every region) into the log-archive account's locked archive and
 * an encrypted log group here, and the pieces of the baseline StackSets never deploy here: the audit role.
 */
export class OrgManagementStack extends Stack {
  public readonly setup: OrganizationSetup;
  public readonly scps: Partial<Record<ScpName, organizations.CfnPolicy>> = {};
  public readonly rcps: Partial<Record<RcpName, organizations.CfnPolicy>> = {};
  public readonly trail: cloudtrail.Trail;
  public readonly logGroup: logs.LogGroup;
  public readonly auditRole: OrganizationAuditRole;
  public readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OrgManagementStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.setup = new OrganizationSetup(this, 'OrganizationSetup', props.organizationSetup);

    const policies = new Construct(this, 'ServiceControlPolicies');
    for (const [name, targets] of Object.entries(props.scpTargets) as Array<[ScpName, string[] | undefined]>) {
      if (!targets?.length) continue;
      const attached = new ServiceControlPolicies(policies, name.slice('scp/'.length), {
        values: props.scpValues, targetIds: targets, policies: [name], namePrefix: props.namePrefix,
      });
      const policy = attached.policies[name]!;
      // The policy type must be enabled on the root before a policy of it is created.
      policy.node.addDependency(this.setup);
      this.scps[name] = policy;
    }
    const resourcePolicies = new Construct(this, 'ResourceControlPolicies');
    for (const [name, targets] of Object.entries(props.rcpTargets ?? {}) as Array<[RcpName, string[] | undefined]>) {
      if (!targets?.length) continue;
      if (!props.rcpValues) throw new Error(`${this.node.path}: rcpTargets attaches ${name} but no rcpValues render it`);
      const attached = new ResourceControlPolicies(resourcePolicies, name.slice('rcp/'.length), {
        values: props.rcpValues, targetIds: targets, policies: [name], namePrefix: props.namePrefix,
      });
      const policy = attached.policies[name]!;
      policy.node.addDependency(this.setup);
      this.rcps[name] = policy;
    }

    const names = props.securityNames;
    const logsKey = new CustomerManagedKey(this, 'LogsKey', {
      alias: 'hardening/organization-trail-logs',
      description: 'encrypts the organization trail\'s log group',
      organizationId: props.organizationId,
    });
    logsKey.allowService('logs', ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` },
    }, 'AllowCloudWatchLogsEncrypt');
    this.logGroup = new logs.LogGroup(this, 'TrailLogGroup', {
      logGroupName: `${names.prefix}organization-cloudtrail`,
      encryptionKey: logsKey.key,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'OrganizationTrail', {
      trailName: `${names.prefix}organization-trail`,
      bucket: s3.Bucket.fromBucketName(this, 'Archive', props.archiveBucketName),
      isOrganizationTrail: true,
      orgId: props.organizationId,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    // The key lives in the log-archive account: named by alias ARN, which CloudTrail resolves across accounts.
    (this.trail.node.defaultChild as cloudtrail.CfnTrail).kmsKeyId = `arn:${this.partition}:kms:${this.region}:${props.archiveKey.accountId}:alias/${props.archiveKey.alias}`;
    this.trail.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // An organization trail needs CloudTrail's trusted access.
    this.trail.node.addDependency(this.setup);
    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole) {
      (logsRole.node.defaultChild as iam.CfnRole).roleName = `${names.prefix}organization-trail-logs`;
      acknowledgeNag(logsRole, 'NIST.800.53.R5-IAMNoInlinePolicy',
        'CDK-generated delivery role of the organization trail: its only policy allows logs:CreateLogStream and logs:PutLogEvents on the trail\'s log group.');
    }
    // CIS 4.1-4.15 over every account's events, alarmed to an encrypted topic of the management account.
    this.alarmTopic = new AlertTopic(this, 'AlarmTopic', {
      key: logsKey.key, emails: alertEmailsOrParameter(this, props.alertEmails),
      displayName: 'Organization security alarms: CIS 4.1-4.15 over the organization trail', topicName: `${names.prefix}organization-alarms`,
    }).topic;
    new CisAlarms(this, 'CisAlarms', { logGroup: this.logGroup, topic: this.alarmTopic, alarmNamePrefix: `${names.prefix}organization-` });
    this.auditRole = new OrganizationAuditRole(this, 'AuditRole', {
      ...props.audit, organizationId: props.organizationId,
    });
  }
}
