import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config';
import { buildApp } from '../../lib/stacks/app';
import { cdkJsonContext } from '../helpers/app';
import { PINNED_FILE, pinTemplates, readPinned } from '../helpers/pinned';

/**
 * Account mode stays byte for byte as it was before organization mode existed (issue 13): the
 * templates bin/app.ts synthesizes from cdk.json are pinned by digest, with their stack files and
 * logical ids, so a change shows which stack and which logical id moved. `UPDATE_GOLDEN=1` rewrites
 * the pin — only for a deliberate change of account mode.
 */
describe('account mode is unchanged', () => {
  let outdir: string;
  let actual: ReturnType<typeof pinTemplates>;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'account-pinned-'));
    const context = cdkJsonContext();
    const app = new App({ context, outdir });
    buildApp(app, parseConfig(context));
    app.synth();
    actual = pinTemplates(outdir);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(PINNED_FILE), { recursive: true });
      writeFileSync(PINNED_FILE, `${JSON.stringify(actual, null, 2)}\n`);
    }
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('the same stack templates, nothing added', () => {
    expect(actual.map((t) => t.file)).toEqual(readPinned().map((t) => t.file));
    expect(actual.map((t) => t.file)).toEqual(expect.arrayContaining(['HardeningData.template.json', 'HardeningRecovery.template.json']));
  });

  test('the same logical ids and types in every template', () => {
    const pinned = new Map(readPinned().map((t) => [t.file, t.resources]));
    for (const t of actual) expect([t.file, t.resources]).toEqual([t.file, pinned.get(t.file)]);
  });

  test('byte-identical templates', () => {
    const pinned = new Map(readPinned().map((t) => [t.file, t.sha256]));
    for (const t of actual) expect([t.file, t.sha256]).toEqual([t.file, pinned.get(t.file)]);
  });
});
