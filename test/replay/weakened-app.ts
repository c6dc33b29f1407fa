/**
 * A deliberately weakened app, as a plain CloudFormation template (any app, not only this one's):
 * every kill-chain step has a path through it. A workload role with AdministratorAccess (hijacked),
 * a group without the deny-unless-MFA policy, a role people assume without MFA, keys that delegate
 * everything to the account, data stores without resource policies, an alarm and a rule that watch
 * only root use, a vault without a lock, an S3 endpoint without a policy.
 */
export const WEAK_ACCOUNT = '123456789012';

const admin = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] };
const root = { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const rootKeyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }] };

export function weakenedTemplate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    WorkloadRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, ManagedPolicyArns: [admin] } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['WorkloadRole', 'Arn'] }, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler=async()=>{}' } } },
    Boundary: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
    HumanRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'weak-human', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' }] }, ManagedPolicyArns: [admin], PermissionsBoundary: { Ref: 'Boundary' } } },
    Ops: { Type: 'AWS::IAM::Group', Properties: { GroupName: 'weak-ops', ManagedPolicyArns: [admin] } },
    DataKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: rootKeyPolicy } },
    LogKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { ...rootKeyPolicy, Statement: [...rootKeyPolicy.Statement, { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }] } } },
    VaultKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: rootKeyPolicy } },
    DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey', 'Arn'] } } }] } } },
    Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['LogKey', 'Arn'] } } }] } } },
    ArchivePolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Archive' }, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, '/*']] } }] } } },
    DataTable: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['DataKey', 'Arn'] } } } },
    TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['LogKey', 'Arn'] }, RetentionInDays: 365 } },
    Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, IsMultiRegionTrail: true, S3BucketName: { Ref: 'Archive' }, CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['TrailLogs', 'Arn'] }, KMSKeyId: { 'Fn::GetAtt': ['LogKey', 'Arn'] } } },
    RootFilter: { Type: 'AWS::Logs::MetricFilter', Properties: { LogGroupName: { Ref: 'TrailLogs' }, FilterPattern: '{ $.userIdentity.type = "Root" }', MetricTransformations: [{ MetricName: 'RootUse', MetricNamespace: 'Weak', MetricValue: '1' }] } },
    RootAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'weak-root-use', MetricName: 'RootUse', Namespace: 'Weak', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, Period: 300, Statistic: 'Sum', AlarmActions: [{ Ref: 'AlertTopic' }] } },
    AlertTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'weak-alerts' } },
    AlertTopicPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'AlertTopic' }], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' } }] } } },
    AlertSubscription: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'AlertTopic' }, Protocol: 'email', Endpoint: 'soc@weak.test' } },
    RootRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'weak-root-sign-in', EventPattern: { 'detail-type': ['AWS Console Sign In via CloudTrail'], detail: { userIdentity: { type: ['Root'] } } }, Targets: [{ Id: 'T', Arn: { Ref: 'AlertTopic' } }] } },
    Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'weak-vault', EncryptionKeyArn: { 'Fn::GetAtt': ['VaultKey', 'Arn'] } } },
    Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'weak', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' } }] } } },
    Selection: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 'all', IamRoleArn: { 'Fn::GetAtt': ['WorkloadRole', 'Arn'] }, Resources: ['*'] } } },
    Detector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: true } },
    Analyzer: { Type: 'AWS::AccessAnalyzer::Analyzer', Properties: { AnalyzerName: 'weak', Type: 'ACCOUNT' } },
    S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-1234', ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] } } },
    ...overrides,
  };
  for (const [k, v] of Object.entries(resources)) if (v === undefined) delete resources[k];
  return {
    Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
    Resources: resources,
  };
}
