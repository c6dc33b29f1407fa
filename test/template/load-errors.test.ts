import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TemplateError, expandTemplatePaths, loadTemplate, validateTemplate } from '../../lib/template/load';

// readFileSync is the real one, wrapped so a test can make one read fail.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

/**
 * What `check` says about a template it cannot take: each error names the file and what is wrong, and
 * what it reads of a good one (its format, the line of each resource for SARIF regions).
 */
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-load-errors-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => { const f = path.join(dir, name); fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, text); return f; };
const BUCKET = { Type: 'AWS::S3::Bucket' };
const messageOf = (f: () => unknown): string => {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(TemplateError); expect((e as Error).name).toBe('TemplateError'); return (e as Error).message; }
  throw new Error('expected a TemplateError');
};

describe('validateTemplate: every shape CloudFormation rejects is named', () => {
  test.each([
    ['a null document', null, 'f: not a CloudFormation template: the document is null, not an object'],
    ['Resources null', { Resources: null }, 'f: Resources must be an object, got null'],
    ['Resources a string', { Resources: 'x' }, 'f: Resources must be an object, got "x"'],
    ['a resource null', { Resources: { B: null } }, "f: resource 'B' must be an object, got null"],
    ['a resource a list', { Resources: { B: [BUCKET] } }, "f: resource 'B' must be an object, got [{\"Type\":\"AWS::S3::Bucket\"}]"],
    ['no Type', { Resources: { B: {} } }, "f: resource 'B' has no Type"],
    ['a Type in a list', { Resources: { B: { Type: ['AWS::S3::Bucket'] } } }, "f: resource 'B' has an invalid Type [\"AWS::S3::Bucket\"]"],
    ['text before the Type', { Resources: { B: { Type: 'x AWS::S3::Bucket' } } }, "f: resource 'B' has an invalid Type \"x AWS::S3::Bucket\""],
    ['text after the Type', { Resources: { B: { Type: 'AWS::S3::Bucket x' } } }, "f: resource 'B' has an invalid Type \"AWS::S3::Bucket x\""],
    ['Properties null', { Resources: { B: { ...BUCKET, Properties: null } } }, "f: resource 'B' Properties must be an object, got null"],
    ['Properties a string', { Resources: { B: { ...BUCKET, Properties: 'x' } } }, "f: resource 'B' Properties must be an object, got \"x\""],
    ['Conditions a list', { Resources: { B: BUCKET }, Conditions: [] }, 'f: Conditions must be an object, got []'],
    ['Mappings a string', { Resources: { B: BUCKET }, Mappings: 'x' }, 'f: Mappings must be an object, got "x"'],
    ['Outputs null', { Resources: { B: BUCKET }, Outputs: null }, 'f: Outputs must be an object, got null'],
  ])('%s', (_, value, message) => {
    expect(messageOf(() => validateTemplate('f', value))).toBe(message);
  });
});

describe('loadTemplate: reading and parsing one file', () => {
  test('a missing file, an empty or blank file', () => {
    expect(messageOf(() => loadTemplate(path.join(dir, 'nope.json')))).toBe(`${path.join(dir, 'nope.json')}: no such file`);
    for (const text of ['', ' \n\t\n']) expect(messageOf(() => loadTemplate(write('e.yaml', text)))).toBe(`${path.join(dir, 'e.yaml')}: empty file`);
  });
  test('invalid JSON names the line and column of the problem', () => {
    const f = write('t.json', '{\n  "Resources": {\n    "B": {"Type": "AWS::S3::Bucket",}\n  }\n}\n');
    expect(messageOf(() => loadTemplate(f))).toMatch(/: invalid JSON at line 3, column 37: .*position 55/);
  });
  test('a .json file is read as JSON whatever its content; a name ending in .yaml only before .json is no YAML name', () => {
    expect(messageOf(() => loadTemplate(write('t.json', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n')))).toMatch(/t\.json: invalid JSON: Unexpected token/);
    expect(messageOf(() => loadTemplate(write('t.yaml.json', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n')))).toContain('invalid JSON');
  });
  test('YAML errors name the file, the line and the column', () => {
    const f = write('t.yaml', 'Resources:\n  B: !Nope x\n');
    expect(messageOf(() => loadTemplate(f))).toBe(`${f}: invalid YAML at line 2, column 6: Unresolved tag: !Nope`);
  });
  test('the format: YAML for YAML; JSON for a .yaml file holding a JSON object, even after blank lines', () => {
    expect(loadTemplate(write('a.yml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n')).format).toBe('yaml');
    expect(loadTemplate(write('b.yaml', '\n\n  {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}\n')).format).toBe('json');
    // a YAML flow mapping is no JSON: read as YAML
    const flow = loadTemplate(write('c.yaml', '{Resources: {B: {Type: AWS::S3::Bucket}}}\n'));
    expect([flow.format, flow.template.Resources.B.Type]).toEqual(['yaml', 'AWS::S3::Bucket']);
  });
});

describe('lineOf: the line declaring each resource (SARIF regions)', () => {
  test('in JSON as JSON.stringify indents it, only under Resources (a parameter of the same name comes first)', () => {
    const t = loadTemplate(write('t.json', JSON.stringify({ Parameters: { B: { Type: 'String' } }, Resources: { A: BUCKET, B: BUCKET } }, null, 2)));
    // line 1 {, 2 "Parameters", 3 "B": {, ..., 7 "Resources": {, 8 "A": {, 11 "B": {
    expect([t.lineOf('A'), t.lineOf('B')]).toEqual([8, 11]);
    expect(t.lineOf('Parameters')).toBeUndefined();
  });
  test('in JSON with a long id, spaces before the colon or the brace', () => {
    const t = loadTemplate(write('t.json', '{\n"Resources" : {\n  "LongName1" :  {"Type": "AWS::S3::Bucket"},\n  "C":{"Type": "AWS::S3::Bucket"\n  }, "D": {"Type": "AWS::S3::Bucket"}\n}\n}\n'));
    // a resource that does not start its line has none (D follows the brace closing C)
    expect([t.lineOf('LongName1'), t.lineOf('C'), t.lineOf('D')]).toEqual([3, 4, undefined]);
  });
  test('in YAML, under Resources only (written with a space before its colon too), ids of any length', () => {
    const yaml = [
      'Parameters:', '  NumResources:', '    Type: Number', '  Bucket1:', '    Type: String',
      'Resources :', '  Bucket1:', '    Type: AWS::S3::Bucket', '  Q:', '    Type: AWS::SQS::Queue',
    ].join('\n');
    const t = loadTemplate(write('t.yaml', yaml));
    expect([t.lineOf('Bucket1'), t.lineOf('Q'), t.lineOf('NumResources')]).toEqual([7, 9, undefined]);
  });
  test('in YAML, a declaration with blanks before or after its colon; a key in a list item is none', () => {
    const yaml = ['Resources:', '  A :', '    Type: AWS::SNS::Topic', '    Properties:', '      Subscription:', '        - B:', '            x', '  B:   ', '    Type: AWS::S3::Bucket'].join('\n');
    const t = loadTemplate(write('t.yaml', yaml));
    expect([t.lineOf('A'), t.lineOf('B')]).toEqual([2, 8]);
  });
  test('a YAML id with a value on its line (a nested key) is not a resource declaration', () => {
    const t = loadTemplate(write('t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {}\n'));
    expect([t.lineOf('B'), t.lineOf('Type'), t.lineOf('Properties')]).toEqual([2, undefined, undefined]);
  });
});

describe('expandTemplatePaths: directories', () => {
  test('a path that does not exist is named', () => {
    expect(messageOf(() => expandTemplatePaths([path.join(dir, 'missing')]))).toBe(`${path.join(dir, 'missing')}: no such file or directory`);
  });
  test('templates in name order, whatever order they were written in; folders named like templates are passed over', () => {
    for (const n of ['c.json', 'a.yaml', 'b.yml']) write(n, '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}');
    fs.mkdirSync(path.join(dir, 'folder.json'));
    expect(expandTemplatePaths([dir]).loaded.map((t) => path.basename(t.path))).toEqual(['a.yaml', 'b.yml', 'c.json']);
  });
  test('JSON or YAML that is no template (a list, null, text, an object without Resources or a format version) is skipped', () => {
    write('t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    for (const [n, text] of [['list.json', '[1]'], ['null.json', 'null'], ['text.yaml', 'just text'], ['tree.json', '{"version":"tree-0.1"}'], ['x.template.json.yaml', 'a: 1']]) write(n, text);
    const { loaded, skipped } = expandTemplatePaths([dir]);
    expect(loaded.map((t) => path.basename(t.path))).toEqual(['t.yaml']);
    expect(skipped.map((s) => path.basename(s)).sort()).toEqual(['list.json', 'null.json', 'text.yaml', 'tree.json', 'x.template.json.yaml']);
  });
  test('a file with a format version but no Resources is a broken template, not one to skip', () => {
    write('t.json', '{"AWSTemplateFormatVersion":"2010-09-09"}');
    expect(messageOf(() => expandTemplatePaths([dir]))).toBe(`${path.join(dir, 't.json')}: not a CloudFormation template: no Resources section`);
  });
  test('a directory holding no template, only files that are none, is an error', () => {
    write('tree.json', '{"version":"tree-0.1"}');
    expect(messageOf(() => expandTemplatePaths([dir]))).toBe(`${dir}: directory holds no CloudFormation template (*.template.json, *.json, *.yaml, *.yml)`);
  });
  test('a file of a directory that cannot be read is named, with the reason', () => {
    const f = write('t.json', '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}');
    (fs.readFileSync as unknown as jest.Mock).mockImplementationOnce(() => { throw new Error('EACCES: permission denied'); });
    expect(messageOf(() => expandTemplatePaths([dir]))).toBe(`${f}: cannot read: EACCES: permission denied`);
  });
});
