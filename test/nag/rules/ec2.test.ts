import { App, Aws, CfnCondition, CfnOutput, CfnParameter, CfnResource, CustomResource, Fn, Size, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SegmentedVpc } from '../../../lib/constructs/segmented-vpc';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { REQUIRED_INTERFACE_ENDPOINTS } from '../../../lib/nag/rules/ec2';
import { describeMetadata, expectRule, findingsOf, param, paramValue, synthFast } from '../helpers';

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

// ---- Security groups and network ACLs as an intruder shapes them (mutation survivors, issue 14) ----

/** The one finding of `rule` on the resource at `path`, asserting its status; its message is what an auditor reads. */
const sgFinding = (rule: string, build: (s: Stack) => void, path: string, status: 'PASS' | 'FAIL' | 'ERROR'): string =>
  expectRule(rule, build, path, status)!.message;
const sgNum = (s: Stack, id = 'P') => Token.asNumber(param(s, id));
/** A network ACL entry of no ACL in the app (allow, TCP, from anywhere unless told). */
const outsideEntry = (s: Stack, props: Partial<ec2.CfnNetworkAclEntryProps>) => new ec2.CfnNetworkAclEntry(s, 'E', {
  networkAclId: 'acl-0123456789abcdef0', ruleNumber: 100, protocol: 6, ruleAction: 'allow', cidrBlock: '0.0.0.0/0', ...props,
});
/** An entry of an L2 network ACL of a 10.0.0.0/16 VPC of the app. */
const appEntry = (s: Stack, cidr: ec2.AclCidr, traffic: ec2.AclTraffic) =>
  new ec2.NetworkAcl(s, 'Acl', { vpc: tiered(s) }).addEntry('E', { ruleNumber: 100, cidr, traffic });
/** An L1 group of a VPC outside the app with one inline ingress rule. */
const outsideGroup = (s: Stack, rule: ec2.CfnSecurityGroup.IngressProperty) => new ec2.CfnSecurityGroup(s, 'Sg', {
  groupDescription: 'd', vpcId: 'vpc-0123456789abcdef0', securityGroupIngress: [rule],
});

describe('NetworkAclNoOpenIngress: what an entry open to the internet lets in', () => {
  const rule = 'NetworkAclNoOpenIngress';
  test('the FAIL names all traffic and the CIDR', () => {
    expect(sgFinding(rule, (s) => appEntry(s, ec2.AclCidr.anyIpv4(), ec2.AclTraffic.allTraffic()), 'Acl/E/Resource', 'FAIL'))
      .toContain('(allows all traffic from 0.0.0.0/0)');
  });
  test('the FAIL names the protocol, the port range and the IPv6 CIDR', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, { cidrBlock: undefined, ipv6CidrBlock: '::/0', portRange: { from: 1024, to: 65535 } }), 'E', 'FAIL'))
      .toContain('(allows protocol tcp ports 1024-65535 from ::/0)');
  });
  test.each([[400, 443], [443, 444]])('fails when TCP %i-%i from anywhere only begins or ends at 443', (from, to) => {
    expect(sgFinding(rule, (s) => outsideEntry(s, { portRange: { from, to } }), 'E', 'FAIL')).toContain(`ports ${from}-${to} from 0.0.0.0/0`);
  });
  test('fails when UDP 443 is open to anywhere (only TCP 443 is the exception)', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, { protocol: 17, portRange: { from: 443, to: 443 } }), 'E', 'FAIL')).toContain('protocol 17 ports 443-443');
  });
  test('a TCP entry without a port range admits every port', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, {}), 'E', 'FAIL')).toContain('(allows protocol tcp ports 0-65535 from 0.0.0.0/0)');
  });
  test('an entry without a protocol admits all traffic', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, {}).addPropertyDeletionOverride('Protocol'), 'E', 'FAIL')).toContain('(allows all traffic from 0.0.0.0/0)');
  });
  test('an all-traffic entry admits every port whatever its (unresolved) port range says', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, { protocol: -1, portRange: { from: sgNum(s, 'F'), to: sgNum(s, 'T') } }), 'E', 'FAIL'))
      .toContain('(allows all traffic from 0.0.0.0/0)');
  });
  test('all traffic from inside the VPC passes', () => {
    expectRule(rule, (s) => appEntry(s, ec2.AclCidr.ipv4('10.0.0.0/16'), ec2.AclTraffic.allTraffic()), 'Acl/E/Resource', 'PASS');
  });
  test('an egress or deny entry from anywhere is not applicable', () => {
    expectRule(rule, (s) => outsideEntry(s, { protocol: -1, egress: true }), 'E', 'N/A');
    expectRule(rule, (s) => outsideEntry(s, { protocol: -1, ruleAction: 'deny' }), 'E', 'N/A');
  });
  test.each([
    ['Egress', (s: Stack) => outsideEntry(s, { egress: paramValue(s) })],
    ['RuleAction', (s: Stack) => outsideEntry(s, { ruleAction: param(s) })],
    ['Protocol', (s: Stack) => outsideEntry(s, { protocol: sgNum(s) })],
    ['PortRange', (s: Stack) => outsideEntry(s, { portRange: paramValue(s) })],
    ['PortRange.From', (s: Stack) => outsideEntry(s, { portRange: { from: sgNum(s), to: 22 } })],
    ['PortRange.To', (s: Stack) => outsideEntry(s, { portRange: { from: 22, to: sgNum(s) } })],
    ['CidrBlock', (s: Stack) => outsideEntry(s, { cidrBlock: param(s) })],
    ['Ipv6CidrBlock', (s: Stack) => outsideEntry(s, { cidrBlock: undefined, ipv6CidrBlock: param(s) })],
  ])('the ERROR names the unresolved %s', (what, build) => {
    expect(sgFinding(rule, build, 'E', 'ERROR')).toMatch(new RegExp(`\\(cannot verify ${what.replace('.', '\\.')}: `));
  });
});

describe('NoAdminPortsBeyondVpc: network ACL entries, both sides of every port boundary', () => {
  const rule = 'NoAdminPortsBeyondVpc';
  test.each([
    [ec2.AclTraffic.tcpPort(22), 'port 22 open'],
    [ec2.AclTraffic.tcpPort(3389), 'port 3389 open'],
    [ec2.AclTraffic.tcpPortRange(1, 65535), 'port 22, 3389 open'],
    [ec2.AclTraffic.allTraffic(), 'port 22, 3389 open'],
  ])('fails when an entry from anywhere reaches an admin port (%#), naming the port and CIDR', (traffic, ports) => {
    expect(sgFinding(rule, (s) => appEntry(s, ec2.AclCidr.anyIpv4(), traffic), 'Acl/E/Resource', 'FAIL')).toContain(`(${ports} to 0.0.0.0/0)`);
  });
  test.each([
    ['0-21', ec2.AclTraffic.tcpPortRange(0, 21)],
    ['23-3388', ec2.AclTraffic.tcpPortRange(23, 3388)],
    ['3390-65535', ec2.AclTraffic.tcpPortRange(3390, 65535)],
    ['UDP 22', ec2.AclTraffic.udpPort(22)],
    ['TCP 443', ec2.AclTraffic.tcpPort(443)],
  ])('passes when an entry from anywhere misses 22 and 3389 (%s)', (_, traffic) => {
    expectRule(rule, (s) => appEntry(s, ec2.AclCidr.anyIpv4(), traffic), 'Acl/E/Resource', 'PASS');
  });
  test('SSH from a subnet of the VPC passes', () => {
    expectRule(rule, (s) => appEntry(s, ec2.AclCidr.ipv4('10.0.1.0/24'), ec2.AclTraffic.tcpPort(22)), 'Acl/E/Resource', 'PASS');
  });
  test('all traffic from a narrow CIDR outside the VPC fails, naming both ports, the CIDR and the VPC', () => {
    expect(sgFinding(rule, (s) => appEntry(s, ec2.AclCidr.ipv4('192.168.0.0/24'), ec2.AclTraffic.allTraffic()), 'Acl/E/Resource', 'FAIL'))
      .toContain('(port 22, 3389 open to 192.168.0.0/24 beyond VPC 10.0.0.0/16)');
  });
  test('SSH from anywhere fails even when the network ACL is outside the app', () => {
    expectRule(rule, (s) => outsideEntry(s, { portRange: { from: 22, to: 22 } }), 'E', 'FAIL');
  });
  test('SSH from a private CIDR through a network ACL outside the app cannot be verified', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, { cidrBlock: '10.0.1.0/24', portRange: { from: 22, to: 22 } }), 'E', 'ERROR'))
      .toMatch(/\(cannot verify the network ACL: .*acl-0123456789abcdef0/);
  });
  test('an entry without a protocol reaches both admin ports', () => {
    expect(sgFinding(rule, (s) => outsideEntry(s, {}).addPropertyDeletionOverride('Protocol'), 'E', 'FAIL')).toContain('(port 22, 3389 open to 0.0.0.0/0)');
  });
  test('an egress or deny entry is not applicable', () => {
    expectRule(rule, (s) => outsideEntry(s, { protocol: -1, egress: true }), 'E', 'N/A');
    expectRule(rule, (s) => outsideEntry(s, { protocol: -1, ruleAction: 'deny' }), 'E', 'N/A');
  });
});

describe('NoAdminPortsBeyondVpc: security group rules and where their source is', () => {
  const rule = 'NoAdminPortsBeyondVpc';
  const sg = (s: Stack) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) });
  test('all traffic from anywhere names both ports and the CIDR', () => {
    expect(sgFinding(rule, (s) => sg(s).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic()), 'Sg/Resource', 'FAIL')).toContain('(port 22, 3389 open to 0.0.0.0/0)');
  });
  test('a narrow CIDR outside the VPC fails, naming the ports, the CIDR and the VPC', () => {
    expect(sgFinding(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4('192.168.1.0/24'), ec2.Port.allTraffic()), 'Sg/Resource', 'FAIL'))
      .toContain('(port 22, 3389 open to 192.168.1.0/24 beyond VPC 10.0.0.0/16)');
  });
  test('SSH alone is named as port 22 only', () => {
    expect(sgFinding(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4('192.168.1.0/24'), ec2.Port.tcp(22)), 'Sg/Resource', 'FAIL'))
      .toContain('(port 22 open to 192.168.1.0/24 beyond VPC 10.0.0.0/16)');
  });
  test('a rule that misses 22 and 3389 passes whatever its source, even an unresolved one', () => {
    expectRule(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4('192.168.1.0/24'), ec2.Port.tcp(443)), 'Sg/Resource', 'PASS');
    expectRule(rule, (s) => sg(s).addIngressRule(ec2.Peer.ipv4(param(s)), ec2.Port.tcpRange(23, 3388)), 'Sg/Resource', 'PASS');
  });
  test('a bare address without a prefix length outside the VPC fails', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: sg(s).securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '203.0.113.5' }), 'In', 'FAIL');
  });
  test('SSH from another security group (inline rule) passes', () => {
    expectRule(rule, (s) => {
      const other = sg(s);
      new ec2.CfnSecurityGroup(s, 'App', { groupDescription: 'd', vpcId: 'vpc-0123456789abcdef0', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourceSecurityGroupId: other.securityGroupId }] });
    }, 'App', 'PASS');
  });
  test('SSH from the VPC\'s own CidrBlock attribute passes (it is the VPC)', () => {
    expectRule(rule, (s) => {
      const v = tiered(s);
      new ec2.SecurityGroup(s, 'Sg', { vpc: v }).addIngressRule(ec2.Peer.ipv4(v.vpcCidrBlock), ec2.Port.tcp(22));
    }, 'Sg/Resource', 'PASS');
  });
  test('an ingress resource on a group of the app is judged against that group\'s VPC', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: sg(s).securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }), 'In', 'PASS');
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: sg(s).securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '192.168.1.0/24' }), 'In', 'FAIL');
  });
  test.each([
    ['172.16.0.0/12', 'FAIL'], ['172.16.0.0/15', 'FAIL'], ['172.16.0.0/16', 'ERROR'],
    ['2001:db8::/48', 'FAIL'], ['2001:db8::/55', 'FAIL'], ['2001:db8::/56', 'ERROR'],
  ] as const)('SSH from %s in a VPC outside the app: a CIDR wider than any VPC fails, a narrower one cannot be verified', (cidr, status) => {
    const rule6 = cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIp: cidr };
    const msg = sgFinding(rule, (s) => outsideGroup(s, { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ...rule6 }), 'Sg', status);
    expect(msg).toContain(status === 'FAIL' ? `(port 22 open to ${cidr})` : 'cannot verify the VPC of S/Sg: unresolved value "vpc-0123456789abcdef0"');
  });
  test('SSH from a prefix list cannot be verified (the list can hold any CIDR)', () => {
    expect(sgFinding(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: sg(s).securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourcePrefixListId: 'pl-0123456789abcdef0' }), 'In', 'ERROR'))
      .toMatch(/\(cannot verify the prefix list source: .*pl-0123456789abcdef0/);
  });
  test('SSH from a private CIDR into a group outside the app cannot be verified', () => {
    expect(sgFinding(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-0123456789abcdef0', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }), 'In', 'ERROR'))
      .toMatch(/\(cannot verify the security group: .*sg-0123456789abcdef0/);
  });
  test('SSH from a subnet\'s CidrBlock attribute is not read as the VPC: cannot verify, never PASS', () => {
    expectRule(rule, (s) => {
      const v = tiered(s);
      const subnet = v.privateSubnets[0].node.defaultChild as ec2.CfnSubnet;
      new ec2.SecurityGroup(s, 'Sg', { vpc: v }).addIngressRule(ec2.Peer.ipv4(subnet.attrCidrBlock), ec2.Port.tcp(22));
    }, 'Sg/Resource', 'ERROR');
  });
  test('SSH from the VPC id (Ref) is not read as the VPC\'s CIDR: cannot verify, never PASS', () => {
    expectRule(rule, (s) => {
      const v = tiered(s);
      new ec2.SecurityGroup(s, 'Sg', { vpc: v }).addIngressRule(ec2.Peer.ipv4(v.vpcId), ec2.Port.tcp(22));
    }, 'Sg/Resource', 'ERROR');
  });
  test('a group whose VpcId is a subnet\'s VpcId attribute cannot be verified (the subnet\'s CIDR is not the VPC\'s)', () => {
    expect(sgFinding(rule, (s) => {
      const v = new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
      const subnet = new ec2.CfnSubnet(s, 'Sub', { vpcId: v.ref, cidrBlock: '10.0.1.0/24' });
      new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: subnet.attrVpcId, securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }] });
    }, 'Sg', 'ERROR')).toContain('cannot verify the VPC of S/Sg');
  });
  test('a VPC whose CIDR comes from an IPAM pool cannot be verified', () => {
    expect(sgFinding(rule, (s) => {
      const v = new ec2.CfnVPC(s, 'V', { ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0', ipv4NetmaskLength: 16 });
      new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: v.ref, securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }] });
    }, 'Sg', 'ERROR')).toContain('cannot verify the CIDR of VPC S/V');
  });
  test('a VPC whose CidrBlock is a parameter cannot be verified, naming the property', () => {
    expect(sgFinding(rule, (s) => {
      const v = new ec2.CfnVPC(s, 'V', { cidrBlock: param(s) });
      new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: v.ref, securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }] });
    }, 'Sg', 'ERROR')).toMatch(/\(cannot verify VPC CidrBlock: /);
  });
  test.each([
    ['SecurityGroupIngress', (s: Stack) => new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: 'vpc-1', securityGroupIngress: paramValue(s) })],
    ['ingress rule', (s: Stack) => new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: 'vpc-1', securityGroupIngress: [paramValue(s)] })],
    ['ingress rule FromPort', (s: Stack) => outsideGroup(s, { ipProtocol: 'tcp', fromPort: sgNum(s), toPort: 22, cidrIp: '0.0.0.0/0' })],
  ])('the ERROR names the unresolved %s', (what, build) => {
    expect(sgFinding(rule, build, 'Sg', 'ERROR')).toMatch(new RegExp(`\\(cannot verify ${what}: `));
  });
  test('the ERROR of an ingress resource names its unresolved CidrIp', () => {
    expect(sgFinding(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: param(s) }), 'In', 'ERROR'))
      .toMatch(/\(cannot verify ingress CidrIp: /);
  });
});

describe('SecurityGroupNoOpenIngress: the public load balancer exception and what the FAIL names', () => {
  const rule = 'SecurityGroupNoOpenIngress';
  const instance = (s: Stack, id: string, vpc: ec2.IVpc, securityGroup: ec2.ISecurityGroup) =>
    new ec2.Instance(s, id, { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ami, securityGroup });
  /** An L1 group of a VPC of the app admitting TCP 443 from anywhere. */
  const open443 = (s: Stack) => new ec2.CfnSecurityGroup(s, 'Sg', {
    groupDescription: 'd', vpcId: new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' }).ref,
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }],
  });
  test('the FAIL names all traffic and the IPv6 CIDR', () => {
    expect(sgFinding(rule, (s) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) }).addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.allTraffic()), 'Sg/Resource', 'FAIL'))
      .toContain('(all traffic from ::/0)');
  });
  test('the FAIL of an ingress resource names the protocol, ports and CIDR', () => {
    expect(sgFinding(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '0.0.0.0/0' }), 'In', 'FAIL'))
      .toContain('(tcp 80-80 from 0.0.0.0/0)');
  });
  test('443 from anywhere on a group no load balancer uses says so', () => {
    expect(sgFinding(rule, (s) => new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443)), 'Sg/Resource', 'FAIL'))
      .toContain('(tcp 443-443 from 0.0.0.0/0: the group is used by no internet-facing load balancer)');
  });
  test('80 from anywhere on an internet-facing load balancer\'s group fails (only 443 is exempt)', () => {
    expect(sgFinding(rule, (s) => {
      const vpc = tiered(s);
      const g = new ec2.SecurityGroup(s, 'Sg', { vpc });
      g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
      new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: true, securityGroup: g });
    }, 'Sg/Resource', 'FAIL')).toContain('(tcp 80-80 from 0.0.0.0/0)');
  });
  test('443 from anywhere on an internal load balancer\'s group fails', () => {
    expect(sgFinding(rule, (s) => {
      const vpc = tiered(s);
      const g = new ec2.SecurityGroup(s, 'Sg', { vpc });
      g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
      new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: false, securityGroup: g });
    }, 'Sg/Resource', 'FAIL')).toContain('used by no internet-facing load balancer');
  });
  test('a group exempted for a public load balancer but also attached to instances fails, naming each instance', () => {
    expect(sgFinding(rule, (s) => {
      const vpc = tiered(s);
      const g = new ec2.SecurityGroup(s, 'Sg', { vpc });
      g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
      instance(s, 'I1', vpc, g);
      instance(s, 'I2', vpc, g);
      new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: true, securityGroup: g });
    }, 'Sg/Resource', 'FAIL')).toContain('(tcp 443-443 from 0.0.0.0/0: the group is also used by S/I1/Resource (AWS::EC2::Instance), S/I2/Resource (AWS::EC2::Instance), not an internet-facing load balancer)');
  });
  test('a load balancer without a Scheme is internet-facing; a group attached by Ref counts', () => {
    expectRule(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.ref] });
    }, 'Sg', 'PASS');
  });
  test('an instance attached to the load balancer\'s group by Ref is found', () => {
    expect(sgFinding(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.ref] });
      new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', securityGroupIds: [g.ref] });
    }, 'Sg', 'FAIL')).toContain('also used by S/I (AWS::EC2::Instance)');
  });
  test('an instance in another stack attached through an export of the group is found', () => {
    expect(sgFinding(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.attrGroupId], scheme: 'internet-facing' });
      new CfnOutput(s, 'O', { value: g.attrGroupId, exportName: 'LbGroup' });
      new ec2.CfnInstance(new Stack(s.node.root as App, 'T'), 'I', { imageId: 'ami-1', securityGroupIds: [Fn.importValue('LbGroup')] });
    }, 'Sg', 'FAIL')).toContain('also used by T/I (AWS::EC2::Instance)');
  });
  test('a resource that reads only the group\'s VPC id does not use the group', () => {
    expectRule(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.attrGroupId] });
      new CfnResource(s, 'Param', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: g.attrVpcId } });
    }, 'Sg', 'PASS');
  });
  test('another group naming the load balancer\'s group as its source does not use it', () => {
    expectRule(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.attrGroupId] });
      new ec2.CfnSecurityGroup(s, 'App', { groupDescription: 'd', vpcId: g.vpcId, securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, sourceSecurityGroupId: g.attrGroupId }] });
    }, 'Sg', 'PASS');
  });
  test('an internet-facing ALB sending to app servers, in an app with an instance role, keeps its exemption', () => {
    expectRule(rule, (s) => {
      const vpc = tiered(s);
      const alb = new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: true });
      alb.connections.allowFromAnyIpv4(ec2.Port.tcp(443));
      alb.connections.allowTo(new ec2.SecurityGroup(s, 'App', { vpc }), ec2.Port.tcp(80));
      new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')] });
    }, 'Alb/SecurityGroup/Resource', 'PASS');
  });
  test('a null property elsewhere in the app (an override removing a value) does not stop the search for users', () => {
    expect(sgFinding(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.attrGroupId] });
      new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', securityGroupIds: [g.attrGroupId] }).addPropertyOverride('UserData', null);
    }, 'Sg', 'FAIL')).toContain('also used by S/I (AWS::EC2::Instance)');
  });
  test('ingress from the CidrBlock attribute of a VPC whose CIDR comes from an IPAM pool cannot be verified', () => {
    expectRule(rule, (s) => {
      const v = new ec2.CfnVPC(s, 'V', { ipv4IpamPoolId: 'ipam-pool-0123456789abcdef0', ipv4NetmaskLength: 16 });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: v.attrCidrBlock });
    }, 'In', 'ERROR');
  });
  test('443 through an ingress resource on a public load balancer\'s group passes', () => {
    expectRule(rule, (s) => {
      const g = open443(s);
      new elbv2.CfnLoadBalancer(s, 'Lb', { subnets: ['subnet-1', 'subnet-2'], securityGroups: [g.attrGroupId] });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: g.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '::/0' });
    }, 'In', 'PASS');
  });
});

describe('DefaultSecurityGroupClosed: rule resources on other groups', () => {
  const rule = 'DefaultSecurityGroupClosed';
  test('a rule resource on an ordinary group of the app is not applicable', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: new ec2.SecurityGroup(s, 'Sg', { vpc: tiered(s) }).securityGroupId, ipProtocol: '-1', cidrIp: '10.0.0.0/16' }), 'In', 'N/A');
  });
  test('a rule resource on a group outside the app is not applicable', () => {
    expectRule(rule, (s) => new ec2.CfnSecurityGroupEgress(s, 'Out', { groupId: 'sg-0123456789abcdef0', ipProtocol: '-1', cidrIp: '0.0.0.0/0' }), 'Out', 'N/A');
  });
  test('an egress rule resource on the default group fails', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnSecurityGroupEgress(s, 'Out', { groupId: vpc.attrDefaultSecurityGroup, ipProtocol: '-1', cidrIp: '0.0.0.0/0' });
    }, 'Out', 'FAIL');
  });
});

/** An L1 VPC with one data subnet and its own route table; `routes` adds routes or resources; a database sits in the subnet. */
const l1DataSubnet = (s: Stack, routes?: (table: ec2.CfnRouteTable, vpc: ec2.CfnVPC, subnet: ec2.CfnSubnet) => void) => {
  const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(s, 'Data', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
  const table = new ec2.CfnRouteTable(s, 'Rt', { vpcId: vpc.ref });
  new ec2.CfnSubnetRouteTableAssociation(s, 'Assoc', { subnetId: subnet.ref, routeTableId: table.ref });
  routes?.(table, vpc, subnet);
  const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: [subnet.ref] });
  new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
  return { vpc, subnet, table };
};

describe('DataStoreIsolatedSubnets: which routes lead out of a data subnet', () => {
  const rule = 'DataStoreIsolatedSubnets';
  const route = (s: Stack, table: ec2.CfnRouteTable, id: string, props: Partial<ec2.CfnRouteProps>) =>
    new ec2.CfnRoute(s, id, { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', ...props });
  const fails = (build: (s: Stack, table: ec2.CfnRouteTable) => void) => expectRule(rule, (s) => l1DataSubnet(s, (t) => build(s, t)), 'Db', 'FAIL')!.message;

  test('Compliance: a default route to a virtual private gateway (VPN to the own network) is no internet path', () => {
    expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'ToVpn', { gatewayId: new ec2.CfnVPNGateway(s, 'Vgw', { type: 'ipsec.1' }).ref })), 'Db', 'PASS');
  });
  test('Compliance: a default route to a virtual private gateway named by its id', () => {
    expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'ToVpn', { gatewayId: 'vgw-0123456789abcdef0' })), 'Db', 'PASS');
  });
  test('Compliance: a route to a peered VPC (peering never carries traffic on to the peer\'s gateways)', () => {
    expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'ToPeer', { destinationCidrBlock: '10.1.0.0/16', vpcPeeringConnectionId: 'pcx-0123456789abcdef0' })), 'Db', 'PASS');
  });
  test('Noncompliance: a separate AWS::EC2::Route to an internet gateway, named with its destination and the route', () => {
    const m = fails((s, t) => route(s, t, 'ToIgw', { gatewayId: new ec2.CfnInternetGateway(s, 'Igw').ref }));
    expect(m).toMatch(/Data routes 0\.0\.0\.0\/0 to an internet gateway \(S\/ToIgw\)/);
  });
  test('Noncompliance: an internet gateway named by its id', () => {
    expect(fails((s, t) => route(s, t, 'ToIgw', { gatewayId: 'igw-0123456789abcdef0' }))).toMatch(/0\.0\.0\.0\/0 to gateway igw-0123456789abcdef0/);
  });
  test('Noncompliance: the internet route is found among other routes of the table', () => {
    const m = fails((s, t) => {
      route(s, t, 'ToIgw', { gatewayId: new ec2.CfnInternetGateway(s, 'Igw').ref });
      route(s, t, 'ToVpn', { destinationCidrBlock: '192.168.0.0/16', gatewayId: 'vgw-0123456789abcdef0' });
    });
    expect(m).toMatch(/to an internet gateway \(S\/ToIgw\)/);
  });
  test('Noncompliance: an IPv6 route to an egress-only internet gateway', () => {
    const m = fails((s, t) => route(s, t, 'V6', { destinationCidrBlock: undefined, destinationIpv6CidrBlock: '::/0', egressOnlyInternetGatewayId: new ec2.CfnEgressOnlyInternetGateway(s, 'Eigw', { vpcId: 'vpc-1' }).ref }));
    expect(m).toMatch(/Data routes ::\/0 to an egress-only internet gateway/);
  });
  test('Noncompliance: a route to a carrier gateway', () => {
    expect(fails((s, t) => route(s, t, 'ToCarrier', { carrierGatewayId: 'cagw-0123456789abcdef0' }))).toMatch(/Data routes 0\.0\.0\.0\/0 to a carrier gateway \(S\/ToCarrier\)/);
  });
  test('Noncompliance: a route to a NAT instance', () => {
    expect(fails((s, t) => route(s, t, 'ToNat', { instanceId: 'i-0123456789abcdef0' }))).toMatch(/Data routes 0\.0\.0\.0\/0 to an instance \(NAT instance\)/);
  });
  test('Noncompliance: a prefix-list route to an internet gateway says so', () => {
    const m = fails((s, t) => route(s, t, 'ToS3', { destinationCidrBlock: undefined, destinationPrefixListId: 'pl-63a5400a', gatewayId: new ec2.CfnInternetGateway(s, 'Igw').ref }));
    expect(m).toMatch(/Data routes a prefix list to an internet gateway/);
  });
  test('Unresolved: the route destination is a parameter', () => {
    const f = expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'R', { destinationCidrBlock: param(s), natGatewayId: 'nat-0123456789abcdef0' })), 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify route destination/);
  });
  test('Unresolved: the IPv6 route destination is a parameter', () => {
    const f = expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'R', { destinationCidrBlock: undefined, destinationIpv6CidrBlock: param(s), natGatewayId: 'nat-0123456789abcdef0' })), 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify route destination/);
  });
  test('Unresolved: the route gateway is a parameter', () => {
    const f = expectRule(rule, (s) => l1DataSubnet(s, (t) => route(s, t, 'R', { gatewayId: param(s) })), 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the route gateway/);
  });
  test('Unresolved: literal subnet ids are named in the ERROR', () => {
    const f = expectRule(rule, (s) => {
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: ['subnet-0123'] });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the subnet: .*subnet-0123/);
  });
});

describe('DataStoreIsolatedSubnets: where each kind of data store takes its subnets from', () => {
  const rule = 'DataStoreIsolatedSubnets';
  test('an EFS mount target in an isolated subnet passes, one in a public subnet fails', () => {
    const build = (pick: (v: ec2.Vpc) => ec2.ISubnet) => (s: Stack) => {
      const fs = new efs.CfnFileSystem(s, 'Fs', { encrypted: true });
      new efs.CfnMountTarget(s, 'Mt', { fileSystemId: fs.ref, subnetId: pick(tiered(s)).subnetId, securityGroups: ['sg-0123'] });
    };
    expectRule(rule, build((v) => v.isolatedSubnets[0]), 'Mt', 'PASS');
    expect(expectRule(rule, build((v) => v.publicSubnets[0]), 'Mt', 'FAIL')!.message).toMatch(/to an internet gateway/);
  });
  test('a serverless cache in isolated subnets passes; naming none fails (default VPC); an empty list fails', () => {
    const cache = (subnetIds: (v: ec2.Vpc) => string[] | undefined) => (s: Stack) => {
      new elasticache.CfnServerlessCache(s, 'Cache', { engine: 'valkey', serverlessCacheName: 'c', subnetIds: subnetIds(tiered(s)) });
    };
    expectRule(rule, cache((v) => v.isolatedSubnets.map((x) => x.subnetId)), 'Cache', 'PASS');
    expect(expectRule(rule, cache(() => undefined), 'Cache', 'FAIL')!.message).toMatch(/no subnets named: the data store lands in the default VPC/);
    expect(expectRule(rule, cache(() => []), 'Cache', 'FAIL')!.message).toMatch(/the subnet list is empty/);
  });
  test('a serverless cache whose subnet list is a parameter is an ERROR naming the subnet ids', () => {
    const f = expectRule(rule, (s) => new elasticache.CfnServerlessCache(s, 'Cache', { engine: 'valkey', serverlessCacheName: 'c', subnetIds: new CfnParameter(s, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' }).valueAsList }), 'Cache', 'ERROR');
    expect(f!.message).toMatch(/cannot verify subnet ids/);
  });
  test('an OpenSearch domain outside any VPC fails', () => {
    expectRule(rule, (s) => new CfnResource(s, 'Search', { type: 'AWS::OpenSearchService::Domain', properties: { EngineVersion: 'OpenSearch_2.11' } }), 'Search', 'FAIL');
  });
  test('a database naming no subnet group is told it lands in the default VPC', () => {
    expect(expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro' }), 'Db', 'FAIL')!.message).toMatch(/default VPC, whose subnets are public/);
  });
  test('a subnet group whose SubnetIds are a parameter is an ERROR naming them', () => {
    const f = expectRule(rule, (s) => {
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: new CfnParameter(s, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' }).valueAsList });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify subnet group SubnetIds/);
  });
  test('a subnet group named by its name (any case) is found among groups, even beside a group whose name is a parameter', () => {
    const build = (subnets: (v: ec2.Vpc) => ec2.ISubnet[]) => (s: Stack) => {
      const v = tiered(s);
      new rds.CfnDBSubnetGroup(s, 'Other', { dbSubnetGroupDescription: 'd', dbSubnetGroupName: param(s), subnetIds: v.publicSubnets.map((x) => x.subnetId) });
      new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', dbSubnetGroupName: 'Data-Subnets', subnetIds: subnets(v).map((x) => x.subnetId) });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: 'data-subnets' });
    };
    expectRule(rule, build((v) => v.isolatedSubnets), 'Db', 'PASS');
    expectRule(rule, build((v) => v.privateSubnets), 'Db', 'FAIL');
  });
  test('a subnet group name no group of the app carries is an ERROR naming the subnet group', () => {
    const f = expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: 'shared-data' }), 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the subnet group: .*shared-data/);
  });
  test('a database and a cache whose subnet groups share a name are each judged by their own group', () => {
    const build = (s: Stack) => {
      const v = tiered(s);
      new rds.CfnDBSubnetGroup(s, 'DbG', { dbSubnetGroupDescription: 'd', dbSubnetGroupName: 'data', subnetIds: v.isolatedSubnets.map((x) => x.subnetId) });
      new elasticache.CfnSubnetGroup(s, 'CacheG', { description: 'd', cacheSubnetGroupName: 'data', subnetIds: v.publicSubnets.map((x) => x.subnetId) });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: 'data' });
      new elasticache.CfnCacheCluster(s, 'Cache', { engine: 'redis', cacheNodeType: 'cache.t3.micro', numCacheNodes: 1, cacheSubnetGroupName: 'data' });
    };
    expectRule(rule, build, 'Db', 'PASS');
    expectRule(rule, build, 'Cache', 'FAIL');
  });
  test('an instance of a cluster is judged through its cluster; a cluster with a name of its own is judged', () => {
    expectRule(rule, (s) => {
      const c = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql' });
      new rds.CfnDBInstance(s, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
    }, 'Member', 'N/A');
    expectRule(rule, (s) => new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders' }), 'Cluster', 'FAIL');
  });
});

describe('DataStoreRestrictedEgress: what a data store\'s groups let out', () => {
  const rule = 'DataStoreRestrictedEgress';
  const withGroup = (egress?: unknown, extra?: (s: Stack, sg: ec2.CfnSecurityGroup) => void) => (s: Stack) => {
    const sg = new ec2.CfnSecurityGroup(s, 'Sg', { groupDescription: 'd', vpcId: 'vpc-1', securityGroupEgress: egress as ec2.CfnSecurityGroup.EgressProperty[] });
    extra?.(s, sg);
    new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [sg.attrGroupId] });
  };
  const egressResource = (s: Stack, sg: ec2.CfnSecurityGroup, id: string, ipProtocol: string, cidrIp: string) =>
    new ec2.CfnSecurityGroupEgress(s, id, { groupId: sg.attrGroupId, ipProtocol, cidrIp, fromPort: ipProtocol === 'tcp' ? 443 : undefined, toPort: ipProtocol === 'tcp' ? 443 : undefined });

  test('a database naming no security group, or an empty list, is told the VPC default group applies', () => {
    expect(expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro' }), 'Db', 'FAIL')!.message).toMatch(/no security group named: the VPC default group applies/);
    expect(expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [] }), 'Db', 'FAIL')!.message).toMatch(/the VPC default group applies/);
  });
  test('egress added by a separate AWS::EC2::SecurityGroupEgress counts: HTTPS to the VPC passes', () => {
    expectRule(rule, withGroup(undefined, (s, sg) => egressResource(s, sg, 'Https', 'tcp', '10.0.0.0/16')), 'Db', 'PASS');
  });
  test('all outbound added by a separate AWS::EC2::SecurityGroupEgress fails, beside a narrow one', () => {
    const f = expectRule(rule, withGroup(undefined, (s, sg) => {
      egressResource(s, sg, 'All', '-1', '0.0.0.0/0');
      egressResource(s, sg, 'Https', 'tcp', '10.0.0.0/16');
    }), 'Db', 'FAIL');
    expect(f!.message).toMatch(/Sg allows all outbound traffic/);
  });
  test('HTTPS to anywhere, or every protocol to the VPC only, is not all outbound', () => {
    expectRule(rule, withGroup([{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }]), 'Db', 'PASS');
    expectRule(rule, withGroup([{ ipProtocol: '-1', cidrIp: '10.0.0.0/16' }]), 'Db', 'PASS');
  });
  test('one all-outbound rule among narrow ones fails', () => {
    const f = expectRule(rule, withGroup([{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/16' }, { ipProtocol: '-1', cidrIpv6: '::/0' }]), 'Db', 'FAIL');
    expect(f!.message).toMatch(/Sg allows all outbound traffic/);
  });
  test('the FAIL says whether the group allows all outbound or declares no egress at all', () => {
    expect(expectRule(rule, (s) => db(s, ec2.SubnetType.PRIVATE_ISOLATED), 'Db/Resource', 'FAIL')!.message).toMatch(/DbSecurityGroup\w* allows all outbound traffic/);
    expect(expectRule(rule, withGroup(), 'Db', 'FAIL')!.message).toMatch(/Sg declares no egress rule, so AWS allows all outbound/);
  });
  test('an instance of a cluster is judged through its cluster', () => {
    expectRule(rule, (s) => {
      const c = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql' });
      new rds.CfnDBInstance(s, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: c.ref });
    }, 'Member', 'N/A');
  });
  test('a security group that is a parameter, or not a security group of the app, is an ERROR naming it', () => {
    expect(expectRule(rule, (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [param(s)] }), 'Db', 'ERROR')!.message).toMatch(/cannot verify the security group/);
    expect(expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [vpc.attrDefaultSecurityGroup] });
    }, 'Db', 'ERROR')!.message).toMatch(/cannot verify the security group/);
  });
  test('unresolvable egress rules are ERRORs naming what could not be read', () => {
    const cond = (s: Stack) => new CfnCondition(s, 'C', { expression: Fn.conditionEquals(param(s, 'Env'), 'prod') });
    expect(expectRule(rule, withGroup([{ ipProtocol: '-1', cidrIp: 'X' }], (s, sg) => { sg.addPropertyOverride('SecurityGroupEgress.0.CidrIp', param(s)); }), 'Db', 'ERROR')!.message).toMatch(/cannot verify egress rule CidrIp/);
    expect(expectRule(rule, withGroup(undefined, (s, sg) => { sg.addPropertyOverride('SecurityGroupEgress', Fn.conditionIf(cond(s).logicalId, [], [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }])); }), 'Db', 'ERROR')!.message).toMatch(/cannot verify SecurityGroupEgress/);
    expect(expectRule(rule, withGroup(undefined, (s, sg) => { sg.addPropertyOverride('SecurityGroupEgress', [Fn.conditionIf(cond(s).logicalId, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }, { IpProtocol: '-1', CidrIp: '0.0.0.0/0' })]); }), 'Db', 'ERROR')!.message).toMatch(/cannot verify egress rule/);
  });
  test('an OpenSearch domain: outside a VPC fails; VPC options or security groups it cannot read are ERRORs', () => {
    const domain = (s: Stack, props: Record<string, unknown>) => new CfnResource(s, 'Search', { type: 'AWS::OpenSearchService::Domain', properties: { EngineVersion: 'OpenSearch_2.11', ...props } });
    expectRule(rule, (s) => domain(s, {}), 'Search', 'FAIL');
    const cond = (s: Stack) => new CfnCondition(s, 'C', { expression: Fn.conditionEquals(param(s, 'Env'), 'prod') });
    expect(expectRule(rule, (s) => domain(s, { VPCOptions: Fn.conditionIf(cond(s).logicalId, { SubnetIds: ['subnet-1'] }, Aws.NO_VALUE) }), 'Search', 'ERROR')!.message).toMatch(/cannot verify security groups/);
    expect(expectRule(rule, (s) => domain(s, { VPCOptions: { SecurityGroupIds: new CfnParameter(s, 'Groups', { type: 'List<AWS::EC2::SecurityGroup::Id>' }).valueAsList } }), 'Search', 'ERROR')!.message).toMatch(/cannot verify security groups/);
  });
});

describe('VPCHasServiceEndpoints: which subnets count as public', () => {
  const rule = 'VPCHasServiceEndpoints';
  /** An L1 VPC whose only subnet has its own route table with the given default route (none: no routes). */
  const onlySubnet = (gateway?: (s: Stack) => string) => (s: Stack) => {
    l1DataSubnet(s, (table) => { if (gateway) new ec2.CfnRoute(s, 'DefaultRoute', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway(s) }); });
  };
  test('a subnet routing to an internet gateway, by resource or by id, is public: the VPC is not evaluated', () => {
    expectRule(rule, onlySubnet((s) => new ec2.CfnInternetGateway(s, 'Igw').ref), 'Vpc', 'N/A');
    expectRule(rule, onlySubnet(() => 'igw-0123456789abcdef0'), 'Vpc', 'N/A');
  });
  test('a subnet with an empty route table, or routing only to a VPN gateway, is private: endpoints are required', () => {
    expectRule(rule, onlySubnet(), 'Vpc', 'FAIL');
    expectRule(rule, onlySubnet((s) => new ec2.CfnVPNGateway(s, 'Vgw', { type: 'ipsec.1' }).ref), 'Vpc', 'FAIL');
    expectRule(rule, onlySubnet(() => 'vgw-0123456789abcdef0'), 'Vpc', 'FAIL');
  });
  test('a route gateway that is a parameter is an ERROR naming the route gateway', () => {
    expect(expectRule(rule, onlySubnet((s) => param(s)), 'Vpc', 'ERROR')!.message).toMatch(/cannot verify the route gateway/);
  });
});

describe('DataStoreIsolatedSubnets: internet paths it used to miss (false passes)', () => {
  const rule = 'DataStoreIsolatedSubnets';
  test('a data subnet associated with a route table that is a parameter cannot be verified', () => {
    const f = expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      const subnet = new ec2.CfnSubnet(s, 'Data', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
      new ec2.CfnSubnetRouteTableAssociation(s, 'Assoc', { subnetId: subnet.ref, routeTableId: param(s, 'PublicRouteTable') });
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: [subnet.ref] });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the route table of subnet Data: .*PublicRouteTable/);
  });
  test('a data subnet with no route table of its own, in a VPC outside the app, uses that VPC\'s main route table: cannot verify', () => {
    const f = expectRule(rule, (s) => {
      const subnet = new ec2.CfnSubnet(s, 'Data', { vpcId: 'vpc-0123456789abcdef0', cidrBlock: '172.31.200.0/24' });
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: [subnet.ref] });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the main route table of the VPC of subnet Data: .*vpc-0123456789abcdef0/);
  });
  test('a data subnet with no route table of its own in a VPC of the app has only the local route of the main table', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      const subnet = new ec2.CfnSubnet(s, 'Data', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
      const g = new rds.CfnDBSubnetGroup(s, 'G', { dbSubnetGroupDescription: 'd', subnetIds: [subnet.ref] });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: g.ref });
    }, 'Db', 'PASS');
  });
  test('a route to the network interface of a NAT instance or appliance fails', () => {
    const f = expectRule(rule, (s) => l1DataSubnet(s, (t) => new ec2.CfnRoute(s, 'ToEni', { routeTableId: t.ref, destinationCidrBlock: '0.0.0.0/0', networkInterfaceId: 'eni-0123456789abcdef0' })), 'Db', 'FAIL');
    expect(f!.message).toMatch(/Data routes 0\.0\.0\.0\/0 to a network interface \(NAT instance or appliance\) \(S\/ToEni\)/);
  });
  test('a default route to a transit gateway (centralized egress) fails; a route to a private range through it does not', () => {
    const tgw = (dest: Partial<ec2.CfnRouteProps>) => (s: Stack) => l1DataSubnet(s, (t) => new ec2.CfnRoute(s, 'ToTgw', { routeTableId: t.ref, transitGatewayId: 'tgw-0123456789abcdef0', ...dest }));
    expect(expectRule(rule, tgw({ destinationCidrBlock: '0.0.0.0/0' }), 'Db', 'FAIL')!.message).toMatch(/Data routes 0\.0\.0\.0\/0 to a transit gateway/);
    expect(expectRule(rule, tgw({ destinationIpv6CidrBlock: '::/0' }), 'Db', 'FAIL')!.message).toMatch(/Data routes ::\/0 to a transit gateway/);
    expectRule(rule, tgw({ destinationCidrBlock: '10.64.0.0/12' }), 'Db', 'PASS');
  });
});

describe('EBSEncryptedCustomerManagedKey: every volume of every resource, and what the finding names', () => {
  const rule = 'EBSEncryptedCustomerManagedKey';
  const info = 'The EBS volume, launch template, launch configuration or instance does not encrypt its volumes with a customer-managed KMS key';
  /** The one finding on the resource at `path`, with `status`: its message is what the auditor reads. */
  const message = (build: (s: Stack) => void, path: string, status: 'FAIL' | 'ERROR') => expectRule(rule, build, path, status)!.message;
  const cmk = (s: Stack, id = 'K') => ec2.BlockDeviceVolume.ebs(8, { encrypted: true, kmsKey: new kms.Key(s, id) });
  const choice = (a: unknown, b: unknown) => Fn.conditionIf('Choice', a, b);
  const instance = (s: Stack, blockDevices?: ec2.BlockDevice[]) => new ec2.Instance(s, 'I', {
    vpc: tiered(s), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ami, blockDevices,
  });
  const lc = (s: Stack, blockDeviceMappings?: autoscaling.CfnLaunchConfiguration['blockDeviceMappings']) =>
    new autoscaling.CfnLaunchConfiguration(s, 'LC', { imageId: 'ami-1', instanceType: 't3.micro', blockDeviceMappings });

  describe('a standalone volume', () => {
    test('fails when it is not encrypted, and says so', () => {
      expect(message((s) => new ec2.Volume(s, 'Vol', { availabilityZone: 'us-east-1a', size: Size.gibibytes(8), encrypted: false }), 'Vol/Resource', 'FAIL'))
        .toBe(`${info} (Encrypted is not true)`);
    });
    test('encrypted with the account\'s default (AWS-managed) key: the finding says no customer-managed key is named', () => {
      expect(message((s) => new ec2.Volume(s, 'Vol', { availabilityZone: 'us-east-1a', size: Size.gibibytes(8), encrypted: true }), 'Vol/Resource', 'FAIL'))
        .toBe(`${info} (no customer-managed KmsKeyId)`);
    });
    test('an ERROR names Encrypted when it is a parameter', () => {
      expect(message((s) => new ec2.CfnVolume(s, 'Vol', { availabilityZone: 'us-east-1a', encrypted: paramValue(s), kmsKeyId: new kms.Key(s, 'K').keyArn }), 'Vol', 'ERROR'))
        .toMatch(/cannot verify Encrypted: /);
    });
    test('an ERROR names KmsKeyId when the key is a parameter', () => {
      expect(message((s) => new ec2.CfnVolume(s, 'Vol', { availabilityZone: 'us-east-1a', encrypted: true, kmsKeyId: param(s) }), 'Vol', 'ERROR'))
        .toMatch(/cannot verify KmsKeyId: /);
    });
  });

  describe('an instance', () => {
    test('fails a root volume encrypted with the default key (encrypted: true, no kmsKey)', () => {
      expect(message((s) => instance(s, [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }]), 'I/Resource', 'FAIL'))
        .toBe(`${info} (an EBS volume has no customer-managed KmsKeyId)`);
    });
    test('passes a root volume encrypted with a customer-managed key beside an instance-store volume (no Ebs to judge)', () => {
      expectRule(rule, (s) => instance(s, [
        { deviceName: '/dev/xvda', volume: cmk(s) },
        { deviceName: '/dev/sdb', volume: ec2.BlockDeviceVolume.ephemeral(0) },
      ]), 'I/Resource', 'PASS');
    });
    test('an unencrypted volume: the finding says it is not encrypted (not merely that no key is named)', () => {
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8 } }] }), 'I', 'FAIL'))
        .toBe(`${info} (an EBS volume is not encrypted)`);
    });
    test('declaring no volume at all (the AMI\'s root volume) fails, also for an L2 instance by default', () => {
      expect(message((s) => instance(s), 'I/Resource', 'FAIL')).toBe(`${info} (no block device mapping declares the root volume encrypted)`);
    });
    test('launched from a template of the app but declaring its own unencrypted volume: the instance\'s volume is judged', () => {
      expectRule(rule, (s) => {
        const lt = new ec2.LaunchTemplate(s, 'LT', { blockDevices: [{ deviceName: '/dev/xvda', volume: cmk(s) }] });
        new ec2.CfnInstance(s, 'I', {
          launchTemplate: { launchTemplateId: lt.launchTemplateId, version: lt.latestVersionNumber },
          blockDeviceMappings: [{ deviceName: '/dev/sdf', ebs: { volumeSize: 100 } }],
        });
      }, 'I', 'FAIL');
    });
    test('an ERROR names the block device mapping, its Ebs, Ebs.Encrypted or Ebs.KmsKeyId that cannot be read', () => {
      const ok = { deviceName: '/dev/xvda', ebs: { encrypted: true, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } };
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [choice(ok, Aws.NO_VALUE)] }), 'I', 'ERROR'))
        .toMatch(/cannot verify block device mapping: /);
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: choice(ok.ebs, Aws.NO_VALUE) }] }), 'I', 'ERROR'))
        .toMatch(/cannot verify Ebs: /);
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { ...ok.ebs, encrypted: paramValue(s) } }] }), 'I', 'ERROR'))
        .toMatch(/cannot verify Ebs\.Encrypted: /);
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { ...ok.ebs, kmsKeyId: param(s) } }] }), 'I', 'ERROR'))
        .toMatch(/cannot verify Ebs\.KmsKeyId: /);
      expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', blockDeviceMappings: choice([ok], []) }), 'I', 'ERROR'))
        .toMatch(/cannot verify BlockDeviceMappings: /);
    });
  });

  test('an instance launched from a template outside the app (by name or id) or named by a parameter: its volumes cannot be verified', () => {
    const ok = { deviceName: '/dev/xvda', ebs: { encrypted: true, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } };
    for (const build of [
      (s: Stack) => new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateName: 'made-elsewhere', version: '1' } }),
      (s: Stack) => new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', version: '1' } }),
      (s: Stack) => new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: param(s), version: '1' } }),
      (s: Stack) => new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateName: 'made-elsewhere', version: '1' }, blockDeviceMappings: [ok] }),
    ]) {
      expect(message(build, 'I', 'ERROR')).toMatch(/cannot verify the launch template: /);
    }
    // the whole specification a parameter: named as the instance's LaunchTemplate
    expect(message((s) => new ec2.CfnInstance(s, 'I', { launchTemplate: param(s) as unknown as ec2.CfnInstance.LaunchTemplateSpecificationProperty }), 'I', 'ERROR')).toMatch(/cannot verify LaunchTemplate: /);
  });

  describe('a launch template', () => {
    test('every block device mapping counts: a second volume with the AWS-managed alias/aws/ebs key fails', () => {
      expect(message((s) => new ec2.LaunchTemplate(s, 'LT', {
        blockDevices: [
          { deviceName: '/dev/xvda', volume: cmk(s) },
          { deviceName: '/dev/sdf', volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true, kmsKey: kms.Alias.fromAliasName(s, 'Aws', 'alias/aws/ebs') }) },
        ],
      }), 'LT/Resource', 'FAIL')).toBe(`${info} (an EBS volume has no customer-managed KmsKeyId)`);
    });
    test('an ERROR names LaunchTemplateData or BlockDeviceMappings when they cannot be read', () => {
      expect(message((s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: choice({}, {}) }), 'LT', 'ERROR'))
        .toMatch(/cannot verify LaunchTemplateData: /);
      expect(message((s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { blockDeviceMappings: choice([], []) } }), 'LT', 'ERROR'))
        .toMatch(/cannot verify BlockDeviceMappings: /);
    });
  });

  describe('a launch configuration (it cannot name a key)', () => {
    test('an unencrypted volume fails and says it is not encrypted', () => {
      expect(message((s) => lc(s, [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8 } }]), 'LC', 'FAIL')).toBe(`${info} (an EBS volume is not encrypted)`);
    });
    test('encrypted volumes still fail, once, telling the user to use a launch template; an instance-store volume beside them is no error', () => {
      expect(message((s) => lc(s, [
        { deviceName: '/dev/xvda', ebs: { volumeSize: 8, encrypted: true } },
        { deviceName: '/dev/sdb', virtualName: 'ephemeral0' },
        { deviceName: '/dev/sdf', ebs: { volumeSize: 100, encrypted: true } },
      ]), 'LC', 'FAIL')).toBe(`${info} (a launch configuration cannot name a kms key, so its volumes cannot use a customer-managed key: use a launch template (ec2.LaunchTemplate) instead)`);
    });
    test('one unencrypted and one encrypted volume: both problems are named', () => {
      const m = message((s) => lc(s, [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8, encrypted: true } }, { deviceName: '/dev/sdf', ebs: { volumeSize: 100 } }]), 'LC', 'FAIL');
      expect(m).toMatch(/\(a launch configuration cannot name a kms key.*; an EBS volume is not encrypted\)$/);
    });
    test('declaring no volume fails: the AMI\'s root volume is not shown to be encrypted', () => {
      expect(message((s) => lc(s), 'LC', 'FAIL')).toBe(`${info} (no block device mapping declares the root volume encrypted)`);
    });
    test('an ERROR names BlockDeviceMappings, the block device mapping, its Ebs or Ebs.Encrypted that cannot be read', () => {
      const ebs = { volumeSize: 8, encrypted: true };
      expect(message((s) => lc(s, choice([], [])), 'LC', 'ERROR')).toMatch(/cannot verify BlockDeviceMappings: /);
      expect(message((s) => lc(s, [choice({ deviceName: '/dev/xvda', ebs }, Aws.NO_VALUE)]), 'LC', 'ERROR')).toMatch(/cannot verify block device mapping: /);
      expect(message((s) => lc(s, [{ deviceName: '/dev/xvda', ebs: choice(ebs, ebs) }]), 'LC', 'ERROR')).toMatch(/cannot verify Ebs: /);
      expect(message((s) => lc(s, [{ deviceName: '/dev/xvda', ebs: { volumeSize: 8, encrypted: paramValue(s) } }]), 'LC', 'ERROR')).toMatch(/cannot verify Ebs\.Encrypted: /);
    });
  });
});

describe('EC2IMDSv2Required: every way IMDSv1 stays open, and what cannot be verified', () => {
  const rule = 'EC2IMDSv2Required';
  const message = (build: (s: Stack) => void, path: string) => expectRule(rule, build, path, 'ERROR')!.message;
  const choice = (a: unknown, b: unknown) => Fn.conditionIf('Choice', a, b);
  const lt = (s: Stack, metadataOptions?: ec2.CfnLaunchTemplate.MetadataOptionsProperty) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { metadataOptions } });

  describe('the metadata endpoint switched off (the strongest setting) passes without session tokens', () => {
    test('on an instance', () => {
      expectRule(rule, (s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', metadataOptions: { httpEndpoint: 'disabled' } }), 'I', 'PASS');
    });
    test('on an L2 instance (httpEndpoint: false)', () => {
      expectRule(rule, (s) => new ec2.Instance(s, 'I', { vpc: tiered(s), instanceType: new ec2.InstanceType('t3.micro'), machineImage: ami, httpEndpoint: false }), 'I/Resource', 'PASS');
    });
    test('on a launch template, tokens optional', () => {
      expectRule(rule, (s) => lt(s, { httpEndpoint: 'disabled', httpTokens: 'optional' }), 'LT', 'PASS');
    });
    test('but an endpoint left enabled with optional tokens fails', () => {
      expectRule(rule, (s) => lt(s, { httpEndpoint: 'enabled', httpTokens: 'optional' }), 'LT', 'FAIL');
    });
  });

  describe('a launch configuration', () => {
    const lc = (s: Stack, metadataOptions?: autoscaling.CfnLaunchConfiguration.MetadataOptionsProperty) =>
      new autoscaling.CfnLaunchConfiguration(s, 'LC', { imageId: 'ami-1', instanceType: 't3.micro', metadataOptions });
    test('passes with HttpTokens required', () => { expectRule(rule, (s) => lc(s, { httpTokens: 'required' }), 'LC', 'PASS'); });
    test('fails with HttpTokens optional', () => { expectRule(rule, (s) => lc(s, { httpTokens: 'optional' }), 'LC', 'FAIL'); });
    test('fails declaring no metadata options (IMDSv1 by default)', () => { expectRule(rule, (s) => lc(s), 'LC', 'FAIL'); });
  });

  describe('an instance launched from a launch template is judged by that template', () => {
    const from = (s: Stack, template: ec2.CfnInstance.LaunchTemplateSpecificationProperty) => new ec2.CfnInstance(s, 'I', { launchTemplate: template });
    test('referenced by id (Ref): a template requiring tokens passes', () => {
      expectRule(rule, (s) => { const t = lt(s, { httpTokens: 'required' }); from(s, { launchTemplateId: t.ref, version: t.attrLatestVersionNumber }); }, 'I', 'PASS');
    });
    test('referenced by id (Ref): a template leaving tokens optional fails', () => {
      expectRule(rule, (s) => { const t = lt(s, { httpTokens: 'optional' }); from(s, { launchTemplateId: t.ref, version: t.attrLatestVersionNumber }); }, 'I', 'FAIL');
    });
    test('referenced by a literal name the app gives a template requiring tokens: passes', () => {
      expectRule(rule, (s) => {
        new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateName: 'web', launchTemplateData: { metadataOptions: { httpTokens: 'required' } } });
        from(s, { launchTemplateName: 'web', version: '1' });
      }, 'I', 'PASS');
    });
    test('a template outside the app (literal name or id), a parameter, or a custom resource\'s output cannot be verified, and the ERROR names the launch template', () => {
      for (const build of [
        (s: Stack) => from(s, { launchTemplateName: 'made-elsewhere', version: '1' }),
        (s: Stack) => from(s, { launchTemplateId: 'lt-0123456789abcdef0', version: '1' }),
        (s: Stack) => from(s, { launchTemplateId: param(s), version: '1' }),
        (s: Stack) => from(s, { launchTemplateId: new CustomResource(s, 'Maker', { serviceToken: 'arn:aws:lambda:us-east-1:111122223333:function:f' }).getAttString('Id'), version: '1' }),
      ]) {
        expect(message(build, 'I')).toMatch(/cannot verify the launch template: /);
      }
    });
    test('the instance\'s own metadata options override its template\'s: HttpTokens optional on the instance fails though the template requires tokens', () => {
      expectRule(rule, (s) => {
        const t = lt(s, { httpTokens: 'required' });
        new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: t.ref, version: t.attrLatestVersionNumber }, metadataOptions: { httpTokens: 'optional' } });
      }, 'I', 'FAIL');
    });
    test('an ERROR names the LaunchTemplateData of the instance\'s template when it cannot be read', () => {
      expect(message((s) => {
        const t = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: choice({}, {}) });
        from(s, { launchTemplateId: t.ref, version: t.attrLatestVersionNumber });
      }, 'I')).toMatch(/cannot verify LaunchTemplateData: /);
    });
    test('an ERROR names LaunchTemplate when the whole specification is a condition', () => {
      expect(message((s) => new ec2.CfnInstance(s, 'I', { launchTemplate: choice({ launchTemplateName: 'a', version: '1' }, { launchTemplateName: 'b', version: '1' }) }), 'I'))
        .toMatch(/cannot verify LaunchTemplate: /);
    });
  });

  test('an ERROR names MetadataOptions, HttpTokens, HttpEndpoint or LaunchTemplateData when it cannot be read', () => {
    expect(message((s) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', metadataOptions: choice({ httpTokens: 'required' }, { httpTokens: 'optional' }) }), 'I'))
      .toMatch(/cannot verify MetadataOptions: /);
    expect(message((s) => lt(s, { httpTokens: param(s) }), 'LT')).toMatch(/cannot verify HttpTokens: /);
    expect(message((s) => lt(s, { httpTokens: 'optional', httpEndpoint: param(s) }), 'LT')).toMatch(/cannot verify HttpEndpoint: /);
    expect(message((s) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: choice({}, {}) }), 'LT')).toMatch(/cannot verify LaunchTemplateData: /);
  });
});

describe('what users read of the ec2 rules', () => {
  describeMetadata('DataStoreIsolatedSubnets', 'DataStoreRestrictedEgress', 'DefaultSecurityGroupClosed', 'EBSEncryptedCustomerManagedKey', 'EC2IMDSv2Required',
    'NetworkAclNoOpenIngress', 'NoAdminPortsBeyondVpc', 'SecurityGroupNoOpenIngress', 'VPCEndpointPolicyRestricted', 'VPCFlowLogAllTraffic', 'VPCHasServiceEndpoints');
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
  test('cannot verify an organization named as the resource\'s when no own organization is configured, and says so', () => {
    expect(inKnownAccount(open({ StringEquals: { 'aws:ResourceOrgID': 'o-attacker0000' } })).map((f) => f.status)).toEqual(['ERROR']);
    const [f] = inKnownAccount(open({ StringEquals: { 'aws:ResourceOrgID': 'o-attacker0000', 'aws:ResourceAccount': '999988887777' } }));
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/on a resource of account 999988887777 in organization o-attacker0000, and no own organization is configured to compare o-attacker0000 with/);
  });
  test('the unknown own account is named as what could not be compared', () => {
    const f = expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [open({ StringEquals: { 'aws:ResourceAccount': '999988887777' } })] } }), 'E', 'ERROR');
    expect(f!.message).toMatch(/on a resource of account 999988887777 in organization o-foreign00000, and the own account is not known to compare 999988887777 with/);
  });
  test('of many accounts it cannot compare, the finding names the first three', () => {
    const accounts = ['999988887771', '999988887772', '999988887773', '999988887774', '999988887775'];
    const f = expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [open({ StringEquals: { 'aws:ResourceAccount': accounts } })] } }), 'E', 'ERROR');
    expect(f!.message.match(/the own account is not known to compare \d{12} with/g)).toHaveLength(3);
  });
  test('fails, not cannot verify, when the own account is unknown but the policy admits any account but the own', () => {
    // Whatever the own account is, a foreign one passes StringNotEquals aws:ResourceAccount ${AWS::AccountId}.
    const f = expectRule(rule, (s) => new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.s3', policyDocument: { Version: '2012-10-17', Statement: [open({ StringNotEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } })] } }), 'E', 'FAIL');
    expect(f!.message).toMatch(/on a resource of account 444455556666 in organization o-foreign00000/);
  });
  test('still passes Principal * limited to resources of the own organization\'s other accounts: the data stays in the organization', () => {
    const inOtherAccountsOfOurs = { StringEquals: { 'aws:ResourceOrgID': 'o-own00000000' }, StringNotEquals: { 'aws:ResourceAccount': '111122223333' } };
    expect(inKnownAccount(open(inOtherAccountsOfOurs), 'o-own00000000').map((f) => f.status)).toEqual(['PASS']);
  });
  test('still passes Principal * limited to the own organization\'s principals, on resources of the own organization', () => {
    expect(inKnownAccount(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-own00000000', 'aws:ResourceOrgID': 'o-own00000000' } }), 'o-own00000000').map((f) => f.status)).toEqual(['PASS']);
  });
  test('on an endpoint of another service: its resources are that service\'s, in any account the policy names', () => {
    const queueEndpoint = (statement: Record<string, unknown>) => {
      const app = new App();
      const s = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
      new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.sqs', policyDocument: { Version: '2012-10-17', Statement: [statement] } });
      return evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'S/E');
    };
    const anyQueue = queueEndpoint({ Sid: 'Queues', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:*' });
    expect(anyQueue.map((f) => f.status)).toEqual(['FAIL']);
    expect(queueEndpoint({ Sid: 'TheirQueue', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:999988887777:*' }).map((f) => f.status)).toEqual(['FAIL']);
    expect(queueEndpoint({ Sid: 'NotS3', Effect: 'Allow', Principal: '*', Action: '*', NotResource: 'arn:aws:s3:::*' }).map((f) => f.status)).toEqual(['FAIL']);
    // A deny of everything but queues leaves every queue open to anyone: tried on a queue of the service.
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    new ec2.CfnVPCEndpoint(s, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.sqs', policyDocument: { Version: '2012-10-17', Statement: [
      { Sid: 'All', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Sid: 'OnlyQueues', Effect: 'Deny', Principal: '*', Action: '*', NotResource: 'arn:aws:sqs:*:*:*' },
    ] } });
    expect(evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'S/E').map((f) => f.status)).toEqual(['FAIL']);
    // Anyone, to resources outside the own account, but only to queues: every other account's queue is open
    // (data out to the attacker's queue); the queue tried is one of that account.
    const app2 = new App();
    const s2 = new Stack(app2, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    new ec2.CfnVPCEndpoint(s2, 'E', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.sqs', policyDocument: { Version: '2012-10-17', Statement: [
      { Sid: 'Elsewhere', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceAccount': '111122223333' } } },
      { Sid: 'OnlyQueues', Effect: 'Deny', Principal: '*', Action: '*', NotResource: 'arn:aws:sqs:*:*:*' },
    ] } });
    const [f] = evaluateScope(app2, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'S/E');
    expect([f.status, f.message]).toEqual(['FAIL', expect.stringContaining('on a resource of account 444455556666')]);
  });
  test('two endpoints of different services with the same policy are each judged for their own service', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    // Everything denied but queues: open on the queue endpoint, nothing on the KMS endpoint.
    const doc = { Version: '2012-10-17', Statement: [
      { Sid: 'All', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Sid: 'OnlyQueues', Effect: 'Deny', Principal: '*', Action: '*', NotResource: 'arn:aws:sqs:*:*:*' },
    ] };
    new ec2.CfnVPCEndpoint(s, 'Q', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.sqs', policyDocument: doc });
    new ec2.CfnVPCEndpoint(s, 'K', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.us-east-1.kms', policyDocument: doc });
    const status = Object.fromEntries(evaluateScope(app, { rules: rulesNamed(rule) }).map((f) => [f.resource.id, f.status]));
    expect(status).toEqual({ 'S/Q': 'FAIL', 'S/K': 'PASS' });
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
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'FAIL');
    // a range without the address tried by default: an intruder on a host in that range is let through
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { IpAddress: { 'aws:VpcSourceIp': '192.168.4.0/24' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'FAIL');
  });
  test('passes Principal * limited by aws:SourceIp: AWS sends no aws:SourceIp through a VPC endpoint, so the statement lets nothing through', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'PASS');
  });
  test('fails Principal * limited to requests from this VPC (aws:SourceVpc): every request through its endpoint is one', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-12345678' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'FAIL');
    // the VPC by reference, in the endpoint and in its policy alike
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new ec2.CfnVPCEndpoint(s, 'E', { vpcId: vpc.ref, serviceName: 'com.amazonaws.us-east-1.sts', policyDocument: { Version: '2012-10-17', Statement: [anyone({ Condition: { StringEquals: { 'aws:SourceVpc': vpc.ref } } })] } });
    }, 'E', 'FAIL');
  });
  test('passes Principal * beside a deny of every host address in a VPC: every request through an endpoint carries one (aws:VpcSourceIp)', () => {
    const denyHosts = { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:VpcSourceIp': ['0.0.0.0/0', '::/0'] } } };
    expectRule(rule, (s) => endpoint(s, [anyone(), denyHosts], 'com.amazonaws.us-east-1.sts'), 'E', 'PASS');
  });
  test('passes Principal * limited to another VPC: no request through this endpoint comes from it', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-87654321' } } })], 'com.amazonaws.us-east-1.sts'), 'E', 'PASS');
  });
  test('cannot verify Principal * limited by aws:SourceVpc when the endpoint\'s VPC is imported: ERROR, never a pass', () => {
    expectRule(rule, (s) => endpoint(s, [anyone({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-12345678' } } })], 'com.amazonaws.us-east-1.sts',
      { vpcId: Fn.importValue('NetworkVpcId') }), 'E', 'ERROR');
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

describe('DataStoreIsolatedSubnets: a route added to a route table the app cannot name', () => {
  const rule = 'DataStoreIsolatedSubnets';
  test('a NAT route on a route table given as a parameter may be the data subnet\'s table: cannot verify, naming the route', () => {
    const f = expectRule(rule, (s) => {
      l1DataSubnet(s);
      new ec2.CfnRoute(s, 'Out', { routeTableId: param(s), destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0123456789abcdef0' });
    }, 'Db', 'ERROR');
    expect(f!.message).toContain('whether route S/Out (0.0.0.0/0 to a NAT gateway) is in the route table of subnet');
    expect(f!.message).toContain('{"Ref":"P"}');
  });
  test('an internet-gateway route on a literal route table id: cannot verify', () => {
    expectRule(rule, (s) => {
      l1DataSubnet(s);
      new ec2.CfnRoute(s, 'Out', { routeTableId: 'rtb-0123456789abcdef0', destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0123456789abcdef0' });
    }, 'Db', 'ERROR');
  });
  test('a route to a VPN gateway on such a table leads nowhere public: the data subnet still passes', () => {
    expectRule(rule, (s) => {
      l1DataSubnet(s);
      new ec2.CfnRoute(s, 'Out', { routeTableId: param(s), destinationCidrBlock: '10.8.0.0/16', gatewayId: 'vgw-0123456789abcdef0' });
    }, 'Db', 'PASS');
  });
  test('a data subnet that already routes to the internet keeps its FAIL', () => {
    expectRule(rule, (s) => {
      l1DataSubnet(s, (t) => new ec2.CfnRoute(s, 'Nat', { routeTableId: t.ref, destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0abc' }));
      new ec2.CfnRoute(s, 'Out', { routeTableId: param(s), destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0123456789abcdef0' });
    }, 'Db', 'FAIL');
  });
  test('a route whose gateway cannot be resolved, on such a table: cannot verify, saying its target cannot be resolved', () => {
    const f = expectRule(rule, (s) => {
      l1DataSubnet(s);
      new ec2.CfnRoute(s, 'Out', { routeTableId: param(s), destinationCidrBlock: '0.0.0.0/0', gatewayId: param(s, 'Gw') });
    }, 'Db', 'ERROR');
    expect(f!.message).toContain('whether route S/Out (to a target that cannot be resolved) is in the route table of subnet');
  });
  test('a default route to a Cloud WAN core network (centralized egress) fails, naming it; a route to a private range through it does not', () => {
    const core = (dest: Partial<ec2.CfnRouteProps>) => (s: Stack) => l1DataSubnet(s, (t) => new ec2.CfnRoute(s, 'ToCore', { routeTableId: t.ref, coreNetworkArn: 'arn:aws:networkmanager::111111111111:core-network/core-network-0123456789abcdef0', ...dest }));
    expect(expectRule(rule, core({ destinationCidrBlock: '0.0.0.0/0' }), 'Db', 'FAIL')!.message).toMatch(/Data routes 0\.0\.0\.0\/0 to a core network \(centralized egress to the internet\) \(S\/ToCore\)/);
    expectRule(rule, core({ destinationCidrBlock: '10.64.0.0/12' }), 'Db', 'PASS');
  });
  test('a data store whose subnet is another kind of resource, or whose subnet group is one: cannot verify, naming what', () => {
    const vpcAsSubnet = expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      new elasticache.CfnServerlessCache(s, 'Cache', { engine: 'redis', serverlessCacheName: 'c', subnetIds: [vpc.ref] });
    }, 'Cache', 'ERROR');
    expect(vpcAsSubnet!.message).toMatch(/cannot verify the subnet: /);
    const notAGroup = expectRule(rule, (s) => {
      const name = new ssm.CfnParameter(s, 'Name', { type: 'String', value: 'data' });
      new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', dbSubnetGroupName: name.ref });
    }, 'Db', 'ERROR');
    expect(notAGroup!.message).toMatch(/cannot verify the subnet group: /);
  });
  test('such a route in a stack of another region cannot reach this subnet\'s table', () => {
    const app = new App();
    const here = new Stack(app, 'Here', { env: { account: '111111111111', region: 'us-east-1' } });
    const there = new Stack(app, 'There', { env: { account: '111111111111', region: 'eu-west-1' } });
    l1DataSubnet(here);
    new ec2.CfnRoute(there, 'Out', { routeTableId: param(there), destinationCidrBlock: '0.0.0.0/0', natGatewayId: 'nat-0123456789abcdef0' });
    const f = evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') }).filter((x) => x.resource.id === 'Here/Db');
    expect(f.map((x) => x.status)).toEqual(['PASS']);
  });
});

describe('SecurityGroupNoOpenIngress: a load balancer whose scheme the rule cannot resolve', () => {
  const rule = 'SecurityGroupNoOpenIngress';
  const withScheme = (scheme: (s: Stack) => string, alsoInstance = false) => (s: Stack) => {
    const vpc = tiered(s);
    const g = new ec2.SecurityGroup(s, 'Sg', { vpc });
    g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    new elbv2.CfnLoadBalancer(s, 'Lb', { scheme: scheme(s), securityGroups: [g.securityGroupId], subnets: vpc.publicSubnets.map((x) => x.subnetId) });
    if (alsoInstance) new ec2.CfnInstance(s, 'I', { imageId: 'ami-12345678', securityGroupIds: [g.securityGroupId] });
  };
  test('443 from anywhere on the only group of a load balancer with a parameter Scheme cannot be verified (internal would fail, internet-facing pass)', () => {
    expect(sgFinding(rule, withScheme((s) => param(s, 'Scheme')), 'Sg/Resource', 'ERROR')).toMatch(/whether load balancer S\/Lb is internet-facing/);
  });
  test('the same group also used by an instance fails whatever the scheme', () => {
    expect(sgFinding(rule, withScheme((s) => param(s, 'Scheme'), true), 'Sg/Resource', 'FAIL')).toContain('also used by S/I (AWS::EC2::Instance)');
  });
  test('a group an internet-facing load balancer of another region\'s stack names by Fn::GetStackOutput is that load balancer\'s', () => {
    const app = new App();
    const net = new Stack(app, 'Net', { env: { account: '111111111111', region: 'us-east-1' } });
    const g = new ec2.SecurityGroup(net, 'Sg', { vpc: tiered(net) });
    g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    new CfnOutput(net, 'SgId', { value: g.securityGroupId });
    const edge = new Stack(app, 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
    new CfnResource(edge, 'Lb', { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', properties: {
      Scheme: 'internet-facing', Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      SecurityGroups: [{ 'Fn::GetStackOutput': { StackName: 'Net', Region: 'us-east-1', OutputName: 'SgId' } }],
    } });
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'Net/Sg/Resource');
    expect(f.map((x) => x.status)).toEqual(['PASS']);
  });
  test('literal schemes still decide: internal fails, internet-facing passes', () => {
    expect(sgFinding(rule, withScheme(() => 'internal'), 'Sg/Resource', 'FAIL')).toContain('used by no internet-facing load balancer');
    sgFinding(rule, withScheme(() => 'internet-facing'), 'Sg/Resource', 'PASS');
  });
});

describe('VPCEndpointPolicyRestricted: only requests that travel through the endpoint are tried', () => {
  test('Principal * limited to AWS service principals admits nothing through the endpoint: a service delivering for another account never uses it', () => {
    expectRule('VPCEndpointPolicyRestricted', (s) => {
      const vpc = tiered(s);
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['*'], conditions: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
      }));
    }, 'V/S3/Resource', 'PASS');
  });
  test('the same document as a bucket policy admits any account\'s service delivery (ResourcePolicyNotPublic)', () => {
    expectRule('ResourcePolicyNotPublic', (s) => {
      const b = new s3.CfnBucket(s, 'B');
      new s3.CfnBucketPolicy(s, 'Pol', { bucket: b.ref, policyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } }] } });
    }, 'Pol', 'FAIL');
  });
});
