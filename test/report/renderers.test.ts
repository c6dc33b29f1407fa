import { Finding, fingerprint, finding } from '../../lib/findings';
import { REPORT_FORMATS, SARIF_FINGERPRINT_KEY, renderFindings } from '../../lib/report';
import { sarifValidator } from './sarif-validator';

const options = { title: 'cdk-hardening test', generatedAt: new Date('2026-06-01T00:00:00Z'), toolVersion: '1.2.3' };

const FINDINGS: Finding[] = [
  finding({ ruleId: 'BreachLessons-S3BucketCustomerManagedKey', controlId: 'DATA-CMK', source: 'template', status: 'FAIL', severity: 'error',
    resource: { id: 'tpl/data.json#Bucket', template: 'tpl/data.json', logicalId: 'Bucket', type: 'AWS::S3::Bucket' },
    message: 'bucket <b>not</b> encrypted | with a CMK', remediation: 'use a customer-managed key' }),
  finding({ ruleId: 'BreachLessons-S3BucketCustomerManagedKey', controlId: 'DATA-CMK', source: 'template', status: 'PASS', severity: 'error',
    resource: { id: 'tpl/data.json#Other', template: 'tpl/data.json', logicalId: 'Other' }, message: 'holds' }),
  finding({ ruleId: 'BreachLessons-S3BucketPublicAccessBlock', controlId: 'DATA-PUBLIC', source: 'template', status: 'ERROR', severity: 'error',
    resource: { id: 'tpl/data.json#Bucket', template: 'tpl/data.json', logicalId: 'Bucket' }, message: 'unresolved Fn::If' }),
  finding({ ruleId: 'BreachLessons-S3BucketVersioning', controlId: 'BAK-RETAIN', source: 'synth', status: 'ACKNOWLEDGED', severity: 'warning',
    resource: { id: 'Stack/Bucket/Resource', constructPath: 'Stack/Bucket/Resource', template: 'Stack.template.json', logicalId: 'BucketABC' }, message: 'no versions',
    acknowledgement: { reason: 'rebuilt nightly from source', owner: 'team@example.com', expires: '2099-01-01', ticket: 'RISK-1', expired: false } }),
  finding({ ruleId: 'BreachLessons-DynamoDBPointInTimeRecovery', controlId: 'BAK-RETAIN', source: 'synth', status: 'FAIL', severity: 'warning',
    resource: { id: 'Stack/Table/Resource', constructPath: 'Stack/Table/Resource', template: 'Stack.template.json', logicalId: 'TableABC' }, message: 'no PITR',
    acknowledgement: { reason: 'migration', owner: 'loans@example.com', expires: '2026-01-01', expired: true } }),
  finding({ ruleId: 'iam-human-mfa', controlId: 'IAM-MFA', source: 'live', status: 'FAIL', severity: 'error',
    resource: { id: 'arn:aws:iam::111122223333:user/bob', account: '111122223333', region: 'us-east-1' }, message: 'bob has no MFA' }),
];

describe('renderFindings', () => {
  it.each(REPORT_FORMATS.map((f) => [f]))('renders %s', (format) => {
    const out = renderFindings(format, FINDINGS, options);
    expect(out.length).toBeGreaterThan(100);
    expect(out).toContain(format === 'json' || format === 'sarif' ? 'BreachLessons-S3BucketCustomerManagedKey' : 'DATA-CMK');
  });

  it('rejects an unknown format', () => {
    expect(() => renderFindings('pdf' as never, FINDINGS, options)).toThrow("unknown report format 'pdf'");
  });
});

describe('sarif', () => {
  const doc = JSON.parse(renderFindings('sarif', FINDINGS, options));
  const results = doc.runs[0].results as Array<Record<string, any>>;

  it('is valid SARIF 2.1.0', () => {
    expect(sarifValidator()(doc)).toEqual([]);
    expect(sarifValidator()({ ...doc, runs: [{ results: [] }] }).join('\n')).toMatch(/tool/);
    expect(doc.version).toBe('2.1.0');
  });

  it('lists what needs attention, not passes, and counts passes in the run', () => {
    expect(results).toHaveLength(5);
    expect(results.some((r) => r.properties.status === 'PASS')).toBe(false);
    expect(doc.runs[0].properties.summary).toEqual({ PASS: 1, FAIL: 3, ERROR: 1, ACKNOWLEDGED: 1 });
  });

  it('uses stable rule ids, rule metadata with citations, and the finding fingerprint', () => {
    const rules = doc.runs[0].tool.driver.rules as Array<Record<string, any>>;
    for (const r of results) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      const f = FINDINGS.find((x) => x.ruleId === r.ruleId && x.resource.id === r.properties.resourceId)!;
      expect(r.partialFingerprints[SARIF_FINGERPRINT_KEY]).toBe(fingerprint(f));
    }
    const cmk = rules.find((r) => r.id === 'BreachLessons-S3BucketCustomerManagedKey')!;
    expect(cmk.properties.tags).toEqual(expect.arrayContaining(['DATA-CMK', 'L5', 'nydfs-500:500.15', 'glba:314.4(c)(3)']));
    expect(JSON.parse(renderFindings('sarif', [...FINDINGS].reverse(), options))).toEqual(doc);
  });

  it('names the template file and the logical id or construct path', () => {
    const fail = results.find((r) => r.ruleId === 'BreachLessons-S3BucketCustomerManagedKey')!;
    expect(fail.locations[0].physicalLocation.artifactLocation.uri).toBe('tpl/data.json');
    expect(fail.locations[0].logicalLocations[0]).toEqual({ name: 'Bucket', fullyQualifiedName: 'tpl/data.json#Bucket', kind: 'resource' });
    const ack = results.find((r) => r.ruleId === 'BreachLessons-S3BucketVersioning')!;
    expect(ack.locations[0].logicalLocations[0].fullyQualifiedName).toBe('Stack/Bucket/Resource');
    const live = results.find((r) => r.ruleId === 'iam-human-mfa')!;
    expect(live.locations[0].physicalLocation).toBeUndefined();
    expect(live.locations[0].logicalLocations[0].fullyQualifiedName).toBe('111122223333/us-east-1/arn:aws:iam::111122223333:user/bob');
  });

  it('adds a line region when the template line is known', () => {
    const withLines = JSON.parse(renderFindings('sarif', FINDINGS, { ...options, lineOf: (t, id) => (t === 'tpl/data.json' && id === 'Bucket' ? 12 : undefined) }));
    const r = withLines.runs[0].results.find((x: any) => x.ruleId === 'BreachLessons-S3BucketCustomerManagedKey');
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 12 });
  });

  it('marks ERROR as open, ACKNOWLEDGED as an accepted suppression, an expired one as rejected', () => {
    const err = results.find((r) => r.properties.status === 'ERROR')!;
    expect([err.kind, err.level]).toEqual(['open', 'none']);
    expect(err.message.text).toMatch(/^cannot verify: /);
    const ack = results.find((r) => r.properties.status === 'ACKNOWLEDGED')!;
    expect(ack.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'rebuilt nightly from source',
      properties: { owner: 'team@example.com', expires: '2099-01-01', expired: false, ticket: 'RISK-1' } }]);
    const expired = results.find((r) => r.ruleId === 'BreachLessons-DynamoDBPointInTimeRecovery')!;
    expect([expired.kind, expired.level, expired.suppressions[0].status]).toEqual(['fail', 'warning', 'rejected']);
  });

  it('turns an absolute template path into a file URI', () => {
    const abs = finding({ ...FINDINGS[0], resource: { ...FINDINGS[0].resource, template: '/tmp/my templates/a.json' } });
    const d = JSON.parse(renderFindings('sarif', [abs], options));
    expect(d.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('file:///tmp/my%20templates/a.json');
    expect(sarifValidator()(d)).toEqual([]);
  });
});

describe('junit', () => {
  const xml = renderFindings('junit', FINDINGS, options);
  const cases = (control: string) => xml.split('<testcase ').filter((c) => c.startsWith(`classname="cdk-hardening.`) && c.includes(`.${control}"`));

  it('has one test case per control and resource', () => {
    expect(cases('DATA-CMK')).toHaveLength(2);
    expect(cases('BAK-RETAIN')).toHaveLength(2);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it('maps FAIL to failure, ERROR to error, ACKNOWLEDGED to a pass with a property, nothing to skipped', () => {
    expect(cases('DATA-CMK').find((c) => c.includes('#Bucket'))).toContain('<failure type="BreachLessons-S3BucketCustomerManagedKey"');
    expect(cases('DATA-PUBLIC')[0]).toContain('<error ');
    const ack = cases('BAK-RETAIN').find((c) => c.includes('Bucket'))!;
    expect(ack).not.toMatch(/<failure|<error|<skipped/);
    expect(ack).toContain('<property name="acknowledged" value="BreachLessons-S3BucketVersioning by team@example.com until 2099-01-01: rebuilt nightly from source"/>');
    expect(ack).toContain('<system-out>ACKNOWLEDGED');
    expect(cases('BAK-RETAIN').find((c) => c.includes('Table'))).toContain('<failure ');
    expect(cases('IAM-ROOT')[0]).toContain('<skipped message="design time: no evidence, live: no evidence');
  });

  it('counts match the cases and text is escaped', () => {
    const head = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml)!;
    expect(Number(head[1])).toBe((xml.match(/<testcase /g) ?? []).length);
    expect(Number(head[2])).toBe((xml.match(/<failure /g) ?? []).length);
    expect(Number(head[3])).toBe((xml.match(/<error /g) ?? []).length);
    expect(Number(head[4])).toBe((xml.match(/<skipped /g) ?? []).length);
    expect(xml).toContain('bucket &lt;b&gt;not&lt;/b&gt; encrypted');
    expect(xml).not.toContain('<b>not</b>');
  });
});

describe('md and html', () => {
  it('escapes table cells in markdown', () => {
    const md = renderFindings('md', FINDINGS, options);
    expect(md).toContain('bucket &lt;b&gt;not&lt;/b&gt; encrypted \\| with a CMK');
    expect(md).toContain('| L5 | **DATA-CMK** PII encrypted at rest with customer-managed keys | ❌ fail | ❔ no evidence | ❌ fail |');
    expect(md).toContain('| 72 hours | NYDFS |');
    expect(md).toContain('❌ expired (counts as fail)');
  });

  it('escapes html and loads nothing from the network', () => {
    const html = renderFindings('html', FINDINGS, options);
    expect(html).toContain('bucket &lt;b&gt;not&lt;/b&gt; encrypted');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('id="coverage-matrix"');
  });
});
