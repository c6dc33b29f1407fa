/**
 * BreachLessons on a POLICY-HEAVY generated app against cdk-nag's AwsSolutionsChecks, at about 1,200
 * and 2,400 resources, in one run: buckets with bucket policies, queues and topics with resource
 * policies, keys, roles with inline policies (service and human roles), MFA groups, log groups,
 * security groups and tables. Every rule that reads a policy asks lib/policy here. Both packs evaluate
 * identical apps through `validateScope` (CDK_VALIDATION=false), alternating which goes first; the
 * median of the trials is reported, for wall time and for CPU time (the machine may be shared and noisy:
 * the output says so and shows the spread). Target: at most 0.5x AwsSolutions per resource, linear growth.
 */
import * as os from 'os';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BreachLessonsChecks } from '../lib/nag/breach-lessons-checks';
import { collector, countResources, median, printTable, scalingExponent, timeMs } from './util';

const ACCOUNT = '111122223333';
const ORG = 'o-bench1234567';
const UNITS_PER_STACK = 20;
/** Units per size: about 1,200 and 2,400 resources. */
const UNITS = [78, 156];
const MFA_SELF_SERVICE = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'];

/** One unit, about 20 resources, most of them carrying or read through a policy. */
function unit(s: Stack, vpc: ec2.IVpc, i: number): void {
  const key = new kms.Key(s, `Key${i}`, { enableKeyRotation: true });
  const bucket = new s3.Bucket(s, `Bucket${i}`, { encryptionKey: key, enforceSSL: true, minimumTLSVersion: 1.2, versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('shared/*')],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
  }));
  const queue = new sqs.Queue(s, `Queue${i}`, { encryptionMasterKey: key, enforceSSL: true });
  const topic = new sns.Topic(s, `Topic${i}`, { masterKey: key, enforceSSL: true });
  queue.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
  }));
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
  }));
  new logs.LogGroup(s, `Logs${i}`, { encryptionKey: key, retention: logs.RetentionDays.THREE_YEARS });
  const table = new dynamodb.Table(s, `Table${i}`, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key, pointInTimeRecovery: true,
  });
  const worker = new iam.Role(s, `Worker${i}`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: { data: new iam.PolicyDocument({ statements: [
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects('*')] }),
      new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:ReceiveMessage'], resources: [queue.queueArn] }),
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], resources: [table.tableArn] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteBucket'], resources: ['*'] }),
    ] }) },
  });
  topic.grantPublish(worker);
  new iam.Role(s, `Operator${i}`, {
    assumedBy: new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }),
    inlinePolicies: { read: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject', 'dynamodb:Query'], resources: [bucket.arnForObjects('*'), table.tableArn] })] }) },
  });
  const group = new iam.Group(s, `Group${i}`);
  group.addToPolicy(new iam.PolicyStatement({
    sid: 'DenyWithoutMfa', effect: iam.Effect.DENY, notActions: MFA_SELF_SERVICE, resources: ['*'], conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  }));
  const sg = new ec2.SecurityGroup(s, `Sg${i}`, { vpc, allowAllOutbound: false });
  sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443));
}

/** The generated app: `units` units, 20 per stack, each stack with its own VPC and an S3 endpoint limited to the organization. */
export function generate(units: number): App {
  const app = new App();
  for (let first = 0, n = 0; first < units; first += UNITS_PER_STACK, n++) {
    const s = new Stack(app, `Policy${n}`, { env: { account: ACCOUNT, region: 'us-east-1' } });
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const ep = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    ep.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['*'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }));
    for (let i = first; i < Math.min(units, first + UNITS_PER_STACK); i++) unit(s, vpc, i);
  }
  return app;
}



/** Trials per size (odd, for a true median); BENCH_TRIALS overrides. */
const TRIALS = Math.max(1, Number(process.env.BENCH_TRIALS ?? 3) | 0);

/** CPU time (user + system) of the process in ms: less disturbed than wall time by other processes on a shared machine. */
function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

function spread(xs: number[]): string {
  return `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
}

export async function run(): Promise<void> {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  const gc = collector();
  try {
    for (let i = 0; i < 2; i++) {
      const warm = generate(20);
      new BreachLessonsChecks(warm, { organizationId: ORG }).validateScope(warm);
      new AwsSolutionsChecks(warm).validateScope(warm);
    }
    const load0 = os.loadavg()[0];
    const rows: Record<string, string | number>[] = [];
    const wallOurs: { x: number; y: number }[] = [];
    const wallTheirs: { x: number; y: number }[] = [];
    const cpuOurs: { x: number; y: number }[] = [];
    const cpuTheirs: { x: number; y: number }[] = [];
    for (const units of UNITS) {
      const tOurs: number[] = [];
      const tTheirs: number[] = [];
      const cOurs: number[] = [];
      const cTheirs: number[] = [];
      let resources = 0;
      let evaluations = 0;
      let failing = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const a = generate(units);
        const b = generate(units);
        resources = countResources(a);
        const measureOurs = () => {
          gc();
          const pack = new BreachLessonsChecks(a, { organizationId: ORG });
          let wall = 0;
          cOurs.push(cpuMs(() => { wall = timeMs(() => pack.validateScope(a)); }));
          tOurs.push(wall);
          evaluations = pack.lastFindings.length;
          failing = pack.lastFindings.filter((f) => f.status !== 'PASS').length;
        };
        const measureTheirs = () => {
          gc();
          let wall = 0;
          cTheirs.push(cpuMs(() => { wall = timeMs(() => new AwsSolutionsChecks(b).validateScope(b)); }));
          tTheirs.push(wall);
        };
        if (trial % 2 === 0) { measureOurs(); measureTheirs(); } else { measureTheirs(); measureOurs(); }
      }
      const o = median(tOurs);
      const t = median(tTheirs);
      const co = median(cOurs);
      const ct = median(cTheirs);
      wallOurs.push({ x: resources, y: o });
      wallTheirs.push({ x: resources, y: t });
      cpuOurs.push({ x: resources, y: co });
      cpuTheirs.push({ x: resources, y: ct });
      rows.push({
        resources, evaluations, 'not PASS': failing,
        'BreachLessons ms': o.toFixed(0), 'AwsSolutions ms': t.toFixed(0),
        'BreachLessons ms/resource': (o / resources).toFixed(3), 'AwsSolutions ms/resource': (t / resources).toFixed(3),
        'ratio wall (target <= 0.5)': (o / t).toFixed(2),
        'ratio cpu (target <= 0.5)': (co / ct).toFixed(2),
        'per-trial wall ratios': spread(tOurs.map((x, i) => x / tTheirs[i])),
      });
    }
    printTable(`policy-heavy app: BreachLessons vs cdk-nag AwsSolutionsChecks, validateScope (median of ${TRIALS} alternating trials)`, rows);
    console.log(`scaling exponent (log-log slope, 1 = linear), wall: BreachLessons ${scalingExponent(wallOurs).toFixed(2)}, AwsSolutions ${scalingExponent(wallTheirs).toFixed(2)};`
      + ` cpu: BreachLessons ${scalingExponent(cpuOurs).toFixed(2)}, AwsSolutions ${scalingExponent(cpuTheirs).toFixed(2)}`);
    console.log(`noise: load average ${load0.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end on ${os.cpus().length} cores. On a shared machine wall times`
      + ' swing by 2x between trials (see the per-trial ratios); the cpu ratio (process user+system time, GC threads included) is the steadier of the two.'
      + ' Use BENCH_TRIALS=5 (or more) for a firmer median.');
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = saved;
  }
}

if (require.main === module) void run();
