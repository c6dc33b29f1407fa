import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { PlaceholderValues, SCP_MAX_CHARS, SCP_NAMES, loadPolicy, minifiedLength } from '../policies';

export type ScpName = typeof SCP_NAMES[number];

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
    if (props.targetIds.length === 0) throw new Error('targetIds must list at least one root, organizational unit or account');
    for (const t of props.targetIds) {
      if (!TARGET_ID.test(t)) throw new Error(`targetIds: '${t}' is not a root (r-...), organizational unit (ou-...-...) or 12-digit account id`);
    }
    const prefix = props.namePrefix ?? 'cdk-hardening';
    for (const name of props.policies ?? SCP_NAMES) {
      if (!(SCP_NAMES as readonly string[]).includes(name)) throw new Error(`unknown service control policy '${name}'; known: ${SCP_NAMES.join(', ')}`);
      const content = loadPolicy(name, props.values);
      const size = minifiedLength(content);
      if (size >= SCP_MAX_CHARS) throw new Error(`${name} is ${size} characters minified; service control policies must stay under ${SCP_MAX_CHARS}`);
      const short = name.slice('scp/'.length);
      this.policies[name] = new organizations.CfnPolicy(this, short.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join(''), {
        name: `${prefix}-${short}`,
        type: 'SERVICE_CONTROL_POLICY',
        description: `cdk-hardening guardrail from policies/${name}.json`,
        content,
        targetIds: [...props.targetIds],
      });
    }
  }
}
