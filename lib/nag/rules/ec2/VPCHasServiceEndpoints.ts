import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, joinLiteral, str } from '../common';
import { routesToInternetGateway } from './network';

/** Services every VPC with private subnets reaches through interface endpoints. */
export const REQUIRED_INTERFACE_ENDPOINTS = ['kms', 'sts', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'ec2messages'];
/** Services reached through gateway endpoints. */
export const REQUIRED_GATEWAY_ENDPOINTS = ['s3', 'dynamodb'];

interface VpcFacts {
  /** Per VPC, `Interface:kms`, `Gateway:s3`... */
  readonly endpoints: Map<CfnResource, Set<string>>;
  readonly subnets: Map<CfnResource, CfnResource[]>;
  readonly unresolved: unknown[];
}

/** The service of an endpoint's ServiceName (`com.amazonaws.<region>.<service>`), or undefined when unresolved. */
function serviceOf(value: unknown): string | undefined {
  const s = joinLiteral(value);
  if (s === undefined) return undefined;
  const m = /^(?:aws\.api\.|com\.amazonaws\.)?(?:[a-z0-9-]+|\$\{AWS::Region\})\.([a-z0-9.-]+)$/.exec(s);
  return m ? m[1] : s;
}

/** Endpoints and subnets by VPC, built once per validation. */
function facts(ix: ResourceIndex): VpcFacts {
  return ix.memo('vpcEndpointsAndSubnets', () => {
    const f: VpcFacts = { endpoints: new Map(), subnets: new Map(), unresolved: [] };
    for (const e of ix.ofType('AWS::EC2::VPCEndpoint')) {
      const vpc = ix.propTarget(e, 'VpcId');
      const p = ix.props(e);
      const service = serviceOf(p.ServiceName);
      if (vpc.kind !== 'resource' || service === undefined) { f.unresolved.push(vpc.kind !== 'resource' ? p.VpcId : p.ServiceName); continue; }
      let type: string;
      try {
        type = str(p.VpcEndpointType, 'VpcEndpointType') ?? 'Gateway';
      } catch {
        f.unresolved.push(p.VpcEndpointType);
        continue;
      }
      const set = f.endpoints.get(vpc.node) ?? new Set<string>();
      set.add(`${type}:${service}`);
      f.endpoints.set(vpc.node, set);
    }
    for (const s of ix.ofType('AWS::EC2::Subnet')) {
      const vpc = ix.propTarget(s, 'VpcId');
      if (vpc.kind !== 'resource') continue;
      const l = f.subnets.get(vpc.node);
      if (l) l.push(s); else f.subnets.set(vpc.node, [s]);
    }
    return f;
  });
}

/**
 * Every VPC with private subnets (no route to an internet gateway) has interface endpoints for KMS,
 * STS, CloudWatch Logs, Secrets Manager and Session Manager, and gateway endpoints for S3 and DynamoDB.
 */
export function VPCHasServiceEndpoints(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const f = facts(ix);
  const subnets = f.subnets.get(node) ?? [];
  if (!subnets.some((s) => !routesToInternetGateway(ix, s))) return NagRuleCompliance.NOT_APPLICABLE;
  const have = f.endpoints.get(node) ?? new Set<string>();
  const missing = [
    ...REQUIRED_INTERFACE_ENDPOINTS.filter((s) => !have.has(`Interface:${s}`)).map((s) => `${s} (interface)`),
    ...REQUIRED_GATEWAY_ENDPOINTS.filter((s) => !have.has(`Gateway:${s}`)).map((s) => `${s} (gateway)`),
  ];
  if (missing.length === 0) return NagRuleCompliance.COMPLIANT;
  if (f.unresolved.length > 0) return cannotVerify('a VPC endpoint', f.unresolved[0]);
  return [`missing endpoints: ${missing.join(', ')}`];
}

export const VPCHasServiceEndpointsMeta: RuleMetadata = {
  ruleName: 'VPCHasServiceEndpoints',
  controlIds: ['NET-ENDPOINTS'],
  cites: ['nist-800-53:SC-7', 'nist-800-53:AC-4'],
  level: 'warning',
  resourceTypes: ['AWS::EC2::VPC'],
  info: 'The VPC has private subnets but lacks VPC endpoints for the AWS APIs its workloads call.',
  explanation: 'Lesson L4 (no lateral movement) and L6 (exfiltration is blocked): without endpoints, private workloads reach KMS, STS, Secrets Manager and S3 through a NAT gateway and the internet, so the data tier needs an internet path and endpoint policies cannot limit who is served.',
  fix: 'Add interface endpoints for kms, sts, logs, secretsmanager, ssm, ssmmessages and ec2messages (vpc.addInterfaceEndpoint) and gateway endpoints for S3 and DynamoDB (vpc.addGatewayEndpoint); SegmentedVpc adds them all.',
};
