import { compilePattern } from './wildcard';
import {
  CompiledPattern, MaybeUnknown, ParsedCondition, ParsedOperator, ParsedPolicy, ParsedPrincipal, ParsedStatement,
  PolicyDocumentInput, PolicyError, ResourcePattern, isUnknown,
} from './types';

/** Base condition operators AWS documents, by lowercased name -> canonical name. */
export const BASE_OPERATORS: ReadonlyMap<string, string> = new Map([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
].map((op) => [op.toLowerCase(), op]));

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

const cache = new WeakMap<object, Map<string, ParsedPolicy>>();

function show(value: unknown): string {
  if (isUnknown(value)) return value.toString();
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isParsed(value: unknown): value is ParsedPolicy {
  return typeof value === 'object' && value !== null && (value as ParsedPolicy).isParsedPolicy === true;
}

/** A JSON value that may be one item or a list, as a list. */
function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** A scalar of a policy (string, or number/boolean written without quotes) as a string or Unknown. */
function scalar(value: unknown, where: string): MaybeUnknown {
  if (isUnknown(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PolicyError(`${where} must be a string, got ${show(value)}`);
}

/** Splits `ForAnyValue:StringLikeIfExists` into its qualifier, base operator and IfExists flag. */
export function parseOperator(source: string): ParsedOperator {
  let rest = source;
  let qualifier: ParsedOperator['qualifier'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else if (q === 'forallvalues') qualifier = 'ForAllValues';
    else throw new PolicyError(`unknown condition set qualifier in operator ${show(source)}`);
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BASE_OPERATORS.get(rest.toLowerCase());
  if (!base) throw new PolicyError(`unknown condition operator ${show(source)}`);
  if (base === 'Null' && (ifExists || qualifier)) throw new PolicyError(`condition operator ${show(source)} is not valid: Null takes no IfExists or set qualifier`);
  return { source, qualifier, base, ifExists };
}

function parseActions(value: unknown, element: string, index: number): CompiledPattern[] {
  const list = asList(value);
  if (list.length === 0) throw new PolicyError(`statement ${index}: ${element} is empty`);
  return list.map((item) => {
    if (isUnknown(item)) return { source: item.toString(), regex: undefined, literal: undefined, unknown: item };
    if (typeof item !== 'string') throw new PolicyError(`statement ${index}: ${element} entries must be strings, got ${show(item)}`);
    if (item !== '*' && !item.includes(':')) throw new PolicyError(`statement ${index}: ${element} ${show(item)} is not service:action`);
    return compilePattern(item, true);
  });
}

function parseResources(value: unknown, element: string, index: number, variables: boolean): ResourcePattern[] {
  const list = asList(value);
  if (list.length === 0) throw new PolicyError(`statement ${index}: ${element} is empty`);
  return list.map((item) => {
    if (isUnknown(item)) return item;
    if (typeof item !== 'string') throw new PolicyError(`statement ${index}: ${element} entries must be strings, got ${show(item)}`);
    return { source: item, hasVariables: variables && item.includes('${') };
  });
}

/** Normalizes a Principal / NotPrincipal element. */
export function parsePrincipal(value: unknown, element: string, index: number): ParsedPrincipal {
  if (value === '*') return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] };
  if (isUnknown(value)) return { wildcard: false, aws: [value], service: [], federated: [], canonicalUser: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyError(`statement ${index}: ${element} must be "*" or an object, got ${show(value)}`);
  }
  const out: Record<string, MaybeUnknown[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  for (const [key, v] of Object.entries(value)) {
    if (!PRINCIPAL_KEYS.has(key)) throw new PolicyError(`statement ${index}: unknown ${element} type ${show(key)}`);
    out[key] = asList(v).map((item) => scalar(item, `statement ${index}: ${element}.${key}`));
  }
  const wildcard = out.AWS.some((a) => a === '*');
  return { wildcard, aws: out.AWS, service: out.Service, federated: out.Federated, canonicalUser: out.CanonicalUser };
}

function parseConditions(value: unknown, index: number): ParsedCondition[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isUnknown(value)) {
    throw new PolicyError(`statement ${index}: Condition must be an object, got ${show(value)}`);
  }
  const out: ParsedCondition[] = [];
  for (const [op, block] of Object.entries(value)) {
    let operator: ParsedOperator;
    try { operator = parseOperator(op); } catch (e) { throw new PolicyError(`statement ${index}: ${(e as PolicyError).message}`); }
    if (typeof block !== 'object' || block === null || Array.isArray(block) || isUnknown(block)) {
      throw new PolicyError(`statement ${index}: condition ${op} must map keys to values, got ${show(block)}`);
    }
    for (const [key, raw] of Object.entries(block)) {
      const values = asList(raw).map((v) => scalar(v, `statement ${index}: condition ${op} ${key}`));
      if (values.length === 0) throw new PolicyError(`statement ${index}: condition ${op} ${key} has no values`);
      out.push({ operator, key, keyLower: key.toLowerCase(), values });
    }
  }
  return out;
}

/** Normalizes one statement; throws PolicyError naming what is wrong. */
export function parseStatement(raw: unknown, index: number, version: string | undefined): ParsedStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || isUnknown(raw)) throw new PolicyError(`statement ${index} must be an object, got ${show(raw)}`);
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key)) throw new PolicyError(`statement ${index}: unknown element ${show(key)}`);
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError(`statement ${index}: Effect must be "Allow" or "Deny", got ${show(s.Effect)}`);
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new PolicyError(`statement ${index}: exactly one of Action and NotAction is required`);
  if (s.Resource !== undefined && s.NotResource !== undefined) throw new PolicyError(`statement ${index}: Resource and NotResource together`);
  if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw new PolicyError(`statement ${index}: Principal and NotPrincipal together`);
  if (s.NotPrincipal !== undefined && s.Effect !== 'Deny') throw new PolicyError(`statement ${index}: NotPrincipal is only valid with Effect "Deny"`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyError(`statement ${index}: Sid must be a string, got ${show(s.Sid)}`);
  const variables = version === '2012-10-17';
  return {
    index,
    sid: s.Sid as string | undefined,
    effect: s.Effect,
    action: s.Action !== undefined ? parseActions(s.Action, 'Action', index) : undefined,
    notAction: s.NotAction !== undefined ? parseActions(s.NotAction, 'NotAction', index) : undefined,
    resource: s.Resource !== undefined ? parseResources(s.Resource, 'Resource', index, variables) : undefined,
    notResource: s.NotResource !== undefined ? parseResources(s.NotResource, 'NotResource', index, variables) : undefined,
    principal: s.Principal !== undefined ? parsePrincipal(s.Principal, 'Principal', index) : undefined,
    notPrincipal: s.NotPrincipal !== undefined ? parsePrincipal(s.NotPrincipal, 'NotPrincipal', index) : undefined,
    conditions: parseConditions(s.Condition, index),
    variables,
  };
}

/**
 * Parses and normalizes a policy document once (cached per document object and name).
 * Throws PolicyError, naming the document and what is wrong, on a malformed document.
 */
export function parsePolicy(document: PolicyDocumentInput | ParsedPolicy, name: string): ParsedPolicy {
  if (isParsed(document)) return document;
  if (typeof document === 'string') {
    try { return parsePolicy(JSON.parse(document), name); } catch (e) {
      if (e instanceof PolicyError) throw e;
      throw new PolicyError(`policy '${name}' is not valid json: ${(e as Error).message}`);
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || isUnknown(document)) {
    throw new PolicyError(`policy '${name}' must be an object, got ${show(document)}`);
  }
  let byName = cache.get(document);
  const hit = byName?.get(name);
  if (hit) return hit;
  const doc = document as Record<string, unknown>;
  if (doc.Statement === undefined) throw new PolicyError(`policy '${name}' has no Statement`);
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw new PolicyError(`policy '${name}' has an unknown Version ${show(doc.Version)}`);
  }
  const version = doc.Version as string | undefined;
  let statements: ParsedStatement[];
  try {
    statements = asList(doc.Statement).map((s, i) => parseStatement(s, i, version));
  } catch (e) {
    if (e instanceof PolicyError) throw new PolicyError(`policy '${name}': ${e.message}`);
    throw e;
  }
  const parsed: ParsedPolicy = { isParsedPolicy: true, name, version, statements };
  if (!byName) { byName = new Map(); cache.set(document, byName); }
  byName.set(name, parsed);
  return parsed;
}
