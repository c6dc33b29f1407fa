import { readFileSync } from 'fs';
import { policyPath } from '../../lib/policies';

/** The audit's role can read, never change: every action it is granted is a read (or assuming the member audit role). */
test('audit-readonly grants only reads, plus sts:AssumeRole of the member audit roles', () => {
  const policy = JSON.parse(readFileSync(policyPath('iam/audit-readonly'), 'utf8')) as { Statement: { Sid?: string; Effect: string; Action: string | string[] }[] };
  const actions = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  expect(actions.length).toBeGreaterThan(30);
  const notReads = actions.filter((a) => !/^[a-z0-9-]+:(List|Get|Describe)[A-Za-z]*$/.test(a) && a !== 'iam:GenerateCredentialReport' && a !== 'sts:AssumeRole');
  expect(notReads).toEqual([]);
  expect(actions.filter((a) => a.includes('*'))).toEqual([]);
});
