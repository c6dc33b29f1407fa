import { enforcesMfa } from '../../mfa-policy';
import { defineCheck, userResource, usersResource } from '../check';

/**
 * Every IAM user sits in at least one group whose inline or attached customer-managed policy denies
 * everything without MFA (Deny + BoolIfExists aws:MultiFactorAuthPresent false), recognized by what
 * the policy says, not by its name.
 */
export default defineCheck({
  id: 'iam-user-mfa-group',
  controlId: 'IAM-MFA',
  title: 'Users are in a group that enforces MFA',
  severity: 'warning',
  remediation: 'Add the user to a group carrying the require-mfa policy (policies/iam/require-mfa.json), or replace the user with federation.',
}, (s, _settings, emit) => {
  const auth = s.iam.authorization;
  if (!auth.ok) return emit.error(usersResource(s), auth.failure);
  const managed = new Map(auth.value.policies.map((p) => [p.arn, p]));
  const enforcing = new Set(auth.value.groups
    .filter((g) => g.inlinePolicies.some((p) => enforcesMfa(p.document))
      || g.attachedPolicyArns.some((arn) => { const p = managed.get(arn); return p !== undefined && enforcesMfa(p.document); }))
    .map((g) => g.name));
  const outside = auth.value.users.filter((u) => !u.groups.some((g) => enforcing.has(g)));
  for (const u of outside) {
    const groups = u.groups.length > 0 ? `groups ${u.groups.join(', ')} do not enforce MFA` : 'no group';
    emit.fail(userResource(s, u.arn), `user ${u.name} is outside every MFA-enforcing group (${groups})`);
  }
  if (outside.length === 0) {
    emit.pass(usersResource(s), `all ${auth.value.users.length} users are in an MFA-enforcing group (${[...enforcing].sort().join(', ') || 'none needed'})`);
  }
});
