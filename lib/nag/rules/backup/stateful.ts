/** Stateful resource types: their data must survive a stack deletion and be backed up. */
export const STATEFUL_TYPES: readonly string[] = [
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EC2::Volume', 'AWS::EFS::FileSystem', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault',
];

/** The stateful types AWS Backup can protect and BAK-VAULTLOCK requires a plan for. */
export const BACKUP_TYPES: readonly string[] = [
  'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
  'AWS::EC2::Volume', 'AWS::EFS::FileSystem',
];
