import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';
import { decideWithResource, resolve, roleArn } from '../policies/killchain-attack-helpers';
import { ACCOUNT } from '../policies/simulate';

/**
 * Issue 10 items 4 and 5 on the synthesized identity stack: people enter only through the
 * MFA-bound human role of their own level, which carries the boundary. A member of the operators
 * group, signed in with MFA, cannot assume the administrators role; the group's own policies grant
 * nothing beyond that.
 */

const config = parseConfig({ ...cdkJsonContext(), 'hardening:account': ACCOUNT, 'hardening:identityCenterInstanceArn': 'arn:aws:sso:::instance/ssoins-1234567890abcdef' });
const app = new App({ context: cdkJsonContext() });
const env = buildHardenedEnvironment(app, config);
const identity = Template.fromStack(env.identity);

/** The group's managed policies, resolved: the identity policies of a member. */
function groupPolicies(level: string): object[] {
  const [group] = Object.values(identity.findResources('AWS::IAM::Group')).filter((g) => g.Properties.GroupName === `Hardening-${level}`);
  const policies = identity.findResources('AWS::IAM::ManagedPolicy');
  return (group.Properties.ManagedPolicyArns as { Ref: string }[]).map((ref) => {
    const p = policies[ref.Ref];
    if (!p) throw new Error(`group ${level} has a policy this stack does not define: ${JSON.stringify(ref)}`);
    // A Ref to a human role is its RoleName.
    return resolve(JSON.parse(JSON.stringify(p.Properties.PolicyDocument)
      .replace(/\{"Ref":"([A-Za-z]+)Role[0-9A-F]{8}"\}/g, (_, l: string) => `"Hardening-${l.toLowerCase()}"`))) as object;
  });
}

function trustOf(level: string): object {
  const [role] = Object.values(identity.findResources('AWS::IAM::Role')).filter((r) => r.Properties.RoleName === `Hardening-${level}`);
  return resolve(role.Properties.AssumeRolePolicyDocument) as object;
}

const member = (level: string) => `arn:aws:iam::${ACCOUNT}:user/${level}-member`;
const withMfa = (level: string) => ({ 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60', 'aws:username': `${level}-member` });

describe('item 4: groups grant little more than assuming their own MFA-bound role', () => {
  it('no group carries an AWS managed access policy (AdministratorAccess, PowerUserAccess): those live on the bounded roles', () => {
    for (const g of Object.values(identity.findResources('AWS::IAM::Group'))) {
      expect(JSON.stringify(g.Properties.ManagedPolicyArns)).not.toMatch(/iam::aws:policy/);
    }
  });

  it.each(['administrators', 'operators'])('a %s member signed in with MFA cannot stop the trail or read PII with the group\'s own policies', async (level) => {
    const identityPolicies = groupPolicies(level);
    for (const [action, resource] of [
      ['cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Hardening-security-trail`],
      ['guardduty:DeleteDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d1`],
      ['s3:GetObject', 'arn:aws:s3:::pii/k'],
      ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/${level}-member`],
    ]) {
      expect([action, await decideWithResource({ principal: member(level), action, resource, context: withMfa(level), identityPolicies })])
        .toEqual([action, 'ImplicitlyDenied']);
    }
  });

  it('a member with MFA assumes their own level\'s role', async () => {
    for (const level of ['administrators', 'operators', 'auditors']) {
      const r = await decideWithResource({
        principal: member(level), action: 'sts:AssumeRole', resource: roleArn(`Hardening-${level}`), context: withMfa(level),
        identityPolicies: groupPolicies(level), resourcePolicy: trustOf(level),
      });
      expect([level, r]).toEqual([level, 'Allowed']);
    }
  });

  it('item 5: an operators member with MFA cannot assume the administrators role', async () => {
    expect(await decideWithResource({
      principal: member('operators'), action: 'sts:AssumeRole', resource: roleArn('Hardening-administrators'), context: withMfa('operators'),
      identityPolicies: groupPolicies('operators'), resourcePolicy: trustOf('administrators'),
    })).toBe('ImplicitlyDenied');
  });

  it('a stolen access key of an administrators member (no MFA key) assumes nothing', async () => {
    expect(await decideWithResource({
      principal: member('administrators'), action: 'sts:AssumeRole', resource: roleArn('Hardening-administrators'), context: { 'aws:username': 'administrators-member' },
      identityPolicies: groupPolicies('administrators'), resourcePolicy: trustOf('administrators'),
    })).not.toBe('Allowed');
  });
});

describe('item 4: Identity Center permission sets carry the permissions boundary', () => {
  it('every permission set names the identity stack\'s boundary policy, which exists under that name', () => {
    const sets = Object.values(identity.findResources('AWS::SSO::PermissionSet'));
    expect(sets).toHaveLength(3);
    for (const s of sets) {
      expect(s.Properties.PermissionsBoundary).toEqual({ CustomerManagedPolicyReference: { Name: 'HardeningIdentity-permissions-boundary', Path: '/' } });
    }
    identity.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'HardeningIdentity-permissions-boundary' });
  });
});
