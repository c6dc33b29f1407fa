import { evaluate } from '../../lib/policy';
import { AppResolver } from '../../lib/replay/resolve';
import { buildModel } from '../../lib/replay/model';
import { fromEveryNetwork, namedAddresses, privilegedRoles } from '../../lib/replay/replay';
import { Persona } from '../../lib/replay/personas';
import { replayTemplates } from './helpers';
import { weakenedTemplate } from './weakened-app';

/**
 * Where the attacker calls from: the breach's intruders ran malware inside the network, and a hijacked
 * workload's credentials are used from its own host. A request from a host of the app's VPC goes through
 * the app's VPC endpoint for its service and carries aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp (no
 * aws:SourceIp), capped by the endpoint's policy; from the internet it carries aws:SourceIp. A data bucket
 * "closed" to everything but its VPC endpoint was DENIED to every persona, because no request came from there.
 */
const bucket = { 'Fn::GetAtt': ['DataBucket', 'Arn'] };
const objects = { 'Fn::Join': ['', [bucket, '/*']] };
const denyUnless = (Condition: Record<string, unknown>) => ({
  DataPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'DataBucket' }, PolicyDocument: { Version: '2012-10-17', Statement: [
    { Sid: 'OnlyFromTheVpc', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket, objects], Condition },
  ] } } },
});
const readPii = (overrides: Record<string, unknown>) => replayTemplates({ Weak: weakenedTemplate(overrides) }, { steps: ['collection-read-pii-objects'] }).result.steps[0];
const hijacked = (step: ReturnType<typeof readPii>) => step.attempts.find((a) => a.personaKind === 'hijacked-workload')!;

describe('replay: requests from inside the VPC, through its endpoint', () => {
  test.each([
    ['its endpoint (aws:SourceVpce)', { StringNotEquals: { 'aws:SourceVpce': { Ref: 'S3Endpoint' } } }],
    ['its VPC (aws:SourceVpc)', { StringNotEquals: { 'aws:SourceVpc': 'vpc-1234' } }],
  ])('a data bucket denying all but %s is still read by a hijacked workload from its host: not DENIED', (_, condition) => {
    const attempt = hijacked(readPii(denyUnless(condition)));
    expect(attempt.verdict).not.toBe('DENIED');
    const get = attempt.requests.find((r) => r.action === 's3:GetObject')!;
    expect(get.decision).toBe('Allow');
    expect(get.context).toMatchObject({ 'aws:SourceVpc': 'vpc-1234', 'aws:VpcSourceIp': '10.0.1.20' });
    expect(get.context['aws:SourceVpce']).toBeDefined();
    expect(get.context).not.toHaveProperty('aws:SourceIp');
  });

  test('the endpoint policy caps what comes through it: a bucket closed to all but the endpoint, and an endpoint admitting only another bucket, is DENIED', () => {
    const endpoint = weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>;
    const onlyArchive = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, '/*']] }] }] };
    const step = readPii({ ...denyUnless({ StringNotEquals: { 'aws:SourceVpce': { Ref: 'S3Endpoint' } } }),
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ...endpoint.S3Endpoint.Properties, PolicyDocument: onlyArchive } } });
    expect(step.attempts.map((a) => a.verdict)).not.toContain('OPEN');
    expect(hijacked(step).verdict).toBe('DENIED');
  });

  test('a network on which the request cannot be decided is never read as denied: UNDECIDABLE', () => {
    const endpoint = weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>;
    const unreadable = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': { 'Fn::ImportValue': 'TrustedAccount' } } } }] };
    const step = readPii({ ...denyUnless({ StringNotEquals: { 'aws:SourceVpce': { Ref: 'S3Endpoint' } } }),
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ...endpoint.S3Endpoint.Properties, PolicyDocument: unreadable } } });
    const attempt = hijacked(step);
    expect(attempt.verdict).toBe('UNDECIDABLE');
    expect(attempt.requests.find((r) => r.action === 's3:GetObject')!.context['aws:SourceVpce']).toBeDefined();
  });

  test('a request from the internet carries aws:SourceIp and no endpoint keys', () => {
    const attempt = hijacked(readPii({}));
    const get = attempt.requests.find((r) => r.action === 's3:GetObject')!;
    expect(get.context['aws:SourceIp']).toBe('203.0.113.7');
    expect(get.context).not.toHaveProperty('aws:SourceVpce');
  });
});

describe('replay: the call is recorded from where it was made, and made where no one watches', () => {
  const dataEvents = (() => {
    const trail = (weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>).Trail;
    return { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { ...trail.Properties, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } } };
  })();
  const readRule = (detail: Record<string, unknown>) => ({
    ReadRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'weak-pii-read', EventPattern: { source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['GetObject'], ...detail } }, Targets: [{ Id: 'T', Arn: { Ref: 'AlertTopic' } }] } },
  });

  test('a rule on reads from outside the VPC only: the hijacked workload reads from its host through the endpoint, unseen: OPEN, naming where it called from', () => {
    const attempt = hijacked(readPii({ ...dataEvents, ...readRule({ sourceIPAddress: [{ 'anything-but': { prefix: '10.' } }] }) }));
    expect(attempt.verdict).toBe('OPEN');
    expect(attempt.evidence).toMatch(/no alarm or rule delivers it \(called from 10\.0\.1\.20 through vpce-/);
    const get = attempt.requests.find((r) => r.action === 's3:GetObject')!;
    expect(get.context['aws:SourceVpce']).toBeDefined();
    expect(get.context).not.toHaveProperty('aws:SourceIp');
  });

  test('a rule on every read: DETECTED from either network; the evidence keeps the request from the internet', () => {
    const attempt = hijacked(readPii({ ...dataEvents, ...readRule({}) }));
    expect(attempt.verdict).toBe('DETECTED');
    expect(attempt.requests.find((r) => r.action === 's3:GetObject')!.context['aws:SourceIp']).toBe('203.0.113.7');
  });

  test('a rule on reads through an endpoint only (vpcEndpointId): the attacker reads from the internet instead, unseen: OPEN, the record from the internet carries no endpoint', () => {
    const attempt = hijacked(readPii({ ...dataEvents, ...readRule({ vpcEndpointId: [{ exists: true }] }) }));
    expect(attempt.verdict).toBe('OPEN');
    expect(attempt.requests.find((r) => r.action === 's3:GetObject')!.context['aws:SourceIp']).toBe('203.0.113.7');
    expect(attempt.evidence).not.toMatch(/called from/);
  });

  test('a rule on reads from outside the VPC, and an endpoint policy that refuses the data bucket: the read comes only from the internet, where it is seen: DETECTED', () => {
    const endpoint = weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>;
    const onlyArchive = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, '/*']] }] }] };
    const attempt = hijacked(readPii({ ...dataEvents, ...readRule({ sourceIPAddress: [{ 'anything-but': { prefix: '10.' } }] }),
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ...endpoint.S3Endpoint.Properties, PolicyDocument: onlyArchive } } }));
    expect(attempt.verdict).toBe('DETECTED');
    expect(attempt.evidence).toMatch(/rule weak-pii-read fires/);
  });
});

describe('replay: an intruder on an office host calls from the office\'s address', () => {
  const office = '198.51.100.0/24';
  const stolenKey = (step: ReturnType<typeof readPii>) => step.attempts.find((a) => a.personaKind === 'stolen-access-key')!;

  test('a data bucket denying every address but the office\'s is still read with a stolen key from an office host: not DENIED, the request from 198.51.100.7', () => {
    const attempt = stolenKey(readPii(denyUnless({ NotIpAddress: { 'aws:SourceIp': office } })));
    expect(attempt.verdict).not.toBe('DENIED');
    const get = attempt.requests.find((r) => r.action === 's3:GetObject')!;
    expect([get.decision, get.context['aws:SourceIp']]).toEqual(['Allow', '198.51.100.7']);
  });

  test('a private range under aws:SourceIp names no address AWS sends: a bucket denying all but 10.0.0.0/8 stays closed to every persona', () => {
    const step = readPii(denyUnless({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
    expect(step.attempts.map((a) => a.verdict).filter((v) => v !== 'DENIED')).toEqual([]);
  });

  test('a role people assume only from the office is assumed from an office host: the chained session exists (it did not: the trust was asked with no address)', () => {
    const t = weakenedTemplate() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    const human = t.Resources.HumanRole;
    const trust = human.Properties.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> };
    const officeOnly = { ...human, Properties: { ...human.Properties, AssumeRolePolicyDocument: { ...trust, Statement: [{ ...trust.Statement[0], Condition: { IpAddress: { 'aws:SourceIp': office } } }] } } };
    const run = replayTemplates({ Weak: weakenedTemplate({ HumanRole: officeOnly }) }, { steps: ['collection-read-pii-objects'] });
    expect(run.result.personas.map((p) => p.id)).toContain('chained-session:weak-human');
    const closed = { ...human, Properties: { ...human.Properties, AssumeRolePolicyDocument: { ...trust, Statement: [{ ...trust.Statement[0], Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] } } };
    const none = replayTemplates({ Weak: weakenedTemplate({ HumanRole: closed }) }, { steps: ['collection-read-pii-objects'] });
    expect(none.result.personas.map((p) => p.id)).not.toContain('chained-session:weak-human');
  });
});

describe('namedAddresses: the addresses an intruder on a host behind a named range has', () => {
  const named = (name: string, range: string) => ({ name, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': range } } }] } });
  const persona = (context: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
    id: 'p', kind: 'stolen-access-key', title: 'p', principal: { arn: 'arn:aws:iam::123456789012:user/u', account: '123456789012', type: 'User' },
    identity: [named('identity', '198.51.100.0/26')], context, contextNote: '', userIdentity: {}, inOrganization: true, ...extra,
  }) as unknown as Persona;
  const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourcePolicy: named('bucket', '192.0.2.0/24') };

  test('one address inside each public range of every policy deciding the request: resource, identity, boundary, SCP and RCP', () => {
    const p = persona({}, { boundary: named('boundary', '2001:db8:1::/48') });
    expect(namedAddresses(p, request, { scps: [named('scp', '198.51.100.128/25')], rcps: [named('rcp', '203.0.112.0/24')] }, 'aws:sourceip').sort())
      .toEqual(['192.0.2.7', '198.51.100.135', '198.51.100.7', '203.0.112.7', '2001:db8:1:0:0:0:0:7'].sort());
  });
  test('private ranges (AWS never sends one as aws:SourceIp), the internet address itself and text that is no range add nothing', () => {
    const p = persona({}, { identity: [named('a', '10.0.0.0/8'), named('b', '172.16.0.0/12'), named('c', '192.168.1.0/24'), named('d', 'fd00::/8'), named('e', '203.0.113.0/24'), named('f', 'office')] });
    expect(namedAddresses(p, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, {}, 'aws:sourceip')).toEqual([]);
  });
  test('an SCP names addresses only for a principal of the organization, an RCP only for a resource of the app', () => {
    const o = { scps: [named('scp', '198.51.100.128/25')], rcps: [named('rcp', '203.0.112.0/24')] };
    const outsider = persona({}, { inOrganization: false, identity: [] });
    expect(namedAddresses(outsider, request, o, 'aws:sourceip').sort()).toEqual(['192.0.2.7', '203.0.112.7']);
    expect(namedAddresses(persona({}, { identity: [] }), { ...request, foreignResource: true }, o, 'aws:sourceip').sort()).toEqual(['192.0.2.7', '198.51.100.135']);
  });
  test('a range wider than a private one still names no address AWS never sends (10.0.0.0/7), nor do shared, loopback and link-local ranges', () => {
    const p = persona({}, { identity: ['10.0.0.0/7', '11.0.0.0/7', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fe80::/10', '::1/128'].map((r, i) => named(`n${i}`, r)) });
    expect(namedAddresses(p, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, {}, 'aws:sourceip')).toEqual([]);
  });
  test('aws:VpcSourceIp ranges name the hosts of a subnet, private ones included (the own host 10.0.1.20 aside)', () => {
    const vpc = (name: string, range: string) => ({ name, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:VpcSourceIp': range } } }] } });
    const p = persona({}, { identity: [vpc('a', '10.0.2.0/24'), vpc('b', '10.0.1.0/24')] });
    expect(namedAddresses(p, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, {}, 'aws:vpcsourceip')).toEqual(['10.0.2.7']);
  });
  test('a persona whose calls a service makes (aws:CalledVia: the pipeline through CloudFormation) has no office address', () => {
    expect(namedAddresses(persona({ 'aws:CalledVia': 'cloudformation.amazonaws.com' }), request, {}, 'aws:sourceip')).toEqual([]);
    expect(namedAddresses(persona(), request, {}, 'aws:sourceip').sort()).toEqual(['192.0.2.7', '198.51.100.7']);
  });
});

describe('a policy whose addresses cannot be read: where the request may come from is unknown, never a denial', () => {
  const broken = { name: 'office-only', document: '{"Version": "2012-10-17", "Statement": [' };
  const persona = { id: 'p', kind: 'stolen-access-key', title: 'p', principal: { arn: 'arn:aws:iam::123456789012:user/u', account: '123456789012', type: 'User' },
    identity: [broken], context: {}, contextNote: '', userIdentity: {}, inOrganization: true } as unknown as Persona;
  const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' };

  test('namedAddresses names the policy and the key it could not read', () => {
    expect(() => namedAddresses(persona, request, {}, 'aws:sourceip')).toThrow(/^policy 'office-only': the addresses it names under aws:sourceip cannot be read \(.*JSON.*\)/);
  });
  test('fromEveryNetwork: UNDECIDABLE, open, with that reason (not an evaluation failure), and nothing evaluated', () => {
    const env = { account: '123456789012', region: 'us-east-1', partition: 'aws' };
    const model = buildModel(new AppResolver([{ stackName: 'S', file: 'S.template.json', template: { Resources: {} } as never, env: env as never }], {}));
    const evaluated: unknown[] = [];
    const { chosen, open } = fromEveryNetwork(model, persona, request, (q, p) => { evaluated.push(q); return evaluate(q, p); }, {});
    expect([chosen.res.decision, chosen.res.allowed, evaluated.length]).toEqual(['Undecidable', false, 0]);
    expect(chosen.res.reason).toMatch(/^policy 'office-only': the addresses it names under aws:sourceip cannot be read/);
    expect(chosen.res.unknowns).toEqual([chosen.res.reason]);
    expect(chosen.request).toMatchObject({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' });
    expect(open).toEqual([chosen]);
  });
});

describe('privilegedRoles: a role whose power holds only from the office is still privileged', () => {
  test('a workload role allowed iam:CreateRole only from the office range counts (an intruder on an office host uses it); from a private range only, it does not', () => {
    const roleWith = (range: string) => ({ Type: 'AWS::IAM::Role', Properties: { RoleName: 'office-admin', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': range } } }] } }] } });
    const privileged = (range: string) => {
      const env = { account: '123456789012', region: 'us-east-1', partition: 'aws' };
      const model = buildModel(new AppResolver([{ stackName: 'S', file: 'S.template.json', template: { Resources: { OfficeAdmin: roleWith(range) } } as never, env: env as never }], {}));
      return [...privilegedRoles(model, evaluate, {})].some((arn) => arn.endsWith(':role/office-admin'));
    };
    expect([privileged('198.51.100.0/24'), privileged('10.0.0.0/8')]).toEqual([true, false]);
  });
});

describe('replay: a workload in another subnet, and a network whose answer cannot be decided', () => {
  test('a data bucket denying all hosts but one subnet (aws:VpcSourceIp) is read by a hijacked workload on a host of that subnet: not DENIED', () => {
    const attempt = hijacked(readPii(denyUnless({ NotIpAddress: { 'aws:VpcSourceIp': '10.0.2.0/24' } })));
    expect(attempt.verdict).not.toBe('DENIED');
    const get = attempt.requests.find((r) => r.action === 's3:GetObject')!;
    expect([get.decision, get.context['aws:VpcSourceIp']]).toEqual(['Allow', '10.0.2.7']);
  });
  test('read from the internet where a rule sees it, and through the endpoint where the answer cannot be decided and no rule looks: UNDECIDABLE, never DETECTED', () => {
    const trail = (weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>).Trail;
    const endpoint = weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>;
    const unreadable = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': { 'Fn::ImportValue': 'TrustedAccount' } } } }] };
    const attempt = hijacked(readPii({
      Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { ...trail.Properties, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } },
      ReadRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'weak-pii-read', EventPattern: { source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['GetObject'], sourceIPAddress: [{ 'anything-but': { prefix: '10.' } }] } }, Targets: [{ Id: 'T', Arn: { Ref: 'AlertTopic' } }] } },
      S3Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ...endpoint.S3Endpoint.Properties, PolicyDocument: unreadable } },
    }));
    expect(attempt.verdict).toBe('UNDECIDABLE');
    expect(attempt.requests.find((r) => r.action === 's3:GetObject')!.context['aws:SourceVpce']).toBeDefined();
  });
});

test('replay: read from the internet where a rule fires but its delivery cannot be decided, and from the VPC where no rule looks: OPEN through the endpoint, not UNDECIDABLE', () => {
  const t = weakenedTemplate().Resources as Record<string, { Properties: Record<string, unknown> }>;
  const attempt = hijacked(readPii({
    Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { ...t.Trail.Properties, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } },
    ReadRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'weak-pii-read', EventPattern: { source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['GetObject'], sourceIPAddress: [{ 'anything-but': { prefix: '10.' } }] } }, Targets: [{ Id: 'T', Arn: { Ref: 'AlertTopic' } }] } },
    AlertTopicPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: { ...t.AlertTopicPolicy.Properties, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' }, Condition: { StringEquals: { 'aws:SourceAccount': { 'Fn::ImportValue': 'AlertAccount' } } } }] } } },
  }));
  expect(attempt.verdict).toBe('OPEN');
  expect(attempt.evidence).toMatch(/called from 10\.0\.1\.20 through vpce-/);
});
