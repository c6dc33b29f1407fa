import { App, Aws, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Finding } from '../../../lib/findings';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param } from '../helpers';

/**
 * IAMPolicyNoWildcardAdmin on a self-granting action whose resource pattern may match the ARN of the
 * role, user or group holding the policy: that ARN as IAM gives it (path, name, account), what a
 * parameter in it could make it (cannot verify), and what the FAIL shows of it.
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const INFO = rulesNamed(rule)[0].info.replace(/\.$/, '');
const reasonsOf = (f: Finding | undefined): string => {
  expect(f!.message.startsWith(`${INFO} (`)).toBe(true);
  return f!.message.slice(INFO.length + 2, -1);
};
const GRANT = 'with which the holder can grant itself any permission: admin in effect';
/** A role with an inline policy allowing `Action` on `Resource`. */
const roleWith = (s: Stack, Action: unknown, Resource: unknown, props: Partial<iam.CfnRoleProps> = {}) => new iam.CfnRole(s, 'R', {
  assumeRolePolicyDocument: {}, ...props,
  policies: [{ policyName: 'iam-admin', policyDocument: { Statement: [{ Effect: 'Allow', Action, Resource }] } }],
});
/** A policy holding one statement, naming its holders. */
const policyFor = (s: Stack, holders: Partial<iam.CfnPolicyProps>, Action: unknown, Resource: unknown) => new iam.CfnPolicy(s, 'Pol', {
  policyName: 'p', ...holders, policyDocument: { Statement: [{ Effect: 'Allow', Action, Resource }] },
});

describe('IAMPolicyNoWildcardAdmin: the holder\'s own ARN', () => {
  test('a role at the default path may write its own policies (its exact ARN): FAIL, showing that ARN', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/deployer', { roleName: 'deployer' }), 'R', 'FAIL');
    expect(reasonsOf(f)).toBe(`inline policy 'iam-admin' statement #0 allows iam:PutRolePolicy on arn:aws:iam::*:role/deployer: it covers iam:PutRolePolicy and the resource pattern covers the holder's own ARN (arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/deployer), ${GRANT}`);
  });
  test('the FAIL names every action that writes or attaches policies to the holder itself', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:*RolePolicy', 'arn:aws:iam::*:role/app/*', { roleName: 'deployer', path: '/app/' }), 'R', 'FAIL');
    expect(reasonsOf(f)).toBe(`inline policy 'iam-admin' statement #0 allows iam:*RolePolicy on arn:aws:iam::*:role/app/*: it covers iam:PutRolePolicy, iam:AttachRolePolicy and the resource pattern covers the holder's own ARN (arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/app/deployer), ${GRANT}`);
  });
  test('a role without a name (CloudFormation names it after the stack and its logical id): the FAIL shows the generated part', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:AttachRolePolicy', 'arn:aws:iam::*:role/S-*'), 'R', 'FAIL');
    expect(reasonsOf(f)).toContain("the holder's own ARN (arn:${AWS::Partition}:iam::${AWS::AccountId}:role/S-R-…)");
  });
  test('a role without a name in a nested stack (whose name CloudFormation makes too): the FAIL shows both unknown parts', () => {
    const f = expectRule(rule, (s) => roleWith(new NestedStack(s, 'N'), 'iam:PutRolePolicy', 'arn:aws:iam::*:role/?*-R*'), 'N/R', 'FAIL');
    expect(reasonsOf(f)).toContain("the holder's own ARN (arn:${AWS::Partition}:iam::${AWS::AccountId}:role/…-R-…)");
  });
  test('a role named after its stack (AWS::StackName: one fixed name) at a path of a resource of the app: FAIL naming both unknowns', () => {
    const f = expectRule(rule, (s) => {
      const maker = new CfnResource(s, 'PathMaker', { type: 'Custom::Path' });
      roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/*/*', { roleName: { Ref: 'AWS::StackName' } as unknown as string, path: maker.ref });
    }, 'R', 'FAIL');
    expect(reasonsOf(f)).toContain("the holder's own ARN (arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Path}/${RoleName})");
  });
  test('a role named after its stack (AWS::StackName, a value the rule does not read) may bear the name a pattern covers: cannot verify (it passed: a stack named app-prod makes role/app-* its own)', () => {
    expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*', { roleName: { Ref: 'AWS::StackName' } as unknown as string }), 'R', 'ERROR');
  });
  test('a policy naming a role by a literal name the app does not define: that role at path /, shown in the FAIL', () => {
    const f = expectRule(rule, (s) => policyFor(s, { roles: ['app-ops'] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*'), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toContain("the holder's own ARN (arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-ops)");
  });
});

describe('IAMPolicyNoWildcardAdmin: the holder in a stack of a known account', () => {
  const inAccount = (build: (s: Stack) => void): Finding[] => {
    const app = new App();
    build(new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } }));
    return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') });
  };
  test('a pattern of the account\'s own roles under the holder\'s path: FAIL, showing the account', () => {
    const f = inAccount((s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::123456789012:role/app/*', { roleName: 'deployer', path: '/app/' })).filter((x) => x.resource.id === 'S/R');
    expect(f.map((x) => x.status)).toEqual(['FAIL']);
    expect(reasonsOf(f[0])).toContain("the holder's own ARN (arn:${AWS::Partition}:iam::123456789012:role/app/deployer)");
  });
});

describe('IAMPolicyNoWildcardAdmin: a parameter in the holder\'s ARN', () => {
  test('a parameter name the pattern could match cannot be verified, and says so', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*', { roleName: param(s) }), 'R', 'ERROR');
    expect(f!.message).toContain('(cannot verify whether Resource of inline policy \'iam-admin\' statement #0 covers the holder\'s own ARN (a value in its name or path the rule cannot read could put it there): unresolved value "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{\\"Ref\\":\\"P\\"}"');
  });
  test('a parameter path: the named role may be anywhere under it, so a pattern with its name under another path cannot be verified', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/ops/deployer', { roleName: 'deployer', path: param(s) }), 'R', 'ERROR');
    expect(f!.message).toContain('unresolved value "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{\\"Ref\\":\\"P\\"}/deployer"');
  });
  test('a parameter path may be the default "/": a pattern naming the role at the root may be its own ARN, so it cannot be verified (it passed)', () => {
    const f = expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/deployer', { roleName: 'deployer', path: param(s) }), 'R', 'ERROR');
    expect(f!.message).toContain('unresolved value "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{\\"Ref\\":\\"P\\"}/deployer"');
  });
  test('a parameter path still ends with "/": a pattern of a role ops-deployer at the root is not the holder: PASS', () => {
    expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/ops-deployer', { roleName: 'deployer', path: param(s) }), 'R', 'PASS');
  });
  test('a parameter path and a generated name: a pattern of that generated name under some path may be the holder\'s own ARN: cannot verify', () => {
    expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/ops/S-R-*', { path: param(s) }), 'R', 'ERROR');
  });
  test('a parameter path and a generated name: a pattern naming only a path (no role) is not the holder: PASS', () => {
    expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/ops/', { path: param(s) }), 'R', 'PASS');
  });
  test('a parameter name at the default path: a pattern of another resource type (role-templates/) is not the holder: PASS', () => {
    expectRule(rule, (s) => roleWith(s, 'iam:PutRolePolicy', 'arn:aws:iam::*:role-templates/*', { roleName: param(s) }), 'R', 'PASS');
    expectRule(rule, (s) => policyFor(s, { roles: [param(s)] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role-templates/*'), 'Pol', 'PASS');
  });
  test('a policy for the role named after the stack is held by a role the rule cannot name, not by a role of the app whose name is the text "undefined"', () => {
    expectRule(rule, (s) => {
      new iam.CfnRole(s, 'Odd', { assumeRolePolicyDocument: {}, roleName: 'undefined', path: '/legacy/' });
      policyFor(s, { roles: [Aws.STACK_NAME] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/legacy/*');
    }, 'Pol', 'ERROR');
  });
  test('a policy whose Roles is one parameter (a list the rule cannot read) may be held by any role: cannot verify', () => {
    expectRule(rule, (s) => {
      const p = policyFor(s, { roles: ['x'] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*');
      p.addPropertyOverride('Roles', { Ref: 'RoleNames' });
    }, 'Pol', 'ERROR');
  });
});

describe('IAMPolicyNoWildcardAdmin: who holds a policy', () => {
  test('a role of the app named by reference or by its literal name is that role, at its own path', () => {
    const deployer = (s: Stack) => new iam.CfnRole(s, 'D', { assumeRolePolicyDocument: {}, roleName: 'deployer', path: '/app/' });
    expectRule(rule, (s) => policyFor(s, { roles: [deployer(s).ref] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app/*'), 'Pol', 'FAIL');
    expectRule(rule, (s) => { deployer(s); policyFor(s, { roles: ['deployer'] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app/*'); }, 'Pol', 'FAIL');
    expectRule(rule, (s) => policyFor(s, { roles: [deployer(s).ref] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/deployer'), 'Pol', 'PASS');
    expectRule(rule, (s) => { deployer(s); policyFor(s, { roles: ['deployer'] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/deployer'); }, 'Pol', 'PASS');
  });
  test('a managed policy attached to no role, user or group has no holder: a pattern of some roles passes', () => {
    expectRule(rule, (s) => new iam.CfnManagedPolicy(s, 'Pol', {
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::*:role/app-*' }] },
    }), 'Pol', 'PASS');
  });
  test('a policy held only by users does not hold a role: a role pattern over the stack\'s roles passes', () => {
    expectRule(rule, (s) => policyFor(s, { users: ['ops'] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/S*'), 'Pol', 'PASS');
  });
  test('a user of the app listed under Roles (CloudFormation rejects it) is not the policy\'s holder', () => {
    expectRule(rule, (s) => {
      const u = new iam.CfnUser(s, 'U', { userName: 'ops' });
      policyFor(s, { roles: [u.ref] }, 'iam:PutUserPolicy', 'arn:aws:iam::*:user/ops');
    }, 'Pol', 'PASS');
  });
  test('a role named by an attribute of a resource that is no role (a custom resource\'s output) may be any role: cannot verify (it was no holder at all: PASS)', () => {
    expectRule(rule, (s) => {
      const c = new CfnResource(s, 'Maker', { type: 'Custom::RoleName' });
      policyFor(s, { roles: [c.getAtt('Name').toString()] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role/app-*');
    }, 'Pol', 'ERROR');
    expectRule(rule, (s) => {
      const c = new CfnResource(s, 'Maker', { type: 'Custom::RoleName' });
      policyFor(s, { roles: [c.getAtt('Name').toString()] }, 'iam:PutRolePolicy', 'arn:aws:iam::*:role-templates/*');
    }, 'Pol', 'PASS');
  });
});
