import { CfnResource } from 'aws-cdk-lib';
import { EnvRelation, ResourceIndex, combineRelations, describeEnvironment, environmentOf, relatePart } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, cannotVerify, list, obj, str } from '../common';
import { isPiiBucket } from './pii';

/** What one selector records: reads, writes, or both. */
interface Access { read: boolean; write: boolean }

/** Where an ARN value in a data-event selector points. */
type ArnTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'bucket'; readonly node: CfnResource; readonly rest: string }
  | { readonly kind: 'name'; readonly name: string; readonly rest: string }
  | { readonly kind: 'unresolved'; readonly value: unknown };

/** The S3 data events one trail records. */
interface Coverage {
  readonly grants: Grant[];
  /** Selectors covering only part of a bucket (a prefix, one object), for the message. */
  readonly partial: Map<CfnResource | string, string[]>;
  readonly unresolved: unknown[];
}

const BUCKET = 'AWS::S3::Bucket';
const ARN_MARK = '\u0000arn\u0000';
const NAME_MARK = '\u0000name\u0000';

/**
 * Reads an ARN value of a selector: the all-buckets form (`arn:aws:s3`, `arn:aws:s3:::`), a bucket
 * of the app (its Arn attribute or its name in an ARN, across stacks), a literal bucket name, or
 * something unresolved. `rest` is what follows the bucket (`/` or an object prefix).
 */
function arnTarget(ix: ResourceIndex, trail: CfnResource, value: unknown): ArnTarget {
  let bucket: CfnResource | undefined;
  const render = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    const o = (v ?? {}) as Record<string, unknown>;
    const j = o['Fn::Join'];
    if (Array.isArray(j) && typeof j[0] === 'string' && Array.isArray(j[1])) {
      const parts = (j[1] as unknown[]).map(render);
      return parts.every((p) => p !== undefined) ? parts.join(j[0]) : undefined;
    }
    const t = ix.deref(trail, v);
    if (t.kind === 'pseudo') return t.name === 'AWS::Partition' ? 'aws' : `\${${t.name}}`;
    if (t.kind === 'literal') return t.value;
    if (t.kind === 'resource' && t.node.cfnResourceType === BUCKET && !bucket) {
      bucket = t.node;
      return t.attribute === 'Arn' ? ARN_MARK : t.attribute === undefined ? NAME_MARK : undefined;
    }
    return undefined;
  };
  const s = render(value);
  if (s === undefined) return { kind: 'unresolved', value };
  if (/^arn:[a-z-]+:s3(:::)?$/.test(s)) return { kind: 'all' };
  if (bucket && s.startsWith(ARN_MARK)) return { kind: 'bucket', node: bucket, rest: s.slice(ARN_MARK.length) };
  const m = /^arn:[a-z-]+:s3:::([^/]+)(.*)$/.exec(s);
  if (!m) return { kind: 'unresolved', value };
  if (bucket && m[1] === NAME_MARK) return { kind: 'bucket', node: bucket, rest: m[2] };
  if (m[1].includes('\u0000') || m[1].includes('${')) return { kind: 'unresolved', value };
  return { kind: 'name', name: m[1], rest: m[2] };
}

/** Which buckets one selector records, with what access, less the buckets its exclusions name. */
interface Grant {
  readonly access: Access;
  readonly target: { readonly kind: 'all' } | { readonly kind: 'bucket'; readonly node: CfnResource } | { readonly kind: 'name'; readonly name: string };
  readonly except: ReadonlySet<CfnResource>;
  readonly exceptNames: ReadonlySet<string>;
}

const NONE: ReadonlySet<never> = new Set();

/** The S3 data events one logging trail records (absent when it is not logging). */
function trailCoverage(ix: ResourceIndex, trail: CfnResource): Coverage | undefined {
  const c: Coverage = { grants: [], partial: new Map(), unresolved: [] };
  const p = ix.props(trail);
  try {
    if (bool(p.IsLogging, 'IsLogging') === false) return undefined;
  } catch {
    c.unresolved.push(p.IsLogging);
    return c;
  }
  for (const sel of list(p.EventSelectors, 'EventSelectors')) {
    const s = obj(sel, 'event selector')!;
    const rw = str(s.ReadWriteType, 'ReadWriteType') ?? 'All';
    const access = { read: rw !== 'WriteOnly', write: rw !== 'ReadOnly' };
    for (const dr of list(s.DataResources, 'DataResources')) {
      const d = obj(dr, 'data resource')!;
      if (str(d.Type, 'data resource Type') !== 'AWS::S3::Object') continue;
      for (const v of list(d.Values, 'data resource Values')) addTarget(c, arnTarget(ix, trail, v), access, NONE, NONE);
    }
  }
  for (const sel of list(p.AdvancedEventSelectors, 'AdvancedEventSelectors')) advanced(ix, trail, obj(sel, 'advanced event selector')!, c);
  return c;
}

/** A selector value: the bucket (all its objects) is granted; a prefix of it is only noted, for the message. */
function addTarget(c: Coverage, t: ArnTarget, access: Access, except: ReadonlySet<CfnResource>, exceptNames: ReadonlySet<string>): void {
  if (t.kind === 'unresolved') { c.unresolved.push(t.value); return; }
  if (t.kind === 'all') { c.grants.push({ access, target: t, except, exceptNames }); return; }
  if (t.rest === '' || t.rest === '/') { c.grants.push({ access, target: t, except, exceptNames }); return; }
  note(c, t, `a trail records only objects under '${t.rest.replace(/^\//, '')}'`);
}

function note(c: Coverage, t: { kind: 'bucket'; node: CfnResource } | { kind: 'name'; name: string }, why: string): void {
  const k = t.kind === 'bucket' ? t.node : t.name;
  const l = c.partial.get(k) ?? [];
  l.push(why);
  c.partial.set(k, l);
}

/** Every trail of the app with what it records, built once per validation. */
function coverage(ix: ResourceIndex): Map<CfnResource, Coverage> {
  return ix.memo('s3DataEventCoverage', () => {
    const m = new Map<CfnResource, Coverage>();
    for (const trail of ix.ofType('AWS::CloudTrail::Trail')) {
      const c = trailCoverage(ix, trail);
      if (c) m.set(trail, c);
    }
    return m;
  });
}

const KNOWN_FIELDS = new Set(['eventCategory', 'resources.type', 'resources.ARN', 'readOnly']);

/**
 * An advanced selector on S3 objects: every bucket or the buckets its ARN fields name, less its exclusions.
 * As CloudTrail evaluates a field: its selecting operators (Equals, StartsWith) are ORed, its excluding ones
 * (NotEquals, NotStartsWith) ANDed with them; Equals matches one object ARN exactly, never a whole bucket.
 */
function advanced(ix: ResourceIndex, trail: CfnResource, sel: Record<string, unknown>, c: Coverage): void {
  const fields = new Map<string, Record<string, unknown>>();
  for (const f of list(sel.FieldSelectors, 'FieldSelectors')) {
    const o = obj(f, 'field selector')!;
    fields.set(str(o.Field, 'field selector Field')!, o);
  }
  const equals = (field: string) => list(fields.get(field)?.Equals, `${field} Equals`).map((v) => str(v, `${field} Equals`));
  if (!equals('eventCategory').includes('Data') || !equals('resources.type').includes('AWS::S3::Object')) return;
  // Any other field (eventName, userIdentity...) records only some events: not object-level logging of the bucket.
  if ([...fields.keys()].some((f) => !KNOWN_FIELDS.has(f))) return;
  const ro = equals('readOnly');
  const access = { read: ro.length === 0 || ro.includes('true'), write: ro.length === 0 || ro.includes('false') };
  const arn = fields.get('resources.ARN');
  if (arn && (arn.EndsWith !== undefined || arn.NotEndsWith !== undefined)) return;
  const except = new Set<CfnResource>();
  const exceptNames = new Set<string>();
  for (const v of arn ? [...list(arn.NotEquals, 'resources.ARN NotEquals'), ...list(arn.NotStartsWith, 'resources.ARN NotStartsWith')] : []) {
    const t = arnTarget(ix, trail, v);
    if (t.kind === 'bucket') except.add(t.node);
    else if (t.kind === 'name') exceptNames.add(t.name);
    else if (t.kind === 'all') return;
    // An exclusion nobody can read may exclude any bucket: the selector then proves nothing.
    else { c.unresolved.push(t.value); return; }
  }
  for (const v of arn ? list(arn.Equals, 'resources.ARN Equals') : []) {
    const t = arnTarget(ix, trail, v);
    if (t.kind === 'unresolved') c.unresolved.push(t.value);
    else if (t.kind !== 'all') note(c, t, `a trail's resources.ARN Equals '${t.rest}' records one object ARN exactly, not the bucket's objects`);
  }
  const starts = list(arn?.StartsWith, 'resources.ARN StartsWith');
  if (arn && (starts.length > 0 || arn.Equals !== undefined)) {
    for (const v of starts) addTarget(c, arnTarget(ix, trail, v), access, except, exceptNames);
    return;
  }
  c.grants.push({ access, target: { kind: 'all' }, except, exceptNames });
}

/** Whether a trail can record the bucket's events: its own account (any account of an organization trail), its own region unless multi-region. */
function reach(ix: ResourceIndex, trail: CfnResource, bucket: CfnResource): EnvRelation {
  const p = ix.props(trail);
  const flag = (v: unknown): boolean | undefined => (v === true || v === 'true' ? true : v === undefined || v === false || v === 'false' ? false : undefined);
  const org = flag(p.IsOrganizationTrail);
  const multi = flag(p.IsMultiRegionTrail);
  const t = environmentOf(trail);
  const b = environmentOf(bucket);
  const account = org === true ? 'same' : relatePart(t.account, b.account);
  const region = multi === true ? 'same' : relatePart(t.region, b.region);
  return combineRelations([
    org === undefined && account !== 'same' ? 'unknown' : account,
    multi === undefined && region !== 'same' ? 'unknown' : region,
  ]);
}

/** Every PII bucket (tagged hardening:data-class) is covered by a trail's S3 data-event selector, reads and writes. */
export function S3BucketDataEventsLogged(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isPiiBucket(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const name = ix.props(node).BucketName;
  const literalName = typeof name === 'string' ? name : undefined;
  const got: Access = { read: false, write: false };
  const unresolved: unknown[] = [];
  const partial: string[] = [];
  const elsewhere: CfnResource[] = [];
  const maybe: CfnResource[] = [];
  for (const [trail, c] of coverage(ix)) {
    const a: Access = { read: false, write: false };
    for (const g of c.grants) {
      const t = g.target;
      const hit = t.kind === 'all' || (t.kind === 'bucket' ? t.node === node : t.name === literalName);
      if (hit && !g.except.has(node) && !(literalName && g.exceptNames.has(literalName))) { a.read ||= g.access.read; a.write ||= g.access.write; }
    }
    const where = reach(ix, trail, node);
    if (where === 'different') { if (a.read || a.write) elsewhere.push(trail); continue; }
    if (where === 'unknown') { if (a.read || a.write || c.unresolved.length > 0) maybe.push(trail); continue; }
    got.read ||= a.read;
    got.write ||= a.write;
    unresolved.push(...c.unresolved);
    partial.push(...(c.partial.get(node) ?? []), ...(literalName ? c.partial.get(literalName) ?? [] : []));
  }
  if (got.read && got.write) return NagRuleCompliance.COMPLIANT;
  if (unresolved.length > 0) return cannotVerify('a trail data-event selector', unresolved[0]);
  if (maybe.length > 0) {
    return cannotVerify(`that a trail records this bucket's events from its account and region (${describeEnvironment(node)})`,
      maybe.map((t) => `${t.node.path} in ${describeEnvironment(t)}`));
  }
  const out = partial;
  if (got.read) out.push('only reads are recorded, not writes');
  else if (got.write) out.push('only writes are recorded, not reads');
  else out.push('no trail records S3 object-level events of this bucket');
  for (const t of elsewhere) {
    out.push(`trail ${t.node.path} selects it but is in ${describeEnvironment(t)}, not the bucket's ${describeEnvironment(node)} (a trail records its own account, and its own region unless multi-region)`);
  }
  return out;
}

export const S3BucketDataEventsLoggedMeta: RuleMetadata = {
  ruleName: 'S3BucketDataEventsLogged',
  controlIds: ['EXF-DATAEVENTS'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.6', 'cis-aws:3.8', 'cis-aws:3.9', 'nist-800-53:AU-2', 'nist-800-53:AU-12'],
  level: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'No trail records S3 data events (object reads and writes) of the PII bucket.',
  explanation: 'Lesson L6 (exfiltration is blocked or noticed): management events do not show GetObject; without object-level logging nobody can tell which customer records were read or copied out, and the breach notice cannot say whose data left (CIS 3.8, 3.9).',
  fix: 'In a workload stack, a WorkloadBaseline logs the data events of every PiiBucket of the stack. Otherwise add the bucket to a trail\'s S3 data events: trail.addS3EventSelector([{ bucket }], { readWriteType: ReadWriteType.ALL }) (SecureTrail dataEventBuckets does this), or an advanced event selector with eventCategory Data, resources.type AWS::S3::Object and resources.ARN StartsWith the bucket ARN.',
};
