import { App, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule } from '../helpers';

// Class "attachments not followed": the open-443 exemption of a public load balancer's security group
// holds only when EVERY user of the group is an internet-facing load balancer.

const rule = 'SecurityGroupNoOpenIngress';

/** A VPC, a group open on 443 to the world, and an internet-facing load balancer using it. */
function publicLb(s: Stack): { vpc: ec2.CfnVPC; sg: ec2.CfnSecurityGroup; subnet: ec2.CfnSubnet } {
  const vpc = new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(s, 'Sn', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
  const sg = new ec2.CfnSecurityGroup(s, 'Web', {
    groupDescription: 'web', vpcId: vpc.ref,
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }],
  });
  new elbv2.CfnLoadBalancer(s, 'Lb', { scheme: 'internet-facing', subnets: [subnet.ref], securityGroups: [sg.attrGroupId] });
  return { vpc, sg, subnet };
}

describe('the exemption holds for a group used only by internet-facing load balancers', () => {
  test('Compliance 1: used by the public load balancer only', () => {
    expectRule(rule, (s) => publicLb(s), 'Web', 'PASS');
  });
  test('Compliance 2: another group admitting it as a source does not attach it', () => {
    expectRule(rule, (s) => {
      const { vpc, sg } = publicLb(s);
      new ec2.CfnSecurityGroup(s, 'App', {
        groupDescription: 'app', vpcId: vpc.ref,
        securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, sourceSecurityGroupId: sg.attrGroupId }],
      });
      new ec2.CfnSecurityGroupEgress(s, 'Out', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, destinationSecurityGroupId: sg.attrGroupId });
    }, 'Web', 'PASS');
  });
  test('Compliance 3: two internet-facing load balancers share it', () => {
    expectRule(rule, (s) => {
      const { sg, subnet } = publicLb(s);
      new elbv2.CfnLoadBalancer(s, 'Lb2', { subnets: [subnet.ref], securityGroups: [sg.attrGroupId] });
    }, 'Web', 'PASS');
  });
});

describe('a group also attached elsewhere loses the exemption', () => {
  const also = (name: string, attach: (s: Stack, sg: ec2.CfnSecurityGroup, vpc: ec2.CfnVPC, subnet: ec2.CfnSubnet) => void) =>
    test(`Noncompliance: also used by ${name}`, () => {
      const f = expectRule(rule, (s) => {
        const { sg, vpc, subnet } = publicLb(s);
        attach(s, sg, vpc, subnet);
      }, 'Web', 'FAIL');
      expect(f!.message).toMatch(/also used by .*not an internet-facing load balancer/);
    });
  also('an instance', (s, sg) => new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', securityGroupIds: [sg.attrGroupId] }));
  also('an instance network interface', (s, sg, _v, subnet) => new ec2.CfnInstance(s, 'I', {
    imageId: 'ami-1', networkInterfaces: [{ deviceIndex: '0', subnetId: subnet.ref, groupSet: [sg.attrGroupId] }],
  }));
  also('a launch template network interface', (s, sg) => new ec2.CfnLaunchTemplate(s, 'LT', {
    launchTemplateData: { networkInterfaces: [{ deviceIndex: 0, groups: [sg.attrGroupId] }] },
  }));
  also('a launch template', (s, sg) => new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { securityGroupIds: [sg.attrGroupId] } }));
  also('a launch configuration', (s, sg) => new autoscaling.CfnLaunchConfiguration(s, 'LC', { imageId: 'ami-1', instanceType: 't3.micro', securityGroups: [sg.attrGroupId] }));
  also('a network interface', (s, sg, _v, subnet) => new ec2.CfnNetworkInterface(s, 'Eni', { subnetId: subnet.ref, groupSet: [sg.attrGroupId] }));
  also('a Lambda function in the VPC', (s, sg, _v, subnet) => new lambda.CfnFunction(s, 'Fn', {
    role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, handler: 'index.h', runtime: 'nodejs20.x',
    vpcConfig: { securityGroupIds: [sg.attrGroupId], subnetIds: [subnet.ref] },
  }));
  also('an ECS service', (s, sg, _v, subnet) => new ecs.CfnService(s, 'Svc', {
    networkConfiguration: { awsvpcConfiguration: { securityGroups: [sg.attrGroupId], subnets: [subnet.ref] } },
  }));
  also('an RDS instance', (s, sg) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.micro', vpcSecurityGroups: [sg.attrGroupId] }));
  also('an internal load balancer', (s, sg, _v, subnet) => new elbv2.CfnLoadBalancer(s, 'Internal', { scheme: 'internal', subnets: [subnet.ref], securityGroups: [sg.attrGroupId] }));

  test('Noncompliance: the separate ingress resource of a group also attached to an instance', () => {
    expectRule(rule, (s) => {
      const vpc = new ec2.CfnVPC(s, 'V', { cidrBlock: '10.0.0.0/16' });
      const sg = new ec2.CfnSecurityGroup(s, 'Web', { groupDescription: 'web', vpcId: vpc.ref });
      new ec2.CfnSecurityGroupIngress(s, 'In', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
      new elbv2.CfnLoadBalancer(s, 'Lb', { securityGroups: [sg.attrGroupId] });
      new ec2.CfnInstance(s, 'I', { imageId: 'ami-1', securityGroupIds: [sg.ref] });
    }, 'In', 'FAIL');
  });

  test('Noncompliance: attached to a function in another stack (cross-stack reference)', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: { account: '111111111111', region: 'us-east-1' } });
    const b = new Stack(app, 'B', { env: { account: '111111111111', region: 'us-east-1' } });
    const { sg, subnet } = publicLb(a);
    new lambda.CfnFunction(b, 'Fn', {
      role: 'arn:aws:iam::111111111111:role/r', code: { zipFile: 'x' }, handler: 'index.h', runtime: 'nodejs20.x',
      vpcConfig: { securityGroupIds: [sg.attrGroupId], subnetIds: [subnet.ref] },
    });
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'A/Web');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(f[0].message).toContain('B/Fn');
  });

  test('Noncompliance: an L2 internet-facing ALB whose group an L2 instance also uses', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const sg = new ec2.SecurityGroup(s, 'Web', { vpc });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    new elbv2.ApplicationLoadBalancer(s, 'Alb', { vpc, internetFacing: true, securityGroup: sg });
    new ec2.Instance(s, 'I', {
      vpc, securityGroup: sg, instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }),
    });
    const f = evaluateScope(app, { rules: rulesNamed(rule) }).filter((x) => x.resource.id === 'S/Web/Resource');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
  });
});
