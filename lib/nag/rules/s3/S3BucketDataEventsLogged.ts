import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
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

/** The S3 data events the app's trails record, built once per validation. */
interface Coverage {
  /** Selectors on every bucket, with the buckets each one excludes. */
  readonly all: { access: Access; except: Set<CfnResource>; exceptNames: Set<string> }[];
  readonly byBucket: Map<CfnResource, Access>;
  readonly byName: Map<string, Access>;
  /** Selectors covering only part of a bucket (a prefix), for the message. */
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

function merge(m: Map<CfnResource | string, Access>, k: CfnResource | string, a: Access): void {
  const cur = m.get(k);
  if (cur) { cur.read ||= a.read; cur.write ||= a.write; } else m.set(k, { ...a });
}

function coverage(ix: ResourceIndex): Coverage {
  return ix.memo('s3DataEventCoverage', () => {
    const c: Coverage = { all: [], byBucket: new Map(), byName: new Map(), partial: new Map(), unresolved: [] };
    const addTarget = (t: ArnTarget, access: Access) => {
      if (t.kind === 'unresolved') { c.unresolved.push(t.value); return; }
      if (t.kind === 'all') { c.all.push({ access, except: new Set(), exceptNames: new Set() }); return; }
      const k = t.kind === 'bucket' ? t.node : t.name;
      if (t.rest === '' || t.rest === '/') merge((t.kind === 'bucket' ? c.byBucket : c.byName) as Map<CfnResource | string, Access>, k, access);
      else {
        const l = c.partial.get(k) ?? [];
        l.push(`a trail records only objects under '${t.rest.replace(/^\//, '')}'`);
        c.partial.set(k, l);
      }
    };
    for (const trail of ix.ofType('AWS::CloudTrail::Trail')) {
      const p = ix.props(trail);
      try {
        if (bool(p.IsLogging, 'IsLogging') === false) continue;
      } catch {
        c.unresolved.push(p.IsLogging);
        continue;
      }
      for (const sel of list(p.EventSelectors, 'EventSelectors')) {
        const s = obj(sel, 'event selector')!;
        const rw = str(s.ReadWriteType, 'ReadWriteType') ?? 'All';
        const access = { read: rw !== 'WriteOnly', write: rw !== 'ReadOnly' };
        for (const dr of list(s.DataResources, 'DataResources')) {
          const d = obj(dr, 'data resource')!;
          if (str(d.Type, 'data resource Type') !== 'AWS::S3::Object') continue;
          for (const v of list(d.Values, 'data resource Values')) addTarget(arnTarget(ix, trail, v), access);
        }
      }
      for (const sel of list(p.AdvancedEventSelectors, 'AdvancedEventSelectors')) advanced(ix, trail, obj(sel, 'advanced event selector')!, c, addTarget);
    }
    return c;
  });
}

const KNOWN_FIELDS = new Set(['eventCategory', 'resources.type', 'resources.ARN', 'readOnly']);

/** An advanced selector on S3 objects: every bucket (minus exclusions) or the buckets its ARN fields name. */
function advanced(ix: ResourceIndex, trail: CfnResource, sel: Record<string, unknown>, c: Coverage, addTarget: (t: ArnTarget, a: Access) => void): void {
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
  const positive = arn ? [...list(arn.Equals, 'resources.ARN Equals'), ...list(arn.StartsWith, 'resources.ARN StartsWith')] : [];
  if (positive.length > 0) {
    for (const v of positive) addTarget(arnTarget(ix, trail, v), access);
    return;
  }
  const entry = { access, except: new Set<CfnResource>(), exceptNames: new Set<string>() };
  for (const v of arn ? [...list(arn.NotEquals, 'resources.ARN NotEquals'), ...list(arn.NotStartsWith, 'resources.ARN NotStartsWith')] : []) {
    const t = arnTarget(ix, trail, v);
    if (t.kind === 'bucket') entry.except.add(t.node);
    else if (t.kind === 'name') entry.exceptNames.add(t.name);
    else if (t.kind === 'all') return;
    else c.unresolved.push(t.value);
  }
  c.all.push(entry);
}

/** Every PII bucket (tagged hardening:data-class) is covered by a trail's S3 data-event selector, reads and writes. */
export function S3BucketDataEventsLogged(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (!isPiiBucket(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const c = coverage(ix);
  const name = ix.props(node).BucketName;
  const literalName = typeof name === 'string' ? name : undefined;
  const got: Access = { read: false, write: false };
  const add = (a?: Access) => { if (a) { got.read ||= a.read; got.write ||= a.write; } };
  add(c.byBucket.get(node));
  if (literalName) add(c.byName.get(literalName));
  for (const a of c.all) {
    if (!a.except.has(node) && !(literalName && a.exceptNames.has(literalName))) add(a.access);
  }
  if (got.read && got.write) return NagRuleCompliance.COMPLIANT;
  if (c.unresolved.length > 0) return cannotVerify('a trail data-event selector', c.unresolved[0]);
  const out = [...(c.partial.get(node) ?? []), ...(literalName ? c.partial.get(literalName) ?? [] : [])];
  if (got.read) out.push('only reads are recorded, not writes');
  else if (got.write) out.push('only writes are recorded, not reads');
  else out.push('no trail records S3 object-level events of this bucket');
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
