/**
 * A seeded, deterministic generator of (policy set, request) cases for the differential test of
 * lib/policy against @cloud-copilot/iam-simulate. Statements are drawn from realistic actions,
 * resources, principals and condition operators/keys; context keys are present or absent.
 */
import { PolicyRequest, PolicySet } from '../../lib/policy';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const ORG = 'o-a1b2c3d4e5';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  private readonly r: () => number;
  constructor(seed: number) { this.r = rng(seed); }
  chance(p: number): boolean { return this.r() < p; }
  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]; }
  some<T>(items: readonly T[], max: number): T[] {
    const n = 1 + this.int(max);
    const out: T[] = [];
    for (let i = 0; i < n; i++) { const x = this.pick(items); if (!out.includes(x)) out.push(x); }
    return out;
  }
}

/** Actions and the resources they act on. */
const TARGETS: ReadonlyArray<{ action: string; resources: string[] }> = [
  { action: 's3:GetObject', resources: ['arn:aws:s3:::bucket-a/alice/report.csv', 'arn:aws:s3:::bucket-a/secret/key.pem', 'arn:aws:s3:::bucket-b/bob/x'] },
  { action: 's3:PutObject', resources: ['arn:aws:s3:::bucket-a/alice/new.csv', 'arn:aws:s3:::bucket-b/data'] },
  { action: 's3:ListBucket', resources: ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-b'] },
  { action: 'sqs:SendMessage', resources: [`arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`, `arn:aws:sqs:eu-west-1:${ACCOUNT}:Queue2`] },
  { action: 'sqs:ReceiveMessage', resources: [`arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`] },
  { action: 'dynamodb:GetItem', resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/alice`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`] },
  { action: 'sns:Publish', resources: [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`] },
  { action: 'secretsmanager:GetSecretValue', resources: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`] },
  { action: 'kms:Decrypt', resources: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`] },
  { action: 'kms:GenerateDataKey', resources: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`] },
  { action: 'sts:AssumeRole', resources: [`arn:aws:iam::${ACCOUNT}:role/admin`] },
];

const ACTION_PATTERNS = [
  '*', 's3:*', 's3:Get*', 's3:GetObject', 'S3:getobject', 's3:?etObject', 's3:Put*', 's3:List*', 'sqs:*', 'sqs:SendMessage',
  'sqs:Receive*', 'kms:*', 'kms:Decrypt', 'kms:Generate*', 'sts:AssumeRole', 'sts:*', 'dynamodb:Get*', 'dynamodb:*', 'sns:Publish', 'sns:*', 'secretsmanager:GetSecretValue', 'secretsmanager:*', 'ec2:*', 'iam:*',
];

const RESOURCE_PATTERNS = [
  '*', 'arn:aws:s3:::bucket-a/*', 'arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-?/*', 'arn:aws:s3:::bucket-a/secret/*',
  'arn:aws:s3:::bucket-a/${aws:username}/*', 'arn:aws:s3:::*', 'arn:aws:s3:::bucket-b*',
  `arn:aws:sqs:*:${ACCOUNT}:*`, `arn:aws:sqs:us-east-1:${ACCOUNT}:queue1`, `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:*`, `arn:aws:sqs:*:*:queue?`,
  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/\${aws:username}`, `arn:aws:dynamodb:*:${ACCOUNT}:table/*`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
  `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, `arn:aws:sns:*:*:*`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`,
  `arn:aws:*:us-east-1:${ACCOUNT}:*`, `arn:aws:kms:*:${ACCOUNT}:key/*`, `arn:aws:iam::${ACCOUNT}:role/adm*`,
];

/** Condition keys with the operators and values that make sense for them, and the context values a request may carry. */
interface KeySpec { key: string; ops: string[]; values: string[]; context: Array<string | string[] | undefined>; multi?: boolean }

const KEYS: KeySpec[] = [
  { key: 'aws:MultiFactorAuthPresent', ops: ['Bool'], values: ['true', 'false'], context: ['true', 'false', undefined, undefined] },
  { key: 'aws:SecureTransport', ops: ['Bool'], values: ['true', 'false'], context: ['true', 'false', undefined] },
  { key: 'aws:SourceIp', ops: ['IpAddress', 'NotIpAddress'], values: ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7/32', '2001:db8::/32'], context: ['10.1.2.3', '192.168.2.1', '2001:db8::1', '203.0.113.7', undefined] },
  { key: 'aws:PrincipalTag/team', ops: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'], values: ['red', 'blue', 'r*', 'RED'], context: ['red', 'Red', 'blue', undefined] },
  { key: 'aws:RequestedRegion', ops: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'], values: ['us-east-1', 'eu-west-1', 'eu-*'], context: ['us-east-1', 'eu-west-1', 'ap-south-1', undefined] },
  { key: 'aws:MultiFactorAuthAge', ops: ['NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'NumericEquals', 'NumericNotEquals'], values: ['3600', '100', '0'], context: ['100', '3600', '7200', undefined] },
  { key: 'aws:CurrentTime', ops: ['DateGreaterThan', 'DateLessThan', 'DateEquals', 'DateNotEquals', 'DateGreaterThanEquals', 'DateLessThanEquals'], values: ['2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '2026-12-02T00:00:00Z'], context: ['2026-12-02T00:00:00Z', '2019-06-01T12:00:00Z', undefined] },
  { key: 'aws:PrincipalArn', ops: ['ArnLike', 'ArnNotLike', 'ArnEquals', 'ArnNotEquals'], values: [`arn:aws:iam::${ACCOUNT}:role/app*`, 'arn:aws:iam::*:user/alice', `arn:aws:iam::${ACCOUNT}:*`, `arn:aws:iam::${OTHER_ACCOUNT}:*`], context: [] },
  { key: 'aws:PrincipalAccount', ops: ['StringEquals', 'StringNotEquals'], values: [ACCOUNT, OTHER_ACCOUNT], context: [] },
  { key: 'aws:PrincipalOrgID', ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIfExists'], values: [ORG, 'o-zzzzzzzzzz'], context: [] },
  { key: 'aws:username', ops: ['StringEquals', 'StringLike', 'StringNotEquals'], values: ['alice', 'bob', 'a*', '${aws:username}'], context: [] },
  { key: 'aws:TagKeys', ops: ['ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringLike', 'ForAnyValue:StringNotEquals', 'ForAllValues:StringNotEquals', 'StringEquals'], values: ['env', 'team', 'own*'], context: [['env'], ['env', 'owner'], ['team', 'cost'], [], undefined], multi: true },
  { key: 'aws:SourceAccount', ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIfExists'], values: [ACCOUNT, OTHER_ACCOUNT], context: [] },
  { key: 'aws:SourceArn', ops: ['ArnLike', 'ArnEquals', 'ArnNotLike'], values: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/*`, 'arn:aws:events:*:*:rule/alerts'], context: [] },
  { key: 'aws:SourceVpce', ops: ['StringEquals', 'StringNotEquals', 'StringNotEqualsIfExists'], values: ['vpce-1a2b3c4d', 'vpce-9z8y7x6w'], context: ['vpce-1a2b3c4d', undefined, undefined] },
];

/** Context keys the request may carry, drawn once per case. */
function drawContext(g: Gen): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  for (const k of KEYS) {
    if (k.context.length === 0) continue;
    const v = g.pick(k.context);
    if (v !== undefined) ctx[k.key] = v;
  }
  return ctx;
}

function drawCondition(g: Gen): Record<string, Record<string, string | string[]>> {
  const out: Record<string, Record<string, string | string[]>> = {};
  const n = 1 + g.int(2);
  for (let i = 0; i < n; i++) {
    const k = g.pick(KEYS);
    let op = g.pick(k.ops);
    if (!op.endsWith('IfExists') && !k.multi && g.chance(0.25)) op += 'IfExists';
    if (!k.multi && !op.includes(':') && g.chance(0.08)) op = `${g.pick(['ForAnyValue', 'ForAllValues'])}:${op}`;
    if (g.chance(0.08)) { op = 'Null'; }
    const values = op === 'Null' ? [g.pick(['true', 'false'])] : g.some(k.values, 2);
    out[op] = { ...(out[op] ?? {}), [k.key]: values.length === 1 && g.chance(0.5) ? values[0] : values };
  }
  return out;
}

function drawStatement(g: Gen, opts: { effect?: 'Allow' | 'Deny'; principal?: boolean; sid: string; action?: string }): Record<string, unknown> {
  const s: Record<string, unknown> = { Sid: opts.sid, Effect: opts.effect ?? (g.chance(0.75) ? 'Allow' : 'Deny') };
  if (opts.principal) {
    if (s.Effect === 'Deny' && g.chance(0.3)) s.NotPrincipal = g.pick<unknown>([{ AWS: PRINCIPALS.alice }, { AWS: [PRINCIPALS.alice, `arn:aws:iam::${ACCOUNT}:root`] }, { AWS: PRINCIPALS.role }, { AWS: [PRINCIPALS.session, PRINCIPALS.role] }, { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }]);
    else s.Principal = drawPrincipal(g);
  }
  if (opts.action && g.chance(0.5)) {
    // a statement likely to reach the request: its own action (or its service's wildcard) on every resource
    const [service] = opts.action.split(':');
    s.Action = g.pick(['*', `${service}:*`, opts.action]);
    s.Resource = '*';
    if (g.chance(0.5)) s.Condition = drawCondition(g);
    return s;
  }
  const actions = g.some(ACTION_PATTERNS, 3);
  s[g.chance(0.12) ? 'NotAction' : 'Action'] = actions.length === 1 ? actions[0] : actions;
  const resources = g.some(RESOURCE_PATTERNS, 2);
  s[g.chance(0.1) ? 'NotResource' : 'Resource'] = resources.length === 1 ? resources[0] : resources;
  if (g.chance(0.5)) s.Condition = drawCondition(g);
  return s;
}

/** RCPs hold only Deny statements with Principal "*" and no Action "*" (AWS's RCP grammar). */
function drawRcpStatement(g: Gen, action: string): Record<string, unknown> {
  const s = drawStatement(g, { sid: 'Rcp0', effect: 'Deny', action });
  s.Principal = '*';
  const [service] = action.split(':');
  delete s.NotAction;
  s.Action = g.pick([action, `${service}:*`]);
  if (!s.Condition && g.chance(0.7)) s.Condition = drawCondition(g);
  return s;
}

const PRINCIPALS = {
  alice: `arn:aws:iam::${ACCOUNT}:user/alice`,
  role: `arn:aws:iam::${ACCOUNT}:role/app-role`,
  session: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/s1`,
  bob: `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`,
  otherRole: `arn:aws:iam::${OTHER_ACCOUNT}:role/reader`,
};

function drawPrincipal(g: Gen): unknown {
  return g.pick<unknown>([
    '*', { AWS: '*' }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }, { AWS: ACCOUNT }, { AWS: PRINCIPALS.alice }, { AWS: PRINCIPALS.role },
    { AWS: PRINCIPALS.session }, { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, { AWS: [PRINCIPALS.bob, PRINCIPALS.alice] }, { AWS: PRINCIPALS.otherRole },
    { Service: 'events.amazonaws.com' }, { Service: ['sns.amazonaws.com', 'events.amazonaws.com'] }, { Service: 'logs.amazonaws.com' },
  ]);
}

function doc(statements: unknown[]): { Version: '2012-10-17'; Statement: unknown[] } {
  return { Version: '2012-10-17', Statement: statements };
}

export const FULL_ACCESS = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);

export interface GeneratedCase {
  readonly id: number;
  readonly request: PolicyRequest;
  readonly policies: PolicySet;
  /** the request's principal as the oracle takes it */
  readonly principalArn: string;
}

/** One case: a principal, an action on a fitting resource, context keys, and a policy set. */
export function generateCase(seed: number, id: number): GeneratedCase {
  const g = new Gen(seed * 100_003 + id);
  const who = g.pick(['alice', 'alice', 'session', 'session', 'bob', 'otherRole', 'service'] as const);
  if (who === 'service') return serviceCase(g, seed, id);
  const arn = who === 'otherRole' ? `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/reader/s2` : PRINCIPALS[who];
  const account = who === 'bob' || who === 'otherRole' ? OTHER_ACCOUNT : ACCOUNT;
  const target = g.pick(TARGETS);
  const resource = g.pick(target.resources);
  const context = drawContext(g);
  const orgId = g.chance(0.5) ? ORG : undefined;
  const identity = Array.from({ length: 1 + g.int(2) }, (_, d) => ({
    name: `identity-${d}`,
    document: doc(Array.from({ length: 1 + g.int(3) }, (_, i) => drawStatement(g, { sid: `Id${d}S${i}`, effect: i === 0 ? 'Allow' : undefined, action: target.action }))),
  }));
  const policies: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity };
  if (g.chance(0.3)) policies.permissionsBoundary = { name: 'boundary', document: doc(Array.from({ length: 1 + g.int(2) }, (_, i) => drawStatement(g, { sid: `Pb${i}`, action: target.action }))) };
  if (g.chance(0.3)) {
    policies.scps = [
      [{ name: 'FullAWSAccess', document: FULL_ACCESS }],
      [
        ...(g.chance(0.6) ? [{ name: 'FullAWSAccess-acct', document: FULL_ACCESS }] : []),
        { name: 'scp-0', document: doc(Array.from({ length: 1 + g.int(2) }, (_, i) => drawStatement(g, { sid: `Scp${i}`, action: target.action }))) },
      ],
    ];
  }
  const service = target.action.split(':')[0];
  if (service === 'kms' || service === 'sts' || g.chance(0.45)) {
    const statements = Array.from({ length: 1 + g.int(3) }, (_, i) => drawStatement(g, { sid: `Rp${i}`, principal: true, action: target.action }));
    // key policies name no particular key (Resource "*"); trust policies carry no Resource at all
    if (service === 'kms') for (const st of statements) { delete st.NotResource; st.Resource = '*'; }
    if (service === 'sts') for (const st of statements) { delete st.NotResource; delete st.Resource; }
    policies.resourcePolicy = { name: 'resource-policy', document: doc(statements) };
  }
  if (g.chance(0.15)) {
    policies.rcps = [
      [{ name: 'RCPFullAWSAccess', document: FULL_ACCESS }],
      [{ name: 'RCPFullAWSAccess-acct', document: FULL_ACCESS }, { name: 'rcp-0', document: doc([drawRcpStatement(g, target.action)]) }],
    ];
  }
  if (who === 'session' && g.chance(0.2)) {
    policies.sessionPolicies = [{ name: 'session', document: doc([drawStatement(g, { sid: 'Sess0', effect: 'Allow', action: target.action })]) }];
  }
  return {
    id,
    request: { principal: { arn, account, orgId }, action: target.action, resource, resourceAccount: resource.includes(OTHER_ACCOUNT) || resource.includes('bucket-b') ? OTHER_ACCOUNT : ACCOUNT, context },
    policies,
    principalArn: arn,
  };
}

/**
 * An AWS service principal (EventBridge) calling a resource: decided by the resource policy alone. No
 * identity policies, boundary or SCPs: a service principal has none, and SCPs do not apply to it.
 */
function serviceCase(g: Gen, _seed: number, id: number): GeneratedCase {
  const target = g.pick(TARGETS.filter((t) => /^(sns|sqs|kms):/.test(t.action)));
  const resource = g.pick(target.resources);
  const statements = Array.from({ length: 1 + g.int(3) }, (_, i) => drawStatement(g, { sid: `Rp${i}`, principal: true, action: target.action }));
  if (target.action.startsWith('kms:')) for (const st of statements) { delete st.NotResource; st.Resource = '*'; }
  const context = drawContext(g);
  if (g.chance(0.5)) context['aws:SourceAccount'] = g.pick([ACCOUNT, OTHER_ACCOUNT]);
  if (g.chance(0.5)) context['aws:SourceArn'] = `arn:aws:events:us-east-1:${g.pick([ACCOUNT, OTHER_ACCOUNT])}:rule/alerts`;
  const policies: PolicySet = { identity: [], resourcePolicy: { name: 'resource-policy', document: doc(statements) } };
  return {
    id,
    request: { principal: { arn: 'events.amazonaws.com', type: 'Service' }, action: target.action, resource, resourceAccount: ACCOUNT, context },
    policies,
    principalArn: 'events.amazonaws.com',
  };
}
