import { CallerIdentity } from '../collect-account';
import { Collected } from '../types';
import { OrganizationAuditConfig } from './types';

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `callerArn` is a session of the auditor role (hardening:auditorRoleName, path and `*` allowed)
 * in the security-tooling account (any account when the configuration names none). A session ARN
 * (arn:<partition>:sts::<account>:assumed-role/<name>/<session>) carries the role's name, not its path,
 * so the name is compared; `*` matches any run of characters, as ArnLike does.
 */
export function isAuditorSession(callerArn: string, auditorRoleName: string, toolingAccount?: string): boolean {
  const m = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  if (!m || (toolingAccount !== undefined && m[1] !== toolingAccount)) return false;
  const name = auditorRoleName.slice(auditorRoleName.lastIndexOf('/') + 1);
  return new RegExp(`^${name.split('*').map(escape).join('.*')}$`).test(m[2]);
}

/**
 * What to add to an account's "sts:AssumeRole access denied" in organization mode: each account's audit
 * role trusts only the tooling account's auditor role, so the likely cause is told apart by who the audit
 * runs as — another principal (run it as the auditor role) or the auditor role itself (the account's
 * audit role is missing or its trust changed). Empty when the configuration names no auditor role.
 */
export function assumeRoleDeniedHint(config: OrganizationAuditConfig | undefined, me: Collected<CallerIdentity>): string {
  if (!config?.auditorRoleName) return '';
  const tooling = config.securityToolingAccountId;
  const role = `the role '${config.auditorRoleName}' (hardening:auditorRoleName) of the security-tooling account${tooling ? ` ${tooling}` : ''}`;
  if (!me.ok) return `; the audit role trusts only ${role}, and who this audit runs as is unknown`;
  if (isAuditorSession(me.value.arn, config.auditorRoleName, tooling)) {
    return `; this audit runs as ${me.value.arn}, ${role}, which the audit role trusts: the role may be missing in this account (the baseline StackSet not deployed to it) or its trust changed`;
  }
  return `; the audit role trusts only ${role}, but this audit runs as ${me.value.arn}: run it as that role`;
}
