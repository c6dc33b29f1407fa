import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { PlaceholderValues, RCP_NAMES, SCP_MAX_CHARS, SCP_NAMES, loadPolicy, minifiedLength } from '../policies';

export type ScpName = typeof SCP_NAMES[number];
export type RcpName = typeof RCP_NAMES[number];

const TARGET_ID = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

export interface ServiceControlPoliciesProps {
  /** Values of the documents' placeholders, usually `scpValues(config)`. */
  readonly values: PlaceholderValues;
  /** Roots (`r-…`), organizational units (`ou-…`) or accounts the policies are attached to. */
  readonly targetIds: readonly string[];
  /** @default - all four: protect-security-services, deny-root-user, region-guard, deny-iam-user-credentials */
  readonly policies?: readonly ScpName[];
  /** Prefix of the policy names in Organizations. @default 'cdk-hardening' */
  readonly namePrefix?: string;
}

/**
 * The guardrails of policies/scp/ as service control policies (LOG-TAMPER, IAM-NOUSERS, IAM-ROOT):
 * one AWS::Organizations::Policy per document, loaded from its file and attached to the targets.
 * Deploy it in the organization's management account (or a delegated policy administrator);
 * test the break-glass role before attaching to production OUs. Each document is checked
 * against the 5,120-character limit at synthesis.
 */
export class ServiceControlPolicies extends Construct {
  public readonly policies: Partial<Record<ScpName, organizations.CfnPolicy>> = {};

  constructor(scope: Construct, id: string, props: ServiceControlPoliciesProps) {
    super(scope, id);
    checkTargets(props.targetIds);
    for (const name of props.policies ?? SCP_NAMES) {
      this.policies[name] = organizationPolicy(this, name, SCP_NAMES, 'SERVICE_CONTROL_POLICY', props);
    }
  }
}

export interface ResourceControlPoliciesProps extends Omit<ServiceControlPoliciesProps, 'policies'> {
  /** @default - every document of policies/rcp (the data perimeter) */
  readonly policies?: readonly RcpName[];
}

/**
 * The resource control policies of policies/rcp (EXF-ENDPOINTPOLICY at organization scale): the data
 * perimeter, where only the organization's principals, and AWS services acting for it, reach the S3
 * buckets, KMS keys, SQS queues, secrets and roles of the accounts below the targets, and only over TLS —
 * whatever a bucket or key policy grants. RCPs never restrict the management account.
 */
export class ResourceControlPolicies extends Construct {
  public readonly policies: Partial<Record<RcpName, organizations.CfnPolicy>> = {};

  constructor(scope: Construct, id: string, props: ResourceControlPoliciesProps) {
    super(scope, id);
    checkTargets(props.targetIds);
    for (const name of props.policies ?? RCP_NAMES) {
      this.policies[name] = organizationPolicy(this, name, RCP_NAMES, 'RESOURCE_CONTROL_POLICY', props);
    }
  }
}

function checkTargets(targetIds: readonly string[]): void {
  if (targetIds.length === 0) throw new Error('targetIds must list at least one root, organizational unit or account');
  for (const t of targetIds) {
    if (!TARGET_ID.test(t)) throw new Error(`targetIds: '${t}' is not a root (r-...), organizational unit (ou-...-...) or 12-digit account id`);
  }
}

/** One document of policies/ as an organization policy of `type`, checked against the 5,120-character limit both types share. */
function organizationPolicy<N extends ScpName | RcpName>(scope: Construct, name: N, known: readonly N[], type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
  props: { readonly values: PlaceholderValues; readonly targetIds: readonly string[]; readonly namePrefix?: string }): organizations.CfnPolicy {
  const kind = type === 'SERVICE_CONTROL_POLICY' ? 'service control policy' : 'resource control policy';
  if (!(known as readonly string[]).includes(name)) throw new Error(`unknown ${kind} '${name}'; known: ${known.join(', ')}`);
  const content = loadPolicy(name, props.values);
  const size = minifiedLength(content);
  if (size >= SCP_MAX_CHARS) throw new Error(`${name} is ${size} characters minified; ${kind.replace(/y$/, 'ies')} must stay under ${SCP_MAX_CHARS}`);
  const short = name.slice(name.indexOf('/') + 1);
  return new organizations.CfnPolicy(scope, short.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join(''), {
    name: `${props.namePrefix ?? 'cdk-hardening'}-${short}`,
    type,
    description: `cdk-hardening guardrail from policies/${name}.json`,
    content,
    targetIds: [...props.targetIds],
  });
}
