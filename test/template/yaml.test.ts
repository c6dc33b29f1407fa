import { parseCfnYaml } from '../../lib/template/yaml';

/** parseCfnYaml on what hand-written CloudFormation YAML holds beyond the short forms (see load.test.ts). */
describe('parseCfnYaml', () => {
  test('!GetAtt without a dot names the resource alone; a leading dot leaves an empty resource name', () => {
    expect(parseCfnYaml('A: !GetAtt Res\nB: !GetAtt .Arn')).toEqual({ A: { 'Fn::GetAtt': ['Res'] }, B: { 'Fn::GetAtt': ['', 'Arn'] } });
  });
  test('a warning that is not an unresolved tag (an unknown directive) does not stop the template', () => {
    expect(parseCfnYaml('%FOO bar\n---\nA: 1\n')).toEqual({ A: 1 });
  });
  test('an error names its line and column once, with the first line of the parser\'s message only', () => {
    const dup = () => parseCfnYaml(`${'\n'.repeat(12)}a: 1\na: 2\n`);
    expect(dup).toThrow(/^invalid YAML at line 14, column 1: Map keys must be unique$/);
    expect(() => parseCfnYaml('a: !Nope x')).toThrow(/^invalid YAML at line 1, column 4: Unresolved tag: !Nope$/);
    expect(() => parseCfnYaml('Resources: !Nope x')).toThrow(/^invalid YAML at line 1, column 12: Unresolved tag: !Nope$/);
    expect(() => parseCfnYaml('a: "\\q"')).toThrow(/^invalid YAML at line 1, column 5: Invalid escape sequence \\q$/);
  });
  test('a template may reuse an anchor more than the YAML library allows by default (100 aliases)', () => {
    const text = ['Common: &tags {Key: team, Value: data}', ...Array.from({ length: 150 }, (_, i) => `R${i}: *tags`)].join('\n');
    const doc = parseCfnYaml(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toHaveLength(151);
    expect(doc.R149).toEqual({ Key: 'team', Value: 'data' });
  });
});
