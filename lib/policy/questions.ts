/**
 * The questions rules ask about policies, answered by evaluating the statements with lib/policy under
 * the requests that matter (as AWS sends them), never by reading condition keys by name:
 *
 *   outsiderAccess        can a principal outside the own account / organization get in?
 *   deniesWithoutTls      does the bucket policy deny every request without TLS (or with TLS < 1.2), on the
 *                         bucket and on every object?
 *   deniesWithoutMfa      does this set of identity documents deny everything to access-key requests and to
 *                         console sessions without MFA?
 *   trustAdmitsWithoutMfa which sessions without (recent) MFA may assume the role?
 *   keyDuties             which principal may both administer a key and use it, following a grant to the
 *                         account root to every principal of the account?
 *   keyPolicyChangers     who that the key policy does not name may change it (kms:PutKeyPolicy)?
 *   boundaryDenies        does a permissions boundary keep the principals it bounds from these actions on a resource?
 *   scpDenies             does a service control policy explicitly deny these requests to a member account's principals?
 *   serviceMayUseKey      does a key policy let an AWS service use the key as the service calls KMS?
 *
 * Every answer is sampled: the requests tried are fixed, named in the messages, and built from the
 * policy's own values (the accounts and organizations it names), so a policy "limited" to some other
 * account or organization is tried by a principal of that account or organization. The app's own
 * account and organization are inputs ({@link Own}); a value that cannot be resolved makes the
 * answer `unknown`, never a pass. Pure functions over plain documents (strings, or Unknown markers);
 * lib/nag/rules/policy-json.ts turns CloudFormation values into such documents.
 */
import { exemptsOnlyMfaSelfService } from '../policies';
import { evaluatePolicy } from './policy';
import { buildContext } from './context';
import { toDate, toNumber } from './conditions';
import { Cidr, addressIn, cidrContains, parseCidr } from './ip';
import { INTERNET_ADDRESS, VPC_HOST_ADDRESS, addressesInside, madeByService } from './request-facts';
import { conditionEntries, conditionPairs, conditionValues } from './condition-values';
import { parsePolicy } from './parse';
import { wildcardMatch } from './wildcard';
import { principalTypeOf } from './arn';
import { ContextValue, ParsedPolicy, PolicyError, PolicyRequest, PrincipalType, RequestPrincipal, StatementRef, isUnknown, unknown } from './types';

/** The app's own identity: inputs, never guesses. */
export interface Own {
  /** The own account id; when the stack is environment-agnostic, {@link OWN_ACCOUNT_PLACEHOLDER}. */
  readonly account: string;
  /** The own organization id (o-...), when configured. */
  readonly organizationId?: string;
  readonly partition: string;
  readonly region: string;
}

/** Stands for `${AWS::AccountId}` of an environment-agnostic stack in documents and requests alike. */
export const OWN_ACCOUNT_PLACEHOLDER = '000000000000';
/** An account and organization no policy of the app can mean. */
export const FOREIGN_ACCOUNT = '444455556666';
export const FOREIGN_ORG = 'o-foreign00000';

/** The answer to a yes/no question: yes, no, or unknown with why. */
export interface Answer { readonly yes: boolean | 'unknown'; readonly why: readonly string[] }
const NO: Answer = { yes: false, why: [] };


export const label = (r: Pick<StatementRef, 'sid' | 'index'>): string => r.sid ?? `statement ${r.index + 1}`;

/** Parses a document, turning a malformed one into an Unknown-style answer reason. */
function parse(doc: unknown, name: string): ParsedPolicy | string {
  try {
    return parsePolicy(doc, name);
  } catch (e) {
    if (e instanceof PolicyError) return e.message;
    throw e;
  }
}

/**
 * One document's verdict on one request, with what each verdict needs and nothing else: the statements
 * that deny or allow, why it is unknown, and (without a certain deny) the reasons a deny may apply, for the
 * questions that need the deny.
 */
type DocVerdict =
  | { readonly verdict: 'deny'; readonly denies: readonly StatementRef[] }
  | { readonly verdict: 'allow'; readonly allows: readonly StatementRef[]; readonly mayDeny: readonly string[] }
  | { readonly verdict: 'unknown'; readonly reasons: string[]; readonly mayDeny: readonly string[] }
  | { readonly verdict: 'none'; readonly mayDeny: readonly string[] };

function judge(policy: ParsedPolicy, type: 'resource' | 'identity' | 'permissions-boundary', request: PolicyRequest, allowIf?: (r: StatementRef) => boolean): DocVerdict {
  let ctx;
  try {
    ctx = buildContext(request);
  } catch (e) {
    if (e instanceof PolicyError) return { verdict: 'unknown', reasons: [e.message], mayDeny: [e.message] };
    throw e;
  }
  const r = evaluatePolicy(policy, type, ctx);
  if (r.denies.length > 0) return { verdict: 'deny', denies: r.denies };
  const allows = allowIf ? r.allows.filter(allowIf) : r.allows;
  const unknownAllows = allowIf ? r.unknownAllows.filter((u) => allowIf(u.ref)) : r.unknownAllows;
  const mayDeny = r.unknownDenies.map((u) => u.reason);
  if (mayDeny.length > 0 && (allows.length > 0 || unknownAllows.length > 0)) return { verdict: 'unknown', reasons: mayDeny, mayDeny };
  if (allows.length > 0) return { verdict: 'allow', allows, mayDeny };
  if (unknownAllows.length > 0) return { verdict: 'unknown', reasons: unknownAllows.map((u) => u.reason), mayDeny };
  return { verdict: 'none', mayDeny };
}

/** The reasons a deny of some document may apply, when none denies for certain; undefined when one does. */
function doubtsOfDeny(verdicts: readonly DocVerdict[]): string[] | undefined {
  const out: string[] = [];
  for (const v of verdicts) {
    if (v.verdict === 'deny') return undefined;
    out.push(...v.mayDeny);
  }
  return out;
}

// ---- values a document names ------------------------------------------------------------------

/** Every string of a document (keys and values), Unknown markers skipped. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object' && !isUnknown(v)) for (const [k, x] of Object.entries(v)) { out.push(k); strings(x, out); }
  return out;
}

/**
 * Values a wildcard pattern admits, of at least `min` and at most `max` characters: each `?` and the
 * first `*` (stretched to reach `min`) filled with one filler, every other `*` empty; none when the
 * fixed part is longer than `max`, or shorter than `min` with no `*`. One value per filler, so with two
 * one of them differs from any single value (the own account) the pattern also admits.
 */
function patternSamples(pattern: string, min: number, max: number, fillers: readonly string[]): string[] {
  const fixed = pattern.replace(/[*?]/g, '').length + (pattern.match(/\?/g)?.length ?? 0);
  if (fixed > max || (!pattern.includes('*') && fixed < min)) return [];
  const stars = Math.max(min - fixed, 0);
  return fillers.map((f) => {
    let first = true;
    return pattern.replace(/[*?]/g, (c) => (c === '?' ? f : first ? ((first = false), f.repeat(stars)) : ''));
  });
}

const ACCOUNT_PATTERN = /^(?=[0-9*?]*[0-9])(?=[0-9*?]*[*?])[0-9*?]+$/;
const ORG_PATTERN = /^o-(?=[a-z0-9*?]*[*?])[a-z0-9*?]*$/;

/**
 * The 12-digit accounts and organization ids a document names, and for each pattern of them (a
 * StringLike value `9999*` or `99998888777?`, the account field of an ARN pattern
 * `arn:aws:iam::9999*:role/x`, an organization `o-abc*`, also as the first part of an
 * aws:PrincipalOrgPaths pattern) two accounts or organizations it admits: a
 * pattern admits strangers as surely as a named foreign account does.
 */
export function namedIdentities(doc: unknown): { accounts: string[]; orgs: string[] } {
  const accounts = new Set<string>();
  const orgs = new Set<string>();
  for (const s of strings(doc)) {
    for (const m of s.matchAll(/(?<![0-9])[0-9]{12}(?![0-9])/g)) accounts.add(m[0]);
    for (const m of s.matchAll(/o-[a-z0-9]{10,32}/g)) orgs.add(m[0]);
    const field = s.startsWith('arn:') ? s.split(':')[4] ?? '' : s;
    if (ACCOUNT_PATTERN.test(field)) for (const a of patternSamples(field, 12, 12, ['5', '7'])) accounts.add(a);
    // An organization pattern alone, or the first part of an aws:PrincipalOrgPaths pattern (o-abc*/r-*/ou-*).
    const org = s.split('/')[0];
    if (ORG_PATTERN.test(org)) for (const o of patternSamples(org.slice(2), 10, 32, ['x', 'y'])) orgs.add(`o-${o}`);
  }
  return { accounts: [...accounts], orgs: [...orgs] };
}

// ---- samples ----------------------------------------------------------------------------------

/** A representative value matching a pattern: each `*` becomes `any`, each `?` becomes `x`. */
export function sampleOf(pattern: string): string {
  return pattern.replace(/\*/g, 'any').replace(/\?/g, 'x');
}

/**
 * Requests carry what every signed request over the internet carries. AWS sets aws:CurrentTime and
 * aws:EpochTime on every request; a question asks about any request, at any time, so a condition on the
 * time cannot be decided (read as absent, a grant after some date would look like no grant at all).
 */
function baseContext(own: Own, extra: Record<string, ContextValue> = {}): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:SecureTransport': 'true', 'aws:SourceIp': INTERNET_ADDRESS, 'aws:RequestedRegion': own.region, 'aws:ViaAWSService': 'false',
    'aws:CurrentTime': REQUEST_TIME, 'aws:EpochTime': REQUEST_TIME, ...extra,
  };
  // Through a VPC endpoint AWS sends aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp, and no aws:SourceIp.
  if (context['aws:SourceVpce'] !== undefined) delete context['aws:SourceIp'];
  // A call a service makes for the caller (aws:CalledVia*) always comes with aws:ViaAWSService true.
  if (madeByService(Object.keys(context))) context['aws:ViaAWSService'] = 'true';
  return context;
}

/** A host of the own VPC calling through the own VPC endpoint. */
const OWN_NETWORK: Readonly<Record<string, ContextValue>> = { 'aws:VpcSourceIp': VPC_HOST_ADDRESS, 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718', 'aws:SourceVpc': 'vpc-0a1b2c3d4e5f60718' };
/** A stranger's VPC endpoint and VPC, which no pattern but a wildcard names. */
/** The keys saying where a request comes from: a network is one choice, never joined with another. */
const NETWORK_KEYS = /^aws:(sourceip|sourcevpce|sourcevpc|vpcsourceip)$/i;
const STRANGER_NETWORK: Readonly<Record<string, ContextValue>> = { 'aws:VpcSourceIp': VPC_HOST_ADDRESS, 'aws:SourceVpce': 'vpce-0fedcba9876543210', 'aws:SourceVpc': 'vpc-0fedcba9876543210' };

/** Where a request comes from, as a message names it: an address, and the endpoint it came through. */
function whereFrom(context: Readonly<Record<string, ContextValue>>): string {
  const endpoint = context['aws:SourceVpce'];
  return endpoint === undefined ? `from ${String(context['aws:SourceIp'])}` : `from ${String(context['aws:VpcSourceIp'])} through ${String(endpoint)}`;
}

const REQUEST_TIME = unknown('the time of the request (aws:CurrentTime)');
/** A role session's credentials were issued whenever its holder asked for them: a condition on it cannot be decided. */
const TOKEN_ISSUE_TIME = unknown('when the caller\'s session was issued (aws:TokenIssueTime)');

/** What AWS sets from the resource: the own account, and the own organization (unknown when not configured). */
function resourceKeys(own: Own): Record<string, ContextValue> {
  return { 'aws:ResourceAccount': own.account, 'aws:ResourceOrgID': own.organizationId ?? unknown('the own organization id (none configured)') };
}

/** A role session of an account (role `name`), with its organization when it has one. */
function roleSessionOf(account: string, own: Own, org: string | undefined, name: string): RequestPrincipal {
  return { arn: `arn:${own.partition}:sts::${account}:assumed-role/${name}/session`, roleArn: `arn:${own.partition}:iam::${account}:role/${name}`, account, type: 'AssumedRole', ...(org ? { orgId: org } : {}) };
}

/** The statements of several documents (parsed by {@link parse} already) as one document: the choices they look at together. */
function statementsOf(docs: readonly unknown[]): { Statement: unknown[] } {
  return { Statement: docs.flatMap((d) => {
    const st = ((typeof d === 'string' ? JSON.parse(d) : d) as { Statement?: unknown } | null)?.Statement;
    return Array.isArray(st) ? st : [st];
  }) };
}

/**
 * Whether a principal can make a choice about its request: one only a role session makes (a source identity)
 * needs a role session, told by the principal's type or its ARN; a principal of unknown type may be one. The
 * root user carries no principal tags (IAM tags roles and users, STS the sessions of roles and federated users).
 */
export function canMake(choice: { readonly roleOnly?: boolean; readonly context?: Readonly<Record<string, ContextValue>> }, principal: RequestPrincipal): boolean {
  const type = principal.type ?? principalTypeOf(String(principal.arn));
  if (type === 'Account' && Object.keys(choice.context ?? {}).some((k) => /^aws:PrincipalTag\//i.test(k))) return false;
  if (!choice.roleOnly) return true;
  return type === undefined || type === 'AssumedRole';
}

/** An IAM user of an account, with its organization when it has one. */
function userOf(account: string, own: Own, org: string | undefined, name = 'someone'): RequestPrincipal {
  return { arn: `arn:${own.partition}:iam::${account}:user/${name}`, account, type: 'User', ...(org ? { orgId: org } : {}) };
}

// ---- outsiders ---------------------------------------------------------------------------------

export interface OutsiderOptions {
  /** Actions tried when a statement's Action is a wildcard or NotAction (e.g. s3:GetObject for a bucket). */
  readonly defaultActions: readonly string[];
  /** Resources tried when a statement's Resource is `*` or NotResource (the resource's own ARNs). */
  readonly defaultResources: readonly string[];
  /** Only statements with a wildcard principal count (resource policies judged for "public"). @default false */
  readonly wildcardOnly?: boolean;
  /**
   * Context every request carries in addition (e.g. aws:SourceVpce of an endpoint), over the caller's own
   * choices except its address in a VPC (aws:VpcSourceIp: whoever runs on a host there has its address).
   */
  readonly context?: Record<string, ContextValue>;
  /**
   * Also try an AWS service delivering for each outsider's resource (see serviceRequests), when only
   * wildcard principals count. Off for a VPC endpoint policy: a service's own requests never travel
   * through a customer's endpoint. @default true
   */
  readonly serviceDelivery?: boolean;
}

interface Outsider { readonly account: string; readonly org?: string; readonly certain: boolean }

/**
 * The outsiders tried: a foreign account in no organization and in a foreign one, and every account
 * and organization the document names that is not the own (with the foreign account, and with no
 * organization). When the own account or organization is not known, an outsider built from a named
 * value is uncertain: letting it in makes the answer unknown, not yes.
 */
function outsiders(doc: unknown, own: Own): Outsider[] {
  const named = namedIdentities(doc);
  const ownAccountKnown = own.account !== OWN_ACCOUNT_PLACEHOLDER;
  const accounts = named.accounts.filter((a) => a !== own.account && a !== OWN_ACCOUNT_PLACEHOLDER);
  const orgs = named.orgs.filter((o) => o !== own.organizationId);
  const out: Outsider[] = [
    { account: FOREIGN_ACCOUNT, certain: true }, { account: FOREIGN_ACCOUNT, org: FOREIGN_ORG, certain: true },
    // An anonymous request carries no principal keys at all: ...IfExists on them lets it through.
    { account: 'anonymous', certain: true },
  ];
  for (const o of orgs) out.push({ account: FOREIGN_ACCOUNT, org: o, certain: own.organizationId !== undefined });
  for (const a of accounts) {
    out.push({ account: a, certain: ownAccountKnown });
    for (const o of orgs) out.push({ account: a, org: o, certain: ownAccountKnown && own.organizationId !== undefined });
  }
  return out;
}

/** Actions and resources to try for one statement. */
function samplesOf(doc: unknown, index: number, o: OutsiderOptions): { actions: string[]; resources: string[] } {
  const raw = ((typeof doc === 'string' ? JSON.parse(doc) : doc) as { Statement?: unknown }).Statement; // text: parsePolicy accepted it
  const s = (Array.isArray(raw) ? raw[index] : raw) as Record<string, unknown>; // the statement parsePolicy read as `index`
  const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const actions = new Set<string>();
  for (const a of list(s.Action)) {
    if (typeof a !== 'string') { for (const d of o.defaultActions) actions.add(d); continue; } // unresolved: it may be any of them
    if (/[*?]/.test(a)) for (const d of o.defaultActions) if (wildcardMatch(a, d, true)) actions.add(d); // sqs:Send* is sqs:SendMessage too
    actions.add(a === '*' ? o.defaultActions[0] : sampleOf(a));
  }
  if (s.NotAction !== undefined) for (const d of o.defaultActions) actions.add(d);
  const resources = new Set<string>(o.defaultResources);
  for (const r of list(s.Resource)) if (typeof r === 'string' && r !== '*') resources.add(sampleOf(r));
  return { actions: [...actions], resources: [...resources] }; // every one: the seventh listed action may be the open one
}

/**
 * An AWS service delivering for a resource of an outsider's account (an SNS topic publishing to a
 * queue, an S3 bucket notifying, an EventBridge rule): the principal is the service, which Principal
 * "*" admits, and AWS sets aws:SourceAccount, aws:SourceArn (and aws:SourceOrgID) from the outsider's
 * resource. The ARNs tried are the document's own aws:SourceArn patterns whose account field the
 * outsider's account matches (a wildcard account is anyone's), with that account, and any resource of
 * the account.
 */
function serviceRequests(doc: unknown, out: Outsider, own: Own): { principal: RequestPrincipal; context: Record<string, ContextValue>; whom: string }[] {
  const arns = new Set<string>([`arn:${own.partition}:sns:${own.region}:${out.account}:any-topic`]);
  for (const pattern of conditionValues(doc, 'aws:sourcearn')) {
    const f = pattern.split(':');
    if (f.length < 6 || f[0].toLowerCase() !== 'arn') continue;
    // An ARN without an account field (an S3 bucket) belongs to whoever created that name: a pattern
    // with a wildcard is a name an outsider can create; a literal one is some particular bucket.
    if (f[4] === '') { if (/[*?]/.test(pattern)) arns.add(sampleOf(pattern)); continue; }
    if (wildcardMatch(f[4], out.account, false)) arns.add(sampleOf([...f.slice(0, 4), out.account, ...f.slice(5)].join(':')));
  }
  return [...arns].map((arn) => {
    const service = arn.split(':')[2];
    const name = `${/^[a-z0-9-]+$/.test(service) ? service : 'sns'}.amazonaws.com`;
    return {
      principal: { arn: name, type: 'Service' as const },
      context: { 'aws:SourceAccount': out.account, 'aws:SourceArn': arn, ...(out.org ? { 'aws:SourceOrgID': out.org } : {}) },
      whom: `${name} acting for ${arn} (account ${out.account}${out.org ? ` in organization ${out.org}` : ' in no organization'})`,
    };
  });
}

/** The keys AWS sets from an outsider's principal beyond its ARN and account: its account for KMS, its organization path. */
function outsiderKeys(out: Outsider): Record<string, ContextValue> {
  return { 'kms:CallerAccount': out.account, ...(out.org ? { 'aws:PrincipalOrgPaths': [`${out.org}/r-ab12/ou-ab12-11111111/`] } : {}) };
}

/** The unique ids AWS gives an outsider's IAM user and role (aws:userid: `AIDA...`, `AROA...:<session>`). */
const OUTSIDER_USER_ID = 'AIDAOUTSIDERUSER00001';
const OUTSIDER_ROLE_ID = 'AROAOUTSIDERROLE00001';

/** A caller tried as an outsider: who, the context its request carries, and a doubt that makes letting it in unknown, not yes. */
interface Caller { readonly principal: RequestPrincipal; readonly context: Record<string, ContextValue>; readonly whom: string; readonly doubt?: string }

/** An outsider's IAM user and a session of its role, each with the unique id AWS sets as aws:userid. */
function plainCallers(out: Outsider, own: Own): Caller[] {
  const org = `${out.org ? ` in organization ${out.org}` : ' in no organization'}`;
  const orgId = out.org ? { orgId: out.org } : {};
  return [
    { principal: { ...userOf(out.account, own, out.org), userId: OUTSIDER_USER_ID }, context: outsiderKeys(out), whom: `a principal of account ${out.account}${org}` },
    {
      principal: { arn: `arn:${own.partition}:sts::${out.account}:assumed-role/outsider/someone`, roleArn: `arn:${own.partition}:iam::${out.account}:role/outsider`, account: out.account, type: 'AssumedRole', userId: `${OUTSIDER_ROLE_ID}:someone`, ...orgId },
      context: { ...outsiderKeys(out), 'aws:TokenIssueTime': TOKEN_ISSUE_TIME }, whom: `a role session of account ${out.account}${org}`,
    },
    // its root user and its federated users (GetFederationToken): a deny of roles and users spares them
    ...beyondRolesAndUsers(own.partition, out.account, out.org, 'someone').map((principal) => ({
      principal, whom: `${KIND_NAMES[principal.type!]} of account ${out.account}${org}`,
      context: { ...outsiderKeys(out), ...(principal.type === 'FederatedUser' ? { 'aws:TokenIssueTime': TOKEN_ISSUE_TIME } : {}) },
    })),
  ];
}

/**
 * What an outsider chooses about its own requests, beyond who it is, that the document's conditions
 * look at: a session with MFA, principal tags (it tags its own users and roles), a source identity (it
 * sets one when assuming its own role), a VPC endpoint or VPC of its own that a wildcard pattern admits.
 * Each is tried as a variant of every caller; `roleOnly` variants only for role sessions. `mfa` false
 * leaves out the MFA session (for questions that try it themselves); `insider` true adds an address inside
 * each range the document names (a principal of the own account on a host of the office, as the breach's
 * intruders were) and each VPC endpoint and VPC it names by id (on an internal host), which a stranger cannot
 * have; `senders` false leaves out the keys a sender sets ({@link SENDER_KEYS}).
 */
function callerChoices(doc: unknown, mfa = true, insider = false, senders = true): Array<{ readonly name: string; readonly context: Record<string, ContextValue>; readonly roleOnly?: boolean }> {
  const out: Array<{ name: string; context: Record<string, ContextValue>; roleOnly?: boolean }> = [];
  if (mfa && conditionEntries(doc, 'aws:multifactorauthpresent').length + conditionEntries(doc, 'aws:multifactorauthage').length > 0) out.push({ name: MFA_CHOICE, context: PRINCIPAL_SESSIONS[1].context });
  for (const [key, value] of principalTagValues(doc)) {
    const v = typeof value === 'string' ? sampleOf(value) : value;
    out.push({ name: `tagged ${key.slice('aws:PrincipalTag/'.length)}=${typeof v === 'string' ? v : '(unresolved)'}`, context: { [key]: v } });
  }
  // A value unresolved until deployment is tried as it is: the answer then depends on it (unknown, never no).
  for (const v of new Set(conditionEntries(doc, 'aws:sourceidentity'))) {
    if (typeof v === 'string') out.push({ name: `with source identity ${sampleOf(v)}`, context: { 'aws:SourceIdentity': sampleOf(v) }, roleOnly: true });
    else if (isUnknown(v)) out.push({ name: 'with a source identity (unresolved)', context: { 'aws:SourceIdentity': v }, roleOnly: true });
  }
  const addresses = new Set(sourceAddressChoices(doc));
  if (insider) for (const a of addressesInside(conditionValues(doc, 'aws:sourceip'))) if (a !== INTERNET_ADDRESS) addresses.add(a);
  for (const address of addresses) out.push({ name: `from ${address}`, context: { 'aws:SourceIp': address } });
  // Where the document looks at the network, a VPC endpoint of the stranger's own VPC: no aws:SourceIp, and any
  // aws:VpcSourceIp it names (its VPC's addresses are its choice), with an endpoint id and a VPC id each wildcard
  // pattern admits (an insider: each id it names), alone and in every pair.
  if (['aws:sourceip', 'aws:vpcsourceip', 'aws:sourcevpce', 'aws:sourcevpc'].some((k) => conditionEntries(doc, k).length > 0)) {
    // (an insider also reaches the endpoints and VPCs the document names by id: its account's own, from an internal host)
    const own = (key: string): Array<string | undefined> => [undefined, ...new Set(conditionValues(doc, key).filter((v) => insider || WILD.test(v)).map(sampleOf))];
    const blocks = [...new Set(conditionValues(doc, 'aws:vpcsourceip'))].map(parseCidr).filter((b): b is Cidr => b !== undefined);
    for (const address of [undefined, ...new Set(blocks.map(addressIn))]) {
      for (const endpoint of own('aws:sourcevpce')) {
        for (const vpc of own('aws:sourcevpc')) {
          const ids = [endpoint, vpc].filter((x): x is string => x !== undefined);
          out.push({
            name: `${ids.length ? `through its own ${ids.join(' in ')}` : 'through a VPC endpoint of its own'}${address === undefined ? '' : ` from ${address}`}`,
            context: { ...STRANGER_NETWORK, ...(endpoint ? { 'aws:SourceVpce': endpoint } : {}), ...(vpc ? { 'aws:SourceVpc': vpc } : {}), ...(address ? { 'aws:VpcSourceIp': address } : {}) },
          });
        }
      }
    }
  }
  if (senders) out.push(...senderChoices(doc));
  // Where the request comes from (an address, an endpoint of its own) is one choice among others, which never
  // join one another.
  const networks = out.filter((c) => Object.keys(c.context).some((k) => NETWORK_KEYS.test(k)));
  // Every other choice sets one key (MFA: its two keys); a request carries one value or none of each key (a key
  // written in any case is one key): every such request is tried, from each network in turn, while there are
  // at most MAX_CHOICE_COMBINATIONS of them (conditions that must all hold, a Deny escaped while an Allow's
  // conditions hold, several Denies each escaped by another key or only by a middle value of one, a choice only
  // a role can make left out for users). Beyond, the keys' values are unknown: a decision depending on them is
  // undecidable, never a pass.
  const byKey = new Map<string, typeof out>();
  for (const c of out) {
    if (networks.includes(c)) continue;
    const key = Object.keys(c.context).join().toLowerCase();
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const groups = [...byKey.values()];
  const combinations = groups.reduce((n, g) => n * (g.length + 1), 1);
  const sets: Array<typeof out> = [];
  if (combinations <= MAX_CHOICE_COMBINATIONS) {
    for (let i = 0; i < combinations; i++) {
      const picks: typeof out = [];
      let rest = i;
      for (let g = groups.length - 1; g >= 0; g--) {
        const at = rest % (groups[g].length + 1);
        rest = Math.floor(rest / (groups[g].length + 1));
        if (at > 0) picks.unshift(groups[g][at - 1]);
      }
      sets.push(picks);
    }
  } else {
    // every key of every group (MFA's age too), so no condition on one of them is read as unmet
    const keys = groups.flatMap((g) => Object.keys(g[0].context));
    const why = unknown(`which values the caller chooses for ${groups.length} keys the policy looks at (${combinations} combinations, more than the ${MAX_CHOICE_COMBINATIONS} tried)`);
    sets.push([{ name: `choosing values of ${keys.join(', ')} not all tried together`, context: Object.fromEntries(keys.map((k) => [k, why])) }]);
  }
  // One request carrying `choices` (no two set one key), named by them; one with the name and context of another
  // is that request again (two unresolved values share a name, not a context).
  const idOf = (name: string, context: Record<string, ContextValue>) => `${name}\u0000${JSON.stringify(context)}`;
  const seen = new Set([idOf('', {}), ...out.map((c) => idOf(c.name, c.context))]); // '': the plain request
  for (const network of [[], ...networks.map((n) => [n])]) {
    for (const picks of sets) {
      const choices = [...picks, ...network];
      const name = choices.map((c) => c.name).join(', ');
      const context = Object.assign({}, ...choices.map((c) => c.context)) as Record<string, ContextValue>;
      if (seen.has(idOf(name, context))) continue;
      seen.add(idOf(name, context));
      out.push({ name, context, roleOnly: choices.some((c) => c.roleOnly) });
    }
  }
  return out;
}

/**
 * Keys whose value the sender of a request sets: the transport and its TLS version, how it signs, the
 * service it calls through, its Referer and User-Agent, and the tags, headers, prefixes, versions,
 * object-lock settings, encryption context and algorithms, grant terms, subscription protocol and endpoint,
 * DynamoDB keys and attributes, secret versions, role session name, source identity, transitive tags and
 * external id (AWS: no secret) it sends. AWS sets aws:ViaAWSService with aws:CalledVia*. Keys AWS sets from
 * the caller or the resource (principal, source, resource account and organization) are not the sender's to
 * choose; of the resource's tags, the sender picks a resource carrying them (PICKED_KEYS).
 */
const SENDER_KEYS: readonly RegExp[] = [
  /^aws:securetransport$/i, /^aws:viaawsservice$/i, /^aws:calledvia$/i, /^aws:calledvia(first|last)$/i,
  /^aws:(referer|useragent)$/i,
  /^aws:requesttag\/.+$/i, /^aws:tagkeys$/i, /^s3:x-amz-.+$/i, /^s3:(prefix|delimiter|max-keys)$/i,
  /^s3:(tlsversion|authtype|signatureversion|signatureage|versionid|locationconstraint)$/i,
  /^s3:object-lock-(mode|legal-hold|retain-until-date|remaining-retention-days)$/i,
  /^s3:requestobjecttag\/.+$/i, /^s3:requestobjecttagkeys$/i, /^kms:encryptioncontext:.+$/i,
  /^kms:encryptioncontextkeys$/i, /^kms:viaservice$/i,
  /^kms:(encryptionalgorithm|signingalgorithm|macalgorithm|messagetype|granteeprincipal|retiringprincipal|grantconstrainttype|grantisforawsresource|requestalias)$/i,
  /^kms:grantoperations$/i, /^sns:(protocol|endpoint)$/i,
  /^dynamodb:(leadingkeys|attributes)$/i, /^dynamodb:(select|returnvalues|returnconsumedcapacity)$/i,
  /^secretsmanager:(versionstage|versionid)$/i, /^sts:(rolesessionname|externalid|sourceidentity|transitivetagkeys)$/i,
];

/**
 * Keys AWS sets from the resource a request names, which the sender picks: any object or resource
 * carrying the tag a condition names is reachable (an object tagged for the web, a bucket of the
 * sender's own tagged to match an endpoint policy). AWS reads such a policy as public too: only fixed
 * values of the source, principal and network keys make a grant to everyone non-public.
 */
const PICKED_KEYS: readonly RegExp[] = [/^s3:existingobjecttag\/.+$/i, /^aws:resourcetag\/.+$/i];
const CHOSEN_KEYS: readonly RegExp[] = [...SENDER_KEYS, ...PICKED_KEYS];

/** The name of the caller's choice of a session with MFA. */
const MFA_CHOICE = 'with MFA';
const DAY_MS = 86_400_000;
const OTHER_VALUE = 'breachlessons-other-value';
/**
 * The most requests tried from one network (every combination of one value or none per key a caller chooses);
 * beyond it the keys' values are sent as unknown, and the answer is undecidable.
 */
export const MAX_CHOICE_COMBINATIONS = 64;

/**
 * A value the sender may send that `operator` accepts against the condition's `value`: the value itself, or
 * for a strict or not-equal numeric or date comparison one past it (`NumericLessThan 100` -> 99,
 * `DateGreaterThan 2030-01-01` -> a day later), for a negated string or ARN test a value it does not name.
 */
function satisfying(operator: string, value: string): string {
  const base = operator.replace(/^For(AnyValue|AllValues):/i, '').replace(/IfExists$/i, '');
  // A value other than those named (a negated string or ARN test): one no pattern but `*` admits.
  if (/^(String|Arn)Not/i.test(base)) return OTHER_VALUE;
  const step = /LessThan$/i.test(base) ? -1 : /(GreaterThan|NotEquals)$/i.test(base) ? 1 : 0;
  if (step === 0) return value;
  // Read as the evaluator reads them; a bound that is no number or date never matches, so it is sent as it is.
  const n = /^Numeric/i.test(base) ? toNumber(value) : undefined;
  if (n !== undefined) return String(n + step);
  const ms = /^Date/i.test(base) ? toDate(value) : undefined;
  return ms === undefined ? value : new Date(ms + step * DAY_MS).toISOString();
}

/**
 * Values of a sender key that fail a Deny's comparison with `value` whichever way it compares: the other truth
 * value of a Bool test; the value itself and another for a string or ARN test (a negated test spares the value,
 * a plain one the other); the value and one step either side of it for a number or a date.
 */
function escapes(operator: string, value: string): string[] {
  const base = operator.replace(/^For(AnyValue|AllValues):/i, '').replace(/IfExists$/i, '');
  if (/^Bool$/i.test(base)) return [value.toLowerCase() === 'true' ? 'false' : 'true'];
  if (/^(Numeric|Date)/i.test(base)) {
    const kind = /^Numeric/i.test(base) ? 'Numeric' : 'Date';
    return [...new Set([satisfying(`${kind}LessThan`, value), value, satisfying(`${kind}GreaterThan`, value)])];
  }
  return [value, OTHER_VALUE];
}

/**
 * The sender's choice of each value the document's conditions compare a sender key with (an unresolved one
 * as it is): in an Allow, the value that meets the condition; in a Deny, each value that escapes it. An
 * Allow's `Null false` test (the key sent) is met by any value: the values other Allow conditions name for the
 * key when there are some, else `any`; a Deny's `Null true` test is escaped by sending `any`.
 */
function senderChoices(doc: unknown): Array<{ name: string; context: Record<string, ContextValue> }> {
  const out = new Map<string, { name: string; context: Record<string, ContextValue> }>();
  const mustSend = new Map<string, string>();
  const maySend = new Map<string, string>();
  const valued = new Set<string>();
  const choose = (key: string, v: ContextValue): void => {
    const shown = typeof v === 'string' ? v : '(unresolved)';
    const context: Record<string, ContextValue> = { [key]: v };
    const name = PICKED_KEYS.some((re) => re.test(key)) ? `picking a resource with ${key} ${shown}` : `sending ${key} ${shown}`;
    const id = `${key.toLowerCase()}\u0000${shown}`;
    out.set(id, { name, context });
  };
  for (const [key, value, operator, effect] of conditionPairs(doc)) {
    if (!CHOSEN_KEYS.some((re) => re.test(key)) || (typeof value !== 'string' && !isUnknown(value))) continue;
    const deny = effect === 'Deny';
    if (/^Null$/i.test(operator)) {
      // Sending nothing is what every request does already. Sending the key meets an Allow's Null false, and
      // escapes a Deny's Null true (a Deny of "calls not made through a service").
      if (typeof value !== 'string' || value.toLowerCase() === (deny ? 'true' : 'false')) (deny ? maySend : mustSend).set(key.toLowerCase(), key);
      continue;
    }
    if (!deny) valued.add(key.toLowerCase());
    if (typeof value !== 'string') choose(key, value);
    else if (!deny) choose(key, satisfying(operator, sampleOf(value)));
    // A Deny's condition: each value the sender may send to escape it.
    else for (const v of escapes(operator, sampleOf(value))) choose(key, v);
  }
  for (const [lower, key] of mustSend) if (!valued.has(lower)) choose(key, 'any');
  for (const key of maySend.values()) choose(key, 'any');
  return [...out.values()];
}

/** Internet addresses a stranger may call from besides INTERNET_ADDRESS (where requests come from unless the caller picks another), in the documentation ranges (RFC 5737, RFC 3849). */
const OTHER_IPV4 = ['198.51.100.7', '192.0.2.7'];
const OTHER_IPV6 = ['2001:db8::7', '2001:db8:ffff::7'];

/**
 * Where a stranger calls from is its own choice, within what it can get: an address inside any
 * aws:SourceIp range wider than S3 counts as a fixed limit (/8 for IPv4, /32 for IPv6), and an
 * internet address of each family outside the narrower ranges the document names (a NotIpAddress
 * may exclude the default address; an allow-list of such ranges still keeps these callers out).
 */
function sourceAddressChoices(doc: unknown): string[] {
  const blocks = [...new Set(conditionValues(doc, 'aws:sourceip'))].map(parseCidr).filter((b): b is Cidr => b !== undefined);
  if (blocks.length === 0) return [];
  const broad = (b: Cidr): boolean => b.bits < (b.v6 ? 32 : 8);
  const narrow = blocks.filter((b) => !broad(b));
  const outside = (a: string): boolean => !narrow.some((b) => cidrContains(b, parseCidr(a)!));
  const others = [outside(INTERNET_ADDRESS) ? undefined : OTHER_IPV4.find(outside), OTHER_IPV6.find(outside)];
  return [...new Set([...blocks.filter(broad).map(addressIn), ...others.filter((a): a is string => a !== undefined)])];
}

/**
 * Callers whose aws:userid the document's aws:userid patterns admit. A unique id is AWS's, never the
 * caller's choice, but a pattern with a wildcard in it (`AROA*`, `*:alice`) admits principals of any
 * account; a literal id names one principal, and whose account it is cannot be told from the policy.
 */
function userIdCallers(doc: unknown, [user, role]: readonly Caller[]): Caller[] {
  return [...new Set(conditionValues(doc, 'aws:userid'))].map((pattern) => {
    const userId = sampleOf(pattern);
    const doubt = WILD.test(pattern.split(':')[0]) ? undefined : `aws:userid ${pattern} names a principal by its unique id, and whose account that is cannot be told from the policy`;
    const plain = userIdOfUser(pattern) ? user : role;
    return { ...plain, principal: { ...plain.principal, userId }, whom: `${plain.whom} with unique id ${userId}`, ...(doubt ? { doubt } : {}) };
  });
}

/** Whether an aws:userid value is an IAM user's (`AIDA...`, no session part); else a role session's (`AROA...:session`). */
const userIdOfUser = (u: string): boolean => /^AIDA/i.test(u) && !u.includes(':');

/** The unique id AWS sends as aws:userid for a caller that has none given. */
const withUserId = (p: RequestPrincipal): RequestPrincipal =>
  (p.userId !== undefined ? p : { ...p, userId: p.type === 'AssumedRole' ? `${OUTSIDER_ROLE_ID}:session` : p.type === 'User' ? OUTSIDER_USER_ID : undefined });

/**
 * The IAM roles and users of an outsider's account that the document's aws:PrincipalArn patterns name
 * (a pattern whose account field the outsider's account matches, `arn:aws:iam::*:role/partner-*`
 * included), each as a caller: the plain IAM user every outsider is tried as matches no role pattern.
 */
function namedPrincipalsOf(doc: unknown, out: Outsider, own: Own): Caller[] {
  const callers = new Map<string, Caller>();
  const org = out.org ? ` in organization ${out.org}` : ' in no organization';
  for (const pattern of conditionValues(doc, 'aws:principalarn')) {
    const f = pattern.split(':');
    // A wildcard service or partition (arn:*:*::*:role/x) admits IAM principals of the own partition too.
    if (f.length < 6 || f[0].toLowerCase() !== 'arn' || !wildcardMatch(f[1], own.partition, false) || !wildcardMatch(f[2], 'iam', false)
      || !wildcardMatch(f[4], out.account, false)) continue;
    const arn = sampleOf(['arn', own.partition, 'iam', '', out.account, ...f.slice(5)].join(':'));
    const resource = arn.split(':').slice(5).join(':');
    const kind = resource.startsWith('role/') ? 'AssumedRole' : resource.startsWith('user/') ? 'User' : undefined;
    if (!kind || callers.has(arn)) continue;
    const principal: RequestPrincipal = kind === 'User'
      ? { arn, account: out.account, type: 'User', ...(out.org ? { orgId: out.org } : {}) }
      : { arn: `arn:${own.partition}:sts::${out.account}:assumed-role/${resource.split('/').pop()}/someone`, roleArn: arn, account: out.account, type: 'AssumedRole', ...(out.org ? { orgId: out.org } : {}) };
    callers.set(arn, { principal, context: outsiderKeys(out), whom: `${arn} (account ${out.account}${org})` });
  }
  return [...callers.values()];
}

/**
 * Can a principal outside the own account and organization get an Allow from this resource policy
 * (no deny of the same document stopping it)? Yes names who, with what and which statement.
 */
export function outsiderAccess(doc: unknown, own: Own, o: OutsiderOptions, name = 'resource policy'): Answer {
  const policy = parse(doc, name);
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  // Statements whose principal is, or may be, everyone ("*", NotPrincipal, or an unresolved value).
  const wildcard = new Set(policy.statements.filter((s) => s.effect === 'Allow' && (s.principal?.wildcard === true || s.notPrincipal !== undefined
    || (s.principal?.aws.some(isUnknown) ?? false))).map((s) => s.index));
  const candidates = policy.statements.filter((s) => s.effect === 'Allow' && (!o.wildcardOnly || wildcard.has(s.index)));
  if (candidates.length === 0) return NO;
  const allowIf = o.wildcardOnly ? (r: StatementRef) => wildcard.has(r.index) : undefined;
  const uncertain: string[] = [];
  const who = outsiders(doc, own);
  const choices = callerChoices(doc);
  const callersOf = (out: Outsider): Caller[] => {
    if (out.account === 'anonymous') return [{ principal: { arn: '*', type: 'Anonymous' }, context: {}, whom: 'an anonymous caller' }];
    // The roles the document's patterns name come before the plain role, so a finding names the one the pattern meant.
    const [user, role, root, federated] = plainCallers(out, own);
    const principals = [user, ...namedPrincipalsOf(doc, out, own), role, root, federated, ...userIdCallers(doc, [user, role])];
    return [
      ...principals,
      ...principals.flatMap((c) => choices.filter((v) => canMake(v, c.principal))
        .map((v) => ({ ...c, context: { ...c.context, ...v.context }, whom: `${c.whom} ${v.name}` }))),
      ...(!o.wildcardOnly || o.serviceDelivery === false ? [] : serviceRequests(doc, out, own)),
    ];
  };
  // Per outsider, once: the same callers try every candidate statement.
  const callers = new Map(who.map((out) => [out, callersOf(out)] as const));
  // One doubt per statement, outsider and action: the outsider's other callers would only repeat it.
  const noted = new Set<string>();
  const note = (st: number, out: Outsider, action: string, line: string): void => {
    const k = `${st}\u0000${who.indexOf(out)}\u0000${action}`;
    if (!noted.has(k)) { noted.add(k); uncertain.push(line); }
  };
  for (const st of candidates) {
    const { actions, resources } = samplesOf(doc, st.index, o);
    for (const out of who) {
      for (const { principal, context: keys, whom, doubt } of callers.get(out)!) for (const action of actions) {
        for (const resource of resources) {
          // What every request carries wins, but for the host address in a VPC, which is the caller's.
          const host: Record<string, ContextValue> = keys['aws:VpcSourceIp'] === undefined ? {} : { 'aws:VpcSourceIp': keys['aws:VpcSourceIp'] };
          const context = baseContext(own, { ...resourceKeys(own), ...keys, ...o.context, ...host });
          if (principal.type === 'Service') { delete context['aws:SourceIp']; }
          const v = judge(policy, 'resource', { principal, action, resource, context }, allowIf);
          if (v.verdict === 'allow') {
            const line = `${v.allows.map(label).join(', ')} lets ${whom} call ${action}`;
            if (out.certain && !doubt) return { yes: true, why: [line] };
            note(st.index, out, action, `${line}, and ${doubt ?? (out.org && own.organizationId === undefined ? `no own organization is configured to compare ${out.org} with` : `the own account is not known to compare ${out.account} with`)}`);
          } else if (v.verdict === 'unknown') {
            note(st.index, out, action, `whether ${whom} may call ${action} depends on ${v.reasons.join('; ')}`);
          }
        }
      }
    }
  }
  return uncertain.length > 0 ? { yes: 'unknown', why: [...new Set(uncertain)].slice(0, 3) } : NO;
}

// ---- TLS ---------------------------------------------------------------------------------------

/** S3 actions a TLS deny must cover, on the bucket and on its objects (s3:* included as a literal probe). */
const BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:*'];
const OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:RestoreObject', 's3:*'];

/**
 * Does some document deny every request made without TLS (or, with `belowVersion`, with each TLS
 * version older than it), by principals of the own and of a foreign account (an IAM user, a role
 * session, the root user, a federated user), from the internet and
 * from the own network, on the bucket ARN and on every object (`<bucket>/*` itself and a sample key)?
 * Yes: every such request is explicitly denied. Otherwise `why` names the first request let through.
 */
export function deniesWithoutTls(docs: readonly unknown[], bucketArn: string, own: Own, belowVersion?: string): Answer {
  const policies: ParsedPolicy[] = [];
  for (const [i, d] of docs.entries()) {
    const p = parse(d, `bucket policy ${i + 1}`);
    if (typeof p === 'string') return { yes: 'unknown', why: [p] };
    policies.push(p);
  }
  const insecure: [string, Record<string, ContextValue>][] = belowVersion === undefined
    ? [['without TLS', { 'aws:SecureTransport': 'false' }]]
    : olderVersions(belowVersion).map((v) => [`with TLS ${v}`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': v }]);
  const networks: Record<string, ContextValue>[] = [{ 'aws:SourceIp': INTERNET_ADDRESS }, OWN_NETWORK];
  // and the root user and a federated user of each account: a deny of roles' and users' plain HTTP spares them
  const member = [userOf(own.account, own, own.organizationId, 'member'), roleSessionOf(own.account, own, own.organizationId, 'member'), ...beyondRolesAndUsers(own.partition, own.account, own.organizationId, 'member')];
  const outsider = [userOf(FOREIGN_ACCOUNT, own, undefined, 'outsider'), roleSessionOf(FOREIGN_ACCOUNT, own, undefined, 'outsider'), ...beyondRolesAndUsers(own.partition, FOREIGN_ACCOUNT, undefined, 'outsider')];
  // A caller also chooses about its request without TLS what the documents look at: an address of the office
  // (a host there), a call through a service, MFA, its own tags, a source identity (a role session's), an
  // endpoint of its own; the transport is the question's, whatever a choice says of it.
  const choices = [{ name: '', context: {} }, ...callerChoices(statementsOf(docs), true, true)];
  const targets: [string, string, string[]][] = [
    [bucketArn, 'the bucket', BUCKET_ACTIONS], [`${bucketArn}/*`, 'every object', OBJECT_ACTIONS], [`${bucketArn}/data/customers.csv`, 'an object', OBJECT_ACTIONS],
  ];
  for (const [how, tls] of insecure) {
    for (const [resource, what, actions] of targets) {
      for (const action of actions) {
        for (const [user, role, ...rest] of [member, outsider]) {
          for (const choice of choices) {
            // a choice of where the request comes from (an office address, an endpoint of its own) replaces the networks
            const chosenNetwork = Object.keys(choice.context).some((k) => NETWORK_KEYS.test(k));
            for (const principal of choice.roleOnly ? [role] : [user, ...rest].filter((p) => canMake(choice, p))) {
              for (const net of chosenNetwork ? [{}] : networks) {
                const request: PolicyRequest = { principal, action, resource, context: baseContext(own, { ...resourceKeys(own), ...net, ...choice.context, ...tls }) };
                const doubts = doubtsOfDeny(policies.map((p) => judge(p, 'resource', request)));
                if (!doubts) continue;
                const request_ = `${action} on ${what} (${resource}) ${how} by ${principal.arn}${choice.name ? `, ${choice.name}` : ''}${chosenNetwork ? '' : ` ${whereFrom(request.context!)}`}`;
                if (doubts.length > 0) return { yes: 'unknown', why: [`whether ${request_} is denied depends on ${doubts.join('; ')}`] };
                return { yes: false, why: [`${request_} is not denied`] };
              }
            }
          }
        }
      }
    }
  }
  return { yes: true, why: [] };
}

/** TLS versions clients may still offer that are older than `v` (1.2 -> 1.0, 1.1). */
export function olderVersions(v: string): string[] {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new PolicyError(`tls version must be a number, got ${JSON.stringify(v)}`);
  return ['1.0', '1.1', '1.2', '1.3'].filter((x) => Number(x) < n);
}

// ---- MFA ---------------------------------------------------------------------------------------

/** Actions across services a deny-unless-MFA must cover (none of them MFA self-service). */
export const MFA_PROBE_ACTIONS = [
  's3:GetObject', 'dynamodb:Scan', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'ec2:RunInstances', 'iam:CreateAccessKey',
  'iam:AttachUserPolicy', 'sts:AssumeRole', 'lambda:InvokeFunction', 'rds:DescribeDBInstances', 'guardduty:DeleteDetector', 'cloudtrail:StopLogging',
];

function probeResource(action: string, own: Own): string {
  const service = action.split(':')[0];
  if (service === 's3') return 'arn:aws:s3:::customer-data/records.csv';
  if (service === 'iam' || service === 'sts') return `arn:${own.partition}:iam::${own.account}:role/SomeRole`;
  return `arn:${own.partition}:${service}:${own.region}:${own.account}:thing/x`;
}

/** How AWS sends a request without MFA: long-term access keys carry no MFA key; a console session without MFA carries false. */
export const NO_MFA_SESSIONS: ReadonlyArray<{ readonly name: string; readonly context: Record<string, ContextValue> }> = [
  { name: 'an access-key request (no aws:MultiFactorAuthPresent)', context: {} },
  { name: 'a console session without MFA (aws:MultiFactorAuthPresent false)', context: { 'aws:MultiFactorAuthPresent': 'false' } },
];

/**
 * The Deny statements of a document that may count as a deny-unless-MFA: a `NotAction` may leave out
 * only MFA self-service (what it exempts is judged by name: the probes cannot cover every action).
 * Removing a deny can only make {@link deniesWithoutMfa} answer no, never a false yes.
 */
export function mfaDenyCandidates(doc: unknown): unknown {
  if (typeof doc === 'string') {
    try { doc = JSON.parse(doc); } catch { return doc; }
  }
  if (!doc || typeof doc !== 'object' || isUnknown(doc)) return doc;
  const d = doc as { Statement?: unknown };
  const list = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  const keep = list.filter((st) => {
    const x = st as Record<string, unknown> | null;
    if (!x || x.Effect !== 'Deny') return false;
    if (x.NotAction === undefined) return true;
    return exemptsOnlyMfaSelfService(Array.isArray(x.NotAction) ? x.NotAction : [x.NotAction]);
  });
  return { ...d, Statement: keep };
}

/**
 * Do these identity documents, together, deny every probe action to a user of the own account
 * making requests without MFA (access keys; console without MFA), from the internet and the own network?
 */
export function deniesWithoutMfa(docs: readonly unknown[], own: Own): Answer {
  const policies: ParsedPolicy[] = [];
  for (const [i, d] of docs.entries()) {
    const p = parse(d, `policy ${i + 1}`);
    if (typeof p === 'string') return { yes: 'unknown', why: [p] };
    policies.push(p);
  }
  const principal = userOf(own.account, own, own.organizationId, 'member');
  // Every network from every region: a deny limited to a region, beside one limited to a network, leaves the
  // others open (the internet from the own region and the own network from another first, as messages name them).
  const regions = [own.region, own.region === 'eu-south-2' ? 'ap-southeast-4' : 'eu-south-2'];
  const internet = { 'aws:SourceIp': INTERNET_ADDRESS };
  const networks: Array<[Record<string, ContextValue>, string]> = [[internet, regions[0]], [OWN_NETWORK, regions[1]], [internet, regions[1]], [OWN_NETWORK, regions[0]]];
  // A user whose key was stolen also chooses about its requests what the documents look at (a call through a
  // service, CloudFormation calling for it; an address of the office, an intruder on an office host), and
  // carries the tags a deny may spare (whoever may tag a user exempts it).
  const choices = [{ name: '', context: {} }, ...callerChoices(statementsOf(docs), false, true).filter((c) => canMake(c, principal))];
  for (const session of NO_MFA_SESSIONS) {
    for (const action of MFA_PROBE_ACTIONS) {
      for (const choice of choices) {
        // a choice of where the request comes from (an office address) replaces the networks, from every region
        const chosenNetwork = Object.keys(choice.context).some((k) => NETWORK_KEYS.test(k));
        for (const [net, region] of chosenNetwork ? regions.map((r): [Record<string, ContextValue>, string] => [{}, r]) : networks) {
          const request: PolicyRequest = { principal, action, resource: probeResource(action, own), context: baseContext(own, { ...net, 'aws:RequestedRegion': region, ...session.context, ...choice.context }) };
          const doubts = doubtsOfDeny(policies.map((p) => judge(p, 'identity', request)));
          if (!doubts) continue;
          const how = `${session.name}${choice.name ? `, ${choice.name}` : ''}`;
          if (doubts.length > 0) return { yes: 'unknown', why: [`whether ${action} in ${how} is denied depends on ${doubts.join('; ')}`] };
          return { yes: false, why: [`${action} in ${how}${chosenNetwork ? '' : ` ${whereFrom(request.context!)}`} in ${region} is not denied`] };
        }
      }
    }
  }
  return { yes: true, why: [] };
}

// ---- role trust ----------------------------------------------------------------------------------

export interface TrustFinding { readonly statements: string[]; readonly problem: 'no-mfa' | 'no-age-bound' | 'old-mfa'; readonly session: string }

/**
 * The sessions without MFA, or with an MFA sign-in older than `maxAgeSeconds`, that the trust policy
 * lets `caller` assume the role with. Unknown when it depends on an unresolved value.
 */
export function trustAdmitsWithoutMfa(doc: unknown, roleArn: string, caller: RequestPrincipal, own: Own, maxAgeSeconds: number): TrustFinding[] | { unknown: string[] } {
  const policy = parse(doc, 'trust policy');
  if (typeof policy === 'string') return { unknown: [policy] };
  const probes: [TrustFinding['problem'], string, Record<string, ContextValue>][] = [
    ...NO_MFA_SESSIONS.map((s): [TrustFinding['problem'], string, Record<string, ContextValue>] => ['no-mfa', s.name, s.context]),
    ['no-age-bound', 'an MFA sign-in a year old', { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '31536000' }],
    ['old-mfa', `an MFA sign-in ${maxAgeSeconds + 1} seconds old`, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': String(maxAgeSeconds + 1) }],
  ];
  // The caller as it is, then with each choice the trust's conditions look at (a tag on its own principal, a
  // source identity, a unique id a pattern admits, an address inside a range it names: an office's or a partner's,
  // where an intruder's malware runs): a condition on them narrows who, never whether MFA is used.
  // AWS sends aws:userid for every signed request: a condition on it never reads it as absent.
  const role = caller.type === 'AssumedRole';
  const plain = withUserId(caller);
  const variants = [
    { name: '', context: {}, principal: plain },
    ...callerChoices(doc, false, true).filter((c) => canMake(c, caller)).map((c) => ({ name: c.name, context: c.context, principal: plain })),
    ...[...new Set(conditionValues(doc, 'aws:userid'))].filter((u) => userIdOfUser(u) !== role)
      .map((u) => ({ name: `with unique id ${sampleOf(u)}`, context: {}, principal: { ...caller, userId: sampleOf(u) } })),
  ];
  const out: TrustFinding[] = [];
  for (const [problem, session, context] of probes) {
    if (problem === 'old-mfa' && out.some((f) => f.problem === 'no-age-bound')) continue;
    for (const variant of variants) {
      const v = judge(policy, 'resource', { principal: variant.principal, action: 'sts:AssumeRole', resource: roleArn, context: baseContext(own, { ...variant.context, ...context }) });
      if (v.verdict === 'unknown') return { unknown: v.reasons };
      if (v.verdict === 'allow') {
        out.push({ statements: v.allows.map(label), problem, session: variant.name ? `${session}, ${variant.name}` : session });
        break;
      }
    }
  }
  return out;
}

// ---- KMS key duties -----------------------------------------------------------------------------

/** A principal tried against a key policy, with the identity policies it may hold. */
export interface KeyProbe {
  /** How messages name it: `account 111122223333`, a construct path, an ARN. */
  readonly name: string;
  readonly principal: RequestPrincipal;
  /** Its identity documents; undefined: unknown, so anything IAM can grant (the worst case). */
  readonly identity?: readonly unknown[];
  /** Context keys its requests carry beyond what every request carries (e.g. an MFA session's). */
  readonly context?: Record<string, ContextValue>;
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export interface KeyAccess { readonly allowed: boolean; readonly keyStatements: string[]; readonly unknown?: string[] }

/**
 * Whether `probe` may call `action` on the key: no deny in the key policy or its identity policies,
 * and the key policy admits it directly, or admits the root of its account and its identity policy allows.
 * The request carries no kms:ViaService, encryption context or grant keys: direct use, as an
 * administrator would make it.
 */
export function keyAllows(keyPolicy: ParsedPolicy, keyArn: string, probe: KeyProbe, action: string, own: Own): KeyAccess {
  const account = isUnknown(probe.principal.account) ? undefined : probe.principal.account;
  // The key is the own account's: AWS sets aws:ResourceAccount and aws:ResourceOrgID from it (a grant to the key's own organization).
  const request: PolicyRequest = { principal: probe.principal, action, resource: keyArn, context: baseContext(own, { ...resourceKeys(own), ...(account ? { 'kms:CallerAccount': account } : {}), ...probe.context }) };
  const onKey = judge(keyPolicy, 'resource', request);
  if (onKey.verdict === 'deny' || onKey.verdict === 'none') return { allowed: false, keyStatements: [] };
  if (onKey.verdict === 'unknown') return { allowed: false, keyStatements: [], unknown: onKey.reasons };
  // The key policy admits the principal by name (enough on its own) or through its account root (IAM must allow too).
  const ids = (probe.identity ?? [ALLOW_ALL]).map((d, i) => parse(d, `${probe.name} identity policy ${i + 1}`));
  const bad = ids.find((p): p is string => typeof p === 'string');
  if (bad) return { allowed: false, keyStatements: [], unknown: [bad] };
  const idVerdicts = (ids as ParsedPolicy[]).map((p) => judge(p, 'identity', request));
  if (idVerdicts.some((v) => v.verdict === 'deny')) return { allowed: false, keyStatements: [] };
  const byName = onKey.allows.some((r) => namesPrincipal(keyPolicy, r.index, probe.principal));
  if (byName) return { allowed: true, keyStatements: onKey.allows.map(label) };
  if (idVerdicts.some((v) => v.verdict === 'allow')) return { allowed: true, keyStatements: onKey.allows.map(label) };
  const unknown = idVerdicts.flatMap((v) => (v.verdict === 'unknown' ? v.reasons : []));
  return unknown.length > 0 ? { allowed: false, keyStatements: [], unknown } : { allowed: false, keyStatements: [] };
}

/** Whether a key-policy statement names the principal itself (not only its account root or "*"). */
function namesPrincipal(policy: ParsedPolicy, index: number, p: RequestPrincipal): boolean {
  const s = policy.statements.find((x) => x.index === index);
  if (!s?.principal || isUnknown(p.arn)) return false;
  const arn = p.arn.toLowerCase();
  const roleArn = typeof p.roleArn === 'string' ? p.roleArn.toLowerCase() : undefined;
  return s.principal.aws.some((a) => typeof a === 'string' && (a.toLowerCase() === arn || a.toLowerCase() === roleArn));
}

/** Parses a key policy for {@link keyAllows}; a string is the reason it cannot be read. */
export function parseKeyPolicy(doc: unknown): ParsedPolicy | string {
  return parse(doc, 'key policy');
}

// ---- principals a policy names, and those it admits without naming ------------------------------

/**
 * Every kind of principal of an account, as the principals an administrator of the account may act as: a role
 * (its sessions), an IAM user, the root user and a federated user (GetFederationToken), the first, second and
 * last named `name`. A grant to the account root reaches all four, an SCP binds all four, and a condition
 * sparing roles and users still admits the last two. The root user and a federated user carry the aws:userid
 * AWS sends for them (the account id; `<account>:<name>`); a role's and a user's are random ids AWS assigns.
 */
export function accountPrincipals(partition: string, account: string, name = 'AccountAdministrator'): Array<RequestPrincipal & { readonly arn: string; readonly type: PrincipalType }> {
  return [
    { arn: `arn:${partition}:iam::${account}:role/${name}`, account, type: 'AssumedRole' },
    { arn: `arn:${partition}:iam::${account}:user/${name}`, account, type: 'User' },
    { arn: `arn:${partition}:iam::${account}:root`, account, type: 'Account', userId: account },
    { arn: `arn:${partition}:sts::${account}:federated-user/${name}`, account, type: 'FederatedUser', userId: `${account}:${name}` },
  ];
}

/** The root user and a federated user of an account ({@link accountPrincipals}), in organization `org`: whom a deny of roles and users spares. */
function beyondRolesAndUsers(partition: string, account: string, org: string | undefined, name: string): RequestPrincipal[] {
  return accountPrincipals(partition, account, name).filter((p) => p.type === 'Account' || p.type === 'FederatedUser').map((p) => ({ ...p, ...(org ? { orgId: org } : {}) }));
}

/** How messages name a principal of each kind of {@link accountPrincipals}. */
const KIND_NAMES: Readonly<Partial<Record<PrincipalType, string>>> = { AssumedRole: 'a role', User: 'an IAM user', Account: 'the root user', FederatedUser: 'a federated user' };

/** How a principal may call: with an access key (no MFA key at all) and in a session signed in with MFA a minute ago. */
export const PRINCIPAL_SESSIONS: ReadonlyArray<{ readonly name: string; readonly context: Record<string, ContextValue> }> = [
  { name: 'with an access key', context: {} },
  { name: 'in a session with MFA', context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' } },
];

/** A principal tried against a policy, with the name messages give it. */
export interface NamedProbe { readonly name: string; readonly principal: RequestPrincipal }

/** Identity Center's roles: a path only AWS creates roles under, the permission set's name, then a random suffix. */
const IDENTITY_CENTER_ROLE = /^role\/aws-reserved\/sso\.amazonaws\.com\/(?:(?:[^*?/]+|\*)\/)?AWSReservedSSO_[^*?/]+_\*$/;
const WILD = /[*?]/;

/**
 * The principals an IAM or STS ARN pattern (a `Principal` value or an `aws:PrincipalArn` condition value)
 * admits without naming them: a foreign account where the account is a wildcard, a made-up name where
 * the name is one (`role/Admin*` -> `role/Adminany`), and a role of the account where the pattern is
 * the whole account. A pattern without wildcards names its principal; so does an Identity Center role
 * pattern (`AWSReservedSSO_<permission set>_*`: the suffix is random and the path reserved to AWS).
 */
export function unnamedSamples(pattern: string, own: Own): NamedProbe[] {
  const m = /^arn:([^:]*):(iam|sts)::([^:]*):(.+)$/.exec(pattern);
  if (!m || !WILD.test(pattern)) return [];
  const [, part, service, acct, rest] = m;
  const partition = WILD.test(part) ? own.partition : part;
  const wildName = WILD.test(rest) && !IDENTITY_CENTER_ROLE.test(rest);
  const accounts = WILD.test(acct) ? [...(wildName ? [own.account] : []), FOREIGN_ACCOUNT] : wildName ? [acct] : [];
  const out: NamedProbe[] = [];
  for (const account of accounts) {
    const named = wildName ? sampleOf(rest) : rest;
    let arn: string;
    let type: RequestPrincipal['type'];
    if (service === 'iam' && named.startsWith('user/')) { arn = `arn:${partition}:iam::${account}:${named}`; type = 'User'; }
    else if (service === 'iam' && named.startsWith('role/')) { arn = `arn:${partition}:iam::${account}:${named}`; type = 'AssumedRole'; }
    else if (service === 'sts' && /^assumed-role\/[^/]+\/./.test(named)) { arn = `arn:${partition}:sts::${account}:${named}`; type = 'AssumedRole'; }
    else { arn = `arn:${partition}:iam::${account}:role/breachlessons-any`; type = 'AssumedRole'; }
    out.push({ name: `a principal matching ${pattern} (${arn})`, principal: { arn, account, type } });
  }
  return out;
}

/** Every principal pattern a document holds: `Principal` / `NotPrincipal` AWS values and `aws:PrincipalArn` condition values. */
export function principalPatterns(doc: unknown): string[] {
  const out = new Set<string>();
  const each = (v: unknown, f: (x: string) => void) => { for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') f(x); };
  const raw = (doc as { Statement?: unknown } | null)?.Statement;
  for (const st of (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[]) {
    if (!st || typeof st !== 'object') continue;
    for (const p of [st.Principal, st.NotPrincipal]) if (p && typeof p === 'object' && !isUnknown(p)) each((p as { AWS?: unknown }).AWS, (x) => out.add(x));
    const cond = st.Condition;
    if (!cond || typeof cond !== 'object') continue;
    for (const body of Object.values(cond as Record<string, unknown>)) {
      if (!body || typeof body !== 'object') continue;
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (k.toLowerCase() === 'aws:principalarn') each(v, (x) => out.add(x));
    }
  }
  return [...out];
}

// ---- who may change a key policy ----------------------------------------------------------------

/**
 * Who that the key policy does not name may change it (kms:PutKeyPolicy, which `kms:*` and `kms:Put*`
 * grant too)? Tried: a role, an IAM user and a federated user of the own account that no statement names
 * (the root user is the account's, which a grant to the account root names), a principal of
 * a foreign account and of every other account the policy names, each with IAM policies that allow
 * anything (a grant to an account root delegates to exactly these), and a sample of every wildcard
 * principal pattern ({@link unnamedSamples}); each with an access key, in a session with MFA, and with every
 * choice of its requests the grants look at ({@link ownSessions}). Yes names who, how and through which
 * statements. A principal the policy names (by ARN in `Principal`, or by an exact `aws:PrincipalArn`) is a
 * named administrator, whatever else it may do; so is a principal
 * pattern `guarded` accepts (the caller has shown that no principal can come to match it).
 */
export function keyPolicyChangers(doc: unknown, keyArn: string, own: Own, guarded: (pattern: string) => boolean = () => false): Answer {
  const policy = parse(doc, 'key policy');
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  const named = namedIdentities(doc).accounts.filter((a) => a !== own.account && a !== OWN_ACCOUNT_PLACEHOLDER && a !== FOREIGN_ACCOUNT);
  // Groups of probes: one finding per group (the own account's role and user say the same thing twice).
  const groups: NamedProbe[][] = [
    // a federated user too (GetFederationToken): a condition sparing roles and users still admits it; the
    // root user is the administrator a grant to the account root names
    [own.account, FOREIGN_ACCOUNT, ...named].map((a) => accountPrincipals(own.partition, a, 'breachlessons-unnamed-principal')
      .filter((p) => p.type !== 'Account').map((principal): NamedProbe => ({ name: `any principal of account ${a} whose IAM policies allow it`, principal }))),
    // A pattern no principal outside it can come to match (an SCP guards its names) is a named administrator.
    principalPatterns(doc).filter((p) => !guarded(p)).map((p) => unnamedSamples(p, own)),
  ].flat();
  const out: string[] = [];
  const unknowns: string[] = [];
  // Each principal with MFA, with its tags, and with each choice of its requests the grants look at (an office
  // host, a call through CloudFormation, the account's own endpoint, a source identity: a role session's).
  const sessions = ownSessions(doc);
  for (const group of groups) {
    found: for (const probe of group) {
      for (const session of sessions.filter((x) => canMake(x, probe.principal))) {
        const r = keyAllows(policy, keyArn, { ...probe, context: session.context }, 'kms:PutKeyPolicy', own);
        if (r.unknown) unknowns.push(...r.unknown);
        if (r.allowed) {
          out.push(`${probe.name} may change the key policy ${session.name} (${r.keyStatements.join(', ')})`);
          break found;
        }
      }
    }
  }
  if (out.length > 0) return { yes: true, why: [...new Set(out)] };
  return unknowns.length > 0 ? { yes: 'unknown', why: [...new Set(unknowns)].slice(0, 3) } : NO;
}

// ---- permissions boundaries ---------------------------------------------------------------------

/** A request a boundary must stop: an action on a resource ARN. */
/** One request to try: an action on a resource, with the request's own context keys (iam:PermissionsBoundary, ...) when it sends any. */
export interface ResourceRequest { readonly action: string; readonly resource: string; readonly context?: Readonly<Record<string, ContextValue>> }

/**
 * Does a permissions boundary keep the principals it bounds from every one of these requests? A boundary
 * caps its principal's identity policies: a request it explicitly denies, or does not allow, is denied
 * whatever those policies grant. Tried for each of `principals` and a sample of every principal pattern of
 * the boundary's own account ({@link unnamedSamples}: an exemption by wildcard admits roles not yet
 * made), with an access key and in a session with MFA, from the internet and from the own network.
 * Yes: each request is denied (why: the statements that deny, or that nothing allows it). No: why names
 * who may make which request, and the statements that let it.
 */
export function boundaryDenies(doc: unknown, requests: readonly ResourceRequest[], principals: readonly NamedProbe[], own: Own, name = 'permissions boundary'): Answer {
  const policy = parse(doc, name);
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  const probes = [...principals, ...principalPatterns(doc).flatMap((p) => unnamedSamples(p, own)).filter((p) => p.principal.account === own.account)];
  const networks: Record<string, ContextValue>[] = [{ 'aws:SourceIp': INTERNET_ADDRESS }, OWN_NETWORK];
  // A bounded principal also chooses about its requests what the boundary looks at: a call through a service
  // (CloudFormation calling for it), another address (a host of the office), a source identity...
  const sessions = ownSessions(doc);
  // Per principal: the session that got through, the actions by resource, the statements that let them.
  const open = new Map<NamedProbe, { session: string; actions: Map<string, string[]>; by: Set<string> }>();
  const denied = new Set<string>();
  const unknowns: string[] = [];
  for (const probe of probes) {
    for (const { action, resource, context: sent } of requests) {
      attempt: for (const session of sessions.filter((x) => canMake(x, probe.principal))) {
        for (const net of networks) {
          const context = baseContext(own, { ...resourceKeys(own), ...net, ...session.context, ...sent });
          const v = judge(policy, 'permissions-boundary', { principal: probe.principal, action, resource, context });
          if (v.verdict === 'deny') { v.denies.forEach((d) => denied.add(label(d))); continue; }
          if (v.verdict === 'none') { denied.add('nothing it allows'); continue; }
          if (v.verdict === 'unknown') { unknowns.push(`whether ${probe.name} may call ${action} on ${resource} depends on ${v.reasons.join('; ')}`); continue; }
          const o = open.get(probe) ?? { session: session.name, actions: new Map<string, string[]>(), by: new Set<string>() };
          open.set(probe, o);
          const as = o.actions.get(resource) ?? [];
          if (!as.includes(action)) o.actions.set(resource, [...as, action]); // one action tried with several contexts is named once
          v.allows.forEach((a) => o.by.add(label(a)));
          break attempt;
        }
      }
    }
  }
  if (open.size > 0) {
    // Principals that got the same requests through the same statements share one line.
    const lines = new Map<string, string[]>();
    for (const [probe, o] of open) {
      const what = `${o.session} may call ${[...o.actions].map(([r, as]) => `${as.join(', ')} on ${r}`).join('; ')} (${[...o.by].join(', ')}; no statement denies it)`;
      lines.set(what, [...(lines.get(what) ?? []), probe.name]);
    }
    const who = (n: string[]) => (n.length > 3 ? `${n.slice(0, 3).join(', ')} and ${n.length - 3} more` : n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}` : n[0]);
    return { yes: false, why: [...lines].map(([what, names]) => `${who(names)} ${what}`) };
  }
  if (unknowns.length > 0) return { yes: 'unknown', why: [...new Set(unknowns)].slice(0, 3) };
  return { yes: true, why: [...denied] };
}

/**
 * The requests a principal of the own account makes, as the boundary, SCP and key-changer questions try them:
 * with an access key, in a session with MFA, and each of {@link principalChoices}.
 */
function ownSessions(doc: unknown): Array<{ readonly name: string; readonly context: Record<string, ContextValue>; readonly roleOnly?: boolean }> {
  return [...PRINCIPAL_SESSIONS, ...principalChoices([doc])];
}

/**
 * Every combination of the choices the documents look at that a principal of the own account makes about its
 * requests, each named as a session: MFA, the tags its account's administrator gives it, an address of the
 * office (an intruder's malware on an office host), the own VPC endpoint or VPC they name (an internal host), a
 * source identity (`roleOnly`: a role session's), and (unless `senders` is false, for questions about direct
 * calls) how it sends them: through a service, its headers, an encryption context. Denies that each spare one
 * choice leave open the principal making both; an allow needing two is met by the principal making both.
 */
export function principalChoices(docs: readonly unknown[], senders = true): Array<{ readonly name: string; readonly context: Record<string, ContextValue>; readonly roleOnly?: boolean }> {
  const withAccessKey = (c: { name: string }) => (c.name.startsWith(MFA_CHOICE) ? c.name : `${PRINCIPAL_SESSIONS[0].name}, ${c.name}`);
  return callerChoices(statementsOf(docs), true, true, senders).filter((c) => c.name !== MFA_CHOICE).map((c) => ({ ...c, name: withAccessKey(c) }));
}

/** Every `aws:PrincipalTag/<key>` a document's conditions name, with each value they compare it with. */
function principalTagValues(doc: unknown): Array<[string, ContextValue]> {
  const out = new Map<string, [string, ContextValue]>();
  for (const [k, x] of conditionPairs(doc)) {
    const m = /^aws:principaltag\/(.+)$/i.exec(k);
    const key = `aws:PrincipalTag/${m?.[1]}`;
    if (m && (typeof x === 'string' || isUnknown(x))) out.set(`${key}\u0000${typeof x === 'string' ? x : JSON.stringify(x)}`, [key, x as ContextValue]);
  }
  return [...out.values()];
}

/**
 * Does a service control policy explicitly deny every one of these requests to the principals of a
 * member account ({@link accountPrincipals}: a role, an IAM user, the root user, a federated user; IAM
 * policies allowing anything), and a sample of every principal pattern the SCP exempts by wildcard
 * ({@link unnamedSamples}, those `spared` aside), with an access key, in a session with MFA, and with
 * each choice of its own requests the SCP looks at (its tags, a call through a service or a VPC
 * endpoint, a Deny's escape)? An SCP only filters: what it does not deny, the FullAWSAccess policy
 * beside it allows, so only an explicit deny counts. Yes: why names the denying statements. No: why
 * names who may make which request.
 */
export function scpDenies(doc: unknown, requests: readonly ResourceRequest[], own: Own, name = 'service control policy', spared: (pattern: string) => boolean = () => false): Answer {
  const policy = parse(doc, name);
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  const org = own.organizationId ? { orgId: own.organizationId } : {};
  const probes: NamedProbe[] = [
    // SCPs bind a member account's root user and its federated users too: a deny of roles and users spares them
    ...accountPrincipals(own.partition, own.account, 'breachlessons-member').map((p) => ({ name: `${KIND_NAMES[p.type]} of the member account ${own.account}`, principal: { ...p, ...org } })),
    ...principalPatterns(doc).filter((p) => !spared(p)).flatMap((p) => unnamedSamples(p, own))
      .filter((p) => p.principal.account === own.account).map((p) => ({ ...p, principal: { ...p.principal, ...org } })),
  ];
  // A principal may carry the tags an exemption names (a member account's administrator can tag a role):
  // each principal is also tried with each tag value the SCP's conditions name (a value unknown until
  // deployment makes the answer unknown), and with each choice of its own requests the SCP looks at (a call
  // through a service or a VPC endpoint, a source identity...), as an administrator of the member account may.
  const sessions = ownSessions(doc);
  const denied = new Set<string>();
  const open: string[] = [];
  const unknowns: string[] = [];
  for (const probe of probes) {
    for (const { action, resource } of requests) {
      for (const session of sessions.filter((x) => canMake(x, probe.principal))) {
        const v = judge(policy, 'identity', { principal: probe.principal, action, resource, context: baseContext(own, session.context) });
        if (v.verdict === 'deny') { v.denies.forEach((d) => denied.add(label(d))); continue; }
        if (v.mayDeny.length > 0) { unknowns.push(`whether ${name} denies ${action} on ${resource} to ${probe.name} depends on ${v.mayDeny.join('; ')}`); continue; }
        open.push(`${probe.name} ${session.name} may call ${action} on ${resource} (no statement of ${name} denies it)`);
      }
    }
  }
  if (open.length > 0) return { yes: false, why: [...new Set(open)] };
  if (unknowns.length > 0) return { yes: 'unknown', why: [...new Set(unknowns)].slice(0, 3) };
  return { yes: true, why: [...denied] };
}

/**
 * Does the key policy let an AWS service principal use the key, calling as the service calls KMS
 * (`context`: exactly the keys that service sends; EventBridge sends no aws:SourceAccount)?
 */
export function serviceMayUseKey(doc: unknown, keyArn: string, service: string, actions: readonly string[], context: Record<string, ContextValue>): Answer {
  const policy = parse(doc, 'key policy');
  if (typeof policy === 'string') return { yes: 'unknown', why: [policy] };
  const why: string[] = [];
  for (const action of actions) {
    const v = judge(policy, 'resource', { principal: { arn: service, type: 'Service' }, action, resource: keyArn, context: { 'aws:SecureTransport': 'true', ...context } });
    if (v.verdict === 'unknown') return { yes: 'unknown', why: v.reasons };
    if (v.verdict !== 'allow') return { yes: false, why: [`${action} by ${service} without ${Object.keys(context).length ? 'other' : 'any'} context keys is not allowed`] };
    why.push(`${action} (${v.allows.map(label).join(', ')})`);
  }
  return { yes: true, why };
}

/** A message-safe rendering of a value naming the own account (the placeholder as `${AWS::AccountId}`). */
export function showOwn(s: string): string {
  return s.split(OWN_ACCOUNT_PLACEHOLDER).join('${AWS::AccountId}');
}
