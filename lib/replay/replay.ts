import { ContextValue, EvaluationResult, NamedPolicy, PolicyRequest, PolicySet, StatementRef, evaluate as evaluatePolicy, unknown as unknownValue, INTERNET_ADDRESS, VPC_HOST_ADDRESS, addressesInside, conditionValues, madeByService } from '../policy';
import { Cidr, addressIn, cidrContains, parseCidr } from '../policy/ip';
import { ATTACK_VERSION } from '../lessons';
import { CallNetwork, Detection, DetectionOutcome, Evaluate, deliveryPath, detect } from './detect';
import { certainlyDenied } from './prefilter';
import { AppModel, Located, endpointPolicyOf } from './model';
import { OUTSIDE_ACCOUNT, Persona, attackerPersonas, chainedPersona, isPrincipalAssumable, pipelinePersonas } from './personas';
import { Attempt, STEPS, StepDefinition, StepFacts, StepRequest } from './steps';

/**
 * The replay: every attacker persona tries every kill-chain step on every resource it applies to;
 * each attempt is DENIED (a request refused, naming the statement and document), DETECTED (all
 * requests allowed, and an alarm or rule fires whose delivery is proven), OPEN, or UNDECIDABLE
 * (a value or document could not be resolved). A step's verdict is its worst attempt's.
 */

export type Verdict = 'OPEN' | 'UNDECIDABLE' | 'DETECTED' | 'DENIED';
export const VERDICTS: readonly Verdict[] = ['OPEN', 'UNDECIDABLE', 'DETECTED', 'DENIED'];
const VERDICT_ORDER: Record<Verdict, number> = { OPEN: 0, UNDECIDABLE: 1, DETECTED: 2, DENIED: 3 };

export function worstVerdict(vs: readonly Verdict[]): Verdict | undefined {
  let w: Verdict | undefined;
  for (const v of vs) if (w === undefined || VERDICT_ORDER[v] < VERDICT_ORDER[w]) w = v;
  return w;
}

/** The evidence of one request: what was tried and what decided it. */
export interface RequestEvidence {
  readonly action: string;
  readonly resource: string;
  /** The context keys the request carried (as AWS would set them). */
  readonly context: Readonly<Record<string, string>>;
  readonly decision: EvaluationResult['decision'];
  readonly reason: string;
  readonly decidedBy: readonly StatementRef[];
  readonly unknowns: readonly string[];
}

export interface AttemptResult {
  readonly persona: string;
  readonly personaKind: Persona['kind'];
  readonly target: string;
  /** For attempts decided together (the same refusal on many resources): every resource. */
  readonly targets?: readonly string[];
  readonly located?: Pick<Located, 'stack' | 'logicalId' | 'constructPath' | 'file'>;
  readonly verdict: Verdict;
  /** One line: which statement denied, which alarm detected, or why it is open. */
  readonly evidence: string;
  readonly requests: readonly RequestEvidence[];
  readonly detections: readonly Detection[];
  /** Detectors that match but cannot deliver, and links that could not be decided. */
  readonly notes: readonly string[];
}

export interface StepResult extends Pick<StepDefinition, 'id' | 'title' | 'tactic' | 'attack' | 'lessonId' | 'controlId' | 'defence'> {
  /** Worst attempt; undefined when the step has nothing to attack in this app. */
  readonly verdict: Verdict | 'NOT_APPLICABLE';
  readonly attempts: readonly AttemptResult[];
}

/** A service the app relies on that must keep working (the pipeline deploying, alerts delivering). */
export interface ContinuityResult {
  readonly id: string;
  readonly title: string;
  readonly status: 'WORKS' | 'BROKEN' | 'UNDECIDABLE';
  readonly evidence: string;
}

export interface ReplayOptions {
  /** Service control policies attached above the account (one level; FullAWSAccess is added). */
  readonly scps?: readonly NamedPolicy[];
  /** Resource control policies attached above the account (one level; RCPFullAWSAccess is added). */
  readonly rcps?: readonly NamedPolicy[];
  /** The organization id, when known; unknown otherwise (decisions on it are undecidable). */
  readonly organizationId?: string;
  /** The evaluator (the project's lib/policy by default; tests may wrap it). */
  readonly evaluate?: Evaluate;
  /** Only these step ids. */
  readonly steps?: readonly string[];
  /** Evaluate every request, without the sound shortcut for requests no policy can allow (tests compare both). */
  readonly exhaustive?: boolean;
  /** The CloudFormation execution roles the assembly deploys with (the pipeline), from its manifest. */
  readonly executionRoles?: readonly string[];
}

export interface ReplayResult {
  readonly attackVersion: string;
  readonly account: string;
  readonly region: string;
  readonly withScps: boolean;
  readonly personas: ReadonlyArray<{ readonly id: string; readonly kind: Persona['kind']; readonly title: string; readonly context: string; readonly via?: string }>;
  readonly steps: readonly StepResult[];
  readonly continuity: readonly ContinuityResult[];
  readonly counts: Record<Verdict | 'NOT_APPLICABLE', number>;
  readonly evaluations: number;
}

const FULL_AWS_ACCESS: NamedPolicy = { name: 'FullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const RCP_FULL_AWS_ACCESS: NamedPolicy = { name: 'RCPFullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } };
const ATTACKER_RESOURCE_POLICY: NamedPolicy = { name: "the attacker's own resource policy (admits anyone)", document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } };

/** Actions whose session proves a role privileged (it can change security or reach data). */
const SENSITIVE_PROBES = ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:PassRole', 'kms:PutKeyPolicy', 'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 's3:GetObject', 'dynamodb:Scan', 'lambda:UpdateFunctionCode'];

function contextText(ctx: Readonly<Record<string, ContextValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k, Array.isArray(v) ? `[${v.map(String).join(', ')}]` : String(v)]));
}

/** Builds the request and policy set of one step request for one persona. */
export function requestFor(model: AppModel, persona: Persona, r: StepRequest, options: ReplayOptions): { request: PolicyRequest; policies: PolicySet } {
  const ourResource = !r.foreignResource;
  const resourceAccount = r.resourceAccount ?? model.env.account;
  const context: Record<string, ContextValue> = {
    ...persona.context,
    'aws:RequestedRegion': model.env.region,
    'aws:ResourceAccount': resourceAccount,
    ...(ourResource
      ? { 'aws:ResourceOrgID': options.organizationId ?? unknownValue('the organization id of the app\'s account (pass --organization-id)') }
      : { 'aws:ResourceOrgID': 'o-attacker00000' }),
    ...(r.action.startsWith('kms:') ? { 'kms:CallerAccount': String(persona.principal.account ?? '') } : {}),
    ...(r.action.startsWith('s3:') ? { 's3:TlsVersion': 1.3 } : {}),
    ...(r.context ?? {}),
  };
  const principal = persona.inOrganization
    ? { ...persona.principal, orgId: options.organizationId ?? unknownValue("the organization id of the app's account (pass --organization-id)") }
    : persona.principal;
  const policies: PolicySet = {
    identity: persona.identity,
    permissionsBoundary: persona.boundary,
    resourcePolicy: r.foreignResource ? ATTACKER_RESOURCE_POLICY : r.resourcePolicy,
    resourcePolicyKind: r.resourcePolicyKind,
    sessionPolicies: r.endpointPolicy ? [r.endpointPolicy] : undefined,
    scps: persona.inOrganization && options.scps ? [[FULL_AWS_ACCESS, ...options.scps]] : undefined,
    rcps: ourResource && options.rcps ? [[RCP_FULL_AWS_ACCESS, ...options.rcps]] : undefined,
  };
  return { request: { principal, action: r.action, resource: r.resource, resourceAccount, context }, policies };
}

interface Tried { readonly request: PolicyRequest; readonly res: EvaluationResult }

const failed = (e: unknown, what = 'evaluation failed: '): EvaluationResult => ({ decision: 'Undecidable', allowed: false, decidedBy: [], reason: `${what}${(e as Error).message}`, steps: [], unknowns: [(e as Error).message] });

/**
 * One request sent from every network the attacker may use ({@link networksFor}). It gets through where it
 * is allowed: `chosen` is the first network allowed, else one that cannot be decided (never read as denied),
 * else the denial from the internet; `open` lists every network allowed or undecidable, allowed ones first. An
 * evaluation (or a policy's addresses) that cannot be read is undecidable.
 */
export function fromEveryNetwork(model: AppModel, persona: Persona, r: StepRequest, evaluate: Evaluate, options: ReplayOptions): { chosen: Tried; open: Tried[] } {
  let variants: StepRequest[];
  try {
    variants = networksFor(model, r, namedAddresses(persona, r, options, 'aws:sourceip'), namedAddresses(persona, r, options, 'aws:vpcsourceip'));
  } catch (e) {
    // Where the request may come from cannot be read: it is decided on no network, never denied.
    const tried = { request: requestFor(model, persona, r, options).request, res: failed(e, '') };
    return { chosen: tried, open: [tried] };
  }
  let chosen: Tried | undefined;
  const allowed: Tried[] = [];
  const undecided: Tried[] = [];
  for (const variant of variants) {
    const { request, policies } = requestFor(model, persona, variant, options);
    let res: EvaluationResult;
    try {
      res = evaluate(request, policies);
    } catch (e) {
      res = failed(e);
    }
    if (!chosen || (res.decision === 'Undecidable' && chosen.res.decision !== 'Undecidable')) chosen = { request, res };
    if (res.allowed) allowed.push({ request, res });
    else if (res.decision === 'Undecidable') undecided.push({ request, res });
  }
  return { chosen: allowed[0] ?? chosen!, open: [...allowed, ...undecided] };
}

/**
 * The addresses the policies deciding a persona's request name under `key` (an office's or a partner's
 * egress under aws:SourceIp, a subnet under aws:VpcSourceIp; allowed or exempted alike): an intruder with
 * malware on a host there calls from it. One address inside each range, an internet one for aws:SourceIp;
 * none for a persona whose calls a service makes (aws:CalledVia). SCPs count for a principal of the
 * organization, RCPs for a resource of the app.
 */
export function namedAddresses(persona: Persona, r: StepRequest, options: ReplayOptions, key: 'aws:sourceip' | 'aws:vpcsourceip'): string[] {
  if (madeByService(Object.keys(persona.context))) return [];
  const docs = [r.resourcePolicy, ...persona.identity, persona.boundary, ...(persona.inOrganization ? options.scps ?? [] : []), ...(r.foreignResource ? [] : options.rcps ?? [])];
  const out = new Set<string>();
  for (const d of docs) {
    if (!d) continue;
    let named: readonly string[];
    try {
      named = addressesNamedBy(d.document, key);
    } catch (e) {
      throw new Error(`policy '${d.name}': the addresses it names under ${key} cannot be read (${(e as Error).message}), so where the request may come from is unknown`);
    }
    for (const a of named) out.add(a);
  }
  out.delete(INTERNET_ADDRESS);
  return [...out];
}

const namedAddressCache = new WeakMap<object, Map<string, readonly string[]>>();

/** One address inside each range a document names under `key` (once per document: SCPs decide every request). */
function addressesNamedBy(document: unknown, key: 'aws:sourceip' | 'aws:vpcsourceip'): readonly string[] {
  const byKey = typeof document === 'object' && document !== null ? namedAddressCache.get(document) ?? new Map<string, readonly string[]>() : undefined;
  const cached = byKey?.get(key);
  if (cached) return cached;
  const ranges = conditionValues(document, key);
  // The own host 10.0.1.20 already stands for a range that holds it; an internet address must be one.
  const out = key === 'aws:sourceip' ? addressesInside(ranges) : ranges.map(parseCidr).filter((b): b is Cidr => b !== undefined && !cidrContains(b, parseCidr(VPC_HOST_ADDRESS)!)).map(addressIn);
  if (byKey) {
    byKey.set(key, out);
    namedAddressCache.set(document as object, byKey);
  }
  return out;
}

/**
 * Where an attacker may send a request from: the internet (aws:SourceIp), each internet address the request's
 * policies name (`addresses`, see {@link namedAddresses}), or a host inside the app's VPC (malware, a hijacked
 * workload: 10.0.1.20, and each address `vpcAddresses` names) through each of the app's endpoints for the
 * request's service, which then carries aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp and no aws:SourceIp,
 * capped by the endpoint's policy. A request that names its endpoint already is kept as it is.
 */
export function networksFor(model: AppModel, r: StepRequest, addresses: readonly string[], vpcAddresses: readonly string[]): StepRequest[] {
  if (r.context?.['aws:SourceVpce'] !== undefined) return [r];
  const service = r.action.split(':')[0].toLowerCase();
  const through = model.endpoints.filter((e) => e.service.toLowerCase().endsWith(`.${service}`));
  return [
    { ...r, context: { 'aws:SourceIp': INTERNET_ADDRESS, ...r.context } },
    ...addresses.map((a) => ({ ...r, context: { 'aws:SourceIp': a, ...r.context } })),
    ...through.flatMap((e) => [VPC_HOST_ADDRESS, ...vpcAddresses].map((host) => ({
      ...r, endpointPolicy: endpointPolicyOf(e),
      context: { 'aws:SourceVpce': e.id, ...(e.vpc === undefined ? {} : { 'aws:SourceVpc': e.vpc as ContextValue }), 'aws:VpcSourceIp': host, ...r.context },
    }))),
  ];
}

function describe(r: EvaluationResult): string {
  return r.reason;
}

function firstCertainDenial(persona: Persona, attempt: Attempt): string | undefined {
  for (const r of attempt.requests) {
    const why = certainlyDenied(persona, r);
    if (why) return `${r.action}: ${why}`;
  }
  return undefined;
}

/** Decides one attempt of one persona. */
export function decideAttempt(model: AppModel, persona: Persona, attempt: Attempt, evaluate: Evaluate, options: ReplayOptions): AttemptResult {
  const requests: RequestEvidence[] = [];
  // Per request, every network it is allowed (or undecidable) from: the attacker makes the call its trail
  // records from whichever of them no alarm or rule watches.
  const openFrom: Tried[][] = [];
  for (const r of attempt.requests) {
    const shortcut = options.exhaustive ? undefined : certainlyDenied(persona, r);
    if (shortcut) {
      // One refused request decides the attempt; the rest are not needed.
      requests.push({ action: r.action, resource: r.resource, context: {}, decision: 'ImplicitDeny', reason: shortcut, decidedBy: [], unknowns: [] });
      break;
    }
    const { chosen: { request, res }, open } = fromEveryNetwork(model, persona, r, evaluate, options);
    requests.push(evidenceOf(r, request, res));
    openFrom.push(open);
    if (!res.allowed && res.decision !== 'Undecidable') break;
  }
  const base = {
    persona: persona.id, personaKind: persona.kind, target: attempt.target, requests,
    located: attempt.located ? { stack: attempt.located.stack, logicalId: attempt.located.logicalId, constructPath: attempt.located.constructPath, file: attempt.located.file } : undefined,
  };
  if (attempt.serviceRule?.denies) {
    return { ...base, verdict: 'DENIED', evidence: attempt.serviceRule.reason, detections: [], notes: [] };
  }
  const denied = requests.find((r) => r.decision === 'ExplicitDeny' || r.decision === 'ImplicitDeny');
  if (denied) return { ...base, verdict: 'DENIED', evidence: `${denied.action} on ${denied.resource}: ${denied.reason}`, detections: [], notes: [] };
  // The call the trail records is made from the network that serves the attacker best: one no alarm or rule
  // sees and whose detection is decided, else one no alarm or rule sees, else the first it gets through.
  const at = eventRequestIndex(attempt, requests.length);
  const open = openFrom[at] ?? [];
  const rank = (o: DetectionOutcome): number => (o.detections.length > 0 ? 2 : o.undecidable.length > 0 ? 1 : 0);
  let best: { tried: Tried | undefined; net: CallNetwork; outcome: DetectionOutcome } | undefined;
  for (const tried of open.length > 0 ? open : [undefined]) {
    const net = networkOf(tried?.request.context);
    const o = detectCached(model, evaluate, persona, attempt, net);
    if (!best || rank(o) < rank(best.outcome)) best = { tried, net, outcome: o };
    if (rank(o) === 0) break;
  }
  const { tried, net: callNet, outcome } = best!;
  if (tried && tried !== open[0]) requests[at] = evidenceOf(attempt.requests[at], tried.request, tried.res);
  const notes = [...outcome.broken, ...outcome.undecidable];
  const undecided = requests.filter((r) => r.decision === 'Undecidable');
  if (outcome.detections.length > 0) {
    const d = outcome.detections[0];
    return { ...base, verdict: 'DETECTED', evidence: `${d.kind} ${d.name} fires: ${d.path.join(' → ')}`, detections: outcome.detections, notes };
  }
  if (undecided.length > 0 || outcome.undecidable.length > 0) {
    const why = undecided.length > 0 ? `${undecided[0].action} on ${undecided[0].resource}: ${undecided[0].reason}` : outcome.undecidable[0];
    return { ...base, verdict: 'UNDECIDABLE', evidence: why, detections: [], notes };
  }
  if (persona.via && !persona.via.decided) {
    return { ...base, verdict: 'UNDECIDABLE', evidence: `allowed to a session that may be reachable: ${persona.via.evidence}`, detections: [], notes };
  }
  const allowed = requests.map((r) => `${r.action} allowed (${r.reason})`).join('; ');
  const through = callNet.vpcEndpointId === undefined ? '' : ` (called from ${callNet.sourceIPAddress} through ${callNet.vpcEndpointId})`;
  return { ...base, verdict: 'OPEN', evidence: `${allowed}; no alarm or rule delivers it${through}${notes.length ? ` (${notes.join('; ')})` : ''}`, detections: [], notes };
}

const detectCache = new WeakMap<AppModel, Map<string, ReturnType<typeof detect>>>();

/**
 * Detection depends on the event, the shape of the caller's identity and the network the call came from,
 * not on the resource's policies: computed once per triple.
 */
function detectCached(model: AppModel, evaluate: Evaluate, persona: Persona, attempt: Attempt, network: CallNetwork): ReturnType<typeof detect> {
  let cache = detectCache.get(model);
  if (!cache) detectCache.set(model, (cache = new Map()));
  const key = `${persona.kind}\u0000${JSON.stringify(persona.userIdentity)}\u0000${JSON.stringify(attempt.event)}\u0000${network.sourceIPAddress}\u0000${network.vpcEndpointId ?? ''}`;
  let r = cache.get(key);
  if (!r) cache.set(key, (r = detect(model, evaluate, persona, attempt.event, network)));
  return r;
}

function evidenceOf(r: StepRequest, request: PolicyRequest, res: EvaluationResult): RequestEvidence {
  return {
    action: r.action, resource: r.resource, context: contextText(request.context ?? {}), decision: res.decision,
    reason: describe(res), decidedBy: res.decidedBy, unknowns: res.unknowns,
  };
}

/** The request whose call the attempt's trail event records: the last one of that name, else the last one made. */
function eventRequestIndex(attempt: Attempt, made: number): number {
  const name = attempt.event.eventName.toLowerCase();
  for (let i = made - 1; i >= 0; i--) if (attempt.requests[i].action.split(':')[1]?.toLowerCase() === name) return i;
  return made - 1;
}

/** Where a call came from, as its CloudTrail record says: the address, and the VPC endpoint it came through. */
function networkOf(context: PolicyRequest['context']): CallNetwork {
  const text = (k: string): string | undefined => (typeof context?.[k] === 'string' ? context[k] as string : undefined);
  const vpce = text('aws:SourceVpce');
  return { sourceIPAddress: text('aws:SourceIp') ?? text('aws:VpcSourceIp') ?? INTERNET_ADDRESS, ...(vpce === undefined ? {} : { vpcEndpointId: vpce }) };
}

/**
 * Sessions an attacker reaches by sts:AssumeRole (PMapper's "can assume" edges), to a fixpoint:
 * from every persona, every role people or accounts may assume; a session so obtained carries no
 * MFA. A reach that cannot be decided is explored too, and what it opens is UNDECIDABLE.
 */
export function chainedSessions(model: AppModel, start: readonly Persona[], evaluate: Evaluate, options: ReplayOptions): Persona[] {
  const roles = model.principals.filter((r) => r.kind === 'role' && isPrincipalAssumable(r) && r.bootstrap !== 'cfn-exec');
  const reached = new Map<string, Persona>();
  const queue = [...start];
  while (queue.length > 0) {
    const from = queue.shift() as Persona;
    for (const role of roles) {
      const key = `${role.arn}\u0000${from.kind === 'insider-mfa' ? 'mfa' : 'no-mfa'}`;
      const known = reached.get(key);
      if ((known && known.via?.decided) || from.source?.arn === role.arn) continue;
      // Assumed from wherever the trust lets it (an office address it names, a host behind an STS endpoint).
      const r = fromEveryNetwork(model, from, { action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust, resourcePolicyKind: 'role-trust' }, evaluate, options).chosen.res;
      if (!r.allowed && r.decision !== 'Undecidable') continue;
      if (known && r.decision === 'Undecidable') continue;
      const p = chainedPersona(model, role, from, r.allowed, `${from.title} → sts:AssumeRole ${role.name}: ${r.reason}`);
      reached.set(key, p);
      queue.push(p);
    }
  }
  return [...reached.values()];
}

/** Roles whose own session (no MFA) can do a sensitive thing: their code or their passing is escalation. */
export function privilegedRoles(model: AppModel, evaluate: Evaluate, options: ReplayOptions): Set<string> {
  const out = new Set<string>();
  for (const role of model.principals.filter((p) => p.kind === 'role')) {
    const persona: Persona = {
      id: `probe:${role.name}`, kind: 'hijacked-workload', title: role.name, source: role, inOrganization: true,
      principal: { arn: `arn:${model.env.partition}:sts::${model.env.account}:assumed-role/${role.name}/probe`, account: model.env.account, type: 'AssumedRole', roleArn: role.arn },
      identity: role.policies, boundary: role.boundary, context: {}, contextNote: '', userIdentity: {},
    };
    const resources = [
      ...SENSITIVE_PROBES.filter((a) => a.startsWith('iam:') || a.startsWith('cloudtrail:') || a.startsWith('lambda:')).map((a) => ({ action: a, resource: '*' })),
      ...model.keys.map((k) => ({ action: 'kms:PutKeyPolicy', resource: k.arn, resourcePolicy: k.policy, resourcePolicyKind: 'kms-key' as const })),
      ...model.buckets.filter((b) => b.role === 'data').map((b) => ({ action: 's3:GetObject', resource: `${b.arn}/*`, resourcePolicy: b.policy })),
      ...model.tables.map((t) => ({ action: 'dynamodb:Scan', resource: t.arn, resourcePolicy: t.policy })),
    ];
    for (const r of resources) {
      if (!options.exhaustive && certainlyDenied(persona, r)) continue;
      const res = fromEveryNetwork(model, persona, r, evaluate, options).chosen.res;
      // An undecidable probe counts as privileged: passing such a role is not proven harmless.
      if (res.allowed || res.decision === 'Undecidable') {
        out.add(role.arn);
        break;
      }
    }
  }
  return out;
}

/** Every alarm and rule that notifies a topic of the app must reach people (issue 10 item 1), whatever step it would detect. */
function alertDelivery(model: AppModel, evaluate: Evaluate): ContinuityResult[] {
  const out: ContinuityResult[] = [];
  const isTopic = (arn: string) => model.topics.some((t) => t.arn === arn);
  const sources = [
    ...model.alarms.filter((a) => a.actionsEnabled).flatMap((a) => a.actions.filter(isTopic).map((t) => ({ kind: 'cloudwatch' as const, name: `alarm ${a.name}`, arn: a.arn, topic: t }))),
    ...model.rules.filter((r) => r.enabled).flatMap((r) => r.targets.filter(isTopic).map((t) => ({ kind: 'events' as const, name: `rule ${r.name}`, arn: r.arn, topic: t }))),
  ];
  for (const src of sources) {
    const d = deliveryPath(model, evaluate, src.kind, src.arn, src.topic);
    out.push({
      id: `alert-delivered:${src.name}`, title: `${src.name} reaches people through ${src.topic.split(':').pop()}`,
      status: d.ok ? 'WORKS' : d.undecidable ? 'UNDECIDABLE' : 'BROKEN', evidence: d.ok ? d.path.join(' → ') : d.problem ?? 'not delivered',
    });
  }
  return out;
}

/** CloudTrail must be able to write the archive and use its key: a deny that stops it blinds every alarm. */
function trailDelivery(model: AppModel, evaluate: Evaluate): ContinuityResult[] {
  const out: ContinuityResult[] = [];
  const principal = { arn: 'cloudtrail.amazonaws.com', type: 'Service' as const };
  const { account, partition } = model.env;
  for (const trail of model.trails) {
    const source = { 'aws:SourceArn': trail.arn, 'aws:SourceAccount': account };
    const bucket = model.buckets.find((b) => b.name === trail.bucketName);
    if (bucket) {
      const r = evaluate({ principal, action: 's3:PutObject', resource: `arn:${partition}:s3:::${bucket.name}/AWSLogs/${account}/CloudTrail/log.json.gz`, resourceAccount: account, context: { ...source, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SecureTransport': true } },
        { resourcePolicy: bucket.policy ?? { name: `${bucket.name} (no bucket policy)`, document: { Version: '2012-10-17', Statement: [] } } });
      out.push({ id: `trail-writes-archive:${trail.name}`, title: `trail ${trail.name} can write its archive ${bucket.name}`, status: r.allowed ? 'WORKS' : r.decision === 'Undecidable' ? 'UNDECIDABLE' : 'BROKEN', evidence: `s3:PutObject by cloudtrail.amazonaws.com: ${r.reason}` });
    }
    const key = model.keys.find((k) => k.arn === trail.keyArn);
    if (key) {
      const r = evaluate({ principal, action: 'kms:GenerateDataKey', resource: key.arn, resourceAccount: account, context: { ...source, 'kms:EncryptionContext:aws:cloudtrail:arn': trail.arn } }, { resourcePolicy: key.policy, resourcePolicyKind: 'kms-key' });
      out.push({ id: `trail-uses-key:${trail.name}`, title: `trail ${trail.name} can encrypt with its key ${key.stack}/${key.logicalId}`, status: r.allowed ? 'WORKS' : r.decision === 'Undecidable' ? 'UNDECIDABLE' : 'BROKEN', evidence: `kms:GenerateDataKey by cloudtrail.amazonaws.com: ${r.reason}` });
    }
  }
  return out;
}

/** Services the app relies on: the alert paths must deliver, the pipeline must be able to deploy. */
export function continuityChecks(model: AppModel, evaluate: Evaluate, options: ReplayOptions): ContinuityResult[] {
  const out: ContinuityResult[] = [...alertDelivery(model, evaluate), ...trailDelivery(model, evaluate)];
  const { personas: pipelines, missing } = pipelinePersonas(model, options.executionRoles);
  for (const arn of missing) {
    out.push({
      id: `pipeline-role-known:${arn}`, title: `the pipeline's CloudFormation execution role ${arn}`, status: 'UNDECIDABLE',
      evidence: 'the cloud assembly deploys with this role, but neither the app nor the bootstrap template defines it: pass --bootstrap with the template that creates it',
    });
  }
  for (const pipeline of pipelines) {
    // The pipeline must be able to change the security pipeline (deploys), or break-glass becomes the CI role.
    const probes: StepRequest[] = [
      ...model.trails.map((t) => ({ action: 'cloudtrail:UpdateTrail', resource: t.arn })),
      ...model.alarms.slice(0, 1).map((a) => ({ action: 'cloudwatch:PutMetricAlarm', resource: a.arn })),
      ...model.keys.slice(0, 1).map((k) => ({ action: 'kms:PutKeyPolicy', resource: k.arn, resourcePolicy: k.policy, resourcePolicyKind: 'kms-key' as const })),
    ];
    for (const p of probes) {
      const { request, policies } = requestFor(model, pipeline, p, options);
      const r = evaluate(request, policies);
      out.push({
        id: `pipeline-deploys:${p.action}`, title: `${pipeline.title} may ${p.action} (deployments change the security pipeline)`,
        status: r.allowed ? 'WORKS' : r.decision === 'Undecidable' ? 'UNDECIDABLE' : 'BROKEN', evidence: `${p.action} on ${p.resource}: ${r.reason}`,
      });
    }
  }
  return out;
}

/** Runs the whole replay over a model. */
export function replay(model: AppModel, options: ReplayOptions = {}): ReplayResult {
  let evaluations = 0;
  const evaluator = options.evaluate ?? evaluatePolicy;
  const evaluate: Evaluate = (req, pol) => {
    evaluations++;
    return evaluator(req, pol);
  };
  const base = attackerPersonas(model);
  const personas = [...base, ...chainedSessions(model, base, evaluate, options)];
  const facts: StepFacts = { privilegedRoles: privilegedRoles(model, evaluate, options) };
  const steps = STEPS.filter((s) => !options.steps || options.steps.includes(s.id));
  const results: StepResult[] = steps.map((step) => runStep(model, step, personas, facts, evaluate, options));
  const counts = { OPEN: 0, UNDECIDABLE: 0, DETECTED: 0, DENIED: 0, NOT_APPLICABLE: 0 };
  for (const s of results) counts[s.verdict]++;
  return {
    attackVersion: ATTACK_VERSION, account: model.env.account, region: model.env.region, withScps: Boolean(options.scps?.length),
    personas: personas.map((p) => ({ id: p.id, kind: p.kind, title: p.title, context: p.contextNote, via: p.via?.evidence })),
    steps: results, continuity: continuityChecks(model, evaluate, options), counts, evaluations,
  };
}

function runStep(model: AppModel, step: StepDefinition, personas: readonly Persona[], facts: StepFacts, evaluate: Evaluate, options: ReplayOptions): StepResult {
  const attempts: AttemptResult[] = [];
  const shared = step.perPersona || personas.length === 0 ? undefined : step.attempts(model, personas[0], facts);
  for (const persona of personas) {
    // Attempts the persona certainly cannot make (no identity statement, boundary or resource policy can
    // allow them) are recorded together, with the reason; the rest go to the evaluator one by one.
    const refused: Attempt[] = [];
    let reason = '';
    for (const attempt of shared ?? step.attempts(model, persona, facts)) {
      const why = options.exhaustive ? undefined : firstCertainDenial(persona, attempt);
      if (why) {
        if (!refused.length) reason = why;
        refused.push(attempt);
      } else {
        attempts.push(decideAttempt(model, persona, attempt, evaluate, options));
      }
    }
    if (refused.length) {
      attempts.push({
        persona: persona.id, personaKind: persona.kind, target: refused.length === 1 ? refused[0].target : `${refused.length} resources`,
        targets: refused.map((a) => a.target), located: refused.length === 1 ? refused[0].located : undefined,
        verdict: 'DENIED', evidence: reason, requests: [], detections: [], notes: [],
      });
    }
  }
  return {
    id: step.id, title: step.title, tactic: step.tactic, attack: step.attack, lessonId: step.lessonId, controlId: step.controlId, defence: step.defence,
    verdict: worstVerdict(attempts.map((a) => a.verdict)) ?? 'NOT_APPLICABLE', attempts,
  };
}

export { OUTSIDE_ACCOUNT };
