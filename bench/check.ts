import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { main } from '../lib/cli/main';
import { countByStatus } from '../lib/findings';
import { evaluateScope } from '../lib/nag/evaluate';
import { renderFindings } from '../lib/report';
import { loadTemplate } from '../lib/template/load';
import { evaluateTemplates } from '../lib/template/evaluate-templates';
import { median, printTable, timeMs, timeMsAsync } from './util';

const GROUP = 8;

/**
 * A stack of `n` resources (groups of 8: key, bucket, security group, log group, table, queue,
 * topic, VPC flow log), half of them compliant, built from L1 constructs exactly as a template
 * would declare them.
 */
export function buildStack(n: number): { app: App; stack: Stack } {
  // One template beyond CloudFormation's 500-resource limit, on purpose: a load test, never deployed.
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false, '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench');
  for (let g = 0; g < n / GROUP; g++) {
    const good = g % 2 === 0;
    const key = new kms.CfnKey(stack, `Key${g}`, { enableKeyRotation: good, keyPolicy: { Version: '2012-10-17', Statement: [] } });
    key.cfnOptions.deletionPolicy = good ? 'Retain' as never : undefined;
    const keyArn = key.attrArn;
    new s3.CfnBucket(stack, `Bucket${g}`, {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: good ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn } : { sseAlgorithm: 'AES256' } }] },
      publicAccessBlockConfiguration: good ? { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } : undefined,
      versioningConfiguration: good ? { status: 'Enabled' } : undefined,
    });
    new ec2.CfnSecurityGroup(stack, `Sg${g}`, {
      groupDescription: 'bench', vpcId: 'vpc-0123456789abcdef0',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: good ? 443 : 22, toPort: good ? 443 : 22, cidrIp: good ? '10.0.0.0/8' : '0.0.0.0/0' }],
    });
    new logs.CfnLogGroup(stack, `Logs${g}`, { retentionInDays: good ? 1096 : 30, kmsKeyId: good ? keyArn : undefined });
    new dynamodb.CfnTable(stack, `Table${g}`, {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: good ? { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: keyArn } : undefined,
      pointInTimeRecoverySpecification: good ? { pointInTimeRecoveryEnabled: true } : undefined,
    });
    new sqs.CfnQueue(stack, `Queue${g}`, { kmsMasterKeyId: good ? keyArn : undefined });
    new sns.CfnTopic(stack, `Topic${g}`, { kmsMasterKeyId: good ? keyArn : undefined });
    new ec2.CfnFlowLog(stack, `Flow${g}`, { resourceId: 'vpc-0123456789abcdef0', resourceType: 'VPC', trafficType: good ? 'ALL' : 'REJECT',
      logDestinationType: 'cloud-watch-logs', logGroupName: Fn.ref(`Logs${g}`) });
  }
  return { app, stack };
}

const countResources = (stack: Stack): number => stack.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;

/**
 * `check` on a generated 2,400-resource template against the pack's in-app evaluation of the same
 * resources (evaluateScope over the constructed app), alternating in one run; medians and the ratio.
 */
export async function run(resources = 2400, rounds = 5): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
  try {
    const now = new Date();
    const { app, stack } = buildStack(resources);
    const n = countResources(stack);
    const file = join(dir, 'Bench.template.json');
    // Only the template is wanted here: aws-cdk-lib's own template validation is not under test.
    const validation = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'false';
    const template = app.synth({ validateOnSynthesis: false }).getStackByName('Bench').template;
    if (validation === undefined) delete process.env.CDK_VALIDATION; else process.env.CDK_VALIDATION = validation;
    writeFileSync(file, JSON.stringify(template, null, 1));

    const io = { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false, env: {}, now: () => now };
    const inApp = (): number => timeMs(() => evaluateScope(app, { now }));
    const buildAndEvaluate = (): number => timeMs(() => evaluateScope(buildStack(resources).app, { now }));
    const cli = (): Promise<number> => timeMsAsync(async () => {
      const code = await main(['check', file, '--format', 'json', '--out', join(dir, 'out.json'), '--fail-on', 'never'], io);
      if (code === 2) throw new Error('check rejected the generated template');
    });
    inApp(); await cli(); // warm-up: module loading and JIT are not evaluation
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < rounds; i++) {
      a.push(inApp());
      b.push(buildAndEvaluate());
      c.push(await cli());
    }
    // Where check's time goes: medians over the same number of rounds.
    let loaded!: ReturnType<typeof loadTemplate>;
    let findings!: ReturnType<typeof evaluateTemplates>;
    const steps = { parse: [] as number[], include: [] as number[], evaluate: [] as number[], render: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      steps.parse.push(timeMs(() => { loaded = loadTemplate(file); }));
      steps.include.push(timeMs(() => new CfnInclude(new Stack(new App(), 'Include'), 'Template', { templateFile: file })));
      steps.evaluate.push(timeMs(() => { findings = evaluateTemplates([loaded], { now }); }));
      steps.render.push(timeMs(() => renderFindings('json', findings, { title: 'bench', generatedAt: now, toolVersion: '0' })));
    }
    const inAppFindings = evaluateScope(app, { now });
    const same = JSON.stringify(countByStatus(inAppFindings)) === JSON.stringify(countByStatus(findings));

    const am = median(a);
    const bm = median(b);
    const cm = median(c);
    printTable(`check vs in-app evaluation (${n} resources, ${findings.length} findings, ${rounds} rounds)`, [
      { variant: 'in-app evaluateScope', 'median ms': am.toFixed(0), 'min ms': Math.min(...a).toFixed(0), 'ms/resource': (am / n).toFixed(3) },
      { variant: 'in-app build + evaluateScope', 'median ms': bm.toFixed(0), 'min ms': Math.min(...b).toFixed(0), 'ms/resource': (bm / n).toFixed(3) },
      { variant: 'check (CLI, end to end)', 'median ms': cm.toFixed(0), 'min ms': Math.min(...c).toFixed(0), 'ms/resource': (cm / n).toFixed(3) },
    ]);
    printTable(`check breakdown (medians of ${rounds})`, [
      { step: 'read + parse + validate', 'median ms': median(steps.parse).toFixed(0) },
      { step: 'CfnInclude alone', 'median ms': median(steps.include).toFixed(0) },
      { step: 'CfnInclude + evaluateScope (+ temp file)', 'median ms': median(steps.evaluate).toFixed(0) },
      { step: 'render json', 'median ms': median(steps.render).toFixed(0) },
    ]);
    console.log(`same evaluations in both: ${same ? 'yes' : 'NO'} (${JSON.stringify(countByStatus(findings))})`);
    console.log(`ratio check / in-app evaluateScope: ${(cm / am).toFixed(2)}x; check / in-app build + evaluate: ${(cm / bm).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
