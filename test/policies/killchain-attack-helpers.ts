import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, Decision, FULL_AWS_ACCESS } from './simulate';

/** The region the kill-chain tests synthesize in. */
export const REGION = 'us-east-1';
/** Another AWS account: the attacker's. */
export const OUTSIDE = '999988887777';

export const roleArn = (name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:role/${name}`;

/**
 * Resolves the intrinsics a synthesized policy document holds (pseudo parameters and Fn::Join) to
 * plain JSON, as CloudFormation would in account ACCOUNT, region REGION. Anything else fails the test:
 * a document the simulation cannot read proves nothing.
 */
export function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const pseudo: Record<string, string> = { 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::URLSuffix': 'amazonaws.com' };
    if (typeof o.Ref === 'string' && o.Ref in pseudo) return pseudo[o.Ref];
    throw new Error(`cannot resolve Ref ${JSON.stringify(o.Ref)}`);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return (parts.map(resolve) as string[]).join(sep);
  }
  if (keys.length === 1 && keys[0].startsWith('Fn::')) throw new Error(`cannot resolve ${keys[0]}`);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v)]));
}

export interface ResourceRequest {
  readonly principal: string;
  /** The principal's account. @default ACCOUNT */
  readonly principalAccount?: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. @default ACCOUNT */
  readonly resourceAccount?: string;
  readonly context?: Record<string, string | string[]>;
  /** @default [AdministratorAccess] */
  readonly identityPolicies?: object[];
  readonly boundary?: object;
  readonly resourcePolicy?: object;
  readonly scps?: object[];
  /** Policies of the VPC endpoint the request goes through. */
  readonly endpointPolicies?: object[];
}

/**
 * Decides one request with a resource (or key) policy as AWS would. The simulator fills no global
 * keys: aws:PrincipalArn, aws:PrincipalAccount and aws:ResourceAccount are set here; no
 * aws:MultiFactorAuthPresent, as for a role session or an access key.
 */
export async function decideWithResource(r: ResourceRequest): Promise<Decision> {
  const principalAccount = r.principalAccount ?? ACCOUNT;
  const result = await runSimulation({
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.resourceAccount ?? ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': r.principal, 'aws:PrincipalAccount': principalAccount, 'aws:ResourceAccount': r.resourceAccount ?? ACCOUNT, ...r.context },
    },
    identityPolicies: (r.identityPolicies ?? [FULL_AWS_ACCESS]).map((policy, i) => ({ name: `identity-${i}`, policy })),
    permissionBoundaryPolicies: r.boundary ? [{ name: 'boundary', policy: r.boundary }] : undefined,
    serviceControlPolicies: r.scps
      ? [
        { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
        { orgIdentifier: principalAccount, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...r.scps.map((policy, i) => ({ name: `scp-${i}`, policy }))] },
      ]
      : [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy,
    vpcEndpointPolicies: r.endpointPolicies?.map((policy, i) => ({ name: `endpoint-${i}`, policy })),
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation of ${r.action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}
