/**
 * CloudFormation `Conditions` as `check` sees them: evaluated where the parameters they read are known,
 * enumerated where they are not (every reachable combination becomes one scenario the rules judge),
 * and applied to a template (resources and outputs of false conditions removed, `Fn::If` replaced by
 * its branch, `AWS::NoValue` dropped). Pure functions over the JSON template; no aws-cdk-lib.
 */
import { intrinsicName, subAsJoin } from './intrinsics';

type Json = unknown;
type Obj = Record<string, Json>;

/** A template's sections this module reads. */
export interface ConditionalTemplate {
  readonly Parameters?: Record<string, { readonly AllowedValues?: unknown; readonly [k: string]: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, Json>>>;
  readonly Conditions?: Record<string, Json>;
  readonly Resources: Record<string, Obj>;
  readonly Outputs?: Record<string, Obj>;
  readonly [section: string]: unknown;
}

/** One way the unknown conditions can come out: the truth value of every condition the template uses. */
export interface Scenario {
  readonly values: ReadonlyMap<string, boolean>;
  /** Conditions whose value depends on parameters not given, as chosen here (for messages). */
  readonly chosen: readonly string[];
}

/** Most scenarios enumerated per template before `check` asks for the parameters instead. */
export const MAX_SCENARIOS = 32;

/** A parameter value no literal in the template equals: "any other value". */
const OTHER = '\u0000other';

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of an expression when every parameter it reads is known; undefined otherwise. */
export function valueOf(expr: Json, known: Readonly<Record<string, string>>, t: ConditionalTemplate): Json | undefined {
  if (typeof expr === 'string' || typeof expr === 'number' || typeof expr === 'boolean') return String(expr);
  if (Array.isArray(expr)) {
    const items = expr.map((x) => valueOf(x, known, t));
    return items.every((x) => x !== undefined) ? items : undefined;
  }
  const name = intrinsicName(expr);
  if (!name) return undefined;
  const arg = (expr as Obj)[name];
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' && Object.prototype.hasOwnProperty.call(known, arg) ? known[arg] : undefined;
    case 'Fn::Sub': {
      const j = subAsJoin(arg);
      return j && valueOf(j, known, t);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
      const parts = valueOf(arg[1], known, t);
      return Array.isArray(parts) && parts.every((p) => typeof p === 'string') ? parts.join(arg[0]) : undefined;
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg)) return undefined;
      const [i, l] = [valueOf(arg[0], known, t), valueOf(arg[1], known, t)];
      return Array.isArray(l) && typeof i === 'string' ? l[Number(i)] : undefined;
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
      const s = valueOf(arg[1], known, t);
      return typeof s === 'string' ? s.split(arg[0]) : undefined;
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg)) return undefined;
      const [m, k1, k2] = arg.map((x) => valueOf(x, known, t));
      if (typeof m !== 'string' || typeof k1 !== 'string' || typeof k2 !== 'string') return undefined;
      const v = t.Mappings?.[m]?.[k1]?.[k2];
      return v === undefined ? undefined : valueOf(v, known, t);
    }
    default:
      return undefined;
  }
}

/**
 * Evaluates the named condition in three values: true, false, or undefined when it reads a parameter
 * not in `known`. `free` fixes conditions that stay undefined (a scenario's choice). Throws on an
 * unknown condition name or a cycle, naming it.
 */
export function evaluateCondition(
  name: string, t: ConditionalTemplate, known: Readonly<Record<string, string>>, free: ReadonlyMap<string, boolean> = new Map(),
  memo: Map<string, boolean | undefined> = new Map(), visiting: Set<string> = new Set(),
): boolean | undefined {
  if (free.has(name)) return free.get(name);
  if (memo.has(name)) return memo.get(name);
  const def = t.Conditions?.[name];
  if (def === undefined) throw new Error(`condition '${name}' is not declared in Conditions`);
  if (visiting.has(name)) throw new Error(`condition '${name}' refers to itself`);
  visiting.add(name);
  const ev = (e: Json): boolean | undefined => {
    const n = intrinsicName(e);
    const arg = n ? (e as Obj)[n] : undefined;
    switch (n) {
      case 'Condition':
        if (typeof arg !== 'string') throw new Error(`condition '${name}': Condition must name a condition, got ${JSON.stringify(arg)}`);
        return evaluateCondition(arg, t, known, free, memo, visiting);
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new Error(`condition '${name}': Fn::Equals takes two values, got ${JSON.stringify(arg)}`);
        const [a, b] = [valueOf(arg[0], known, t), valueOf(arg[1], known, t)];
        return a === undefined || b === undefined ? undefined : JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const v = ev(Array.isArray(arg) ? arg[0] : arg);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) throw new Error(`condition '${name}': ${n} takes a list, got ${JSON.stringify(arg)}`);
        const vs = arg.map(ev);
        const decisive = n === 'Fn::And' ? false : true;
        if (vs.includes(decisive)) return decisive;
        return vs.includes(undefined) ? undefined : !decisive;
      }
      default:
        throw new Error(`condition '${name}': unsupported condition function ${JSON.stringify(e)}`);
    }
  };
  const v = ev(def);
  visiting.delete(name);
  memo.set(name, v);
  return v;
}

/** Every condition name a value uses (resource `Condition`, `Fn::If`, `{ Condition }`). */
function conditionsUsedIn(v: Json, out: Set<string>): void {
  if (Array.isArray(v)) { for (const x of v) conditionsUsedIn(x, out); return; }
  if (!isObj(v)) return;
  const ifArg = v['Fn::If'];
  if (Object.keys(v).length === 1 && Array.isArray(ifArg) && typeof ifArg[0] === 'string') out.add(ifArg[0]);
  for (const x of Object.values(v)) conditionsUsedIn(x, out);
}

/** Resource types whose conditions do not matter to any rule (CDK's version-reporting resource). */
const IGNORED_TYPES = new Set(['AWS::CDK::Metadata']);

/** The conditions resources and outputs use (not those only other conditions read). */
export function usedConditions(t: ConditionalTemplate): string[] {
  const out = new Set<string>();
  for (const r of Object.values(t.Resources)) {
    if (IGNORED_TYPES.has(String(r.Type))) continue;
    if (typeof r.Condition === 'string') out.add(r.Condition);
    conditionsUsedIn(r.Properties, out);
    conditionsUsedIn(r.Metadata, out);
    for (const k of ['DeletionPolicy', 'UpdateReplacePolicy']) conditionsUsedIn(r[k], out);
  }
  for (const o of Object.values(t.Outputs ?? {})) {
    if (typeof o.Condition === 'string') out.add(o.Condition);
    conditionsUsedIn(o, out);
  }
  return [...out].sort();
}

/** The parameters (not in `known`) each `Fn::Equals` of the Conditions compares, directly against a literal or otherwise. */
function parameterDomains(t: ConditionalTemplate, known: Readonly<Record<string, string>>, reachable: ReadonlySet<string>): Map<string, string[]> {
  const literals = new Map<string, Set<string>>();
  const indirect = new Set<string>();
  const refs = (v: Json, out: Set<string>): void => {
    if (Array.isArray(v)) { for (const x of v) refs(x, out); return; }
    if (!isObj(v)) return;
    if (typeof v.Ref === 'string' && !(v.Ref in known)) out.add(v.Ref);
    const sub = v['Fn::Sub'];
    if (sub !== undefined) refs(subAsJoin(sub), out);
    for (const x of Object.values(v)) refs(x, out);
  };
  const visit = (v: Json): void => {
    if (Array.isArray(v)) { for (const x of v) visit(x); return; }
    if (!isObj(v)) return;
    const eq = v['Fn::Equals'];
    if (Array.isArray(eq) && eq.length === 2) {
      let direct = false;
      for (const [a, b] of [[eq[0], eq[1]], [eq[1], eq[0]]]) {
        const lit = valueOf(b, known, t);
        if (isObj(a) && intrinsicName(a) === 'Ref' && typeof a.Ref === 'string' && !(a.Ref in known) && typeof lit === 'string') {
          let s = literals.get(a.Ref);
          if (!s) literals.set(a.Ref, (s = new Set()));
          s.add(lit);
          direct = true;
        }
      }
      // A parameter read any other way (inside Select, Split, Join, compared with another parameter...)
      // has no finite set of values that decides the comparison: without AllowedValues it is not enumerated.
      if (!direct) refs(eq, indirect);
    }
    for (const x of Object.values(v)) visit(x);
  };
  for (const c of reachable) visit(t.Conditions?.[c]);
  const out = new Map<string, string[]>();
  for (const p of [...new Set([...literals.keys(), ...indirect])].sort()) {
    const allowed = t.Parameters?.[p]?.AllowedValues;
    if (Array.isArray(allowed) && allowed.length > 0) out.set(p, allowed.map(String));
    else if (!indirect.has(p)) out.set(p, [...literals.get(p)!, OTHER]);
  }
  return out;
}

/** The conditions `from` read, transitively through `{ Condition }`, themselves included. */
function reachableConditions(t: ConditionalTemplate, from: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  const refs = (v: Json): void => {
    if (Array.isArray(v)) { for (const x of v) refs(x); return; }
    if (!isObj(v)) return;
    if (intrinsicName(v) === 'Condition' && typeof v.Condition === 'string') stack.push(v.Condition);
    for (const x of Object.values(v)) refs(x);
  };
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    refs(t.Conditions?.[c]);
  }
  return seen;
}

/**
 * The scenarios of a template: each reachable combination of the truth values of the conditions its
 * resources and outputs use. Parameters the conditions read are enumerated over their AllowedValues,
 * or over the literals they are compared with plus "any other value"; a condition that still cannot
 * be decided (it compares a parameter through another function) takes both values, which may add
 * combinations that cannot occur but never misses one that can. One scenario when nothing is unknown.
 * Throws when there are more than {@link MAX_SCENARIOS}, naming the parameters to give.
 */
export function scenariosOf(t: ConditionalTemplate, known: Readonly<Record<string, string>>): Scenario[] {
  const used = usedConditions(t);
  if (used.length === 0) return [{ values: new Map(), chosen: [] }];
  const unknownConds = used.filter((c) => evaluateCondition(c, t, known) === undefined);
  if (unknownConds.length === 0) return [{ values: new Map(used.map((c) => [c, evaluateCondition(c, t, known)!] as const)), chosen: [] }];
  const domains = parameterDomains(t, known, reachableConditions(t, unknownConds));
  const params = [...domains.keys()];
  const out = new Map<string, Scenario>();
  const tooMany = () => new Error(`more than ${MAX_SCENARIOS} combinations of conditions (${unknownConds.join(', ')}) depend on parameters not given:`
    + ` give --parameter for ${params.join(', ') || 'the parameters they read'}`);
  let assignments = 1;
  for (const p of params) {
    assignments *= domains.get(p)!.length;
    if (assignments > 4096) throw tooMany();
  }
  for (let i = 0; i < assignments; i++) {
    const env: Record<string, string> = { ...known };
    let k = i;
    for (const p of params) {
      const d = domains.get(p)!;
      env[p] = d[k % d.length];
      k = Math.floor(k / d.length);
    }
    const memo = new Map<string, boolean | undefined>();
    const undecided = used.filter((c) => evaluateCondition(c, t, env, new Map(), memo) === undefined);
    if (undecided.length > 10) throw tooMany();
    for (let bits = 0; bits < 2 ** undecided.length; bits++) {
      const free = new Map(undecided.map((c, j) => [c, (bits & (1 << j)) !== 0] as const));
      const m2 = new Map<string, boolean | undefined>();
      const values = new Map(used.map((c) => [c, evaluateCondition(c, t, env, free, m2) as boolean] as const));
      const key = used.map((c) => (values.get(c) ? '1' : '0')).join('');
      if (!out.has(key)) out.set(key, { values, chosen: unknownConds });
      if (out.size > MAX_SCENARIOS) throw tooMany();
    }
  }
  return [...out.values()];
}

/** `Cond=true, Other=false` for the conditions a scenario had to choose. */
export function describeScenario(s: Scenario): string {
  return s.chosen.map((c) => `${c}=${s.values.get(c)}`).join(', ');
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The template as deployed in one scenario: resources and outputs whose condition is false removed
 * (with references to them made opaque and DependsOn entries dropped), every `Fn::If` replaced by its
 * branch, `AWS::NoValue` removed, the Conditions section gone. Conditions only CDK's metadata resource
 * uses, left undecided, are dropped from it (the resource stays). Returns a new object.
 */
export function applyScenario<T extends ConditionalTemplate>(t: T, s: Scenario, known: Readonly<Record<string, string>>): T {
  const value = (c: string): boolean => {
    const v = s.values.get(c) ?? evaluateCondition(c, t, known);
    if (v === undefined) throw new Error(`condition '${c}' is undecided`);
    return v;
  };
  const resources: Record<string, Obj> = {};
  const removed = new Set<string>();
  for (const [id, r] of Object.entries(t.Resources)) {
    if (typeof r.Condition === 'string') {
      const decided = s.values.get(r.Condition) ?? evaluateCondition(r.Condition, t, known);
      if (decided === false) { removed.add(id); continue; }
      const { Condition: _c, ...rest } = r;
      resources[id] = rest;
    } else {
      resources[id] = r;
    }
  }
  const prune = (v: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(v)) return v.map(prune).filter((x) => x !== NO_VALUE);
    if (!isObj(v)) return v;
    const name = intrinsicName(v);
    if (name === 'Ref' && v.Ref === 'AWS::NoValue') return NO_VALUE;
    if (name === 'Fn::If') {
      const arg = v['Fn::If'];
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') throw new Error(`Fn::If takes [condition, then, else], got ${JSON.stringify(arg)}`);
      return prune(value(arg[0]) ? arg[1] : arg[2]);
    }
    if ((name === 'Ref' && typeof v.Ref === 'string' && removed.has(v.Ref))
      || (name === 'Fn::GetAtt' && Array.isArray(v['Fn::GetAtt']) && removed.has(String((v['Fn::GetAtt'] as Json[])[0])))
      || (name === 'Fn::GetAtt' && typeof v['Fn::GetAtt'] === 'string' && removed.has((v['Fn::GetAtt'] as string).split('.')[0]))) {
      return { 'Fn::ImportValue': `resource removed by its condition: ${JSON.stringify(v)}` };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== NO_VALUE) out[k] = p;
    }
    return out;
  };
  const newResources: Record<string, Obj> = {};
  for (const [id, r] of Object.entries(resources)) {
    const p = prune(r) as Obj;
    if (Array.isArray(p.DependsOn)) p.DependsOn = (p.DependsOn as Json[]).filter((d) => !removed.has(String(d)));
    else if (typeof p.DependsOn === 'string' && removed.has(p.DependsOn)) delete p.DependsOn;
    newResources[id] = p;
  }
  const { Conditions: _conditions, Outputs: outputs, ...rest } = t;
  const result: Obj = { ...rest, Resources: newResources };
  if (outputs !== undefined) {
    const kept: Obj = {};
    for (const [id, o] of Object.entries(outputs)) {
      if (typeof o.Condition === 'string' && !value(o.Condition)) continue;
      const { Condition: _oc, ...body } = o;
      const p = prune(body);
      if (p !== NO_VALUE) kept[id] = p;
    }
    result.Outputs = kept;
  }
  return result as T;
}
