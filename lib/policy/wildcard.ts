import { CompiledPattern } from './types';

const cache = new Map<string, RegExp>();

function escapeRegex(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

/** Regex source for a glob: `*` any run of characters, `?` exactly one; everything else literal. */
export function globToRegexSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else out += escapeRegex(ch);
  }
  return out;
}

/** A compiled glob, cached per (pattern, case mode): policies repeat the same patterns thousands of times. */
export function globRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^${globToRegexSource(pattern)}$`, caseInsensitive ? 'i' : '');
    if (cache.size > 50_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Compiles an Action-like pattern once; a pattern without wildcards is kept as a literal for a fast compare. */
export function compilePattern(source: string, caseInsensitive: boolean): CompiledPattern {
  const normalized = caseInsensitive ? source.toLowerCase() : source;
  if (!/[*?]/.test(normalized)) return { source, regex: undefined, literal: normalized };
  return { source, regex: globRegex(normalized, false), literal: undefined };
}

/** Matches a compiled pattern against an already normalized (lowercased when case-insensitive) value. */
export function matchCompiled(pattern: CompiledPattern, value: string): boolean {
  return pattern.literal !== undefined ? pattern.literal === value : pattern.regex!.test(value);
}

/** Glob match: `*` any run of characters (also empty), `?` one character. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (pattern === '*') return true;
  if (!/[*?]/.test(pattern)) return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return globRegex(pattern, caseInsensitive).test(value);
}
