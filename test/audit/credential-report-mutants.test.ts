/**
 * Credential report parsing: the behaviours mutation testing (issue 14) found unpinned — every
 * required column, every "no value" spelling, a missing flag never read as "on", the line of an error.
 */
import { parseCredentialReport, rootRow, userRows } from '../../lib/audit/credential-report';

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
];
const ROOT: Record<string, string> = {
  user: '<root_account>', arn: 'arn:aws:iam::111122223333:root', user_creation_time: '2020-01-01T00:00:00+00:00', password_enabled: 'not_supported',
  password_last_used: 'N/A', password_last_changed: 'not_supported', mfa_active: 'true', access_key_1_active: 'false', access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A', access_key_2_active: 'false', access_key_2_last_rotated: 'N/A', access_key_2_last_used_date: 'N/A',
};
const USER: Record<string, string> = {
  ...ROOT, user: 'alice', arn: 'arn:aws:iam::111122223333:user/alice', password_enabled: 'true', password_last_used: '2026-05-01T00:00:00+00:00',
  password_last_changed: '2026-01-01T00:00:00+00:00', mfa_active: 'true', access_key_1_active: 'true', access_key_1_last_rotated: '2026-02-01T00:00:00+00:00',
};

function csv(rows: Record<string, string>[], columns = COLUMNS): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n');
}

describe('credential report columns', () => {
  it.each(COLUMNS.map((c) => [c]))('a report without %s is refused naming it', (column) => {
    expect(() => parseCredentialReport(csv([ROOT, USER], COLUMNS.filter((c) => c !== column)), 'x')).toThrow(`credential report lacks columns: ${column}`);
  });
  it('the optional last-used region and service columns may be absent', () => {
    const r = parseCredentialReport(csv([ROOT, USER]), 'x');
    expect(r.rows[1].keys[0]).toEqual({ active: true, lastRotated: '2026-02-01T00:00:00.000Z', lastUsedDate: undefined, lastUsedRegion: undefined, lastUsedService: undefined });
  });
});

describe('credential report cells', () => {
  it.each([['N/A'], ['not_supported'], ['no_information'], ['']])('mfa_active %j is read as no MFA, never MFA on', (cell) => {
    const r = parseCredentialReport(csv([ROOT, { ...USER, mfa_active: cell }]), 'x');
    expect(r.rows[1].mfaActive).toBe(false);
  });
  it.each([['N/A'], ['not_supported'], ['no_information'], ['']])('an access key whose active flag is %j is inactive, its dates absent', (cell) => {
    const r = parseCredentialReport(csv([ROOT, { ...USER, access_key_1_active: cell, access_key_1_last_rotated: cell }]), 'x');
    expect(r.rows[1].keys[0]).toMatchObject({ active: false, lastRotated: undefined });
  });
  it('mfa_active false, and the second key, are read', () => {
    const r = parseCredentialReport(csv([ROOT, { ...USER, mfa_active: 'false', access_key_2_active: 'true', access_key_2_last_rotated: '2026-03-01T00:00:00Z', access_key_2_last_used_date: '2026-04-01T00:00:00Z' }]), 'x');
    expect(r.rows[1].mfaActive).toBe(false);
    expect(r.rows[1].keys[1]).toMatchObject({ active: true, lastRotated: '2026-03-01T00:00:00.000Z', lastUsedDate: '2026-04-01T00:00:00.000Z' });
    expect(r.rows[1]).toMatchObject({ passwordEnabled: true, passwordLastUsed: '2026-05-01T00:00:00.000Z', passwordLastChanged: '2026-01-01T00:00:00.000Z', userCreationTime: '2020-01-01T00:00:00.000Z' });
  });
  it('blank lines and blanks around cells are ignored', () => {
    const text = `${csv([ROOT])}\n\n${csv([USER]).split('\n')[1].replace('alice', ' alice ')}\n`;
    const r = parseCredentialReport(text, 'x');
    expect(r.rows.map((x) => x.user)).toEqual(['<root_account>', 'alice']);
  });
  it('an error names the line of the row it is on', () => {
    expect(() => parseCredentialReport(csv([ROOT, USER, { ...USER, mfa_active: 'yes' }]), 'x')).toThrow("credential report line 4: column mfa_active is not true/false: 'yes'");
    expect(() => parseCredentialReport(csv([ROOT, { ...USER, access_key_2_last_used_date: 'soon' }]), 'x')).toThrow("credential report line 3: column access_key_2_last_used_date is not a date: 'soon'");
  });
  it('keeps the generation time it is given', () => {
    expect(parseCredentialReport(csv([ROOT]), '2026-06-01T00:00:00.000Z').generatedAt).toBe('2026-06-01T00:00:00.000Z');
  });
});

describe('root and user rows', () => {
  it('root is the <root_account> row wherever it is, users are every other row', () => {
    const r = parseCredentialReport(csv([USER, ROOT, { ...USER, user: 'bob' }]), 'x');
    expect(rootRow(r)?.arn).toBe('arn:aws:iam::111122223333:root');
    expect(userRows(r).map((u) => u.user)).toEqual(['alice', 'bob']);
    expect(rootRow(parseCredentialReport(csv([USER]), 'x'))).toBeUndefined();
  });
});
