import { ParsedPolicy, ParsedStatement, isUnknown, matchAction, parsePolicy, wildcardMatch } from '../policy';
import { Doc } from './model';
import { Persona } from './personas';
import { StepRequest } from './steps';

/**
 * A sound shortcut before the evaluator, for apps with many principals: a request is implicitly
 * denied without evaluating it when no identity statement of the persona can allow the action on the
 * resource (or its permissions boundary cannot), and the resource policy has no Allow for the action
 * that could admit the caller on its own (one naming the account only delegates to IAM). Every
 * "cannot" here is conservative: wildcards, policy variables, NotResource and unknown values count
 * as "may allow", so a request is only skipped when the evaluator would certainly answer ImplicitDeny
 * or ExplicitDeny.
 */

const parsed = new WeakMap<object, ParsedPolicy | null>();

function parse(doc: Doc): ParsedPolicy | null {
  const key = doc as object;
  if (!parsed.has(key)) {
    try {
      parsed.set(key, parsePolicy(doc.document, doc.name));
    } catch {
      parsed.set(key, null);
    }
  }
  return parsed.get(key) ?? null;
}

function resourceMay(s: ParsedStatement, resource: string): boolean {
  if (s.notResource || !s.resource) return true;
  return s.resource.some((p) => isUnknown(p) || p.hasVariables || wildcardMatch(p.source, resource, true));
}

/** The Allow statements of the documents whose action matches (or may). Undefined: a document could not be parsed. */
function allowsFor(docs: readonly Doc[], action: string): ParsedStatement[] | undefined {
  const out: ParsedStatement[] = [];
  for (const d of docs) {
    const p = parse(d);
    if (!p) return undefined;
    for (const s of p.statements) if (s.effect === 'Allow' && matchAction(s, action) !== false) out.push(s);
  }
  return out;
}

const identityCache = new WeakMap<Persona, Map<string, ParsedStatement[] | undefined>>();

function cachedAllows(persona: Persona, which: 'identity' | 'boundary', action: string): ParsedStatement[] | undefined {
  let m = identityCache.get(persona);
  if (!m) identityCache.set(persona, (m = new Map()));
  const key = `${which}\u0000${action}`;
  if (!m.has(key)) m.set(key, allowsFor(which === 'identity' ? persona.identity : persona.boundary ? [persona.boundary] : [], action));
  return m.get(key);
}

const resourceCache = new WeakMap<object, Map<string, ParsedStatement[] | undefined>>();

function resourceAllows(doc: Doc, action: string): ParsedStatement[] | undefined {
  let m = resourceCache.get(doc as object);
  if (!m) resourceCache.set(doc as object, (m = new Map()));
  if (!m.has(action)) m.set(action, allowsFor([doc], action)?.filter(admitsAlone));
  return m.get(action);
}

/** Whether a resource-policy statement's principal could admit the caller on its own (not by naming an account). */
function admitsAlone(s: ParsedStatement): boolean {
  const p = s.principal;
  if (!p) return s.notPrincipal !== undefined;
  if (p.wildcard) return true;
  if (p.federated.length || p.canonicalUser.length) return true;
  return p.aws.some((a) => isUnknown(a) || !(/^\d{12}$/.test(a) || /^arn:[^:]+:iam::\d{12}:root$/.test(a)));
}

/** True when the evaluator certainly refuses the request (no allow can apply); the reason says why. */
export function certainlyDenied(persona: Persona, r: StepRequest): string | undefined {
  const action = r.action.toLowerCase();
  const identity = cachedAllows(persona, 'identity', action);
  if (identity === undefined) return undefined;
  const identityMay = identity.some((s) => resourceMay(s, r.resource));
  let boundaryMay = true;
  if (persona.boundary) {
    const b = cachedAllows(persona, 'boundary', action);
    if (b === undefined) return undefined;
    boundaryMay = b.some((s) => resourceMay(s, r.resource));
  }
  if (identityMay && boundaryMay) return undefined;
  if (!r.foreignResource && r.resourcePolicy) {
    const res = resourceAllows(r.resourcePolicy, action);
    if (res === undefined) return undefined;
    if (res.some((s) => resourceMay(s, r.resource))) return undefined;
  }
  return !identityMay
    ? `implicit deny: no identity-based policy of ${persona.id} allows ${r.action} on this resource, and no resource policy admits it on its own`
    : `implicit deny: the permissions boundary ${persona.boundary?.name} does not allow ${r.action} on this resource`;
}
