import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SegmentedVpc, DEFAULT_INTERFACE_ENDPOINTS } from '../../lib/constructs/segmented-vpc';
import { awsOwnedBuckets } from '../../lib/policies';
import { testStack } from '../helpers/app';

function build(props: Partial<ConstructorParameters<typeof SegmentedVpc>[2]> = {}) {
  const { stack } = testStack();
  const flowLogGroup = logs.LogGroup.fromLogGroupName(stack, 'Flow', 'flow-logs');
  const vpc = new SegmentedVpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogGroup, databasePorts: [5432, 6379], ...props });
  return { vpc, template: Template.fromStack(stack) };
}

describe('SegmentedVpc', () => {
  let template: Template;
  let vpc: SegmentedVpc;
  beforeAll(() => { ({ template, vpc } = build()); });

  test('three tiers in each AZ: public, app, data', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const tier of ['public', 'app', 'data']) {
      template.resourcePropertiesCountIs('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: tier }]) }, 2);
    }
  });

  test('public subnets do not hand out public IPs', () => {
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('the data tier has no route to an internet or NAT gateway', () => {
    const tables = template.findResources('AWS::EC2::RouteTable');
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    const dataSubnetIds = Object.entries(template.findResources('AWS::EC2::Subnet'))
      .filter(([, r]) => JSON.stringify(r.Properties.Tags).includes('"data"')).map(([id]) => id);
    const assoc = Object.values(template.findResources('AWS::EC2::SubnetRouteTableAssociation'));
    const dataTables = assoc.filter((a) => dataSubnetIds.includes(a.Properties.SubnetId.Ref)).map((a) => a.Properties.RouteTableId.Ref);
    expect(dataTables).toHaveLength(2);
    for (const t of dataTables) {
      expect(tables[t]).toBeDefined();
      const out = routes.filter((r) => r.Properties.RouteTableId.Ref === t);
      expect(out.filter((r) => r.Properties.GatewayId || r.Properties.NatGatewayId)).toEqual([]);
    }
    // ... while the application tier does reach NAT and the public tier the internet gateway.
    expect(routes.filter((r) => r.Properties.NatGatewayId)).toHaveLength(2);
    expect(routes.filter((r) => r.Properties.GatewayId)).toHaveLength(2);
  });

  test('the data-tier network ACL admits only the app subnets on the database ports', () => {
    const entries = Object.values(template.findResources('AWS::EC2::NetworkAclEntry')).map((e) => e.Properties);
    const ingress = entries.filter((e) => !e.Egress);
    expect(ingress.map((e) => [e.CidrBlock, e.PortRange.From])).toEqual([
      ['10.40.16.0/20', 5432], ['10.40.16.0/20', 6379], ['10.40.32.0/20', 5432], ['10.40.32.0/20', 6379],
    ]);
    for (const e of entries) {
      expect(e.RuleAction).toBe('allow');
      expect(e.CidrBlock).not.toBe('0.0.0.0/0');
      expect(e.Protocol).toBe(6);
    }
    template.resourceCountIs('AWS::EC2::SubnetNetworkAclAssociation', 2);
  });

  test('the default security group is closed', () => {
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: Match.anyValue() });
  });

  test('flow logs capture ALL traffic to the given log group', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL', ResourceType: 'VPC', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'flow-logs',
    });
  });

  test('no security group admits 0.0.0.0/0 or ::/0, and nothing opens SSH or RDP', () => {
    const sgs = Object.values(template.findResources('AWS::EC2::SecurityGroup')).map((r) => r.Properties);
    const ingresses = [
      ...sgs.flatMap((s) => s.SecurityGroupIngress ?? []),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties),
    ];
    expect(ingresses.length).toBeGreaterThan(0);
    for (const i of ingresses) {
      expect(i.CidrIp).not.toBe('0.0.0.0/0');
      expect(i.CidrIpv6).not.toBe('::/0');
      for (const port of [22, 3389]) expect(i.FromPort <= port && port <= i.ToPort).toBe(false);
    }
  });

  test('the data security group admits only the app security group and allows no egress', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('VpcAppSecurityGroup'), 'GroupId'] },
    });
    const data = Object.entries(template.findResources('AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('VpcDataSecurityGroup'))![1];
    expect(data.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
  });

  test('gateway endpoints for S3 and DynamoDB, interface endpoints for KMS, STS, Logs, Secrets Manager and Session Manager', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2 + DEFAULT_INTERFACE_ENDPOINTS.length);
    for (const svc of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${svc}`])] }) });
    }
    for (const svc of DEFAULT_INTERFACE_ENDPOINTS) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true, ServiceName: `com.amazonaws.us-east-1.${svc}` });
    }
  });

  test('every endpoint policy admits only principals of the own account; the S3 endpoint adds only read-only AWS-owned bucket exceptions', () => {
    for (const ep of Object.values(template.findResources('AWS::EC2::VPCEndpoint'))) {
      const [first, ...rest] = ep.Properties.PolicyDocument.Statement;
      expect(first).toMatchObject({ Sid: 'OwnPrincipalsOnly', Principal: '*', Action: '*', Resource: '*' });
      expect(first.Condition.StringEquals['aws:PrincipalAccount']).toBe('111122223333');
      const s3 = JSON.stringify(ep.Properties.ServiceName).includes('.s3');
      // What the exceptions admit is proven by simulation in segmented-vpc-s3-endpoint.test.ts.
      expect(rest.map((s: { Sid: string }) => s.Sid)).toEqual(s3 ? awsOwnedBuckets().groups.filter((g) => g.admittedByDefault).map((g) => g.sid) : []);
      for (const s of rest) expect(s).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' });
    }
  });

  test('S3 and DynamoDB endpoints also refuse resources of other accounts', () => {
    const gw = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    for (const ep of gw) expect(ep.Properties.PolicyDocument.Statement[0].Condition.StringEquals['aws:ResourceAccount']).toBe('111122223333');
  });

  test('with an organization id, endpoints admit the organization', () => {
    const { template: t } = build({ organizationId: 'o-abcdefghij' });
    for (const ep of Object.values(t.findResources('AWS::EC2::VPCEndpoint'))) {
      expect(ep.Properties.PolicyDocument.Statement[0].Condition.StringEquals['aws:PrincipalOrgID']).toBe('o-abcdefghij');
    }
  });

  test('exposes the three security groups', () => {
    expect(vpc.appSecurityGroup.allowAllOutbound).toBe(false);
    expect(vpc.dataSecurityGroup.allowAllOutbound).toBe(false);
  });

  test('fails when a database port is SSH or RDP', () => {
    expect(() => build({ databasePorts: [22] })).toThrow(/invalid database port 22/);
    expect(() => build({ databasePorts: [3389] })).toThrow(/invalid database port 3389/);
  });

  test('fails when fewer than 2 AZs are given', () => {
    expect(() => build({ availabilityZones: ['us-east-1a'] })).toThrow(/at least 2 availability zones \(got 1\)/);
  });
});
