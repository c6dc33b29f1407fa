import { splitArn } from './arn';
import { cidrContains, parseCidr } from './ip';
import { and3, not3, or3 } from './tri';
import { resolveGlob, resolveVariables } from './variables';
import { wildcardMatch } from './wildcard';
import { Match, MaybeUnknown, ParsedCondition, RequestContext, Unknown, isUnknown } from './types';

/** Operators whose meaning is "none of the values": they match when the key is absent (AWS's rule). */
export const NEGATED_OPERATORS: ReadonlySet<string> = new Set([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals',
  'NotIpAddress', 'ArnNotEquals', 'ArnNotLike',
]);

/** The positive operator a negated one negates. */
const POSITIVE_OF: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals', StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase', StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals', DateNotEquals: 'DateEquals', NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals', ArnNotLike: 'ArnLike',
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function toNumber(text: string): number | undefined {
  return NUMBER.test(text.trim()) ? Number(text) : undefined;
}

/** Dates as AWS accepts them: ISO 8601 or epoch seconds, nothing around them (unlike numbers, not trimmed: the oracle agrees). */
export function toDate(t: string): number | undefined {
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(op: string, a: number, b: number): boolean {
  if (op.endsWith('LessThanEquals')) return a <= b;
  if (op.endsWith('LessThan')) return a < b;
  if (op.endsWith('GreaterThanEquals')) return a >= b;
  if (op.endsWith('GreaterThan')) return a > b;
  return a === b;
}

/** ArnLike / ArnEquals: six colon-separated fields, each a glob; the resource field may hold colons. */
function arnMatch(pattern: RegExp | RegExp[] | string, value: string): boolean {
  if (!splitArn(value)) return false;
  if (typeof pattern !== 'string') return Array.isArray(pattern) ? fieldsMatch(pattern, value) : pattern.test(value);
  const pp = splitArn(pattern);
  const vv = splitArn(value)!;
  if (!pp) return wildcardMatch(pattern, value, false);
  return wildcardMatch(pp.partition, vv.partition, false) && wildcardMatch(pp.service, vv.service, false)
    && wildcardMatch(pp.region, vv.region, false) && wildcardMatch(pp.account, vv.account, false)
    && wildcardMatch(pp.resource, vv.resource, false);
}

/**
 * One context value against one policy value, for a POSITIVE base operator. Policy variables are
 * resolved for String* and Arn* operators. A value whose variable cannot be resolved fails its test
 * whatever the polarity (AWS: the condition does not match): the caller passes `unresolved`, the
 * positive result that makes it fail (false for a positive operator, true for a negated one).
 */
export function valueMatches(base: string, actual: string, expected: MaybeUnknown, ctx: RequestContext, variables: boolean, unresolved = false): Match {
  if (isUnknown(expected)) return expected;
  const withVars = variables && expected.includes('${');
  switch (base) {
    case 'StringEquals':
    case 'StringEqualsIgnoreCase': {
      const v = withVars ? resolveVariables(expected, ctx) : expected;
      if (v === undefined) return unresolved;
      if (isUnknown(v)) return v;
      return base === 'StringEquals' ? v === actual : v.toLowerCase() === actual.toLowerCase();
    }
    case 'StringLike': {
      if (!withVars) return wildcardMatch(expected, actual, false);
      const re = resolveGlob(expected, ctx, false);
      return re === undefined ? unresolved : isUnknown(re) ? re : re.test(actual);
    }
    case 'ArnEquals':
    case 'ArnLike': {
      if (!withVars) return arnMatch(expected, actual);
      const re = arnGlobs(expected, ctx);
      return re === undefined ? unresolved : isUnknown(re) ? re : arnMatch(re, actual);
    }
    case 'NumericEquals': case 'NumericLessThan': case 'NumericLessThanEquals': case 'NumericGreaterThan': case 'NumericGreaterThanEquals': {
      const a = toNumber(actual); const e = toNumber(expected);
      return a !== undefined && e !== undefined && compare(base, a, e);
    }
    case 'DateEquals': case 'DateLessThan': case 'DateLessThanEquals': case 'DateGreaterThan': case 'DateGreaterThanEquals': {
      const a = toDate(actual); const e = toDate(expected);
      return a !== undefined && e !== undefined && compare(base, a, e);
    }
    case 'Bool': {
      const e = expected.toLowerCase();
      return (e === 'true' || e === 'false') && actual.toLowerCase() === e;
    }
    case 'BinaryEquals':
      return actual === expected;
    case 'IpAddress': {
      const block = parseCidr(expected); const addr = parseCidr(actual);
      return block !== undefined && addr !== undefined && cidrContains(block, addr);
    }
    default:
      throw new Error(`no matcher for condition operator ${base}`);
  }
}

/**
 * An ArnLike pattern with policy variables, as one glob per ARN field (partition, service, region, account,
 * resource) so that no wildcard spans a field, as without variables; the fields are split at the colons
 * outside `${...}`. A pattern short of six fields stays one glob. undefined when unresolvable.
 */
function arnGlobs(text: string, ctx: RequestContext): RegExp | RegExp[] | Unknown | undefined {
  const parts: string[] = [];
  let current = ''; let inVariable = false;
  for (const ch of text) {
    if (ch === ':' && !inVariable) { parts.push(current); current = ''; continue; }
    if (ch === '{' && current.endsWith('$')) inVariable = true;
    else if (ch === '}') inVariable = false;
    current += ch;
  }
  parts.push(current);
  if (parts.length < 6 || parts[0] !== 'arn') return resolveGlob(text, ctx, false);
  const globs: RegExp[] = [];
  for (const field of [...parts.slice(1, 5), parts.slice(5).join(':')]) {
    const re = resolveGlob(field, ctx, false);
    if (re === undefined || isUnknown(re)) return re;
    globs.push(re);
  }
  return globs;
}

/** Each field glob of an ARN pattern against the same field of an ARN. */
function fieldsMatch(globs: RegExp[], value: string): boolean {
  const v = splitArn(value)!;
  return [v.partition, v.service, v.region, v.account, v.resource].every((field, i) => globs[i].test(field));
}

/** Does one context value match ANY of the policy values (positive operator)? */
function anyValue(base: string, actual: MaybeUnknown, cond: ParsedCondition, ctx: RequestContext, variables: boolean, negated: boolean): Match {
  if (isUnknown(actual)) return actual;
  return or3(cond.values.map((expected) => valueMatches(base, actual, expected, ctx, variables, negated)));
}

/**
 * One (operator, key, values) triple, by AWS's rules:
 * - absent key: ForAnyValue -> false (even with IfExists); ForAllValues -> true (vacuous); IfExists -> true;
 *   negated operator -> true; otherwise false;
 * - values are OR'ed; a negated operator matches when NO value matches;
 * - ForAnyValue: some context value satisfies the (possibly negated) operator; ForAllValues: every one does;
 * - a multivalued context value without a set qualifier does not match (AWS requires the qualifier);
 * - Null: "true" matches an absent key, "false" a present one.
 */
export function evaluateCondition(cond: ParsedCondition, ctx: RequestContext, variables = true): Match {
  const { operator } = cond;
  const entry = ctx.keys.get(cond.keyLower);
  if (operator.base === 'Null') {
    const want = entry === undefined ? 'true' : 'false';
    return or3(cond.values.map((v) => (isUnknown(v) ? v : v.toLowerCase() === want)));
  }
  const negated = NEGATED_OPERATORS.has(operator.base);
  const positive = negated ? POSITIVE_OF[operator.base] : operator.base;
  if (entry === undefined) {
    // ForAnyValue needs a value to match, IfExists or not (observed on AWS: ForAnyValue:StringEqualsIfExists
    // on an absent aws:TagKeys denies); ForAllValues over nothing is vacuously true
    if (operator.qualifier === 'ForAnyValue') return false;
    if (operator.qualifier === 'ForAllValues') return true;
    return operator.ifExists || negated;
  }
  const test = (actual: MaybeUnknown): Match => {
    const m = anyValue(positive, actual, cond, ctx, variables, negated);
    return negated ? not3(m) : m;
  };
  if (operator.qualifier === 'ForAnyValue') return or3(entry.values.map(test));
  if (operator.qualifier === 'ForAllValues') return and3(entry.values.map(test));
  if (entry.multi) return false;
  return test(entry.values[0]);
}

/** Reason text for an Unknown produced while matching. */
export function unknownReason(u: Unknown): string { return u.reason; }
