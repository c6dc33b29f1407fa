import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cloudAssemblyStacks, cloudAssemblyTemplates, parseEnvironment } from '../../lib/template/assembly';

/**
 * Reading a cloud assembly (cdk.out) as `check` and `report` do: which stacks its manifest lists, and the
 * account and region each is for (the pseudo parameters a rule may resolve with).
 */
describe('parseEnvironment: the literal account and region of aws://<account>/<region>', () => {
  test('a literal account and region are both kept', () => {
    expect(parseEnvironment('aws://111122223333/eu-west-1')).toEqual({ account: '111122223333', region: 'eu-west-1' });
    expect(parseEnvironment('aws://111122223333/us-gov-west-1')).toEqual({ account: '111122223333', region: 'us-gov-west-1' });
  });
  test('an environment-agnostic stack (unknown-account, unknown-region) fixes neither', () => {
    expect(parseEnvironment('aws://unknown-account/unknown-region')).toEqual({});
    expect(parseEnvironment('aws://unknown-account/eu-west-1')).toEqual({ region: 'eu-west-1' });
    expect(parseEnvironment('aws://111122223333/unknown-region')).toEqual({ account: '111122223333' });
  });
  test('an account that is not exactly twelve digits is not an account', () => {
    for (const a of ['11112222333', '1111222233334', 'x111122223333', '111122223333x', 'abcdabcdabcd', '1']) {
      expect([a, parseEnvironment(`aws://${a}/eu-west-1`)]).toEqual([a, { region: 'eu-west-1' }]);
    }
  });
  test('a region with anything but lowercase letters, digits and hyphens (a token, a typo) is not a region', () => {
    for (const r of ['${Token[AWS.Region.1]}', 'EU-WEST-1', 'eu west 1', 'eu-west-1/']) {
      expect([r, parseEnvironment(`aws://111122223333/${r}`)]).toEqual([r, { account: '111122223333' }]);
    }
    // one character is a region as far as the form goes
    expect(parseEnvironment('aws://111122223333/x')).toEqual({ account: '111122223333', region: 'x' });
  });
  test('anything not of the form aws://<account>/<region> fixes nothing', () => {
    for (const e of [undefined, 42, { account: '111122223333' }, '', 'aws://111122223333', 'aws:///eu-west-1',
      'xaws://111122223333/eu-west-1', 'aws://111122223333/eu-west-1/extra', 'aws://1111/2222/eu-west-1', 'https://111122223333/eu-west-1']) {
      const got = parseEnvironment(e);
      // A trailing segment or a path in the account makes the account or region unreadable, never a different one.
      expect(got.account === undefined || got.account === '111122223333').toBe(true);
      if (typeof e !== 'string' || !e.startsWith('aws://')) expect([e, got]).toEqual([e, {}]);
    }
    expect(parseEnvironment('aws://111122223333/eu-west-1/extra')).toEqual({ account: '111122223333' });
    // a list holding the string (JSON a hand-edited manifest could hold) is not the string; nor is a value running past a line break
    expect(parseEnvironment(['aws://111122223333/eu-west-1'])).toEqual({});
    expect(parseEnvironment('aws://111122223333/eu-west-1\nus-east-1')).toEqual({});
    expect(parseEnvironment('aws://1111/2222/eu-west-1')).toEqual({});
  });
});

describe('cloudAssemblyStacks: the stacks a manifest lists', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-asm-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const manifest = (dir: string, artifacts: unknown) => fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));

  test('a directory without manifest.json is no cloud assembly', () => {
    expect(cloudAssemblyStacks(root)).toBeUndefined();
    expect(cloudAssemblyTemplates(root)).toBeUndefined();
  });
  test('a manifest that is no object, or lists no artifacts object, is no cloud assembly', () => {
    for (const text of ['null', '[]', '"x"', '{}', '{"artifacts":null}', '{"artifacts":"x"}']) {
      fs.writeFileSync(path.join(root, 'manifest.json'), text);
      expect([text, cloudAssemblyStacks(root)]).toEqual([text, undefined]);
    }
  });
  test('each stack with its template file and environment, sorted by file; other artifacts and malformed entries are not stacks', () => {
    manifest(root, {
      Zeta: { type: 'aws:cloudformation:stack', environment: 'aws://111122223333/eu-west-1', properties: { templateFile: 'Zeta.template.json' } },
      Alpha: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Alpha.template.json' } },
      Mid: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Mid.template.json' } },
      NoFile: { type: 'aws:cloudformation:stack', properties: {} },
      NoProps: { type: 'aws:cloudformation:stack' },
      FileNotString: { type: 'aws:cloudformation:stack', properties: { templateFile: 7 } },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json', templateFile: 'Tree.template.json', directoryName: 'x' } },
      Untyped: { properties: { templateFile: 'Untyped.template.json' } },
      Empty: null,
    });
    expect(cloudAssemblyStacks(root)).toEqual([
      { templateFile: path.join(root, 'Alpha.template.json'), environment: {} },
      { templateFile: path.join(root, 'Mid.template.json'), environment: {} },
      { templateFile: path.join(root, 'Zeta.template.json'), environment: { account: '111122223333', region: 'eu-west-1' } },
    ]);
    expect(cloudAssemblyTemplates(root)).toEqual(['Alpha', 'Mid', 'Zeta'].map((n) => path.join(root, `${n}.template.json`)));
  });
  test('a nested assembly (a stage) adds its stacks; an assembly entry without a directory name is skipped', () => {
    fs.mkdirSync(path.join(root, 'assembly-Prod'));
    manifest(root, {
      B: { type: 'aws:cloudformation:stack', properties: { templateFile: 'B.template.json' } },
      Prod: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
      NoDir: { type: 'cdk:cloud-assembly', properties: {} },
      NoProps: { type: 'cdk:cloud-assembly' },
    });
    manifest(path.join(root, 'assembly-Prod'), { A: { type: 'aws:cloudformation:stack', environment: 'aws://444455556666/us-east-1', properties: { templateFile: 'A.template.json' } } });
    expect(cloudAssemblyStacks(root)).toEqual([
      { templateFile: path.join(root, 'B.template.json'), environment: {} },
      { templateFile: path.join(root, 'assembly-Prod', 'A.template.json'), environment: { account: '444455556666', region: 'us-east-1' } },
    ]);
  });
  test('stacks come sorted by file whatever the manifest order, equal names kept', () => {
    manifest(root, Object.fromEntries(['c', 'a', 'd', 'b', 'a'].map((n, i) => [`S${i}`, { type: 'aws:cloudformation:stack', properties: { templateFile: `${n}.template.json` } }])));
    expect(cloudAssemblyTemplates(root)!.map((f) => path.basename(f))).toEqual(['a', 'a', 'b', 'c', 'd'].map((n) => `${n}.template.json`));
  });
});
