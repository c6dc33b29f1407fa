import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { expectRule, param } from '../helpers';

// The three rule bugs a peer scanner's labelled examples showed (issue 9).

describe('EBSEncryptedCustomerManagedKey judges launch configurations', () => {
  const rule = 'EBSEncryptedCustomerManagedKey';
  const lc = (s: import('aws-cdk-lib').Stack, ebs?: autoscaling.CfnLaunchConfiguration.BlockDeviceProperty) =>
    new autoscaling.CfnLaunchConfiguration(s, 'LC', {
      imageId: 'ami-1', instanceType: 't3.micro',
      ...(ebs ? { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs }] } : {}),
    });
  test('Noncompliance 1: an unencrypted block device', () => {
    const f = expectRule(rule, (s) => lc(s, { volumeSize: 8 }), 'LC', 'FAIL');
    expect(f!.message).toContain('not encrypted');
  });
  test('Noncompliance 2: encrypted, but a launch configuration cannot name a customer-managed key', () => {
    const f = expectRule(rule, (s) => lc(s, { volumeSize: 8, encrypted: true }), 'LC', 'FAIL');
    expect(f!.message).toMatch(/launch configuration cannot name a kms key.*launch template/);
  });
  test('Noncompliance 3: no block device mapping (the AMI decides)', () => {
    expectRule(rule, (s) => lc(s), 'LC', 'FAIL');
  });
  test('Unresolved 1: Encrypted is a parameter', () => {
    expectRule(rule, (s) => lc(s, { volumeSize: 8, encrypted: param(s) as unknown as boolean }), 'LC', 'ERROR');
  });
  test('Compliance 1: the launch template the message points to passes', () => {
    expectRule(rule, (s) => new ec2.LaunchTemplate(s, 'LT', {
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, kmsKey: new kms.Key(s, 'K') }) }],
    }), 'LT/Resource', 'PASS');
  });
});

describe('EC2IMDSv2Required: a disabled metadata endpoint is the strongest setting', () => {
  const rule = 'EC2IMDSv2Required';
  test('Compliance 1: launch template with HttpEndpoint disabled', () => {
    expectRule(rule, (s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpEndpoint: 'disabled' } } }), 'LT', 'PASS');
  });
  test('Compliance 2: launch configuration with HttpEndpoint disabled and tokens optional', () => {
    expectRule(rule, (s) => new autoscaling.CfnLaunchConfiguration(s, 'LC', {
      imageId: 'ami-1', instanceType: 't3.micro', metadataOptions: { httpEndpoint: 'disabled', httpTokens: 'optional' },
    }), 'LC', 'PASS');
  });
  test('Compliance 3: instance launched from a template whose endpoint is disabled', () => {
    expectRule(rule, (s) => {
      const lt = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpEndpoint: 'disabled' } } });
      new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber } });
    }, 'I', 'PASS');
  });
  test('Noncompliance 1: endpoint enabled, tokens optional', () => {
    expectRule(rule, (s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'optional' } } }), 'LT', 'FAIL');
  });
  test('Unresolved 1: HttpEndpoint is a parameter and tokens are optional', () => {
    expectRule(rule, (s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpEndpoint: param(s) } } }), 'LT', 'ERROR');
  });
});

describe('NoAdminPortsBeyondVpc filters by port before resolving the CIDR', () => {
  const rule = 'NoAdminPortsBeyondVpc';
  const vpc = (s: import('aws-cdk-lib').Stack) => new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
  test('Compliance 1: port 443 from a parameter CIDR (ingress resource)', () => {
    expectRule(rule, (s) => {
      const g = new ec2.CfnSecurityGroup(s, 'G', { groupDescription: 'g', vpcId: vpc(s).ref });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: g.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: param(s) });
    }, 'In', 'PASS');
  });
  test('Compliance 2: UDP 22 and TCP 8080-8090 from a parameter CIDR (inline rules)', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroup(s, 'G', {
      groupDescription: 'g', vpcId: vpc(s).ref,
      securityGroupIngress: [
        { ipProtocol: 'udp', fromPort: 22, toPort: 22, cidrIp: param(s, 'A') },
        { ipProtocol: 'tcp', fromPort: 8080, toPort: 8090, cidrIp: param(s, 'B') },
      ],
    }), 'G', 'PASS');
  });
  test('Compliance 3: network ACL entry for port 443 from a parameter CIDR', () => {
    expectRule(rule, (s) => {
      const acl = new ec2.CfnNetworkAcl(s, 'Acl', { vpcId: vpc(s).ref });
      new ec2.CfnNetworkAclEntry(s, 'E', { networkAclId: acl.ref, ruleNumber: 100, protocol: 6, ruleAction: 'allow', portRange: { from: 443, to: 443 }, cidrBlock: param(s) });
    }, 'E', 'PASS');
  });
  test('Unresolved 1: port 22 from a parameter CIDR stays cannot-verify', () => {
    expectRule(rule, (s) => {
      const g = new ec2.CfnSecurityGroup(s, 'G', { groupDescription: 'g', vpcId: vpc(s).ref });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: g.attrGroupId, ipProtocol: 'tcp', fromPort: 20, toPort: 25, cidrIp: param(s) });
    }, 'In', 'ERROR');
  });
  test('Noncompliance 1: port 3389 from anywhere beside a port-443 rule from a parameter', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroup(s, 'G', {
      groupDescription: 'g', vpcId: vpc(s).ref,
      securityGroupIngress: [
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: param(s, 'A') },
        { ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIp: '0.0.0.0/0' },
      ],
    }), 'G', 'FAIL');
  });
});
