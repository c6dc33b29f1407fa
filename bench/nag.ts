/**
 * BreachLessons pack cost per resource against cdk-nag's AwsSolutionsChecks, on the same generated
 * app at about 240, 1,200 and 2,400 resources, in one run. Both packs evaluate the same construct
 * tree through `validateScope` (no synthesis, CDK_VALIDATION=false). Target: at most 0.5x
 * AwsSolutions per resource, and linear growth (scaling exponent close to 1).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { BreachLessonsChecks } from '../lib/nag/breach-lessons-checks';
import { printTable, scalingExponent, timeMs } from './util';

const UNITS_PER_STACK = 25;

/** One workload unit: about a dozen resources touching most rule families. */
function unit(s: Stack, vpc: ec2.Vpc, subnets: rds.CfnDBSubnetGroup, i: number): void {
  const key = new kms.Key(s, `Key${i}`, { enableKeyRotation: true });
  const bucket = new s3.Bucket(s, `Bucket${i}`, { encryptionKey: key, enforceSSL: true, versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const table = new dynamodb.Table(s, `Table${i}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
  new sqs.Queue(s, `Queue${i}`, { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  new sns.Topic(s, `Topic${i}`, { masterKey: key });
  new logs.LogGroup(s, `Logs${i}`, { encryptionKey: key, retention: logs.RetentionDays.THREE_YEARS });
  const role = new iam.Role(s, `Role${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantRead(role);
  table.grantReadData(role);
  const sg = new ec2.SecurityGroup(s, `Sg${i}`, { vpc, allowAllOutbound: false });
  sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(5432));
  new rds.CfnDBInstance(s, `Db${i}`, {
    engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', storageEncrypted: true, kmsKeyId: key.keyArn,
    dbSubnetGroupName: subnets.ref, vpcSecurityGroups: [sg.securityGroupId], deletionProtection: true, publiclyAccessible: false,
  });
}

function generate(units: number): App {
  const app = new App();
  for (let first = 0, n = 0; first < units; first += UNITS_PER_STACK, n++) {
    const s = new Stack(app, `Bench${n}`, { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(s, 'Vpc', {
      maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const subnets = new rds.CfnDBSubnetGroup(s, 'DataSubnets', { dbSubnetGroupDescription: 'data', subnetIds: vpc.isolatedSubnets.map((x) => x.subnetId) });
    for (let i = first; i < Math.min(units, first + UNITS_PER_STACK); i++) unit(s, vpc, subnets, i);
  }
  return app;
}

function countResources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}

export async function run(): Promise<void> {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    // Warm both packs up on a small app so the first size does not pay for module loading and JIT.
    const warm = generate(40);
    new BreachLessonsChecks(warm).validateScope(warm);
    new AwsSolutionsChecks(warm).validateScope(warm);

    const rows: Record<string, string | number>[] = [];
    const ours: { x: number; y: number }[] = [];
    const theirs: { x: number; y: number }[] = [];
    for (const units of [20, 100, 200]) {
      const app = generate(units);
      const resources = countResources(app);
      const pack = new BreachLessonsChecks(app);
      const tOurs = timeMs(() => pack.validateScope(app));
      const tTheirs = timeMs(() => new AwsSolutionsChecks(app).validateScope(app));
      ours.push({ x: resources, y: tOurs });
      theirs.push({ x: resources, y: tTheirs });
      rows.push({
        resources,
        evaluations: pack.lastFindings.length,
        'BreachLessons ms': tOurs.toFixed(0),
        'AwsSolutions ms': tTheirs.toFixed(0),
        'BreachLessons ms/resource': (tOurs / resources).toFixed(3),
        'AwsSolutions ms/resource': (tTheirs / resources).toFixed(3),
        'ratio (target <= 0.5)': (tOurs / tTheirs).toFixed(2),
      });
    }
    printTable('BreachLessons vs cdk-nag AwsSolutionsChecks, validateScope on the same app (one run)', rows);
    console.log(`scaling exponent (log-log slope, 1 = linear): BreachLessons ${scalingExponent(ours).toFixed(2)}, AwsSolutions ${scalingExponent(theirs).toFixed(2)}`);
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

if (require.main === module) void run();
export const __generate = generate;
