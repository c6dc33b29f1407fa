import * as path from 'path';
import { Finding, finding } from '../../lib/findings';
import { renderText } from '../../lib/report/text';
import { FIXED_NOW, run } from '../report/fake-io';

const WARNING_ONLY = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'gate', 'warning-only.json'));

describe('check --fail-on: the pack\'s words and default', () => {
  it('a template with only a warning-level FAIL exits 1 by default and at --fail-on warning, 0 at --fail-on error', async () => {
    expect((await run(['check', WARNING_ONLY])).code).toBe(1);
    expect((await run(['check', WARNING_ONLY, '--fail-on', 'warning'])).code).toBe(1);
    expect((await run(['check', WARNING_ONLY, '--fail-on', 'error'])).code).toBe(0);
    expect((await run(['check', WARNING_ONLY, '--fail-on', 'never'])).code).toBe(0);
  });

  it('fails when --fail-on is not a level, naming the value (usage error, exit 2)', async () => {
    const r = await run(['check', WARNING_ONLY, '--fail-on', 'warnings']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'warnings'/);
  });

  it('the text output shows the level of each finding, counts per level and status, and the verdict', async () => {
    const r = await run(['check', WARNING_ONLY]);
    expect(r.stdout).toMatch(new RegExp(`^FAIL {9}warning DATA-ROTATION {6}BreachLessons-KMSKeyRotation  ${WARNING_ONLY.replace(/[.]/g, '\\.')}#LedgerKey$`, 'm'));
    expect(r.stdout).toMatch(/^PASS {9}error {3}/m);
    expect(r.stdout).toMatch(/^error: {3}\d+ passed, 0 failed, 0 could not be evaluated, 0 acknowledged$/m);
    expect(r.stdout).toMatch(/^warning: \d+ passed, 1 failed, 0 could not be evaluated, 0 acknowledged$/m);
    expect(r.stdout).toContain('FAILS at --fail-on warning: 1 finding (0 error, 1 warning)');
    const lenient = await run(['check', WARNING_ONLY, '--fail-on', 'error']);
    expect(lenient.stdout).toContain('passes at --fail-on error: 1 failed finding below the threshold');
  });
});

describe('renderText', () => {
  const f = (status: Finding['status'], severity: Finding['severity'], id: string): Finding => finding({
    ruleId: 'BreachLessons-KMSKeyRotation', controlId: 'DATA-ROTATION', source: 'template', status, severity,
    resource: { id }, message: `${status} ${severity}`,
  });
  const findings = [f('PASS', 'error', 'a'), f('FAIL', 'warning', 'b'), f('ERROR', 'warning', 'c'), f('FAIL', 'error', 'd')];

  it('counts per level and per status, and an ERROR fails at every level', () => {
    const text = renderText(findings, { title: 't', generatedAt: FIXED_NOW, toolVersion: '0', failOn: 'never' });
    expect(text).toContain('error:   1 passed, 1 failed, 0 could not be evaluated, 0 acknowledged\n');
    expect(text).toContain('warning: 0 passed, 1 failed, 1 could not be evaluated, 0 acknowledged\n');
    expect(text).toContain('FAILS at --fail-on never: 1 finding (0 error, 1 warning); 2 below the threshold\n');
    expect(text.endsWith('1 passed, 2 failed, 1 could not be evaluated, 0 acknowledged\n')).toBe(true);
  });

  it('states no verdict when no level is given', () => {
    expect(renderText(findings, { title: 't', generatedAt: FIXED_NOW, toolVersion: '0' })).not.toMatch(/at --fail-on/);
  });
});
