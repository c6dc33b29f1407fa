import { CfnResource } from 'aws-cdk-lib';
import { wildcardMatch } from '../../../policy';
import { ResourceIndex } from '../../resource-index';
import { PrincipalKind, Statement, principalKinds, statements, strings } from '../common';
import { l2OnlyServicePrincipals } from './l2-policy';

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

export const HUMAN_KINDS: ReadonlySet<PrincipalKind> = new Set(['account', 'user', 'any']);

/** The Allow statements of a role's trust policy that let someone assume it, with their principals. */
export function trustStatements(ix: ResourceIndex, role: CfnResource): { statement: Statement; kinds: PrincipalKind[]; saml: boolean }[] {
  const out: { statement: Statement; kinds: PrincipalKind[]; saml: boolean }[] = [];
  for (const s of statements(ix.props(role).AssumeRolePolicyDocument, 'AssumeRolePolicyDocument')) {
    if (s.Effect !== 'Allow') continue;
    const actions = s.Action === undefined ? [] : strings(s.Action, 'trust Action');
    // By meaning: sts:Assume*, sts:*Role and * all let the principal assume the role.
    if (s.Action !== undefined && !actions.some((a) => ASSUME_ACTIONS.some((x) => wildcardMatch(a, x, true)))) continue;
    const kinds = principalKinds(ix, role, s.Principal, 'trust Principal');
    const saml = actions.some((a) => wildcardMatch(a, 'sts:AssumeRoleWithSAML', true));
    out.push({ statement: s, kinds, saml });
  }
  return out;
}

/** Fast path: the L2 trust policy admits only AWS services, so no statement needs resolving. */
export function onlyServices(ix: ResourceIndex, role: CfnResource): boolean {
  return l2OnlyServicePrincipals(ix.rawProp(role, 'AssumeRolePolicyDocument')) === true;
}

/** Whether people assume the role: an account, user or any principal, or a SAML federation. */
export function isHumanRole(ix: ResourceIndex, role: CfnResource): boolean {
  if (onlyServices(ix, role)) return false;
  return trustStatements(ix, role).some((t) => t.saml || t.kinds.some((k) => HUMAN_KINDS.has(k)));
}
