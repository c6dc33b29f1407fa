import { run } from '../report/fake-io';

const ASSEMBLY = 'test/fixtures/report/assembly';

describe('report --kill-chain', () => {
  test('text: the kill chain per lesson, step → verdict → evidence', async () => {
    // The fixture holds the data and network stacks: the PII bucket, its key and table.
    const r = await run(['report', ASSEMBLY, '--kill-chain', '--lesson', 'L5', '--fail-on', 'never']);
    expect(r.stdout).toMatch(/Kill chain \(ATT&CK Enterprise v16; workload account alone, no SCPs\):/);
    expect(r.stdout).toMatch(/^L5 Stolen PII is unreadable: (OPEN|UNDECIDABLE|DETECTED|DENIED)$/m);
    expect(r.stdout).toMatch(/^ {2}(OPEN|UNDECIDABLE|DETECTED|DENIED)\s+collection-read-pii-objects {2}\[collection; T1530; DATA-KEYPOLICY\]$/m);
    expect(r.stdout).toMatch(/tried: .+ by \d+ personas on \d+ resources/);
    // Only the lessons asked for.
    expect(r.stdout).not.toMatch(/^L7 /m);
  });

  test('json: a killChain member next to the lesson report', async () => {
    const r = await run(['report', ASSEMBLY, '--kill-chain', '--format', 'json', '--fail-on', 'never']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('cdk-hardening/report@1');
    expect(doc.killChain.schema).toBe('cdk-hardening/replay@1');
    expect(doc.killChain.lessons.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining(['L1', 'L2', 'L5', 'L7', 'L8']));
  });

  test('without --kill-chain the report is unchanged', async () => {
    const r = await run(['report', ASSEMBLY, '--lesson', 'L7', '--fail-on', 'never']);
    expect(r.stdout).not.toMatch(/Kill chain/);
  });
});
