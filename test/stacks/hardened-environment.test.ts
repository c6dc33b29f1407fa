import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { parseConfig } from '../../lib/config';
import { evaluateScope } from '../../lib/nag/evaluate';
import { rulesNamed } from '../../lib/nag/rules';
import { HardenedEnvironment, buildHardenedEnvironment, registerChecks } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';

/** The app exactly as `cdk synth` builds it from cdk.json. */
function hardenedApp(extra: Record<string, unknown> = {}): { app: App; env: HardenedEnvironment } {
  const context = { ...cdkJsonContext(), ...extra };
  const app = new App({ context });
  const env = buildHardenedEnvironment(app, parseConfig(context));
  registerChecks(app);
  return { app, env };
}

/** Synthesizes; returns the validation failure text, or '' when every pack is satisfied. */
function synthProblems(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the hardened environment', () => {
  let app: App;
  let env: HardenedEnvironment;
  let templates: Map<string, Template>;
  beforeAll(() => {
    ({ app, env } = hardenedApp());
    expect(synthProblems(app)).toBe('');
    templates = new Map(env.stacks.map((s) => [s.stackName, Template.fromStack(s)]));
  });

  test('synthesizes offline with zero unacknowledged violations of every registered pack', () => {
    // beforeAll asserted the synthesis; here, that it really produced every stack.
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(env.stacks.map((s) => s.stackName).sort());
  });

  test('a violation fails synthesis (the check is live)', () => {
    const { app: bad } = hardenedApp();
    const stack = new Stack(bad, 'Careless', { env: { region: 'us-east-1' } });
    new s3.Bucket(stack, 'Open', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY, encryption: s3.BucketEncryption.UNENCRYPTED });
    expect(synthProblems(bad)).toMatch(/Careless\/Open/);
  });

  test('no stack needs an account lookup: explicit AZs, no context queries', () => {
    const missing = app.synth().manifest.missing ?? [];
    expect(missing).toEqual([]);
  });

  test('stateful stacks have termination protection', () => {
    expect(env.data.terminationProtection).toBe(true);
    expect(env.logging.terminationProtection).toBe(true);
  });

  test('the logical ids of stateful resources never change, and each is retained', () => {
    const pinned: Record<string, Record<string, string>> = {
      HardeningData: {
        AccessLogs247031D9: 'AWS::S3::Bucket',
        CustomerPiiKey4E0C18F0: 'AWS::KMS::Key',
        CustomerPiiBucket88B50368: 'AWS::S3::Bucket',
        CustomerPiiTableB9DE7BA2: 'AWS::DynamoDB::Table',
      },
      HardeningLogging: {
        LogsKey195F8DFC: 'AWS::KMS::Key',
        AccessLogs247031D9: 'AWS::S3::Bucket',
        TrailArchiveBucketFFF4F832: 'AWS::S3::Bucket',
        TrailLogGroup4CBE3AF5: 'AWS::Logs::LogGroup',
        TrailA0C862CD: 'AWS::CloudTrail::Trail',
        FlowLogGroup3E25AA51: 'AWS::Logs::LogGroup',
      },
    };
    for (const [stackName, resources] of Object.entries(pinned)) {
      const json = templates.get(stackName)!.toJSON();
      for (const [logicalId, type] of Object.entries(resources)) {
        expect([stackName, logicalId, json.Resources[logicalId]?.Type, json.Resources[logicalId]?.DeletionPolicy])
          .toEqual([stackName, logicalId, type, 'Retain']);
      }
    }
  });

  test('every stateful resource in the app is retained', () => {
    const stateful = ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault', 'AWS::CloudTrail::Trail'];
    for (const [name, t] of templates) {
      for (const [id, r] of Object.entries(t.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>)) {
        if (stateful.includes(r.Type)) expect([name, id, r.DeletionPolicy]).toEqual([name, id, 'Retain']);
      }
    }
  });

  test('every log group keeps >= 365 days and is encrypted with a customer-managed key', () => {
    let count = 0;
    for (const [name, t] of templates) {
      for (const [id, r] of Object.entries(t.findResources('AWS::Logs::LogGroup'))) {
        count++;
        expect([name, id, r.Properties.RetentionInDays >= 365, Boolean(r.Properties.KmsKeyId)]).toEqual([name, id, true, true]);
      }
    }
    expect(count).toBeGreaterThanOrEqual(2);
  });

  test('no security group anywhere admits 0.0.0.0/0 or ::/0', () => {
    for (const [, t] of templates) {
      const ingress = [
        ...Object.values(t.findResources('AWS::EC2::SecurityGroup')).flatMap((r) => r.Properties.SecurityGroupIngress ?? []),
        ...Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties),
      ];
      for (const i of ingress) {
        expect(i.CidrIp).not.toBe('0.0.0.0/0');
        expect(i.CidrIpv6).not.toBe('::/0');
      }
    }
  });

  test('the app creates no IAM user and no access key', () => {
    for (const [, t] of templates) {
      t.resourceCountIs('AWS::IAM::User', 0);
      t.resourceCountIs('AWS::IAM::AccessKey', 0);
    }
  });

  test('the trail records data events on every PII bucket and the flow logs land in the logging stack', () => {
    const trail = Object.values(templates.get('HardeningLogging')!.findResources('AWS::CloudTrail::Trail'))[0];
    const dataResources = JSON.stringify(trail.Properties.EventSelectors);
    expect(dataResources).toContain('AWS::S3::Object');
    expect(dataResources).toContain('CustomerPiiBucket');
    templates.get('HardeningNetwork')!.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  test('the CIS alarms and the alarm topic carry the name prefix the protect-security-services SCP guards', () => {
    const t = templates.get('HardeningLogging')!;
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    // Beside the 15 CIS alarms: the kill-chain alarms and heartbeats of issue 10, under the same prefix.
    expect(alarms.filter((n) => n.startsWith('Hardening-security-cis-'))).toHaveLength(15);
    for (const name of alarms) expect(name).toMatch(/^Hardening-security-(cis-4-\d+-[A-Za-z0-9]+|[a-z-]+)$/);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Hardening-security-alarms' });
  });

  test('only named administrators may change a key policy, and every boundary protects the trail and its log group (issue 10, build item 4)', () => {
    const fs = evaluateScope(app, { rules: rulesNamed('KMSKeyPolicyNamedAdministrators', 'CloudTrailPipelineBoundaryProtected') });
    expect(fs.filter((f) => f.status !== 'PASS').map((f) => `${f.status} ${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
    const passed = (ruleId: string) => fs.filter((f) => f.ruleId === `BreachLessons-${ruleId}`).map((f) => f.resource.id).sort();
    expect(passed('KMSKeyPolicyNamedAdministrators')).toEqual([
      'HardeningData/CustomerPii/Key/Resource/Resource', 'HardeningDetection/Alerts/Key/Resource/Resource',
      'HardeningIdentity/SecurityAutomation/LogKey/Resource/Resource', 'HardeningLogging/LogsKey/Resource/Resource', 'HardeningRecovery/Vault/Key/Resource/Resource',
    ]);
    // The trail and the one log group it delivers to and the CIS filters read; no other log group is part of the pipeline.
    expect(passed('CloudTrailPipelineBoundaryProtected')).toEqual(['HardeningLogging/Trail/LogGroup/Resource', 'HardeningLogging/Trail/Resource/Resource']);
  });

  test('each data class gets its own key, bucket and (when asked) table', () => {
    const { env: two } = hardenedApp({ 'hardening:dataClasses': [{ name: 'loans', table: false }, { name: 'customer-pii', table: true, objectLock: true }] });
    const t = Template.fromStack(two.data);
    t.resourceCountIs('AWS::KMS::Key', 2);
    t.resourceCountIs('AWS::S3::Bucket', 3);
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
});
