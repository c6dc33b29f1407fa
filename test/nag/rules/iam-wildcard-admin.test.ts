import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Finding } from '../../../lib/findings';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule, param } from '../helpers';

/**
 * IAMPolicyNoWildcardAdmin, statement by statement: which statements it reads (Allow only; Action or
 * NotAction; Resource or NotResource) and what its FAIL says about each.
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const INFO = rulesNamed(rule)[0].info.replace(/\.$/, '');
/** The reasons of a FAIL, as the message lists them after the rule's info. */
const reasonsOf = (f: Finding | undefined): string => {
  expect(f!.message.startsWith(`${INFO} (`)).toBe(true);
  return f!.message.slice(INFO.length + 2, -1);
};
/** An L1 policy held by a role named app (no role of the app), with these statements. */
const policy = (...Statement: Record<string, unknown>[]) => (s: Stack) => {
  new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['app'], policyDocument: { Version: '2012-10-17', Statement } });
};

describe('IAMPolicyNoWildcardAdmin: which statements grant', () => {
  test('a Deny of * on * grants nothing: PASS', () => {
    expectRule(rule, policy({ Effect: 'Deny', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'Pol', 'PASS');
  });
  test('an Allow with NotAction on * allows every action it does not list: FAIL, saying so', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows every action but NotAction ["iam:*"] on *: NotAction allows every action it does not list');
  });
  test('an Allow of an admin action with NotResource leaves every other resource: FAIL, saying so', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], NotResource: 'arn:aws:s3:::audit/*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:* on every resource but NotResource "arn:aws:s3:::audit/*": NotResource leaves every other resource');
    const n = expectRule(rule, policy({ Effect: 'Allow', NotAction: 's3:DeleteBucket', NotResource: ['arn:aws:s3:::audit'] }), 'Pol', 'FAIL');
    expect(reasonsOf(n)).toBe('statement #0 allows every action but NotAction "s3:DeleteBucket" on every resource but NotResource ["arn:aws:s3:::audit"]: NotResource leaves every other resource');
  });
  test('named actions with NotResource are no admin grant: PASS', () => {
    expectRule(rule, policy({ Effect: 'Allow', Action: ['s3:GetObject', 'iam:GetRole'], NotResource: 'arn:aws:s3:::audit/*' }), 'Pol', 'PASS');
  });
  test('an Allow of * with neither Resource nor NotResource (IAM rejects the policy) grants nothing: PASS', () => {
    expectRule(rule, policy({ Effect: 'Allow', Action: '*' }), 'Pol', 'PASS');
  });
  test('a statement with an empty Sid is named by its index', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: '', Effect: 'Allow', Action: '*', Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #1 allows * on *: the action pattern covers every action of every service');
  });
  test('a statement is named by its Sid; a numeric Sid (not IAM\'s string) by its index', () => {
    const f = expectRule(rule, policy({ Sid: 'Ops', Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe("statement 'Ops' allows ec2:* on *: the action pattern covers every action of ec2");
    const n = expectRule(rule, policy({ Sid: 7, Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(n)).toBe('statement #0 allows ec2:* on *: the action pattern covers every action of ec2');
  });
  test('an inline policy of a role is named by its PolicyName, or by its index without one', () => {
    const f = expectRule(rule, (s) => {
      const u = new iam.CfnUser(s, 'U', {
        policies: [
          { policyName: 'read', policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
          { policyName: 'ops', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } },
          { policyName: 'keys', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } },
        ],
      });
      u.addPropertyDeletionOverride('Policies.2.PolicyName');
    }, 'U', 'FAIL');
    expect(reasonsOf(f)).toBe("inline policy 'ops' statement #0 allows ec2:* on *: the action pattern covers every action of ec2; inline policy #2 statement #0 allows kms:* on *: the action pattern covers every action of kms");
  });
});

describe('IAMPolicyNoWildcardAdmin: one reason per statement and resource, naming every admin action on it', () => {
  test('several whole services on *: the FAIL names them all in one reason', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:*', 'ec2:*'], Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:*, ec2:* on *: the action patterns cover every action of s3, ec2');
  });
  test('every service and one service on *: each action with its own reason', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['*', 's3:*'], Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows *, s3:* on *: *: the action pattern covers every action of every service; s3:*: the action pattern covers every action of s3');
  });
  test('whole services on a resource pattern as wide as "*": each action with its reason, naming the resource pattern', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: 'arn:*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:*, ec2:* on arn:*: s3:*: the action pattern covers every action of s3 and the resource pattern covers every ARN, as wide as "*"; '
      + 'ec2:*: the action pattern covers every action of ec2 and the resource pattern covers every ARN, as wide as "*"');
  });
  test('a whole service and a self-granting action on *: each with its reason', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['s3:*', 'iam:PutRolePolicy'], Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:*, iam:PutRolePolicy on *: s3:*: the action pattern covers every action of s3; '
      + 'iam:PutRolePolicy: it covers iam:PutRolePolicy, with which the holder can grant itself any permission: admin in effect');
  });
  test('a whole service on * alone: the reason names no resource pattern', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::logs/*', '*'] }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:* on *: the action pattern covers every action of s3');
  });
  test('a whole service on its own ARNs: the reason names the service\'s resources', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows s3:* on arn:aws:s3:::*: the action pattern covers every action of s3 and the resource pattern covers every s3 resource, as wide as "*"');
  });
});

describe('IAMPolicyNoWildcardAdmin: what a self-granting action on every IAM resource says', () => {
  test('on *: which self-granting actions the pattern covers', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 'iam:Put*', Resource: '*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows iam:Put* on *: it covers iam:PutRolePolicy, iam:PutUserPolicy, iam:PutGroupPolicy, with which the holder can grant itself any permission: admin in effect');
  });
  test('on every IAM resource of an account: says the resource pattern covers every IAM resource', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::123456789012:*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe('statement #0 allows iam:PutRolePolicy on arn:aws:iam::123456789012:*: it covers iam:PutRolePolicy (the resource pattern covers every IAM resource), with which the holder can grant itself any permission: admin in effect');
  });
  test('on every role: names only the actions on roles', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: ['iam:Put*', 'iam:Attach*'], Resource: 'arn:aws:iam::*:role/*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe("statement #0 allows iam:Put*, iam:Attach* on arn:aws:iam::*:role/*: iam:Put*: it covers iam:PutRolePolicy and the resource pattern covers every role, the holder's own among them, with which the holder can grant itself any permission: admin in effect; "
      + "iam:Attach*: it covers iam:AttachRolePolicy and the resource pattern covers every role, the holder's own among them, with which the holder can grant itself any permission: admin in effect");
  });
  test('on every role, user and group (a pattern of all three types): names each type and its actions', () => {
    const f = expectRule(rule, policy({ Effect: 'Allow', Action: 'iam:Put*', Resource: 'arn:aws:iam::*:*r*/*' }), 'Pol', 'FAIL');
    expect(reasonsOf(f)).toBe("statement #0 allows iam:Put* on arn:aws:iam::*:*r*/*: it covers iam:PutRolePolicy, iam:PutUserPolicy, iam:PutGroupPolicy and the resource pattern covers every role, every user, every group, the holder's own among them, with which the holder can grant itself any permission: admin in effect");
  });
});

describe('IAMPolicyNoWildcardAdmin: what it cannot read is cannot verify, never PASS', () => {
  test('an action from a parameter', () => {
    const f = expectRule(rule, (s) => policy({ Effect: 'Allow', Action: [param(s)], Resource: '*' })(s), 'Pol', 'ERROR');
    expect(f!.message).toContain('(cannot verify Action: unresolved value');
  });
  test('a policy document from a parameter', () => {
    const f = expectRule(rule, (s) => {
      new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['app'], policyDocument: param(s) });
    }, 'Pol', 'ERROR');
    expect(f!.message).toContain('(cannot verify policy: unresolved value');
  });
  test('inline policies chosen by a condition (Fn::If), as a list or one of them', () => {
    const admin = { PolicyName: 'admin', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const whole = expectRule(rule, (s) => {
      const r = new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} });
      r.addPropertyOverride('Policies', { 'Fn::If': ['IsProd', [], [admin]] });
    }, 'R', 'ERROR');
    expect(whole!.message).toContain('(cannot verify Policies: unresolved value');
    const one = expectRule(rule, (s) => {
      const r = new iam.CfnRole(s, 'R', { assumeRolePolicyDocument: {} });
      r.addPropertyOverride('Policies', [{ 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, admin] }]);
    }, 'R', 'ERROR');
    expect(one!.message).toContain('(cannot verify inline policy: unresolved value');
  });
  test('a resource from a parameter, with an action that would be admin on "*"', () => {
    const f = expectRule(rule, (s) => policy({ Sid: 'Wide', Effect: 'Allow', Action: 's3:*', Resource: param(s) })(s), 'Pol', 'ERROR');
    expect(f!.message).toContain('(cannot verify Resource of statement \'Wide\' (a parameter in it could make it "*"): unresolved value');
  });
});

describe('IAMPolicyNoWildcardAdmin: a managed policy used only as a boundary', () => {
  const narrowL1 = (s: Stack) => new iam.CfnManagedPolicy(s, 'Boundary', {
    policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] },
  });
  test('a narrow one is judged like any policy: PASS', () => {
    expectRule(rule, (s) => {
      const b = narrowL1(s);
      new iam.CfnRole(s, 'Bounded', { assumeRolePolicyDocument: {}, permissionsBoundary: b.ref });
    }, 'Boundary', 'PASS');
  });
  test('a narrow one passes though an attachment elsewhere is a parameter', () => {
    expectRule(rule, (s) => {
      const b = narrowL1(s);
      new iam.CfnRole(s, 'Bounded', { assumeRolePolicyDocument: {}, permissionsBoundary: b.ref });
      new iam.CfnRole(s, 'Other', { assumeRolePolicyDocument: {}, managedPolicyArns: [param(s)] });
    }, 'Boundary', 'PASS');
  });
  test('an admin one, when another principal attaches a managed policy by parameter: says which principal', () => {
    const f = expectRule(rule, (s) => {
      const b = new iam.CfnManagedPolicy(s, 'Boundary', { policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
      new iam.CfnRole(s, 'Bounded', { assumeRolePolicyDocument: {}, permissionsBoundary: b.ref });
      new iam.CfnRole(s, 'Other', { assumeRolePolicyDocument: {}, managedPolicyArns: [param(s)] });
    }, 'Boundary', 'ERROR');
    expect(f!.message).toContain('(cannot verify whether this permissions boundary is also attached as a grant through ManagedPolicyArns of S/Other: unresolved value {"Ref":"P"})');
  });
  test('a resource that is no IAM resource is not read', () => {
    expectRule(rule, (s) => new CfnResource(s, 'X', { type: 'AWS::SQS::Queue' }), 'X', 'N/A');
  });
});
