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
