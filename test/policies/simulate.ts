import { runSimulation } from '@cloud-copilot/iam-simulate';
import { PolicyDocumentJson } from '../../lib/policies';

export const ACCOUNT = '111122223333';
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** AWS's default SCP, attached at every level of an organization unless replaced. */
export const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
/** What AdministratorAccess grants. */
export const ADMINISTRATOR_ACCESS = FULL_AWS_ACCESS;

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

export interface SimulationCase {
  readonly principal: string;
  readonly action: string;
  readonly resource?: string;
  readonly context?: Record<string, string | string[]>;
  readonly identityPolicies?: PolicyDocumentJson[] | object[];
  readonly boundary?: PolicyDocumentJson;
  /** SCPs attached below the root (the root holds FullAWSAccess). */
  readonly scps?: PolicyDocumentJson[];
}

/**
 * Evaluates one request. The simulator fills no global condition keys from the principal, so
 * aws:PrincipalArn and aws:PrincipalAccount are passed here; a validation error fails the test.
 */
export async function decide(c: SimulationCase): Promise<Decision> {
  const result = await runSimulation({
    request: {
      principal: c.principal,
      action: c.action,
      resource: { resource: c.resource ?? '*', accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': c.principal, 'aws:PrincipalAccount': ACCOUNT, ...c.context },
    },
    identityPolicies: (c.identityPolicies ?? [ADMINISTRATOR_ACCESS]).map((policy, i) => ({ name: `identity-${i}`, policy })),
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : undefined,
    serviceControlPolicies: c.scps
      ? [
        { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
        { orgIdentifier: ACCOUNT, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...c.scps.map((policy, i) => ({ name: `scp-${i}`, policy }))] },
      ]
      : [],
    resourceControlPolicies: [],
    // KMS consults the key policy first: the usual one delegates to IAM (the account root).
    resourcePolicy: c.resource?.startsWith('arn:aws:kms:') ? DEFAULT_KEY_POLICY : undefined,
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation of ${c.action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}
