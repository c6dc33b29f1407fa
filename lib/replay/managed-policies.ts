import data from './aws-managed-policies.json';

/**
 * AWS managed policies the replay knows by ARN (`arn:<partition>:iam::aws:policy/<path+name>`):
 * the common ones apps attach (AdministratorAccess, PowerUserAccess, ReadOnlyAccess, SecurityAudit,
 * the job-function and service-role policies). The documents are AWS's, taken from the npm package
 * named in `source` (docs/replay.md says how to refresh them). A managed policy not listed here is
 * unknown: decisions that depend on it are UNDECIDABLE, never guessed.
 */
interface ManagedPolicyData {
  readonly source: string;
  readonly policies: Record<string, { readonly version: string; readonly updated: string; readonly document: unknown }>;
}

const DATA = data as unknown as ManagedPolicyData;

export const AWS_MANAGED_POLICY_SOURCE = DATA.source;

/** `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` → `job-function/ViewOnlyAccess`; undefined for other ARNs. */
export function awsManagedPolicyName(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  return m ? m[1] : undefined;
}

/** The document of an AWS managed policy by ARN, with its version; undefined when not known. */
export function awsManagedPolicy(arn: string): { readonly name: string; readonly version: string; readonly document: unknown } | undefined {
  const name = awsManagedPolicyName(arn);
  const p = name === undefined ? undefined : DATA.policies[name];
  return p && name ? { name, version: `${p.version} of ${p.updated}`, document: p.document } : undefined;
}

export function knownAwsManagedPolicies(): string[] {
  return Object.keys(DATA.policies).sort();
}
