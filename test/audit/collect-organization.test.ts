import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeOrganizationConfigurationCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  DescribeOrganizationCommand, DescribePolicyCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand,
  ListPoliciesForTargetCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditClients } from '../../lib/audit/clients';
import {
  collectAttachedPolicies, collectGuardDutyOrganization, collectOrganizationSnapshot, collectStackInstances, collectTargetAccounts,
} from '../../lib/audit/organization/collect';
import { NotOrganizationModeError, organizationAuditConfig } from '../../lib/audit/organization/config';
import { parseConfig } from '../../lib/config';

/** The keys organization mode requires besides the targets (lib/config refuses the mode without them). */
const ORGANIZATION_KEYS = {
  'hardening:deploymentMode': 'organization', 'hardening:organizationId': 'o-a1b2c3d4e5', 'hardening:managementAccountId': '111111111111',
  'hardening:securityToolingAccountId': '222222222222', 'hardening:logArchiveAccountId': '333333333333',
};

const org = mockClient(OrganizationsClient);
const cfn = mockClient(CloudFormationClient);
const gd = mockClient(GuardDutyClient);
beforeEach(() => {
  org.reset();
  cfn.reset();
  gd.reset();
});

const denied = (name = 'AccessDeniedException') => Object.assign(new Error('not authorized'), { name, $metadata: { httpStatusCode: 403 } });
const client = () => new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

/** root -> workloads -> prod -> deep (three levels), with accounts at each level and a suspended one. */
function tree(): void {
  const accounts: Record<string, { Id: string; Name: string; Status?: string; State?: string }[]> = {
    'ou-ab12-workload': [{ Id: '111111111111', Name: 'dev', Status: 'ACTIVE' }, { Id: '999999999999', Name: 'closed', Status: 'SUSPENDED', State: 'CLOSED' }],
    'ou-ab12-prodprod': [{ Id: '222222222222', Name: 'prod', State: 'ACTIVE' }],
    'ou-ab12-deepdeep': [{ Id: '333333333333', Name: 'deep', Status: 'ACTIVE' }],
  };
  const children: Record<string, string[]> = { 'ou-ab12-workload': ['ou-ab12-prodprod'], 'ou-ab12-prodprod': ['ou-ab12-deepdeep'], 'ou-ab12-deepdeep': [] };
  org.on(ListAccountsForParentCommand).callsFake((i) => {
    const all = accounts[i.ParentId] ?? [];
    // Two pages for the first OU, to prove pagination.
    if (i.ParentId === 'ou-ab12-workload') return i.NextToken ? { Accounts: all.slice(1) } : { Accounts: all.slice(0, 1), NextToken: 'p2' };
    return { Accounts: all };
  });
  org.on(ListOrganizationalUnitsForParentCommand).callsFake((i) => ({ OrganizationalUnits: (children[i.ParentId] ?? []).map((Id) => ({ Id })) }));
}

describe('collectTargetAccounts', () => {
  test('walks nested OUs to any depth, every page, keeping each account\'s state and parent', async () => {
    tree();
    const r = await collectTargetAccounts(client(), 'ou-ab12-workload');
    expect(r).toEqual({ ok: true, value: [
      { id: '111111111111', name: 'dev', state: 'ACTIVE', parentId: 'ou-ab12-workload' },
      { id: '222222222222', name: 'prod', state: 'ACTIVE', parentId: 'ou-ab12-prodprod' },
      { id: '333333333333', name: 'deep', state: 'ACTIVE', parentId: 'ou-ab12-deepdeep' },
      { id: '999999999999', name: 'closed', state: 'CLOSED', parentId: 'ou-ab12-workload' },
    ] });
    expect(org.commandCalls(ListAccountsForParentCommand).map((c) => [c.args[0].input.ParentId, c.args[0].input.NextToken])).toEqual([
      ['ou-ab12-workload', undefined], ['ou-ab12-workload', 'p2'], ['ou-ab12-prodprod', undefined], ['ou-ab12-deepdeep', undefined],
    ]);
  });

  test('a denied call is the target\'s failure, naming the action', async () => {
    tree();
    org.on(ListOrganizationalUnitsForParentCommand).rejects(denied());
    expect(await collectTargetAccounts(client(), 'ou-ab12-workload')).toMatchObject({ ok: false, failure: { action: 'organizations:ListOrganizationalUnitsForParent', kind: 'access-denied' } });
  });

  test('a cycle or a tree deeper than Organizations allows ends with a failure, not a loop', async () => {
    let n = 0;
    org.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
    org.on(ListOrganizationalUnitsForParentCommand).callsFake(() => ({ OrganizationalUnits: [{ Id: `ou-ab12-level${String(n++).padStart(3, '0')}` }] }));
    expect(await collectTargetAccounts(client(), 'r-ab12')).toMatchObject({ ok: false, failure: { action: 'organizations:ListOrganizationalUnitsForParent', message: expect.stringContaining('deeper than') } });
  });
});

describe('collectStackInstances', () => {
  test('lists every page as the delegated administrator, keeping status and detailed status', async () => {
    cfn.on(ListStackInstancesCommand)
      .resolvesOnce({ Summaries: [{ Account: '111111111111', Region: 'us-east-1', Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } }], NextToken: 'n' })
      .resolvesOnce({ Summaries: [{ Account: '222222222222', Region: 'eu-west-1', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'FAILED' }, StatusReason: 'boundary' }] });
    const r = await collectStackInstances(new CloudFormationClient({ region: 'us-east-1' }), 'Hardening-baseline', 'DELEGATED_ADMIN');
    expect(r).toEqual({ ok: true, value: [
      { account: '111111111111', region: 'us-east-1', status: 'CURRENT', detailedStatus: 'SUCCEEDED' },
      { account: '222222222222', region: 'eu-west-1', status: 'OUTDATED', detailedStatus: 'FAILED', statusReason: 'boundary' },
    ] });
    expect(cfn.commandCalls(ListStackInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { StackSetName: 'Hardening-baseline', CallAs: 'DELEGATED_ADMIN', NextToken: undefined }, { StackSetName: 'Hardening-baseline', CallAs: 'DELEGATED_ADMIN', NextToken: 'n' },
    ]);
  });
  test('a missing StackSet is a failure naming the action', async () => {
    cfn.on(ListStackInstancesCommand).rejects(Object.assign(new Error('StackSet x not found'), { name: 'StackSetNotFoundException' }));
    expect(await collectStackInstances(new CloudFormationClient({ region: 'us-east-1' }), 'x', 'SELF'))
      .toMatchObject({ ok: false, failure: { action: 'cloudformation:ListStackInstances', code: 'StackSetNotFoundException' } });
  });
});

describe('collectGuardDutyOrganization', () => {
  test('reads the configuration of the detector, every page of features', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
    gd.on(DescribeOrganizationConfigurationCommand)
      .resolvesOnce({ AutoEnableOrganizationMembers: 'ALL', AutoEnable: true, Features: [{ Name: 'S3_DATA_EVENTS', AutoEnable: 'ALL' }], NextToken: 't' } as never)
      .resolvesOnce({ AutoEnable: true, Features: [{ Name: 'RUNTIME_MONITORING', AutoEnable: 'NEW', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', AutoEnable: 'ALL' }] }] } as never);
    expect(await collectGuardDutyOrganization(new GuardDutyClient({ region: 'eu-west-1' }))).toEqual({ ok: true, value: {
      detectorId: 'det-1', autoEnableOrganizationMembers: 'ALL',
      features: [{ name: 'S3_DATA_EVENTS', autoEnable: 'ALL', additional: [] }, { name: 'RUNTIME_MONITORING', autoEnable: 'NEW', additional: [{ name: 'EKS_ADDON_MANAGEMENT', autoEnable: 'ALL' }] }],
    } });
    expect(gd.commandCalls(DescribeOrganizationConfigurationCommand).map((c) => c.args[0].input)).toEqual([{ DetectorId: 'det-1', NextToken: undefined }, { DetectorId: 'det-1', NextToken: 't' }]);
  });
  test('null without a detector; a failure naming the call otherwise', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(await collectGuardDutyOrganization(new GuardDutyClient({ region: 'eu-west-1' }))).toEqual({ ok: true, value: null });
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
    gd.on(DescribeOrganizationConfigurationCommand).rejects(Object.assign(new Error('not the administrator'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } }));
    expect(await collectGuardDutyOrganization(new GuardDutyClient({ region: 'eu-west-1' })))
      .toMatchObject({ ok: false, failure: { action: 'guardduty:DescribeOrganizationConfiguration', code: 'BadRequestException' } });
  });
});

describe('collectAttachedPolicies', () => {
  test('lists the SCPs of a target and reads the content of each customer-managed one, not of AWS-managed ones', async () => {
    org.on(ListPoliciesForTargetCommand).resolves({ Policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true }, { Id: 'p-1', Name: 'cdk-hardening-deny-root-user', AwsManaged: false }, { Id: 'p-2', Name: 'broken' }] });
    org.on(DescribePolicyCommand, { PolicyId: 'p-1' }).resolves({ Policy: { Content: '{"Version":"2012-10-17","Statement":[]}' } });
    org.on(DescribePolicyCommand, { PolicyId: 'p-2' }).resolves({ Policy: { Content: '{not json' } });
    const r = await collectAttachedPolicies(client(), 'ou-ab12-workload');
    expect(r).toMatchObject({ ok: true, value: [
      { id: 'p-FullAWSAccess', awsManaged: true },
      { id: 'p-1', name: 'cdk-hardening-deny-root-user', awsManaged: false, content: { ok: true, value: { Version: '2012-10-17', Statement: [] } } },
      { id: 'p-2', content: { ok: false, failure: { action: 'organizations:DescribePolicy', message: expect.stringContaining('not JSON') } } },
    ] });
    expect(org.commandCalls(ListPoliciesForTargetCommand)[0].args[0].input).toEqual({ TargetId: 'ou-ab12-workload', Filter: 'SERVICE_CONTROL_POLICY', NextToken: undefined });
    expect(org.commandCalls(DescribePolicyCommand)).toHaveLength(2);
  });
  test('a denied DescribePolicy is that policy\'s failure; a denied list is the target\'s', async () => {
    org.on(ListPoliciesForTargetCommand).resolves({ Policies: [{ Id: 'p-1', Name: 'x' }] });
    org.on(DescribePolicyCommand).rejects(denied());
    expect(await collectAttachedPolicies(client(), 'r-ab12')).toMatchObject({ ok: true, value: [{ content: { ok: false, failure: { action: 'organizations:DescribePolicy', kind: 'access-denied' } } }] });
    org.on(ListPoliciesForTargetCommand).rejects(denied());
    expect(await collectAttachedPolicies(client(), 'r-ab12')).toMatchObject({ ok: false, failure: { action: 'organizations:ListPoliciesForTarget' } });
  });
});

describe('collectOrganizationSnapshot', () => {
  const config = organizationAuditConfig(parseConfig({
    ...ORGANIZATION_KEYS, 'hardening:governedRegions': ['us-east-1', 'eu-west-1'], 'hardening:allowedRegions': ['us-east-1', 'eu-west-1'],
    'hardening:baselineTargets': ['ou-ab12-workload'], 'hardening:scpTargets': { 'deny-root-user': ['ou-ab12-workload', 'r-ab12'], 'region-guard': ['r-ab12'], 'protect-security-services': ['r-ab12'] },
  }));
  async function snapshot(caller: string) {
    tree();
    org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc123defg', MasterAccountId: '111111111111' } });
    org.on(ListPoliciesForTargetCommand).resolves({ Policies: [] });
    cfn.on(ListStackInstancesCommand).resolves({ Summaries: [] });
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const clients = new AuditClients({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      return await collectOrganizationSnapshot(clients, config, { account: caller, partition: 'aws' }, new Date('2026-06-01T00:00:00Z'));
    } finally {
      clients.destroy();
    }
  }
  test('collects each target, StackSet, governed region and SCP target once; the delegated administrator calls StackSets as such', async () => {
    const s = await snapshot('222233334444');
    expect(s.targets.map((t) => t.targetId)).toEqual(['ou-ab12-workload']);
    expect(s.stackSets.map((t) => t.name)).toEqual(['Hardening-baseline-global', 'Hardening-baseline-regional']);
    expect(s.guardduty.map((g) => [g.region, g.configuration])).toEqual([['us-east-1', { ok: true, value: null }], ['eu-west-1', { ok: true, value: null }]]);
    expect(s.policies.map((p) => p.targetId)).toEqual(['ou-ab12-workload', 'r-ab12']);
    expect(cfn.commandCalls(ListStackInstancesCommand)[0].args[0].input.CallAs).toBe('DELEGATED_ADMIN');
    expect(s).toMatchObject({ callerAccount: '222233334444', organization: { ok: true, value: { id: 'o-abc123defg', managementAccountId: '111111111111' } } });
  });
  test('the management account calls StackSets as itself', async () => {
    await snapshot('111111111111');
    expect(cfn.commandCalls(ListStackInstancesCommand)[0].args[0].input.CallAs).toBe('SELF');
  });
});

describe('organizationAuditConfig: the organization checks compare with the app\'s own configuration', () => {
  test('derives every value from the hardening: keys, the StackSets by the names the stacks give them', () => {
    const c = organizationAuditConfig(parseConfig({
      ...ORGANIZATION_KEYS, 'hardening:region': 'eu-west-1', 'hardening:allowedRegions': ['eu-west-1'], 'hardening:governedRegions': ['eu-west-1'],
      'hardening:baselineTargets': ['r-ab12'], 'hardening:scpTargets': { 'deny-root-user': ['r-ab12'] }, 'hardening:auditRoleName': 'OrgAudit',
    }));
    expect(c).toEqual({
      governedRegions: ['eu-west-1'], allowedRegions: ['eu-west-1'], region: 'eu-west-1', baselineTargets: ['r-ab12'], baselineExcludeAccounts: [],
      scpTargets: { 'deny-root-user': ['r-ab12'] }, auditRoleName: 'OrgAudit', auditorRoleName: 'OrganizationAuditor', managementAccountId: '111111111111', securityToolingAccountId: '222222222222',
      baselineStackSets: [{ name: 'Hardening-baseline-global', regions: ['eu-west-1'] }, { name: 'Hardening-baseline-regional', regions: ['eu-west-1'] }],
      stackPrefix: 'Hardening', breakGlassRoleName: 'BreakGlass', pipelineRoleName: 'cdk-hardening-pipeline-execution',
    });
  });
  test('refuses an account-mode configuration, naming the key', () => {
    expect(() => organizationAuditConfig(parseConfig({}))).toThrow(NotOrganizationModeError);
    expect(() => organizationAuditConfig(parseConfig({}))).toThrow("hardening:deploymentMode is 'account'");
  });
});
