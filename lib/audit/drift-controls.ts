/**
 * Which control a drifted resource breaks: its CloudFormation type decides, and for types several
 * controls bear on, the top-level property that drifted narrows it (an S3 bucket whose encryption
 * drifted fails DATA-CMK; one whose public access block drifted fails DATA-PUBLIC).
 *
 * The BreachLessons rules are where resource types meet controls (each rule's `resourceTypes` and
 * `controlIds`); this table is kept out of lib/nag so that the audit does not load aws-cdk-lib.
 * test/audit/drift-controls.test.ts holds it to them: every type the hardened environment synthesizes
 * has an entry, and an entry for a type the rules check names at least one of the rules' controls for
 * it (the exceptions are listed there, with their reason).
 */
import type { ControlId } from '../lessons/types';

export interface DriftControl {
  /** The control a drift of this type breaks, unless a property below says otherwise. */
  readonly control: ControlId;
  /** Top-level property name -> the control it implements. */
  readonly properties?: Readonly<Record<string, ControlId>>;
}

const t = (control: ControlId, properties?: Record<string, ControlId>): DriftControl => (properties ? { control, properties } : { control });

/** A stateful resource's tags carry hardening:backup (BAK-VAULTLOCK selects by it) and hardening:data-class (EXF-DATAEVENTS). */
const TAGGED_STATEFUL = { Tags: 'BAK-VAULTLOCK' } as const;

export const DRIFT_CONTROLS: Readonly<Record<string, DriftControl>> = {
  'AWS::AccessAnalyzer::Analyzer': t('DATA-PUBLIC'),
  'AWS::Backup::BackupPlan': t('BAK-VAULTLOCK'),
  'AWS::Backup::BackupSelection': t('BAK-VAULTLOCK'),
  'AWS::Backup::BackupVault': t('BAK-VAULTLOCK', { EncryptionKeyArn: 'DATA-CMK' }),
  'AWS::CloudTrail::Trail': t('LOG-TRAIL', { S3BucketName: 'LOG-ARCHIVE', EventSelectors: 'EXF-DATAEVENTS', AdvancedEventSelectors: 'EXF-DATAEVENTS', CloudWatchLogsLogGroupArn: 'LOG-ALARMS' }),
  'AWS::CloudWatch::Alarm': t('LOG-ALARMS', { AlarmActions: 'IR-ROUTING', ActionsEnabled: 'IR-ROUTING', OKActions: 'IR-ROUTING', InsufficientDataActions: 'IR-ROUTING' }),
  'AWS::DynamoDB::Table': t('BAK-RETAIN', { SSESpecification: 'DATA-CMK', ...TAGGED_STATEFUL }),
  'AWS::EC2::EIP': t('NET-TIERS'),
  'AWS::EC2::FlowLog': t('LOG-FLOW'),
  'AWS::EC2::InternetGateway': t('NET-TIERS'),
  'AWS::EC2::NatGateway': t('EXF-EGRESS'),
  'AWS::EC2::NetworkAcl': t('NET-INGRESS'),
  'AWS::EC2::NetworkAclEntry': t('NET-INGRESS'),
  'AWS::EC2::Route': t('NET-TIERS'),
  'AWS::EC2::RouteTable': t('NET-TIERS'),
  'AWS::EC2::SecurityGroup': t('NET-INGRESS', { SecurityGroupEgress: 'EXF-EGRESS' }),
  'AWS::EC2::SecurityGroupEgress': t('EXF-EGRESS'),
  'AWS::EC2::SecurityGroupIngress': t('NET-INGRESS'),
  'AWS::EC2::Subnet': t('NET-TIERS'),
  'AWS::EC2::SubnetNetworkAclAssociation': t('NET-INGRESS'),
  'AWS::EC2::SubnetRouteTableAssociation': t('NET-TIERS'),
  'AWS::EC2::VPC': t('NET-ENDPOINTS'),
  'AWS::EC2::VPCEndpoint': t('EXF-ENDPOINTPOLICY', { PrivateDnsEnabled: 'NET-ENDPOINTS', SubnetIds: 'NET-ENDPOINTS', RouteTableIds: 'NET-ENDPOINTS' }),
  'AWS::EC2::VPCGatewayAttachment': t('NET-TIERS'),
  'AWS::Events::Rule': t('IR-ROUTING'),
  'AWS::GuardDuty::Detector': t('GD-ENABLED'),
  'AWS::IAM::Group': t('IAM-MFA'),
  'AWS::IAM::ManagedPolicy': t('IAM-LEASTPRIV'),
  'AWS::IAM::Policy': t('IAM-LEASTPRIV'),
  'AWS::IAM::Role': t('IAM-LEASTPRIV', { MaxSessionDuration: 'IAM-SESSION' }),
  'AWS::IAM::User': t('IAM-NOUSERS'),
  'AWS::IAM::AccessKey': t('IAM-NOUSERS'),
  'AWS::KMS::Alias': t('DATA-CMK'),
  'AWS::KMS::Key': t('DATA-KEYPOLICY', { EnableKeyRotation: 'DATA-ROTATION', Enabled: 'DATA-ROTATION', PendingWindowInDays: 'BAK-RETAIN' }),
  'AWS::Lambda::Function': t('LOG-TAMPER'),
  'AWS::Logs::LogGroup': t('LOG-RETENTION', { KmsKeyId: 'DATA-CMK' }),
  'AWS::Logs::MetricFilter': t('LOG-ALARMS'),
  'AWS::S3::Bucket': t('DATA-PUBLIC', {
    BucketEncryption: 'DATA-CMK', VersioningConfiguration: 'BAK-RETAIN', ObjectLockConfiguration: 'BAK-RETAIN', ObjectLockEnabled: 'BAK-RETAIN',
    LifecycleConfiguration: 'DISPOSAL', ...TAGGED_STATEFUL,
  }),
  'AWS::S3::BucketPolicy': t('DATA-PUBLIC'),
  'AWS::SNS::Subscription': t('IR-ROUTING'),
  'AWS::SNS::Topic': t('IR-ROUTING', { KmsMasterKeyId: 'DATA-CMK' }),
  'AWS::SNS::TopicPolicy': t('DATA-PUBLIC'),
  'AWS::SSO::PermissionSet': t('IAM-LEASTPRIV', { SessionDuration: 'IAM-SESSION' }),
  'AWS::SecurityHub::Hub': t('LOG-TAMPER'),
  'AWS::SecurityHub::Standard': t('LOG-TAMPER'),
  'Custom::AccessAnalyzerLookup': t('DATA-PUBLIC'),
  'Custom::AccountPasswordPolicy': t('IAM-PASSWORD'),
  'Custom::GuardDutyDetectorAdoption': t('GD-ENABLED'),
  'Custom::GuardDutyDetectorLookup': t('GD-ENABLED'),
  'Custom::VpcRestrictDefaultSG': t('NET-DEFAULTSG'),
};

/** A drift no entry names: the deployed configuration was changed outside the pipeline all the same. */
export const UNMAPPED_DRIFT_CONTROL: ControlId = 'LOG-TAMPER';

/** The top-level property of a PropertyDifference path (`/BucketEncryption/...` -> `BucketEncryption`). */
export const topProperty = (path: string): string => path.replace(/^\//, '').split('/')[0] ?? '';

/** The control a drift of `type` in `property` (undefined: the whole resource, e.g. deleted) breaks. */
export function driftControl(type: string, property?: string): ControlId {
  const e = DRIFT_CONTROLS[type];
  if (!e) return UNMAPPED_DRIFT_CONTROL;
  return (property !== undefined ? e.properties?.[property] : undefined) ?? e.control;
}
