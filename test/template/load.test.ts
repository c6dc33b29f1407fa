import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TemplateError, expandTemplatePaths, loadTemplate, validateTemplate } from '../../lib/template/load';
import { parseCfnYaml } from '../../lib/template/yaml';

// readFileSync is the real one, wrapped so a test can count the reads.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

describe('parseCfnYaml', () => {
  it('turns every short form into its JSON intrinsic', () => {
    const doc = parseCfnYaml([
      'A: !Ref Param',
      'B: !GetAtt Res.Outputs.Arn',
      'C: !GetAtt [Res, Arn]',
      'D: !Sub "${AWS::StackName}-x"',
      'E: !Sub ["${X}", {X: !Ref Y}]',
      'F: !Join ["", [!Ref A, b]]',
      'G: !If [Cond, !Ref AWS::NoValue, 1]',
      'H: !Equals [!Ref Env, prod]',
      'I: !Select [0, !GetAZs ""]',
      'J: !FindInMap [M, !Ref AWS::Region, Ami]',
      'K: !Base64 hello',
      'L: !ImportValue shared-vpc',
      'M: !Condition IsProd',
      'N: !Transform {Name: AWS::Include, Parameters: {Location: s3://x}}',
      'O: !Cidr [10.0.0.0/16, 4, 8]',
      'P: 2012-10-17',
    ].join('\n'));
    expect(doc).toEqual({
      A: { Ref: 'Param' },
      B: { 'Fn::GetAtt': ['Res', 'Outputs.Arn'] },
      C: { 'Fn::GetAtt': ['Res', 'Arn'] },
      D: { 'Fn::Sub': '${AWS::StackName}-x' },
      E: { 'Fn::Sub': ['${X}', { X: { Ref: 'Y' } }] },
      F: { 'Fn::Join': ['', [{ Ref: 'A' }, 'b']] },
      G: { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, 1] },
      H: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      I: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      J: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Ami'] },
      K: { 'Fn::Base64': 'hello' },
      L: { 'Fn::ImportValue': 'shared-vpc' },
      M: { Condition: 'IsProd' },
      N: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://x' } } },
      O: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      P: '2012-10-17',
    });
  });

  it('fails on an unknown tag and on a duplicate key, with the position', () => {
    expect(() => parseCfnYaml('a: !Nope x')).toThrow('invalid YAML at line 1, column 4: Unresolved tag: !Nope');
    expect(() => parseCfnYaml('a: 1\na: 2\n')).toThrow(/invalid YAML at line 2, column 1: Map keys must be unique/);
  });
});

describe('validateTemplate', () => {
  it.each([
    [[], 'f: not a CloudFormation template: the document is a list, not an object'],
    ['text', 'f: not a CloudFormation template: the document is "text", not an object'],
    [{ Resources: [] }, 'f: Resources must be an object, got []'],
    [{ Resources: {} }, 'f: Resources is empty'],
    [{ Resources: { 'my-bucket': { Type: 'AWS::S3::Bucket' } } }, "f: resource logical id 'my-bucket' is not alphanumeric"],
    [{ Resources: { B: 'x' } }, "f: resource 'B' must be an object, got \"x\""],
    [{ Resources: { B: { Type: 's3 bucket' } } }, "f: resource 'B' has an invalid Type \"s3 bucket\""],
    [{ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: [1] } } }, "f: resource 'B' Properties must be an object, got [1]"],
    [{ Resources: { B: { Type: 'AWS::S3::Bucket' } }, Parameters: [] }, 'f: Parameters must be an object, got []'],
  ])('rejects %j', (value, message) => {
    expect(() => validateTemplate('f', value)).toThrow(TemplateError);
    expect(() => validateTemplate('f', value)).toThrow(message);
  });

  it('accepts custom resources and any provider namespace', () => {
    expect(() => validateTemplate('f', { Resources: { A: { Type: 'Custom::Thing' }, B: { Type: 'AWS::S3::Bucket' } } })).not.toThrow();
  });
});

describe('loadTemplate and expandTemplatePaths', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-load-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads JSON in a .yaml file and finds logical id lines', () => {
    const f = path.join(dir, 'a.yaml');
    fs.writeFileSync(f, '{\n "Resources": {\n  "B": {\n   "Type": "AWS::S3::Bucket"\n  }\n }\n}\n');
    const t = loadTemplate(f);
    expect(t.format).toBe('json');
    expect(t.lineOf('B')).toBe(3);
    expect(t.lineOf('Nope')).toBeUndefined();
  });

  it('names an unreadable path', () => {
    expect(() => loadTemplate(dir)).toThrow(`${dir}: cannot read:`);
  });

  it('expands a directory in name order, skipping non-template JSON', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'd-'));
    fs.writeFileSync(path.join(sub, 'b.yml'), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    fs.writeFileSync(path.join(sub, 'a.template.json'), '{"Resources":{"A":{"Type":"AWS::S3::Bucket"}}}');
    fs.writeFileSync(path.join(sub, 'tree.json'), '{"version":"tree-0.1"}');
    fs.writeFileSync(path.join(sub, 'notes.txt'), 'not yaml: [');
    const { loaded, skipped } = expandTemplatePaths([sub]);
    expect(loaded.map((t) => path.basename(t.path))).toEqual(['a.template.json', 'b.yml']);
    expect(skipped.map((s) => path.basename(s))).toEqual(['tree.json']);
  });

  it('reads and parses each file of a directory once', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'f-'));
    fs.writeFileSync(path.join(sub, 'a.template.json'), '{"Resources":{"A":{"Type":"AWS::S3::Bucket"}}}');
    fs.writeFileSync(path.join(sub, 'b.yaml'), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    const read = fs.readFileSync as unknown as jest.Mock;
    read.mockClear();
    expect(expandTemplatePaths([sub]).loaded).toHaveLength(2);
    const files = read.mock.calls.map((c) => path.basename(String(c[0])));
    expect(files.sort()).toEqual(['a.template.json', 'b.yaml']);
  });

  it('never skips a *.template.json that is not a template', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'e-'));
    fs.writeFileSync(path.join(sub, 'x.template.json'), '{"Outputs":{}}');
    expect(() => expandTemplatePaths([sub])).toThrow('x.template.json: not a CloudFormation template: no Resources section');
  });
});

describe('cloud assembly directories', () => {
  it('are expanded to the templates the manifest lists, nested assemblies included', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-asm-'));
    const nested = path.join(root, 'assembly-Prod');
    fs.mkdirSync(nested);
    const tpl = '{"Resources":{"A":{"Type":"AWS::S3::Bucket"}}}';
    fs.writeFileSync(path.join(root, 'Top.template.json'), tpl);
    fs.writeFileSync(path.join(root, 'Unlisted.template.json'), tpl);
    fs.writeFileSync(path.join(nested, 'ProdData.template.json'), tpl);
    fs.writeFileSync(path.join(root, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: {
      Top: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Top.template.json' } },
      Prod: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    } }));
    fs.writeFileSync(path.join(nested, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: {
      ProdData: { type: 'aws:cloudformation:stack', properties: { templateFile: 'ProdData.template.json' } },
    } }));
    const { loaded, skipped } = expandTemplatePaths([root]);
    expect(loaded.map((t) => path.relative(root, t.path))).toEqual(['Top.template.json', path.join('assembly-Prod', 'ProdData.template.json')]);
    expect(skipped).toEqual([]);
    // A nested assembly that cannot be read is an error naming it, not a stage without stacks.
    fs.rmSync(path.join(nested, 'manifest.json'));
    expect(() => expandTemplatePaths([root])).toThrow(`${nested}: nested cloud assembly listed in the manifest has no readable manifest.json`);
    fs.writeFileSync(path.join(root, 'manifest.json'), '{"artifacts":{}}');
    expect(() => expandTemplatePaths([root])).toThrow(`${root}: cloud assembly lists no stack template`);
    fs.writeFileSync(path.join(root, 'manifest.json'), '{nope');
    expect(() => expandTemplatePaths([root])).toThrow(`${path.join(root, 'manifest.json')}: invalid cloud assembly manifest`);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
