/**
 * EventBridge event patterns: whether a rule matches an event. Covers exact values, prefix, suffix,
 * anything-but, numeric, exists, wildcard, equals-ignore-case and $or. An operator not known here
 * throws EventPatternError, so a rule the replay cannot read never counts as detection.
 */

export class EventPatternError extends Error {
  constructor(problem: string) {
    super(`event pattern: ${problem}`);
    this.name = 'EventPatternError';
  }
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(value);
}

function numericMatch(spec: Json, value: Json): boolean {
  if (!Array.isArray(spec) || spec.length % 2 !== 0) throw new EventPatternError(`numeric ${JSON.stringify(spec)} is not [op, n, ...]`);
  if (typeof value !== 'number') return false;
  for (let i = 0; i < spec.length; i += 2) {
    const [op, n] = [spec[i], Number(spec[i + 1])];
    const ok = op === '=' ? value === n : op === '<' ? value < n : op === '<=' ? value <= n : op === '>' ? value > n : op === '>=' ? value >= n : undefined;
    if (ok === undefined) throw new EventPatternError(`numeric operator ${JSON.stringify(op)}`);
    if (!ok) return false;
  }
  return true;
}

/** One matcher of a value list against one scalar value (present). */
function matcherMatches(m: Json, value: Json): boolean {
  if (!isObject(m)) return m === value;
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new EventPatternError(`matcher ${JSON.stringify(m)} has ${keys.length} operators`);
  const [op] = keys;
  const arg = m[op];
  switch (op) {
    case 'prefix':
      if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') return typeof value === 'string' && value.toLowerCase().startsWith(arg['equals-ignore-case'].toLowerCase());
      return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'suffix':
      if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') return typeof value === 'string' && value.toLowerCase().endsWith(arg['equals-ignore-case'].toLowerCase());
      return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'equals-ignore-case': return typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'wildcard': return typeof value === 'string' && typeof arg === 'string' && wildcardMatch(arg, value);
    case 'numeric': return numericMatch(arg, value);
    case 'anything-but': {
      if (isObject(arg)) return !matcherMatches(arg, value);
      return !(Array.isArray(arg) ? arg : [arg]).some((a) => a === value);
    }
    default: throw new EventPatternError(`operator '${op}' is not read by the replay`);
  }
}

function valueListMatches(list: Json[], field: { found: boolean; value?: Json }): boolean {
  for (const m of list) {
    if (isObject(m) && 'exists' in m) {
      if (Boolean(m.exists) === (field.found && field.value !== undefined)) return true;
      continue;
    }
    if (!field.found) continue;
    const values = Array.isArray(field.value) ? field.value : [field.value];
    if (values.some((v) => matcherMatches(m, v))) return true;
  }
  return false;
}

/** Whether the event matches the pattern (EventBridge semantics). Throws EventPatternError on unknown syntax. */
export function eventMatches(pattern: Json, event: Json): boolean {
  if (!isObject(pattern)) throw new EventPatternError(`pattern ${JSON.stringify(pattern)} is not an object`);
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(spec)) throw new EventPatternError('$or must be a list');
      if (!spec.some((p) => eventMatches(p, event))) return false;
      continue;
    }
    const found = isObject(event) && key in event;
    const value = found ? (event as Record<string, Json>)[key] : undefined;
    if (Array.isArray(spec)) {
      if (!valueListMatches(spec, { found, value })) return false;
    } else if (isObject(spec)) {
      if (!found || !isObject(value)) {
        // A nested pattern on a missing object can still be satisfied only by exists:false leaves.
        if (!eventMatches(spec, {})) return false;
      } else if (!eventMatches(spec, value)) return false;
    } else {
      throw new EventPatternError(`the value of '${key}' must be a list or an object, got ${JSON.stringify(spec)}`);
    }
  }
  return true;
}
