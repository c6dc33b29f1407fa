import { App, Aws, CfnResource, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { SegmentedVpc } from '../../../lib/constructs/segmented-vpc';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { REQUIRED_INTERFACE_ENDPOINTS } from '../../../lib/nag/rules/ec2';
import { expectRule, findingsOf, param, synthFast } from '../helpers';

const ami = ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' });
const tiered = (s: Stack, extra: Partial<ec2.VpcProps> = {}) => new ec2.Vpc(s, 'V', {
  ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
    { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ],
  ...extra,
});
const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
const db = (s: Stack, subnetType: ec2.SubnetType, extra: Partial<rds.DatabaseInstanceProps> = {}) =>
  new rds.DatabaseInstance(s, 'Db', { engine, vpc: tiered(s), vpcSubnets: { subnetType }, ...extra });

describe('EBSEncryptedCustomerManagedKey', () => {
  const rule = 'EBSEncryptedCustomerManagedKey';
  test('Compliance 1: L2 volume encrypted with a key', () => {
    expectRule(rule, (s) => new ec2.Volume(s, 'Vol', { availabilityZone: 'us-east-1a', size: Size.gibibytes(8), encrypted: true, encryptionKey: new kms.Key(s, 'K') }), 'Vol/Resource', 'PASS');
  });
  test('Compliance 2: L2 launch template with an encrypted root volume', () => {
    expectRule(rule, (s) => new ec2.LaunchTemplate(s, 'LT', {
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, kmsKey: new kms.Key(s, 'K') }) }],
    }), 'LT/Resource', 'PASS');
  });
  test('Compliance 3: an instance launched from a template is judged by the template', () => {
    expectRule(rule, (s) => {
      const lt = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: {} });
      new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber } });
    }, 'I', 'N/A');
  });
  test('Noncompliance 1: L2 volume encrypted with the default key', () => {
    expectRule(rule, (s) => new ec2.Volume(s, 'Vol', { availabilityZone: 'us-east-1a', size: Size.gibibytes(8), encrypted: true }), 'Vol/Resource', 'FAIL');
  });
  test('Noncompliance 2: L2 launch template declaring no volume', () => {
    expectRule(rule, (s) => new ec2.LaunchTemplate(s, 'LT', { machineImage: ami }), 'LT/Resource', 'FAIL');
  });
  test('Noncompliance 3: L1 instance with an unencrypted volume', () => {
    expectRule(rule, (s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8 } }] }), 'I', 'FAIL');
  });
  test('Unresolved 1: the key is a parameter', () => {
    expectRule(rule, (s) => new ec2.CfnVolume(s, 'Vol', { availabilityZone: 'us-east-1a', encrypted: true, kmsKeyId: param(s) }), 'Vol', 'ERROR');
  });
});

describe('EC2IMDSv2Required', () => {
  const rule = 'EC2IMDSv2Required';
  test('Compliance 1: L2 instance with requireImdsv2 (its aspect adds a launch template at synthesis)', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    new ec2.Instance(s, 'I', { vpc: tiered(s), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ami, requireImdsv2: true });
    synthFast(app);
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'S/I/Resource');
    expect(f.map((x) => x.status)).toEqual(['PASS']);
  });
  test('Compliance 2: L2 launch template with requireImdsv2', () => {
    expectRule(rule, (s) => new ec2.LaunchTemplate(s, 'LT', { requireImdsv2: true }), 'LT/Resource', 'PASS');
  });
  test('Compliance 3: L1 instance with HttpTokens required', () => {
    expectRule(rule, (s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', metadataOptions: { httpTokens: 'required' } }), 'I', 'PASS');
  });
  test('Noncompliance 1: L2 instance by default', () => {
    expectRule(rule, (s) => new ec2.Instance(s, 'I', { vpc: tiered(s), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ami }), 'I/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 launch template with HttpTokens optional', () => {
    expectRule(rule, (s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpTokens: 'optional' } } }), 'LT', 'FAIL');
  });
  test('Unresolved 1: HttpTokens is a parameter', () => {
    expectRule(rule, (s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions: { httpTokens: param(s) } } }), 'LT', 'ERROR');
  });
});

describe('SecurityGroupNoOpenIngress', () => {
  const rule = 'SecurityGroupNoOpenIngress';
  test('Compliance 1: L2 443 from anywhere on an internet-facing load balancer', () => {
    expectRule(rule, (s) => {
      const vpc = tiered(s);
      const sg = new ec2.SecurityGroup(s, 'Sg', { vpc });
      sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
      new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: true, securityGroup: sg });
    }, 'Sg/Resource', 'PASS');
  });
  test('Compliance 2: L1 ingress from inside the VPC', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '10.0.0.0/16' }), 'In', 'PASS');
  });
  test('Compliance 3: L2 interface endpoint open to its VPC (the CIDR is the VPC CidrBlock attribute)', () => {
    expectRule(rule, (s) => tiered(s).addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS }), 'V/Kms/SecurityGroup/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 443 from anywhere on a group no public load balancer uses', () => {
    expectRule(rule, (s) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443)), 'Sg/Resource', 'FAIL');
  });
  test('Noncompliance 2: L2 all traffic from ::/0', () => {
    expectRule(rule, (s) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) }).addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.allTraffic()), 'Sg/Resource', 'FAIL');
  });
  test('Noncompliance 3: L1 ingress resource from 0.0.0.0/0 on 80', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '0.0.0.0/0' }), 'In', 'FAIL');
  });
  test('Unresolved 1: the source CIDR is a parameter', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: param(s) }), 'In', 'ERROR');
  });
  test('Unresolved 2: the CIDR of a VPC whose CidrBlock is a parameter', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'V', { cidrBlock: param(s) });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: vpc.attrCidrBlock });
    }, 'In', 'ERROR');
  });
});

describe('NetworkAclNoOpenIngress', () => {
  const rule = 'NetworkAclNoOpenIngress';
  const acl = (s: Stack) => new ec2.NetworkAcl(s, 'Acl', { vpc: tiered(s) });
  test('Compliance 1: L2 entry allowing 443 from anywhere', () => {
    expectRule(rule, (s) => acl(s).addEntry('E', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(443) }), 'Acl/E/Resource', 'PASS');
  });
  test('Compliance 2: an egress entry is not applicable', () => {
    expectRule(rule, (s) => acl(s).addEntry('E', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS }), 'Acl/E/Resource', 'N/A');
  });
  test('Noncompliance 1: L2 entry allowing all traffic from anywhere', () => {
    expectRule(rule, (s) => acl(s).addEntry('E', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic() }), 'Acl/E/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 entry allowing ephemeral ports from ::/0', () => {
    expectRule(rule, (s) => new ec2.CfnNetworkAclEntry(s, 'E', { networkAclId: 'acl-1', ruleNumber: 1, protocol: 6, ruleAction: 'allow', ipv6CidrBlock: '::/0', portRange: { from: 1024, to: 65535 } }), 'E', 'FAIL');
  });
  test('Unresolved 1: the CIDR is a parameter', () => {
    expectRule(rule, (s) => new ec2.CfnNetworkAclEntry(s, 'E', { networkAclId: 'acl-1', ruleNumber: 1, protocol: -1, ruleAction: 'allow', cidrBlock: param(s) }), 'E', 'ERROR');
  });
});

describe('NoAdminPortsBeyondVpc', () => {
  const rule = 'NoAdminPortsBeyondVpc';
  const sg = (s: Stack) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) });
  test('Compliance 1: L2 SSH from a subnet of the VPC', () => {
    expectRule(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4('10.0.1.0/24'), ec2.Port.tcp(22)), 'Sg/Resource', 'PASS');
  });
  test('Compliance 2: L2 RDP from another security group', () => {
    expectRule(rule, (s) => {
      const g = sg(s);
      g.addIngressRule(g, ec2.Port.tcp(3389));
    }, 'Sg/Resource', 'PASS');
  });
  test('Compliance 3: L2 interface endpoint open to its VPC only (all ports from the VPC CidrBlock attribute)', () => {
    expectRule('NoAdminPortsBeyondVpc', (s) => tiered(s).addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS }), 'V/Kms/SecurityGroup/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 SSH from a CIDR wider than the VPC', () => {
    expectRule(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(22)), 'Sg/Resource', 'FAIL');
  });
  test('Noncompliance 2: L2 network ACL entry allowing 3389 from anywhere', () => {
    expectRule(rule, (s) => new ec2.NetworkAcl(s, 'Acl', { vpc: tiered(s) })
      .addEntry('E', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPortRange(3000, 4000) }), 'Acl/E/Resource', 'FAIL');
  });
  test('Noncompliance 3: SSH from anywhere fails even when the VPC is outside the app', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroup(s, 'Sg', {
      groupDescription: 'd', vpcId: 'vpc-0123456789abcdef0', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
    }), 'Sg', 'FAIL');
  });
  test('Unresolved 2: SSH from a private CIDR when the VPC is outside the app', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroup(s, 'Sg', {
      groupDescription: 'd', vpcId: 'vpc-0123456789abcdef0', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }],
    }), 'Sg', 'ERROR');
  });
  test('Unresolved 1: SSH from a prefix list given as a parameter', () => {
    expectRule(rule, (s) => {
      const g = sg(s);
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: g.securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourcePrefixListId: param(s) });
    }, 'In', 'ERROR');
  });
});

describe('DefaultSecurityGroupClosed', () => {
  const rule = 'DefaultSecurityGroupClosed';
  test('Compliance 1: L2 VPC with restrictDefaultSecurityGroup', () => {
    expectRule(rule, (s) => tiered(s, { restrictDefaultSecurityGroup: true }), 'V/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 VPC leaving the default group open', () => {
    expectRule(rule, (s) => tiered(s, { restrictDefaultSecurityGroup: false }), 'V/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 ingress rule added to the default group', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: vpc.attrDefaultSecurityGroup, ipProtocol: '-1', cidrIp: '10.0.0.0/16' });
    }, 'In', 'FAIL');
  });
  test('Unresolved 1: a restriction naming a parameter does not count', () => {
    expectRule(rule, (s) => {
      new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new CfnResource(s, 'Restrict', { type: 'Custom::VpcRestrictDefaultSG', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:1:function:f', DefaultSecurityGroupId: param(s) } });
    }, 'Vpc', 'FAIL');
  });
});

describe('DataStoreIsolatedSubnets', () => {
  const rule = 'DataStoreIsolatedSubnets';
  test('Compliance 1: L2 database in isolated subnets', () => {
    expectRule(rule, (s) => db(s, ec2.SubnetType.PRIVATE_ISOLATED), 'Db/Resource', 'PASS');
  });
  test('Compliance 2: L1 cache cluster in a subnet group of isolated subnets', () => {
    expectRule(rule, (s) => {
      const vpc = tiered(s);
      const group = new elasticache.CfnSubnetGroup(s, 'G', { description: 'data', subnetIds: vpc.isolatedSubnets.map((x) => x.subnetId) });
      new elasticache.CfnCacheCluster(s, 'Cache', { engine: 'redis', cacheNodeType: 'cache.t3.micro', numCacheNodes: 1, cacheSubnetGroupName: group.ref });
    }, 'Cache', 'PASS');
  });
  test('Compliance 3: resolved across stacks', () => {
    const app = new App();
    const net = new Stack(app, 'Net', { env: { region: 'us-east-1' } });
    const vpc = tiered(net);
    const data = new Stack(app, 'Data', { env: { region: 'us-east-1' } });
    new rds.DatabaseInstance(data, 'Db', { engine, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'Data/Db/Resource');
    expect(f.map((x) => x.status)).toEqual(['PASS']);
  });
  test('Noncompliance 1: L2 database in subnets with a NAT route', () => {
    const f = expectRule(rule, (s) => db(s, ec2.SubnetType.PRIVATE_WITH_EGRESS), 'Db/Resource', 'FAIL');
    expect(f!.message).toMatch(/NAT gateway/);
  });
  test('Noncompliance 2: L2 database in public subnets', () => {
    const f = expectRule(rule, (s) => db(s, ec2.SubnetType.PUBLIC), 'Db/Resource', 'FAIL');
    expect(f!.message).toMatch(/internet gateway/);
  });
  test('Noncompliance 3: L1 database naming no subnet group (default VPC)', () => {
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro' }), 'Db', 'FAIL');
  });
  test('Unresolved 1: the subnets are literal ids from outside the app', () => {
    expectRule(rule, (s) => {
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: ['subnet-0123', 'subnet-4567'] });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'ERROR');
  });
  test('Unresolved 2: the subnet group is a parameter', () => {
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: param(s) }), 'Db', 'ERROR');
  });
});

describe('DataStoreRestrictedEgress', () => {
  const rule = 'DataStoreRestrictedEgress';
  test('Compliance 1: L2 database with a group that allows no outbound by default', () => {
    expectRule(rule, (s) => {
      const vpc = tiered(s);
      const sg = new ec2.SecurityGroup(s, 'Sg', { vpc, allowAllOutbound: false });
      new rds.DatabaseInstance(s, 'Db', { engine, vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [sg] });
    }, 'Db/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 database with the default group (all outbound)', () => {
    expectRule(rule, (s) => db(s, ec2.SubnetType.PRIVATE_ISOLATED), 'Db/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 group declaring no egress (AWS allows all)', () => {
    expectRule(rule, (s) => {
      const sg = new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: 'vpc-1' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [sg.attrGroupId] });
    }, 'Db', 'FAIL');
  });
  test('Unresolved 1: the security group is a parameter', () => {
    expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [param(s)] }), 'Db', 'ERROR');
  });
});

describe('VPCFlowLogAllTraffic', () => {
  const rule = 'VPCFlowLogAllTraffic';
  test('Compliance 1: L2 VPC with a flow log of all traffic', () => {
    expectRule(rule, (s) => tiered(s).addFlowLog('F'), 'V/Resource', 'PASS');
  });
  test('Noncompliance 1: L2 VPC logging only rejected traffic', () => {
    expectRule(rule, (s) => tiered(s).addFlowLog('F', { trafficType: ec2.FlowLogTrafficType.REJECT }), 'V/Resource', 'FAIL');
  });
  test('Noncompliance 2: L1 VPC without a flow log', () => {
    expectRule(rule, (s) => new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' }), 'Vpc', 'FAIL');
  });
  test('Unresolved 1: a flow log whose VPC is a parameter', () => {
    expectRule(rule, (s) => {
      new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnFlowLog(s, 'F', { resourceId: param(s), resourceType: 'VPC', trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::b' });
    }, 'Vpc', 'ERROR');
  });
});


describe('VPCEndpointPolicyRestricted', () => {
  const rule = 'VPCEndpointPolicyRestricted';
  const anyone = (conditions?: Record<string, unknown>) => new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['*'], resources: ['*'], conditions });
  const l1 = (s: Stack, statement: Record<string, unknown>) => new ec2.CfnVPCEndpoint(s, 'E', {
    vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [statement] },
  });
  test('Compliance 1: L2 gateway endpoint limited to the own account', () => {
    expectRule(rule, (s) => {
      const ep = tiered(s).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      ep.addToPolicy(anyone({ StringEquals: { 'aws:PrincipalAccount': s.account } }));
    }, 'V/S3/Resource', 'PASS');
  });
  test('Compliance 2: L1 endpoint naming a role', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 's3:GetObject', Resource: '*' }), 'E', 'PASS');
  });
  test('Compliance 3: L1 endpoint limited to the organization', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }), 'E', 'PASS');
  });
  test('Noncompliance 1: L2 interface endpoint with the default policy', () => {
    const f = expectRule(rule, (s) => tiered(s).addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS }), 'V/Kms/Resource', 'FAIL');
    expect(f!.message).toMatch(/no endpoint policy/);
  });
  test('Noncompliance 2: Principal * narrowed only by an IfExists condition', () => {
    const f = expectRule(rule, (s) => l1(s, { Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } } }), 'E', 'FAIL');
    expect(f!.message).toMatch(/Open allows Principal \*/);
  });
  test('Noncompliance 3: L2 Principal * limited by a resource condition only', () => {
    expectRule(rule, (s) => {
      const ep = tiered(s).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      ep.addToPolicy(anyone({ StringEquals: { 'aws:ResourceAccount': s.account } }));
    }, 'V/S3/Resource', 'FAIL');
  });
  test('Unresolved 1: the principal is a parameter', () => {
    expectRule(rule, (s) => l1(s, { Effect: 'Allow', Principal: { AWS: param(s) }, Action: '*', Resource: '*' }), 'E', 'ERROR');
  });

  describe('read-only exceptions for AWS-owned buckets (S3 endpoints)', () => {
    // The own account as the template names it (a literal account in an environment-agnostic stack may be another one).
    const own = { Sid: 'Own', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID, 'aws:ResourceAccount': Aws.ACCOUNT_ID } } };
    const s3 = (s: Stack, exception: Record<string, unknown>, service = 'com.amazonaws.us-east-1.s3') => new ec2.CfnVPCEndpoint(s, 'E', {
      vpcId: 'vpc-12345678', serviceName: service, policyDocument: { Version: '2012-10-17', Statement: [own, exception] },
    });
    const read = (...resources: string[]) => ({ Sid: 'AwsOwned', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: resources });

    test('Compliance 4: SegmentedVpc\'s S3 endpoint with its default exceptions', () => {
      expectRule(rule, (s) => new SegmentedVpc(s, 'Seg', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup: logs.LogGroup.fromLogGroupName(s, 'Flow', 'flow') }), 'Seg/Resource/S3Endpoint/Resource', 'PASS');
    });
    test('Compliance 5: L1 S3 endpoint reading the region\'s package repositories, ECR layers and a Patch Manager bucket (any key pattern inside)', () => {
      expectRule(rule, (s) => s3(s, read('arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*',
        'arn:aws:s3:::aws-patch-manager-us-east-1-1970c647d/*', 'arn:aws:s3:::amazon-ssm-us-east-1/latest/*')), 'E', 'PASS');
    });
    test('Compliance 6: an opt-in group of the file (EMR) is an exception too, built with ${AWS::Region}', () => {
      expectRule(rule, (s) => s3(s, read(`arn:${Aws.PARTITION}:s3:::repo.${Aws.REGION}.emr.amazonaws.com/*`)), 'E', 'PASS');
    });
    test('Noncompliance 4: the same shape on an arbitrary bucket', () => {
      const f = expectRule(rule, (s) => s3(s, read('arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*', 'arn:aws:s3:::attacker-drop/*')), 'E', 'FAIL');
      expect(f!.message).toMatch(/AwsOwned allows Principal \* .*s3:GetObject.*not a read-only exception for AWS-owned buckets: AwsOwned: resource arn:aws:s3:::attacker-drop\/\* is not an object of an AWS-owned bucket of us-east-1/);
    });
    test('Noncompliance 5: an AWS-owned bucket of another region', () => {
      const f = expectRule(rule, (s) => s3(s, read('arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*')), 'E', 'FAIL');
      expect(f!.message).toMatch(/prod-eu-west-1-starport-layer-bucket\/\* is not an object of an AWS-owned bucket of us-east-1/);
    });
    test('Noncompliance 6: a write to an AWS-owned bucket', () => {
      const f = expectRule(rule, (s) => s3(s, { ...read('arn:aws:s3:::aws-ssm-us-east-1/*'), Action: ['s3:GetObject', 's3:PutObject'] }), 'E', 'FAIL');
      expect(f!.message).toMatch(/action s3:PutObject is not read-only \(only s3:GetObject\)/);
    });
    test('Noncompliance 7: a wildcard standing for the region in the bucket name', () => {
      const f = expectRule(rule, (s) => s3(s, read('arn:aws:s3:::aws-ssm-*/*')), 'E', 'FAIL');
      expect(f!.message).toMatch(/aws-ssm-\*\/\* is not an object of an AWS-owned bucket/);
    });
    test('Noncompliance 8: listing an AWS-owned bucket (no documented exception needs it)', () => {
      const f = expectRule(rule, (s) => s3(s, { ...read('arn:aws:s3:::aws-ssm-us-east-1', 'arn:aws:s3:::aws-ssm-us-east-1/*'), Action: ['s3:GetObject', 's3:ListBucket'] }), 'E', 'FAIL');
      expect(f!.message).toMatch(/action s3:ListBucket is not read-only/);
    });
    test('Noncompliance 9: NotResource instead of the named buckets', () => {
      const f = expectRule(rule, (s) => s3(s, { Sid: 'AwsOwned', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::own-data/*' }), 'E', 'FAIL');
      expect(f!.message).toMatch(/it uses NotResource/);
    });
    test('Noncompliance 10: the exception counts only on an S3 endpoint', () => {
      expectRule(rule, (s) => s3(s, read('arn:aws:s3:::aws-ssm-us-east-1/*'), 'com.amazonaws.us-east-1.sts'), 'E', 'FAIL');
    });
  });
});

describe('VPCHasServiceEndpoints', () => {
  const rule = 'VPCHasServiceEndpoints';
  const all = (vpc: ec2.Vpc, skip: string[] = []) => {
    for (const name of REQUIRED_INTERFACE_ENDPOINTS.filter((n) => !skip.includes(n))) vpc.addInterfaceEndpoint(name, { service: new ec2.InterfaceVpcEndpointAwsService(name) });
    if (!skip.includes('s3')) vpc.addGatewayEndpoint('s3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    if (!skip.includes('dynamodb')) vpc.addGatewayEndpoint('dynamodb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
  };
  test('Compliance 1: L2 tiered VPC with every endpoint', () => {
    expectRule(rule, (s) => all(tiered(s)), 'V/Resource', 'PASS');
  });
  test('Compliance 2: a VPC with only public subnets is not evaluated', () => {
    expectRule(rule, (s) => new ec2.Vpc(s, 'V', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] }), 'V/Resource', 'N/A');
  });
  test('Compliance 3: L1 VPC, isolated subnet and L1 endpoints', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnSubnet(s, 'Sub', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
      for (const n of REQUIRED_INTERFACE_ENDPOINTS) new ec2.CfnVPCEndpoint(s, n, { vpcId: vpc.ref, vpcEndpointType: 'Interface', serviceName: `com.amazonaws.us-east-1.${n}` });
      for (const n of ['s3', 'dynamodb']) new ec2.CfnVPCEndpoint(s, n, { vpcId: vpc.ref, serviceName: `com.amazonaws.us-east-1.${n}` });
    }, 'V', 'PASS');
  });
  test('Noncompliance 1: L2 tiered VPC missing sts and the DynamoDB gateway', () => {
    const f = expectRule(rule, (s) => all(tiered(s), ['sts', 'dynamodb']), 'V/Resource', 'FAIL');
    expect(f!.message).toMatch(/missing endpoints: sts \(interface\), dynamodb \(gateway\)\)$/);
  });
  test('Noncompliance 2: an S3 interface endpoint is not the gateway', () => {
    const f = expectRule(rule, (s) => {
      const vpc = tiered(s);
      all(vpc, ['s3']);
      vpc.addInterfaceEndpoint('s3i', { service: new ec2.InterfaceVpcEndpointAwsService('s3') });
    }, 'V/Resource', 'FAIL');
    expect(f!.message).toMatch(/missing endpoints: s3 \(gateway\)/);
  });
  test('Unresolved 1: an endpoint service name is a parameter', () => {
    expectRule(rule, (s) => {
      const vpc = tiered(s);
      all(vpc, ['kms']);
      new ec2.CfnVPCEndpoint(s, 'Mystery', { vpcId: vpc.vpcId, vpcEndpointType: 'Interface', serviceName: param(s) });
    }, 'V/Resource', 'ERROR');
  });
});

describe('VPCEndpointPolicyRestricted: a condition on the resource does not limit who comes through (false pass)', () => {
  const rule = 'VPCEndpointPolicyRestricted';
  // The endpoint carries requests to any account's resources: Principal * with aws:ResourceAccount of the
  // attacker's account lets anyone copy data out through it to that account's bucket.
  const open = (condition: Record<string, unknown>) => ({ Sid: 'ToTheirs', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*', Condition: condition });
  const inKnownAccount = (statement: Record<string, unknown>, organizationId?: string) => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [statement] } });
    return evaluateScope(app, { rules: rulesNamed(rule), organizationId }).filter((x) => x.resource.id === 'S/E');
  };
  test('fails when Principal * is limited to resources of another account', () => {
    const [f] = inKnownAccount(open({ StringEquals: { 'aws:ResourceAccount': '999988887777' } }));
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/ToTheirs allows Principal \* .*on a resource of account 999988887777/);
  });
  test('fails when Principal * is limited to resources outside the own account (StringNotEquals)', () => {
    expect(inKnownAccount(open({ StringNotEquals: { 'aws:ResourceAccount': '111122223333' } })).map((f) => f.status)).toEqual(['FAIL']);
  });
  test('fails when Principal * is limited to resources of another organization', () => {
    const [f] = inKnownAccount(open({ StringEquals: { 'aws:ResourceOrgID': 'o-attacker0000' } }), 'o-own00000000');
    expect(f.status).toBe('FAIL');
    expect(f.message).toMatch(/in organization o-attacker0000/);
  });
  test('cannot verify an account named as the resource\'s when the own account is unknown', () => {
    expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [open({ StringEquals: { 'aws:ResourceAccount': '999988887777' } })] } }), 'E', 'ERROR');
  });
  test('still passes Principal * limited to the own account\'s principals and resources', () => {
    expect(inKnownAccount(open({ StringEquals: { 'aws:PrincipalAccount': '111122223333', 'aws:ResourceAccount': '111122223333' } })).map((f) => f.status)).toEqual(['PASS']);
  });
  test('still passes Principal * limited to the own organization, on a resource of any organization', () => {
    expect(inKnownAccount(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-own00000000' } }), 'o-own00000000').map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('VPCEndpointPolicyRestricted: what the finding names, and the shapes an attacker would try', () => {
  const rule = 'VPCEndpointPolicyRestricted';
  const ownOnly = { Sid: 'Own', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } } };
  const endpoint = (s: Stack, statements: unknown[], service = 'com.amazonaws.us-east-1.s3', extra: Partial<ec2.CfnVPCEndpointProps> = {}) => new ec2.CfnVPCEndpoint(s, 'E', {
    vpcId: 'vpc-12345678', serviceName: service, policyDocument: { Version: '2012-10-17', Statement: statements }, ...extra,
  });
  const anyone = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', ...extra });

  test('fails Allow with NotPrincipal, naming the statement by its Sid', () => {
    const f = expectRule(rule, (s) => endpoint(s, [{ Sid: 'AllButMe', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: '*', Resource: '*' }]), 'E', 'FAIL');
    expect(f!.message).toMatch(/\(AllButMe allows everyone but NotPrincipal\)$/);
  });
  test('fails Allow with NotPrincipal, naming a statement without Sid by its position', () => {
    const f = expectRule(rule, (s) => endpoint(s, [ownOnly, { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:*', Resource: '*' }]), 'E', 'FAIL');
    expect(f!.message).toMatch(/\(statement 2 allows everyone but NotPrincipal\)$/);
  });
  test('passes a Deny with NotPrincipal beside an Allow limited to the own account', () => {
    expectRule(rule, (s) => endpoint(s, [ownOnly, { Sid: 'OnlyApp', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${Aws.ACCOUNT_ID}:role/App` }, Action: '*', Resource: '*' }]), 'E', 'PASS');
  });
  test('cannot verify a policy whose statements are a parameter, and says it is the endpoint policy', () => {
    const f = expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Statement: param(s) } }), 'E', 'ERROR');
    expect(f!.message).toMatch(/cannot verify endpoint policy statements/);
  });
  test('cannot verify a malformed policy, and says what could not be judged', () => {
    const f = expectRule(rule, (s) => endpoint(s, [anyone({ Effect: 'Permit' })]), 'E', 'ERROR');
    expect(f!.message).toMatch(/cannot verify who the endpoint policy admits: policy 'endpoint policy'.*Permit/);
  });
  test('a Gateway Load Balancer endpoint (which takes no policy) is not evaluated', () => {
    expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', vpcEndpointType: 'GatewayLoadBalancer' }), 'E', 'N/A');
  });
  test('cannot verify an endpoint whose type is a parameter, and names the property', () => {
    const f = expectRule(rule, (s) => endpoint(s, [anyone()], 'com.amazonaws.us-east-1.s3', { vpcEndpointType: param(s) }), 'E', 'ERROR');
    expect(f!.message).toMatch(/cannot verify VpcEndpointType/);
  });
  test('fails Principal * on an endpoint whose service is a parameter, with a generic action', () => {
    const f = expectRule(rule, (s) => endpoint(s, [anyone()], param(s, 'Svc')), 'E', 'FAIL');
    expect(f!.message).toMatch(/call service:AnyAction\)$/);
  });
  test('on a KMS endpoint the finding names a KMS action, and nothing after it', () => {
    const f = expectRule(rule, (s) => endpoint(s, [anyone()], 'com.amazonaws.us-east-1.kms'), 'E', 'FAIL');
    expect(f!.message).toMatch(/statement 1 allows Principal \* beyond the own account and organization: it lets a principal of account \d{12} in no organization call kms:AnyAction\)$/);
  });
  test('on an S3 endpoint a wildcard action is tried as the S3 write it stands for (s3:Put* lets an outsider PutObject)', () => {
    const f = expectRule(rule, (s) => endpoint(s, [anyone({ Action: 's3:Put*' })]), 'E', 'FAIL');
    expect(f!.message).toMatch(/call s3:PutObject/);
  });
  test('on a DynamoDB endpoint dynamodb:* is tried as a Scan, dynamodb:Put* as a PutItem', () => {
    const scan = expectRule(rule, (s) => endpoint(s, [anyone({ Action: 'dynamodb:*' })], 'com.amazonaws.us-east-1.dynamodb'), 'E', 'FAIL');
    expect(scan!.message).toMatch(/call dynamodb:Scan\)$/);
    const put = expectRule(rule, (s) => endpoint(s, [anyone({ Action: 'dynamodb:Put*' })], 'com.amazonaws.us-east-1.dynamodb'), 'E', 'FAIL');
    expect(put!.message).toMatch(/call dynamodb:PutItem\)$/);
  });
  test('on a KMS endpoint NotResource of every S3 resource limits nothing', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Resource: undefined, NotResource: 'arn:aws:s3:::*' })], 'com.amazonaws.us-east-1.kms'), 'E', 'FAIL');
  });
  test('two endpoints with the same policy, of different services, each name their own service\'s action', () => {
    const f = findingsOf(rule, (s) => {
      endpoint(s, [anyone()], 'com.amazonaws.us-east-1.kms');
      new ec2.CfnVPCEndpoint(s, 'D', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.dynamodb', policyDocument: { Version: '2012-10-17', Statement: [anyone()] } });
    });
    expect(f.map((x) => [x.resource.id, x.status, /call (\S+)\)$/.exec(x.message)?.[1]])).toEqual([['S/E', 'FAIL', 'kms:AnyAction'], ['S/D', 'FAIL', 'dynamodb:Scan']]);
  });
  test('passes a role of a partner account named as the principal (only Principal * is judged)', () => {
    expectRule(rule, (s) => endpoint(s, [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: '*', Resource: '*' }], 'com.amazonaws.us-east-1.sts'), 'E', 'PASS');
  });
  test('fails Principal * limited to requests from private addresses: every request through the endpoint comes from one', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'FAIL');
  });
  test('fails Principal * limited to requests through this endpoint (aws:SourceVpce): every request through it is one', () => {
    expectRule(rule, (s) => {
      const e = new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.sts' });
      e.policyDocument = { Version: '2012-10-17', Statement: [anyone({ Condition: { StringEquals: { 'aws:SourceVpce': e.ref } } })] };
    }, 'E', 'FAIL');
  });

  test('on an S3 endpoint, Principal * outside every bucket and object (NotResource arn:aws:s3:::*) lets nothing through', () => {
    // Through an endpoint, access points need the underlying bucket allowed too.
    expectRule(rule, (s) => endpoint(s, [anyone({ Resource: undefined, NotResource: 'arn:aws:s3:::*' })]), 'E', 'PASS');
  });
  test('cannot verify an S3 endpoint policy without Statement, and says so', () => {
    const f = expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17' } }), 'E', 'ERROR');
    expect(f!.message).toMatch(/cannot verify who the endpoint policy admits: policy 'endpoint policy' has no Statement\)/);
  });

  describe('why a statement is not a read-only exception for AWS-owned buckets (S3 endpoints)', () => {
    const ssm = 'arn:aws:s3:::aws-ssm-us-east-1/*';
    test('a statement without Sid is named by its position', () => {
      const f = expectRule(rule, (s) => endpoint(s, [ownOnly, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: [ssm, 'arn:aws:s3:::attacker-drop/*'] }]), 'E', 'FAIL');
      expect(f!.message).toMatch(/not a read-only exception for AWS-owned buckets: statement 2: resource arn:aws:s3:::attacker-drop\/\* is not an object/);
    });
    test('NotAction', () => {
      const f = expectRule(rule, (s) => endpoint(s, [{ Sid: 'Ssm', Effect: 'Allow', Principal: '*', NotAction: 's3:PutObject', Resource: ssm }]), 'E', 'FAIL');
      expect(f!.message).toMatch(/\(not a read-only exception for AWS-owned buckets: Ssm: it uses NotAction\)\)$/);
    });
    test('no Resource', () => {
      const f = expectRule(rule, (s) => endpoint(s, [{ Sid: 'Ssm', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }]), 'E', 'FAIL');
      expect(f!.message).toMatch(/Ssm: it names no action or resource\)\)$/);
    });
    test('no Action: cannot verify the malformed statement, never read as an exception', () => {
      expectRule(rule, (s) => endpoint(s, [{ Sid: 'Ssm', Effect: 'Allow', Principal: '*', Resource: ssm }]), 'E', 'ERROR');
    });
    test('an action that is a parameter: cannot verify', () => {
      const f = expectRule(rule, (s) => endpoint(s, [{ Sid: 'Ssm', Effect: 'Allow', Principal: '*', Action: param(s), Resource: ssm }]), 'E', 'ERROR');
      expect(f!.message).toMatch(/depends on unresolved value/);
    });
    test('a resource that is a parameter is said to be unresolved', () => {
      const f = expectRule(rule, (s) => endpoint(s, [{ Sid: 'Ssm', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: [param(s), 'arn:aws:s3:::attacker-drop/*'] }]), 'E', 'FAIL');
      expect(f!.message).toMatch(/Ssm: resource of unresolved value is not an object of an AWS-owned bucket of us-east-1/);
    });
    test('two statements letting the same request through are both explained', () => {
      const f = expectRule(rule, (s) => endpoint(s, [
        { Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'Write', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
      ]), 'E', 'FAIL');
      expect(f!.message).toMatch(/Read, Write allows Principal \* .*\(not a read-only exception for AWS-owned buckets: Read: resource \* is not an object .*; Write: action s3:PutObject is not read-only/);
    });
  });
});

describe('VPCHasServiceEndpoints: which VPCs are judged, and what the finding names', () => {
  const rule = 'VPCHasServiceEndpoints';
  const allBut = (vpc: ec2.Vpc, skip: string) => {
    for (const name of REQUIRED_INTERFACE_ENDPOINTS.filter((n) => n !== skip)) vpc.addInterfaceEndpoint(name, { service: new ec2.InterfaceVpcEndpointAwsService(name) });
    vpc.addGatewayEndpoint('s3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addGatewayEndpoint('dynamodb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
  };
  test('cannot verify when the type of an endpoint that may be the missing one is a parameter', () => {
    const f = expectRule(rule, (s) => {
      const vpc = tiered(s);
      allBut(vpc, 'kms');
      new ec2.CfnVPCEndpoint(s, 'Kms', { vpcId: vpc.vpcId, vpcEndpointType: param(s, 'KmsType'), serviceName: 'com.amazonaws.us-east-1.kms' });
    }, 'V/Resource', 'ERROR');
    expect(f!.message).toMatch(/cannot verify a VPC endpoint: unresolved value \{"Ref":"KmsType"\}/);
  });
  test('cannot verify when the VPC of an endpoint is a parameter, and names that parameter', () => {
    const f = expectRule(rule, (s) => {
      const vpc = tiered(s);
      allBut(vpc, 'kms');
      new ec2.CfnVPCEndpoint(s, 'Kms', { vpcId: param(s, 'KmsVpc'), vpcEndpointType: 'Interface', serviceName: 'com.amazonaws.us-east-1.kms' });
    }, 'V/Resource', 'ERROR');
    expect(f!.message).toMatch(/\{"Ref":"KmsVpc"\}/);
  });
  test('cannot verify when the service of an endpoint is a parameter, and names that parameter', () => {
    const f = expectRule(rule, (s) => {
      const vpc = tiered(s);
      allBut(vpc, 'kms');
      new ec2.CfnVPCEndpoint(s, 'Kms', { vpcId: vpc.vpcId, vpcEndpointType: 'Interface', serviceName: param(s, 'KmsService') });
    }, 'V/Resource', 'ERROR');
    expect(f!.message).toMatch(/\{"Ref":"KmsService"\}/);
  });
  test('a VPC without subnets is not evaluated', () => {
    expectRule(rule, (s) => new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' }), 'V', 'N/A');
  });
  test('fails a VPC whose private subnet comes before a public one', () => {
    const f = expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnSubnet(s, 'Private', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
      const pub = new ec2.CfnSubnet(s, 'Public', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
      const igw = new ec2.CfnInternetGateway(s, 'Igw');
      const table = new ec2.CfnRouteTable(s, 'Rt', { vpcId: vpc.ref });
      new ec2.CfnRoute(s, 'Default', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
      new ec2.CfnSubnetRouteTableAssociation(s, 'Assoc', { subnetId: pub.ref, routeTableId: table.ref });
    }, 'V', 'FAIL');
    expect(f!.message).toMatch(/missing endpoints: kms \(interface\)/);
  });
});

describe('VPCFlowLogAllTraffic: what the finding names', () => {
  const rule = 'VPCFlowLogAllTraffic';
  test('a flow log of rejected traffic only is named as not capturing ALL traffic', () => {
    const f = expectRule(rule, (s) => tiered(s).addFlowLog('F', { trafficType: ec2.FlowLogTrafficType.REJECT }), 'V/Resource', 'FAIL');
    expect(f!.message).toMatch(/\(the flow log does not capture ALL traffic\)$/);
  });
  test('a VPC without flow log is named as having none', () => {
    const f = expectRule(rule, (s) => new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' }), 'Vpc', 'FAIL');
    expect(f!.message).toMatch(/\(no flow log\)$/);
  });
  test('a flow log whose VPC is a parameter: cannot verify, naming what', () => {
    const f = expectRule(rule, (s) => {
      new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnFlowLog(s, 'F', { resourceId: param(s), resourceType: 'VPC', trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::b' });
    }, 'Vpc', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the VPC of a flow log/);
  });
  test('a flow log of a subnet (whatever its id) is not the VPC\'s flow log', () => {
    const f = expectRule(rule, (s) => {
      new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnFlowLog(s, 'F', { resourceId: param(s), resourceType: 'Subnet', trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::b' });
    }, 'Vpc', 'FAIL');
    expect(f!.message).toMatch(/no flow log/);
  });
});
