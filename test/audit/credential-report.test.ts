import { parseCredentialReport, ROOT_USER } from '../../lib/audit';

const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,'
  + 'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,'
  + 'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,'
  + 'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('parseCredentialReport', () => {
  it('reads root (not_supported, <root_account>), N/A and no_information cells', () => {
    const csv = [HEADER,
      '<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'alice,arn:aws:iam::111122223333:user/alice,2025-01-01T00:00:00+00:00,true,no_information,2025-01-02T00:00:00+00:00,N/A,false,true,2025-03-01T00:00:00+00:00,2026-05-30T08:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ].join('\n');
    const r = parseCredentialReport(csv, '2026-06-01T00:00:00.000Z');
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]).toMatchObject({ user: ROOT_USER, passwordEnabled: undefined, passwordLastUsed: '2026-05-01T10:00:00.000Z', mfaActive: true });
    expect(r.rows[1]).toMatchObject({ user: 'alice', passwordEnabled: true, passwordLastUsed: undefined, mfaActive: false });
    expect(r.rows[1].keys[0]).toEqual({ active: true, lastRotated: '2025-03-01T00:00:00.000Z', lastUsedDate: '2026-05-30T08:00:00.000Z', lastUsedRegion: 'us-east-1', lastUsedService: 's3' });
    expect(r.rows[1].keys[1]).toEqual({ active: false, lastRotated: undefined, lastUsedDate: undefined, lastUsedRegion: undefined, lastUsedService: undefined });
  });
  it('handles quoted cells with commas', () => {
    const csv = `${HEADER}\n"odd,name",arn:aws:iam::111122223333:user/odd,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    expect(parseCredentialReport(csv, 'x').rows[0].user).toBe('odd,name');
  });
  it('fails on a missing column, naming it', () => {
    expect(() => parseCredentialReport('user,arn\nx,y\n', 'x')).toThrow(/lacks columns: user_creation_time, password_enabled/);
  });
  it('fails on a bad date or flag, naming line and column', () => {
    const bad = `${HEADER}\nu,arn,yesterday,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    expect(() => parseCredentialReport(bad, 'x')).toThrow("credential report line 2: column user_creation_time is not a date: 'yesterday'");
    const flag = `${HEADER}\nu,arn,2025-01-01T00:00:00+00:00,maybe,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    expect(() => parseCredentialReport(flag, 'x')).toThrow("column password_enabled is not true/false: 'maybe'");
  });
  it('fails on an empty report', () => {
    expect(() => parseCredentialReport(`${HEADER}\n`, 'x')).toThrow(/no rows/);
  });
});
