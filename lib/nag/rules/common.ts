import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { Unknown, isUnknown, unknown } from '../../policy';
import { Answer, OWN_ACCOUNT_PLACEHOLDER, Own, showOwn } from '../../policy/questions';
import { ResourceIndex, RefTarget } from '../resource-index';
import { CannotVerify } from '../types';
import { subAsJoin } from '../../template/intrinsics';

export { NagRuleCompliance };
export type { NagRuleResult };

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** isCustomerManagedKey for a top-level property, following a reference token without resolving it. */
export function propIsCustomerManagedKey(ix: ResourceIndex, node: CfnResource, cfnKey: string): boolean {
  const raw = ix.rawProp(node, cfnKey);
  if (raw === undefined) return isCustomerManagedKey(ix, node, ix.props(node)[cfnKey], cfnKey);
  return isCustomerManagedKey(ix, node, raw, cfnKey, ix.propTarget(node, cfnKey));
}

/** Throws CannotVerify naming the property and showing the unresolved value. */
export function cannotVerify(what: string, value: unknown): never {
  throw new CannotVerify(`cannot verify ${what}: unresolved value ${show(value)}`);
}

/** A boolean property: undefined when absent, throws CannotVerify when it is an intrinsic. */
export function bool(v: unknown, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return cannotVerify(what, v);
}

export function num(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return cannotVerify(what, v);
}

export function str(v: unknown, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return cannotVerify(what, v);
}

/** A list property (a single value becomes a one-element list); an intrinsic list is unresolved. */
export function list(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && v !== null && Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'))) {
    return cannotVerify(what, v);
  }
  return [v];
}

export function obj(v: unknown, what: string): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return cannotVerify(what, v);
    return v as Record<string, unknown>;
  }
  return cannotVerify(what, v);
}

export const compliantIf = (ok: boolean): NagRuleResult => (ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT);

/** Reasons to fail; an empty list is compliant. */
export const reasons = (r: string[]): NagRuleResult => (r.length === 0 ? NagRuleCompliance.COMPLIANT : r);

/**
 * Whether a key reference names a customer-managed key: a key resource of the app, or a literal key
 * ARN / id / alias that is not an AWS-managed `alias/aws/...` key. Unresolvable references throw.
 */
export function isCustomerManagedKey(ix: ResourceIndex, node: CfnResource, keyRef: unknown, what: string, target?: RefTarget): boolean {
  if (keyRef === undefined || keyRef === '') return false;
  const t = target ?? ix.deref(node, keyRef);
  switch (t.kind) {
    case 'resource':
      return t.node.cfnResourceType === 'AWS::KMS::Key' || t.node.cfnResourceType === 'AWS::KMS::ReplicaKey'
        || (t.node.cfnResourceType === 'AWS::KMS::Alias' && !isAwsManagedAlias(String(ix.props(t.node).AliasName ?? '')));
    case 'literal':
      return !isAwsManagedAlias(t.value);
    case 'pseudo':
      return false;
    default: {
      const joined = joinLiteral(t.value);
      if (joined !== undefined && isAwsManagedAlias(joined)) return false;
      return cannotVerify(what, t.value);
    }
  }
}

export function isAwsManagedAlias(s: string): boolean {
  return /(^|:)alias\/aws\//.test(s);
}

/** Renders `Fn::Join` (or the equivalent `Fn::Sub`) of literals and pseudo parameters as one string with `${AWS::X}` placeholders. */
export function joinLiteral(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.Ref === 'string' && o.Ref.startsWith('AWS::')) return `\${${o.Ref}}`;
  if (o['Fn::Sub'] !== undefined && Object.keys(o).length === 1) {
    const asJoin = subAsJoin(o['Fn::Sub']);
    return asJoin && joinLiteral(asJoin);
  }
  const j = o['Fn::Join'];
  if (Array.isArray(j) && typeof j[0] === 'string' && Array.isArray(j[1])) {
    const parts = (j[1] as unknown[]).map(joinLiteral);
    return parts.every((p) => p !== undefined) ? parts.join(j[0]) : undefined;
  }
  return undefined;
}

// ---- policies -------------------------------------------------------------------------------

export interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: unknown;
}

/** The statements of a policy document; throws CannotVerify when the document is an intrinsic. */
export function statements(doc: unknown, what: string): Statement[] {
  if (doc === undefined) return [];
  if (typeof doc === 'string') {
    try {
      return statements(JSON.parse(doc), what);
    } catch {
      return cannotVerify(what, doc);
    }
  }
  const d = obj(doc, what)!;
  return list(d.Statement, `${what} statements`).map((s) => obj(s, `${what} statement`) as Statement);
}

/** The strings of an Action / Resource field; an intrinsic element throws CannotVerify. */
export function strings(v: unknown, what: string): string[] {
  return list(v, what).map((x) => {
    if (typeof x === 'string') return x;
    const j = joinLiteral(x);
    if (j !== undefined) return j;
    return cannotVerify(what, x);
  });
}

/**
 * Whether a Resource field admits every resource ("*"). An ARN built with Fn::Join, Fn::GetAtt,
 * Fn::Sub or a reference to a resource is specific; a reference to a parameter could be "*" and
 * throws CannotVerify.
 */
export function resourceIsStar(ix: ResourceIndex, node: CfnResource, v: unknown): boolean {
  for (const r of Array.isArray(v) ? v : [v]) {
    if (typeof r === 'string') {
      if (r === '*') return true;
      continue;
    }
    const o = (r ?? {}) as Record<string, unknown>;
    if (o['Fn::Join'] !== undefined || o['Fn::GetAtt'] !== undefined || o['Fn::Sub'] !== undefined) continue;
    const t = ix.deref(node, r);
    if (t.kind === 'resource' || t.kind === 'pseudo') continue;
    if (t.kind === 'literal') { if (t.value === '*') return true; continue; }
    cannotVerify('Resource', r);
  }
  return false;
}

/** The value of a condition key under an operator, case-insensitively, as strings. */
export function conditionValues(cond: unknown, operator: string, conditionKey: string): string[] {
  if (typeof cond !== 'object' || cond === null) return [];
  for (const [op, body] of Object.entries(cond as Record<string, unknown>)) {
    if (op !== operator || typeof body !== 'object' || body === null) continue;
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k.toLowerCase() === conditionKey.toLowerCase()) return (Array.isArray(v) ? v : [v]).map((x) => String(x));
    }
  }
  return [];
}

export type PrincipalKind = 'any' | 'account' | 'user' | 'role' | 'service' | 'federated' | 'other';

/** Classifies every principal of a statement; an unresolvable AWS principal throws CannotVerify. */
export function principalKinds(ix: ResourceIndex, node: CfnResource, principal: unknown, what: string): PrincipalKind[] {
  if (principal === undefined) return [];
  if (principal === '*') return ['any'];
  const p = obj(principal, what)!;
  const out: PrincipalKind[] = [];
  for (const [type, value] of Object.entries(p)) {
    const values = Array.isArray(value) ? value : [value];
    if (type === 'Service') out.push(...values.map((): PrincipalKind => 'service'));
    else if (type === 'Federated') out.push(...values.map((): PrincipalKind => 'federated'));
    else if (type === 'AWS') out.push(...values.map((v) => awsPrincipalKind(ix, node, v, what)));
    else out.push('other');
  }
  return out;
}

function awsPrincipalKind(ix: ResourceIndex, node: CfnResource, v: unknown, what: string): PrincipalKind {
  const s = joinLiteral(v);
  if (s !== undefined) {
    if (s === '*') return 'any';
    if (/^\d{12}$/.test(s) || s === '${AWS::AccountId}' || /:root$/.test(s)) return 'account';
    if (/:user\//.test(s)) return 'user';
    if (/:(role|assumed-role)\//.test(s)) return 'role';
    return cannotVerify(what, v);
  }
  const t = ix.deref(node, v);
  if (t.kind === 'pseudo' && t.name === 'AWS::AccountId') return 'account';
  if (t.kind === 'resource') {
    if (t.node.cfnResourceType === 'AWS::IAM::Role') return 'role';
    if (t.node.cfnResourceType === 'AWS::IAM::User') return 'user';
  }
  return cannotVerify(what, v);
}

// ---- networks -------------------------------------------------------------------------------

export const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/** Parses an IPv4 CIDR into [first, last] as numbers; undefined when it is not IPv4. */
export function ipv4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const base = ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4];
  const bits = +m[5];
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

export function cidrWithin(inner: string, outer: string): boolean {
  const a = ipv4Range(inner);
  const b = ipv4Range(outer);
  return !!a && !!b && a[0] >= b[0] && a[1] <= b[1];
}

/** A normalized ingress or egress permission. */
export interface Permission {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  /** CIDR, or undefined when the source is a security group or prefix list. */
  readonly cidr?: string;
  readonly sourceGroup?: unknown;
  readonly prefixList?: unknown;
}

/** Normalizes a security-group rule (inline or resource form); throws CannotVerify on intrinsics. */
export function permission(r: Record<string, unknown>, what: string): Permission {
  const protocol = String(str(r.IpProtocol, `${what} IpProtocol`) ?? '-1').toLowerCase();
  const all = protocol === '-1' || protocol === 'all';
  const from = all ? 0 : num(r.FromPort, `${what} FromPort`) ?? 0;
  const to = all ? 65535 : num(r.ToPort, `${what} ToPort`) ?? 65535;
  const cidr = str(r.CidrIp, `${what} CidrIp`) ?? str(r.CidrIpv6, `${what} CidrIpv6`);
  return {
    protocol: all ? '-1' : protocol,
    from: from < 0 ? 0 : from,
    to: to < 0 ? 65535 : to,
    cidr,
    sourceGroup: r.SourceSecurityGroupId ?? r.SourceSecurityGroupName ?? r.DestinationSecurityGroupId,
    prefixList: r.SourcePrefixListId ?? r.DestinationPrefixListId,
  };
}

export function coversPort(p: Pick<Permission, 'protocol' | 'from' | 'to'>, port: number): boolean {
  const tcpOrAll = p.protocol === '-1' || p.protocol === 'tcp' || p.protocol === '6';
  return tcpOrAll && p.from <= port && port <= p.to;
}

export function isOnly443(p: Pick<Permission, 'protocol' | 'from' | 'to'>): boolean {
  return (p.protocol === 'tcp' || p.protocol === '6') && p.from === 443 && p.to === 443;
}

// ---- policy documents for lib/policy ------------------------------------------------------------

const NO_VALUE = Symbol('AWS::NoValue');

/** The app's own identity for a resource: its stack's account (or the placeholder of `AWS::AccountId`), the configured organization. */
export function ownOf(ix: ResourceIndex, node: CfnResource | Stack): Own {
  const stack = node instanceof Stack ? node : Stack.of(node);
  return ix.memo(`own\u0000${stack.node.path}`, () => ({
    account: Token.isUnresolved(stack.account) ? OWN_ACCOUNT_PLACEHOLDER : stack.account,
    organizationId: ix.organizationId,
    partition: Token.isUnresolved(stack.partition) ? 'aws' : stack.partition,
    region: Token.isUnresolved(stack.region) ? 'us-east-1' : stack.region,
  }));
}

const SERVICE_OF_TYPE = (type: string): string => type.split('::')[1]?.toLowerCase() ?? 'unknown';

/**
 * A stand-in for `Ref` / `Fn::GetAtt` of a resource of the app, consistent across documents: the
 * same resource always renders the same ARN or name, in its stack's account, so two references to
 * it match and references to different resources do not. A literal name property is used when set.
 */
export function syntheticValue(ix: ResourceIndex, node: CfnResource, attribute: string | undefined): string | Unknown {
  const own = ownOf(ix, node);
  const id = ix.logicalId(node);
  const p = own.partition;
  const literal = (key: string): string | undefined => {
    const raw = ix.rawProp(node, key);
    const v = raw === undefined ? ix.props(node)[key] : raw;
    return typeof v === 'string' && !Token.isUnresolved(v) ? v : undefined;
  };
  const attr = attribute?.toLowerCase();
  switch (node.cfnResourceType) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User': {
      const kind = node.cfnResourceType === 'AWS::IAM::Role' ? 'role' : 'user';
      const name = literal(kind === 'role' ? 'RoleName' : 'UserName') ?? id;
      if (attr === 'arn') return `arn:${p}:iam::${own.account}:${kind}/${name}`;
      if (attr === undefined) return name;
      break;
    }
    case 'AWS::S3::Bucket': {
      const name = literal('BucketName') ?? `${id.toLowerCase()}-bucket`;
      if (attr === 'arn') return `arn:${p}:s3:::${name}`;
      if (attr === undefined) return name;
      break;
    }
    case 'AWS::KMS::Key':
    case 'AWS::KMS::ReplicaKey':
      if (attr === 'arn') return `arn:${p}:kms:${own.region}:${own.account}:key/${id}`;
      if (attr === undefined || attr === 'keyid') return id;
      break;
    case 'AWS::SNS::Topic':
      if (attr === undefined || attr === 'topicarn') return `arn:${p}:sns:${own.region}:${own.account}:${literal('TopicName') ?? id}`;
      break;
    case 'AWS::Logs::LogGroup': {
      // IAM authorizes most CloudWatch Logs actions on the log group's ARN with a trailing `:*` (Fn::GetAtt Arn).
      const name = literal('LogGroupName') ?? `logs-${id}`;
      if (attr === 'arn') return `arn:${p}:logs:${own.region}:${own.account}:log-group:${name}:*`;
      if (attr === undefined) return name;
      break;
    }
    case 'AWS::CloudTrail::Trail': {
      const name = literal('TrailName') ?? `cloudtrail-${id}`;
      if (attr === 'arn') return `arn:${p}:cloudtrail:${own.region}:${own.account}:trail/${name}`;
      if (attr === undefined) return name;
      break;
    }
    case 'AWS::IAM::ManagedPolicy': {
      // Ref is the policy's ARN, with its path.
      const path = literal('Path') ?? '/';
      if (attr === undefined || attr === 'policyarn') return `arn:${p}:iam::${own.account}:policy${path}${literal('ManagedPolicyName') ?? id}`;
      break;
    }
    case 'AWS::SQS::Queue':
      if (attr === 'arn') return `arn:${p}:sqs:${own.region}:${own.account}:${literal('QueueName') ?? id}`;
      break;
    default:
      if (attr === 'arn') return `arn:${p}:${SERVICE_OF_TYPE(node.cfnResourceType)}:${own.region}:${own.account}:${id}`;
      if (attr === undefined) return `${SERVICE_OF_TYPE(node.cfnResourceType)}-${id}`;
  }
  return unknown(`Fn::GetAtt ${id}.${attribute}`);
}

function pseudoValue(name: string, own: Own): string | Unknown | typeof NO_VALUE {
  switch (name) {
    case 'AWS::AccountId': return own.account;
    case 'AWS::Partition': return own.partition;
    case 'AWS::Region': return own.region;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::NoValue': return NO_VALUE;
    default: return unknown(`pseudo parameter ${name}`);
  }
}

function subValue(ix: ResourceIndex, from: CfnResource, template: string, own: Own): string | Unknown {
  let bad: string | undefined;
  const out = template.replace(/\$\{([^}]+)\}/g, (whole, ref: string) => {
    if (ref.startsWith('!')) return `\${${ref.slice(1)}}`;
    if (ref.startsWith('AWS::')) {
      const v = pseudoValue(ref, own);
      if (typeof v === 'string') return v;
      bad ??= ref;
      return whole;
    }
    const [id, ...attr] = ref.split('.');
    const t = ix.deref(from, attr.length ? { 'Fn::GetAtt': [id, attr.join('.')] } : { Ref: id });
    // A Ref or Fn::GetAtt names a resource of the app (its attribute kept) or nothing the rule can read.
    const v = t.kind === 'resource' ? standIn(syntheticValue(ix, t.node, t.attribute)) : undefined;
    if (typeof v === 'string') return v;
    bad ??= ref;
    return whole;
  });
  return bad === undefined ? out : unknown(`Fn::Sub \${${bad}}`);
}

/** The stand-ins of app resources a converted document holds (see {@link sharedAnswer}). */
const STAND_INS = new WeakMap<object, Set<string>>();
let collecting: Set<string> | undefined;

function standIn(v: string | Unknown): string | Unknown {
  if (typeof v === 'string') collecting?.add(v);
  return v;
}

function toPolicyValue(ix: ResourceIndex, from: CfnResource, v: unknown, own: Own): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => toPolicyValue(ix, from, x, own)).filter((x) => x !== NO_VALUE);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const join = o['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = (join[1] as unknown[]).map((x) => toPolicyValue(ix, from, x, own));
      const u = parts.find((x) => typeof x !== 'string');
      return u === undefined ? parts.join(join[0]) : isUnknown(u) ? u : unknown(`Fn::Join of ${show(join[1])}`);
    }
    const sub = o['Fn::Sub'];
    if (typeof sub === 'string') return subValue(ix, from, sub, own);
    const t = ix.deref(from, v);
    if (t.kind === 'resource') return standIn(syntheticValue(ix, t.node, t.attribute ?? (Array.isArray(o['Fn::GetAtt']) ? String((o['Fn::GetAtt'] as unknown[])[1]) : undefined)));
    if (t.kind === 'literal') return t.value;
    if (t.kind === 'pseudo') return pseudoValue(t.name, own);
    return unknown(`unresolved value ${show(v)}`);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = toPolicyValue(ix, from, o[k], own);
    if (x !== NO_VALUE) out[k] = x;
  }
  return out;
}

/**
 * A policy document of a resource as lib/policy reads it: pseudo parameters replaced by the own
 * account, partition and region, references to resources of the app by their stand-ins
 * ({@link syntheticValue}), anything else unresolvable by an Unknown marker (a decision that depends
 * on it is "cannot verify"). A JSON string is parsed. Cached per document for the validation.
 */
export function policyJson(ix: ResourceIndex, from: CfnResource, doc: unknown): unknown {
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return cannotVerify('the policy document (not JSON)', doc);
    }
  }
  if (doc === null || typeof doc !== 'object') return doc;
  const cache = ix.memo('policyJson', () => new WeakMap<object, unknown>());
  let out = cache.get(doc);
  if (out === undefined) {
    const standIns = new Set<string>();
    collecting = standIns;
    try {
      out = toPolicyValue(ix, from, doc, ownOf(ix, from));
    } finally {
      collecting = undefined;
    }
    if (isUnknown(out)) cannotVerify('the policy document', doc);
    if (out && typeof out === 'object') STAND_INS.set(out, standIns);
    cache.set(doc, out);
  }
  return out;
}

/** Turns an Answer that is unknown into CannotVerify (never a pass), naming what was asked. */
export function decided(a: Answer, what: string): boolean {
  if (a.yes === 'unknown') throw new CannotVerify(`cannot verify ${what}: ${a.why.map(showOwn).join('; ')}`);
  return a.yes;
}


/** JSON text of one document and its strings holding a wildcard, computed once per document object. */
interface DocText { readonly text: string; readonly wild?: readonly string[] }
const DOC_TEXT = new WeakMap<object, DocText>();
const WILD_STRING = /"[^"]*[*?][^"]*"/g;

function docText(d: unknown): DocText {
  if (d === null || typeof d !== 'object') return { text: JSON.stringify([d]).slice(1, -1) };
  let t = DOC_TEXT.get(d);
  if (!t) {
    const text = JSON.stringify(d);
    // Without escaped quotes every quote of JSON text delimits a string, so the wildcard strings of a
    // list of documents are those of each document; with one, they are found in the whole text.
    t = text.includes('\\"') ? { text } : { text, wild: text.match(WILD_STRING) ?? [] };
    DOC_TEXT.set(d, t);
  }
  return t;
}

/** Documents in canonical form: the subject and the other app resources renamed (see {@link sharedAnswer}). */
interface Canonical {
  /** The canonical text of the documents (a JSON list). */
  readonly text: string;
  /** The subject's canonical name. */
  readonly subject: string;
  /** A text about the canonical documents, with the real names back. */
  back(s: string): string;
}

/**
 * Canonical forms of one-document lists, per document object and subject: several questions are
 * asked of one document about one subject (a bucket policy: TLS and outsiders; a key policy: duties
 * and policy changers). Documents are never changed once converted (policyJson caches them).
 */
const CANONICAL_OF_DOC = new WeakMap<object, Map<string, Canonical | null>>();

/** The canonical form of `docs` for `subjectArn`, or undefined when renaming could change an answer. */
function canonicalize(docs: readonly unknown[], subjectArn: string): Canonical | undefined {
  const single = docs.length === 1 && docs[0] !== null && typeof docs[0] === 'object' ? docs[0] : undefined;
  let bySubject: Map<string, Canonical | null> | undefined;
  if (single) {
    bySubject = CANONICAL_OF_DOC.get(single);
    if (!bySubject) CANONICAL_OF_DOC.set(single, (bySubject = new Map()));
    const known = bySubject.get(subjectArn);
    if (known !== undefined) return known ?? undefined;
  }
  const c = canonicalForm(docs, subjectArn);
  bySubject?.set(subjectArn, c ?? null);
  return c;
}

function canonicalForm(docs: readonly unknown[], subjectArn: string): Canonical | undefined {
  // The subject first, then every other resource of the app the documents name, in the order they
  // appear (so documents of one shape rename alike; no value is part of another, checked below).
  const others = new Set<string>();
  for (const d of docs) if (d && typeof d === 'object') for (const v of STAND_INS.get(d) ?? []) if (v !== subjectArn) others.add(v);
  const values = [subjectArn, ...others];
  const texts = docs.map(docText);
  const text = `[${texts.map((t) => t.text).join(',')}]`;
  const wild = texts.every((t) => t.wild) ? texts.flatMap((t) => t.wild!) : text.match(WILD_STRING) ?? [];
  const prefixOf = (v: string) => v.slice(0, Math.max(v.lastIndexOf(':'), v.lastIndexOf('/')) + 1);
  // A wildcard that may match a stand-in only partially would match differently once renamed.
  // So would a stand-in that is part of another (a bucket's name inside its ARN).
  if (values.some((v) => wild.some((w) => w.includes(prefixOf(v)) && !w.includes(v)))
    || values.some((v, i) => values.some((x, j) => i !== j && x.includes(v)))) return undefined;
  const names = values.map((v, i) => v.replace(/[^:/]+$/, `breachlessons-${i === 0 ? 'subject' : `r${i}`}`));
  let canonical = text;
  values.forEach((v, i) => { canonical = canonical.split(v).join(names[i]); });
  return {
    text: canonical,
    subject: names[0],
    // Back from the last name to the first, so that r1 never eats part of r10.
    back: (w) => names.reduceRight((acc, n, i) => acc.split(n).join(values[i]), w),
  };
}

/**
 * Answers a question once per validation for every resource whose documents are the same but for
 * the resource's own ARN (CDK renders the same policy for every bucket, key or group of one shape):
 * the documents are keyed with `subjectArn` replaced by the same ARN named `breachlessons-subject`
 * (its type, account and region kept, so the evaluation is the same), the question is asked of that
 * canonical form, and the answer's messages name the resource again. A document holding a wildcard
 * pattern that may match the subject only partially is not shared (asked as it is).
 */
export function sharedAnswer(ix: ResourceIndex, question: string, docs: readonly unknown[], subjectArn: string, own: Own,
  ask: (docs: readonly unknown[], subject: string) => Answer): Answer {
  return sharedResult(ix, question, docs, subjectArn, own, ask, (a, back) => (a.why.length === 0 ? a : { yes: a.yes, why: a.why.map(back) }));
}

/**
 * {@link sharedAnswer} for any result: `rename` gives the result with every text about the canonical
 * documents passed through `back`, which names the real resources again. Anything the question
 * depends on besides `own` and the subject belongs in `docs` (or in `question`), never in `ask`'s closure.
 */
export function sharedResult<T>(ix: ResourceIndex, question: string, docs: readonly unknown[], subjectArn: string, own: Own,
  ask: (docs: readonly unknown[], subject: string) => T, rename: (result: T, back: (s: string) => string) => T): T {
  const c = canonicalize(docs, subjectArn);
  if (!c) return ask(docs, subjectArn);
  // By canonical text (one string per document and subject, so its hash is computed once), then by question.
  const cache = ix.memo('sharedAnswers', () => new Map<string, Map<string, unknown>>());
  let byQuestion = cache.get(c.text);
  if (!byQuestion) cache.set(c.text, (byQuestion = new Map()));
  const key = `${question}\u0000${own.account}\u0000${own.organizationId ?? ''}\u0000${own.partition}\u0000${own.region}\u0000${c.subject}`;
  let a = byQuestion.get(key) as T | undefined;
  if (a === undefined) {
    a = ask(JSON.parse(c.text) as unknown[], c.subject);
    byQuestion.set(key, a);
  }
  return rename(a, c.back);
}

/**
 * A region value as a finding's message shows it: the literal, "in the stack's region" for the
 * `AWS::Region` pseudo parameter (a TableV2 replica of an environment-agnostic stack), else the value as JSON.
 */
export function regionText(v: unknown): string {
  if (typeof v === 'string' && !Token.isUnresolved(v)) return v;
  if (v !== null && typeof v === 'object' && (v as { Ref?: unknown }).Ref === 'AWS::Region') return "in the stack's region";
  return JSON.stringify(v) ?? String(v);
}
