import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { RefTarget, ResourceIndex, describeEnvironment, sameEnvironment } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, compliantIf, list, obj, str } from '../common';
import { isClusterMember } from '../ec2/network';
import { BACKUP_TYPES } from './stateful';

/** Whether a selection covers a resource: yes, no, or cannot be known (the reason). */
type Covers = { readonly is: 'yes' | 'no' } | { readonly is: 'unknown'; readonly why: string };
const YES: Covers = { is: 'yes' };
const NO: Covers = { is: 'no' };
const unknown = (why: string): Covers => ({ is: 'unknown', why });

/** Three-valued OR / AND over lazily computed parts. */
function any(parts: Array<() => Covers>): Covers {
  let u: Covers | undefined;
  for (const p of parts) {
    const c = p();
    if (c.is === 'yes') return YES;
    if (c.is === 'unknown') u ??= c;
  }
  return u ?? NO;
}
function all(parts: Array<() => Covers>): Covers {
  let u: Covers | undefined;
  for (const p of parts) {
    const c = p();
    if (c.is === 'no') return NO;
    if (c.is === 'unknown') u ??= c;
  }
  return u ?? YES;
}
const not = (c: Covers): Covers => (c.is === 'unknown' ? c : c.is === 'yes' ? NO : YES);

/** CloudFormation's CannotVerify as a three-valued "unknown". */
function guard(f: () => Covers): Covers {
  try {
    return f();
  } catch (e) {
    if (e instanceof CannotVerify) return unknown(e.message);
    throw e;
  }
}

/** A part of a resource's ARN the template cannot know: a generated name or id, an unresolved region or account. */
const HOLE = Symbol('unknown ARN part');
type ArnPart = string | typeof HOLE;

/** The resource's ARN as literal text and holes. RDS identifiers appear in lower case; the partition of an unresolved or unknown region is a hole. */
function arnTemplate(ix: ResourceIndex, node: CfnResource): ArnPart[] {
  const stack = Stack.of(node);
  const lit = (v: unknown): ArnPart => (typeof v === 'string' && !Token.isUnresolved(v) ? v : HOLE);
  const region = lit(stack.region);
  const account = lit(stack.account);
  const partition: ArnPart = (typeof region === 'string' ? RegionInfo.get(region).partition : undefined) ?? HOLE;
  const p = ix.props(node);
  const lower = (v: ArnPart): ArnPart => (typeof v === 'string' ? v.toLowerCase() : v);
  const regional = (service: string, ...resource: ArnPart[]): ArnPart[] => ['arn:', partition, `:${service}:`, region, ':', account, ':', ...resource];
  switch (node.cfnResourceType) {
    case 'AWS::S3::Bucket': return ['arn:', partition, ':s3:::', lit(p.BucketName)];
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': return regional('dynamodb', 'table/', lit(p.TableName));
    case 'AWS::RDS::DBInstance': return regional('rds', 'db:', lower(lit(p.DBInstanceIdentifier)));
    case 'AWS::RDS::DBCluster': return regional('rds', 'cluster:', lower(lit(p.DBClusterIdentifier)));
    case 'AWS::EC2::Volume': return regional('ec2', 'volume/', HOLE);
    default: return regional('elasticfilesystem', 'file-system/', HOLE);
  }
}

/** The template for messages, a hole shown as `?`. */
const describeArn = (symbols: ArnPart[]): string => symbols.map((x) => (x === HOLE ? '?' : x)).join('');

/** The template as a sequence of characters and holes. */
const arnSymbols = (t: ArnPart[]): ArnPart[] => t.flatMap((x): ArnPart[] => (x === HOLE ? [HOLE] : x.split('')));

/**
 * Whether an ARN pattern (`*` = any run, everything else literal) matches every ARN the template
 * stands for: sure only when each hole falls inside a run matched by a single `*`.
 */
function matchesEvery(pattern: string, t: ArnPart[]): boolean {
  const seen = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (t.length + 1) + j;
    let r = seen.get(k);
    if (r !== undefined) return r;
    if (i === pattern.length) r = j === t.length;
    else if (pattern[i] === '*') r = go(i + 1, j) || (j < t.length && go(i, j + 1));
    else r = j < t.length && t[j] === pattern[i] && go(i + 1, j + 1);
    seen.set(k, r);
    return r;
  };
  return go(0, 0);
}

/**
 * Whether an ARN pattern matches at least one ARN the template stands for. A hole is non-empty text
 * without `:` or `/` (a region, an account, a bucket or table name, an RDS identifier, a volume or file system id).
 */
function matchesSome(pattern: string, t: ArnPart[]): boolean {
  // The template as a glob: a hole is one character followed by any run, neither holding a separator.
  const g: Array<string | 'ONE' | 'ANY'> = t.flatMap((x): Array<string | 'ONE' | 'ANY'> => (x === HOLE ? ['ONE', 'ANY'] : [x]));
  const inHole = (c: string): boolean => c !== ':' && c !== '/';
  const seen = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (g.length + 1) + j;
    let r = seen.get(k);
    if (r !== undefined) return r;
    if (i === pattern.length && j === g.length) r = true;
    else if (i < pattern.length && pattern[i] === '*') r = go(i + 1, j) || (j < g.length && go(i, j + 1));
    else if (j < g.length && g[j] === 'ANY') r = go(i, j + 1) || (i < pattern.length && inHole(pattern[i]) && go(i + 1, j));
    else r = i < pattern.length && j < g.length && (g[j] === 'ONE' ? inHole(pattern[i]) : g[j] === pattern[i]) && go(i + 1, j + 1);
    seen.set(k, r);
    return r;
  };
  return go(0, 0);
}

/** The resource's tags as a map (throws CannotVerify when they are unresolved). */
function tagsOf(ix: ResourceIndex, node: CfnResource): Map<string, string> {
  return ix.memo(`backupTags:${node.node.addr}`, () => {
    const p = ix.props(node);
    const raw = node.cfnResourceType === 'AWS::EFS::FileSystem' ? p.FileSystemTags : p.Tags;
    return new Map(list(raw, 'Tags').map((t) => {
      const o = obj(t, 'tag')!;
      return [String(str(o.Key, 'tag Key')), String(str(o.Value, 'tag Value'))] as [string, string];
    }));
  });
}

/** A Resources / NotResources entry, dereferenced once: a resource of the app, a literal ARN, or unresolved. */
type Entry = RefTarget & { readonly raw: unknown };

/** A backup selection read once per validation (its parts that cannot be read become "unknown"). */
interface ParsedSelection {
  readonly sel: CfnResource;
  readonly body: Covers | { readonly is: 'ok'; readonly s: Record<string, unknown>; readonly resources: Entry[]; readonly notResources: Entry[] };
}

/** Every backup selection of the app, parsed once per validation. */
function coverage(ix: ResourceIndex): ParsedSelection[] {
  return ix.memo('backupCoverage', () => ix.ofType('AWS::Backup::BackupSelection').map((sel) => {
    try {
      const s = obj(ix.props(sel).BackupSelection, 'BackupSelection') ?? {};
      const entries = (v: unknown, what: string): Entry[] => list(v, what).map((r) => ({ ...ix.deref(sel, r), raw: r }));
      return { sel, body: { is: 'ok' as const, s, resources: entries(s.Resources, 'Resources'), notResources: entries(s.NotResources, 'NotResources') } };
    } catch (e) {
      if (e instanceof CannotVerify) return { sel, body: unknown(e.message) };
      throw e;
    }
  }));
}

/** Whether an ARN entry of Resources / NotResources designates the resource. */
function arnDesignates(ix: ResourceIndex, node: CfnResource, t: Entry, field: string): Covers {
  if (t.kind === 'resource') return t.node === node ? YES : NO;
  if (t.kind === 'literal') {
    // AWS Backup matches the whole ARN, `*` standing for any run: a pattern covers the resource when it
    // matches every ARN the resource can have, not when it merely names the resource's service.
    const arn = arnSymbols(arnTemplate(ix, node));
    if (matchesEvery(t.value, arn)) return YES;
    if (!t.value.includes('*')) return NO;
    if (!matchesSome(t.value, arn)) return NO;
    return unknown(`cannot verify the backup selection ${field} entry ${t.value}: the ARN of the resource (${describeArn(arn)}) is not known in full`);
  }
  return unknown(`cannot verify the backup selection ${field} entry: unresolved value ${JSON.stringify(t.raw)}`);
}

/** `*` (any run) and `?` (one character) matching, as StringLike does. */
function like(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(value);
}

const OPERATORS: Readonly<Record<string, (tag: string, value: string) => boolean>> = {
  StringEquals: (t, v) => t === v,
  StringNotEquals: (t, v) => t !== v,
  StringLike: (t, v) => like(v, t),
  StringNotLike: (t, v) => !like(v, t),
};

/**
 * Whether every condition of a selection's `Conditions` holds for the resource (AND). A condition on a
 * tag the resource does not carry does not hold, negated operators included ("resources that you
 * tagged"): an absent tag never counts as coverage.
 */
function conditionsHold(ix: ResourceIndex, node: CfnResource, conditions: unknown): Covers {
  const c = obj(conditions, 'backup selection Conditions');
  if (!c) return YES;
  const checks: Array<() => Covers> = [];
  for (const [op, entries] of Object.entries(c)) {
    const test = OPERATORS[op];
    if (!test) return unknown(`cannot verify backup selection condition operator ${op}`);
    for (const e of list(entries, `Conditions ${op}`)) {
      checks.push(() => guard(() => {
        const o = obj(e, `Conditions ${op} entry`)!;
        const key = String(str(o.ConditionKey, 'ConditionKey'));
        const value = String(str(o.ConditionValue, 'ConditionValue'));
        const m = /^aws:ResourceTag\/(.+)$/.exec(key);
        if (!m) return unknown(`cannot verify backup selection condition key ${key}`);
        const tag = tagsOf(ix, node).get(m[1]);
        return tag !== undefined && test(tag, value) ? YES : NO;
      }));
    }
  }
  return all(checks);
}

/**
 * Whether one backup selection covers a resource, as AWS Backup assigns resources: selected by an ARN
 * of Resources or a tag of ListOfTags (OR), not excluded by NotResources, every Conditions entry
 * holding (AND), and in the selection's own account and region.
 */
function selectionCovers(ix: ResourceIndex, p: ParsedSelection, node: CfnResource): Covers {
  const sel = p.sel;
  return guard(() => {
    const where = sameEnvironment(sel, node);
    if (where === 'different') return NO;
    if (p.body.is !== 'ok') return p.body;
    const { s, resources, notResources } = p.body;
    const selected = any([
      ...resources.map((r) => () => arnDesignates(ix, node, r, 'Resources')),
      ...list(s.ListOfTags, 'ListOfTags').map((t) => () => guard(() => {
        const o = obj(t, 'ListOfTags entry')!;
        if (str(o.ConditionType, 'ConditionType') !== 'STRINGEQUALS') return NO;
        const tag = tagsOf(ix, node).get(String(str(o.ConditionKey, 'ConditionKey')));
        return tag !== undefined && tag === str(o.ConditionValue, 'ConditionValue') ? YES : NO;
      })),
    ]);
    if (selected.is === 'no') return NO;
    const excluded = any(notResources.map((r) => () => arnDesignates(ix, node, r, 'NotResources')));
    const covers = all([() => selected, () => not(excluded), () => conditionsHold(ix, node, s.Conditions)]);
    if (covers.is === 'yes' && where === 'unknown') {
      return unknown(`cannot verify that backup selection ${sel.node.path} (${describeEnvironment(sel)}) is in the account and region of the resource (${describeEnvironment(node)})`);
    }
    return covers;
  });
}

/** Stateful resources are covered by an AWS Backup selection (by resource, tag or wildcard ARN, less its exclusions). */
export function StatefulResourceBackedUp(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const c = any(coverage(ix).map((p) => () => selectionCovers(ix, p, node)));
  if (c.is === 'unknown') throw new CannotVerify(c.why);
  return compliantIf(c.is === 'yes');
}

export const StatefulResourceBackedUpMeta: RuleMetadata = {
  ruleName: 'StatefulResourceBackedUp',
  controlIds: ['BAK-VAULTLOCK'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: BACKUP_TYPES,
  info: 'No AWS Backup selection of the app covers the stateful resource.',
  explanation: 'Lesson L8 (recovery without paying): a resource outside every backup plan cannot be restored after ransomware encrypts or deletes it; paying becomes the only option.',
  fix: 'In a workload stack, add a WorkloadBaseline: it tags the PiiBucket and PiiTable stores of the stack and backs them up into a locked vault. Otherwise, two causes, one finding: if the resource does not carry the backup tag, tag it (Tags.of(resource).add(\'hardening:backup\', \'required\')) or add BackupResource.fromConstruct(resource) to a plan; if it already carries the tag, no plan of the app selects that tag: add a TaggedBackupPlan (it selects the tag) writing to a LockedBackupVault. Either way the plan must write to the locked vault.',
};
