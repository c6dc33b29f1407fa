import { ConfigError, DEFAULTS, parseConfig, describeConfig } from '../../lib/config';
import { cdkJsonContext } from '../helpers/app';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ROOT } from '../helpers/app';

function problems(context: Record<string, unknown>): { key: string; value: unknown; message: string }[] {
  try {
    parseConfig(context);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  test('an empty context gives the secure defaults', () => {
    const c = parseConfig({});
    expect(c.logRetentionDays).toBe(1095);
    expect(c.logRetentionPeriod).toBe(1096);
    expect(c.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(c.allowedRegions).toEqual(['us-east-1']);
    expect(c.account).toBeUndefined();
    expect(c.dataClasses).toEqual([{ name: 'customer-pii', table: true, objectLock: false }]);
  });

  test('cdk.json holds every key with exactly the defaults of lib/config', () => {
    const ctx = cdkJsonContext();
    const hardening = Object.fromEntries(Object.entries(ctx).filter(([k]) => k.startsWith('hardening:')));
    const parsed = parseConfig(hardening);
    for (const [k, v] of Object.entries(DEFAULTS)) {
      expect([k, (parsed as unknown as Record<string, unknown>)[k]]).toEqual([k, v]);
    }
    const documented = describeConfig().filter((d) => d.default !== undefined).map((d) => d.key).sort();
    expect(Object.keys(hardening).filter((k) => k !== 'hardening:availabilityZones').sort()).toEqual(documented);
  });

  test('docs/configuration.md documents every key', () => {
    const readme = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    for (const d of describeConfig()) expect([d.key, readme.includes(`\`${d.key}\``)]).toEqual([d.key, true]);
  });

  test('other context keys (feature flags) are left alone', () => {
    expect(() => parseConfig({ '@aws-cdk/core:checkSecretUsage': true })).not.toThrow();
  });

  test('string values given with -c are read as numbers, booleans and lists', () => {
    const c = parseConfig({
      'hardening:logRetentionDays': '400', 'hardening:securityHub': 'true',
      'hardening:databasePorts': '5432,3306', 'hardening:alertEmails': '["a@bank.internal","b@bank.internal"]',
      'hardening:dataClasses': '[{"name":"loans","table":false}]',
    });
    expect(c.logRetentionDays).toBe(400);
    expect(c.logRetentionPeriod).toBe(400);
    expect(c.securityHub).toBe(true);
    expect(c.databasePorts).toEqual([5432, 3306]);
    expect(c.alertEmails).toEqual(['a@bank.internal', 'b@bank.internal']);
    expect(c.dataClasses).toEqual([{ name: 'loans', table: false, objectLock: false }]);
  });

  test('a retention between CloudWatch periods is rounded up, never down', () => {
    expect(parseConfig({ 'hardening:logRetentionDays': 366 }).logRetentionPeriod).toBe(400);
    expect(parseConfig({ 'hardening:logRetentionDays': 3653 }).logRetentionPeriod).toBe(3653);
  });
});

describe('fails when', () => {
  test.each([
    ['log retention is below 365 days', { 'hardening:logRetentionDays': '30' }, 'hardening:logRetentionDays', 30, /at least 365/],
    ['a key is misspelt', { 'hardening:logRetentionDay': 1095 }, 'hardening:logRetentionDay', 1095, /unknown context key \(did you mean hardening:logRetentionDays\?\)/],
    ['the prefix is misspelt', { 'hardenig:vpcCidr': '10.0.0.0/16' }, 'hardenig:vpcCidr', '10.0.0.0/16', /prefix is misspelt/],
    ['a number is not a number', { 'hardening:natGateways': 'two' }, 'hardening:natGateways', 'two', /expected number/],
    ['the archive lock is under 3 years', { 'hardening:archiveObjectLockDays': 365 }, 'hardening:archiveObjectLockDays', 365, /at least 1095/],
    ['an AZ is outside the region', { 'hardening:availabilityZones': ['us-east-1a', 'us-west-2b'] }, 'hardening:availabilityZones', ['us-east-1a', 'us-west-2b'], /us-west-2b is not in region us-east-1/],
    ['only one AZ is given', { 'hardening:availabilityZones': ['us-east-1a'] }, 'hardening:availabilityZones', ['us-east-1a'], /2 or 3/],
    ['a database port is SSH', { 'hardening:databasePorts': [22] }, 'hardening:databasePorts', [22], /administration port/],
    ['no alert address is given', { 'hardening:alertEmails': [] }, 'hardening:alertEmails', [], /at least one address/],
    ['an alert address is malformed', { 'hardening:alertEmails': ['oncall'] }, 'hardening:alertEmails[0]', 'oncall', /e-mail/],
    ['the VPC is too small for the subnets', { 'hardening:vpcCidr': '10.0.0.0/24' }, 'hardening:vpcCidr', '10.0.0.0/24', /too small/],
    ['the CIDR is malformed', { 'hardening:vpcCidr': '10.0.0/16' }, 'hardening:vpcCidr', '10.0.0/16', /IPv4 CIDR/],
    ['more NAT gateways than AZs', { 'hardening:natGateways': 3 }, 'hardening:natGateways', 3, /must not exceed/],
    ['noncurrent versions are kept beyond 2 years', { 'hardening:noncurrentVersionExpirationDays': 800 }, 'hardening:noncurrentVersionExpirationDays', 800, /at most 730/],
    ['a data class name is invalid', { 'hardening:dataClasses': [{ name: 'Customer PII' }] }, 'hardening:dataClasses[0].name', 'Customer PII', /lowercase/],
    ['a data class has an unknown field', { 'hardening:dataClasses': [{ name: 'pii', tables: true }] }, 'hardening:dataClasses[0]', { name: 'pii', tables: true }, /Unrecognized key/],
    ['the account id is malformed', { 'hardening:account': '1234' }, 'hardening:account', '1234', /12-digit/],
    ['sessions exceed one hour', { 'hardening:roleMaxSessionSeconds': 7200 }, 'hardening:roleMaxSessionSeconds', 7200, /at most 3600/],
    ['an unknown group is asked for', { 'hardening:groups': ['admins'] }, 'hardening:groups[0]', 'admins', /administrators/],
    ['the allowed regions omit the target region', { 'hardening:allowedRegions': ['eu-west-1'] }, 'hardening:allowedRegions', ['eu-west-1'], /must include the target region/],
    ['backups outlive the vault lock', { 'hardening:backupMonthlyRetentionDays': 5000 }, 'hardening:backupMonthlyRetentionDays', 5000, /within the vault lock/],
    ['the backup copy goes to the same region', { 'hardening:backupCopyRegion': 'us-east-1' }, 'hardening:backupCopyRegion', 'us-east-1', /must differ/],
  ])('%s', (_name, ctx, key, value, message) => {
    const found = problems(ctx as Record<string, unknown>);
    expect(found).toContainEqual({ key, value, message: expect.stringMatching(message) });
  });

  test('every problem is reported at once, each naming its key and value', () => {
    const found = problems({ 'hardening:logRetentionDays': 30, 'hardening:vpcCidr': 'x', 'hardening:bogus': 1 });
    expect(found.map((p) => p.key).sort()).toEqual(['hardening:bogus', 'hardening:logRetentionDays', 'hardening:vpcCidr']);
  });

  test('cross-field problems are reported together too', () => {
    const found = problems({ 'hardening:logRetentionDays': 30, 'hardening:archiveObjectLockDays': 10, 'hardening:alertEmails': [] });
    expect(found).toHaveLength(3);
  });

  test('the error message lists key=value for each problem', () => {
    expect(() => parseConfig({ 'hardening:logRetentionDays': '30' })).toThrow(/hardening:logRetentionDays=30: must be at least 365/);
  });
});
