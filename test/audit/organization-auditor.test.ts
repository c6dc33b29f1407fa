import { assumeRoleDeniedHint, isAuditorSession } from '../../lib/audit/organization/auditor';
import { OrganizationAuditConfig } from '../../lib/audit/organization/types';
import { failed, ok } from '../../lib/audit/types';

const TOOLING = '222233334444';
const session = (name: string, account = TOOLING, partition = 'aws') => `arn:${partition}:sts::${account}:assumed-role/${name}/alice`;

describe('isAuditorSession: is the audit run as the role each audit role trusts?', () => {
  it('a session of the named role in the tooling account is; in another account, or of another role, is not', () => {
    expect(isAuditorSession(session('OrganizationAuditor'), 'OrganizationAuditor', TOOLING)).toBe(true);
    expect(isAuditorSession(session('OrganizationAuditor', '999988887777'), 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(session('OrganizationAuditors'), 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(session('XOrganizationAuditor'), 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(session('organizationauditor'), 'OrganizationAuditor', TOOLING)).toBe(false);
  });

  it('any account when the configuration names no tooling account; other partitions too', () => {
    expect(isAuditorSession(session('OrganizationAuditor', '999988887777'), 'OrganizationAuditor')).toBe(true);
    expect(isAuditorSession(session('OrganizationAuditor', TOOLING, 'aws-us-gov'), 'OrganizationAuditor', TOOLING)).toBe(true);
  });

  it('the path is not in a session ARN: the name after the last / is compared', () => {
    expect(isAuditorSession(session('Auditor'), 'security/audit/Auditor', TOOLING)).toBe(true);
    expect(isAuditorSession(session('audit'), 'security/audit/Auditor', TOOLING)).toBe(false);
  });

  it('* stands for a generated part (IAM Identity Center), any other character only for itself', () => {
    expect(isAuditorSession(session('AWSReservedSSO_Audit_0123abcd'), 'aws-reserved/sso.amazonaws.com/AWSReservedSSO_Audit_*', TOOLING)).toBe(true);
    expect(isAuditorSession(session('AWSReservedSSO_Admin_0123abcd'), 'AWSReservedSSO_Audit_*', TOOLING)).toBe(false);
    expect(isAuditorSession(session('AWSReservedSSO_Audit_'), 'AWSReservedSSO_Audit_*', TOOLING)).toBe(true);
    // '.' and '+' in a role name are literal, not regular-expression operators
    expect(isAuditorSession(session('auditXrole'), 'audit.role', TOOLING)).toBe(false);
    expect(isAuditorSession(session('auditt'), 'audit+', TOOLING)).toBe(false);
    expect(isAuditorSession(session('audit+'), 'audit+', TOOLING)).toBe(true);
  });

  it('a user, a role ARN or a federated user is not a session of the role', () => {
    expect(isAuditorSession(`arn:aws:iam::${TOOLING}:user/OrganizationAuditor`, 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(`arn:aws:iam::${TOOLING}:role/OrganizationAuditor`, 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(`arn:aws:sts::${TOOLING}:federated-user/OrganizationAuditor`, 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(`${session('OrganizationAuditor')}/extra`, 'OrganizationAuditor', TOOLING)).toBe(false);
    expect(isAuditorSession(`x${session('OrganizationAuditor')}`, 'OrganizationAuditor', TOOLING)).toBe(false);
  });
});

describe('assumeRoleDeniedHint: why an account\'s audit role refused the audit', () => {
  const config = { auditorRoleName: 'OrganizationAuditor', securityToolingAccountId: TOOLING } as OrganizationAuditConfig;
  const me = (arn: string) => ok({ account: arn.split(':')[4], partition: 'aws', arn });

  it('run as another principal: names the trusted role and the caller, and says to run as that role', () => {
    expect(assumeRoleDeniedHint(config, me(`arn:aws:iam::${TOOLING}:user/alice`))).toBe(
      `; the audit role trusts only the role 'OrganizationAuditor' (hardening:auditorRoleName) of the security-tooling account ${TOOLING}, but this audit runs as arn:aws:iam::${TOOLING}:user/alice: run it as that role`,
    );
  });

  it('run as the auditor role: the audit role is missing in that account or its trust changed', () => {
    expect(assumeRoleDeniedHint(config, me(session('OrganizationAuditor')))).toBe(
      `; this audit runs as ${session('OrganizationAuditor')}, the role 'OrganizationAuditor' (hardening:auditorRoleName) of the security-tooling account ${TOOLING}, which the audit role trusts: the role may be missing in this account (the baseline StackSet not deployed to it) or its trust changed`,
    );
  });

  it('the caller unknown: says so; no tooling account configured: the role alone', () => {
    expect(assumeRoleDeniedHint(config, failed({ action: 'sts:GetCallerIdentity', kind: 'error', message: 'x' }))).toBe(
      `; the audit role trusts only the role 'OrganizationAuditor' (hardening:auditorRoleName) of the security-tooling account ${TOOLING}, and who this audit runs as is unknown`,
    );
    expect(assumeRoleDeniedHint({ auditorRoleName: 'OrganizationAuditor' } as OrganizationAuditConfig, me('arn:aws:iam::111122223333:user/bob')))
      .toBe("; the audit role trusts only the role 'OrganizationAuditor' (hardening:auditorRoleName) of the security-tooling account, but this audit runs as arn:aws:iam::111122223333:user/bob: run it as that role");
  });

  it('nothing to add outside organization mode or without an auditor role', () => {
    expect(assumeRoleDeniedHint(undefined, me(session('OrganizationAuditor')))).toBe('');
    expect(assumeRoleDeniedHint({ securityToolingAccountId: TOOLING } as OrganizationAuditConfig, me(session('x')))).toBe('');
  });
});
