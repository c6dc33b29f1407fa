import { iamKind, iamName, splitArn } from './arn';
import { evaluateCondition } from './conditions';
import { and3, not3, or3 } from './tri';
import { resolveGlob } from './variables';
import { globToRegexSource, matchCompiled } from './wildcard';
import { CompiledPattern, Match, MaybeUnknown, ParsedPrincipal, ParsedStatement, RequestContext, ResourcePattern, Unknown, isUnknown } from './types';

/** Action / NotAction: case-insensitive globs over `service:action`. An unresolved action pattern is Unknown. */
export function matchAction(stmt: ParsedStatement, action: string): Match {
  const list: readonly CompiledPattern[] = (stmt.action ?? stmt.notAction)!;
  let any: Match = false;
  for (const p of list) {
    if (p.unknown) { any = any === false ? p.unknown : any; continue; }
    if (matchCompiled(p, action)) { any = true; break; }
  }
  return stmt.action ? any : not3(any);
}

const resourceRegexCache = new Map<string, RegExp>();

/**
 * An ARN pattern as a regex: wildcards in partition, service, region and account stay inside their
 * field; in the resource part they span `/` and `:`. Case-sensitive, as AWS compares ARNs.
 * A pattern with fewer than six fields matches only when it ends in a wildcard (missing fields = `*`).
 */
export function resourceRegex(pattern: string): RegExp | undefined {
  let re = resourceRegexCache.get(pattern);
  if (re) return re;
  const fields = pattern.split(':');
  if (fields.length < 6) {
    if (!pattern.includes('*')) return undefined;
    while (fields.length < 6) fields.push('*');
  }
  const head = fields.slice(0, 5).map((f) => globToRegexSource(f).replace(/\[\\s\\S\]\*/g, '[^:]*').replace(/\[\\s\\S\]/g, '[^:]'));
  const tail = globToRegexSource(fields.slice(5).join(':'));
  re = new RegExp(`^${head.join(':')}:${tail}$`);
  if (resourceRegexCache.size > 50_000) resourceRegexCache.clear();
  resourceRegexCache.set(pattern, re);
  return re;
}

/**
 * One Resource pattern against the request's resource. A pattern whose variable cannot be resolved
 * returns `unresolved` (false in Resource, true in NotResource, so the statement does not apply either way)
 * unless the resource is of another partition, service, region or account than the pattern.
 */
export function resourcePatternMatches(pattern: ResourcePattern, ctx: RequestContext, unresolved = false): Match {
  if (isUnknown(pattern)) return pattern;
  if (pattern.source === '*') return true;
  const resource = ctx.resource;
  if (isUnknown(resource)) return resource;
  if (resource === '*') return false;
  if (!pattern.hasVariables) {
    const re = resourceRegex(pattern.source);
    return re ? re.test(resource) : false;
  }
  const re = resolveGlob(pattern.source, ctx, false);
  if (re === undefined) {
    // a resource of another partition, service, region or account is outside the pattern whatever the
    // variable's value; otherwise the unresolvable variable decides (the statement does not apply)
    const head = pattern.source.replace(/\$\{[^}]*\}/g, '*').split(':').slice(0, 5); // variables first: their names hold ':'
    const headRe = head.length === 5 ? resourceRegex(`${head.join(':')}:*`) : undefined;
    return headRe && !headRe.test(resource) ? false : unresolved;
  }
  if (isUnknown(re)) return re;
  return splitArn(resource) !== undefined && re.test(resource);
}

/** Resource / NotResource; a statement with neither (trust and key policies) covers every resource. */
export function matchResource(stmt: ParsedStatement, ctx: RequestContext): Match {
  const list = stmt.resource ?? stmt.notResource;
  if (!list) return true;
  const any = or3(list.map((p) => resourcePatternMatches(p, ctx, stmt.notResource !== undefined)));
  return stmt.resource ? any : not3(any);
}

/**
 * How a Principal entry reaches the request's principal:
 * - 'direct': names it (user ARN, session ARN, service, federated provider, canonical user);
 * - 'wildcard': `*` or {"AWS": "*"} (everyone; AWS does not count it as naming the session, so session policies cap it);
 * - 'role': names the role whose session makes the request (AWS caps this with boundary and session policies);
 * - 'account': names the principal's account (12 digits or :root) - delegation to IAM;
 * - 'none'.
 */
export type PrincipalMatchKind = 'direct' | 'wildcard' | 'role' | 'account' | 'none';

const RANK: Readonly<Record<PrincipalMatchKind, number>> = { none: 0, account: 1, role: 2, wildcard: 3, direct: 4 };

function sameIgnoringCase(a: string, b: string): boolean { return a.toLowerCase() === b.toLowerCase(); }

/** One AWS principal value against the request. */
function awsEntryKind(value: string, ctx: RequestContext): PrincipalMatchKind | Unknown {
  if (value === '*') return 'wildcard';
  if (ctx.principalType === 'Service' || ctx.principalType === 'Anonymous') return 'none';
  const principalArn = ctx.principalArn;
  const account = /^\d{12}$/.test(value) ? value : iamKind(value) === 'root' ? splitArn(value)!.account : undefined;
  if (account !== undefined) {
    if (ctx.principalAccount === undefined) return 'none';
    if (isUnknown(ctx.principalAccount)) return ctx.principalAccount;
    return ctx.principalAccount === account ? 'account' : 'none';
  }
  if (isUnknown(principalArn)) return principalArn;
  if (value === principalArn) return ctx.principalType === 'AssumedRole' && iamKind(value) === 'role' ? 'role' : 'direct';
  const kind = iamKind(value);
  const p = splitArn(value);
  if (!p || p.account !== (isUnknown(ctx.principalAccount) ? undefined : ctx.principalAccount)) {
    if (isUnknown(ctx.principalAccount)) return ctx.principalAccount;
    return 'none';
  }
  if (kind === 'role' && ctx.principalType === 'AssumedRole') {
    const role = ctx.roleArn;
    if (role === undefined) return 'none';
    if (isUnknown(role)) return role;
    const a = iamName(value); const b = iamName(role);
    return a !== undefined && b !== undefined && sameIgnoringCase(a, b) ? 'role' : 'none';
  }
  if (kind === 'user' && ctx.principalType === 'User' && iamKind(principalArn) === 'user') {
    const a = iamName(value); const b = iamName(principalArn);
    return a !== undefined && b !== undefined && sameIgnoringCase(a, b) ? 'direct' : 'none';
  }
  return 'none';
}

function entryKind(value: MaybeUnknown, ctx: RequestContext, type: 'aws' | 'service' | 'other'): PrincipalMatchKind | Unknown {
  if (isUnknown(value)) return value;
  if (type === 'aws') return awsEntryKind(value, ctx);
  const arn = ctx.principalArn;
  if (isUnknown(arn)) return arn;
  if (type === 'service') return ctx.principalType === 'Service' && sameIgnoringCase(value, arn) ? 'direct' : 'none';
  return value === arn ? 'direct' : 'none';
}

/** The strongest way a Principal block reaches the request; Unknown when that depends on an unknown value. */
export function principalMatchKind(principal: ParsedPrincipal, ctx: RequestContext): PrincipalMatchKind | Unknown {
  if (principal.wildcard) return 'wildcard';
  let best = 'none' as PrincipalMatchKind;
  let pending: Unknown | undefined;
  const visit = (values: ReadonlyArray<MaybeUnknown>, type: 'aws' | 'service' | 'other') => {
    for (const v of values) {
      const k = entryKind(v, ctx, type);
      if (isUnknown(k)) pending = pending ?? k;
      else if (RANK[k] > RANK[best]) best = k;
    }
  };
  visit(principal.aws, 'aws');
  visit(principal.service, 'service');
  visit(principal.federated, 'other');
  visit(principal.canonicalUser, 'other');
  if (best === 'direct' || !pending) return best;
  return pending;
}

/**
 * Principal / NotPrincipal of a resource-based policy: does the statement apply to the request's principal?
 * Any kind of match counts (an account entry reaches every principal of the account). NotPrincipal
 * applies when NO entry reaches the principal; with `boundaryAttached`, a Deny with NotPrincipal
 * always applies (AWS: NotPrincipal with Deny always denies principals that have a permissions boundary).
 */
export function matchPrincipal(stmt: ParsedStatement, ctx: RequestContext, boundaryAttached = false): Match {
  if (stmt.principal) {
    const k = principalMatchKind(stmt.principal, ctx);
    return isUnknown(k) ? k : k !== 'none';
  }
  if (stmt.notPrincipal) {
    if (boundaryAttached && stmt.effect === 'Deny' && ctx.principalType !== 'Service' && ctx.principalType !== 'Anonymous') return true;
    const k = principalMatchKind(stmt.notPrincipal, ctx);
    return isUnknown(k) ? k : k === 'none';
  }
  return false;
}

/** Every condition of the statement (keys and operators AND'ed). */
export function matchConditions(stmt: ParsedStatement, ctx: RequestContext): Match {
  if (stmt.conditions.length === 0) return true;
  return and3(stmt.conditions.map((c) => evaluateCondition(c, ctx, stmt.variables)));
}

/**
 * Does the statement apply to the request? Action, then Resource, then (for resource-based policies)
 * Principal, then Condition; the cheap checks first so most statements are rejected on the action.
 */
export function statementApplies(stmt: ParsedStatement, ctx: RequestContext, checkPrincipal: boolean, boundaryAttached = false): Match {
  const a = matchAction(stmt, ctx.action);
  if (a === false) return false;
  const r = matchResource(stmt, ctx);
  if (r === false) return false;
  const p = checkPrincipal ? matchPrincipal(stmt, ctx, boundaryAttached) : true;
  if (p === false) return false;
  const c = matchConditions(stmt, ctx);
  return and3([a, r, p, c]);
}
