import { readFileSync } from 'fs';
import { policyPath } from '../../lib/policies';

/**
 * Starting a drift detection is not a read (it records a result on the stack, and changes no resource),
 * yet the audit must call it (issue 12). AWS authorizes DetectStackResourceDrift on each resource of a
 * DetectStackDrift call, so both are granted, deliberately, in a statement of their own.
 */
const DRIFT_DETECTION = ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'];

/**
 * The audit's role can read, never change: every action it is granted is a read, except drift detection. It holds no
 * sts:AssumeRole (a session of it could chain into any role its account trusts); the caller's is policies/iam/organization-auditor.json.
 */
test('audit-readonly grants only reads and drift detection; no sts:AssumeRole', () => {
  const policy = JSON.parse(readFileSync(policyPath('iam/audit-readonly'), 'utf8')) as { Statement: { Sid?: string; Effect: string; Action: string | string[] }[] };
  const actions = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  expect(actions.length).toBeGreaterThan(30);
  const notReads = actions.filter((a) => !/^[a-z0-9-]+:(List|Get|Describe|BatchDescribe)[A-Za-z]*$/.test(a) && a !== 'iam:GenerateCredentialReport');
  expect(notReads.sort()).toEqual(DRIFT_DETECTION);
  const own = policy.Statement.find((s) => s.Sid === 'AuditDetectStackDrift');
  expect(own?.Action).toEqual([...DRIFT_DETECTION, 'cloudformation:BatchDescribeTypeConfigurations']);
  expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  expect(new Set(actions).size).toBe(actions.length);
});
