import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig, securityResourceNames } from '../../lib/config';
import { ALERT_PIPELINE_TAMPER_EVENTS, DETECTOR_TAMPER_EVENTS, IAM_PERSISTENCE_EVENTS, LOG_PIPELINE_TAMPER_EVENTS, MFA_DEVICE_EVENTS } from '../../lib/constructs/killchain-events';
import { loadPolicy, scpValues } from '../../lib/policies';
import { buildHardenedEnvironment } from '../../lib/stacks/hardened-environment';
import { cdkJsonContext } from '../helpers/app';
import { decide } from '../policies/simulate';

/**
 * Issue 10 items 1, 2 (detection), 7 and break-glass, on the app exactly as `cdk synth` builds it:
 * every alert path must be deliverable with the context keys AWS really sends, every detection must
 * match the CloudTrail events of its attack, and silence must be an alarm.
 */
const ACCOUNT = '111122223333';
const OUTSIDER = '999988887777';
const REGION = 'us-east-1';
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------- template helpers

/** Resolves the pseudo parameters and joins of a template value; other references become `<ref:Id>`. */
function resolve(v: Json): Json {
  if (Array.isArray(v)) return v.map(resolve);
  if (v === null || typeof v !== 'object') return v;
  if ('Ref' in v) return ({ 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION } as Record<string, string>)[v.Ref] ?? `<ref:${v.Ref}>`;
  if ('Fn::Join' in v) return (resolve(v['Fn::Join'][1]) as string[]).join(resolve(v['Fn::Join'][0]));
  if ('Fn::GetAtt' in v) return `<att:${v['Fn::GetAtt'].join('.')}>`;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
}

const ofType = (t: Json, type: string): [string, Json][] => Object.entries(t.Resources).filter(([, r]) => (r as Json).Type === type) as [string, Json][];

// ---------------------------------------------------------------- CloudWatch Logs filter patterns

/**
 * Evaluates the subset of the CloudWatch Logs JSON filter syntax the detections use: `{ ... }` with
 * `&&`, `||`, parentheses, `$.a.b` selectors, `=` / `!=` against quoted or bare values with a
 * trailing `*` wildcard, and `NOT EXISTS`. Anything else throws, so a pattern it cannot read fails.
 */
function filterMatches(pattern: string, event: Json): boolean {
  const src = pattern.trim();
  if (!src.startsWith('{') || !src.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tokens = src.slice(1, -1).match(/\(|\)|&&|\|\||!=|=|NOT EXISTS|"[^"]*"|[^\s()=!&|"]+/g) ?? [];
  let i = 0;
  const field = (sel: string): unknown => sel.replace(/^\$\./, '').split('.').reduce<Json>((o, k) => (o == null ? undefined : o[k]), event);
  const glob = (value: string, actual: unknown) => {
    if (actual === undefined || actual === null) return false;
    const re = new RegExp(`^${value.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(String(actual));
  };
  const atom = (): boolean => {
    const t = tokens[i++];
    if (t === '(') { const r = or(); if (tokens[i++] !== ')') throw new Error(`unbalanced pattern: ${pattern}`); return r; }
    if (!t?.startsWith('$.')) throw new Error(`unexpected '${t}' in ${pattern}`);
    const op = tokens[i++];
    if (op === 'NOT EXISTS') return field(t) === undefined;
    const raw = tokens[i++];
    const value = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    if (op === '=') return glob(value, field(t));
    if (op === '!=') return !glob(value, field(t));
    throw new Error(`unsupported operator '${op}' in ${pattern}`);
  };
  const and = (): boolean => { let r = atom(); while (tokens[i] === '&&') { i++; const b = atom(); r = r && b; } return r; };
  const or = (): boolean => { let r = and(); while (tokens[i] === '||') { i++; const b = and(); r = r || b; } return r; };
  const result = or();
  if (i !== tokens.length) throw new Error(`trailing '${tokens[i]}' in ${pattern}`);
  return result;
}

/** Evaluates an EventBridge pattern (exact values, suffix, $or, nesting) against an event. */
function ruleMatches(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([k, p]) => {
    if (k === '$or') return (p as Json[]).some((sub) => ruleMatches(sub, event));
    const actual = event?.[k];
    if (Array.isArray(p)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return p.some((m) => values.some((a) => (typeof m === 'object' ? (m.suffix !== undefined ? typeof a === 'string' && a.endsWith(m.suffix) : (() => { throw new Error(`unsupported matcher ${JSON.stringify(m)}`); })()) : a === m)));
    }
    return actual !== undefined && ruleMatches(p, actual);
  });
}

/** A CloudTrail record as it reaches the log group, and its EventBridge envelope. */
function cloudTrailEvent(eventSource: string, eventName: string, extra: Json = {}): Json {
  return {
    eventVersion: '1.09', eventSource, eventName, awsRegion: REGION, eventType: 'AwsApiCall',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userName: 'alice' },
    requestParameters: {}, ...extra,
  };
}
const envelope = (detail: Json, detailType = 'AWS API Call via CloudTrail') =>
  ({ 'source': `aws.${String(detail.eventSource).split('.')[0]}`, 'detail-type': detailType, detail });

// ---------------------------------------------------------------- the app

describe('kill-chain detection on the hardened app (issue 10)', () => {
  let logging: Json;
  let detection: Json;
  const config = parseConfig({ ...cdkJsonContext(), 'hardening:account': ACCOUNT });
  const names = securityResourceNames(config.stackPrefix);

  beforeAll(() => {
    const context = { ...cdkJsonContext(), 'hardening:account': ACCOUNT };
    const app = new App({ context });
    const env = buildHardenedEnvironment(app, parseConfig(context));
    logging = resolve(Template.fromStack(env.logging).toJSON());
    detection = resolve(Template.fromStack(env.detection).toJSON());
  });

  const filterPattern = (suffix: string): string => {
    const f = ofType(logging, 'AWS::Logs::MetricFilter').find(([, r]) => r.Properties.MetricTransformations[0].MetricName === suffix);
    if (!f) throw new Error(`no metric filter ${suffix}`);
    return f[1].Properties.FilterPattern;
  };
  const rulePattern = (suffix: string): Json => {
    const r = ofType(detection, 'AWS::Events::Rule').find(([, x]) => x.Properties.Name === `${names.prefix}${suffix}`);
    if (!r) throw new Error(`no rule ${suffix}`);
    return r[1].Properties.EventPattern;
  };
  const alarm = (t: Json, name: string): Json => {
    const a = ofType(t, 'AWS::CloudWatch::Alarm').find(([, x]) => x.Properties.AlarmName === name);
    if (!a) throw new Error(`no alarm ${name}`);
    return a[1].Properties;
  };

  // ------------------------------------------------------------ item 1: alerts arrive

  describe('item 1: every alert path is deliverable with the keys AWS sends', () => {
    const keyPolicies = () => [
      ['alert key (detection)', ofType(detection, 'AWS::KMS::Key')[0][1].Properties.KeyPolicy],
      ['log key (logging, alarm topic)', ofType(logging, 'AWS::KMS::Key')[0][1].Properties.KeyPolicy],
    ] as [string, Json][];
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const kmsDecision = async (principal: string, action: string, keyPolicy: Json, context: Record<string, string> = {}) => {
      const r = await runSimulation({
        // AWS sets aws:PrincipalIsAWSService on requests of service principals (the keys' data perimeter relies on it).
        request: { principal, action, resource: { resource: keyArn, accountId: ACCOUNT }, contextVariables: { ...(principal.endsWith('.amazonaws.com') ? { 'aws:PrincipalIsAWSService': 'true' } : {}), ...context } },
        identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: keyPolicy,
      }, {});
      if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
      return r.overallResult;
    };

    it.each(['events.amazonaws.com', 'cloudwatch.amazonaws.com'])('%s may use each topic key with NO aws:SourceAccount/SourceArn in the request', async (service) => {
      for (const [label, policy] of keyPolicies()) {
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          // EventBridge sends neither key to KMS for an encrypted topic (SNS developer guide).
          expect([label, action, await kmsDecision(service, action, policy)]).toEqual([label, action, 'Allowed']);
        }
      }
    });

    it('the simulation catches the bug: main\'s aws:SourceAccount condition drops the same request', async () => {
      for (const [label, policy] of keyPolicies()) {
        const weakened = { ...policy, Statement: policy.Statement.map((s: Json) => (s.Principal?.Service === 'events.amazonaws.com'
          ? { ...s, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } } : s)) };
        expect([label, await kmsDecision('events.amazonaws.com', 'kms:GenerateDataKey', weakened)]).toEqual([label, 'ImplicitlyDenied']);
      }
    });

    it('an outside account cannot use the keys', async () => {
      for (const [label, policy] of keyPolicies()) {
        // Explicitly: the keys' data perimeter (issue 10 item 6) denies every principal outside the account.
        expect([label, await kmsDecision(`arn:aws:iam::${OUTSIDER}:role/attacker`, 'kms:Decrypt', policy, { 'aws:PrincipalAccount': OUTSIDER })])
          .toEqual([label, 'ExplicitlyDenied']);
      }
    });

    it('each topic admits EventBridge and CloudWatch of this account (SNS receives aws:SourceAccount), not of another', async () => {
      for (const t of [logging, detection]) {
        const [topicId] = ofType(t, 'AWS::SNS::Topic')[0];
        const policy = ofType(t, 'AWS::SNS::TopicPolicy').find(([, p]) => JSON.stringify(p.Properties.Topics).includes(topicId))![1].Properties.PolicyDocument;
        const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${ofType(t, 'AWS::SNS::Topic')[0][1].Properties.TopicName}`;
        policy.Statement = policy.Statement.map((s: Json) => ({ ...s, Resource: s.Resource === `<ref:${topicId}>` ? topicArn : s.Resource }));
        for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
          const publish = async (source: string) => {
            const r = await runSimulation({
              request: { principal: service, action: 'sns:Publish', resource: { resource: topicArn, accountId: ACCOUNT }, contextVariables: { 'aws:SourceAccount': source, 'aws:SecureTransport': 'true' } },
              identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: policy,
            }, {});
            if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
            return r.overallResult;
          };
          expect([topicArn, service, await publish(ACCOUNT)]).toEqual([topicArn, service, 'Allowed']);
          expect([topicArn, service, await publish(OUTSIDER)]).toEqual([topicArn, service, 'ImplicitlyDenied']);
        }
      }
    });

    it('every rule has a FailedInvocations alarm routed to the OTHER topic and key (the logging stack\'s)', () => {
      const rules = ofType(detection, 'AWS::Events::Rule');
      expect(rules.length).toBeGreaterThanOrEqual(7);
      for (const [ruleId, rule] of rules) {
        const a = ofType(detection, 'AWS::CloudWatch::Alarm').find(([, x]) => x.Properties.MetricName === 'FailedInvocations'
          && x.Properties.Dimensions?.[0]?.Value === `<ref:${ruleId}>`);
        expect([rule.Properties.Name, a !== undefined]).toEqual([rule.Properties.Name, true]);
        const p = a![1].Properties;
        expect(p).toMatchObject({ Namespace: 'AWS/Events', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
        expect(p.AlarmName).toBe(`${names.prefix}rule-failed-${rule.Properties.Name.slice(names.prefix.length)}`);
        // Not the detection topic (whose key may be the broken one): the logging stack's alarm topic.
        expect(p.AlarmActions).toHaveLength(1);
        expect(JSON.stringify(p.AlarmActions[0])).toMatch(/HardeningLogging.*AlertTopic/);
      }
    });

    it('every alarm of both stacks has an action to a topic', () => {
      for (const t of [logging, detection]) {
        for (const [id, a] of ofType(t, 'AWS::CloudWatch::Alarm')) expect([id, a.Properties.AlarmActions?.length ?? 0]).toEqual([id, 1]);
      }
    });
  });

  // ------------------------------------------------------------ item 2: MFA device changes detected

  describe('item 2: every MFA device change is detected, in every region', () => {
    it.each([...MFA_DEVICE_EVENTS])('the log-group filter and the rule match %s', (name) => {
      const e = cloudTrailEvent('iam.amazonaws.com', name);
      expect(filterMatches(filterPattern('mfa-device-change'), e)).toBe(true);
      expect(ruleMatches(rulePattern('mfa-device-change'), envelope(e))).toBe(true);
    });

    it('reading devices is not an alarm', () => {
      for (const name of ['ListMFADevices', 'GetUser', 'ListVirtualMFADevices']) {
        expect(filterMatches(filterPattern('mfa-device-change'), cloudTrailEvent('iam.amazonaws.com', name))).toBe(false);
        expect(ruleMatches(rulePattern('mfa-device-change'), envelope(cloudTrailEvent('iam.amazonaws.com', name)))).toBe(false);
      }
    });

    it('alarms to the topic on one event; no data is no event (notBreaching)', () => {
      expect(alarm(logging, `${names.prefix}mfa-device-change`)).toMatchObject({
        Namespace: names.metricNamespace, MetricName: 'mfa-device-change', Threshold: 1, TreatMissingData: 'notBreaching',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: ['<ref:AlertTopic2BEC0189>'],
      });
    });

    it('the trail delivers IAM\'s us-east-1 events to the log group whatever the region (multi-region, global events)', () => {
      const trail = ofType(logging, 'AWS::CloudTrail::Trail')[0][1].Properties;
      expect(trail).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true });
    });
  });

  describe('planted long-term credentials and trust are detected (persistence)', () => {
    it.each([...IAM_PERSISTENCE_EVENTS['iam.amazonaws.com']])('the filter and the rule match %s', (name) => {
      const e = cloudTrailEvent('iam.amazonaws.com', name);
      expect(filterMatches(filterPattern('iam-persistence'), e)).toBe(true);
      expect(ruleMatches(rulePattern('iam-persistence'), envelope(e))).toBe(true);
    });

    it('reading IAM, and the pipeline\'s role deployments, are not persistence alarms', () => {
      for (const name of ['ListUsers', 'GetRole', 'CreateRole', 'PutRolePolicy']) {
        expect([name, filterMatches(filterPattern('iam-persistence'), cloudTrailEvent('iam.amazonaws.com', name))]).toEqual([name, false]);
      }
      expect(alarm(logging, `${names.prefix}iam-persistence`)).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching', AlarmActions: ['<ref:AlertTopic2BEC0189>'] });
    });
  });

  // ------------------------------------------------------------ break-glass

  describe('any use of the break-glass role alarms', () => {
    const breakGlass = `arn:aws:iam::${ACCOUNT}:role/${config.breakGlassRoleName}`;
    const assume = (roleArn: string) => cloudTrailEvent('sts.amazonaws.com', 'AssumeRole', { requestParameters: { roleArn, roleSessionName: 'x' } });
    const inSession = (role: string) => cloudTrailEvent('ec2.amazonaws.com', 'DescribeInstances', {
      userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', userName: role, arn: `arn:aws:iam::${ACCOUNT}:role/${role}` } } },
    });

    it('matches assuming it and any call made in its sessions', () => {
      for (const e of [assume(breakGlass), inSession(config.breakGlassRoleName)]) {
        expect(filterMatches(filterPattern('break-glass-use'), e)).toBe(true);
        expect(ruleMatches(rulePattern('break-glass-use'), envelope(e))).toBe(true);
      }
    });

    it('does not match other roles', () => {
      for (const e of [assume(`arn:aws:iam::${ACCOUNT}:role/Hardening-operators`), inSession('Hardening-operators')]) {
        expect(filterMatches(filterPattern('break-glass-use'), e)).toBe(false);
        expect(ruleMatches(rulePattern('break-glass-use'), envelope(e))).toBe(false);
      }
    });

    it('alarms to the topic', () => {
      expect(alarm(logging, `${names.prefix}break-glass-use`)).toMatchObject({ MetricName: 'break-glass-use', Threshold: 1, AlarmActions: ['<ref:AlertTopic2BEC0189>'] });
    });
  });

  // ------------------------------------------------------------ item 7: blinding is detected

  describe('item 7: detection cannot be blinded silently', () => {
    const tamper: [string, string, string][] = [
      ...Object.entries(LOG_PIPELINE_TAMPER_EVENTS).flatMap(([s, ns]) => ns.map((n) => ['log-pipeline-tampering', s, n] as [string, string, string])),
      ...Object.entries(ALERT_PIPELINE_TAMPER_EVENTS).flatMap(([s, ns]) => ns.map((n) => ['alert-pipeline-tampering', s, n] as [string, string, string])),
      ...Object.entries(DETECTOR_TAMPER_EVENTS).flatMap(([s, ns]) => ns.map((n) => ['detector-tampering', s, n] as [string, string, string])),
    ];
    it.each(tamper)('%s matches %s %s (filter and rule)', (detector, source, name) => {
      const e = cloudTrailEvent(source, name);
      expect(filterMatches(filterPattern(detector), e)).toBe(true);
      expect(ruleMatches(rulePattern(detector), envelope(e))).toBe(true);
    });

    it('the named blinding moves are covered: filters, subscription filter policies, retention, transformers, key policy, object lock', () => {
      const covered = (source: string, name: string) => filterMatches(filterPattern('log-pipeline-tampering'), cloudTrailEvent(source, name))
        || filterMatches(filterPattern('alert-pipeline-tampering'), cloudTrailEvent(source, name));
      for (const [source, name] of [
        ['logs.amazonaws.com', 'DeleteMetricFilter'], ['logs.amazonaws.com', 'PutRetentionPolicy'], ['logs.amazonaws.com', 'PutTransformer'],
        ['sns.amazonaws.com', 'SetSubscriptionAttributes'], ['kms.amazonaws.com', 'PutKeyPolicy'], ['s3.amazonaws.com', 'PutObjectLockConfiguration'],
        ['cloudtrail.amazonaws.com', 'PutEventSelectors'],
      ]) expect([name, covered(source, name)]).toEqual([name, true]);
      // GuardDuty switched off, or its findings archived before they alert.
      for (const name of ['DeleteDetector', 'UpdateDetector', 'CreateFilter', 'ArchiveFindings']) {
        expect([name, filterMatches(filterPattern('detector-tampering'), cloudTrailEvent('guardduty.amazonaws.com', name))]).toEqual([name, true]);
      }
    });

    it('ordinary traffic is not tampering, and an event name counts only from its own service', () => {
      for (const [source, name] of [['logs.amazonaws.com', 'CreateLogStream'], ['kms.amazonaws.com', 'GenerateDataKey'], ['s3.amazonaws.com', 'PutObject'],
        ['guardduty.amazonaws.com', 'GetFindings'], ['elasticloadbalancing.amazonaws.com', 'DeleteRule'], ['sqs.amazonaws.com', 'RemovePermission']]) {
        for (const d of ['log-pipeline-tampering', 'alert-pipeline-tampering', 'detector-tampering']) {
          expect([d, source, name, filterMatches(filterPattern(d), cloudTrailEvent(source, name))]).toEqual([d, source, name, false]);
          expect([d, source, name, ruleMatches(rulePattern(d), envelope(cloudTrailEvent(source, name)))]).toEqual([d, source, name, false]);
        }
      }
    });

    it('the trail heartbeat alarms when no event reaches the log group for an hour (missing data breaches)', () => {
      const [groupId] = ofType(logging, 'AWS::Logs::LogGroup').find(([, g]) => g.Properties.LogGroupName === names.trailLogGroupName)!;
      expect(alarm(logging, `${names.prefix}trail-heartbeat`)).toMatchObject({
        Namespace: 'AWS/Logs', MetricName: 'IncomingLogEvents', Dimensions: [{ Name: 'LogGroupName', Value: `<ref:${groupId}>` }],
        Statistic: 'Sum', Period: 3600, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
        AlarmActions: ['<ref:AlertTopic2BEC0189>'],
      });
    });

    it.each(['log-pipeline-tampering', 'alert-pipeline-tampering', 'detector-tampering'])('deleting the %s filter itself is an alarm: it publishes 0 otherwise and its heartbeat breaches on silence', (d) => {
      const f = ofType(logging, 'AWS::Logs::MetricFilter').find(([, r]) => r.Properties.MetricTransformations[0].MetricName === d)![1];
      expect(f.Properties.MetricTransformations[0]).toMatchObject({ DefaultValue: 0, MetricValue: '1' });
      expect(alarm(logging, `${names.prefix}${d}-heartbeat`)).toMatchObject({
        Namespace: names.metricNamespace, MetricName: d, Statistic: 'SampleCount', Period: 3600,
        ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
      });
      // Its event alarm does not breach on the zeros.
      expect(alarm(logging, `${names.prefix}${d}`)).toMatchObject({ Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    });

    it('the CIS event-count alarms treat missing data as not breaching, deliberately (no event is the normal state)', () => {
      const cis = ofType(logging, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === 'CISBenchmark');
      expect(cis).toHaveLength(15);
      for (const [, a] of cis) expect(a.Properties.TreatMissingData).toBe('notBreaching');
    });

    it('every piece of the pipeline has a predictable name under the SCP prefixes', () => {
      expect(ofType(logging, 'AWS::CloudTrail::Trail')[0][1].Properties.TrailName).toBe(names.trailName);
      expect(ofType(logging, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.LogGroupName)).toContain(names.trailLogGroupName);
      const archive = ofType(logging, 'AWS::S3::Bucket').find(([, b]) => b.Properties.ObjectLockEnabled)![1];
      expect(archive.Properties.BucketName).toBe(`${names.bucketPrefix}archive-${ACCOUNT}`);
      expect(ofType(logging, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName)).toContain(names.trailLogsRoleName);
      for (const t of [logging, detection]) {
        for (const [, a] of ofType(t, 'AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmName).toMatch(new RegExp(`^${names.prefix}`));
        for (const [, r] of ofType(t, 'AWS::Events::Rule')) expect(r.Properties.Name).toMatch(new RegExp(`^${names.prefix}`));
        for (const [, s] of ofType(t, 'AWS::SNS::Topic')) expect(s.Properties.TopicName).toMatch(new RegExp(`^${names.prefix}`));
      }
      for (const [, f] of ofType(logging, 'AWS::Logs::MetricFilter')) {
        expect(['CISBenchmark', names.metricNamespace]).toContain(f.Properties.MetricTransformations[0].MetricNamespace);
      }
    });

    it('the protect-security-services SCP, rendered from the same config, denies silencing every alarm, rule and topic', async () => {
      const scp = loadPolicy('scp/protect-security-services', scpValues(config));
      const admin = `arn:aws:iam::${ACCOUNT}:role/Hardening-administrators`;
      for (const t of [logging, detection]) {
        for (const [, a] of ofType(t, 'AWS::CloudWatch::Alarm')) {
          const arn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${a.Properties.AlarmName}`;
          expect([arn, await decide({ principal: admin, action: 'cloudwatch:DisableAlarmActions', resource: arn, scps: [scp] })]).toEqual([arn, 'ExplicitlyDenied']);
        }
        for (const [, r] of ofType(t, 'AWS::Events::Rule')) {
          const arn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${r.Properties.Name}`;
          expect([arn, await decide({ principal: admin, action: 'events:DisableRule', resource: arn, scps: [scp] })]).toEqual([arn, 'ExplicitlyDenied']);
        }
        for (const [, s] of ofType(t, 'AWS::SNS::Topic')) {
          // Unsubscribe is authorized on the topic's ARN (service authorization reference).
          const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${s.Properties.TopicName}`;
          expect([arn, await decide({ principal: admin, action: 'sns:Unsubscribe', resource: arn, scps: [scp] })]).toEqual([arn, 'ExplicitlyDenied']);
        }
      }
    });
  });

  // ------------------------------------------------------------ item 12: no pretend address

  describe('item 12: no alert address is pretended', () => {
    it('cdk.json carries none: each alerting stack asks for it at deploy time (a parameter with no default)', () => {
      expect(config.alertEmails).toBeUndefined();
      for (const t of [logging, detection]) {
        expect(t.Parameters.AlertEmail).toMatchObject({ Type: 'String' });
        expect(t.Parameters.AlertEmail.Default).toBeUndefined();
        const subs = ofType(t, 'AWS::SNS::Subscription');
        expect(subs).toHaveLength(1);
        expect(subs[0][1].Properties).toMatchObject({ Protocol: 'email', Endpoint: '<ref:AlertEmail>' });
      }
      expect(JSON.stringify([logging, detection])).not.toMatch(/example\.(com|net|org)/);
    });

    it('configured addresses are subscribed as given, with no parameter', () => {
      const context = { ...cdkJsonContext(), 'hardening:account': ACCOUNT, 'hardening:alertEmails': ['soc@bank.internal'] };
      const app = new App({ context });
      const env = buildHardenedEnvironment(app, parseConfig(context));
      for (const s of [env.logging, env.detection]) {
        const t = Template.fromStack(s);
        t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@bank.internal' });
        expect(Object.keys(t.toJSON().Parameters ?? {})).not.toContain('AlertEmail');
      }
    });
  });
});
