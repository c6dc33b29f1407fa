import { ScalarTag, CollectionTag, YAMLMap, YAMLSeq, parseDocument } from 'yaml';

/** CloudFormation intrinsic functions written as YAML short forms (`!Ref`, `!GetAtt`, `!Sub` ...). */
const FN_NAMES = [
  'And', 'Base64', 'Cidr', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'Equals', 'FindInMap', 'ForEach',
  'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or', 'RefAll', 'Select', 'Split', 'Sub',
  'ToJsonString', 'Transform', 'ValueOf', 'ValueOfAll',
];

function intrinsic(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function tagsFor(name: string): Array<ScalarTag | CollectionTag> {
  const tag = `!${name}`;
  return [
    { tag, resolve: (s: string) => intrinsic(name, s) } as ScalarTag,
    { tag, collection: 'seq', resolve: (seq) => intrinsic(name, (seq as YAMLSeq).toJSON()) } as CollectionTag,
    { tag, collection: 'map', resolve: (map) => intrinsic(name, (map as YAMLMap).toJSON()) } as CollectionTag,
  ];
}

export const CFN_YAML_TAGS: Array<ScalarTag | CollectionTag> = ['Ref', 'Condition', ...FN_NAMES].flatMap(tagsFor);

/**
 * Parses a CloudFormation YAML template into the JSON form (short forms become `Ref` / `Fn::*`).
 * Throws with the line and column of the first problem, including an unknown `!Tag`.
 */
export function parseCfnYaml(text: string): unknown {
  const doc = parseDocument(text, { customTags: CFN_YAML_TAGS, prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    const at = problem.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw new Error(`invalid YAML${where}: ${problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}
