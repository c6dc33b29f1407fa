/**
 * BreachLessons pack cost per resource against cdk-nag's AwsSolutionsChecks, on the same generated
 * app at about 240, 1,200 and 2,400 resources, in one run. Both packs evaluate the same construct
 * tree through `validateScope` (no synthesis, CDK_VALIDATION=false). Target: at most 0.5x
 * AwsSolutions per resource, and linear growth (scaling exponent close to 1).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BreachLessonsChecks } from '../lib/nag/breach-lessons-checks';
import { collector, countResources, median, printTable, scalingExponent, timeMs } from './util';

const UNITS_PER_STACK = 15;
/** Units per size: about 240, 1,200 and 2,400 resources. */
const UNITS = [12, 60, 120];

/**
 * One workload unit, about 20 resources: the data tier every rule family looks at (key, bucket,
 * table, queue, topic, log group, role, security group, database) and the compute around it that
 * only some rules concern (function, secret, parameter, alarm, schedule).
 */
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
  // The workload around the data: a function with its role, a secret, a parameter, an alarm and a schedule.
  const fn = new lambda.Function(s, `Fn${i}`, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};') });
  bucket.grantRead(fn);
  new secretsmanager.Secret(s, `Secret${i}`, { encryptionKey: key });
  new ssm.StringParameter(s, `Param${i}`, { stringValue: `value-${i}` });
  new cloudwatch.Alarm(s, `Alarm${i}`, { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
  new events.Rule(s, `Schedule${i}`, { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
  new rds.CfnDBInstance(s, `Db${i}`, {
    engine: 'postgres', dbInstanceClass: 'db.t3.micro', allocatedStorage: '20', storageEncrypted: true, kmsKeyId: key.keyArn,
    dbSubnetGroupName: subnets.ref, vpcSecurityGroups: [sg.securityGroupId], deletionProtection: true, publiclyAccessible: false,
  });
}

/** The generated app: `units` workload units, 15 per stack, each stack with its own VPC. */
export function generate(units: number): App {
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



const TRIALS = 3;

export async function run(): Promise<void> {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  const gc = collector();
  try {
    // Warm both packs up so the first size does not pay for module loading and JIT.
    for (let i = 0; i < 2; i++) {
      const warm = generate(20);
      new BreachLessonsChecks(warm).validateScope(warm);
      new AwsSolutionsChecks(warm).validateScope(warm);
    }
    const rows: Record<string, string | number>[] = [];
    const ours: { x: number; y: number }[] = [];
    const theirs: { x: number; y: number }[] = [];
    for (const units of UNITS) {
      // Identical apps, built before timing; each pack evaluates its own copy (token resolution caches
      // nothing across apps), alternating which goes first; the median of the trials is reported.
      const tOurs: number[] = [];
      const tTheirs: number[] = [];
      let resources = 0;
      let evaluations = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const a = generate(units);
        const b = generate(units);
        resources = countResources(a);
        const measureOurs = () => {
          gc();
          const pack = new BreachLessonsChecks(a);
          tOurs.push(timeMs(() => pack.validateScope(a)));
          evaluations = pack.lastFindings.length;
        };
        const measureTheirs = () => {
          gc();
          tTheirs.push(timeMs(() => new AwsSolutionsChecks(b).validateScope(b)));
        };
        if (trial % 2 === 0) { measureOurs(); measureTheirs(); } else { measureTheirs(); measureOurs(); }
      }
      const o = median(tOurs);
      const t = median(tTheirs);
      ours.push({ x: resources, y: o });
      theirs.push({ x: resources, y: t });
      rows.push({
        resources,
        evaluations,
        'BreachLessons ms': o.toFixed(0),
        'AwsSolutions ms': t.toFixed(0),
        'BreachLessons ms/resource': (o / resources).toFixed(3),
        'AwsSolutions ms/resource': (t / resources).toFixed(3),
        'ratio (target <= 0.5)': (o / t).toFixed(2),
      });
    }
    printTable(`BreachLessons vs cdk-nag AwsSolutionsChecks, validateScope on identical generated apps (median of ${TRIALS})`, rows);
    console.log(`scaling exponent (log-log slope, 1 = linear): BreachLessons ${scalingExponent(ours).toFixed(2)}, AwsSolutions ${scalingExponent(theirs).toFixed(2)}`);
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

if (require.main === module) void run();
