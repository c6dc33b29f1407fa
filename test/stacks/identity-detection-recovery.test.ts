import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ConfigError, parseConfig } from '../../lib/config';
import { SECURITY_AUTOMATION_ROLE_PATH } from '../../lib/constructs/security-automation';
import { HardenedEnvironment, buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { loadPolicy, scpValues } from '../../lib/policies';
import { cdkJsonContext } from '../helpers/app';
import { ACCOUNT, decide } from '../policies/simulate';

/** Identity, detection and recovery stacks in the app exactly as `cdk synth` builds it, with cdk.json's defaults. */
describe('identity, detection and recovery stacks (cdk.json defaults)', () => {
  let env: HardenedEnvironment;
  let t: Record<'identity' | 'detection' | 'recovery' | 'data', Template>;
  let all: [string, Template][];
  beforeAll(() => {
    const context = cdkJsonContext();
    const app = new App({ context });
    env = buildHardenedEnvironment(app, parseConfig(context));
    t = { identity: Template.fromStack(env.identity), detection: Template.fromStack(env.detection), recovery: Template.fromStack(env.recovery), data: Template.fromStack(env.data) };
    all = env.stacks.map((s) => [s.stackName, Template.fromStack(s)]);
  });

  test.each(['identity', 'detection', 'recovery'] as const)('the %s stack has no unacknowledged AwsSolutions or NIST 800-53 R5 finding', (name) => {
    const stack: Stack = env[name];
    for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
      expect(pack.validateScope(stack).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath ?? '').join(' ')}`)).toEqual([]);
    }
  });

  test('stacks target the configured region and synthesize without lookups', () => {
    for (const s of [env.identity, env.detection, env.recovery]) expect(s.region).toBe(parseConfig(cdkJsonContext()).region);
  });

  test('groups carry require-mfa; no IAM user or access key anywhere in the app', () => {
    const requireMfa = Object.keys(t.identity.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('require-mfa') } }));
    expect(requireMfa).toHaveLength(1);
    const groups = Object.values(t.identity.findResources('AWS::IAM::Group'));
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g.Properties.ManagedPolicyArns).toContainEqual({ Ref: requireMfa[0] });
    for (const [, tpl] of all) {
      tpl.resourceCountIs('AWS::IAM::User', 0);
      tpl.resourceCountIs('AWS::IAM::AccessKey', 0);
    }
  });

  test('human roles require MFA within 3600 s and last at most an hour', () => {
    const humans = Object.values(t.identity.findResources('AWS::IAM::Role')).filter((r) => r.Properties.Path !== SECURITY_AUTOMATION_ROLE_PATH);
    expect(humans.map((r) => r.Properties.RoleName).sort()).toEqual(['Hardening-administrators', 'Hardening-auditors', 'Hardening-operators']);
    for (const r of humans) {
      expect(r.Properties.MaxSessionDuration).toBe(3600);
      expect(r.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
      });
    }
  });

  test('every role of every stack carries its own stack\'s permissions boundary', () => {
    let roles = 0;
    for (const [name, tpl] of all) {
      const boundary = Object.keys(tpl.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('permissions boundary') } }));
      for (const [id, r] of Object.entries(tpl.findResources('AWS::IAM::Role'))) {
        roles++;
        expect([name, id, r.Properties.PermissionsBoundary]).toEqual([name, id, { Ref: boundary[0] }]);
      }
    }
    expect(roles).toBeGreaterThanOrEqual(6);
  });

  test('the password policy, the access analyzer', () => {
    t.identity.resourceCountIs('Custom::AccountPasswordPolicy', 1);
    t.identity.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    t.identity.resourceCountIs('AWS::SSO::PermissionSet', 0);
  });

  test('the detector with every plan, 15-minute publishing', () => {
    t.detection.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING']
        .map((Name) => Match.objectLike({ Name, Status: 'ENABLED' })),
    });
    t.detection.resourceCountIs('AWS::SecurityHub::Hub', 0);
  });

  test('the severity >= 7 rule reaches the KMS-encrypted topic subscribed by the configured addresses', () => {
    const topicId = Object.keys(t.detection.findResources('AWS::SNS::Topic'))[0];
    t.detection.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Hardening-security-alerts', KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] } });
    t.detection.hasResourceProperties('AWS::Events::Rule', {
      Name: 'Hardening-security-guardduty-high-severity',
      EventPattern: Match.objectLike({ detail: { severity: [{ numeric: ['>=', 7] }] } }),
      Targets: [Match.objectLike({ Arn: { Ref: topicId } })],
    });
    // cdk.json gives no address (issue 10 item 12): the subscription takes the deploy-time parameter.
    expect(parseConfig(cdkJsonContext()).alertEmails).toBeUndefined();
    t.detection.hasParameter('AlertEmail', { Type: 'String' });
    t.detection.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: { Ref: 'AlertEmail' }, TopicArn: { Ref: topicId } });
  });

  test('the protect-security-services SCP, rendered from the same config, protects the deployed rules and topic', async () => {
    const scp = loadPolicy('scp/protect-security-services', scpValues(parseConfig(cdkJsonContext())));
    const admin = `arn:aws:iam::${ACCOUNT}:role/Hardening-administrators`;
    const rules = Object.values(t.detection.findResources('AWS::Events::Rule')).map((r) => r.Properties.Name as string);
    expect(rules).toHaveLength(9); // IR-ROUTING (3) and kill chain (6, issue 10)
    for (const name of rules) {
      expect(await decide({ principal: admin, action: 'events:DisableRule', resource: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`, scps: [scp] })).toBe('ExplicitlyDenied');
    }
    const topic = Object.values(t.detection.findResources('AWS::SNS::Topic'))[0].Properties.TopicName as string;
    expect(await decide({ principal: admin, action: 'sns:DeleteTopic', resource: `arn:aws:sns:us-east-1:${ACCOUNT}:${topic}`, scps: [scp] })).toBe('ExplicitlyDenied');
  });

  test('the locked vault and its daily and monthly plan, selecting by hardening:backup=required', () => {
    const c = parseConfig(cdkJsonContext());
    t.recovery.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'Hardening-locked-vault',
      LockConfiguration: { MinRetentionDays: c.vaultLockMinRetentionDays, MaxRetentionDays: c.vaultLockMaxRetentionDays, ChangeableForDays: c.vaultLockChangeableForDays },
    });
    const rules = Object.values(t.recovery.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: { RuleName: string; Lifecycle: { DeleteAfterDays: number } }) => [r.RuleName, r.Lifecycle.DeleteAfterDays]))
      .toEqual([['Daily', c.backupDailyRetentionDays], ['Monthly', c.backupMonthlyRetentionDays]]);
    t.recovery.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'hardening:backup', ConditionValue: 'required' }] }),
    });
  });

  test('every stateful resource of the data stack carries the tag the plan selects', () => {
    const stateful = ['AWS::S3::Bucket', 'AWS::DynamoDB::Table'];
    let count = 0;
    for (const [id, r] of Object.entries(t.data.toJSON().Resources as Record<string, { Type: string; Properties: { Tags?: { Key: string; Value: string }[] } }>)) {
      if (!stateful.includes(r.Type) || /AccessLogs/.test(id)) continue;
      count++;
      expect([id, r.Properties.Tags]).toEqual([id, expect.arrayContaining([{ Key: 'hardening:backup', Value: 'required' }])]);
    }
    expect(count).toBeGreaterThanOrEqual(2);
  });

  test('identity, detection and recovery hold stateful resources: termination protection on, keys and vault retained under fixed logical ids', () => {
    expect(env.identity.terminationProtection).toBe(true);
    expect(env.detection.terminationProtection).toBe(true);
    expect(env.recovery.terminationProtection).toBe(true);
    const pinned: [Template, string, string][] = [
      [t.detection, 'AlertsKey8A152C4B', 'AWS::KMS::Key'],
      [t.detection, 'GuardDuty32B27AAC', 'AWS::GuardDuty::Detector'],
      [t.recovery, 'VaultKey15AFE465', 'AWS::KMS::Key'],
      [t.recovery, 'Vault47927EF3', 'AWS::Backup::BackupVault'],
      [t.identity, 'SecurityAutomationLogKey98D2ABB7', 'AWS::KMS::Key'],
      [t.identity, 'SecurityAutomationLogGroupF6B035AC', 'AWS::Logs::LogGroup'],
    ];
    for (const [tpl, id, type] of pinned) {
      const r = tpl.toJSON().Resources[id];
      expect([id, r?.Type, r?.DeletionPolicy]).toEqual([id, type, 'Retain']);
    }
  });
});

describe('fails when identity, detection or backup config is bad', () => {
  const problems = (extra: Record<string, unknown>): string => {
    try {
      parseConfig({ ...cdkJsonContext(), ...extra });
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
  };
  test.each([
    [{ 'hardening:roleMaxSessionSeconds': 7200 }, 'hardening:roleMaxSessionSeconds=7200: must be at most 3600 seconds (IAM-SESSION)'],
    [{ 'hardening:mfaMaxAgeSeconds': 7200 }, 'hardening:mfaMaxAgeSeconds=7200: must be at most 3600 seconds'],
    [{ 'hardening:groups': ['administrators', 'root'] }, 'hardening:groups[1]'],
    [{ 'hardening:groups': ['auditors', 'auditors'] }, 'lists a group twice'],
    [{ 'hardening:passwordMaxAgeDays': 0 }, 'hardening:passwordMaxAgeDays=0'],
    [{ 'hardening:breakGlassRoleName': 'break glass' }, 'must be a valid IAM role name'],
    [{ 'hardening:identityCenterInstanceArn': 'arn:aws:sso:::instance/x' }, 'must be an IAM Identity Center instance ARN'],
    [{ 'hardening:adoptExistingDetector': 'yes' }, 'hardening:adoptExistingDetector="yes"'],
    [{ 'hardening:alertEmails': [] }, 'must list at least one address'],
    [{ 'hardening:backupCopyRegion': 'us-east-1' }, 'hardening:backupCopyRegion="us-east-1": must differ from the target region'],
    [{ 'hardening:backupCopyRegion': 'eu-west-1' }, 'must be one of allowedRegions'],
    [{ 'hardening:backupDailyRetentionDays': 3 }, "hardening:backupDailyRetentionDays=3: must lie within the vault lock's"],
    [{ 'hardening:vaultLockChangeableForDays': 1 }, 'hardening:vaultLockChangeableForDays=1'],
    [{ 'hardening:vaultLockMinRetentionDays': 5000 }, 'must not exceed vaultLockMaxRetentionDays'],
  ])('%j', (extra, message) => {
    expect(problems(extra)).toContain(message);
  });
});
