import { App, CfnResource, Duration, RemovalPolicy, SecretValue, Stack, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AccountPasswordPolicy } from '../../lib/constructs/account-password-policy';
import { CisAlarms } from '../../lib/constructs/cis-alarms';
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from '../../lib/constructs/customer-managed-key';
import { DATA_CLASS_TAG_KEY } from '../../lib/constructs/tags';
import { Finding } from '../../lib/findings';
import { ControlId, GUARDDUTY_FEATURES } from '../../lib/lessons';
import { evaluateScope } from '../../lib/nag/evaluate';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';
import { REQUIRED_INTERFACE_ENDPOINTS } from '../../lib/nag/rules/ec2';
import { synthFast } from './helpers';

const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];

/**
 * One environment, built twice: `ok` true is fully hardened; `ok` false breaks exactly one thing per
 * control (the comment on each line names the control it breaks).
 */
function environment(ok: boolean): App {
  const app = new App();
  const s = new Stack(app, ok ? 'Hardened' : 'Broken', { env: { region: 'us-east-1' } });
  Tags.of(s).add('hardening:backup', 'required');
  iam.PermissionsBoundary.of(s).apply(new iam.ManagedPolicy(s, 'Boundary', {
    statements: [
      new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }), new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['iam:CreateUser'], resources: ['*'] }),
      ...(ok ? [ // LOG-TAMPER
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['cloudtrail:Stop*', 'cloudtrail:Delete*', 'cloudtrail:Update*', 'cloudtrail:Put*'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['logs:Delete*', 'logs:Put*', 'logs:DisassociateKmsKey'], resources: [`arn:aws:logs:*:${s.account}:log-group:security-*`] }),
        // ...and no way out of the boundary that holds those denies
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['iam:*PermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:CreateRole'], resources: ['*'] }),
      ] : []),
    ],
  }));
  const keyPolicy = new iam.PolicyDocument({ statements: [
    new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(`arn:aws:iam::${s.account}:role/KeyAdmin`)], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
    new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: KEY_USE_ACTIONS, resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    }),
  ] });
  const key = new kms.Key(s, 'Key', { enableKeyRotation: ok, policy: ok ? keyPolicy : undefined }); // DATA-ROTATION, DATA-KEYPOLICY (the CDK default policy)
  const logGroup = (id: string, retention = logs.RetentionDays.THREE_YEARS, logGroupName?: string) => new logs.LogGroup(s, id, { encryptionKey: key, retention, removalPolicy: RemovalPolicy.RETAIN, logGroupName });
  const secureBucket = (id: string, props: s3.BucketProps = {}) => new s3.Bucket(s, id, {
    encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, versioned: true, ...props,
  });

  // Network
  const vpc = new ec2.Vpc(s, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    restrictDefaultSecurityGroup: ok, // NET-DEFAULTSG
    flowLogs: ok ? { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup('FlowLogs')) } } : undefined, // LOG-FLOW
  });
  const ownAccountOnly = new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['*'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalAccount': s.account } },
  });
  const endpointGroup = new ec2.SecurityGroup(s, 'Endpoints', { vpc, allowAllOutbound: false });
  endpointGroup.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443));
  for (const name of REQUIRED_INTERFACE_ENDPOINTS.filter((n) => ok || n !== 'sts')) { // NET-ENDPOINTS
    const ep = vpc.addInterfaceEndpoint(`${name}Endpoint`, {
      service: new ec2.InterfaceVpcEndpointAwsService(name), subnets: { subnetGroupName: 'app' }, securityGroups: [endpointGroup], open: false,
    });
    if (ok || name !== 'kms') ep.addToPolicy(ownAccountOnly); // EXF-ENDPOINTPOLICY
  }
  for (const [name, service] of [['S3', ec2.GatewayVpcEndpointAwsService.S3], ['DynamoDB', ec2.GatewayVpcEndpointAwsService.DYNAMODB]] as const) {
    vpc.addGatewayEndpoint(`${name}Endpoint`, { service, subnets: [{ subnetGroupName: 'app' }] }).addToPolicy(ownAccountOnly);
  }
  const web = new ec2.SecurityGroup(s, 'Web', { vpc, allowAllOutbound: false });
  web.addIngressRule(ok ? ec2.Peer.ipv4('10.0.0.0/16') : ec2.Peer.anyIpv4(), ec2.Port.tcp(80)); // NET-INGRESS
  const admin = new ec2.SecurityGroup(s, 'Admin', { vpc, allowAllOutbound: false });
  admin.addIngressRule(ec2.Peer.ipv4(ok ? '10.0.1.0/24' : '192.168.0.0/16'), ec2.Port.tcp(22)); // NET-NOADMINPORTS
  new ec2.LaunchTemplate(s, 'Template', {
    requireImdsv2: ok, // EC2-IMDSV2
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, kmsKey: key }) }],
  });

  // Data
  secureBucket('Pii', ok ? {} : { encryption: s3.BucketEncryption.S3_MANAGED, encryptionKey: undefined }); // DATA-CMK
  secureBucket('Exports', ok ? {} : { enforceSSL: false }); // DATA-TLS
  secureBucket('Shared', ok ? {} : { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY }); // DATA-PUBLIC
  secureBucket('Reports', ok ? {} : { removalPolicy: RemovalPolicy.DESTROY }); // BAK-RETAIN
  const customers = secureBucket('CustomerFiles', {
    minimumTLSVersion: 1.2,
    lifecycleRules: ok ? [{ noncurrentVersionExpiration: Duration.days(365) }] : [], // DISPOSAL
  });
  Tags.of(customers).add(DATA_CLASS_TAG_KEY, 'customer-pii');
  new dynamodb.Table(s, 'Customers', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, deletionProtection: true,
  });
  const dbGroup = new ec2.SecurityGroup(s, 'DbGroup', { vpc, allowAllOutbound: !ok }); // EXF-EGRESS
  new rds.DatabaseInstance(s, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), vpc,
    vpcSubnets: { subnetType: ok ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS }, // NET-TIERS
    securityGroups: [dbGroup], storageEncryptionKey: key, deletionProtection: true, publiclyAccessible: false,
    credentials: rds.Credentials.fromPassword('admin', SecretValue.unsafePlainText('not-a-real-password')),
  });
  const alerts = new sns.Topic(s, 'Alerts', { masterKey: key });
  if (ok) alerts.addSubscription(new subs.EmailSubscription('oncall@example.com')); // IR-ROUTING
  new sqs.Queue(s, 'Work', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  logGroup('App', ok ? logs.RetentionDays.THREE_YEARS : logs.RetentionDays.ONE_MONTH); // LOG-RETENTION

  // Identity
  const group = new iam.Group(s, 'Operators');
  if (ok) {
    group.addToPolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, notActions: MFA_SELF_SERVICE, resources: ['*'], conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }));
  } // IAM-MFA
  group.addToPolicy(new iam.PolicyStatement({ actions: ok ? ['s3:GetObject'] : ['s3:*'], resources: ok ? [`arn:aws:s3:::reports/*`] : ['*'] })); // IAM-LEASTPRIV
  if (!ok) new iam.User(s, 'Alice', { password: SecretValue.unsafePlainText('Initial-Password-1') }); // IAM-NOUSERS
  const passwords = new AccountPasswordPolicy(s, 'PasswordPolicy');
  if (!ok) { // IAM-PASSWORD: an escape hatch weakens what the construct sends
    const cfn = passwords.resource.node.findChild('Resource').node.defaultChild as CfnResource;
    for (const event of ['Create', 'Update']) {
      cfn.addPropertyOverride(event, JSON.stringify({ service: 'IAM', action: 'updateAccountPasswordPolicy', parameters: { ...passwords.parameters, MinimumPasswordLength: 8 } }));
    }
  }
  new iam.Role(s, 'OperatorRole', {
    assumedBy: new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }),
    maxSessionDuration: ok ? Duration.hours(1) : Duration.hours(12), // IAM-SESSION
  });

  // Logging
  const archive = secureBucket('Archive', ok ? { objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(1095)) } : {}); // LOG-ARCHIVE
  const trailLogs = logGroup('TrailLogs', undefined, 'security-trail');
  const trail = new cloudtrail.Trail(s, 'Trail', {
    bucket: archive, isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableFileValidation: ok, encryptionKey: key, // LOG-TRAIL
    sendToCloudWatchLogs: true, cloudWatchLogGroup: trailLogs,
  });
  if (ok) new CisAlarms(s, 'CisAlarms', { logGroup: trailLogs, topic: alerts }); // LOG-ALARMS
  trail.addS3EventSelector([{ bucket: customers }], { readWriteType: ok ? cloudtrail.ReadWriteType.ALL : cloudtrail.ReadWriteType.WRITE_ONLY }); // EXF-DATAEVENTS

  // Detection and recovery
  new guardduty.CfnDetector(s, 'Detector', {
    enable: true, // GD-ENABLED: every plan, runtime monitoring with its agents
    features: GUARDDUTY_FEATURES.filter((f) => ok || f.name !== 'RUNTIME_MONITORING')
      .map((f) => ({ name: f.name, status: 'ENABLED', additionalConfiguration: f.additionalConfiguration?.map((name) => ({ name, status: 'ENABLED' })) })),
  });
  new events.Rule(s, 'HighSeverityFindings', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } },
    targets: [new targets.SnsTopic(alerts)],
  });
  const vault = new backup.BackupVault(s, 'Vault', {
    encryptionKey: key, lockConfiguration: ok ? { minRetention: Duration.days(35), changeableFor: Duration.days(3) } : undefined, // BAK-VAULTLOCK
  });
  backup.BackupPlan.daily35DayRetention(s, 'Plan', vault).addSelection('Tagged', { resources: [backup.BackupResource.fromTag('hardening:backup', 'required')] });
  synthFast(app);
  return app;
}

describe('a test app with one violation per control, and its hardened twin', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  let broken: Finding[];
  let hardened: Finding[];
  beforeAll(() => {
    broken = evaluateScope(environment(false), { now });
    hardened = evaluateScope(environment(true), { now });
  });

  const controls = [...new Set(BREACH_LESSONS_RULES.flatMap((r) => r.controlIds))].sort() as ControlId[];

  test('the pack covers the controls the issue lists', () => {
    expect(controls).toEqual([
      'BAK-RETAIN', 'BAK-VAULTLOCK', 'DATA-CMK', 'DATA-KEYPOLICY', 'DATA-PUBLIC', 'DATA-ROTATION', 'DATA-TLS', 'DISPOSAL', 'EC2-IMDSV2', 'EXF-DATAEVENTS', 'EXF-EGRESS', 'EXF-ENDPOINTPOLICY', 'GD-ENABLED',
      'IAM-LEASTPRIV', 'IAM-MFA', 'IAM-NOUSERS', 'IAM-PASSWORD', 'IAM-SESSION', 'IR-ROUTING', 'LOG-ALARMS', 'LOG-ARCHIVE', 'LOG-FLOW', 'LOG-RETENTION', 'LOG-TAMPER', 'LOG-TRAIL',
      'NET-DEFAULTSG', 'NET-ENDPOINTS', 'NET-INGRESS', 'NET-NOADMINPORTS', 'NET-TIERS',
    ]);
  });

  test.each(controls)('%s: the broken app is caught', (c) => {
    expect(broken.filter((f) => f.controlId === c && f.status === 'FAIL').length).toBeGreaterThan(0);
  });

  test('the broken app has nothing it cannot verify', () => {
    expect(broken.filter((f) => f.status === 'ERROR').map((f) => `${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
  });

  test('the hardened twin has no finding but PASS', () => {
    expect(hardened.filter((f) => f.status !== 'PASS').map((f) => `${f.status} ${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
    expect(hardened.length).toBeGreaterThan(100);
  });

  test.each(controls)('%s: the hardened twin is evaluated and passes', (c) => {
    expect(hardened.filter((f) => f.controlId === c).length).toBeGreaterThan(0);
  });

  test('IAM-NOUSERS: the hardened twin defines no IAM user or access key, and says so once for its template', () => {
    expect(hardened.filter((f) => f.resource.type === 'AWS::IAM::User' || f.resource.type === 'AWS::IAM::AccessKey')).toEqual([]);
    expect(hardened.filter((f) => f.ruleId === 'BreachLessons-IAMTemplateNoUsersOrKeys').map((f) => `${f.status} ${f.resource.template}`))
      .toEqual(['PASS Hardened.template.json']);
    expect(broken.filter((f) => f.ruleId === 'BreachLessons-IAMTemplateNoUsersOrKeys').map((f) => f.message))
      .toEqual([expect.stringMatching(/user Alice\w* with a console password/)]);
  });

  test('IAM-PASSWORD: the broken app sends length 8, the hardened twin the CIS floor', () => {
    const ofRule = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'BreachLessons-IAMAccountPasswordPolicyStrong');
    expect(ofRule(hardened).map((f) => f.status)).toEqual(['PASS']);
    expect(ofRule(broken).map((f) => f.message)).toEqual([expect.stringMatching(/Create MinimumPasswordLength is 8/)]);
  });
});
