import { SCP_NAMES, loadPolicy, scpValues } from '../../lib/policies';
import { evaluate } from '../../lib/policy';
import { parseConfig } from '../../lib/config';
import { ORGANIZATION_EXAMPLE } from '../helpers/organization';
import { ACCOUNT, decide as simulate } from './simulate';

/**
 * Issue 13: in a member account the baseline StackSets deploy through the StackSets execution role
 * (`stacksets-exec-<hash>`, created by the StackSets service-linked role). It is a service role, not a
 * service-linked one, so the SCPs apply to it: unless it is exempted where the pipeline role is, every
 * baseline update of an SCP-protected resource (the security rules and topic, key policies, the locked
 * vault) is denied and the StackSet operation fails. It is exempted — and, in exchange, nobody but
 * break-glass may create, change or delete a role of that name, so the exemption cannot be borrowed.
 * Simulated with lib/policy, every SCP attached below the root as the example configuration does.
 */
const config = parseConfig(ORGANIZATION_EXAMPLE);
const MEMBER = '555555555555';
const scps = SCP_NAMES.map((n) => ({ name: n, document: loadPolicy(n, scpValues(config)) }));
const FULL_AWS_ACCESS = { name: 'FullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const KEY_POLICY = { name: 'key-policy', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::555555555555:root` }, Action: 'kms:*', Resource: '*' }] } };
const ADMIN = [{ name: 'AdministratorAccess', document: FULL_AWS_ACCESS.document }];

const role = (name: string) => `arn:aws:iam::${MEMBER}:role/${name}`;
const stackSetsExec = role('stacksets-exec-0f1e2d3c4b5a69788796a5b4c3d2e1f0');
const administrator = role('AWSReservedSSO_AdministratorAccess_0123456789abcdef');
const breakGlass = role(config.breakGlassRoleName);
const prefix = `${config.stackPrefix}-security-`;

function decide(principal: string, action: string, resource: string, attached = scps): string {
  return evaluate(
    { principal: { arn: principal, account: principal.split(':')[4], orgId: config.organizationId }, action, resource, context: { 'aws:RequestedRegion': 'us-east-1' } },
    {
      identity: ADMIN, scps: [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...attached]],
      // A key policy that delegates to IAM: the SCPs alone decide, as they do for the vault key's administrators.
      ...(resource.startsWith('arn:aws:kms:') ? { resourcePolicy: KEY_POLICY } : {}),
    },
  ).decision;
}

/** What a baseline update does to SCP-protected resources in a member account. */
const BASELINE_UPDATES: Array<[string, string, string]> = [
  ['alert rule updated', 'events:PutRule', `arn:aws:events:us-east-1:${MEMBER}:rule/${prefix}root-sign-in`],
  ['alert topic policy updated', 'sns:SetTopicAttributes', `arn:aws:sns:us-east-1:${MEMBER}:${prefix}alerts`],
  ['rule failure alarm updated', 'cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:us-east-1:${MEMBER}:alarm:${prefix}root-sign-in-failed-invocations`],
  ['vault key policy updated', 'kms:PutKeyPolicy', `arn:aws:kms:us-east-1:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  ['backup plan updated', 'backup:UpdateBackupPlan', `arn:aws:backup:us-east-1:${MEMBER}:backup-plan:0f1e2d3c-aaaa-bbbb-cccc-1234567890ab`],
];

describe('the SCPs and the StackSets execution role', () => {
  test.each(BASELINE_UPDATES)('%s: allowed to the StackSets execution role, denied to an administrator', (_what, action, resource) => {
    expect(decide(stackSetsExec, action, resource)).toBe('Allow');
    expect(decide(administrator, action, resource)).toBe('ExplicitDeny');
    expect(decide(breakGlass, action, resource)).toBe('Allow');
  });

  test.each([
    ['a role of that name created, to borrow the exemption', 'iam:CreateRole', role('stacksets-exec-attacker')],
    ['its trust policy rewritten', 'iam:UpdateAssumeRolePolicy', stackSetsExec],
    ['a policy attached to it', 'iam:AttachRolePolicy', stackSetsExec],
    ['an inline policy put on it', 'iam:PutRolePolicy', stackSetsExec],
    ['it is deleted', 'iam:DeleteRole', stackSetsExec],
  ])('%s: denied to every principal but break-glass', (_what, action, resource) => {
    expect(decide(administrator, action, resource)).toBe('ExplicitDeny');
    expect(decide(stackSetsExec, action, resource)).toBe('ExplicitDeny');
    expect(decide(breakGlass, action, resource)).toBe('Allow');
  });

  // The SCPs exempt break-glass and the pipeline role by name: an administrator of a member account who could
  // create a role of either name (where none exists) or rewrite its trust would assume it and be exempt from
  // every guardrail - stop the trail, delete recovery points, rewrite key policies naming break-glass.
  const exemptRoles = [['break-glass', config.breakGlassRoleName], ['the pipeline role', config.pipelineRoleName]];
  const roleChanges = ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRole'];
  test.each(exemptRoles)('a role named as %s cannot be created or changed by an administrator, only by break-glass and StackSets', (_what, name) => {
    for (const action of roleChanges) {
      expect([action, decide(administrator, action, role(name))]).toEqual([action, 'ExplicitDeny']);
      // nor by the pipeline role, which would otherwise re-trust break-glass
      expect([action, decide(role(config.pipelineRoleName), action, role(name))]).toEqual([action, 'ExplicitDeny']);
      expect([action, decide(breakGlass, action, role(name))]).toEqual([action, 'Allow']);
      expect([action, decide(stackSetsExec, action, role(name))]).toEqual([action, 'Allow']);
    }
    // a role of another name or on a path is no exempt principal, and stays the administrator's to manage
    expect(decide(administrator, 'iam:CreateRole', role(`${name}-copy`))).toBe('Allow');
  });

  test.each(exemptRoles)('the simulator agrees: an administrator re-trusting %s is denied, break-glass is not', async (_what, name) => {
    const scpDocs = scps.map((s) => s.document);
    const target = `arn:aws:iam::${ACCOUNT}:role/${name}`;
    const admin = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
    const context = { 'aws:RequestedRegion': 'us-east-1' };
    expect(await simulate({ principal: admin, action: 'iam:UpdateAssumeRolePolicy', resource: target, scps: scpDocs, context })).toBe('ExplicitlyDenied');
    expect(await simulate({ principal: admin, action: 'iam:CreateRole', resource: target, scps: scpDocs, context })).toBe('ExplicitlyDenied');
    expect(await simulate({ principal: `arn:aws:iam::${ACCOUNT}:role/${config.breakGlassRoleName}`, action: 'iam:UpdateAssumeRolePolicy', resource: target, scps: scpDocs, context })).toBe('Allowed');
  });

  test('what stays break-glass only stays so for the StackSets role too: key deletion, leaving the organization', () => {
    expect(decide(stackSetsExec, 'kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).toBe('ExplicitDeny');
    expect(decide(stackSetsExec, 'organizations:LeaveOrganization', '*')).toBe('ExplicitDeny');
  });

  test('only the StackSets naming is exempt: a role merely containing the words is not', () => {
    expect(decide(role('my-stacksets-exec-role'), 'events:PutRule', `arn:aws:events:us-east-1:${MEMBER}:rule/${prefix}root-sign-in`)).toBe('ExplicitDeny');
  });
});

/**
 * protect-security-services is attached at the organization root (the pack requires it there, or on every
 * baseline OU, to accept the baseline keys' stacksets-exec-* administrator), so it reaches the
 * security-tooling account, where the GuardDuty organization configuration function must still work.
 */
describe('the SCP at the root and the security-tooling account', () => {
  const TOOLING = config.securityToolingAccountId!;
  const automation = (account: string) => `arn:aws:iam::${account}:role/cdk-hardening/security-automation/Hardening-guardduty-organization`;
  const detector = `arn:aws:guardduty:us-east-1:${TOOLING}:detector/12abc34d567e8fa901bc2d34e56789f0`;

  test('the tooling account\'s security automation role may update the organization configuration', () => {
    expect(decide(automation(TOOLING), 'guardduty:UpdateOrganizationConfiguration', detector)).toBe('Allow');
  });

  test.each([
    ['an administrator of the tooling account', `arn:aws:iam::${TOOLING}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`],
    ['a role on the automation path of a member account', automation(MEMBER)],
    ['a tooling role whose name merely contains the path', `arn:aws:iam::${TOOLING}:role/copy-of-cdk-hardening/security-automation/x`],
  ])('%s may not', (_who, principal) => {
    expect(decide(principal, 'guardduty:UpdateOrganizationConfiguration', detector)).toBe('ExplicitDeny');
  });

  test('the exemption cannot be borrowed: only the deployment roles create or re-trust a role on the automation path', () => {
    const target = automation(TOOLING);
    for (const action of ['iam:CreateRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy']) {
      expect([action, decide(`arn:aws:iam::${TOOLING}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`, action, target)]).toEqual([action, 'ExplicitDeny']);
      expect([action, decide(`arn:aws:iam::${TOOLING}:role/${config.pipelineRoleName}`, action, target)]).toEqual([action, 'Allow']);
      expect([action, decide(`arn:aws:iam::${TOOLING}:role/${config.breakGlassRoleName}`, action, target)]).toEqual([action, 'Allow']);
    }
  });

  test('in account mode (no tooling account) no automation role is exempt', () => {
    const accountMode = SCP_NAMES.map((n) => ({ name: n, document: loadPolicy(n, scpValues({ ...config, securityToolingAccountId: undefined })) }));
    expect(decide(automation(TOOLING), 'guardduty:UpdateOrganizationConfiguration', detector, accountMode)).toBe('ExplicitDeny');
    expect(decide(`arn:aws:iam::${TOOLING}:role/${config.pipelineRoleName}`, 'guardduty:UpdateOrganizationConfiguration', detector, accountMode)).toBe('Allow');
  });
});
