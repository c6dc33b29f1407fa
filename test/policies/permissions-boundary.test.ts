import { boundaryValues, loadPolicy } from '../../lib/policies';
import { ACCOUNT, Decision, decide } from './simulate';

const PATH = 'cdk-hardening/security-automation/';
const boundary = loadPolicy('iam/permissions-boundary',
  boundaryValues('aws', ACCOUNT, PATH, { stackPrefix: 'Hardening', pipelineRoleName: 'cdk-hardening-pipeline-execution', breakGlassRoleName: 'BreakGlass' }));
const workload = `arn:aws:iam::${ACCOUNT}:role/app-role`;
const automation = `arn:aws:iam::${ACCOUNT}:role/${PATH}HardeningIdentity-SecurityAutomation`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

// Both principals hold AdministratorAccess; the boundary is the only thing capping them.
const cases: [string, string, string, string, Decision][] = [
  ['workload', workload, 's3:GetObject', 'arn:aws:s3:::pii/k', 'Allowed'],
  ['workload', workload, 'dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/pii`, 'Allowed'],
  ['workload', workload, 'kms:Decrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`, 'Allowed'],
  ['workload', workload, 'sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`, 'Allowed'],
  ['workload', workload, 'iam:ListRoles', '*', 'Allowed'],
  ['workload', workload, 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`, 'ExplicitlyDenied'],
  ['workload', workload, 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/mallory`, 'ExplicitlyDenied'],
  ['workload', workload, 'iam:AttachRolePolicy', role('app-role'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:PutRolePolicy', role('app-role'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:CreateRole', role('escape'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:UpdateAssumeRolePolicy', role('app-role'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:DeleteRolePermissionsBoundary', role('app-role'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:PutRolePermissionsBoundary', role('app-role'), 'ExplicitlyDenied'],
  ['workload', workload, 'iam:UpdateAccountPasswordPolicy', '*', 'ExplicitlyDenied'],
  // A workload cannot borrow the security-automation role by passing it to a function of its own...
  ['workload', workload, 'iam:PassRole', role(`${PATH}HardeningIdentity-SecurityAutomation`), 'ExplicitlyDenied'],
  // ...while passing its own workload roles to services still works.
  ['workload', workload, 'iam:PassRole', role('app-task-role'), 'Allowed'],
  ['workload', workload, 'organizations:LeaveOrganization', '*', 'ExplicitlyDenied'],
  ['workload', workload, 'cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, 'ExplicitlyDenied'],
  ['workload', workload, 'cloudtrail:DeleteTrail', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, 'ExplicitlyDenied'],
  ['workload', workload, 'guardduty:DeleteDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d`, 'ExplicitlyDenied'],
  ['workload', workload, 'guardduty:UpdateDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d`, 'ExplicitlyDenied'],
  ['workload', workload, 'config:StopConfigurationRecorder', '*', 'ExplicitlyDenied'],
  ['workload', workload, 'kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`, 'ExplicitlyDenied'],
  ['workload', workload, 'kms:DisableKey', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`, 'ExplicitlyDenied'],
  // The security-automation roles (password policy, detector adoption) may do their one job...
  ['automation', automation, 'iam:UpdateAccountPasswordPolicy', '*', 'Allowed'],
  ['automation', automation, 'guardduty:UpdateDetector', `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/d`, 'Allowed'],
  // ...but never shed the boundary, stop the trail, delete keys or leave the organization.
  ['automation', automation, 'iam:DeleteRolePermissionsBoundary', role(`${PATH}HardeningIdentity-SecurityAutomation`), 'ExplicitlyDenied'],
  ['automation', automation, 'cloudtrail:StopLogging', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, 'ExplicitlyDenied'],
  ['automation', automation, 'kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`, 'ExplicitlyDenied'],
  ['automation', automation, 'organizations:LeaveOrganization', '*', 'ExplicitlyDenied'],
];

describe('policies/iam/permissions-boundary.json caps a role holding AdministratorAccess', () => {
  it.each(cases)('%s role: %s %s on %s is %s', async (_kind, principal, action, resource, expected) => {
    expect(await decide({ principal, action, resource, boundary })).toBe(expected);
  });

  it('exempts only roles on the security-automation path, not roles whose name merely contains it', async () => {
    const lookalike = role('cdk-hardening-security-automation-x');
    expect(await decide({ principal: lookalike, action: 'iam:UpdateAccountPasswordPolicy', resource: '*', boundary })).toBe('ExplicitlyDenied');
  });

  it('grants nothing by itself: without an identity policy every action is implicitly denied', async () => {
    expect(await decide({ principal: workload, action: 's3:GetObject', resource: 'arn:aws:s3:::pii/k', boundary, identityPolicies: [] })).toBe('ImplicitlyDenied');
  });
});
