import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, Statement, principalKinds, reasons, statements, str } from '../common';

/** Condition keys that limit a "*" principal to the own account or organization. */
const ORG_KEYS = new Set(['aws:principalorgid', 'aws:principalaccount', 'aws:principalorgpaths']);

/**
 * Whether a condition limits the caller to an account or organization: a positive string operator
 * (not ...IfExists, which an absent key satisfies) on aws:PrincipalOrgID / PrincipalAccount /
 * PrincipalOrgPaths with no "*" value.
 */
function limitsToOrg(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [op, body] of Object.entries(condition as Record<string, unknown>)) {
    if (!/^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/.test(op) || typeof body !== 'object' || body === null) continue;
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (!ORG_KEYS.has(k.toLowerCase())) continue;
      const values = Array.isArray(v) ? v : [v];
      if (values.length > 0 && !values.some((x) => x === '*')) return true;
    }
  }
  return false;
}

const label = (s: Statement, i: number): string => (typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`);

/**
 * Every VPC endpoint has a policy, and each of its Allow statements names specific principals or
 * limits "*" with aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalOrgPaths.
 */
export function VPCEndpointPolicyRestricted(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  // Gateway Load Balancer endpoints accept no policy.
  if (str(p.VpcEndpointType, 'VpcEndpointType') === 'GatewayLoadBalancer') return NagRuleCompliance.NOT_APPLICABLE;
  if (p.PolicyDocument === undefined) return ['no endpoint policy: the default policy allows any principal, including other accounts, full access'];
  const out: string[] = [];
  statements(p.PolicyDocument, 'endpoint policy').forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    if (s.NotPrincipal !== undefined) { out.push(`${label(s, i)} allows everyone but NotPrincipal`); return; }
    const kinds = s.Principal === undefined ? ['any'] : principalKinds(ix, node, s.Principal, 'endpoint policy Principal');
    if (kinds.includes('any') && !limitsToOrg(s.Condition)) out.push(`${label(s, i)} allows Principal * without aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalOrgPaths`);
  });
  return reasons(out);
}

export const VPCEndpointPolicyRestrictedMeta: RuleMetadata = {
  ruleName: 'VPCEndpointPolicyRestricted',
  controlIds: ['EXF-ENDPOINTPOLICY'],
  cites: ['nist-800-53:AC-4', 'nist-800-53:SC-7'],
  level: 'warning',
  resourceTypes: ['AWS::EC2::VPCEndpoint'],
  info: 'The VPC endpoint has no policy, or its policy allows any principal without limiting it to the own account or organization.',
  explanation: 'Lesson L6 (exfiltration is blocked or noticed): an endpoint with the default full-access policy lets a stolen credential from any account carry data out through it, to the attacker\'s own bucket (T1537, T1567.002).',
  fix: 'Add an endpoint policy (endpoint.addToPolicy) whose Allow statements name the principals, or keep Principal * only with Condition StringEquals aws:PrincipalOrgID (or aws:PrincipalAccount) (SegmentedVpc does this).',
};
