/**
 * Which Action and Resource patterns of an identity policy are as wide as admin, decided on the globs
 * themselves (IAM's `*` any run of characters, `?` one), not on their spelling: `iam:**`, `*:*`,
 * `ia?:*` and `iam*` all cover every IAM action; `arn:*`, `arn:aws:iam::*:*` and `arn:aws:s3:::*` cover
 * every ARN of their service. Pure functions, no catalogue of actions: a pattern "covers a whole
 * service" when it matches `service:` followed by any action name, whatever names that service has.
 *
 * What counts (choices the rule documents in its metadata):
 * - an action pattern covers a whole service when, after some service prefix and its colon, what is
 *   left of the pattern is only wildcards (at least one `*`, at most three `?`: no AWS action or
 *   resource id is shorter than four characters, so `iam:???*` is `iam:*`);
 * - a resource pattern covers every ARN of a service when it matches `arn:<partition>:<service>:`
 *   followed by some region and some account (any, including one literal account and the empty ones
 *   of S3 and IAM) and then any resource id. A whole service in one region or one account is still
 *   admin over that service there: `arn:aws:iam::123456789012:*` is every role, user and policy of
 *   the account. A pattern that names a resource type (`arn:aws:iam::*:role/*`, or every S3 object
 *   without the buckets) does not cover the whole service;
 * - the two are asked together: `*` on `arn:aws:s3:::*` is admin over S3, `iam:*` on
 *   `arn:aws:s3:::*` is nothing;
 * - a self-granting IAM action ({@link SELF_GRANTING_ACTIONS}) is admin on a pattern that covers every
 *   resource of the type it acts on (`role/*`, `role*` after the account: every role, any path) in
 *   any account or one literal account, since the holder's own role, user, group or attached policy
 *   is among them ({@link everyOfType}); or on a pattern that matches the holder's own ARN
 *   ({@link matchesArn});
 * - a value the rule cannot read but the template fixes (a pseudo parameter, an attribute of a
 *   resource) is one unknown literal ({@link OPAQUE}): it may fill the partition, region or account,
 *   never the service or the resource id.
 */

/** Stands in a rendered pattern for a value the template fixes but the rule cannot read (never a wildcard). */
export const OPAQUE = '\u0000';

/**
 * The IAM actions with which a principal grants itself any permission: an inline or managed policy on
 * itself or its group, a new default version of a policy it holds, a trust policy it can then assume,
 * membership in a stronger group.
 */
export const SELF_GRANTING_ACTIONS: readonly string[] = [
  'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:PutGroupPolicy',
  'iam:AttachGroupPolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:UpdateAssumeRolePolicy', 'iam:AddUserToGroup',
];

/** The IAM resource types a self-granting action acts on. */
export type IamType = 'role' | 'user' | 'group' | 'policy';

/** The type of resource (its Resource element) each of {@link SELF_GRANTING_ACTIONS} acts on. */
export const SELF_GRANTING_TYPE: Readonly<Record<string, IamType>> = {
  'iam:PutRolePolicy': 'role', 'iam:AttachRolePolicy': 'role', 'iam:UpdateAssumeRolePolicy': 'role',
  'iam:PutUserPolicy': 'user', 'iam:AttachUserPolicy': 'user',
  'iam:PutGroupPolicy': 'group', 'iam:AttachGroupPolicy': 'group', 'iam:AddUserToGroup': 'group',
  'iam:CreatePolicyVersion': 'policy', 'iam:SetDefaultPolicyVersion': 'policy',
};

/** Services tried first when naming the service a pattern covers, so messages name a real one. */
const KNOWN_SERVICES = ['iam', 'sts', 'organizations', 's3', 'kms', 'ec2', 'lambda', 'secretsmanager', 'ssm', 'dynamodb', 'cloudtrail', 'logs', 'sso'];
const SERVICE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';
/** More state sets than any real pattern reaches; beyond it the pattern is taken as covering (never a false pass). */
const SEARCH_LIMIT = 20_000;

/** A field whose state sets outnumber {@link SEARCH_LIMIT}: whoever asked takes the pattern as covering. */
class TooWide extends Error {}

/** `f()`, or `covering` when a field of the pattern is too wide to search (never a false pass). */
function widest<T>(f: () => T, covering: T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TooWide) return covering;
    throw e;
  }
}

/** A glob as a nondeterministic automaton: a state is the index of the next pattern character. */
class Glob {
  constructor(readonly p: string) {}

  private closure(states: Iterable<number>): number[] {
    const out = new Set<number>();
    for (let i of states) {
      out.add(i);
      while (this.p[i] === '*') out.add(++i);
    }
    return [...out].sort((a, b) => a - b);
  }

  start(): number[] {
    return this.closure([0]);
  }

  step(states: readonly number[], c: string): number[] {
    const next: number[] = [];
    for (const i of states) {
      const t = this.p[i];
      if (t === undefined) continue;
      if (t === '*') next.push(i);
      else if (t === '?' || t === c) next.push(i + 1);
    }
    return this.closure(next);
  }

  read(states: readonly number[], text: string): readonly number[] {
    let s = states;
    for (const c of text) {
      if (s.length === 0) break;
      s = this.step(s, c);
    }
    return s;
  }

  /** Whether what is left from one of the states matches any resource id or action name. */
  universal(states: readonly number[]): boolean {
    return states.some((i) => {
      const rest = this.p.slice(i);
      return /^[*?]+$/.test(rest) && rest.includes('*') && rest.replace(/\*/g, '').length <= 3;
    });
  }
}

const key = (s: readonly number[]) => s.join(',');

/** The characters to try in a free field: those the pattern names (but `sep`), and one it does not. */
function alphabet(patterns: string[], allowed: (c: string) => boolean): string[] {
  const seen = new Set<string>();
  for (const p of patterns) for (const c of p) if (c !== '*' && c !== '?' && allowed(c)) seen.add(c);
  const fresh = [...SERVICE_CHARS].find((c) => !seen.has(c));
  return fresh ? [fresh, ...seen] : [...seen];
}

/** Every state set reachable from `from` by reading a field of any content (nonempty when `nonEmpty`), without its colon; TooWide beyond {@link SEARCH_LIMIT}. */
function freeField(g: Glob, from: readonly number[], sigma: string[], nonEmpty: boolean): number[][] {
  const seen = new Map<string, number[]>();
  const queue: number[][] = [];
  const push = (s: number[]) => { if (s.length > 0 && !seen.has(key(s))) { seen.set(key(s), s); queue.push(s); } };
  const out = new Map<string, number[]>();
  if (!nonEmpty) out.set(key(from), [...from]);
  for (const c of sigma) push(g.step(from, c));
  while (queue.length > 0 && seen.size < SEARCH_LIMIT) {
    const s = queue.shift()!;
    out.set(key(s), s);
    for (const c of sigma) push(g.step(s, c));
  }
  if (queue.length > 0) throw new TooWide();
  return [...out.values()];
}

/** Whether, after `arn:<partition>:<service>:`, some region and some account leave a resource part that matches any id. */
function restCovers(r: Glob, afterService: readonly number[], sigma: string[], memo: Map<string, boolean>): boolean {
  const k = key(afterService);
  const hit = memo.get(k);
  if (hit !== undefined) return hit;
  const ok = widest(() => {
    for (const region of freeField(r, afterService, sigma, false)) {
      const afterRegion = r.step(region, ':');
      if (afterRegion.length === 0) continue;
      for (const account of freeField(r, afterRegion, sigma, false)) {
        if (r.universal(r.step(account, ':'))) return true;
      }
    }
    return false;
  }, true);
  memo.set(k, ok);
  return ok;
}

const coverCache = new Map<string, string | null>();

/**
 * The service whose every action `action` allows and whose every ARN `resource` matches, or undefined.
 * The service is one of the well-known ones when one fits, else the shortest name that does (made of
 * a character neither pattern names when any service would do). Actions compare case-insensitively,
 * ARNs case-sensitively, as IAM does.
 */
export function wholeServiceCovered(action: string, resource = '*'): string | undefined {
  const ck = `${action}\u0001${resource}`;
  const cached = coverCache.get(ck);
  if (cached !== undefined) return cached ?? undefined;
  const out = widest(() => search(action.toLowerCase(), resource), '…');
  if (coverCache.size > 20_000) coverCache.clear();
  coverCache.set(ck, out ?? null);
  return out;
}

function search(action: string, resource: string): string | undefined {
  // Covering anything wholly takes a `*` in both patterns.
  if (!action.includes('*') || !resource.includes('*')) return undefined;
  const a = new Glob(action);
  const r = new Glob(resource);
  const afterArn = r.read(r.start(), 'arn:');
  if (afterArn.length === 0) return undefined;
  const sigma = alphabet([resource], (c) => c !== ':');
  const memo = new Map<string, boolean>();
  const partitions = freeField(r, afterArn, sigma, true).map((s) => r.step(s, ':')).filter((s) => s.length > 0);
  if (partitions.length === 0) return undefined;
  const covers = (as: readonly number[], rs: readonly number[]) => a.universal(a.step(as, ':')) && restCovers(r, r.step(rs, ':'), sigma, memo);

  for (const svc of KNOWN_SERVICES) {
    const as = a.read(a.start(), svc);
    if (as.length === 0) continue;
    if (partitions.some((p) => { const rs = r.read(p, svc); return rs.length > 0 && covers(as, rs); })) return svc;
  }
  // Breadth first over service names, both automata in step: the shortest name both patterns cover wholly.
  const chars = alphabet([action, resource], (c) => SERVICE_CHARS.includes(c));
  const seen = new Set<string>();
  let queue = partitions.map((rs) => ({ as: a.start(), rs, name: '' }));
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const { as, rs, name } of queue) {
      for (const c of chars) {
        const as2 = a.step(as, c);
        const rs2 = r.step(rs, c);
        if (as2.length === 0 || rs2.length === 0) continue;
        const k = `${key(as2)}|${key(rs2)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        if (covers(as2, rs2)) return name + c;
        next.push({ as: as2, rs: rs2, name: name + c });
      }
      if (seen.size > SEARCH_LIMIT) return `${name}…`;
    }
    queue = next;
  }
  return undefined;
}

/** Whether the action pattern is every action of every service (`*`, `*:*`, `**:*`...). */
export function everyAction(action: string): boolean {
  return /^\*+(:[*?]*\*[*?]*)?$/.test(action);
}

/** Whether the resource pattern matches every ARN of every service (`*`, `arn:*`, `arn:*:*:*:*:*`...). */
export function everyArn(resource: string): boolean {
  const fresh = [...SERVICE_CHARS].find((c) => !resource.includes(c));
  // Service names at both extremes of length, spelled with a letter the pattern does not hold: one
  // character, and longer than the pattern (so no run of `?` fixes the length). It words the FAIL only:
  // a resource pattern reaching here already covers a whole service.
  return fresh !== undefined && [fresh, fresh.repeat(resource.length)].every((svc) => wholeServiceCovered(`${svc}:*`, resource) !== undefined);
}

/** The self-granting IAM actions an action pattern covers: those a wildcard matches, or the one it names (`iam:PutRolePolicy` on "*" is as much admin as `iam:Put*`). */
export function selfGrantingCovered(action: string): string[] {
  const g = new Glob(action.toLowerCase());
  return SELF_GRANTING_ACTIONS.filter((x) => g.read(g.start(), x.toLowerCase()).includes(action.length));
}

/** Whether an action pattern can be admin, depending on its resource: a whole service, or a self-granting action (named or by wildcard). */
export function adminAction(action: string): boolean {
  return wholeServiceCovered(action) !== undefined || selfGrantingCovered(action).length > 0;
}

/** Any nonempty run of characters but `:` in an ARN read by {@link matchesArn} (a field or a name the rule does not know: no partition, path or name is empty). */
export const ANY = Symbol('any');
/** Any account that holds roles, users, groups and policies of its own: digits, or an unknown one the template fixes (not `aws`, whose managed policies no one else may change). */
export const ACCOUNT = Symbol('account');
/** A piece of an ARN: literal text, one of several literal texts, {@link ANY} or {@link ACCOUNT}. */
export type ArnPiece = string | readonly string[] | typeof ANY | typeof ACCOUNT;

/** The states a glob reaches on the pieces, for some value of each ANY and some choice of each alternative (their union). */
function readPieces(r: Glob, pieces: readonly ArnPiece[], sigma: string[]): readonly number[] {
  const digits = [...'0123456789'].filter((c) => r.p.includes(c));
  const fresh = [...'0123456789'].find((c) => !r.p.includes(c));
  const accountSigma = [...(fresh ? [fresh] : []), ...digits, ...(r.p.includes(OPAQUE) ? [OPAQUE] : [])];
  let s: readonly number[] = r.start();
  const union = (sets: Iterable<readonly number[]>) => [...new Set([...sets].flat())].sort((a, b) => a - b);
  for (const piece of pieces) {
    if (typeof piece === 'string') s = r.read(s, piece);
    else if (piece === ANY) s = union(freeField(r, s, sigma, true));
    else if (piece === ACCOUNT) s = union(freeField(r, s, accountSigma, true));
    else s = union((piece as readonly string[]).map((x) => r.read(s, x)));
    if (s.length === 0) return s;
  }
  return s;
}

const typeCache = new Map<string, boolean>();

/**
 * Whether the resource pattern matches every IAM resource of the type (`arn:<partition>:iam::<account>:<type>/`
 * followed by any path and name) for some partition and some {@link ACCOUNT}: any account, one literal
 * account, or an unknown one the template fixes (not `aws`: `arn:aws:iam::aws:policy/*` is the AWS
 * managed policies, whose versions no one else may change). `arn:aws:iam::*:role/*`, `arn:aws:iam::123456789012:role*`
 * and `*` cover every role; `role/app-*` does not.
 */
export function everyOfType(resource: string, type: IamType): boolean {
  if (!resource.includes('*')) return false;
  const ck = `${type}\u0001${resource}`;
  const hit = typeCache.get(ck);
  if (hit !== undefined) return hit;
  const r = new Glob(resource);
  const out = widest(() => r.universal(readPieces(r, ['arn:', ANY, ':iam::', ACCOUNT, `:${type}/`], alphabet([resource], (c) => c !== ':'))), true);
  if (typeCache.size > 20_000) typeCache.clear();
  typeCache.set(ck, out);
  return out;
}

/** Whether the resource pattern matches the ARN the pieces spell, for some value of its {@link ANY} pieces and some choice of its alternatives. */
export function matchesArn(resource: string, pieces: readonly ArnPiece[]): boolean {
  const r = new Glob(resource);
  return widest(() => readPieces(r, pieces, alphabet([resource], (c) => c !== ':')).includes(resource.length), true);
}
