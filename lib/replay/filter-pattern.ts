/**
 * CloudWatch Logs metric filter patterns in their JSON form (`{ ($.eventName = X) && ... }`), as
 * CloudTrail delivers events to a log group: the matcher the replay uses to prove that an alarm's
 * metric counts an attacker's call. Syntax outside what is parsed here throws a FilterPatternError,
 * so a filter the replay cannot read never counts as detection.
 */

export class FilterPatternError extends Error {
  constructor(pattern: string, problem: string) {
    super(`metric filter pattern ${JSON.stringify(pattern.length > 120 ? `${pattern.slice(0, 120)}...` : pattern)}: ${problem}`);
    this.name = 'FilterPatternError';
  }
}

type Node =
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'cmp'; readonly path: readonly string[]; readonly op: '=' | '!=' | '<' | '>' | '<=' | '>='; readonly value: string | number; readonly quoted: boolean }
  | { readonly kind: 'exists'; readonly path: readonly string[]; readonly exists: boolean }
  | { readonly kind: 'is'; readonly path: readonly string[]; readonly value: true | false | null };

const TOKEN = /\s*(\(|\)|&&|\|\||!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|\$[^\s()=!<>&|]*|[^\s()=!<>&|"]+)/y;

function tokenize(pattern: string, body: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let i = 0;
  while (i < body.length) {
    if (/^\s*$/.test(body.slice(i))) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(body);
    if (!m) throw new FilterPatternError(pattern, `cannot read from ${JSON.stringify(body.slice(i, i + 20))}`);
    out.push(m[1]);
    i = TOKEN.lastIndex;
  }
  return out;
}

function parsePath(pattern: string, sel: string): string[] {
  if (!sel.startsWith('$')) throw new FilterPatternError(pattern, `'${sel}' is not a $.selector`);
  const parts: string[] = [];
  const re = /\.([A-Za-z0-9_@:-]+)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  let end = 1;
  for (let m = re.exec(sel); m; m = re.exec(sel)) {
    parts.push(m[1] ?? m[2]);
    end = re.lastIndex;
  }
  if (end !== sel.length || parts.length === 0) throw new FilterPatternError(pattern, `unsupported selector '${sel}'`);
  return parts;
}

/** Parses a JSON-form metric filter pattern; throws FilterPatternError on anything it does not know. */
export function parseFilterPattern(pattern: string): Node {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new FilterPatternError(pattern, 'only JSON filter patterns ({ $.field = value }) are read; space-delimited and text patterns are not');
  }
  const tokens = tokenize(pattern, trimmed.slice(1, -1));
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    if (pos >= tokens.length) throw new FilterPatternError(pattern, 'unexpected end');
    return tokens[pos++];
  };
  const expr = (): Node => {
    let left = andExpr();
    while (peek() === '||') {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = term();
    while (peek() === '&&') {
      next();
      left = { kind: 'and', left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    const t = next();
    if (t === '(') {
      const e = expr();
      if (next() !== ')') throw new FilterPatternError(pattern, 'missing )');
      return e;
    }
    const path = parsePath(pattern, t);
    const op = next();
    if (op === 'NOT' || op === 'EXISTS') {
      if (op === 'NOT' && next() !== 'EXISTS') throw new FilterPatternError(pattern, `expected EXISTS after NOT on ${t}`);
      return { kind: 'exists', path, exists: op === 'EXISTS' };
    }
    if (op === 'IS') {
      const v = next();
      if (v === 'TRUE' || v === 'FALSE' || v === 'NULL') return { kind: 'is', path, value: v === 'TRUE' ? true : v === 'FALSE' ? false : null };
      throw new FilterPatternError(pattern, `IS ${v} is not TRUE, FALSE or NULL`);
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(op)) throw new FilterPatternError(pattern, `unknown operator '${op}' after ${t}`);
    const raw = next();
    const quoted = raw.startsWith('"');
    const text = quoted ? JSON.parse(raw) as string : raw;
    if (op !== '=' && op !== '!=' && Number.isNaN(Number(text))) throw new FilterPatternError(pattern, `${op} needs a number, got ${raw}`);
    return { kind: 'cmp', path, op: op as '=', value: op === '=' || op === '!=' ? text : Number(text), quoted };
  };
  const root = expr();
  if (pos !== tokens.length) throw new FilterPatternError(pattern, `unexpected '${tokens[pos]}'`);
  return root;
}

function lookup(event: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let v: unknown = event;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !(p in (v as Record<string, unknown>))) return { found: false };
    v = (v as Record<string, unknown>)[p];
  }
  return { found: true, value: v };
}

function wildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(value);
}

function evaluateNode(n: Node, event: unknown): boolean {
  switch (n.kind) {
    case 'and': return evaluateNode(n.left, event) && evaluateNode(n.right, event);
    case 'or': return evaluateNode(n.left, event) || evaluateNode(n.right, event);
    case 'exists': return lookup(event, n.path).found === n.exists;
    case 'is': {
      const r = lookup(event, n.path);
      return r.found && r.value === n.value;
    }
    case 'cmp': {
      const r = lookup(event, n.path);
      // An absent field matches no comparison, not even != : a filter is never credited with an event it might not count.
      if (!r.found || r.value === null || typeof r.value === 'object') return false;
      if (n.op === '=' || n.op === '!=') {
        const eq = typeof n.value === 'string' && (typeof r.value === 'number' && !n.quoted ? Number(n.value) === r.value : wildcard(n.value, String(r.value)));
        return n.op === '=' ? eq : !eq;
      }
      const x = Number(r.value);
      if (Number.isNaN(x)) return false;
      const y = n.value as number;
      return n.op === '<' ? x < y : n.op === '>' ? x > y : n.op === '<=' ? x <= y : x >= y;
    }
    default: return false;
  }
}

/** Whether a CloudTrail event (as it lands in CloudWatch Logs) matches the pattern. Throws on unreadable patterns. */
export function filterMatches(pattern: string, event: unknown): boolean {
  return evaluateNode(parseFilterPattern(pattern), event);
}
