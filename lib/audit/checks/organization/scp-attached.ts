import { PolicyDocumentJson, loadPolicy, scpValues } from '../../../policies';
import { OrganizationAuditConfig, ScpShortName } from '../../organization/types';
import { ApiFailure } from '../../types';
import { defineOrganizationCheck, managementAccountOf } from './check';

/** JSON with object keys sorted, so two documents compare by meaning, not by key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SCP as the toolkit renders it for this configuration (the same call as the management stack). */
export function renderedScp(name: ScpShortName, config: OrganizationAuditConfig): PolicyDocumentJson {
  return loadPolicy(`scp/${name}` as const, scpValues(config));
}

/** Where two policy documents first differ, for the message: a statement Sid or the top level. */
function firstDifference(expected: PolicyDocumentJson, actual: unknown): string {
  const got = (actual as { Statement?: unknown })?.Statement;
  if (!Array.isArray(got)) return 'it has no Statement list';
  for (let i = 0; i < Math.max(expected.Statement.length, got.length); i++) {
    const e = expected.Statement[i];
    const a = got[i] as { Sid?: string } | undefined;
    if (canonical(e) !== canonical(a)) return `statement ${i + 1} (${e?.Sid ?? a?.Sid ?? 'no Sid'}) differs`;
  }
  return 'the top level differs';
}

/**
 * Each service control policy of `scpTargets` is attached to each of its targets with exactly the
 * content the toolkit renders from policies/scp (organizations:ListPoliciesForTarget, DescribePolicy).
 */
export default defineOrganizationCheck({
  id: 'org-scp-attached',
  controlId: 'LOG-TAMPER',
  title: 'Each SCP is attached where configured, with the rendered content',
  severity: 'error',
  remediation: 'Deploy the <prefix>OrgManagement stack from the same configuration; a policy changed by hand is put back by the next deployment (or aws organizations update-policy --content file://...).',
}, (input, emit) => {
  const s = input.organization;
  const mgmt = managementAccountOf(input) ?? s.callerAccount;
  const entries = Object.entries(input.config.scpTargets).filter((e): e is [ScpShortName, readonly string[]] => Array.isArray(e[1]));
  if (entries.every(([, targets]) => targets.length === 0)) {
    return emit.fail({ id: `arn:${s.partition}:organizations::${mgmt}:policy/*`, type: 'AWS::Organizations::Policy', account: mgmt },
      'scpTargets attaches no service control policy: nothing stops an administrator of a member account from switching the security services off');
  }
  const attachedTo = new Map(s.policies.map((p) => [p.targetId, p.attached]));
  for (const [name, targets] of entries) {
    const expected = renderedScp(name, input.config);
    const want = canonical(expected);
    for (const target of targets) {
      const r = { id: `scp/${name}@${target}`, type: 'AWS::Organizations::Policy', account: mgmt };
      const attached = attachedTo.get(target);
      if (!attached) {
        emit.cannotVerify(r, `the policies attached to ${target} were not collected`);
        continue;
      }
      if (!attached.ok) {
        emit.error(r, attached.failure);
        continue;
      }
      const customer = attached.value.filter((p) => !p.awsManaged);
      const match = customer.find((p) => p.content?.ok && canonical(p.content.value) === want);
      if (match) {
        emit.pass(r, `${name} is attached to ${target} as ${match.name} (${match.id}) with the content rendered from policies/scp/${name}.json`);
        continue;
      }
      let unreadable: ApiFailure | undefined;
      for (const p of customer) if (p.content && !p.content.ok) unreadable ??= p.content.failure;
      const named = customer.find((p) => p.name.endsWith(`-${name}`) || p.name === name);
      if (named?.content?.ok) {
        emit.fail(r, `${named.name} (${named.id}) attached to ${target} is not what policies/scp/${name}.json renders: ${firstDifference(expected, named.content.value)}`);
      } else if (unreadable) {
        emit.error(r, unreadable);
      } else if (named && !named.content) {
        emit.cannotVerify(r, `the content of ${named.name} (${named.id}) attached to ${target} was not collected`);
      } else {
        emit.fail(r, `${name} is not attached to ${target}${customer.length ? ` (attached: ${customer.map((p) => p.name).join(', ')})` : ''}`);
      }
    }
  }
});
