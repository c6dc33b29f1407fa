import { CfnResource } from 'aws-cdk-lib';
import { AWS_OWNED_BUCKETS_FILE, awsOwnedBuckets, isAwsOwnedObjectPattern } from '../../../policies';
import { ContextValue, VPC_HOST_ADDRESS } from '../../../policy';
import { Answer, FOREIGN_ACCOUNT, FOREIGN_ORG, OWN_ACCOUNT_PLACEHOLDER, OutsiderOptions, Own, namedIdentities, outsiderAccess, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, Statement, decided, joinLiteral, ownOf, policyJson, reasons, sharedAnswer, statements, str, syntheticValue } from '../common';

const label = (s: Statement, i: number): string => (typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`);

/**
 * The service of an endpoint (`com.amazonaws.us-east-1.s3` -> `s3`, also when the region is
 * `${AWS::Region}` as CDK renders gateway endpoints); unknown services get a generic name.
 */
function serviceOf(name: unknown): string {
  const s = joinLiteral(name);
  return s === undefined ? 'service' : s.split('.').pop()!.toLowerCase();
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** aws:SourceVpc of the requests through an endpoint: its VPC, when the template names one. */
function vpcOf(net: unknown): Record<string, ContextValue> {
  const v = (net as { Vpc?: ContextValue } | null)?.Vpc;
  return v === undefined ? {} : { 'aws:SourceVpc': v };
}

/**
 * Why a statement of an S3 endpoint policy is not a read-only exception for AWS-owned buckets, or
 * undefined when it is one: an Allow of only the actions of policies/vpce/s3-aws-owned-buckets.json
 * (s3:GetObject) on only objects of the AWS-owned buckets that file names for the endpoint's region.
 * Judged by what the statement admits, not by its Sid: its principal and conditions can only narrow it.
 */
function notAwsOwnedException(s: Record<string, unknown>, own: Own): string | undefined {
  if (s.Effect !== 'Allow') return 'not an Allow';
  for (const k of ['NotAction', 'NotResource', 'NotPrincipal']) if (s[k] !== undefined) return `it uses ${k}`;
  if (s.Action === undefined || s.Resource === undefined) return 'it names no action or resource';
  const readOnly = awsOwnedBuckets().actions.map((a) => a.toLowerCase());
  const action = asList(s.Action).find((a) => typeof a !== 'string' || !readOnly.includes(a.toLowerCase()));
  if (action !== undefined) return `action ${String(action)} is not read-only (only ${awsOwnedBuckets().actions.join(', ')})`;
  const resource = asList(s.Resource).find((r) => typeof r !== 'string' || !isAwsOwnedObjectPattern(r, own.partition, own.region));
  if (resource !== undefined) return `resource ${typeof resource === 'string' ? resource : 'of unresolved value'} is not an object of an AWS-owned bucket of ${own.region} named in policies/${AWS_OWNED_BUCKETS_FILE}`;
  return undefined;
}

/**
 * An S3 endpoint policy without its read-only exceptions for AWS-owned buckets (kept statements keep
 * their original labels), and the reasons the other statements are not such exceptions, by label.
 */
function withoutAwsOwnedExceptions(doc: unknown, own: Own): { doc: unknown; notException: Map<string, string> } {
  const notException = new Map<string, string>();
  const d = doc as { Statement?: unknown };
  if (d === null || typeof d !== 'object' || d.Statement === undefined) return { doc, notException };
  const kept: unknown[] = [];
  asList(d.Statement).forEach((st, i) => {
    if (st === null || typeof st !== 'object') { kept.push(st); return; }
    const s = st as Record<string, unknown>;
    const sid = typeof s.Sid === 'string' ? s.Sid : `statement ${i + 1}`;
    const why = notAwsOwnedException(s, own);
    if (why === undefined) return;
    notException.set(sid, why);
    kept.push({ ...s, Sid: sid });
  });
  return { doc: { ...d, Statement: kept }, notException };
}

/**
 * Every VPC endpoint has a policy, and no Allow statement with a wildcard principal lets a principal
 * outside the own account and organization through it: the policy is evaluated (lib/policy) for
 * principals of a foreign account and organization, and of every account or organization it names
 * that is not the own (an organization id with none configured cannot be verified). On an S3 endpoint,
 * statements that only read objects of the AWS-owned buckets of the region that AWS documents as
 * data-perimeter exceptions (policies/vpce/s3-aws-owned-buckets.json) are not counted: anyone may read
 * those public buckets, and nothing can be written or taken elsewhere through them.
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
  const { doc, notException } = svc === 's3' ? withoutAwsOwnedExceptions(policyJson(ix, node, p.PolicyDocument), own) : { doc: policyJson(ix, node, p.PolicyDocument), notException: new Map<string, string>() };
  // Every request through the endpoint comes from its VPC (as the policy would name it: a stand-in for a
  // reference, unknown when it cannot be read), beside the documents so that shared answers rename it with them.
  const vpc = (policyJson(ix, node, { Vpc: p.VpcId }) as { Vpc?: ContextValue }).Vpc;
  const a = sharedAnswer(ix, `endpoint ${svc}`, [doc, { Vpc: vpc }], endpointId, own, ([d, net], subject) => throughEndpoint(d, own, {
    defaultActions: actions, defaultResources: resources, wildcardOnly: true, serviceDelivery: false,
    context: { 'aws:SourceVpce': subject, 'aws:VpcSourceIp': VPC_HOST_ADDRESS, ...vpcOf(net) },
  }));
  if (!decided(a, 'who the endpoint policy admits')) return NagRuleCompliance.COMPLIANT;
  // On an S3 endpoint, say why a statement that lets outsiders through is not an AWS-owned bucket exception.
  const hint = (w: string): string => {
    const named = (/^(.*?) lets /.exec(w)?.[1] ?? '').split(', ').filter((l) => notException.has(l));
    return named.length === 0 ? '' : ` (not a read-only exception for AWS-owned buckets: ${named.map((l) => `${l}: ${notException.get(l)}`).join('; ')})`;
  };
  return reasons(a.why.map((w) => `${showOwn(w).replace(/^(.*?) lets /, '$1 allows Principal * beyond the own account and organization: it lets ')}${svc === 's3' ? hint(w) : ''}`));
}

export const VPCEndpointPolicyRestrictedMeta: RuleMetadata = {
  ruleName: 'VPCEndpointPolicyRestricted',
  controlIds: ['EXF-ENDPOINTPOLICY'],
  cites: ['nist-800-53:AC-4', 'nist-800-53:SC-7'],
  level: 'warning',
  resourceTypes: ['AWS::EC2::VPCEndpoint'],
  info: 'The VPC endpoint has no policy, or its policy allows any principal without limiting it to the own account or organization.',
  explanation: 'Lesson L6 (exfiltration is blocked or noticed): an endpoint with the default full-access policy lets a stolen credential from any account carry data out through it, to the attacker\'s own bucket (T1537, T1567.002).',
  fix: 'Add an endpoint policy (endpoint.addToPolicy) whose Allow statements name the principals, or keep Principal * only with Condition StringEquals aws:PrincipalOrgID (or aws:PrincipalAccount) (SegmentedVpc does this). '
    + 'On an S3 endpoint, Principal * may read (s3:GetObject only) objects of the AWS-owned buckets of the region named in policies/vpce/s3-aws-owned-buckets.json (package repositories, SSM, CloudWatch agent, ECR layers); nothing else.',
};

/**
 * Can an outsider get through the endpoint, to a resource of the own account or of another one? An
 * endpoint carries requests to any account's resources (the attacker's own bucket included), so a
 * condition on the resource (aws:ResourceAccount, aws:ResourceOrgID) naming another account or
 * organization limits no principal: each is tried as the resource's account or organization, with a
 * foreign one. A yes for an account or organization the policy names is certain only when the own one
 * is known to differ from it.
 */
function throughEndpoint(doc: unknown, own: Own, o: OutsiderOptions): Answer {
  const named = namedIdentities(doc);
  const accounts = [own.account, FOREIGN_ACCOUNT, ...named.accounts.filter((x) => x !== own.account && x !== OWN_ACCOUNT_PLACEHOLDER && x !== FOREIGN_ACCOUNT)];
  const orgs = [FOREIGN_ORG, ...named.orgs.filter((x) => x !== own.organizationId)];
  const unknowns: string[] = [];
  for (const account of accounts) {
    for (const org of account === own.account ? [undefined] : orgs) {
      const foreign = account !== own.account;
      const a = outsiderAccess(doc, own, !foreign ? o : {
        ...o,
        defaultResources: o.defaultResources.map((r) => r.replace(`:${own.account}:`, `:${account}:`)),
        context: { ...o.context, 'aws:ResourceAccount': account, 'aws:ResourceOrgID': org! },
      }, 'endpoint policy');
      const where = foreign ? ` on a resource of account ${account} in organization ${org}` : '';
      const doubt = !foreign ? undefined
        : account !== FOREIGN_ACCOUNT && own.account === OWN_ACCOUNT_PLACEHOLDER ? `the own account is not known to compare ${account} with`
          : org !== FOREIGN_ORG && own.organizationId === undefined ? `no own organization is configured to compare ${org} with` : undefined;
      if (a.yes === true && doubt === undefined) return { yes: true, why: a.why.map((w) => `${w}${where}`) };
      if (a.yes === true) unknowns.push(...a.why.map((w) => `${w}${where}, and ${doubt}`));
      // A malformed policy is the same reason on every resource: said once.
      else if (a.yes === 'unknown') unknowns.push(...a.why.map((w) => (/ (lets|may call) /.test(w) ? `${w}${where}` : w)));
    }
  }
  return unknowns.length > 0 ? { yes: 'unknown', why: [...new Set(unknowns)].slice(0, 3) } : { yes: false, why: [] };
}
