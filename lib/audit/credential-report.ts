import { parse } from 'csv-parse/sync';
import { CredentialReport, CredentialReportKey, CredentialReportRow } from './types';

/** The root user's name in the credential report. */
export const ROOT_USER = '<root_account>';

const REQUIRED_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
] as const;

/** `N/A`, `not_supported`, `no_information` and empty cells carry no value. */
function value(cell: string | undefined): string | undefined {
  if (cell === undefined) return undefined;
  const s = cell.trim();
  if (s === '' || s === 'N/A' || s === 'not_supported' || s === 'no_information') return undefined;
  return s;
}

function time(cell: string | undefined, column: string, line: number): string | undefined {
  const v = value(cell);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`credential report line ${line}: column ${column} is not a date: '${v}'`);
  return new Date(t).toISOString();
}

function flag(cell: string | undefined, column: string, line: number): boolean | undefined {
  const v = value(cell);
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`credential report line ${line}: column ${column} is not true/false: '${v}'`);
}

function key(r: Record<string, string>, n: 1 | 2, line: number): CredentialReportKey {
  const p = `access_key_${n}_`;
  return {
    active: flag(r[`${p}active`], `${p}active`, line) ?? false,
    lastRotated: time(r[`${p}last_rotated`], `${p}last_rotated`, line),
    lastUsedDate: time(r[`${p}last_used_date`], `${p}last_used_date`, line),
    lastUsedRegion: value(r[`${p}last_used_region`]),
    lastUsedService: value(r[`${p}last_used_service`]),
  };
}

/**
 * Parses the IAM credential report CSV (one row per user, `<root_account>` for root) with a real
 * CSV parser. Throws with the line and column on a malformed report: a report that cannot be
 * read is an ERROR, never an empty list of users.
 */
export function parseCredentialReport(csv: string, generatedAt: string): CredentialReport {
  const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (records.length === 0) throw new Error('credential report has no rows (not even <root_account>)');
  const missing = REQUIRED_COLUMNS.filter((c) => !(c in records[0]));
  if (missing.length > 0) throw new Error(`credential report lacks columns: ${missing.join(', ')}`);
  const rows = records.map((r, i): CredentialReportRow => {
    const line = i + 2;
    return {
      user: r.user,
      arn: r.arn,
      userCreationTime: time(r.user_creation_time, 'user_creation_time', line),
      passwordEnabled: flag(r.password_enabled, 'password_enabled', line),
      passwordLastUsed: time(r.password_last_used, 'password_last_used', line),
      passwordLastChanged: time(r.password_last_changed, 'password_last_changed', line),
      mfaActive: flag(r.mfa_active, 'mfa_active', line) ?? false,
      keys: [key(r, 1, line), key(r, 2, line)],
    };
  });
  return { generatedAt, rows };
}

export function rootRow(report: CredentialReport): CredentialReportRow | undefined {
  return report.rows.find((r) => r.user === ROOT_USER);
}

export function userRows(report: CredentialReport): CredentialReportRow[] {
  return report.rows.filter((r) => r.user !== ROOT_USER);
}
