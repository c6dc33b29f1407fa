import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, ANY, OPAQUE, adminAction, everyAction, everyArn, everyOfType, matchesArn, wholeServiceCovered } from '../../../lib/nag/rules/iam/admin-patterns';
import { evaluateScope } from '../../../lib/nag/evaluate';
import { rulesNamed } from '../../../lib/nag/rules';
import { expectRule } from '../helpers';

/**
 * The glob automaton behind IAMPolicyNoWildcardAdmin (lib/nag/rules/iam/admin-patterns.ts): which action
 * and resource patterns cover a whole service, every resource of an IAM type, or the holder's own ARN.
 * Through the rule where a policy shows it cheaply, else on the exported functions.
 */
const rule = 'IAMPolicyNoWildcardAdmin';
const allow = (Action: unknown, Resource: unknown, Sid = 'S') => ({ Sid, Effect: 'Allow', Action, Resource });
/** An L1 policy attached to a role named app, holding `statements`. */
const l1 = (...statements: Record<string, unknown>[]) => (s: Stack) => {
  new iam.CfnPolicy(s, 'Pol', { policyName: 'p', roles: ['app'], policyDocument: { Version: '2012-10-17', Statement: statements } });
};
const judged = (action: string, resource: string, status: 'PASS' | 'FAIL' | 'ERROR') => expectRule(rule, l1(allow(action, resource)), 'Pol', status);

describe('IAMPolicyNoWildcardAdmin: a service the patterns cover is named, well-known ones first', () => {
  test('fails when a wildcard covers a well-known service and names it (iam), not the shortest name it covers', () => {
    expect(judged('?*', '*', 'FAIL')!.message).toContain('the action pattern covers every action of iam');
    expect(judged('i*?', '*', 'FAIL')!.message).toContain('the action pattern covers every action of iam');
    expect(wholeServiceCovered('*:*', '*')).toBe('iam');
  });
  test('fails when a wildcard covers only services no list knows: it names the shortest one', () => {
    expect(judged('?:*', '*', 'FAIL')!.message).toContain('the action pattern covers every action of a');
    expect(judged('zz:*', '*', 'FAIL')!.message).toContain('the action pattern covers every action of zz');
    expect(judged('ZZ*?:*', '*', 'FAIL')!.message).toContain('the action pattern covers every action of zza');
  });
  test('fails naming the well-known service when only some partitions of the resource pattern cover it', () => {
    // `aws??iam...` as the partition leaves every service; `aws` with `?` for the colon leaves none but a service starting `?iam`.
    expect(judged('?*', 'arn:aws??iam*', 'FAIL')!.message).toContain('the action pattern covers every action of iam');
  });
  test('passes when an action pattern covers part of a well-known service, or no service (a star before the colon)', () => {
    judged('s3:Add*', '*', 'PASS');
    judged('i*:Get*', '*', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: every action of every service, or of one', () => {
  test.each(['*', '**', '*:*', '*:?*', '*:*?'])('fails when %s is allowed on *, naming every action of every service', (action) => {
    expect(judged(action, '*', 'FAIL')!.message).toContain(`allows ${action} on *: the action pattern covers every action of every service`);
  });
  test('fails when a pattern covers one service only (its name after stars), naming that service, not every service', () => {
    expect(judged('**Add*', '*', 'FAIL')!.message).toContain('allows **Add* on *: the action pattern covers every action of add');
    expect(everyAction('*:Add*')).toBe(false);
    expect(everyAction('*Put*')).toBe(false);
  });
});

describe('IAMPolicyNoWildcardAdmin: every ARN, or every resource of one service', () => {
  test('fails when the resource pattern covers every ARN of every service, and says so', () => {
    expect(judged('*', 'arn:*', 'FAIL')!.message).toContain('the resource pattern covers every ARN');
    expect(judged('*', 'arn:aws:*', 'FAIL')!.message).toContain('the resource pattern covers every ARN');
  });
  test('fails when it covers every ARN of one service, naming that service (also when the service is only a prefix)', () => {
    expect(judged('s3:*', 'arn:aws:s3:::*', 'FAIL')!.message).toContain('the resource pattern covers every s3 resource');
    expect(judged('*', 'arn:aws:ab*', 'FAIL')!.message).toContain('the action pattern covers every action of every service and the resource pattern covers every ab resource');
    expect(everyArn('arn:aws:s3:::*')).toBe(false);
  });
  test('a region and an account are fields without colons: every subscription of one topic (…:alerts:*) is not every SNS resource', () => {
    expect(wholeServiceCovered('sns:*', 'arn:aws:sns:us-east-1:111122223333:alerts:*')).toBeUndefined();
    judged('sns:*', 'arn:aws:sns:us-east-1:111122223333:alerts:*', 'PASS');
  });
  test('a service field of ? and * covers every service only when it matches names of every length', () => {
    expect(everyArn('arn:aws:?*:*')).toBe(true);
    expect(everyArn('arn:aws:*:*')).toBe(true);
    // two characters only, one only, two or more: each misses services of other lengths, so no "every ARN"
    for (const r of ['arn:aws:??:*', 'arn:aws:?:*', 'arn:aws:??*:*:*:*']) expect([r, everyArn(r)]).toEqual([r, false]);
    expect(judged('*', 'arn:aws:??:*', 'FAIL')!.message).not.toContain('every ARN');
    // a pattern holding every character of service names leaves no name it does not spell: not claimed (the FAIL names one service)
    expect(everyArn('arn:aws:*:abcdefghijklmnopqrstuvwxyz0123456789-*')).toBe(false);
  });
});

describe('IAMPolicyNoWildcardAdmin: what is left after the service must be only wildcards, at least one star, at most three ?', () => {
  test('fails when ???* follows the service: every action has three characters or more (apigateway:GET)', () => {
    expect(judged('apigateway:???*', '*', 'FAIL')!.message).toContain('every action of apigateway');
    expect(judged('s3:*', 'arn:aws:s3:::???*', 'FAIL')!.message).toContain('every s3 resource');
  });
  test('passes when ????* follows the service (it misses apigateway:GET and PUT), or ??? without a star', () => {
    judged('apigateway:????*', '*', 'PASS');
    judged('apigateway:???', '*', 'PASS');
    judged('s3:*', 'arn:aws:s3:::????*', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: region, account and partition of a resource pattern', () => {
  test('fails when the pattern covers every resource of a service in some regions, whatever the first region tried', () => {
    expect(judged('ec2:*', 'arn:aws:ec2:us-*-1:*:*', 'FAIL')!.message).toContain('every ec2 resource');
  });
  test('passes when a field of the pattern would have to hold a colon to reach the whole service (a bucket\'s objects)', () => {
    judged('s3:*', 'arn:aws:s3:::my-bucket/*', 'PASS');
    judged('sts:*', 'arn:aws:sts::123456789012:assumed-role/*', 'PASS');
  });
  test('passes when the partition or the account would have to be empty (no ARN has an empty partition, no IAM role an empty account)', () => {
    judged('s3:*', 'arn::s3:::*', 'PASS');
    judged('iam:PutRolePolicy', 'arn:aws:iam:::role/*', 'PASS');
    judged('iam:PutRolePolicy', 'arn:*:iam:::role/*', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: a pattern the rule searches names characters of its own', () => {
  // Every character a service or account may hold appears in the pattern: the search tries those, with no other to spare.
  const ALL = 'abcdefghijklmnopqrstuvwxyz0123456789-';
  test('fails when the partition is spelled with every character a name may hold', () => {
    expect(judged('s3:*', `arn:${ALL}:s3:::*`, 'FAIL')!.message).toContain('every s3 resource');
    expect(judged('iam:PutRolePolicy', `arn:${ALL}:iam::*:role/*`, 'FAIL')!.message).toContain('the resource pattern covers every role');
  });
  test('a pattern naming every such character still matches a holder\'s ARN with any name', () => {
    expect(matchesArn(`arn:*:iam::*:role/${ALL}`, ['arn:', ANY, ':iam::', ACCOUNT, ':role/', ANY])).toBe(true);
  });
  test('passes when only three ? follow a star and the colon, or the resource id: only three-character actions and ids', () => {
    judged('*:???', '*', 'PASS');
    judged('s3:*', 'arn:*:s3:::???', 'PASS');
  });
});

describe('IAMPolicyNoWildcardAdmin: the holder\'s own ARN in a stack of one account', () => {
  const findings = (resource: string) => {
    const app = new App();
    const s = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    new iam.CfnRole(s, 'R', {
      roleName: 'app',
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      policies: [{ policyName: 'p', policyDocument: { Statement: [allow('iam:PutRolePolicy', resource)] } }],
    });
    return evaluateScope(app, { rules: rulesNamed(rule), now: new Date('2026-01-01T00:00:00Z') }).filter((f) => f.resource.id === 'S/R');
  };
  test('fails when a self-granting action is allowed on the role\'s own ARN in its stack\'s account', () => {
    const [f] = findings('arn:aws:iam::123456789012:role/app');
    expect(f.status).toBe('FAIL');
    expect(f.message).toContain('the resource pattern covers the holder\'s own ARN (arn:${AWS::Partition}:iam::123456789012:role/app)');
  });
  test('passes when the same role name is in another account', () => {
    expect(findings('arn:aws:iam::999999999999:role/app').map((f) => f.status)).toEqual(['PASS']);
  });
});

describe('IAMPolicyNoWildcardAdmin: a pattern too costly to search is taken as covering', () => {
  // `*a` and 19 `?`: the names tried are told apart by where their last `a`s fall, more than the search's limit.
  const costly = (head: string) => `${head}*a${'?'.repeat(19)}*`;
  test('fails when the names a pattern may cover are too many to search, naming where the search stopped', () => {
    expect(judged(costly('x'), '*', 'FAIL')!.message).toContain(`allows ${costly('x')} on *: the action pattern covers every action of xabbaaabbbabbbb…`);
    expect(wholeServiceCovered(costly(''), 'arn:aws:x*')).toBe('xabbaaabbbabbbb…');
  });
});

describe('IAMPolicyNoWildcardAdmin: a field of a resource pattern too costly to search is taken as covering', () => {
  // An account field `*a` and 14 `?`: the accounts tried are told apart by where their last `a`s fall, more than the search's limit.
  const costly = (rest: string) => `arn:aws:s3::*a${'?'.repeat(14)}:${rest}`;
  test('fails when such a field leaves the whole service (every S3 resource of the accounts it names)', () => {
    expect(judged('s3:*', costly('*'), 'FAIL')!.message).toContain('every s3 resource');
  });
  test('fails when such a field could leave the whole service: the rule does not search it to the end', () => {
    judged('s3:*', costly('x*'), 'FAIL');
  });
  test('fails when the partition field is too costly to search: the service it covers is not named', () => {
    expect(judged('s3:*', `arn:*a${'?'.repeat(14)}:s3:::*`, 'FAIL')!.message).toContain('the action pattern covers every action of …');
  });
  test('a role pattern or a holder\'s name too costly to search is taken as matching', () => {
    expect(everyOfType(`arn:aws:iam::*1${'?'.repeat(14)}:role/*`, 'role')).toBe(true);
    expect(matchesArn(`arn:aws:iam::123456789012:role/*a${'?'.repeat(14)}x`, ['arn:', ANY, ':iam::', ACCOUNT, ':role/', ANY])).toBe(true);
  });
  test('a role pattern whose account is a value the template fixes but the rule cannot read covers every role of that account', () => {
    expect(everyOfType(`arn:aws:iam::${OPAQUE}:role/*`, 'role')).toBe(true);
    expect(everyOfType(`arn:aws:iam::${OPAQUE}:role/app-*`, 'role')).toBe(false);
    expect(everyOfType(`arn:aws:iam::${OPAQUE}:user/*`, 'role')).toBe(false);
  });
  test('passes when the partition of a role pattern is empty, as for a whole service (no ARN has an empty partition)', () => {
    judged('iam:PutRolePolicy', 'arn::iam::*:role/*', 'PASS');
    judged('iam:PutRolePolicy', 'arn::iam::123456789012:role/app', 'PASS');
  });
});

describe('adminAction: whether an action pattern can be admin on some resource', () => {
  test('a whole service or a self-granting action can; a part of a service that grants nothing cannot', () => {
    expect(adminAction('s3:*')).toBe(true);
    expect(adminAction('iam:PutRolePolicy')).toBe(true);
    expect(adminAction('s3:Add*')).toBe(false);
    expect(adminAction('s3:GetObject')).toBe(false);
  });
});
