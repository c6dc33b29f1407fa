import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { AWS_OWNED_BUCKETS_FILE, awsOwnedBuckets, awsOwnedObjectArns } from '../policies';
import { acknowledgeNag } from './acknowledge';
import { useExplicitAvailabilityZones } from './explicit-availability-zones';

/** Subnet group names of the three tiers; other code selects subnets by these. */
export const TIER = { public: 'public', app: 'app', data: 'data' } as const;

/** Interface endpoints every segmented VPC gets, so AWS APIs are reached without the internet (NET-ENDPOINTS). */
export const DEFAULT_INTERFACE_ENDPOINTS = ['kms', 'sts', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages'] as const;

const ADMIN_PORTS = [22, 3389];

/**
 * Interface endpoints whose APIs act on no customer resource (Session Manager's message channels), so
 * `aws:ResourceAccount` cannot limit them; every other endpoint admits only the own account's (or
 * organization's) resources.
 */
export const RESOURCELESS_ENDPOINTS: ReadonlySet<string> = new Set(['ssmmessages', 'ec2messages']);

export interface SegmentedVpcProps {
  /** Explicit availability zones: no account lookup at synthesis. */
  readonly availabilityZones: string[];
  /** @default '10.40.0.0/16' */
  readonly cidr?: string;
  /** @default 24 */
  readonly publicSubnetMask?: number;
  /** @default 20 */
  readonly appSubnetMask?: number;
  /** @default 24 */
  readonly dataSubnetMask?: number;
  /** @default - one per availability zone */
  readonly natGateways?: number;
  /** TCP ports the data tier admits from the application tier. @default [5432] */
  readonly databasePorts?: number[];
  /** Log group receiving flow logs of ALL traffic (LOG-FLOW); it should be KMS-encrypted and retained. */
  readonly flowLogGroup: logs.ILogGroup;
  /**
   * Organization whose principals may use the endpoints (EXF-ENDPOINTPOLICY).
   * @default - only principals of this account
   */
  readonly organizationId?: string;
  /** @default DEFAULT_INTERFACE_ENDPOINTS */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * AWS-owned buckets the S3 endpoint admits read-only (s3:GetObject) in the stack's region, beside
   * the own resources: the Sids of the groups of policies/vpce/s3-aws-owned-buckets.json (AWS's
   * documented data-perimeter exceptions). `[]` keeps the strict perimeter.
   * @default - the groups marked AdmittedByDefault: Amazon Linux 2 and 2023 repositories, SSM Agent,
   * Patch Manager, CloudWatch agent and ECR image layers
   */
  readonly awsOwnedBuckets?: readonly string[];
}

/**
 * A VPC in three tiers (NET-TIERS): public (load balancers and NAT only), private application
 * (egress through NAT), isolated data (no route to an internet or NAT gateway; a network ACL
 * admits only the application tier on the database ports). The default security group is closed,
 * flow logs capture ALL traffic, and AWS APIs are reached through endpoints whose policies admit
 * only the own account or organization - and, on the S3 endpoint, reading the AWS-owned buckets of the
 * region that workloads need (package repositories, SSM, CloudWatch agent, ECR layers), which AWS
 * documents as data-perimeter exceptions (policies/vpce/s3-aws-owned-buckets.json).
 */
export class SegmentedVpc extends Construct {
  public readonly vpc: ec2.Vpc;
  /** For application workloads: no ingress; egress HTTPS and the database ports only. */
  public readonly appSecurityGroup: ec2.SecurityGroup;
  /** For data stores: ingress on the database ports from the application tier only; no egress. */
  public readonly dataSecurityGroup: ec2.SecurityGroup;
  /** Guards the interface endpoints: HTTPS from inside the VPC only. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  public readonly dataNetworkAcl: ec2.NetworkAcl;
  public readonly flowLog: ec2.FlowLog;

  constructor(scope: Construct, id: string, props: SegmentedVpcProps) {
    super(scope, id);
    const ports = props.databasePorts ?? [...DEFAULTS.databasePorts];
    for (const p of ports) {
      if (!Token.isUnresolved(p) && (ADMIN_PORTS.includes(p) || p < 1 || p > 65535)) {
        throw new Error(`invalid database port ${p}: ports must be 1-65535 and never SSH (22) or RDP (3389)`);
      }
    }
    if (props.availabilityZones.length < 2) {
      throw new Error(`a segmented vpc needs at least 2 availability zones (got ${props.availabilityZones.length})`);
    }

    useExplicitAvailabilityZones(Stack.of(this), props.availabilityZones);
    const cidr = props.cidr ?? DEFAULTS.vpcCidr;
    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways ?? props.availabilityZones.length,
      natGatewaySubnets: { subnetGroupName: TIER.public },
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: TIER.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: props.publicSubnetMask ?? DEFAULTS.publicSubnetMask, mapPublicIpOnLaunch: false },
        { name: TIER.app, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: props.appSubnetMask ?? DEFAULTS.appSubnetMask },
        { name: TIER.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: props.dataSubnetMask ?? DEFAULTS.dataSubnetMask },
      ],
      gatewayEndpoints: {},
    });

    this.flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(props.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    const app = this.vpc.selectSubnets({ subnetGroupName: TIER.app });

    this.appSecurityGroup = new ec2.SecurityGroup(this, 'AppSecurityGroup', {
      vpc: this.vpc, allowAllOutbound: false, description: 'application tier: no ingress; egress HTTPS and database ports',
    });
    this.dataSecurityGroup = new ec2.SecurityGroup(this, 'DataSecurityGroup', {
      vpc: this.vpc, allowAllOutbound: false, description: 'data tier: database ports from the application tier only; no egress',
    });
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc, allowAllOutbound: false, description: 'VPC interface endpoints: HTTPS from inside the VPC only',
    });
    this.appSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and partners through NAT');
    for (const p of ports) {
      this.dataSecurityGroup.addIngressRule(this.appSecurityGroup, ec2.Port.tcp(p), `database port ${p} from the application tier`);
      this.appSecurityGroup.addEgressRule(this.dataSecurityGroup, ec2.Port.tcp(p), `database port ${p} to the data tier`);
    }
    // The configured CIDR, not the VPC's token, so rules can see what the ingress admits.
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from inside the VPC');

    // Stateless filtering on the data tier: only the application subnets, only the database ports.
    this.dataNetworkAcl = new ec2.NetworkAcl(this, 'DataNetworkAcl', { vpc: this.vpc, subnetSelection: { subnetGroupName: TIER.data } });
    let rule = 100;
    for (const subnet of app.subnets) {
      for (const p of ports) {
        this.dataNetworkAcl.addEntry(`In${rule}`, {
          ruleNumber: rule++, cidr: ec2.AclCidr.ipv4(subnet.ipv4CidrBlock), traffic: ec2.AclTraffic.tcpPort(p),
          direction: ec2.TrafficDirection.INGRESS, ruleAction: ec2.Action.ALLOW,
        });
      }
      this.dataNetworkAcl.addEntry(`Out${rule}`, {
        ruleNumber: rule++, cidr: ec2.AclCidr.ipv4(subnet.ipv4CidrBlock), traffic: ec2.AclTraffic.tcpPortRange(1024, 65535),
        direction: ec2.TrafficDirection.EGRESS, ruleAction: ec2.Action.ALLOW,
      });
    }

    acknowledgeNag(this.dataNetworkAcl, 'AwsSolutions-VPC3',
      'deliberate second layer on the isolated data tier (NET-TIERS): admits only the application subnets on the database ports and replies to them.');
    for (const subnet of this.vpc.selectSubnets({ subnetGroupName: TIER.public }).subnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledgeNag(route, 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          'public tier route to the internet gateway: this tier holds only NAT gateways and internet-facing load balancers, which need it.');
      }
    }
    const flowLogRole = this.flowLog.node.tryFindChild('IAMRole');
    if (flowLogRole) {
      acknowledgeNag(flowLogRole, 'NIST.800.53.R5-IAMNoInlinePolicy',
        'CDK-generated flow-log delivery role: its only policy writes to the flow-log group and passes this role to VPC Flow Logs, bound to this one role.');
    }

    const stack = Stack.of(this);
    const principalCondition: Record<string, string> = props.organizationId
      ? { 'aws:PrincipalOrgID': props.organizationId }
      : { 'aws:PrincipalAccount': stack.account };
    const resourceCondition: Record<string, string> = props.organizationId
      ? { 'aws:ResourceOrgID': props.organizationId }
      : { 'aws:ResourceAccount': stack.account };
    // Principal "*" as AWS writes endpoint policies: a gateway endpoint names no principals, conditions do.
    const endpointPolicy = (extra: Record<string, string> = {}) => new iam.PolicyStatement({
      sid: 'OwnPrincipalsOnly',
      principals: [new iam.StarPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { ...principalCondition, ...extra } },
    });

    // Gateway endpoints serve the application tier; the data tier reaches nothing outside the VPC.
    for (const [name, service] of [['S3', ec2.GatewayVpcEndpointAwsService.S3], ['DynamoDB', ec2.GatewayVpcEndpointAwsService.DYNAMODB]] as const) {
      const ep = this.vpc.addGatewayEndpoint(`${name}Endpoint`, { service, subnets: [{ subnetGroupName: TIER.app }] });
      // Own principals, and only towards own resources: stolen data cannot be copied to a foreign bucket or table.
      ep.addToPolicy(endpointPolicy(resourceCondition));
      if (name === 'S3') for (const st of this.awsOwnedBucketStatements(props.awsOwnedBuckets)) ep.addToPolicy(st);
    }
    for (const name of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      // Own principals towards own resources: through the endpoint, a role cannot write to an
      // attacker's secret, assume an attacker's role or encrypt with an attacker's key (T1537).
      // Session Manager's message channels have no customer resource to limit.
      const resourceLimited = !RESOURCELESS_ENDPOINTS.has(name);
      const ep = this.vpc.addInterfaceEndpoint(`${pascal(name)}Endpoint`, {
        service: new ec2.InterfaceVpcEndpointAwsService(name),
        subnets: { subnetGroupName: TIER.app },
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
      ep.addToPolicy(endpointPolicy(resourceLimited ? resourceCondition : {}));
    }
  }

  /**
   * One statement per group of AWS-owned buckets: anyone (package managers call anonymously, ECR
   * layers come through URLs presigned by ECR's account) may read objects of those named buckets of
   * this region, and nothing else - no write, no other bucket, no other region.
   */
  private awsOwnedBucketStatements(selected: readonly string[] | undefined): iam.PolicyStatement[] {
    const fact = awsOwnedBuckets();
    const known = fact.groups.map((g) => g.sid);
    const unknown = (selected ?? []).filter((s) => !known.includes(s));
    if (unknown.length > 0) {
      throw new Error(`unknown AWS-owned bucket group(s) ${unknown.join(', ')}: the groups of policies/${AWS_OWNED_BUCKETS_FILE} are ${known.join(', ')}`);
    }
    const groups = fact.groups.filter((g) => (selected === undefined ? g.admittedByDefault : selected.includes(g.sid)));
    const stack = Stack.of(this);
    const regionKnown = !Token.isUnresolved(stack.region);
    const out: iam.PolicyStatement[] = [];
    for (const g of groups) {
      if (Object.keys(g.objectsInRegion).length > 0 && !(regionKnown && g.objectsInRegion[stack.region])) {
        Annotations.of(this).addWarningV2(`cdk-hardening:aws-owned-buckets:${g.sid}`, regionKnown
          ? `the S3 endpoint does not admit ${g.sid}'s per-region buckets: policies/${AWS_OWNED_BUCKETS_FILE} names none for ${stack.region} (${g.purpose})`
          : `the S3 endpoint does not admit ${g.sid}'s per-region buckets: the stack's region is not known at synthesis (give the stack an env region) (${g.purpose})`);
      }
      const resources = awsOwnedObjectArns(g, stack.partition, stack.region, regionKnown);
      if (resources.length === 0) continue;
      out.push(new iam.PolicyStatement({ sid: g.sid, principals: [new iam.StarPrincipal()], actions: [...fact.actions], resources }));
    }
    return out;
  }
}

function pascal(s: string): string {
  return s.split(/[^a-zA-Z0-9]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
