import { CfnResource } from 'aws-cdk-lib';
import { outsiderAccess, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, Statement, decided, ownOf, policyJson, reasons, sharedAnswer, statements, str, syntheticValue } from '../common';

const label = (s: Statement, i: number): string => (typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`);

/** The service of an endpoint (`com.amazonaws.us-east-1.s3` -> `s3`); unknown services get a generic name. */
function serviceOf(name: unknown): string {
  return typeof name === 'string' ? name.split('.').pop()!.toLowerCase() : 'service';
}

/**
 * Every VPC endpoint has a policy, and no Allow statement with a wildcard principal lets a principal
 * outside the own account and organization through it: the policy is evaluated (lib/policy) for
 * principals of a foreign account and organization, and of every account or organization it names
 * that is not the own (an organization id with none configured cannot be verified).
 */
export function VPCEndpointPolicyRestricted(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  // Gateway Load Balancer endpoints accept no policy.
  if (str(p.VpcEndpointType, 'VpcEndpointType') === 'GatewayLoadBalancer') return NagRuleCompliance.NOT_APPLICABLE;
  if (p.PolicyDocument === undefined) return ['no endpoint policy: the default policy allows any principal, including other accounts, full access'];
  const out: string[] = [];
  statements(p.PolicyDocument, 'endpoint policy').forEach((s, i) => {
    if (s.Effect === 'Allow' && s.NotPrincipal !== undefined) out.push(`${label(s, i)} allows everyone but NotPrincipal`);
  });
  if (out.length > 0) return out;
  const svc = serviceOf(p.ServiceName);
  const own = ownOf(ix, node);
  const resources = svc === 's3' ? [`arn:${own.partition}:s3:::any-bucket`, `arn:${own.partition}:s3:::any-bucket/any-key`] : [`arn:${own.partition}:${svc}:${own.region}:${own.account}:any-resource`];
  const actions = svc === 's3' ? ['s3:GetObject', 's3:PutObject', 's3:ListBucket'] : svc === 'dynamodb' ? ['dynamodb:Scan', 'dynamodb:PutItem'] : [`${svc}:AnyAction`];
  const endpointId = syntheticValue(ix, node, undefined) as string;
  const a = sharedAnswer(ix, `endpoint ${svc}`, [policyJson(ix, node, p.PolicyDocument)], endpointId, own, ([d], subject) => outsiderAccess(d, own, {
    defaultActions: actions, defaultResources: resources, wildcardOnly: true,
    context: { 'aws:SourceVpce': subject, 'aws:SourceIp': '10.0.1.20' },
  }, 'endpoint policy'));
  return decided(a, 'who the endpoint policy admits') ? reasons(a.why.map((w) => `${showOwn(w).replace(/^(.*?) lets /, '$1 allows Principal * beyond the own account and organization: it lets ')}`)) : NagRuleCompliance.COMPLIANT;
}

export const VPCEndpointPolicyRestrictedMeta: RuleMetadata = {
  ruleName: 'VPCEndpointPolicyRestricted',
  controlIds: ['EXF-ENDPOINTPOLICY'],
  level: 'warning',
  resourceTypes: ['AWS::EC2::VPCEndpoint'],
  info: 'The VPC endpoint has no policy, or its policy allows any principal without limiting it to the own account or organization.',
  explanation: 'Lesson L6 (exfiltration is blocked or noticed): an endpoint with the default full-access policy lets a stolen credential from any account carry data out through it, to the attacker\'s own bucket (T1537, T1567.002).',
  fix: 'Add an endpoint policy (endpoint.addToPolicy) whose Allow statements name the principals, or keep Principal * only with Condition StringEquals aws:PrincipalOrgID (or aws:PrincipalAccount) (SegmentedVpc does this).',
};
