import { CfnOutput, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
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

/** A value with nothing to resolve: a boolean, a number, or a string that holds no token. */
function isLiteral(v: unknown): boolean {
  return typeof v === 'boolean' || typeof v === 'number' || (typeof v === 'string' && !Token.isUnresolved(v));
}

/** A resolved primitive or list of primitives: CloudFormation rendering leaves it unchanged. */
function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

/** Unresolved property values by rendered Properties object (lazy renders only). */
const RAW = new WeakMap<object, Record<string, unknown>>();

// Placeholders look like intrinsics, which the generated validators and converters pass through untouched.
const PLACEHOLDERS = new Map<string, unknown>();
function placeholderFor(k: string): unknown {
  let p = PLACEHOLDERS.get(k);
  if (!p) PLACEHOLDERS.set(k, (p = { Ref: `BreachLessonsPlaceholder.${k}` }));
  return p;
}

/** CloudFormation name to camelCase name of each present property, cached per type and key set. */
const NAME_CACHE = new Map<string, [string, string][] | null>();
function cfnNames(n: L1Internals, type: string, present: string[], placeholders: Record<string, unknown>): [string, string][] | undefined {
  const cacheKey = `${type}\u0000${present.join(',')}`;
  let names = NAME_CACHE.get(cacheKey);
  if (names === undefined) {
    names = [];
    const shape = n.renderProperties(placeholders) ?? {};
    for (const [cfnKey, placeholder] of Object.entries(shape)) {
      if (placeholder === undefined) continue;
      const camelKey = present.find((k) => placeholders[k] === placeholder);
      if (camelKey === undefined) { names = null; break; }
      names.push([cfnKey, camelKey]);
    }
    NAME_CACHE.set(cacheKey, names);
  }
  return names ?? undefined;
}

/**
 * The resource with each property resolved on first read, or undefined when it carries raw
 * overrides (addOverride / addPropertyOverride), which only the full render applies faithfully.
 * CDK renders a resource by resolving its (camelCase) properties and then converting them to
 * CloudFormation names; this does the same one property at a time, with opaque placeholders for
 * the others so the property validators and converters see every key.
 */
function lazyRender(node: CfnResource): CfnJson | undefined {
  const n = node as unknown as L1Internals;
  if (n.rawOverrides && Object.keys(n.rawOverrides).length > 0) return undefined;
  const stack = Stack.of(node);
  const camel = n.cfnProperties ?? {};
  const present = Object.keys(camel).filter((k) => camel[k] !== undefined);
  const placeholders: Record<string, unknown> = {};
  for (const k of present) placeholders[k] = placeholderFor(k);
  const names = cfnNames(n, node.cfnResourceType, present, placeholders);
  if (!names) return undefined;
  const properties: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  RAW.set(properties, raw);
  for (const [cfnKey, camelKey] of names) {
    raw[cfnKey] = camel[camelKey];
    let done = false;
    let value: unknown;
    Object.defineProperty(properties, cfnKey, {
      enumerable: true,
      get() {
        if (!done) {
          const raw = camel[camelKey];
          const resolved = isLiteral(raw) ? raw : stack.resolve(raw);
          // Converters only rename the keys of nested structures: primitives and lists of them pass as they are.
          value = resolved === undefined || isPlain(resolved) ? resolved : n.renderProperties({ ...placeholders, [camelKey]: resolved })[cfnKey];
          done = true;
        }
        return value;
      },
    });
  }
  const o = node.cfnOptions;
  return {
    Type: node.cfnResourceType,
    Properties: properties,
    ...(o.deletionPolicy ? { DeletionPolicy: o.deletionPolicy } : {}),
    ...(o.updateReplacePolicy ? { UpdateReplacePolicy: o.updateReplacePolicy } : {}),
    ...(o.metadata && Object.keys(o.metadata).length > 0 ? { Metadata: stack.resolve(o.metadata) } : {}),
  };
}

/** Whether the resource will be in its template (an unattached iam.Policy, for one, is not). */
function synthesizes(node: CfnResource): boolean {
  return (node as unknown as { shouldSynthesize(): boolean }).shouldSynthesize();
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
        r = lazyRender(node) ?? fullRender(node);
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
    return props ? RAW.get(props)?.[cfnKey] : undefined;
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
        return this.deref(stack, stack.resolve(value));
      }
      return { kind: 'literal', value };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'unresolved', value };
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length !== 1) return { kind: 'unresolved', value };
    if (typeof o.Ref === 'string') {
      if (o.Ref.startsWith('AWS::')) return { kind: 'pseudo', name: o.Ref };
      return this.lookup(stack, o.Ref, undefined, value);
    }
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      return this.lookup(stack, getAtt[0], typeof getAtt[1] === 'string' ? getAtt[1] : undefined, value);
    }
    if (typeof getAtt === 'string') {
      const [id, ...attr] = getAtt.split('.');
      return this.lookup(stack, id, attr.join('.'), value);
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

  private lookup(stack: Stack, logicalId: string, attribute: string | undefined, value: unknown): RefTarget {
    this.logicalMaps();
    const node = this.byStackLogical.get(key(stack, logicalId)) ?? this.byLogical.get(logicalId) ?? undefined;
    return node ? { kind: 'resource', node, attribute } : { kind: 'unresolved', value };
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
