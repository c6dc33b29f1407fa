/** Pure helpers over CloudFormation intrinsics in their JSON form (no aws-cdk-lib). */

type Json = unknown;

/** The pseudo parameters CloudFormation defines (AWS::NoValue is handled where Fn::If is). */
export const PSEUDO_PARAMETERS: readonly string[] = [
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NotificationARNs',
];

/** Whether a value is a single-key intrinsic object (`{ "Ref": ... }`, `{ "Fn::X": ... }`, `{ "Condition": ... }`). */
export function intrinsicName(v: Json): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/**
 * `Fn::Sub` (string or `[string, variables]` form) as the `Fn::Join` it stands for: `${Name}` becomes
 * `{ "Ref": Name }` (a parameter, a resource or a pseudo parameter), `${Res.Attr}` becomes
 * `{ "Fn::GetAtt": [Res, Attr] }`, `${!Text}` the literal `${Text}`, a variable its value. Undefined
 * when the argument is not of either form (an intrinsic string, say).
 */
export function subAsJoin(sub: Json): { 'Fn::Join': [string, Json[]] } | undefined {
  let text: Json = sub;
  let vars: Record<string, Json> = {};
  if (Array.isArray(sub)) {
    if (sub.length !== 2 || typeof sub[1] !== 'object' || sub[1] === null || Array.isArray(sub[1])) return undefined;
    [text, vars] = [sub[0], sub[1] as Record<string, Json>];
  }
  if (typeof text !== 'string') return undefined;
  const parts: Json[] = [];
  const push = (p: Json) => {
    if (typeof p === 'string' && typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += p;
    else if (p !== '') parts.push(p);
  };
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = m[1];
    if (inner.startsWith('!')) { push(`\${${inner.slice(1)}}`); continue; }
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(vars, name)) push(vars[name]);
    else if (!name.startsWith('AWS::') && name.includes('.')) push({ 'Fn::GetAtt': [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] });
    else push({ Ref: name });
  }
  push(text.slice(last));
  return { 'Fn::Join': ['', parts] };
}

/** AWS partition and URL suffix of a region, as CloudFormation sets AWS::Partition and AWS::URLSuffix. */
export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  if (region.startsWith('us-iso-')) return { partition: 'aws-iso', urlSuffix: 'c2s.ic.gov' };
  if (region.startsWith('us-isob-')) return { partition: 'aws-iso-b', urlSuffix: 'sc2s.sgov.gov' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

/**
 * The pseudo parameter values the deployment's account and region give: the region also fixes the
 * partition and URL suffix (unless given explicitly). Others given are kept; none is guessed.
 */
export function pseudoValues(given: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const region = given['AWS::Region'];
  if (region !== undefined) {
    const p = partitionOf(region);
    out['AWS::Partition'] = p.partition;
    out['AWS::URLSuffix'] = p.urlSuffix;
  }
  for (const [k, v] of Object.entries(given)) if (k.startsWith('AWS::')) out[k] = v;
  return out;
}

/** A join with one part is that part; a join of literals is the string. */
function simplifyJoin(j: { 'Fn::Join': [string, Json[]] }): Json {
  const [sep, parts] = j['Fn::Join'];
  if (parts.every((p) => typeof p === 'string')) return parts.join(sep);
  if (parts.length === 1) return parts[0];
  if (sep !== '') return j;
  // Adjacent literals of an unseparated join are one literal.
  const merged: Json[] = [];
  for (const p of parts) {
    if (typeof p === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += p;
    else if (p !== '') merged.push(p);
  }
  return { 'Fn::Join': ['', merged] };
}

/**
 * A template value with `Fn::Sub` rewritten as the `Fn::Join` it stands for (so `!Sub` and `!Join`
 * are read alike), and references to the pseudo parameters in `pseudo` replaced by their values;
 * any other pseudo parameter stays a `Ref`, as unresolved as in a `!Join`. Returns a new value.
 */
export function resolvePseudo(v: Json, pseudo: Readonly<Record<string, string>>): Json {
  if (Array.isArray(v)) return v.map((x) => resolvePseudo(x, pseudo));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, Json>;
  const name = intrinsicName(o);
  if (name === 'Ref' && typeof o.Ref === 'string' && Object.prototype.hasOwnProperty.call(pseudo, o.Ref)) return pseudo[o.Ref];
  if (name === 'Fn::Sub') {
    const j = subAsJoin(o['Fn::Sub']);
    if (j) return resolvePseudo(simplifyJoin(j), pseudo);
  }
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(o)) out[k] = resolvePseudo(x, pseudo);
  if (name === 'Fn::Join') {
    const arg = out['Fn::Join'];
    if (Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) return simplifyJoin({ 'Fn::Join': [arg[0], arg[1] as Json[]] });
  }
  return out;
}
