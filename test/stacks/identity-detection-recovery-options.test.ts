import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { parseConfig } from '../../lib/config';
import { HardenedEnvironment, buildHardenedEnvironment, registerChecks } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';

/** Every optional switch on: detector adoption, Security Hub, a backup copy region, Identity Center. */
describe('identity, detection and recovery stacks with every option on', () => {
  const options = {
    'hardening:account': '111122223333',
    'hardening:adoptExistingDetector': true,
    'hardening:securityHub': true,
    'hardening:allowedRegions': ['us-east-1', 'us-west-2'],
    'hardening:backupCopyRegion': 'us-west-2',
    'hardening:identityCenterInstanceArn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    'hardening:groups': ['administrators', 'auditors'],
    'hardening:mfaMaxAgeSeconds': 900,
  };
  let env: HardenedEnvironment;
  let identity: Template;
  let detection: Template;
  let recovery: Template;
  let copy: Template;
  let synthProblems = '';
  beforeAll(() => {
    const context = { ...cdkJsonContext(), ...options };
    const app = new App({ context });
    env = buildHardenedEnvironment(app, parseConfig(context));
    registerChecks(app);
    try {
      app.synth();
    } catch (e) {
      synthProblems = (e as Error).message;
    }
    identity = Template.fromStack(env.identity);
    detection = Template.fromStack(env.detection);
    recovery = Template.fromStack(env.recovery);
    copy = Template.fromStack(env.recoveryCopy!);
  });

  test('the whole app synthesizes under every registered pack (AwsSolutions, NIST 800-53 R5, BreachLessons)', () => {
    expect(synthProblems).toBe('');
  });

  test('no unacknowledged AwsSolutions or NIST 800-53 R5 finding in any of the four stacks', () => {
    for (const stack of [env.identity, env.detection, env.recovery, env.recoveryCopy!]) {
      for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
        expect(pack.validateScope(stack).violations.map((v) => `${stack.stackName} ${v.ruleName}`)).toEqual([]);
      }
    }
  });

  test('adopts the existing detector instead of creating one, and leaves it on delete', () => {
    detection.resourceCountIs('AWS::GuardDuty::Detector', 0);
    detection.resourceCountIs('Custom::GuardDutyDetectorLookup', 1);
    const adoption = Object.values(detection.findResources('Custom::GuardDutyDetectorAdoption'));
    expect(adoption).toHaveLength(1);
    expect(adoption[0].Properties.Delete).toBeUndefined();
  });

  test('enables Security Hub with the two standards', () => {
    detection.resourceCountIs('AWS::SecurityHub::Hub', 1);
    detection.resourceCountIs('AWS::SecurityHub::Standard', 2);
  });

  test('only the configured groups, roles and permission sets; MFA age from config', () => {
    identity.resourceCountIs('AWS::IAM::Group', 2);
    identity.resourceCountIs('AWS::SSO::PermissionSet', 2);
    identity.hasResourceProperties('AWS::SSO::PermissionSet', { Name: 'HardeningAdministrators', SessionDuration: 'PT1H' });
    identity.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'Hardening-auditors',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '900' } }) })] },
    });
  });

  test('copies every recovery point to a locked vault of the same name in the second region', () => {
    expect(env.recoveryCopy!.region).toBe('us-west-2');
    expect(env.recoveryCopy!.terminationProtection).toBe(true);
    copy.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'Hardening-locked-vault', LockConfiguration: Match.objectLike({ ChangeableForDays: 3 }) });
    copy.resourceCountIs('AWS::Backup::BackupPlan', 0);
    const rules = Object.values(recovery.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    for (const r of rules) {
      expect(JSON.stringify(r.CopyActions)).toContain(':backup:us-west-2:');
      expect(JSON.stringify(r.CopyActions)).toContain(':backup-vault:Hardening-locked-vault');
    }
    expect(env.recovery.dependencies).toContain(env.recoveryCopy);
  });
});
