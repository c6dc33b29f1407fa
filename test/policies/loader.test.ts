import { existsSync } from 'fs';
import { join, resolve } from 'path';
import { POLICY_NAMES, PolicyName, loadPolicy, placeholdersOf, policiesRoot, policyPath, scpValues, securityNamePrefix } from '../../lib/policies';

describe('loadPolicy', () => {
  it('reads documents from policies/ at the package root', () => {
    expect(policiesRoot()).toBe(resolve(__dirname, '../../policies'));
    expect(policyPath('iam/require-mfa')).toBe(join(policiesRoot(), 'iam/require-mfa.json'));
  });

  it('finds a file for every document this issue owns', () => {
    for (const name of POLICY_NAMES.filter((n) => n !== 'iam/audit-readonly')) expect(existsSync(policyPath(name))).toBe(true);
  });

  it('fills string placeholders inside longer strings', () => {
    const doc = loadPolicy('scp/deny-iam-user-credentials', { BreakGlassRoleName: 'Emergency' });
    expect(doc.Statement[0].Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/Emergency' } });
  });

  it('replaces a whole-string list placeholder with the list', () => {
    const doc = loadPolicy('scp/region-guard', { BreakGlassRoleName: 'BreakGlass', AllowedRegions: ['us-east-1', 'eu-west-1'] });
    expect(doc.Statement[0].Condition?.StringNotEquals).toEqual({ 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] });
  });

  it('ignores values the document does not use', () => {
    expect(() => loadPolicy('scp/deny-root-user', { BreakGlassRoleName: 'BreakGlass' })).not.toThrow();
  });

  it('lists the placeholders of each document', () => {
    expect(placeholdersOf('iam/require-mfa')).toEqual(['AccountId', 'Partition']);
    expect(placeholdersOf('iam/permissions-boundary')).toEqual([
      'AccountId', 'AutomationRolePath', 'BreakGlassRoleName', 'Partition', 'PipelineRoleName', 'SecurityBucketPrefix', 'SecurityNamePrefix', 'StackPrefix',
    ]);
    expect(placeholdersOf('scp/region-guard')).toEqual(['AllowedRegions', 'BreakGlassRoleName']);
    expect(placeholdersOf('scp/deny-root-user')).toEqual([]);
  });

  it('leaves IAM policy variables such as ${aws:username} alone', () => {
    const doc = loadPolicy('iam/require-mfa', { Partition: 'aws', AccountId: '111122223333' });
    expect(JSON.stringify(doc)).toContain('user/${aws:username}');
  });

  it('fails when a placeholder has no value, naming it', () => {
    expect(() => loadPolicy('scp/region-guard', { BreakGlassRoleName: 'BreakGlass' })).toThrow('policy scp/region-guard needs a value for {{AllowedRegions}}');
  });

  it('fails when a list is given for a placeholder inside a longer string', () => {
    expect(() => loadPolicy('scp/deny-iam-user-credentials', { BreakGlassRoleName: ['a', 'b'] }))
      .toThrow('{{BreakGlassRoleName}} stands inside "arn:*:iam::*:role/{{BreakGlassRoleName}}", so it must be a string, not a list');
  });

  it('fails when a list placeholder gets an empty list', () => {
    expect(() => loadPolicy('scp/region-guard', { BreakGlassRoleName: 'B', AllowedRegions: [] })).toThrow('{{AllowedRegions}} must not be an empty list');
  });

  it('fails on an unknown document name', () => {
    expect(() => loadPolicy('iam/nope' as PolicyName)).toThrow('unknown policy "iam/nope"');
  });

  it('derives every SCP placeholder from the configuration', () => {
    const values = scpValues({ stackPrefix: 'Acme', breakGlassRoleName: 'Emergency', pipelineRoleName: 'ci-exec', allowedRegions: ['eu-west-1'] });
    const deployers = ['arn:*:iam::*:role/Emergency', 'arn:*:iam::*:role/ci-exec', 'arn:*:iam::*:role/stacksets-exec-*'];
    expect(values).toEqual({
      GuardDutyOrganizationAdministrators: deployers,
      BreakGlassRoleName: 'Emergency', PipelineRoleName: 'ci-exec', SecurityNamePrefix: 'Acme-security-', SecurityBucketPrefix: 'acme-security-', AllowedRegions: ['eu-west-1'],
    });
    expect(securityNamePrefix('Acme')).toBe('Acme-security-');
    // Organization mode: the tooling account's security automation roles change the GuardDuty organization configuration.
    expect(scpValues({ stackPrefix: 'Acme', breakGlassRoleName: 'Emergency', pipelineRoleName: 'ci-exec', allowedRegions: ['eu-west-1'], securityToolingAccountId: '222222222222' })
      .GuardDutyOrganizationAdministrators).toEqual([...deployers, 'arn:*:iam::222222222222:role/cdk-hardening/security-automation/*']);
    for (const name of POLICY_NAMES.filter((n) => n.startsWith('scp/'))) {
      for (const p of placeholdersOf(name)) expect(Object.keys(values)).toContain(p);
    }
  });
});
