import { CfnOutput, CfnResource, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A resource as it will appear in its template: `Type`, `Properties`, `DeletionPolicy`, `Metadata`... */
export interface CfnJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** What a reference in a property points at. */
export type RefTarget =
  | { readonly kind: 'resource'; readonly node: CfnResource; readonly attribute?: string }
  | { readonly kind: 'pseudo'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'unresolved'; readonly value: unknown };

interface ExportEntry { readonly stack: Stack; readonly value: unknown }

/** The whole resource rendered and resolved exactly as synthesis does (escape hatches included). */
function fullRender(node: CfnResource): CfnJson {
  const out = Stack.of(node).resolve((node as unknown as { _toCloudFormation(): object })._toCloudFormation()) as
    { Resources?: Record<string, CfnJson> };
  return Object.values(out.Resources ?? {})[0] ?? { Type: node.cfnResourceType };
}

interface L1Internals {
  readonly rawOverrides?: Record<string, unknown>;
  readonly cfnProperties: Record<string, unknown>;
  renderProperties(props: Record<string, unknown>): Record<string, unknown>;
}

/**
 * A value with nothing to resolve: a boolean, or a number or string that holds no token (CDK encodes
 * a token as a number too: `CfnParameter.valueAsNumber` is a huge negative double until resolved).
 */
function isLiteral(v: unknown): boolean {
  return typeof v === 'boolean' || ((typeof v === 'number' || typeof v === 'string') && !Token.isUnresolved(v));
}

/** A resolved primitive or list of primitives: CloudFormation rendering leaves it unchanged. */
function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}


// Placeholders look like intrinsics, which the generated validators and converters pass through untouched.
const PLACEHOLDERS = new Map<string, unknown>();
function placeholderFor(k: string): unknown {
  let p = PLACEHOLDERS.get(k);
  if (!p) PLACEHOLDERS.set(k, (p = { Ref: `BreachLessonsPlaceholder.${k}` }));
  return p;
}

/**
 * What lazy rendering needs to know of one resource type with one set of present properties: the
 * CloudFormation name of each, the placeholders of all of them, and (found on first use) those of the
 * properties the type's validator requires. Cached per type and key set.
 */
interface Shape {
  /** [CloudFormation name, camelCase name] of each present property. */
  readonly names: readonly (readonly [string, string])[];
  readonly placeholders: Readonly<Record<string, unknown>>;
  required?: Readonly<Record<string, unknown>>;
  /** The getters of a lazily rendered Properties object of this shape (see lazyRender). */
  getters?: PropertyDescriptorMap;
}

/** Shapes by renderer (a subclass may render the same type otherwise), then by type and present keys. */
const SHAPES = new WeakMap<object, Map<string, Shape | null>>();
function shapeOf(n: L1Internals, type: string, camel: Record<string, unknown>): Shape | undefined {
  const present = Object.keys(camel).filter((k) => camel[k] !== undefined);
  const cacheKey = `${type}\u0000${present.join(',')}`;
  let byKeys = SHAPES.get(n.renderProperties);
  if (!byKeys) SHAPES.set(n.renderProperties, (byKeys = new Map()));
  let shape = byKeys.get(cacheKey);
  if (shape === undefined) {
    const placeholders: Record<string, unknown> = {};
    for (const k of present) placeholders[k] = placeholderFor(k);
    const names: [string, string][] = [];
    shape = { names, placeholders };
    for (const [cfnKey, placeholder] of Object.entries(n.renderProperties(placeholders) ?? {})) {
      if (placeholder === undefined) continue;
      const camelKey = present.find((k) => placeholders[k] === placeholder);
      if (camelKey === undefined) { shape = null; break; }
      names.push([cfnKey, camelKey]);
    }
    byKeys.set(cacheKey, shape);
  }
  return shape ?? undefined;
}

/** The placeholders without which the type's validator refuses to render (each present key tried once per shape). */
function requiredPlaceholders(n: L1Internals, shape: Shape): Readonly<Record<string, unknown>> {
  if (shape.required) return shape.required;
  const required: Record<string, unknown> = {};
  for (const k of Object.keys(shape.placeholders)) {
    const others = { ...shape.placeholders };
    delete others[k];
    try {
      n.renderProperties(others);
    } catch {
      required[k] = shape.placeholders[k];
    }
  }
  return (shape.required = required);
}

/**
 * Whether `renderProperties` is the one of a generated L1 class (the class that defines it declares
 * CFN_RESOURCE_TYPE_NAME itself): a pure function of the values, validators and key converters only,
 * so equal values render equally. A subclass overriding it is not assumed pure.
 */
const GENERATED_RENDERER = new WeakMap<object, boolean>();
function hasGeneratedRenderer(n: L1Internals): boolean {
  const proto = Object.getPrototypeOf(n) as object | null;
  if (!proto) return false;
  let known = GENERATED_RENDERER.get(proto);
  if (known === undefined) {
    let owner: object | null = proto;
    while (owner && !Object.prototype.hasOwnProperty.call(owner, 'renderProperties')) owner = Object.getPrototypeOf(owner) as object | null;
    const ctor = owner ? (owner as { constructor?: unknown }).constructor : undefined;
    known = typeof ctor === 'function' && Object.prototype.hasOwnProperty.call(ctor, 'CFN_RESOURCE_TYPE_NAME');
    GENERATED_RENDERER.set(proto, known);
  }
  return known;
}

// Numbered stand-ins for the CloudFormation intrinsics of a value: converters pass an intrinsic through untouched.
const SLOTS: object[] = [];
const SLOT_INDEX = new Map<object, number>();
function slot(i: number): object {
  let s = SLOTS[i];
  if (!s) {
    SLOTS[i] = s = { Ref: `BreachLessonsSlot.${i}` };
    SLOT_INDEX.set(s, i);
  }
  return s;
}

/** Not JSON data: the value is rendered as it is, never remembered. */
const NOT_DATA = Symbol('not JSON data');

/**
 * The value with each CloudFormation intrinsic (an object whose one key is Ref or Fn::*, as CDK's
 * runtime tells them) replaced by the next numbered slot, collecting the intrinsics in order; NOT_DATA
 * when it holds anything but JSON data (plain objects, arrays, strings, finite numbers but -0, booleans, null).
 */
function withSlots(v: unknown, intrinsics: unknown[], depth = 0): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_DATA;
  if (typeof v !== 'object' || depth > 32) return NOT_DATA;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const x = i in v ? withSlots(v[i], intrinsics, depth + 1) : NOT_DATA;
      if (x === NOT_DATA) return NOT_DATA;
      out.push(x);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_DATA;
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    intrinsics.push(v);
    return slot(intrinsics.length - 1);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = withSlots((v as Record<string, unknown>)[k], intrinsics, depth + 1);
    if (x === NOT_DATA) return NOT_DATA;
    out[k] = x;
  }
  return out;
}

/** A copy of a rendering made from slots, each slot replaced by its intrinsic (keys with an undefined value kept, as converters leave them). */
function fillSlots(t: unknown, intrinsics: readonly unknown[]): unknown {
  if (t === null || typeof t !== 'object') return t;
  const i = SLOT_INDEX.get(t);
  if (i !== undefined) return intrinsics[i];
  if (Array.isArray(t)) return t.map((x) => fillSlots(x, intrinsics));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(t)) out[k] = fillSlots((t as Record<string, unknown>)[k], intrinsics);
  return out;
}

/** How a value of one shape renders: unchanged (the converter returns the value itself), or this rendering with slots. */
type Rendering = { readonly same: true } | { readonly same: false; readonly out: unknown };
const SAME: Rendering = { same: true };

/** Longest JSON text of a property value whose rendering is remembered. */
const MAX_REMEMBERED_JSON = 8192;

/**
 * Renders one resolved property value with the type's converter (CloudFormation names for nested
 * structures). A generated converter renders two values that differ only in their intrinsics alike
 * (it passes intrinsics through untouched), so within one validation each shape of value is rendered
 * once, with numbered slots for its intrinsics, and every value of that shape gets a copy of that
 * rendering with its own intrinsics in the slots, or itself when the converter returned the value as it is.
 */
function renderProperty(n: L1Internals, shape: Shape, camelKey: string, cfnKey: string, resolved: unknown, memory: Map<unknown, Map<string, Rendering>>): unknown {
  const generated = hasGeneratedRenderer(n);
  const render = (value: unknown): unknown => {
    try {
      // A generated converter renders each key from its own value alone: the other keys only need to pass validation.
      return n.renderProperties({ ...(generated ? requiredPlaceholders(n, shape) : shape.placeholders), [camelKey]: value })[cfnKey];
    } catch (e) {
      if (!generated) throw e;
      // A validator that wants more than the properties it reported as required: every placeholder, as for any other renderer.
      return n.renderProperties({ ...shape.placeholders, [camelKey]: value })[cfnKey];
    }
  };
  if (!generated) return render(resolved);
  const intrinsics: unknown[] = [];
  const template = withSlots(resolved, intrinsics);
  if (template === NOT_DATA) return render(resolved);
  const json = JSON.stringify(template);
  if (json.length > MAX_REMEMBERED_JSON) return render(resolved);
  let byValue = memory.get(n.renderProperties);
  if (!byValue) memory.set(n.renderProperties, (byValue = new Map()));
  const key = `${camelKey}\u0000${json}`;
  let r = byValue.get(key);
  if (r === undefined) {
    let out: unknown;
    try {
      out = render(template);
    } catch {
      // Whatever the validator refuses, it refuses of the value itself, with its own message.
      return render(resolved);
    }
    r = out === template ? SAME : { same: false, out };
    byValue.set(key, r);
  }
  return r.same ? resolved : fillSlots(r.out, intrinsics);
}

/**
 * The resource with each property resolved on first read, or undefined when it carries raw
 * overrides (addOverride / addPropertyOverride), which only the full render applies faithfully.
 * CDK renders a resource by resolving its (camelCase) properties and then converting them to
 * CloudFormation names; this does the same one property at a time, with opaque placeholders for
 * the properties the validator requires, so the property validators and converters accept it.
 */
function lazyRender(node: CfnResource, memory: Map<unknown, Map<string, Rendering>>): CfnJson | undefined {
  const n = node as unknown as L1Internals;
  if (n.rawOverrides && Object.keys(n.rawOverrides).length > 0) return undefined;
  const stack = Stack.of(node);
  const camel = n.cfnProperties ?? {};
  const shape = shapeOf(n, node.cfnResourceType, camel);
  if (!shape) return undefined;
  const raw: Record<string, unknown> = {};
  for (const [cfnKey, camelKey] of shape.names) raw[cfnKey] = camel[camelKey];
  const properties: Record<string, unknown> = {};
  LAZY.set(properties, { n, stack, camel, shape, memory, raw, values: new Array<unknown>(shape.names.length).fill(UNREAD) });
  // One enumerable getter per property, shared by every resource of the shape (each reads its own state).
  Object.defineProperties(properties, shape.getters ??= gettersOf(shape));
  const o = node.cfnOptions;
  const out: { -readonly [K in keyof CfnJson]: CfnJson[K] } = { Type: node.cfnResourceType, Properties: properties };
  if (o.deletionPolicy) out.DeletionPolicy = o.deletionPolicy;
  if (o.updateReplacePolicy) out.UpdateReplacePolicy = o.updateReplacePolicy;
  if (o.metadata && Object.keys(o.metadata).length > 0) out.Metadata = stack.resolve(o.metadata) as Record<string, unknown>;
  return out;
}

/** What the getters of one lazily rendered Properties object read. */
interface LazyState {
  readonly n: L1Internals;
  readonly stack: Stack;
  readonly camel: Record<string, unknown>;
  readonly shape: Shape;
  readonly memory: Map<unknown, Map<string, Rendering>>;
  /** Unresolved property values by CloudFormation name. */
  readonly raw: Record<string, unknown>;
  /** Each property's rendered value once read, UNREAD before. */
  readonly values: unknown[];
}

const UNREAD = Symbol('unread');
const LAZY = new WeakMap<object, LazyState>();

function gettersOf(shape: Shape): PropertyDescriptorMap {
  const out: PropertyDescriptorMap = {};
  shape.names.forEach(([cfnKey], i) => {
    out[cfnKey] = { enumerable: true, get(this: object) { return readProperty(LAZY.get(this)!, i); } };
  });
  return out;
}

function readProperty(st: LazyState, i: number): unknown {
  let value = st.values[i];
  if (value === UNREAD) {
    const [cfnKey, camelKey] = st.shape.names[i];
    const raw = st.camel[camelKey];
    const resolved = isLiteral(raw) ? raw : st.stack.resolve(raw);
    // Converters only rename the keys of nested structures: primitives and lists of them pass as they are.
    value = resolved === undefined || isPlain(resolved) ? resolved : renderProperty(st.n, st.shape, camelKey, cfnKey, resolved, st.memory);
    st.values[i] = value;
  }
  return value;
}

/** Whether the resource will be in its template (an unattached iam.Policy, for one, is not). */
function synthesizes(node: CfnResource): boolean {
  return (node as unknown as { shouldSynthesize(): boolean }).shouldSynthesize();
}

/**
 * Resolves a value only to see which resources it refers to: records the target of every CDK reference
 * met on the way (the rendering itself is discarded, so plain string concatenation will do).
 */
class ReferenceTracker extends DefaultTokenResolver {
  readonly found = new Set<CfnResource>();
  constructor() { super(new StringConcat()); }
  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    if (Reference.isReference(t) && CfnResource.isCfnResource(t.target)) this.found.add(t.target);
    return super.resolveToken(t, context, postProcessor);
  }
}

const key = (stack: Stack, logicalId: string): string => `${stack.node.path}\u0000${logicalId}`;

/**
 * Everything the rules need to know about the app, built ONCE per validation by one walk of the
 * construct tree: resources by type, by (stack, logical id) and by export name, plus each resource's
 * rendered CloudFormation (escape-hatch overrides included), computed lazily and cached. Cross-resource
 * facts (which policy protects which bucket, which route leaves which subnet) are derived indexes built
 * on first use with `memo`, each linear in the number of resources: no rule scans the tree per resource.
 */
export class ResourceIndex {
  /** Every CfnResource under the scope, in construct-tree order. */
  readonly resources: CfnResource[] = [];
  private readonly byType = new Map<string, CfnResource[]>();
  private readonly byStackLogical = new Map<string, CfnResource>();
  /** Logical id to resource across stacks; null when two stacks use the same id. */
  private readonly byLogical = new Map<string, CfnResource | null>();
  private readonly exports = new Map<string, ExportEntry>();
  /** Outputs by `<stack name>\u0000<output logical id>`, for Fn::GetStackOutput. */
  private readonly outputs = new Map<string, ExportEntry>();
  private readonly logicalIds = new Map<CfnResource, string>();
  private readonly rendered = new Map<CfnResource, CfnJson | Error>();
  private readonly memos = new Map<string, unknown>();
  /** Renderings of property values by renderer and value, for this validation (see renderProperty). */
  private readonly renderings = new Map<unknown, Map<string, Rendering>>();
  /** The CDK references each resource holds (see referencesOf). */
  private readonly references = new Map<CfnResource, ReadonlySet<CfnResource> | undefined>();
  private mapsBuilt = false;
  /** The own AWS Organizations id (an input of the pack), for rules comparing policy limits with it. */
  readonly organizationId?: string;

  constructor(scope: IConstruct, options: { readonly organizationId?: string } = {}) {
    this.organizationId = options.organizationId;
    const outputs: CfnOutput[] = [];
    const stack: IConstruct[] = [scope];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (CfnResource.isCfnResource(c) && synthesizes(c)) this.add(c);
      else if (c instanceof CfnOutput) outputs.push(c);
      const children = c.node.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    for (const o of outputs) {
      const s = Stack.of(o);
      const entry = { stack: s, value: s.resolve(o.value) };
      const name = o.exportName === undefined ? undefined : s.resolve(o.exportName);
      if (typeof name === 'string') this.exports.set(name, entry);
      this.outputs.set(`${s.stackName}\u0000${s.resolve(o.logicalId) as string}`, entry);
    }
  }

  private add(node: CfnResource): void {
    this.resources.push(node);
    const type = node.cfnResourceType;
    let list = this.byType.get(type);
    if (!list) this.byType.set(type, (list = []));
    list.push(node);
  }

  /** (stack, logical id) and logical id lookups, built on the first reference that needs them. */
  private logicalMaps(): void {
    if (this.mapsBuilt) return;
    this.mapsBuilt = true;
    for (const node of this.resources) {
      const id = this.logicalId(node);
      this.byStackLogical.set(key(Stack.of(node), id), node);
      this.byLogical.set(id, this.byLogical.has(id) ? null : node);
    }
  }

  /** Resources of one CloudFormation type. */
  ofType(type: string): readonly CfnResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The logical id in the template: the override if any, else the one CDK allocates from the path. */
  logicalId(node: CfnResource): string {
    let id = this.logicalIds.get(node);
    if (id === undefined) {
      const synthesize = (node as unknown as { _synthesizeLogicalId?: () => string })._synthesizeLogicalId;
      id = typeof synthesize === 'function' ? synthesize.call(node) : (Stack.of(node).resolve(node.logicalId) as string);
      this.logicalIds.set(node, id);
    }
    return id;
  }

  /**
   * The resource as it will appear in its template, tokens resolved in its own stack. Cached.
   * Without escape-hatch overrides, each property is resolved on first read only (a rule pays for
   * the values it looks at); with overrides the whole resource is rendered as CDK renders it.
   */
  cfn(node: CfnResource): CfnJson {
    let r = this.rendered.get(node);
    if (r === undefined) {
      try {
        r = lazyRender(node, this.renderings) ?? fullRender(node);
      } catch (e) {
        r = e instanceof Error ? e : new Error(String(e));
      }
      this.rendered.set(node, r);
    }
    if (r instanceof Error) throw r;
    return r;
  }

  /** The resolved `Properties` of a resource (empty object when it has none). */
  props(node: CfnResource): Record<string, unknown> {
    return this.cfn(node).Properties ?? {};
  }

  /**
   * The unresolved value of a property as the construct holds it (an L2 object, a token...), for
   * fast paths that can decide without resolving; undefined when the resource carries raw overrides
   * (only the rendered value is then authoritative) or lacks the property.
   */
  rawProp(node: CfnResource, cfnKey: string): unknown {
    const props = this.cfn(node).Properties;
    return props ? LAZY.get(props)?.raw[cfnKey] : undefined;
  }

  /**
   * What a top-level property refers to. A CDK reference token held by the construct is followed to
   * its target without resolving anything; any other value is resolved and dereferenced.
   */
  propTarget(node: CfnResource, cfnKey: string): RefTarget {
    const raw = this.rawProp(node, cfnKey);
    if (typeof raw === 'string' && Token.isUnresolved(raw)) {
      const r = Tokenization.reverse(raw, { failConcat: false });
      if (r && Reference.isReference(r) && CfnResource.isCfnResource(r.target) && synthesizes(r.target)) {
        const displayName = (r as unknown as { displayName?: string }).displayName;
        return { kind: 'resource', node: r.target, attribute: displayName === 'Ref' ? undefined : displayName?.split('.').pop() };
      }
    }
    return this.deref(node, this.props(node)[cfnKey]);
  }

  /** A derived index, built once per validation on first use. */
  memo<T>(name: string, build: () => T): T {
    if (this.memos.has(name)) return this.memos.get(name) as T;
    const v = build();
    this.memos.set(name, v);
    return v;
  }

  /**
   * What a (resolved) property value refers to: a resource of the app (through `Ref`, `Fn::GetAtt`,
   * `Fn::ImportValue` of an export the app defines, or a CDK cross-stack reference), a pseudo
   * parameter, a literal string, or something unresolved (a parameter, an import from outside the app,
   * any other intrinsic).
   */
  deref(from: CfnResource | Stack, value: unknown): RefTarget {
    const stack = from instanceof Stack ? from : Stack.of(from);
    if (typeof value === 'string') {
      if (Token.isUnresolved(value)) {
        const r = Tokenization.reverse(value, { failConcat: false });
        if (r && Reference.isReference(r) && CfnResource.isCfnResource(r.target)) {
          return { kind: 'resource', node: r.target };
        }
        return this.deref(from, stack.resolve(value));
      }
      return { kind: 'literal', value };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'unresolved', value };
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length !== 1) return { kind: 'unresolved', value };
    if (typeof o.Ref === 'string') {
      if (o.Ref.startsWith('AWS::')) return { kind: 'pseudo', name: o.Ref };
      return this.lookup(from, stack, o.Ref, undefined, value);
    }
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      return this.lookup(from, stack, getAtt[0], typeof getAtt[1] === 'string' ? getAtt[1] : undefined, value);
    }
    if (typeof getAtt === 'string') {
      const [id, ...attr] = getAtt.split('.');
      return this.lookup(from, stack, id, attr.join('.'), value);
    }
    const out = o['Fn::GetStackOutput'] as Record<string, unknown> | undefined;
    if (out && typeof out.StackName === 'string' && typeof out.OutputName === 'string') {
      const e = this.outputs.get(`${out.StackName}\u0000${out.OutputName}`);
      if (e) return this.deref(e.stack, e.value);
    }
    const imp = o['Fn::ImportValue'];
    if (typeof imp === 'string') {
      const e = this.exports.get(imp);
      if (e) return this.deref(e.stack, e.value);
    }
    return { kind: 'unresolved', value };
  }

  /** The resource a value refers to, or undefined when it refers to none in the app. */
  resourceOf(from: CfnResource | Stack, value: unknown): CfnResource | undefined {
    const t = this.deref(from, value);
    return t.kind === 'resource' ? t.node : undefined;
  }

  private lookup(from: CfnResource | Stack, stack: Stack, logicalId: string, attribute: string | undefined, value: unknown): RefTarget {
    this.logicalMaps();
    const own = this.byStackLogical.get(key(stack, logicalId));
    const anywhere = this.byLogical.get(logicalId);
    // Several stacks hold the logical id: before synthesis a reference into another stack still reads as
    // a plain Ref / Fn::GetAtt, so the references the resource holds decide which one it means.
    const node = anywhere === null && !(from instanceof Stack) ? this.referencedWithId(from, logicalId, own) : own ?? anywhere ?? undefined;
    return node ? { kind: 'resource', node, attribute } : { kind: 'unresolved', value };
  }

  /**
   * The resource with this logical id that `from` refers to through a CDK reference: the one when a
   * single resource of that id is referenced, the own stack's when none is (a Ref written into the
   * template means the own stack's resource), undefined when several are (which one a given
   * occurrence means cannot be told).
   */
  private referencedWithId(from: CfnResource, logicalId: string, own: CfnResource | undefined): CfnResource | undefined {
    const referenced = this.referencesOf(from);
    if (referenced === undefined) return undefined;
    const hits = [...referenced].filter((t) => synthesizes(t) && this.logicalId(t) === logicalId);
    if (hits.length === 0) return own;
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Every resource a resource's rendering refers to through a CDK reference; undefined when it cannot be rendered. */
  private referencesOf(node: CfnResource): ReadonlySet<CfnResource> | undefined {
    return this.memoOf(this.references, node, () => {
      const tracker = new ReferenceTracker();
      try {
        Tokenization.resolve((node as unknown as { _toCloudFormation(): object })._toCloudFormation(), { scope: node, resolver: tracker, preparing: false });
      } catch {
        return undefined;
      }
      return tracker.found;
    });
  }

  private memoOf<K, V>(map: Map<K, V>, k: K, build: () => V): V {
    if (map.has(k)) return map.get(k) as V;
    const v = build();
    map.set(k, v);
    return v;
  }
}

// ---- account and region -------------------------------------------------------------------------

/**
 * Construct context naming the group of stacks that deploy to one environment when their account or
 * region is left unresolved. Unset: the app (every environment-agnostic stack of one CDK app is
 * deployed with the CLI's one account and region). `check` sets it per template file, or per cloud
 * assembly, so unresolved environments of separate templates are never taken to be the same.
 */
export const ENVIRONMENT_GROUP_CONTEXT = 'cdk-hardening:environment-group';

/**
 * Marks a stack as a StackSet template, with the accounts it is never deployed to: the construct context
 * key (set on the stack by StackSetTemplateSynthesizer, and by `check` from the template's Metadata) and
 * the template Metadata key (written by the synthesizer), so synth and `check` judge a template alike.
 */
export const STACKSET_TEMPLATE_METADATA = 'cdk-hardening:stackset-template';

/** What a StackSet template records about itself. */
export interface StackSetTemplateInfo { readonly excludedAccounts: readonly string[] }

/** The StackSet template record of a stack, or undefined when the stack is not a StackSet template. */
export function stackSetTemplateInfo(stack: Stack): StackSetTemplateInfo | undefined {
  const v = stack.node.tryGetContext(STACKSET_TEMPLATE_METADATA) as { excludedAccounts?: unknown } | undefined;
  if (!v || typeof v !== 'object') return undefined;
  const list = Array.isArray(v.excludedAccounts) ? v.excludedAccounts : [];
  return { excludedAccounts: list.filter((a): a is string => typeof a === 'string' && /^\d{12}$/.test(a)) };
}

/** Whether two resources (or stacks) are in one account and region, provably different, or unknown. */
export type EnvRelation = 'same' | 'different' | 'unknown';

/**
 * A stack's account or region: a literal, or the pseudo parameter of its environment group; an
 * unresolved part may know values it never takes (`excludes`: a StackSet template is never deployed to
 * the organization's management account).
 */
export interface EnvPart { readonly literal?: string; readonly group: string; readonly excludes?: readonly string[] }

function groupOf(stack: Stack): string {
  const g = stack.node.tryGetContext(ENVIRONMENT_GROUP_CONTEXT);
  return typeof g === 'string' ? g : `app:${stack.node.root.node.addr}`;
}

/** The account and region a resource (or stack) deploys to. */
export function environmentOf(from: IConstruct): { account: EnvPart; region: EnvPart } {
  const stack = Stack.of(from);
  const group = groupOf(stack);
  const part = (v: string): EnvPart => (Token.isUnresolved(v) ? { group } : { literal: v, group });
  const excluded = stackSetTemplateInfo(stack)?.excludedAccounts ?? [];
  const account = part(stack.account);
  return {
    account: account.literal === undefined && excluded.length > 0 ? { ...account, excludes: excluded } : account,
    region: part(stack.region),
  };
}

/** Two literals compare; a literal an unresolved part excludes differs; two unresolved values are the same only within one environment group. */
export function relatePart(a: EnvPart, b: EnvPart): EnvRelation {
  if (a.literal !== undefined && b.literal !== undefined) return a.literal === b.literal ? 'same' : 'different';
  if ((a.literal !== undefined && b.excludes?.includes(a.literal)) || (b.literal !== undefined && a.excludes?.includes(b.literal))) return 'different';
  if (a.literal === undefined && b.literal === undefined && a.group === b.group) return 'same';
  return 'unknown';
}

/** Combines per-dimension relations: any difference wins, then any unknown. */
export function combineRelations(rs: readonly EnvRelation[]): EnvRelation {
  if (rs.includes('different')) return 'different';
  return rs.includes('unknown') ? 'unknown' : 'same';
}

/** Whether two resources or stacks are in the same account and region. */
export function sameEnvironment(a: IConstruct, b: IConstruct): EnvRelation {
  const ea = environmentOf(a);
  const eb = environmentOf(b);
  return combineRelations([relatePart(ea.account, eb.account), relatePart(ea.region, eb.region)]);
}

/** `account/region` for messages; an unresolved part shows as its pseudo parameter. */
export function describeEnvironment(from: IConstruct): string {
  const e = environmentOf(from);
  return `${e.account.literal ?? '${AWS::AccountId}'}/${e.region.literal ?? '${AWS::Region}'}`;
}

/**
 * Where an ARN string points relative to a resource: its region and account fields compared with the
 * resource's environment. `${AWS::Region}` / `${AWS::AccountId}` placeholders are the resource's own
 * (the ARN is resolved in its stack); an empty field (a global resource) does not count; anything else
 * that is not a plain value cannot be compared.
 */
export function arnEnvironment(from: IConstruct, arn: string): EnvRelation {
  // Placeholders hold '::', so they are swapped for markers before the ARN is split into its fields.
  const parts = arn.replace(/\$\{AWS::Region\}/g, '\u0001region').replace(/\$\{AWS::AccountId\}/g, '\u0001account')
    .replace(/\$\{AWS::Partition\}/g, 'aws').split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return 'unknown';
  const own = environmentOf(from);
  const field = (value: string, placeholder: string, mine: EnvPart): EnvRelation => {
    if (value === '' || value === placeholder) return 'same';
    if (value.includes('${') || value.includes('\u0001') || value.includes('*')) return 'unknown';
    return relatePart({ literal: value, group: mine.group }, mine);
  };
  return combineRelations([field(parts[3], '\u0001region', own.region), field(parts[4], '\u0001account', own.account)]);
}
