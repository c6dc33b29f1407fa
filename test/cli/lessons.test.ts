import { CONTROLS, LESSONS, NOTIFICATION_CLOCKS } from '../../lib/lessons';
import { run } from '../report/fake-io';

describe('cdk-hardening lessons', () => {
  it('lists every lesson and control as text, with citations and the clocks', async () => {
    const r = await run(['lessons']);
    expect(r.code).toBe(0);
    for (const l of LESSONS) expect(r.stdout).toContain(`${l.id} ${l.title}`);
    for (const c of CONTROLS) expect(r.stdout).toContain(c.id);
    expect(r.stdout).toContain('nydfs-500:500.12');
    expect(r.stdout).toContain('72 hours  NYDFS: cybersecurity incident determined (23 NYCRR 500.17(a))');
    expect(r.stdout).toContain('24 hours  NYDFS: extortion (ransom) payment made');
    expect(r.stdout).toContain('30 days   FTC');
  });

  it('writes the catalogue as json', async () => {
    const r = await run(['lessons', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('cdk-hardening/lessons@1');
    expect(doc.lessons).toEqual(JSON.parse(JSON.stringify(LESSONS)));
    expect(doc.notificationClocks).toEqual(JSON.parse(JSON.stringify(NOTIFICATION_CLOCKS)));
    expect(doc.attackVersion).toMatch(/ATT&CK/);
  });

  it('writes markdown tables', async () => {
    const r = await run(['lessons', '--format', 'md']);
    expect(r.stdout).toContain('## L1: Humans prove who they are with MFA');
    expect(r.stdout).toContain('| **IAM-MFA** Every human principal needs MFA |');
    expect(r.stdout).toContain('NYDFS 23 NYCRR 500.12');
    expect(r.stdout).toContain('| 48 hours | Ginnie Mae |');
  });

  it('rejects a format it does not have', async () => {
    const r = await run(['lessons', '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'sarif' is invalid");
  });
});
