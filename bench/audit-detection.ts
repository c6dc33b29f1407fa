/**
 * Benchmark of the detection-path collection (LOG-TRAIL, LOG-ALARMS, IR-ROUTING) against moto, a real
 * AWS-protocol server: one account, the hardened detection path seeded in us-east-1 (a multi-region
 * trail, 15 CIS filters and alarms, security rules, two alert topics), 17 regions audited. Prints the
 * API calls per region (bounded: no call per alarm, filter, topic subscription or resource) and the time.
 *
 *   npm run bench -- audit-detection
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AuditClients, KNOWN_REGIONS } from '../lib/audit';
import { collectLoggingRegion } from '../lib/audit/collect-logging';
import { DEFAULT_LOGGING_SETTINGS } from '../lib/audit/logging-types';
import { mapLimit } from '../lib/audit/pool';
import { CIS_METRIC_FILTERS } from '../lib/constructs/cis-metric-filters';
import { startMoto } from '../test/audit/support/moto';

const REGIONS = ['us-east-1', ...KNOWN_REGIONS.filter((r) => r !== 'us-east-1' && !r.startsWith('us-gov') && !r.startsWith('cn-'))].slice(0, 17);
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Publishers', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' },
  ],
};

export async function run(): Promise<void> {
  const moto = await startMoto();
  try {
    const spec = join(tmpdir(), `bench-detection-${process.pid}.json`);
    writeFileSync(spec, JSON.stringify({ prefix: DEFAULT_LOGGING_SETTINGS.securityNamePrefix, filters: CIS_METRIC_FILTERS.map((f) => ({ name: f.name, pattern: f.pattern })), keyPolicy: KEY_POLICY }));
    execFileSync('python3', [join(__dirname, '../test/audit/moto/seed_detection_path.py'), moto.motoEndpoint, 'seed', spec], { encoding: 'utf8' });
    const clients = new AuditClients({ endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const before = moto.calls().length;
    const t = Date.now();
    const now = new Date();
    await mapLimit(REGIONS, 8, (r) => collectLoggingRegion({
      cloudtrail: clients.cloudtrail(r), logs: clients.logs(r), cloudwatch: clients.cloudwatch(r), events: clients.events(r),
      sns: clients.sns(r), kms: clients.kms(r), tagging: clients.tagging(r),
    }, r, DEFAULT_LOGGING_SETTINGS, now));
    const ms = Date.now() - t;
    clients.destroy();
    const calls = moto.calls().slice(before);
    const perRegion = new Map<string, number>();
    for (const c of calls) perRegion.set(c.region, (perRegion.get(c.region) ?? 0) + 1);
    const home = perRegion.get('us-east-1') ?? 0;
    const others = REGIONS.filter((r) => r !== 'us-east-1').map((r) => perRegion.get(r) ?? 0);
    const byAction = new Map<string, number>();
    for (const c of calls.filter((x) => x.region === 'us-east-1')) byAction.set(c.action, (byAction.get(c.action) ?? 0) + 1);
    console.log([
      `detection-path collection: ${REGIONS.length} regions against moto (seeded home region us-east-1), one account`,
      `  API calls     ${calls.length} in ${(ms / 1000).toFixed(2)} s`,
      `  per region    home ${home}; each other region ${Math.min(...others)}-${Math.max(...others)}`,
      `  home region   ${[...byAction].map(([a, n]) => `${a} ${n}`).join(', ')}`,
      '  bound         per region: 6 list calls (+ pages) + 2 per trail homed there + 2 per trail log group'
        + ' + 1 per security rule + 1 GetMetricData + 1 per alert topic + 2 per distinct alert key',
    ].join('\n'));
  } finally {
    await moto.stop();
  }
}
