import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding } from '../../lib/findings';
import { evaluateScope } from '../../lib/nag/evaluate';
import { citationTag } from '../../lib/lessons';
import { BREACH_LESSONS_RULES, rulesNamed } from '../../lib/nag/rules';
import { buildReportModel } from '../../lib/report';

const base = { title: 't', generatedAt: new Date('2026-06-01T00:00:00Z'), toolVersion: '0.0.0' };
/** What the evidence of a synthesis with every rule says the rules check (as assemblyReport passes it). */
const ALL_RULES = { designCitations: new Set(BREACH_LESSONS_RULES.flatMap((r) => r.citations.map(citationTag))) };

function evaluate(ruleNames: string[], build: (s: Stack) => void): Finding[] {
  const app = new App();
  build(new Stack(app, 'S', { env: { region: 'us-east-1' } }));
  return evaluateScope(app, { rules: rulesNamed(...ruleNames), now: base.generatedAt });
}

function section(findings: Finding[], framework: string, id: string, extra: object = {}) {
  const m = buildReportModel({ ...base, findings, liveControls: new Set(), ...extra });
  const reg = m.regulations.find((r) => r.framework === framework);
  return reg?.citations.find((c) => c.section === id);
}

describe('per-regulation view: a section is PASS only when a check that cites it passed', () => {
  const cmkBucket = (s: Stack) => {
    new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(s, 'K', { enableKeyRotation: true }) });
  };

  test('a bucket with a customer-managed key passes SC-28, but CIS 5.1.1 (EBS default encryption) is "no check", not PASS', () => {
    const findings = evaluate(['S3BucketCustomerManagedKey'], cmkBucket);
    expect(findings.map((f) => f.status)).toEqual(['PASS']);
    expect(section(findings, 'nist-800-53', 'SC-28')?.status).toBe('PASS');
    // without knowing which rules ran, the untested section is unproven: never PASS
    expect(section(findings, 'cis-aws', '5.1.1')?.status).toBe('NO_EVIDENCE');
    const cis = section(findings, 'cis-aws', '5.1.1', ALL_RULES)!;
    expect(cis.status).toBe('NO_CHECK');
    expect(cis.controls).toEqual([{ id: 'DATA-CMK', status: 'NO_CHECK' }]);
    // the framework as a whole is not PASS while a section is untested
    const m = buildReportModel({ ...base, findings, liveControls: new Set(), ...ALL_RULES });
    expect(m.regulations.find((r) => r.framework === 'cis-aws')!.status).not.toBe('PASS');
  });

  test('a passing NACL entry does not make FSBP EC2.18 (security groups) PASS: nothing evaluated a security group', () => {
    const findings = evaluate(['NetworkAclNoOpenIngress'], (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
      new ec2.NetworkAcl(s, 'Acl', { vpc }).addEntry('Https', {
        ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.INGRESS,
      });
    });
    expect(findings.some((f) => f.status === 'PASS')).toBe(true);
    // SC-7 is also cited by controls nothing evaluated here: the section is unproven, NET-INGRESS's part of it passes
    const sc7 = section(findings, 'nist-800-53', 'SC-7')!;
    expect(sc7.controls.find((c) => c.id === 'NET-INGRESS')!.status).toBe('PASS');
    expect(sc7.status).toBe('NO_EVIDENCE');
    expect(section(findings, 'aws-fsbp', 'EC2.18')?.status).toBe('NO_EVIDENCE');
    // once the security-group rule has run and passed, EC2.18 passes
    const sg = evaluate(['SecurityGroupNoOpenIngress'], (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
      new ec2.SecurityGroup(s, 'Sg', { vpc }).addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443));
    });
    expect(section([...findings, ...sg], 'aws-fsbp', 'EC2.18')?.status).toBe('PASS');
  });

  test('a section only the evidence\'s rules could check: outside designCitations it is "no check"', () => {
    const findings = evaluate(['NetworkAclNoOpenIngress'], (s) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
      new ec2.NetworkAcl(s, 'Acl', { vpc });
    });
    const only = new Set(['nist-800-53:SC-7', 'nist-800-53:AC-4', 'glba:314.4(c)(1)']);
    expect(section(findings, 'aws-fsbp', 'EC2.18', { designCitations: only })?.status).toBe('NO_CHECK');
  });

  test('a failing check fails the sections it cites, not the sections only its sibling rules cite', () => {
    const findings = evaluate(['S3BucketMinimumTLS12', 'S3BucketTLSOnly'], (s) => {
      const b = new s3.Bucket(s, 'B', { enforceSSL: true }); // TLS-only, but no minimum TLS 1.2
      (b.node.defaultChild as s3.CfnBucket).tags.setTag('hardening:data-class', 'customer-pii');
    });
    expect(findings.map((f) => `${f.ruleId.replace('BreachLessons-', '')} ${f.status}`).sort())
      .toEqual(['S3BucketMinimumTLS12 FAIL', 'S3BucketTLSOnly PASS']);
    expect(section(findings, 'nist-800-53', 'SC-8')?.status).toBe('FAIL');
    expect(section(findings, 'aws-fsbp', 'S3.5')?.status).toBe('PASS');
  });

  test('live findings still count for the sections of their control', () => {
    const live: Finding[] = evaluate(['S3BucketCustomerManagedKey'], cmkBucket).map((f) => ({ ...f, source: 'live' as const }));
    expect(section(live, 'nist-800-53', 'SC-28', { liveControls: new Set(['DATA-CMK']) })?.status).toBe('NO_EVIDENCE');
  });
});
