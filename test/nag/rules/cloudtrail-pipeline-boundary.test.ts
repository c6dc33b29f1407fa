import { App, Aws, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CIS_METRIC_FILTERS } from '../../../lib/constructs/cis-metric-filters';
import { SECURITY_AUTOMATION_ROLE_PATH, boundaryValues, loadPolicy } from '../../../lib/policies';
import { expectRule, findingsOf, param } from '../helpers';

/**
 * CloudTrailPipelineBoundaryProtected as the intruder with a bounded admin role sees it: which trail
 * and log groups the rule judges, which deny shapes leave StopLogging / DeleteLogGroup / DeleteLogStream
 * open, and what the finding names. The basic cases live in cloudtrail.test.ts.
 */
const rule = 'CloudTrailPipelineBoundaryProtected';
const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
const CIS_TRAIL_CHANGES = CIS_METRIC_FILTERS.find((f) => f.cis === '4.5')!.pattern;
const TRAIL_ACTIONS = 'cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors';
const GROUP_ACTIONS = 'logs:DeleteLogGroup, logs:DeleteLogStream, logs:DeleteMetricFilter, logs:PutMetricFilter, logs:PutRetentionPolicy, logs:DisassociateKmsKey';

/** What keeps a bounded principal under its boundary: it may neither remove, replace nor rewrite it, nor create a role or user without it. */
const NO_ESCAPE = {
  Sid: 'NoEscape', Effect: 'Deny', Resource: '*',
  Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:CreateRole', 'iam:CreateUser'],
};
/** A managed policy of the app holding `statements`, and NO_ESCAPE unless `escapable` (so the tamper tests judge the tamper denies alone). */
const policy = (s: Stack, statements: Record<string, unknown>[], id = 'Boundary', escapable = false, managedPolicyName?: string) =>
  new iam.ManagedPolicy(s, id, { managedPolicyName, document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: escapable ? statements : [...statements, NO_ESCAPE] }) });
/** A role of the app carrying `boundary` (none when undefined). */
const role = (s: Stack, boundary?: iam.IManagedPolicy, id = 'Ops', roleName?: string) =>
  new iam.Role(s, id, { assumedBy: new iam.AccountRootPrincipal(), roleName, permissionsBoundary: boundary });
/** A trail (L1) writing to S3 only, optionally named and delivering to a log group ARN. */
const trail = (s: Stack, props: { name?: string; logGroupArn?: string } = {}) => new cloudtrail.CfnTrail(s, 'T', {
  isLogging: true, s3BucketName: 'archive', trailName: props.name,
  cloudWatchLogsLogGroupArn: props.logGroupArn, cloudWatchLogsRoleArn: props.logGroupArn === undefined ? undefined : 'arn:aws:iam::111122223333:role/TrailLogs',
});
/** A CloudWatch Logs metric filter (L1) on `logGroupName` with `pattern`. */
const filter = (s: Stack, logGroupName: string, pattern: string, id = 'F') => new logs.CfnMetricFilter(s, id, {
  logGroupName, filterPattern: pattern, metricTransformations: [{ metricNamespace: 'CIS', metricName: id, metricValue: '1' }],
});

describe('CloudTrailPipelineBoundaryProtected: a trail that delivers to no CloudWatch Logs group', () => {
  test('is judged on the trail alone: a deny of every CloudTrail action passes, none fails (an absent log group is not an unresolved one)', () => {
    expectRule(rule, (s) => { role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }])); trail(s, { name: 'sec-trail' }); }, 'T', 'PASS');
    const f = expectRule(rule, (s) => { role(s, policy(s, [allowAll])); trail(s, { name: 'sec-trail' }); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/may call cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors on arn:aws:cloudtrail:us-east-1:\$\{AWS::AccountId\}:trail\/sec-trail \(/);
  });
});

describe('CloudTrailPipelineBoundaryProtected: which log groups belong to the security pipeline', () => {
  test('fails when a CIS filter reads a log group by its literal name (no reference) and no role has a boundary', () => {
    const f = expectRule(rule, (s) => {
      role(s);
      new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      filter(s, 'sec-logs', CIS_TRAIL_CHANGES);
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toContain(`no role or user of the app in the log group's account has a permissions boundary, so nothing the app deploys denies ${GROUP_ACTIONS} on it; the CIS metric filter S/F reads it`);
  });
  test('fails when a CIS filter reads a log group by reference (L2 addMetricFilter), with no trail in the app', () => {
    const f = expectRule(rule, (s) => {
      role(s);
      const g = new logs.LogGroup(s, 'Logs');
      g.addMetricFilter('Cis45', { filterPattern: logs.FilterPattern.literal(CIS_TRAIL_CHANGES), metricNamespace: 'CIS', metricName: 'TrailChanges' });
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/the CIS metric filter S\/Logs\/Cis45\/Resource reads it\)$/);
  });
  test('a log group whose only metric filter counts application errors (no CIS item) is not applicable', () => {
    expectRule(rule, (s) => {
      role(s);
      const g = new logs.LogGroup(s, 'Logs');
      g.addMetricFilter('Errors', { filterPattern: logs.FilterPattern.literal('{ $.level = "ERROR" }'), metricNamespace: 'App', metricName: 'Errors' });
    }, 'Logs/Resource', 'N/A');
  });
  test('a log group read by a filter whose pattern is a parameter counts (it may be a CIS filter): judged, not skipped', () => {
    const f = expectRule(rule, (s) => {
      role(s);
      new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      filter(s, 'sec-logs', param(s, 'Pattern'));
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/the CIS metric filter S\/F reads it/);
  });
  test('a CIS filter on a log group outside the app (or a parameter) does not stop the app\'s other groups being judged', () => {
    const fs = findingsOf(rule, (s) => {
      role(s);
      new logs.LogGroup(s, 'App');
      filter(s, 'org-security-logs', CIS_TRAIL_CHANGES, 'Outside');
      filter(s, param(s, 'Group'), CIS_TRAIL_CHANGES, 'Unresolved');
    });
    expect(fs.map((f) => `${f.status} ${f.resource.id}`)).toEqual([]);
  });
  test('a log group beside a trail that delivers to no CloudWatch Logs group is not applicable', () => {
    const fs = findingsOf(rule, (s) => { role(s); trail(s, { name: 'sec-trail' }); new logs.LogGroup(s, 'App'); });
    expect(fs.map((f) => `${f.status} ${f.resource.id}`)).toEqual(['FAIL S/T']);
  });
  test('a log group both delivered to by the trail and read by a CIS filter is named as the trail\'s', () => {
    const f = expectRule(rule, (s) => {
      role(s);
      const g = new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      new cloudtrail.Trail(s, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: g });
      filter(s, 'sec-logs', CIS_TRAIL_CHANGES);
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/; the trail S\/Trail\/Resource delivers to it\)$/);
  });
});

describe('CloudTrailPipelineBoundaryProtected: what the finding names', () => {
  test('fails when no role has a boundary: the trail\'s finding lists every tamper action and nothing else', () => {
    const f = expectRule(rule, (s) => { role(s); trail(s, { name: 'sec-trail' }); }, 'T', 'FAIL');
    expect(f!.message).toMatch(new RegExp(`\\(no role or user of the app in the trail's account has a permissions boundary, so nothing the app deploys denies ${TRAIL_ACTIONS} on it\\)$`));
  });
  test('fails when the deny misses UpdateTrail and PutEventSelectors on a named trail: named, and no note about names', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*' }]));
      trail(s, { name: 'sec-trail' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/may call cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors on arn:aws:cloudtrail:us-east-1:\$\{AWS::AccountId\}:trail\/sec-trail \(/);
    expect(f!.message).not.toMatch(/cloudtrail:StopLogging/);
    // the finding holds the open requests only: nothing about names (the trail has one), no reader (a trail has none)
    expect(f!.message).toMatch(/no statement denies it\)\)$/);
  });
  test('fails when the same partial deny meets a trail CloudFormation names: the note says only a deny on every name protects it', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*' }]));
      trail(s);
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/; it has no literal TrailName, so only a boundary statement covering every trail name, or a reference to it, protects it\)$/);
  });
  test('fails when the boundary denies nothing of CloudWatch Logs: no note about the unnamed group (no deny meant to cover it)', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }]));
      const g = new logs.LogGroup(s, 'Logs');
      g.addMetricFilter('Cis45', { filterPattern: logs.FilterPattern.literal(CIS_TRAIL_CHANGES), metricNamespace: 'CIS', metricName: 'TrailChanges' });
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/may call logs:DeleteLogGroup/);
    expect(f!.message).not.toMatch(/no literal LogGroupName/);
  });
  test('fails when a deny on the unnamed trail\'s external log group is missing: the trail itself is protected, so no note about its name', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]));
      trail(s, { logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail:*' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/may call logs:DeleteLogGroup/);
    expect(f!.message).not.toMatch(/no literal TrailName|cloudtrail:StopLogging/);
  });
  test('fails when one boundary misses the unnamed trail (its deny aims at another name) and another misses its log group: the note is given', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: 'arn:aws:cloudtrail:*:*:trail/security-*' }, { Effect: 'Deny', Action: 'logs:*', Resource: '*' }], 'ByName'));
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }], 'TrailOnly'), 'Dev');
      trail(s, { logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail:*' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/under the boundary S\/ByName\/Resource, .*may call cloudtrail:StopLogging/);
    expect(f!.message).toMatch(/under the boundary S\/TrailOnly\/Resource, .*may call logs:DeleteLogGroup/);
    expect(f!.message).toMatch(/it has no literal TrailName/);
  });
});

describe('CloudTrailPipelineBoundaryProtected: deny shapes an intruder slips through', () => {
  test('fails when the deny keeps the log group but not its streams: DeleteLogStream erases the events', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'logs:*', NotResource: 'arn:aws:logs:*:*:log-group:*:log-stream:*' }]));
      new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      filter(s, 'sec-logs', CIS_TRAIL_CHANGES);
    }, 'Logs/Resource', 'FAIL');
    expect(f!.message).toMatch(/may call logs:DeleteLogStream on arn:aws:logs:us-east-1:\$\{AWS::AccountId\}:log-group:sec-logs:log-stream:any \(/);
    expect(f!.message).not.toMatch(/logs:DeleteLogGroup/);
  });
  test.each<[string, Record<string, unknown>, string]>([
    ['calls not made through CloudFormation (it stops the trail through a stack)', { StringNotEquals: { 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' } }, 'sending aws:CalledViaFirst cloudformation.amazonaws.com'],
    ['direct calls only (any service calling for it is spared)', { Bool: { 'aws:ViaAWSService': 'false' } }, 'sending aws:ViaAWSService true'],
    ['calls from outside the office (an intruder on an office host)', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, 'from 198.51.100.7'],
  ])('fails when the deny of trail changes spares %s: the bounded principal makes that choice', (_, Condition, sends) => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition }]));
      trail(s);
    }, 'T', 'FAIL');
    expect(f!.message).toContain(`with an access key, ${sends} may call cloudtrail:StopLogging`);
  });
  test('a deny of trail changes from outside a private range holds: AWS never sends a private address as aws:SourceIp, and through an endpoint none', () => {
    expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]));
      trail(s);
    }, 'T', 'PASS');
  });
  test('a deny on `log-group:<name>:*` covers the group and its streams', () => {
    expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:sec-logs:*' }]));
      new logs.LogGroup(s, 'Logs', { logGroupName: 'sec-logs' });
      filter(s, 'sec-logs', CIS_TRAIL_CHANGES);
    }, 'Logs/Resource', 'PASS');
  });
  test('fails naming the external log group ARN exactly as the trail gives it (`:*` not doubled)', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]));
      trail(s, { name: 'sec-trail', logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail:*' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/logs:DisassociateKmsKey on arn:aws:logs:us-east-1:111122223333:log-group:org-trail:\*; logs:DeleteLogStream on /);
  });
  test('an external log group ARN written without `:*` is judged as IAM sees it (`<arn>:*`): a deny on that covers it', () => {
    expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }, { Effect: 'Deny', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:org-trail:*' }]));
      trail(s, { name: 'sec-trail', logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail' });
    }, 'T', 'PASS');
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]));
      trail(s, { name: 'sec-trail', logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:org-trail' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/logs:DeleteLogGroup, .* on arn:aws:logs:us-east-1:111122223333:log-group:org-trail:\*; logs:DeleteLogStream on /);
  });
  test('cannot verify a trail whose log group ARN is a parameter, even when the boundary denies every CloudTrail action', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]));
      trail(s, { name: 'sec-trail', logGroupArn: param(s, 'TrailLogs') });
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the trail's log group is protected: unresolved CloudWatchLogsLogGroupArn \{"Ref":"TrailLogs"\}/);
  });
  test('fails when the deny holds for roles only (aws:PrincipalType): the bounded IAM user may stop the trail', () => {
    const f = expectRule(rule, (s) => {
      const b = policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } } }]);
      role(s, b);
      new iam.User(s, 'Dev', { permissionsBoundary: b });
      trail(s, { name: 'sec-trail' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/S\/Dev\/Resource with an access key may call cloudtrail:StopLogging/);
    expect(f!.message).not.toMatch(/S\/Ops\/Resource|a role given this boundary/);
  });
  test('fails when the deny names today\'s role only: a role given the boundary later may stop the trail', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ops-admin' } } }]), 'Ops', 'ops-admin');
      trail(s, { name: 'sec-trail' });
    }, 'T', 'FAIL');
    expect(f!.message).toMatch(/under the boundary S\/Boundary\/Resource, a role given this boundary with an access key may call cloudtrail:StopLogging/);
  });
  test('a deny scoped to every role of any account covers a role given the boundary later', () => {
    expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } } }]));
      trail(s, { name: 'sec-trail' });
    }, 'T', 'PASS');
  });
  test('cannot verify when whom the deny exempts is a parameter (never PASS); the finding names the boundary and the request', () => {
    const f = expectRule(rule, (s) => {
      role(s, policy(s, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': param(s, 'Exempt') } } }]));
      trail(s, { name: 'sec-trail' });
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the permissions boundaries protect the trail: S\/Boundary\/Resource: whether .* may call cloudtrail:StopLogging on arn:aws:cloudtrail:us-east-1:\$\{AWS::AccountId\}:trail\/sec-trail depends on/);
  });
  test('cannot verify when two boundaries are outside the app: both are named', () => {
    const f = expectRule(rule, (s) => {
      role(s, iam.ManagedPolicy.fromManagedPolicyArn(s, 'OrgA', 'arn:aws:iam::111122223333:policy/OrgBoundaryA'));
      role(s, iam.ManagedPolicy.fromManagedPolicyArn(s, 'OrgB', 'arn:aws:iam::111122223333:policy/OrgBoundaryB'), 'Dev');
      trail(s, { name: 'sec-trail' });
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/policy\/OrgBoundaryA is not in the app; the permissions boundary arn:aws:iam::111122223333:policy\/OrgBoundaryB is not in the app/);
  });
});

describe('CloudTrailPipelineBoundaryProtected: boundaries of other accounts', () => {
  const A = { account: '111111111111', region: 'us-east-1' };
  const B = { account: '222222222222', region: 'us-east-1' };
  /** The finding on the trail of stack A (account 111111111111), which must have `status`. */
  const trailA = (build: (s: Stack) => void, status: string) => {
    const hits = findingsOf(rule, build).filter((f) => f.resource.id === 'A/T');
    expect(hits.map((h) => h.status)).toEqual([status]);
    return hits[0];
  };
  const stacks = (s: Stack) => [new Stack(s.node.root as App, 'A', { env: A }), new Stack(s.node.root as App, 'B', { env: B })];
  test('fails when only another account\'s roles carry a boundary: it protects nothing in the trail\'s account', () => {
    const f = trailA((s) => {
      const [a, b] = stacks(s);
      role(b, policy(b, [allowAll, { Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' }]));
      trail(a, { name: 'sec-trail' });
    }, 'FAIL');
    expect(f!.message).toMatch(/no role or user of the app in the trail's account has a permissions boundary/);
  });
  test('a boundary carried in both accounts counts in the trail\'s account (ReadOnlyAccess allows no tampering)', () => {
    trailA((s) => {
      const [a, b] = stacks(s);
      for (const st of [a, b]) role(st, iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
      trail(a, { name: 'sec-trail' });
    }, 'PASS');
  });
  test('fails naming only the trail\'s own account\'s bounded roles, not those of another account', () => {
    const f = trailA((s) => {
      const [a, b] = stacks(s);
      for (const st of [a, b]) role(st, iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'));
      trail(a, { name: 'sec-trail' });
    }, 'FAIL');
    expect(f!.message).toMatch(/A\/Ops\/Resource with an access key may call cloudtrail:StopLogging/);
    expect(f!.message).not.toMatch(/B\/Ops/);
  });
});

describe('CloudTrailPipelineBoundaryProtected: a bounded principal that escapes its boundary first', () => {
  const denyTrail = { Sid: 'DenyTrail', Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*' };
  const removal = ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'];
  const denyRemoval = { Sid: 'DenyRemoval', Effect: 'Deny', Action: removal, Resource: '*' };
  const denyRewrite = { Sid: 'DenyRewrite', Effect: 'Deny', Action: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: '*' };
  const denyCreate = { Sid: 'DenyCreate', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:CreateUser'], Resource: '*' };
  const BOUNDARY_ARN = `arn:aws:iam::${Aws.ACCOUNT_ID}:policy/app-boundary`;
  /** The trail behind a named, escapable boundary holding `statements`. */
  const behind = (statements: Record<string, unknown>[]) => (s: Stack) => {
    role(s, policy(s, statements, 'Boundary', true, 'app-boundary'));
    trail(s, { name: 'sec-trail' });
  };

  test('fails when the boundary denies the tampering but not its own removal: the bounded role deletes or replaces its boundary, then stops the trail', () => {
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRewrite, denyCreate]), 'T', 'FAIL');
    expect(f!.message).toMatch(/\(a principal under the boundary S\/Boundary\/Resource can escape it, and then the boundary's denies no longer hold for the trail: a role given this boundary and S\/Ops\/Resource with an access key may call iam:DeleteRolePermissionsBoundary, iam:PutRolePermissionsBoundary on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-bounded-role; iam:DeleteUserPermissionsBoundary, iam:PutUserPermissionsBoundary on arn:aws:iam::\$\{AWS::AccountId\}:user\/breachlessons-bounded-user \(statement 1; no statement denies it\)\)$/);
    expect(f!.message).not.toMatch(/iam:CreatePolicyVersion|iam:CreateRole|cloudtrail:StopLogging/);
  });
  test('fails when the boundary may be rewritten: a new default version of the boundary policy drops the deny', () => {
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyCreate]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on arn:aws:iam::\$\{AWS::AccountId\}:policy\/app-boundary \(statement 1; no statement denies it\)\)$/);
  });
  test('a deny of rewriting aimed at the boundary\'s own ARN (with its path) keeps it; one aimed at another policy does not', () => {
    const mine = { ...denyRewrite, Resource: BOUNDARY_ARN };
    expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyCreate, mine]), 'T', 'PASS');
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyCreate, { ...denyRewrite, Resource: 'arn:aws:iam::*:policy/other-boundary' }]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on arn:aws:iam::\$\{AWS::AccountId\}:policy\/app-boundary/);
  });
  test('an AWS managed boundary cannot be rewritten by the account: only its removal and new principals are asked', () => {
    const f = expectRule(rule, (s) => { role(s, iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')); trail(s, { name: 'sec-trail' }); }, 'T', 'FAIL');
    expect(f!.message).toMatch(/can escape it, .* may call iam:DeleteRolePermissionsBoundary, /);
    expect(f!.message).toMatch(/may call iam:CreateRole on /);
    expect(f!.message).not.toMatch(/iam:CreatePolicyVersion/);
  });
  test('fails when the bounded role may create a role without the boundary and then give it a policy', () => {
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreateRole on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role \(statement 1; no statement denies it\), without this boundary, and then .* may call iam:PutRolePolicy, iam:AttachRolePolicy on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role/);
    expect(f!.message).toMatch(/may call iam:CreateUser on arn:aws:iam::\$\{AWS::AccountId\}:user\/breachlessons-unbounded-user \(.*\), without this boundary, and then .* may call iam:PutUserPolicy, iam:AttachUserPolicy on /);
  });
  test('creating roles only with this boundary (the delegation pattern: a deny unless iam:PermissionsBoundary is this policy) keeps the principal under it', () => {
    const onlyThis = { Sid: 'OnlyThisBoundary', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:CreateUser'], Resource: '*', Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } } };
    expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, onlyThis]), 'T', 'PASS');
    // ...but a deny only of a named other boundary leaves creating with none at all (the key is then absent)
    const namedOnly = { ...onlyThis, Condition: { StringEquals: { 'iam:PermissionsBoundary': `arn:aws:iam::${Aws.ACCOUNT_ID}:policy/breachlessons-other-boundary` } } };
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, namedOnly]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreateRole on .*, without this boundary/);
  });
  test('a role it may create but never grant anything to is no escape: creation alone passes', () => {
    const denyGrants = { Sid: 'DenyGrants', Effect: 'Deny', Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy', 'iam:AttachUserPolicy'], Resource: '*' };
    expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, denyGrants]), 'T', 'PASS');
    // granting only to roles that carry the boundary is no escape either; the new role carries none
    const grantsToBounded = { ...denyGrants, Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } } };
    expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, grantsToBounded]), 'T', 'PASS');
  });
  test('a deny of attaching AdministratorAccess alone does not keep a new role powerless: a policy the intruder writes is attached instead', () => {
    const noInline = { Sid: 'NoInline', Effect: 'Deny', Action: ['iam:PutRolePolicy', 'iam:PutUserPolicy'], Resource: '*' };
    const noAdmin = { Sid: 'NoAdmin', Effect: 'Deny', Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy'], Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } } };
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, noInline, noAdmin]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:CreateRole on .*, without this boundary, and then .* may call iam:AttachRolePolicy on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role \(/);
    // denying every attachment but of a policy AWS keeps read-only holds
    const readOnly = { ...noAdmin, Sid: 'OnlyReadOnly', Condition: { ArnNotEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } };
    expectRule(rule, behind([allowAll, denyTrail, denyRemoval, denyRewrite, noInline, readOnly]), 'T', 'PASS');
  });
  test('removal denied only with the boundary\'s own ARN in iam:PermissionsBoundary holds (IAM sends the boundary the role has)', () => {
    const keep = { Sid: 'Keep', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } } };
    const replace = { Sid: 'NoOther', Effect: 'Deny', Action: ['iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'], Resource: '*', Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } } };
    expectRule(rule, behind([allowAll, denyTrail, denyRewrite, denyCreate, keep, replace]), 'T', 'PASS');
    // replacing it with any other policy is an escape
    const f = expectRule(rule, behind([allowAll, denyTrail, denyRewrite, denyCreate, keep]), 'T', 'FAIL');
    expect(f!.message).toMatch(/may call iam:PutRolePermissionsBoundary on .*; iam:PutUserPermissionsBoundary on /);
    expect(f!.message).not.toMatch(/iam:DeleteRolePermissionsBoundary/);
  });
  test('cannot verify when which boundary new roles must carry is a parameter (never PASS), naming the request', () => {
    const f = expectRule(rule, (s) => {
      const onlyThis = { Sid: 'OnlyThisBoundary', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:CreateUser'], Resource: '*', Condition: { StringNotEquals: { 'iam:PermissionsBoundary': param(s, 'Required') } } };
      behind([allowAll, denyTrail, denyRemoval, denyRewrite, onlyThis])(s);
    }, 'T', 'ERROR');
    expect(f!.message).toMatch(/cannot verify the permissions boundaries protect the trail: S\/Boundary\/Resource: whether .* may call iam:CreateRole on arn:aws:iam::\$\{AWS::AccountId\}:role\/breachlessons-unbounded-role depends on/);
  });
  test('the security-automation roles the project\'s boundary exempts from its IAM denies still cannot escape it', () => {
    const values = boundaryValues(Aws.PARTITION, Aws.ACCOUNT_ID, SECURITY_AUTOMATION_ROLE_PATH.slice(1), { stackPrefix: 'hardening', pipelineRoleName: 'hardening-pipeline', breakGlassRoleName: 'hardening-break-glass' });
    const statements = loadPolicy('iam/permissions-boundary', values).Statement as unknown as Record<string, unknown>[];
    expectRule(rule, behind(statements), 'T', 'PASS');
    const f = expectRule(rule, behind(statements.filter((st) => st.Sid !== 'DenyUnboundedPrincipals')), 'T', 'FAIL');
    // only the roles it exempts from DenyIamChanges get through, and only to rewrite the boundary or make principals without it
    expect(f!.message).toMatch(/escape it, and then the boundary's denies no longer hold for the trail: a principal matching arn:aws:iam::\$\{AWS::AccountId\}:role\/cdk-hardening\/security-automation\/\* \(\S+\) with an access key may call iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on arn:aws:iam::\$\{AWS::AccountId\}:policy\/app-boundary \(AllowWithinBoundary; no statement denies it\)/);
    expect(f!.message).not.toMatch(/S\/Ops\/Resource|a role given this boundary|iam:DeleteRolePermissionsBoundary/);
  });
});
