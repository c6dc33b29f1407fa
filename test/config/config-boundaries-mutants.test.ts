/**
 * Configuration validation: both sides of every limit and every cross-field rule, the behaviours
 * mutation testing (issue 14) found unpinned.
 */
import { ConfigError, parseConfig } from '../../lib/config';

function problems(context: Record<string, unknown>): { key: string; value: unknown; message: string }[] {
  try {
    parseConfig(context);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}
const keys = (context: Record<string, unknown>) => problems(context).map((p) => p.key);
const h = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`hardening:${k}`, v]));

describe('both sides of each limit', () => {
  test.each([
    ['logRetentionDays', 365, 364],
    ['archiveObjectLockDays', 1095, 1094],
    ['noncurrentVersionExpirationDays', 730, 731],
    ['roleMaxSessionSeconds', 3600, 3601],
    ['mfaMaxAgeSeconds', 3600, 3601],
  ])('%s: %p is accepted, %p refused naming the key and value', (key, ok, bad) => {
    expect(problems(h({ [key]: ok }))).toEqual([]);
    expect(problems(h({ [key]: bad }))).toEqual([{ key: `hardening:${key}`, value: bad, message: expect.stringMatching(/^must be at (least|most) /) }]);
  });
  test('mfaMaxAgeSeconds names the control', () => {
    expect(problems(h({ mfaMaxAgeSeconds: 7200 }))[0].message).toBe('must be at most 3600 seconds (IAM-MFA: a recent MFA)');
  });
});

describe('availability zones and the VPC', () => {
  test('3 zones are accepted, 4 refused; a zone listed twice is refused', () => {
    expect(problems(h({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }))).toEqual([]);
    expect(problems(h({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'] }))).toEqual([
      { key: 'hardening:availabilityZones', value: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'], message: 'must list 2 or 3 availability zones' }]);
    expect(problems(h({ availabilityZones: ['us-east-1a', 'us-east-1a'] }))).toEqual([
      { key: 'hardening:availabilityZones', value: ['us-east-1a', 'us-east-1a'], message: 'lists an availability zone twice' }]);
  });
  test('the zones default to <region>a and <region>b of the configured region', () => {
    expect(parseConfig(h({ region: 'eu-west-1', allowedRegions: ['eu-west-1'] })).availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });
  test('VPC prefixes /16 to /24 are accepted when the subnets fit, /15 and /25 refused', () => {
    const small = { publicSubnetMask: 28, appSubnetMask: 28, dataSubnetMask: 28 };
    expect(problems(h({ vpcCidr: '10.0.0.0/16' }))).toEqual([]);
    expect(problems(h({ vpcCidr: '10.0.0.0/24', ...small }))).toEqual([]);
    for (const cidr of ['10.0.0.0/15', '10.0.0.0/25']) {
      expect(problems(h({ vpcCidr: cidr, ...small }))).toContainEqual({ key: 'hardening:vpcCidr', value: cidr, message: 'prefix must be between /16 and /24' });
    }
  });
  test('an octet of 255 is accepted, 256 refused', () => {
    expect(problems(h({ vpcCidr: '10.255.0.0/16' }))).toEqual([]);
    expect(problems(h({ vpcCidr: '10.256.0.0/16' }))).toContainEqual({ key: 'hardening:vpcCidr', value: '10.256.0.0/16', message: 'has an octet above 255' });
  });
  test('subnets that exactly fill the VPC fit; one address more does not', () => {
    // 2 AZs x (/25 + /24 + /25) = 2 x 512 = 1024 addresses = a /22.
    const masks = { publicSubnetMask: 25, appSubnetMask: 24, dataSubnetMask: 25 };
    expect(problems(h({ vpcCidr: '10.0.0.0/22', ...masks }))).toEqual([]);
    expect(problems(h({ vpcCidr: '10.0.0.0/22', ...masks, appSubnetMask: 23 }))).toEqual([
      { key: 'hardening:vpcCidr', value: '10.0.0.0/22', message: 'is too small for 2 AZs x (/25 + /23 + /25) subnets' }]);
    expect(keys(h({ vpcCidr: '10.0.0.0/22', ...masks, availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }))).toEqual(['hardening:vpcCidr']);
  });
  test('as many NAT gateways as zones is accepted', () => {
    expect(problems(h({ natGateways: 3, availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }))).toEqual([]);
  });
});

describe('lists', () => {
  test('RDP is an administration port too, wherever it is in the list', () => {
    expect(problems(h({ databasePorts: [5432, 3389] }))).toEqual([
      { key: 'hardening:databasePorts', value: [5432, 3389], message: 'port 3389 is an administration port (SSH/RDP); use Session Manager' }]);
  });
  test('no database port, no data class, a data class or group twice: each refused', () => {
    expect(problems(h({ databasePorts: [] }))).toEqual([{ key: 'hardening:databasePorts', value: [], message: 'must list at least one port' }]);
    expect(problems(h({ dataClasses: [] }))).toEqual([{ key: 'hardening:dataClasses', value: [], message: 'must list at least one data class' }]);
    expect(keys(h({ dataClasses: [{ name: 'pii' }, { name: 'pii', table: false }] }))).toEqual(['hardening:dataClasses']);
    expect(problems(h({ dataClasses: [{ name: 'pii' }, { name: 'pii', table: false }] }))[0].message).toBe('lists a data class name twice');
    expect(problems(h({ groups: ['operators', 'operators'] }))).toEqual([{ key: 'hardening:groups', value: ['operators', 'operators'], message: 'lists a group twice' }]);
  });
});

describe('regions and backups', () => {
  test('a backup copy region outside allowedRegions is refused; inside and different is accepted', () => {
    expect(problems(h({ backupCopyRegion: 'us-west-2' }))).toEqual([
      { key: 'hardening:backupCopyRegion', value: 'us-west-2', message: 'must be one of allowedRegions, or the region guard denies the copy' }]);
    expect(problems(h({ backupCopyRegion: 'us-west-2', allowedRegions: ['us-east-1', 'us-west-2'] }))).toEqual([]);
  });
  test('vault lock minimum equal to the maximum is accepted, above it refused', () => {
    const base = { backupDailyRetentionDays: 100, backupMonthlyRetentionDays: 100 };
    expect(problems(h({ ...base, vaultLockMinRetentionDays: 100, vaultLockMaxRetentionDays: 100 }))).toEqual([]);
    expect(keys(h({ ...base, vaultLockMinRetentionDays: 101, vaultLockMaxRetentionDays: 100 }))).toContain('hardening:vaultLockMinRetentionDays');
    expect(problems(h({ vaultLockMinRetentionDays: 400, vaultLockMaxRetentionDays: 300, backupDailyRetentionDays: 350, backupMonthlyRetentionDays: 350 }))).toContainEqual(
      { key: 'hardening:vaultLockMinRetentionDays', value: 400, message: 'must not exceed vaultLockMaxRetentionDays (300)' });
  });
  test.each(['backupDailyRetentionDays', 'backupMonthlyRetentionDays'])('%s at the lock bounds is accepted, one day outside either refused', (key) => {
    const lock = { vaultLockMinRetentionDays: 30, vaultLockMaxRetentionDays: 400, backupDailyRetentionDays: 100, backupMonthlyRetentionDays: 100 };
    expect(problems(h({ ...lock, [key]: 30 }))).toEqual([]);
    expect(problems(h({ ...lock, [key]: 400 }))).toEqual([]);
    for (const bad of [29, 401]) {
      expect(problems(h({ ...lock, [key]: bad }))).toEqual([
        { key: `hardening:${key}`, value: bad, message: "must lie within the vault lock's 30-400 days, or the locked vault refuses the backups" }]);
    }
  });
});

describe('how problems are reported', () => {
  test('one problem or several, each line key=value', () => {
    expect(() => parseConfig(h({ mfaMaxAgeSeconds: 7200 }))).toThrow(/^invalid configuration \(1 problem\):\n {2}- hardening:mfaMaxAgeSeconds=7200: /);
    expect(() => parseConfig(h({ mfaMaxAgeSeconds: 7200, roleMaxSessionSeconds: 7200 }))).toThrow(/^invalid configuration \(2 problems\):\n/);
  });
  test('a long value is cut at 120 characters', () => {
    const long = 'x'.repeat(200);
    const message = (() => { try { parseConfig(h({ breakGlassRoleNam: long })); } catch (e) { return (e as Error).message; } return ''; })();
    expect(message).toContain(`hardening:breakGlassRoleNam="${'x'.repeat(116)}...: unknown context key`);
  });
  test('a prefix within two edits of hardening is flagged, a farther one is left alone', () => {
    expect(keys({ 'hardenign:vpcCidr': '10.0.0.0/16' })).toEqual(['hardenign:vpcCidr']);
    expect(keys({ 'hardxxing:vpcCidr': '10.0.0.0/16' })).toEqual(['hardxxing:vpcCidr']);
    expect(keys({ 'harden:vpcCidr': '10.0.0.0/16' })).toEqual([]);
    expect(problems({ 'Hardening:natGateways': 1 })[0].message).toBe('unknown context key: the prefix is misspelt (expected hardening:natGateways)');
  });
  test('a key far from every known key gets no suggestion', () => {
    expect(problems(h({ zzzzzzzz: 1 }))[0].message).toBe('unknown context key; a misspelt key must never drop a control');
  });
  test('an unknown field of a data class names the known fields', () => {
    expect(problems(h({ dataClasses: [{ name: 'pii', tables: true }] }))[0].message).toMatch(/; known fields are name, table, objectLock$/);
  });
  test('a schema problem does not hide a cross-field problem of another key', () => {
    expect(keys(h({ natGateways: 'two', alertEmails: [] })).sort()).toEqual(['hardening:alertEmails', 'hardening:natGateways']);
  });
});

describe('the CloudWatch retention period', () => {
  test('a retention CloudWatch accepts is kept as is', () => {
    expect(parseConfig(h({ logRetentionDays: 365 })).logRetentionPeriod).toBe(365);
    expect(parseConfig(h({ logRetentionDays: 1096 })).logRetentionPeriod).toBe(1096);
  });
});
