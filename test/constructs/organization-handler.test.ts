import { createServer } from 'http';
import { AddressInfo } from 'net';
import * as vm from 'vm';
import {
  EnableAWSServiceAccessCommand, EnablePolicyTypeCommand, ListAWSServiceAccessForOrganizationCommand, ListDelegatedAdministratorsCommand,
  ListRootsCommand, OrganizationsClient, RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import {
  DescribeOrganizationConfigurationCommand, EnableOrganizationAdminAccountCommand, GuardDutyClient, ListDetectorsCommand,
  ListOrganizationAdminAccountsCommand, UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CustomResourceEvent, Deps, GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE, ORGANIZATION_SETUP_TYPE, runRequest, sendResponse,
} from '../../lib/constructs/handlers/organization';
import { inlineHandlerSource } from '../../lib/constructs/inline-handler';
import { GUARDDUTY_FEATURES } from '../../lib/lessons';

const org = mockClient(OrganizationsClient);
const gd = mockClient(GuardDutyClient);
const WRITES_ORG = [EnableAWSServiceAccessCommand, EnablePolicyTypeCommand, RegisterDelegatedAdministratorCommand];
const STACKSETS = 'member.org.stacksets.cloudformation.amazonaws.com';
const TOOLING = '222222222222';

/** An organization and GuardDuty's state in each region, read and written by the mocked calls. */
interface World {
  trusted: Set<string>;
  policyTypes: Map<string, string>;
  delegated: Map<string, Set<string>>;
  gdAdmin: Map<string, { id: string; status: string }>;
  detectors: Map<string, string[]>;
  orgConfig: Map<string, { members?: string; features: { Name: string; AutoEnable: string; AdditionalConfiguration?: { Name: string; AutoEnable: string }[] }[] }>;
}

function emptyWorld(): World {
  return { trusted: new Set(), policyTypes: new Map(), delegated: new Map(), gdAdmin: new Map(), detectors: new Map(), orgConfig: new Map() };
}

async function regionOf(getClient: () => { config: { region: unknown } }): Promise<string> {
  const r = getClient().config.region;
  return typeof r === 'function' ? await r() : String(r);
}

function install(world: World): void {
  org.reset();
  gd.reset();
  org.on(ListAWSServiceAccessForOrganizationCommand).callsFake(() => ({ EnabledServicePrincipals: [...world.trusted].map((ServicePrincipal) => ({ ServicePrincipal })) }));
  org.on(EnableAWSServiceAccessCommand).callsFake((i) => { world.trusted.add(i.ServicePrincipal); return {}; });
  org.on(ListRootsCommand).callsFake(() => ({ Roots: [{ Id: 'r-ab12', PolicyTypes: [...world.policyTypes].map(([Type, Status]) => ({ Type, Status })) }] }));
  org.on(EnablePolicyTypeCommand).callsFake((i) => { world.policyTypes.set(i.PolicyType, 'ENABLED'); return {}; });
  org.on(ListDelegatedAdministratorsCommand).callsFake((i) => ({ DelegatedAdministrators: [...(world.delegated.get(i.ServicePrincipal) ?? [])].map((Id) => ({ Id })) }));
  org.on(RegisterDelegatedAdministratorCommand).callsFake((i) => {
    world.delegated.set(i.ServicePrincipal, new Set([...(world.delegated.get(i.ServicePrincipal) ?? []), i.AccountId]));
    return {};
  });
  gd.on(ListOrganizationAdminAccountsCommand).callsFake(async (_i, c) => {
    const a = world.gdAdmin.get(await regionOf(c));
    return { AdminAccounts: a ? [{ AdminAccountId: a.id, AdminStatus: a.status }] : [] };
  });
  gd.on(EnableOrganizationAdminAccountCommand).callsFake(async (i, c) => { world.gdAdmin.set(await regionOf(c), { id: i.AdminAccountId, status: 'ENABLED' }); return {}; });
  gd.on(ListDetectorsCommand).callsFake(async (_i, c) => ({ DetectorIds: world.detectors.get(await regionOf(c)) ?? [] }));
  gd.on(DescribeOrganizationConfigurationCommand).callsFake(async (_i, c) => {
    const conf = world.orgConfig.get(await regionOf(c)) ?? { features: [] };
    return { AutoEnableOrganizationMembers: conf.members, Features: conf.features };
  });
  gd.on(UpdateOrganizationConfigurationCommand).callsFake(async (i, c) => {
    world.orgConfig.set(await regionOf(c), { members: i.AutoEnableOrganizationMembers, features: i.Features });
    return {};
  });
}

function deps(overrides: Partial<Deps> = {}): Deps & { sleeps: number[]; lines: string[] } {
  const sleeps: number[] = [];
  const lines: string[] = [];
  return {
    organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
    guardduty: (region) => new GuardDutyClient({ region }),
    region: 'eu-west-1',
    sleep: async (ms) => { sleeps.push(ms); },
    remainingMs: () => 600_000,
    log: (l) => lines.push(l),
    attempts: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 3_000,
    random: () => 1,
    ...overrides,
    sleeps,
    lines,
  };
}

function event(ResourceType: string, ResourceProperties: Record<string, unknown>, RequestType: CustomResourceEvent['RequestType'] = 'Create'): CustomResourceEvent {
  return {
    RequestType, ResourceType, ResourceProperties, StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1', RequestId: 'req-1',
    LogicalResourceId: 'Org', ResponseURL: 'https://example.invalid/response', ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'organization-setup' }),
  };
}

const SETUP = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f',
  TrustedServicePrincipals: [STACKSETS, 'guardduty.amazonaws.com'],
  PolicyTypes: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'],
  DelegatedAdministrators: [{ AccountId: TOOLING, ServicePrincipal: STACKSETS }],
  GuardDutyAdminAccountId: TOOLING,
  GovernedRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
};
const setup = (type: CustomResourceEvent['RequestType'] = 'Create', props: Record<string, unknown> = SETUP) => event(ORGANIZATION_SETUP_TYPE, props, type);

function writeCount(): number {
  return WRITES_ORG.reduce((n, c) => n + org.commandCalls(c as never).length, 0)
    + gd.commandCalls(EnableOrganizationAdminAccountCommand).length + gd.commandCalls(UpdateOrganizationConfigurationCommand).length;
}

describe('OrganizationSetup handler', () => {
  test('on an organization with nothing set, sets every setting, the GuardDuty administrator in every governed region', async () => {
    const world = emptyWorld();
    install(world);
    const r = await runRequest(setup(), deps());
    expect(r).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'organization-setup' });
    expect([...world.trusted].sort()).toEqual([STACKSETS, 'guardduty.amazonaws.com'].sort());
    expect(Object.fromEntries(world.policyTypes)).toEqual({ SERVICE_CONTROL_POLICY: 'ENABLED', RESOURCE_CONTROL_POLICY: 'ENABLED' });
    expect(org.commandCalls(EnablePolicyTypeCommand).map((c) => c.args[0].input.RootId)).toEqual(['r-ab12', 'r-ab12']);
    expect([...(world.delegated.get(STACKSETS) ?? [])]).toEqual([TOOLING]);
    expect(Object.fromEntries(world.gdAdmin)).toEqual({
      'us-east-1': { id: TOOLING, status: 'ENABLED' }, 'eu-west-1': { id: TOOLING, status: 'ENABLED' }, 'ap-southeast-2': { id: TOOLING, status: 'ENABLED' },
    });
    expect(r.changes).toHaveLength(2 + 2 + 1 + 3);
  });

  test('is idempotent: a second run reads everything and writes nothing', async () => {
    const world = emptyWorld();
    install(world);
    await runRequest(setup(), deps());
    const before = writeCount();
    const d = deps();
    const r = await runRequest(setup('Update'), d);
    expect(r).toMatchObject({ Status: 'SUCCESS', changes: [] });
    expect(writeCount()).toBe(before);
    expect(org.commandCalls(ListAWSServiceAccessForOrganizationCommand)).toHaveLength(2);
    expect(d.lines.join('\n')).toContain('nothing written');
  });

  test('sets only what is missing; a policy type being enabled counts as enabled, one being disabled does not', async () => {
    const world = emptyWorld();
    world.trusted.add(STACKSETS);
    world.policyTypes.set('SERVICE_CONTROL_POLICY', 'PENDING_ENABLE');
    world.policyTypes.set('RESOURCE_CONTROL_POLICY', 'PENDING_DISABLE');
    world.delegated.set(STACKSETS, new Set([TOOLING]));
    world.gdAdmin.set('us-east-1', { id: TOOLING, status: 'ENABLED' });
    install(world);
    const r = await runRequest(setup(), deps());
    expect(r.Status).toBe('SUCCESS');
    expect(org.commandCalls(EnableAWSServiceAccessCommand).map((c) => c.args[0].input.ServicePrincipal)).toEqual(['guardduty.amazonaws.com']);
    expect(org.commandCalls(EnablePolicyTypeCommand).map((c) => c.args[0].input.PolicyType)).toEqual(['RESOURCE_CONTROL_POLICY']);
    expect(org.commandCalls(RegisterDelegatedAdministratorCommand)).toHaveLength(0);
    expect(gd.commandCalls(EnableOrganizationAdminAccountCommand)).toHaveLength(2);
    expect([...world.gdAdmin.keys()].sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
  });

  test('reads every page of a paginated list before deciding', async () => {
    const world = emptyWorld();
    install(world);
    org.on(ListAWSServiceAccessForOrganizationCommand)
      .resolvesOnce({ EnabledServicePrincipals: [{ ServicePrincipal: 'guardduty.amazonaws.com' }], NextToken: 't2' })
      .resolvesOnce({ EnabledServicePrincipals: [{ ServicePrincipal: STACKSETS }] });
    await runRequest(setup(), deps());
    expect(org.commandCalls(ListAWSServiceAccessForOrganizationCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't2']);
    expect(org.commandCalls(EnableAWSServiceAccessCommand)).toHaveLength(0);
  });

  test('retries throttling and concurrent modification with growing, capped backoff, then succeeds', async () => {
    const world = emptyWorld();
    install(world);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const concurrent = Object.assign(new Error('try again'), { name: 'ConcurrentModificationException' });
    org.on(EnableAWSServiceAccessCommand).rejectsOnce(throttled).rejectsOnce(throttled).rejectsOnce(throttled)
      .callsFake((i) => { world.trusted.add(i.ServicePrincipal); return {}; });
    org.on(EnablePolicyTypeCommand).rejectsOnce(concurrent).callsFake((i) => { world.policyTypes.set(i.PolicyType, 'ENABLED'); return {}; });
    const d = deps();
    const r = await runRequest(setup(), d);
    expect(r.Status).toBe('SUCCESS');
    expect(org.commandCalls(EnableAWSServiceAccessCommand)).toHaveLength(3 + 2);
    expect(d.sleeps).toEqual([1_000, 2_000, 3_000, 1_000]);
    expect(d.lines.filter((l) => l.startsWith('retrying'))).toHaveLength(4);
  });

  test('gives up after the attempt limit, failing with a message naming the call', async () => {
    install(emptyWorld());
    gd.on(EnableOrganizationAdminAccountCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const d = deps();
    const r = await runRequest(setup(), d);
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toBe('guardduty:EnableOrganizationAdminAccount 222222222222 in us-east-1 failed after 5 attempts: ThrottlingException: slow down');
    expect(gd.commandCalls(EnableOrganizationAdminAccountCommand)).toHaveLength(5);
  });

  test('stops retrying before the function would time out', async () => {
    install(emptyWorld());
    org.on(EnableAWSServiceAccessCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const r = await runRequest(setup(), deps({ remainingMs: () => 15_500 }));
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toMatch(/^organizations:EnableAWSServiceAccess \S+ failed after 1 attempt: TooManyRequestsException: Rate exceeded \(no time left to retry\)/);
  });

  test('does not retry an error that will not go away (access denied): fails at once, naming the call', async () => {
    install(emptyWorld());
    org.on(ListRootsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const d = deps();
    const r = await runRequest(setup(), d);
    expect(r).toMatchObject({ Status: 'FAILED', Reason: 'organizations:ListRoots failed after 1 attempt: AccessDeniedException: not authorized' });
    expect(d.sleeps).toEqual([]);
    expect(org.commandCalls(EnablePolicyTypeCommand)).toHaveLength(0);
  });

  test('refuses to replace another GuardDuty administrator, naming it and the region', async () => {
    const world = emptyWorld();
    world.gdAdmin.set('eu-west-1', { id: '999999999999', status: 'ENABLED' });
    install(world);
    const r = await runRequest(setup(), deps());
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toContain('GuardDuty in eu-west-1 already has the delegated administrator 999999999999 (ENABLED), not 222222222222');
    expect(world.gdAdmin.get('eu-west-1')?.id).toBe('999999999999');
  });

  test('fails while our GuardDuty administrator is being disabled, instead of enabling it twice', async () => {
    const world = emptyWorld();
    world.gdAdmin.set('us-east-1', { id: TOOLING, status: 'DISABLE_IN_PROGRESS' });
    install(world);
    const r = await runRequest(setup(), deps());
    expect(r.Reason).toContain('is DISABLE_IN_PROGRESS');
    expect(gd.commandCalls(EnableOrganizationAdminAccountCommand)).toHaveLength(0);
  });

  test('fails on malformed properties before calling anything', async () => {
    install(emptyWorld());
    for (const bad of [{ ...SETUP, GuardDutyAdminAccountId: '12' }, { ...SETUP, GovernedRegions: [] }, { ...SETUP, TrustedServicePrincipals: [''] },
      { ...SETUP, DelegatedAdministrators: [{ AccountId: 'x', ServicePrincipal: STACKSETS }] }]) {
      const r = await runRequest(setup('Create', bad), deps());
      expect(r.Status).toBe('FAILED');
    }
    expect(org.calls().length + gd.calls().length).toBe(0);
  });

  test('Delete makes no call and succeeds: the settings are retained', async () => {
    install(emptyWorld());
    const d = deps();
    const r = await runRequest(setup('Delete'), d);
    expect(r).toEqual({ Status: 'SUCCESS', Reason: 'retained', PhysicalResourceId: 'organization-setup', changes: [] });
    expect(org.calls()).toHaveLength(0);
    expect(gd.calls()).toHaveLength(0);
    expect(d.lines.join('\n')).toContain('retained');
  });

  test('an unknown resource type fails', async () => {
    install(emptyWorld());
    expect(await runRequest(event('Custom::Other', {}), deps())).toMatchObject({ Status: 'FAILED', Reason: 'unknown resource type Custom::Other' });
  });
});

const FEATURES = GUARDDUTY_FEATURES.map((f) => ({ Name: f.name, ...(f.additionalConfiguration ? { AdditionalConfiguration: [...f.additionalConfiguration] } : {}) }));
const allOn = () => ({
  members: 'ALL',
  features: GUARDDUTY_FEATURES.map((f) => ({
    Name: f.name, AutoEnable: 'ALL', ...(f.additionalConfiguration ? { AdditionalConfiguration: f.additionalConfiguration.map((Name) => ({ Name, AutoEnable: 'ALL' })) } : {}),
  })),
});
const gdConfig = (type: CustomResourceEvent['RequestType'] = 'Create') => event(GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE, { Features: FEATURES }, type);

describe('GuardDutyOrganizationConfiguration handler', () => {
  test('turns auto-enable ALL on for members and every plan, with runtime monitoring agent management, in the function\'s region', async () => {
    const world = emptyWorld();
    world.detectors.set('eu-west-1', ['det-1']);
    world.orgConfig.set('eu-west-1', { members: 'NEW', features: [{ Name: 'S3_DATA_EVENTS', AutoEnable: 'NEW' }] });
    install(world);
    const r = await runRequest(gdConfig(), deps());
    expect(r).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'guardduty-organization-configuration-eu-west-1' });
    const update = gd.commandCalls(UpdateOrganizationConfigurationCommand);
    expect(update).toHaveLength(1);
    expect(update[0].args[0].input).toEqual({ DetectorId: 'det-1', AutoEnableOrganizationMembers: 'ALL', Features: allOn().features });
    expect(world.orgConfig.get('eu-west-1')).toEqual(allOn());
    expect(world.orgConfig.has('us-east-1')).toBe(false);
  });

  test('is idempotent: when members and every plan are ALL, it writes nothing', async () => {
    const world = emptyWorld();
    world.detectors.set('eu-west-1', ['det-1']);
    world.orgConfig.set('eu-west-1', allOn());
    install(world);
    expect(await runRequest(gdConfig('Update'), deps())).toMatchObject({ Status: 'SUCCESS', changes: [] });
    expect(gd.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(0);
  });

  test.each([
    ['members only for new accounts', (c: ReturnType<typeof allOn>) => { c.members = 'NEW'; }],
    ['one plan only for new accounts', (c: ReturnType<typeof allOn>) => { c.features[2].AutoEnable = 'NEW'; }],
    ['one plan missing', (c: ReturnType<typeof allOn>) => { c.features.pop(); }],
    ['one runtime-monitoring agent not auto-enabled', (c: ReturnType<typeof allOn>) => { c.features[5].AdditionalConfiguration![1].AutoEnable = 'NONE'; }],
  ])('updates when %s', async (_name, spoil) => {
    const world = emptyWorld();
    world.detectors.set('eu-west-1', ['det-1']);
    const conf = allOn();
    spoil(conf);
    world.orgConfig.set('eu-west-1', conf);
    install(world);
    expect((await runRequest(gdConfig(), deps())).Status).toBe('SUCCESS');
    expect(gd.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(1);
    expect(world.orgConfig.get('eu-west-1')).toEqual(allOn());
  });

  test('fails with a clear message when the administrator has no detector in the region', async () => {
    install(emptyWorld());
    const r = await runRequest(gdConfig(), deps());
    expect(r.Status).toBe('FAILED');
    expect(r.Reason).toMatch(/^guardduty:ListDetectors in eu-west-1 found 0 detectors; .*deploy the management stack first/);
    expect(gd.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(0);
  });

  test('retries a throttled update', async () => {
    const world = emptyWorld();
    world.detectors.set('eu-west-1', ['det-1']);
    install(world);
    gd.on(UpdateOrganizationConfigurationCommand).rejectsOnce(Object.assign(new Error('busy'), { name: 'BadRequestException', $metadata: { httpStatusCode: 429 } }))
      .resolves({});
    const d = deps();
    expect((await runRequest(gdConfig(), d)).Status).toBe('SUCCESS');
    expect(gd.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(2);
    expect(d.sleeps).toEqual([1_000]);
  });

  test('a failed update fails the resource, naming the call and region', async () => {
    const world = emptyWorld();
    world.detectors.set('eu-west-1', ['det-1']);
    install(world);
    gd.on(UpdateOrganizationConfigurationCommand).rejects(Object.assign(new Error('not the administrator'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } }));
    expect((await runRequest(gdConfig(), deps())).Reason)
      .toBe('guardduty:UpdateOrganizationConfiguration in eu-west-1 failed after 1 attempt: BadRequestException: not the administrator');
  });

  test('Delete makes no call: the configuration is retained', async () => {
    install(emptyWorld());
    expect(await runRequest({ ...gdConfig('Delete'), PhysicalResourceId: 'guardduty-organization-configuration-eu-west-1' }, deps()))
      .toMatchObject({ Status: 'SUCCESS', Reason: 'retained' });
    expect(gd.calls()).toHaveLength(0);
  });
});

/** A local server standing in for CloudFormation's pre-signed response URL. */
async function responseServer(): Promise<{ url: string; bodies: Record<string, unknown>[]; close: () => Promise<void> }> {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { expect(req.method).toBe('PUT'); bodies.push(JSON.parse(body)); res.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?sig=x`;
  return { url, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

describe('the CloudFormation response', () => {
  test('PUTs the status, reason and ids CloudFormation matches the request by', async () => {
    const s = await responseServer();
    try {
      await sendResponse({ ...setup(), ResponseURL: s.url }, { Status: 'FAILED', Reason: 'x failed', PhysicalResourceId: 'organization-setup', changes: [] });
      expect(s.bodies).toEqual([{
        Status: 'FAILED', Reason: 'x failed', PhysicalResourceId: 'organization-setup',
        StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/S/1', RequestId: 'req-1', LogicalResourceId: 'Org',
      }]);
    } finally {
      await s.close();
    }
  });

  test('rejects when CloudFormation refuses the response', async () => {
    const server = createServer((_req, res) => { res.statusCode = 403; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await expect(sendResponse({ ...setup(), ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` },
        { Status: 'SUCCESS', Reason: 'ok', PhysicalResourceId: 'p', changes: [] })).rejects.toThrow('returned 403');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the inlined code is the tested code', () => {
  /** Loads the source the template carries as a CommonJS module, as Lambda does. */
  function loadInline(): { handler: (e: CustomResourceEvent, c: { getRemainingTimeInMillis(): number }) => Promise<void> } {
    const module = { exports: {} as Record<string, unknown> };
    vm.runInThisContext(`(function (exports, require, module) {${inlineHandlerSource('organization')}\n})`)(module.exports, require, module);
    return module.exports as never;
  }

  test('imports only Node modules and the AWS SDK clients the Lambda runtime ships', () => {
    const requires = [...inlineHandlerSource('organization').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).sort();
    expect(requires).toEqual(['@aws-sdk/client-guardduty', '@aws-sdk/client-organizations', 'http', 'https']);
  });

  test('its handler sets what is missing and answers CloudFormation; on Delete it calls nothing and answers SUCCESS', async () => {
    const world = emptyWorld();
    install(world);
    const s = await responseServer();
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'us-east-1';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const { handler } = loadInline();
      await handler({ ...setup(), ResponseURL: s.url }, { getRemainingTimeInMillis: () => 600_000 });
      expect(s.bodies[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'organization-setup', RequestId: 'req-1' });
      expect(world.gdAdmin.size).toBe(3);
      org.resetHistory();
      gd.resetHistory();
      await handler({ ...setup('Delete'), ResponseURL: s.url }, { getRemainingTimeInMillis: () => 600_000 });
      expect(s.bodies[1]).toMatchObject({ Status: 'SUCCESS', Reason: 'retained' });
      expect(org.calls().length + gd.calls().length).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION; else process.env.AWS_REGION = saved;
      log.mockRestore();
      await s.close();
    }
  });
});
