import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { Finding, finding } from '../../lib/findings';
import { CONTROLS, LESSONS } from '../../lib/lessons';
import { buildReportModel, renderFindings, renderHtmlReport } from '../../lib/report';
import { run } from './fake-io';

const CHROMIUM = process.env.CDK_HARDENING_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const FINDINGS: Finding[] = [
  finding({ ruleId: 'BreachLessons-S3BucketCustomerManagedKey', controlId: 'DATA-CMK', source: 'synth', status: 'FAIL', severity: 'error',
    resource: { id: 'Data/Bucket/Resource', constructPath: 'Data/Bucket/Resource', template: 'Data.template.json', logicalId: 'BucketA' }, message: 'not a CMK <script>alert(1)</script>' }),
  finding({ ruleId: 'BreachLessons-KMSKeyRotation', controlId: 'DATA-ROTATION', source: 'synth', status: 'PASS', severity: 'error',
    resource: { id: 'Data/Key/Resource', template: 'Data.template.json', logicalId: 'KeyA' }, message: 'holds' }),
  finding({ ruleId: 'BreachLessons-S3BucketVersioning', controlId: 'BAK-RETAIN', source: 'synth', status: 'ACKNOWLEDGED', severity: 'warning',
    resource: { id: 'Data/Bucket/Resource', template: 'Data.template.json', logicalId: 'BucketA' }, message: 'no versions',
    acknowledgement: { reason: 'rebuilt nightly', owner: 'team@example.com', expires: '2099-01-01', expired: false } }),
  finding({ ruleId: 'guardduty-enabled', controlId: 'GD-ENABLED', source: 'live', status: 'ERROR', severity: 'error',
    resource: { id: 'guardduty', account: '111122223333', region: 'us-east-1' }, message: 'ListDetectors denied' }),
];

describe('html report in headless Chromium', () => {
  let browser: Browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-hardening-html-'));

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens without console errors or network requests, shows the matrix, and screenshots', async () => {
    const model = buildReportModel({ findings: FINDINGS, title: 'Evidence <test>', generatedAt: new Date('2026-06-01T00:00:00Z'), toolVersion: '1.0.0',
      warnings: ['no BreachLessons evidence in this test'] });
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderHtmlReport(model));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.goto(`file://${file}`, { waitUntil: 'load' });

    expect(await page.title()).toBe('Evidence <test>');
    const rows = await page.locator('#coverage-matrix tbody tr').count();
    expect(rows).toBe(LESSONS.length);
    const cells = page.locator('#coverage-matrix td.cell');
    expect(await cells.count()).toBe(CONTROLS.length);
    const cmk = page.locator('#coverage-matrix td.cell', { has: page.locator('a[href="#control-DATA-CMK"]') });
    expect(await cmk.getAttribute('class')).toBe('cell s-fail');
    expect(await cmk.innerText()).toContain('DATA-CMK');
    expect(await page.locator('#coverage-matrix td.cell', { has: page.locator('a[href="#control-GD-ENABLED"]') }).getAttribute('class')).toBe('cell s-error');
    expect(await page.locator('#coverage-matrix td.cell', { has: page.locator('a[href="#control-IAM-ROOT"]') }).innerText()).toContain('no evidence');
    expect(await page.locator('#control-DATA-CMK').isVisible()).toBe(true);
    expect(await page.locator('[role=alert]').innerText()).toContain('no BreachLessons evidence');
    expect(await page.locator('#clocks tbody tr').count()).toBe(6);
    // Colours really apply: a failing cell is red, a passing one green.
    const bg = await cmk.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(207, 34, 46)');

    const png = await page.screenshot({ fullPage: true, path: path.join(dir, 'report.png') });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('opens the report command\'s html for the fixture assembly cleanly', async () => {
    const fixtures = path.join(__dirname, '..', 'fixtures', 'report');
    const out = path.join(dir, 'assembly.html');
    const r = await run(['report', path.join(fixtures, 'assembly'), '--audit', path.join(fixtures, 'audit-results.json'), '--format', 'html', '--out', out]);
    expect(r.code).toBe(3);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${out}`, { waitUntil: 'load' });
    expect(await page.locator('#coverage-matrix td.cell').count()).toBe(CONTROLS.length);
    expect(await page.locator('#coverage-matrix td.s-fail').count()).toBe(6);
    expect(await page.locator('#framework-nydfs-500 tbody tr').count()).toBeGreaterThan(5);
    expect(await page.locator('#framework-nydfs-500 h3').innerText()).toContain('NYDFS 23 NYCRR');
    expect(await page.locator('#control-BAK-RETAIN').innerText()).toMatch(/loans-team@example\.com[\s\S]*expired/);
    // The print stylesheet applies and opens folded lists.
    await page.emulateMedia({ media: 'print' });
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('details:not([open])').count()).toBe(0);
    const shot = path.join(process.env.REPORT_SCREENSHOT_DIR ?? dir, 'assembly-report.png');
    await page.screenshot({ fullPage: true, path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('junit output is well-formed XML (browser DOMParser)', async () => {
    const xml = renderFindings('junit', FINDINGS, { title: 'x & <y>', generatedAt: new Date('2026-06-01T00:00:00Z'), toolVersion: '1' });
    const page = await browser.newPage();
    // A string expression: the test's TypeScript has no DOM types.
    const result = await page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
      return { error: doc.getElementsByTagName('parsererror').length, cases: doc.getElementsByTagName('testcase').length, name: doc.documentElement.getAttribute('name') };
    })()`);
    expect(result).toEqual({ error: 0, cases: CONTROLS.length, name: 'x & <y>' });
    await page.close();
  });
});
