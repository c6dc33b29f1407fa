import { Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SegmentedVpc } from '../constructs/segmented-vpc';

export interface NetworkStackProps extends StackProps {
  readonly availabilityZones: string[];
  readonly cidr: string;
  readonly publicSubnetMask: number;
  readonly appSubnetMask: number;
  readonly dataSubnetMask: number;
  readonly natGateways: number;
  readonly databasePorts: number[];
  readonly organizationId?: string;
  /** Encrypted, retained log group for the flow logs (it lives in the logging stack). */
  readonly flowLogGroup: logs.ILogGroup;
}

/** The segmented network (L4, L6): three tiers, closed default security group, flow logs, endpoints. */
export class NetworkStack extends Stack {
  public readonly network: SegmentedVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new SegmentedVpc(this, 'Vpc', {
      availabilityZones: props.availabilityZones,
      cidr: props.cidr,
      publicSubnetMask: props.publicSubnetMask,
      appSubnetMask: props.appSubnetMask,
      dataSubnetMask: props.dataSubnetMask,
      natGateways: props.natGateways,
      databasePorts: props.databasePorts,
      organizationId: props.organizationId,
      flowLogGroup: props.flowLogGroup,
    });
  }
}
