import { globToRegexSource } from './wildcard';
import { RequestContext, Unknown, isUnknown } from './types';

/** A piece of a string with variables: policy text (wildcards active) or a substituted value (literal). */
interface Piece { readonly text: string; readonly literal: boolean }

const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', '$': '$' };

/** The value of one `${...}` body: `key` or `key, 'default'`; undefined when unresolvable. */
function variableValue(body: string, ctx: RequestContext): string | Unknown | undefined {
  const trimmed = body.trim();
  if (trimmed in SPECIAL) return SPECIAL[trimmed];
  const m = /^([^,]+?)\s*(?:,\s*'([^']*)')?$/.exec(trimmed);
  if (!m) return undefined;
  const entry = ctx.keys.get(m[1].trim().toLowerCase());
  if (!entry || entry.multi || entry.values.length !== 1) return m[2];
  return entry.values[0];
}

/** Splits a policy string into policy text and substituted values; Unknown / undefined (unresolvable) propagate. */
function pieces(text: string, ctx: RequestContext): Piece[] | Unknown | undefined {
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index), literal: false });
    const value = variableValue(m[1], ctx);
    if (value === undefined || isUnknown(value)) return value;
    out.push({ text: value, literal: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), literal: false });
  return out;
}

/**
 * Substitutes the policy variables of a string (`${aws:username}`, `${aws:PrincipalTag/team}`,
 * `${key, 'default'}`, and `${*}` `${?}` `${$}` for the literal characters). Returns undefined when a
 * variable has no value in the request (AWS: the statement does not match), an Unknown when a value is unknown.
 */
export function resolveVariables(text: string, ctx: RequestContext): string | Unknown | undefined {
  if (!text.includes('${')) return text;
  const p = pieces(text, ctx);
  if (p === undefined || isUnknown(p)) return p;
  return p.map((x) => x.text).join('');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A glob with variables as a regex: wildcards of the policy text stay wildcards, substituted values
 * (including `${*}`) are literal. undefined when unresolvable; Unknown when a value is unknown.
 */
export function resolveGlob(text: string, ctx: RequestContext, caseInsensitive: boolean): RegExp | Unknown | undefined {
  const p = pieces(text, ctx);
  if (p === undefined || isUnknown(p)) return p;
  const source = p.map((x) => (x.literal ? escapeRegex(x.text) : globToRegexSource(x.text))).join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
}
