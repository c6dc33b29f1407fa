import { ConfigError, DEFAULTS, ORGANIZATION_REQUIRED_KEYS, parseConfig } from '../../lib/config';
import { ORGANIZATION_EXAMPLE } from '../helpers/organization';

function problems(context: Record<string, unknown>): { key: string; value: unknown; message: string }[] {
  try {
    parseConfig(context);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const org = (over: Record<string, unknown> = {}) => ({ ...ORGANIZATION_EXAMPLE, ...over });

describe('organization-mode configuration', () => {
  test('account mode is the default, with the StackSet defaults of lib/config and governedRegions [region]', () => {
    const c = parseConfig({});
    expect(c.deploymentMode).toBe('account');
    expect(c.governedRegions).toEqual(['us-east-1']);
    expect(c.baselineExcludeAccounts).toEqual([]);
    expect([c.stackSetMaxConcurrentPercentage, c.stackSetFailureTolerancePercentage, c.stackSetRegionConcurrency, c.auditRoleName, c.auditorRoleName])
      .toEqual([25, 0, 'SEQUENTIAL', 'OrganizationAudit', 'OrganizationAuditor']);
    expect(DEFAULTS.deploymentMode).toBe('account');
  });

  test('the example keys parse, -c strings included', () => {
    const c = parseConfig(org());
    expect(c.deploymentMode).toBe('organization');
    expect(c.governedRegions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(c.baselineTargets).toEqual(['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56']);
    expect(c.scpTargets).toEqual({ 'protect-security-services': ['r-ab12'], 'deny-root-user': ['r-ab12'], 'region-guard': ['ou-ab12-cdefgh34'] });
    expect(c.baselineExcludeAccounts).toEqual(['444444444444']);
  });

  test('organization mode without the required keys lists every missing key at once', () => {
    const p = problems({ 'hardening:deploymentMode': 'organization' });
    expect(p.map((x) => x.key).sort()).toEqual(ORGANIZATION_REQUIRED_KEYS.map((k) => `hardening:${k}`).sort());
    expect(p.every((x) => x.value === undefined && x.message.startsWith('is required in organization mode'))).toBe(true);
  });

  test('one missing key is reported alone', () => {
    const ctx = org();
    delete (ctx as Record<string, unknown>)['hardening:logArchiveAccountId'];
    expect(problems(ctx).map((x) => x.key)).toEqual(['hardening:logArchiveAccountId']);
  });

  test.each([
    ['deploymentMode', 'organisation', 'Invalid option'],
    ['managementAccountId', '12345', 'must be a 12-digit AWS account id'],
    ['securityToolingAccountId', 'abc', 'must be a 12-digit AWS account id'],
    ['logArchiveAccountId', '1234567890123', 'must be a 12-digit AWS account id'],
    ['governedRegions', 'us-east-1,mars-1', 'must be an AWS region name'],
    ['baselineTargets', 'ou-x', 'must be an organization root (r-...) or organizational unit'],
    ['baselineTargets', '111111111111', 'must be an organization root (r-...) or organizational unit'],
    ['baselineExcludeAccounts', 'x', 'must be a 12-digit AWS account id'],
    ['scpTargets', '{"protect-everything":["r-ab12"]}', 'Unrecognized key: "protect-everything"; known fields are protect-security-services'],
    ['scpTargets', '{"deny-root-user":["o-abcdefghij"]}', 'must be a root (r-...), organizational unit (ou-...-...) or 12-digit account id'],
    ['rcpTargets', '{"protect-everything":["r-ab12"]}', 'Unrecognized key: "protect-everything"; known fields are data-perimeter'],
    ['rcpTargets', '{"data-perimeter":["o-abcdefghij"]}', 'must be a root (r-...), organizational unit (ou-...-...) or 12-digit account id'],
    ['stackSetMaxConcurrentPercentage', 0, 'Too small'],
    ['stackSetMaxConcurrentPercentage', 101, 'Too big'],
    ['stackSetFailureTolerancePercentage', -1, 'Too small'],
    ['stackSetFailureTolerancePercentage', 101, 'Too big'],
    ['stackSetRegionConcurrency', 'ALL_AT_ONCE', 'Invalid option'],
    ['auditRoleName', 'no spaces allowed', 'must be a valid IAM role name'],
    ['auditorRoleName', '*', 'not only *'],
    ['auditorRoleName', 'ops/**', 'not only *'],
    ['auditorRoleName', 'no spaces', 'must be an IAM role name'],
    ['auditorRoleName', '/leading-slash', 'must be an IAM role name'],
    ['auditorRoleName', `${'a'.repeat(65)}`, 'must be an IAM role name'],
    ['auditorRoleName', `${'p/'.repeat(260)}Name12345678`, 'must be at most 512 characters'],
  ])('%s=%j is refused', (key, value, message) => {
    const p = problems(org({ [`hardening:${key}`]: value }));
    expect(p).toHaveLength(1);
    expect(p[0].key).toMatch(new RegExp(`^hardening:${key}`));
    expect(p[0].message).toContain(message);
  });

  test('the auditor role takes a path and * for a generated part (an IAM Identity Center permission set), up to 64 characters of name', () => {
    for (const name of ['aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Audit_*', 'audit/Auditor', '*-auditor', 'a'.repeat(64)]) {
      expect(parseConfig(org({ 'hardening:auditorRoleName': name })).auditorRoleName).toBe(name);
    }
  });

  test('the percentages accept their bounds', () => {
    expect(() => parseConfig(org({ 'hardening:stackSetMaxConcurrentPercentage': 1, 'hardening:stackSetFailureTolerancePercentage': 0 }))).not.toThrow();
    expect(() => parseConfig(org({ 'hardening:stackSetMaxConcurrentPercentage': 100, 'hardening:stackSetFailureTolerancePercentage': 100 }))).not.toThrow();
  });

  test('the tooling and log-archive accounts must differ from the management account', () => {
    const p = problems(org({ 'hardening:securityToolingAccountId': '111111111111', 'hardening:logArchiveAccountId': '111111111111' }));
    expect(p.map((x) => [x.key, x.message.split(':')[0]])).toEqual([
      ['hardening:securityToolingAccountId', 'must differ from managementAccountId'],
      ['hardening:logArchiveAccountId', 'must differ from managementAccountId'],
    ]);
  });

  test('governed regions must include the home region, lie within allowedRegions and not repeat', () => {
    expect(problems(org({ 'hardening:governedRegions': 'us-west-2' })).map((x) => x.message))
      .toEqual(['must include the home region us-east-1, where the tooling account runs the StackSets']);
    expect(problems(org({ 'hardening:governedRegions': 'us-east-1,ap-south-1' })).map((x) => x.message))
      .toEqual(['ap-south-1 not in allowedRegions: the region-guard SCP would deny the baseline there']);
    expect(problems(org({ 'hardening:governedRegions': 'us-east-1,us-east-1' })).map((x) => x.message)).toEqual(['lists us-east-1 twice']);
  });

  test('baseline targets, exclusions and SCP targets are checked across keys', () => {
    expect(problems(org({ 'hardening:baselineTargets': '[]' })).map((x) => x.message)).toEqual(['must list at least one root or organizational unit']);
    expect(problems(org({ 'hardening:baselineTargets': 'r-ab12,r-ab12' })).map((x) => x.message)).toEqual(['lists r-ab12 twice']);
    expect(problems(org({ 'hardening:baselineExcludeAccounts': '222222222222' })).map((x) => x.message))
      .toEqual(['excludes securityToolingAccountId 222222222222: the accounts that hold the security tooling and the archive need the baseline most']);
    expect(problems(org({ 'hardening:scpTargets': '{"deny-root-user":[]}' })).map((x) => x.message))
      .toEqual(['deny-root-user lists no target; leave it out to attach it nowhere']);
    expect(problems(org({ 'hardening:scpTargets': '{"deny-root-user":["111111111111"]}' })).map((x) => x.message))
      .toEqual(['deny-root-user targets the management account 111111111111, which service control policies never restrict']);
    expect(parseConfig(org({ 'hardening:scpTargets': '{}' })).scpTargets).toEqual({});
    expect(problems(org({ 'hardening:rcpTargets': '{"data-perimeter":["111111111111","r-ab12","r-ab12"]}' })).map((x) => x.message))
      .toEqual(['data-perimeter lists r-ab12 twice', 'data-perimeter targets the management account 111111111111, which resource control policies never restrict']);
    expect(parseConfig(org({ 'hardening:rcpTargets': '{"data-perimeter":["r-ab12"]}' })).rcpTargets).toEqual({ 'data-perimeter': ['r-ab12'] });
  });

  test('an SCP exempting break-glass by name is attached only where protect-security-services keeps that name from being borrowed', () => {
    // region-guard on an OU with protect-security-services nowhere: an administrator there creates "BreakGlass" and leaves the region guard
    expect(problems(org({ 'hardening:scpTargets': '{"region-guard":["ou-ab12-cdefgh34"],"deny-root-user":["r-ab12"]}' }))).toEqual([{
      key: 'hardening:scpTargets', value: { 'region-guard': ['ou-ab12-cdefgh34'], 'deny-root-user': ['r-ab12'] },
      message: 'region-guard exempts the break-glass role by name on ou-ab12-cdefgh34, where protect-security-services is not attached (nor at a root): '
        + 'anyone there who may create roles could create or re-trust a role of that name and step outside it; attach protect-security-services to the root or to ou-ab12-cdefgh34',
    }]);
    // on another OU only: the OU left open is named, the guarded one is not
    expect(problems(org({ 'hardening:scpTargets': '{"protect-security-services":["ou-ab12-aaaaaaaa"],"protect-recovery":["ou-ab12-aaaaaaaa","ou-ab12-bbbbbbbb"]}' })).map((x) => x.message))
      .toEqual([expect.stringMatching(/^protect-recovery exempts the break-glass role by name on ou-ab12-bbbbbbbb, where/)]);
    // each SCP that exempts by name is checked; deny-root-user exempts no one
    expect(problems(org({ 'hardening:scpTargets': '{"deny-iam-user-credentials":["ou-ab12-bbbbbbbb"],"protect-keys-and-data":["ou-ab12-bbbbbbbb"]}' })).map((x) => x.message.split(' ')[0]))
      .toEqual(['deny-iam-user-credentials', 'protect-keys-and-data']);
    // held: at the root, or on the same targets
    expect(parseConfig(org()).scpTargets).toEqual({ 'protect-security-services': ['r-ab12'], 'deny-root-user': ['r-ab12'], 'region-guard': ['ou-ab12-cdefgh34'] });
    expect(parseConfig(org({ 'hardening:scpTargets': '{"protect-security-services":["ou-ab12-bbbbbbbb"],"protect-recovery":["ou-ab12-bbbbbbbb"],"deny-root-user":["ou-ab12-cccccccc"]}' })).scpTargets)
      .toHaveProperty('protect-recovery', ['ou-ab12-bbbbbbbb']);
  });

  test('organization mode places each stack itself: hardening:account is refused', () => {
    expect(problems(org({ 'hardening:account': '111111111111' })).map((x) => x.key)).toEqual(['hardening:account']);
  });

  test('account mode refuses the keys only organization mode reads, every one at once', () => {
    const p = problems({
      'hardening:managementAccountId': '111111111111', 'hardening:baselineTargets': 'r-ab12', 'hardening:scpTargets': '{}',
      'hardening:governedRegions': 'us-east-1', 'hardening:logRetentionDays': 30, 'hardening:rcpTargets': '{}',
    });
    expect(p.map((x) => x.key).sort()).toEqual(['hardening:baselineTargets', 'hardening:governedRegions', 'hardening:logRetentionDays', 'hardening:managementAccountId', 'hardening:rcpTargets', 'hardening:scpTargets']);
  });

  test('an unknown organization key is refused with a suggestion, as every unknown key', () => {
    const p = problems(org({ 'hardening:baselineTarget': 'r-ab12' }));
    expect(p.map((x) => x.message)).toEqual(['unknown context key (did you mean hardening:baselineTargets?); a misspelt key must never drop a control']);
  });
});
