import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EVIDENCE_FILE_NAME, EVIDENCE_SCHEMA, buildEvidence, readEvidence, writeEvidence } from '../../lib/nag/evidence';
import { BREACH_LESSONS_RULES } from '../../lib/nag/rules';

/** The evidence file the pack leaves in the cloud assembly for `report`: what it holds, and each way a file handed to `report` can be wrong. */
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-evidence-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('buildEvidence and writeEvidence', () => {
  test('every rule with its controls, level and text; the findings; the time; written as indented JSON ending in a newline, folders created', () => {
    const e = buildEvidence([], new Date('2026-12-04T10:00:00Z'));
    expect(e).toMatchObject({ schema: 'cdk-hardening/evidence@1', generatedAt: '2026-12-04T10:00:00.000Z', pack: 'BreachLessons', findings: [] });
    expect(e.rules).toHaveLength(BREACH_LESSONS_RULES.length);
    expect(e.rules[0]).toEqual({ id: BREACH_LESSONS_RULES[0].id, controlIds: BREACH_LESSONS_RULES[0].controlIds, level: BREACH_LESSONS_RULES[0].level, info: BREACH_LESSONS_RULES[0].info });
    const file = writeEvidence(path.join(dir, 'cdk.out', 'nested'), e);
    expect(file).toBe(path.join(dir, 'cdk.out', 'nested', EVIDENCE_FILE_NAME));
    expect(EVIDENCE_FILE_NAME).toBe('breach-lessons-evidence.json');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(e, null, 2)}\n`);
    expect(readEvidence(file)).toEqual(e);
  });
});

describe('readEvidence: a file report cannot use is named with what is wrong', () => {
  const write = (text: string) => { const f = path.join(dir, 'e.json'); fs.writeFileSync(f, text); return f; };
  test('missing, or no JSON', () => {
    const missing = path.join(dir, 'none.json');
    expect(() => readEvidence(missing)).toThrow(new RegExp(`^cannot read evidence file '${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': ENOENT`));
    expect(() => readEvidence(write('{nope'))).toThrow(/^cannot read evidence file '.*e\.json': .*JSON/);
  });
  test('another schema, or none', () => {
    expect(() => readEvidence(write('{"schema":"cdk-hardening/evidence@2","findings":[],"rules":[]}'))).toThrow(`evidence file '${path.join(dir, 'e.json')}' has schema 'cdk-hardening/evidence@2', expected '${EVIDENCE_SCHEMA}'`);
    expect(() => readEvidence(write('null'))).toThrow("has schema 'undefined', expected");
    expect(() => readEvidence(write('{}'))).toThrow("has schema 'undefined', expected");
  });
  test('no findings list, or no rules list', () => {
    for (const body of ['{"rules":[]}', '{"findings":[]}', '{"findings":{},"rules":[]}', '{"findings":[],"rules":"x"}']) {
      expect(() => readEvidence(write(`{"schema":"${EVIDENCE_SCHEMA}",${body.slice(1)}`))).toThrow(`evidence file '${path.join(dir, 'e.json')}' has no findings or rules list`);
    }
  });
});
