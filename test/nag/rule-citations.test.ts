import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { finding } from '../../lib/findings';
import { citationTag, control } from '../../lib/lessons';
import { BREACH_LESSONS_RULES, resolveCites, ruleById } from '../../lib/nag/rules';
import { renderRulesMarkdown } from '../../lib/nag/rules-doc';
import { renderSarif } from '../../lib/report/sarif';
import { findingsOf } from './helpers';

const tagsOf = (ruleName: string): string[] => ruleById(`BreachLessons-${ruleName}`).citations.map(citationTag);

describe('each rule carries only the citations of what it checks', () => {
  test('every rule cites something, and only citations of its own controls', () => {
    for (const r of BREACH_LESSONS_RULES) {
      const own = new Set(r.controlIds.flatMap((c) => control(c).citations.map(citationTag)));
      expect([r.ruleName, r.citations.length > 0]).toEqual([r.ruleName, true]);
      expect([r.ruleName, r.citations.map(citationTag).filter((t) => !own.has(t))]).toEqual([r.ruleName, []]);
    }
  });

  test('the NACL rule does not cite EC2.18 (a security-group control); the security-group rule does', () => {
    expect(tagsOf('NetworkAclNoOpenIngress')).not.toContain('aws-fsbp:EC2.18');
    expect(tagsOf('SecurityGroupNoOpenIngress')).toContain('aws-fsbp:EC2.18');
  });

  test('no customer-managed-key rule cites CIS 5.1.1 (EBS default encryption, an account setting no rule checks)', () => {
    const cmkRules = BREACH_LESSONS_RULES.filter((r) => r.controlIds.includes('DATA-CMK'));
    expect(cmkRules.length).toBeGreaterThanOrEqual(7);
    for (const r of cmkRules) expect([r.ruleName, r.citations.map(citationTag)]).not.toEqual([r.ruleName, expect.arrayContaining(['cis-aws:5.1.1'])]);
    expect(control('DATA-CMK').citations.map(citationTag)).toContain('cis-aws:5.1.1');
  });

  test('a rule does not cite a sibling rule\'s check: the TLS-version rule does not cite S3.5, the bucket BPA rule not S3.1', () => {
    expect(tagsOf('S3BucketMinimumTLS12')).not.toContain('aws-fsbp:S3.5');
    expect(tagsOf('S3BucketTLSOnly')).toContain('aws-fsbp:S3.5');
    expect(tagsOf('S3BucketBlockPublicAccess')).toEqual(expect.arrayContaining(['aws-fsbp:S3.8']));
    expect(tagsOf('S3BucketBlockPublicAccess')).not.toContain('aws-fsbp:S3.1');
    // the protections rule does not check the runtime agents, so it cannot cite GuardDuty.7/.12/.13
    expect(tagsOf('GuardDutyAllProtections')).not.toEqual(expect.arrayContaining(['aws-fsbp:GuardDuty.7']));
  });

  test('loading refuses a rule citing what its control does not cite, an unknown tag, a repeat, or nothing', () => {
    const meta = { ruleName: 'X', controlIds: ['NET-INGRESS'] as const };
    expect(() => resolveCites({ ...meta, cites: ['cis-aws:5.5'] })).toThrow(/rule X cites 'cis-aws:5.5', which its control NET-INGRESS does not cite/);
    expect(() => resolveCites({ ...meta, cites: ['nist-800-53:SC-7', 'nist-800-53:SC-7'] })).toThrow(/cites 'nist-800-53:SC-7' twice/);
    expect(() => resolveCites({ ...meta, cites: [] })).toThrow(/rule X cites nothing/);
    expect(resolveCites({ ...meta, cites: ['nist-800-53:SC-7'] })).toEqual([{ framework: 'nist-800-53', section: 'SC-7' }]);
  });

  test('a finding may not carry a citation its control does not cite', () => {
    const base = {
      ruleId: 'r', controlId: 'NET-INGRESS' as const, source: 'synth' as const, status: 'FAIL' as const, severity: 'error' as const,
      resource: { id: 'x' }, message: 'm',
    };
    expect(() => finding({ ...base, citations: [{ framework: 'cis-aws', section: '5.5' }] }))
      .toThrow(/finding r of NET-INGRESS cites cis-aws:5.5, which its control does not cite/);
    expect(finding(base).citations).toEqual(control('NET-INGRESS').citations);
  });
});

describe('findings, SARIF and RULES.md show the rule\'s citations', () => {
  const naclFindings = () => findingsOf('NetworkAclNoOpenIngress', (s: Stack) => {
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    const acl = new ec2.NetworkAcl(s, 'Acl', { vpc });
    acl.addEntry('Ssh', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(22), direction: ec2.TrafficDirection.INGRESS });
  });

  test('a NACL finding cites SC-7 and AC-4 but not EC2.18', () => {
    const f = naclFindings().find((x) => x.status === 'FAIL')!;
    expect(f).toBeDefined();
    const tags = f.citations.map(citationTag);
    expect(tags).toEqual(expect.arrayContaining(['nist-800-53:SC-7', 'nist-800-53:AC-4']));
    expect(tags).not.toContain('aws-fsbp:EC2.18');
  });

  test('SARIF tags the rule with its own citations', () => {
    const sarif = JSON.parse(renderSarif(naclFindings(), { title: 't', toolVersion: '0.0.0', generatedAt: new Date('2026-01-01T00:00:00Z') }));
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'BreachLessons-NetworkAclNoOpenIngress');
    expect(rule.properties.tags).toContain('nist-800-53:SC-7');
    expect(rule.properties.tags).not.toContain('aws-fsbp:EC2.18');
    expect(sarif.runs[0].results[0].properties.citations).not.toContain('aws-fsbp:EC2.18');
  });

  test('an S3 bucket without a customer-managed key cites SC-28, not CIS 5.1.1', () => {
    const f = findingsOf('S3BucketCustomerManagedKey', (s: Stack) => { new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.S3_MANAGED }); })
      .find((x) => x.status === 'FAIL')!;
    expect(f.citations.map(citationTag)).toContain('nist-800-53:SC-28');
    expect(f.citations.map(citationTag)).not.toContain('cis-aws:5.1.1');
  });

  test('RULES.md lists each rule with its own citations and states the CIS version', () => {
    const md = renderRulesMarkdown();
    const nacl = md.split('\n').find((l) => l.startsWith('| BreachLessons-NetworkAclNoOpenIngress '))!;
    expect(nacl).not.toContain('EC2.18');
    expect(md).toMatch(/CIS AWS Foundations Benchmark v4\.0\.1/);
    expect(md).toMatch(/v3\.0\.0 and v5\.0\.0 standards number differently/);
  });
});

describe('every fix names the project construct or helper that fixes it, where one exists', () => {
  const EXPECTED: Record<string, string> = {
    BackupPlanLockedVault: 'LockedBackupVault', BackupVaultLocked: 'LockedBackupVault', StatefulResourceBackedUp: 'TaggedBackupPlan',
    CloudTrailArchiveObjectLock: 'SecureTrail', CloudTrailCisAlarms: 'CisAlarms', CloudTrailMultiRegionTrail: 'SecureTrail',
    CloudTrailValidatedEncrypted: 'SecureTrail', DynamoDBTableCustomerManagedKey: 'PiiTable', DynamoDBTableRecovery: 'PiiTable',
    DataStoreIsolatedSubnets: 'SegmentedVpc', DataStoreRestrictedEgress: 'SegmentedVpc', DefaultSecurityGroupClosed: 'SegmentedVpc',
    EBSEncryptedCustomerManagedKey: 'CustomerManagedKey', NetworkAclNoOpenIngress: 'SegmentedVpc', NoAdminPortsBeyondVpc: 'SegmentedVpc',
    VPCEndpointPolicyRestricted: 'SegmentedVpc', VPCFlowLogAllTraffic: 'SegmentedVpc', VPCHasServiceEndpoints: 'SegmentedVpc',
    GuardDutyAllProtections: 'GuardDutyDetector', GuardDutyDetectorPresent: 'GuardDutyDetector', GuardDutyHighSeverityRouted: 'SecurityAlerts',
    IAMAccountPasswordPolicyStrong: 'AccountPasswordPolicy', IAMGroupRequiresMFA: 'MfaEnforcedGroups', IAMNoAccessKeys: 'HumanRole',
    IAMRoleHumanSessionDuration: 'HumanRole', IAMRolePermissionsBoundary: 'PermissionsBoundaryAspect', IAMRoleTrustRequiresMFA: 'HumanRole',
    IAMTemplateNoUsersOrKeys: 'IdentityCenterPermissionSets', IAMUserNoConsolePassword: 'IdentityCenterPermissionSets',
    KMSKeyPolicySeparatesDuties: 'CustomerManagedKey', KMSKeyRotation: 'CustomerManagedKey', LogGroupCustomerManagedKey: 'CustomerManagedKey',
    RDSNotPubliclyAccessible: 'SegmentedVpc', RDSStorageCustomerManagedKey: 'CustomerManagedKey', S3BucketBlockPublicAccess: 'PiiBucket',
    S3BucketCustomerManagedKey: 'PiiBucket', S3BucketDataEventsLogged: 'SecureTrail', S3BucketMinimumTLS12: 'PiiBucket',
    S3BucketNoPublicAcl: 'PiiBucket', S3BucketNoncurrentVersionExpiry: 'PiiBucket', S3BucketTLSOnly: 'PiiBucket', S3BucketVersioning: 'PiiBucket',
    SNSAlertTopicEncryptedSubscribed: 'SecurityAlerts', SNSTopicCustomerManagedKey: 'CustomerManagedKey', SQSQueueCustomerManagedKey: 'CustomerManagedKey', SecurityGroupNoOpenIngress: 'SegmentedVpc',
    StatefulResourceRetained: 'PiiBucket',
  };

  test('each named construct is exported by the project and named in its rule\'s fix', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require('../../lib');
    for (const [rule, name] of Object.entries(EXPECTED)) {
      expect([rule, name, name in exported]).toEqual([rule, name, true]);
      expect([rule, ruleById(`BreachLessons-${rule}`).fix.includes(name)]).toEqual([rule, true]);
    }
  });

  test('the backup-coverage fix covers both causes: an untagged resource and a tagged one no plan selects', () => {
    const fix = ruleById('BreachLessons-StatefulResourceBackedUp').fix;
    expect(fix).toMatch(/does not carry the backup tag, tag it/);
    expect(fix).toMatch(/already carries the tag, no plan of the app selects that tag/);
  });
});
