import { App, CfnResource, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GUARDDUTY_DETECTOR_METADATA, REQUIRED_GUARDDUTY_FEATURES } from '../../../lib/nag/rules/guardduty';
import { ResourceIndex } from '../../../lib/nag/resource-index';
import { coversHighSeverity, guardDutyEventRules } from '../../../lib/nag/rules/guardduty/event-rules';
import { expectRule, findingsOf, param, paramValue } from '../helpers';
import { GUARDDUTY_FEATURES } from '../../../lib/lessons';

/** Every plan ENABLED, with the agent management the catalogue requires (runtime monitoring's agents), as GuardDutyDetector configures it. */
const allFeatures = GUARDDUTY_FEATURES.map((f) => ({
  name: f.name, status: 'ENABLED', ...(f.additionalConfiguration ? { additionalConfiguration: f.additionalConfiguration.map((name) => ({ name, status: 'ENABLED' })) } : {}),
}));

describe('GuardDutyAllProtections', () => {
  const rule = 'GuardDutyAllProtections';
  test('Compliance 1: detector with every protection plan', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures }), 'D', 'PASS');
  });
  test('Noncompliance 1: detector without runtime monitoring', () => {
    const f = expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures.filter((x) => x.name !== 'RUNTIME_MONITORING') }), 'D', 'FAIL');
    expect(f!.message).toMatch(/RUNTIME_MONITORING is not enabled/);
  });
  test('Noncompliance 2: disabled detector', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: false, features: allFeatures }), 'D', 'FAIL');
  });
  test('Unresolved 1: a feature status is a parameter', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: true, features: [...allFeatures.slice(1), { name: 'S3_DATA_EVENTS', status: param(s) }] }), 'D', 'ERROR');
  });
  test('Unresolved 2: enable is a parameter', () => {
    expectRule(rule, (s) => new guardduty.CfnDetector(s, 'D', { enable: paramValue(s), features: allFeatures }), 'D', 'ERROR');
  });
});

describe('GuardDutyDetectorPresent', () => {
  const rule = 'GuardDutyDetectorPresent';
  const table = (s: import('aws-cdk-lib').Stack) => new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  test('Compliance 1: an app with workloads and a detector', () => {
    expectRule(rule, (s) => { table(s); new guardduty.CfnDetector(s, 'D', { enable: true }); }, 'T/Resource', 'PASS');
  });
  test('Compliance 2: a construct adopting the existing detector, marked explicitly', () => {
    expectRule(rule, (s) => {
      table(s);
      new CfnResource(s, 'Adopt', { type: 'Custom::AdoptDetector', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:1:function:f' } })
        .addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
    }, 'T/Resource', 'PASS');
  });
  test('Noncompliance 1: workloads and no detector (a warning)', () => {
    const f = expectRule(rule, (s) => table(s), 'T/Resource', 'FAIL');
    expect(f!.severity).toBe('warning');
  });
  test('Unresolved 1: a marker that is not literally true does not count', () => {
    expectRule(rule, (s) => {
      table(s);
      new CfnResource(s, 'Adopt', { type: 'Custom::AdoptDetector', properties: {} }).addMetadata(GUARDDUTY_DETECTOR_METADATA, param(s));
    }, 'T/Resource', 'FAIL');
  });
});

describe('coversHighSeverity (the union of severity matchers admits every severity from 7 to 10)', () => {
  test.each([
    [[{ numeric: ['>=', 7] }], true],
    [[{ numeric: ['>', 6.9] }], true],
    [[{ numeric: ['>=', 4] }], true],
    [[{ numeric: ['>=', 7, '<', 9] }, { numeric: ['>=', 9, '<=', 10] }], true],
    [[{ numeric: ['>', 7] }], false],
    [[{ numeric: ['>=', 7, '<=', 8.9] }], false],
    [[{ numeric: ['>=', 7, '<', 8] }, { numeric: ['>', 8] }], false],
    [[7, 8, 9], false],
    // a plain number matches exactly that severity: 10 closes a range open at 10
    [[{ numeric: ['>=', 7, '<', 10] }, 10], true],
    [[{ numeric: ['>=', 7, '<', 10] }], false],
    // '=' is one severity, both ends included
    [[{ numeric: ['=', 7] }, { numeric: ['>', 7] }], true],
    [[{ numeric: ['=', 5] }], false],
    [[{ numeric: ['=', 10] }, { numeric: ['>', 9] }], false],
    // a lone upper bound admits everything below it
    [[{ numeric: ['<=', 10] }], true],
    // a hole between two ranges, and one between ranges given out of order
    [[{ numeric: ['>=', 7, '<=', 8] }, { numeric: ['>=', 9] }], false],
    [[{ numeric: ['>=', 10] }, { numeric: ['>', 7.5, '<=', 9] }, { numeric: ['>=', 7, '<', 9] }], false],
  ])('%j -> %s', (matchers, expected) => {
    expect(coversHighSeverity(matchers)).toBe(expected);
  });
  test('an unknown matcher cannot be judged', () => {
    expect(coversHighSeverity([{ 'anything-but': [1] }])).toBeUndefined();
  });
  test.each([
    [[{ numeric: ['!=', 7] }]],
    [[null]],
    [[{ numeric: ['>=', 7] }, { 'anything-but': [1] }]],
  ])('%j cannot be judged (an unknown operator, a null value, one unknown matcher among others)', (matchers) => {
    expect(coversHighSeverity(matchers)).toBeUndefined();
  });
});

describe('GuardDutyHighSeverityRouted', () => {
  const rule = 'GuardDutyHighSeverityRouted';
  const detector = (s: Stack) => new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
  const forward = (s: Stack, detail?: Record<string, unknown>, extra: Partial<events.RuleProps> = {}) => new events.Rule(s, 'Findings', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail },
    targets: [new targets.SnsTopic(new sns.Topic(s, 'T'))], ...extra,
  });
  test('Compliance 1: L2 rule forwarding severity >= 7', () => {
    expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 7] }] }); }, 'D', 'PASS');
  });
  test('Compliance 2: L2 rule forwarding every finding, high and critical as two ranges', () => {
    expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 7, '<', 9] }, { numeric: ['>=', 9] }] }); }, 'D', 'PASS');
  });
  test('Compliance 3: the adoption marker and an L1 rule without a severity filter', () => {
    expectRule(rule, (s) => {
      new CfnResource(s, 'Adopt', { type: 'Custom::GuardDutyDetectorAdoption' }).addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
      // The stack's account is unresolved: a topic of the same account is named with the pseudo parameter.
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'] }, targets: [{ id: 't', arn: Fn.sub('arn:aws:sns:us-east-1:${AWS::AccountId}:alerts') }] });
    }, 'Adopt', 'PASS');
  });
  test('Noncompliance 1: no rule matches aws.guardduty', () => {
    const f = expectRule(rule, (s) => detector(s), 'D', 'FAIL');
    expect(f!.message).toMatch(/no EventBridge rule matches source aws.guardduty/);
  });
  test('Noncompliance 2: severity >= 8 misses findings from 7 to 8', () => {
    const f = expectRule(rule, (s) => { detector(s); forward(s, { severity: [{ numeric: ['>=', 8] }] }); }, 'D', 'FAIL');
    expect(f!.message).toMatch(/does not admit every severity from 7 to 10/);
  });
  test('Noncompliance 3: the rule filters on a finding type, on a custom bus', () => {
    const f = expectRule(rule, (s) => {
      detector(s);
      forward(s, { type: ['UnauthorizedAccess:EC2/SSHBruteForce'] }, { eventBus: new events.EventBus(s, 'Bus') });
    }, 'D', 'FAIL');
    expect(f!.message).toMatch(/event bus .* GuardDuty publishes to the default bus.*detail.type/);
  });
  test('Unresolved 1: the severity bound is a parameter', () => {
    expectRule(rule, (s) => {
      detector(s);
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', param(s)] }] } }, targets: [{ id: 't', arn: 'arn:aws:sns:us-east-1:111122223333:alerts' }] });
    }, 'D', 'ERROR');
  });
});

describe('GuardDutyHighSeverityRouted: filters on the event envelope (account, region, version)', () => {
  // GuardDuty puts its findings on the default bus of its own account and region as version "0" events:
  // a rule whose pattern names another account, region or version matches none of them.
  const rule = 'GuardDutyHighSeverityRouted';
  const ACCOUNT = '111122223333';
  /** A detector and an L1 rule in a stack of a known account (us-east-1), with the given top-level filters. */
  const build = (filters: Record<string, unknown>) => (s: Stack) => {
    const st = new Stack(s.node.root as App, 'Acct', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new guardduty.CfnDetector(st, 'D', { enable: true, features: allFeatures });
    new events.CfnRule(st, 'R', {
      eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], ...filters },
      targets: [{ id: 't', arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` }],
    });
  };
  test('Compliance 1: filters naming the rule\'s own account, region and version 0', () => {
    expectRule(rule, build({ account: [ACCOUNT], region: ['us-east-1'], version: ['0'] }), 'D', 'PASS');
  });
  test('Compliance 2: an L2 rule filtering on its stack\'s own account and region (pseudo parameters)', () => {
    expectRule(rule, (s) => {
      new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
      new events.Rule(s, 'Findings', {
        eventPattern: { source: ['aws.guardduty'], account: [s.account], region: [s.region, 'eu-west-1'] },
        targets: [new targets.SnsTopic(new sns.Topic(s, 'T'))],
      });
    }, 'D', 'PASS');
  });
  test('Noncompliance 1: a region filter naming another region matches no finding', () => {
    const f = expectRule(rule, build({ region: ['eu-west-1'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on region \["eu-west-1"\], the rule is in 111122223333\/us-east-1/);
  });
  test('Noncompliance 2: an account filter naming another account matches no finding', () => {
    const f = expectRule(rule, build({ account: ['999999999999'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on account \["999999999999"\]/);
  });
  test('Noncompliance 3: a version filter other than 0 matches no finding', () => {
    const f = expectRule(rule, build({ version: ['1'] }), 'D', 'FAIL');
    expect(f!.message).toMatch(/filters on version \["1"\], GuardDuty's events are version 0/);
  });
  test('Unresolved 1: a literal account filter in a stack whose account is unresolved', () => {
    const f = findingsOf(rule, (s) => {
      new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], account: ['999999999999'] }, targets: [{ id: 't', arn: Fn.sub('arn:aws:sns:us-east-1:${AWS::AccountId}:alerts') }] });
    });
    expect(f.map((x) => x.status)).toEqual(['ERROR']);
    expect(f[0].message).toMatch(/cannot verify that the pattern's account filter admits the rule's own account/);
  });
  test('Unresolved 2: a region matcher other than a value (prefix), and a version matcher', () => {
    expectRule(rule, build({ region: [{ prefix: 'us-' }] }), 'D', 'ERROR');
    expectRule(rule, build({ version: [{ prefix: '0' }] }), 'D', 'ERROR');
  });
  test('Unresolved 3: a region filter holding the account pseudo parameter', () => {
    expectRule(rule, build({ region: [{ Ref: 'AWS::AccountId' }] }), 'D', 'ERROR');
  });
  /** A detector and a rule whose envelope filter on `key` holds one pseudo parameter, in a stack of unknown environment. */
  const pseudoFilter = (key: string, ref: string) => findingsOf(rule, (s) => {
    new guardduty.CfnDetector(s, 'D', { enable: true, features: allFeatures });
    new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], [key]: [{ Ref: ref }] }, targets: [{ id: 't', arn: Fn.sub('arn:aws:sns:us-east-1:${AWS::AccountId}:alerts') }] });
  });
  test("Compliant: in a stack of unknown environment, filters naming the stack's own account and region pseudo parameters admit the rule's own findings", () => {
    for (const [key, ref] of [['account', 'AWS::AccountId'], ['region', 'AWS::Region']]) {
      const f = pseudoFilter(key, ref);
      expect([key, f.map((x) => x.status)]).toEqual([key, ['PASS']]);
    }
  });
  test('Unresolved 4: in a stack of unknown environment, a pseudo parameter other than its own account or region (the stack name) is cannot verify, never a mismatch', () => {
    for (const [key, ref] of [['account', 'AWS::StackName'], ['region', 'AWS::AccountId']]) {
      const f = pseudoFilter(key, ref);
      expect([key, f.map((x) => x.status)]).toEqual([key, ['ERROR']]);
      expect(f[0].message).toContain(`cannot verify that the pattern's ${key} filter admits the rule's own ${key}`);
    }
  });
});

describe('GuardDutyHighSeverityRouted: which EventBridge rules route the findings', () => {
  const rule = 'GuardDutyHighSeverityRouted';
  const ACCOUNT = '111122223333';
  type RuleProps = Record<string, unknown>;
  /** A stack of a known account (us-east-1 unless told) holding an enabled detector. */
  const acct = (s: Stack, id = 'Acct', region = 'us-east-1') => new Stack(s.node.root as App, id, { env: { account: ACCOUNT, region } });
  const detectorIn = (st: Stack) => new guardduty.CfnDetector(st, 'D', { enable: true, features: allFeatures });
  const topicArn = (region = 'us-east-1', account = ACCOUNT) => `arn:aws:sns:${region}:${account}:alerts`;
  /** An L1 rule in `st` forwarding every GuardDuty finding (override any property). */
  const l1Rule = (st: Stack, props: RuleProps = {}, id = 'R') => new events.CfnRule(st, id, {
    eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
    targets: [{ id: 't', arn: topicArn() }],
    ...props,
  });
  const one = (build: (s: Stack) => void) => {
    const f = findingsOf(rule, build);
    expect(f).toHaveLength(1);
    return f[0];
  };

  describe('the rule itself', () => {
    test('Compliance 1: a rule on the default bus named literally, by name or by ARN', () => {
      expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventBusName: 'default' }); }, 'D', 'PASS');
      expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventBusName: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` }); }, 'D', 'PASS');
    });
    test('Compliance 2: a pattern given as a JSON string', () => {
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventPattern: JSON.stringify({ source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } }) });
      }, 'D', 'PASS');
    });
    test('Compliance 3: a good rule beside one that cannot be read still routes', () => {
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st);
        l1Rule(st, { eventPattern: '{not json' }, 'Broken');
      }, 'D', 'PASS');
    });
    test('Noncompliance 1: a disabled rule', () => {
      const f = expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { state: 'DISABLED' }); }, 'D', 'FAIL');
      expect(f!.message).toMatch(/Acct\/R: the rule is disabled/);
    });
    test('Noncompliance 2: a rule with no target', () => {
      const f = expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { targets: undefined }); }, 'D', 'FAIL');
      // reported once, as having no target (not also as delivering elsewhere)
      expect(f!.message).toMatch(/Acct\/R: the rule has no target\)?$/);
    });
    test('Noncompliance 3: a bus whose name only starts or ends like the default bus', () => {
      for (const name of ['default-alerts', 'my-default']) {
        const f = expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventBusName: name }); }, 'D', 'FAIL');
        expect(f!.message).toContain(`the rule is on event bus '${name}', GuardDuty publishes to the default bus`);
      }
    });
    test('Noncompliance 4: a custom bus is named in the finding by its name', () => {
      const f = expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventBusName: new events.EventBus(st, 'Bus', { eventBusName: 'security-bus' }).eventBusName });
      }, 'D', 'FAIL');
      expect(f!.message).toContain("the rule is on event bus 'security-bus'");
    });
    test('Noncompliance 5: a detail-type other than GuardDuty Finding', () => {
      const f = expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Runtime Protection Unhealthy'] } });
      }, 'D', 'FAIL');
      expect(f!.message).toContain('detail-type does not include GuardDuty Finding');
    });
    test('Noncompliance 6: a pattern filtering on another top-level field (resources)', () => {
      const f = expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventPattern: { source: ['aws.guardduty'], resources: [`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`] } });
      }, 'D', 'FAIL');
      expect(f!.message).toContain('the pattern also filters on resources');
    });
    test('Noncompliance 7: rules without a pattern (schedules) or on another source do not route GuardDuty', () => {
      const f = expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventPattern: undefined, scheduleExpression: 'rate(1 hour)' }, 'Schedule');
        l1Rule(st, { eventPattern: { source: ['aws.signin'] } }, 'SignIn');
      }, 'D', 'FAIL');
      expect(f!.message).toMatch(/no EventBridge rule matches source aws.guardduty/);
    });
    test('Noncompliance 8: a disabled detector is not judged, an enabled one and the adoption marker are', () => {
      expectRule(rule, (s) => { new guardduty.CfnDetector(s, 'D', { enable: false }); }, 'D', 'N/A');
      // a marker carrying an Enable property is not a detector: it is still judged
      expectRule(rule, (s) => {
        new CfnResource(s, 'Adopt', { type: 'Custom::GuardDutyDetectorAdoption', properties: { Enable: false } }).addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
      }, 'Adopt', 'FAIL');
    });
  });

  describe('what cannot be read is cannot-verify, naming what', () => {
    const errorOf = (build: (s: Stack) => void): string => {
      const f = one(build);
      expect(f.status).toBe('ERROR');
      return f.message;
    };
    test('the detector\'s Enable is a parameter', () => {
      expect(errorOf((s) => { new guardduty.CfnDetector(s, 'D', { enable: paramValue(s) }); })).toMatch(/cannot verify Enable/);
    });
    test('the rule\'s State is a parameter', () => {
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { state: param(st) }); })).toMatch(/cannot verify State.*\(rule Acct\/R\)/);
    });
    test('the event bus name is a parameter, or a bus\'s Name is', () => {
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventBusName: param(st) }); })).toMatch(/cannot verify EventBusName/);
      expect(errorOf((s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventBusName: new events.CfnEventBus(st, 'Bus', { name: param(st) }).ref });
      })).toMatch(/cannot verify event bus Name/);
    });
    test('the event bus name comes from a resource that is not a bus (a custom lookup)', () => {
      expect(errorOf((s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { eventBusName: new CfnResource(st, 'Lookup', { type: 'Custom::BusLookup' }).getAtt('Name').toString() });
      })).toMatch(/cannot verify EventBusName/);
    });
    test('the target list, or one target, is an intrinsic', () => {
      expect(errorOf((s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { targets: Token.asAny({ 'Fn::If': ['C', [{ Id: 't', Arn: topicArn() }], []] }) });
      })).toMatch(/cannot verify Targets/);
      expect(errorOf((s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { targets: [Token.asAny({ 'Fn::If': ['C', { Id: 't', Arn: topicArn() }, { Ref: 'AWS::NoValue' }] })] });
      })).toMatch(/cannot verify target:/);
    });
    test('the pattern, its source, detail-type, detail or severity list is an intrinsic', () => {
      const split = (st: Stack) => Fn.split(',', param(st));
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: param(st) }); })).toMatch(/cannot verify EventPattern/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: '{not json' }); })).toMatch(/cannot verify EventPattern/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source: split(st) } }); })).toMatch(/cannot verify source/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source: ['aws.guardduty'], 'detail-type': split(st) } }); })).toMatch(/cannot verify detail-type/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source: ['aws.guardduty'], detail: param(st) } }); })).toMatch(/cannot verify pattern detail/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source: ['aws.guardduty'], detail: { severity: split(st) } } }); })).toMatch(/cannot verify detail\.severity:/);
      expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', param(st)] }] } } }); }))
        .toMatch(/cannot verify the detail\.severity matcher/);
    });
    test('a source matcher other than a value (prefix), alone or beside another source', () => {
      for (const source of [[{ prefix: 'aws.guard' }], ['aws.signin', { prefix: 'aws.guard' }]]) {
        expect(errorOf((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { eventPattern: { source } }); })).toMatch(/cannot verify the pattern source/);
      }
    });
  });

  test('a failure reading a resource is reported, never taken for a rule that merely cannot be read', () => {
    const f = one((s) => {
      const st = acct(s);
      detectorIn(st);
      l1Rule(st);
      const bus = new events.CfnEventBus(st, 'Bus', { name: Lazy.string({ produce: () => { throw new Error('bus name lookup crashed'); } }) });
      l1Rule(st, { eventBusName: bus.ref }, 'OnBus');
    });
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/rule failed: .*bus name lookup crashed/);
  });

  describe('where the targets are', () => {
    test('Noncompliance 1: the only target is a topic of another region (literal ARN, or a topic of another stack)', () => {
      const f = expectRule(rule, (s) => { const st = acct(s); detectorIn(st); l1Rule(st, { targets: [{ id: 't', arn: topicArn('eu-west-1') }] }); }, 'D', 'FAIL');
      expect(f!.message).toContain(`no target is in the rule's own account and region (${ACCOUNT}/us-east-1): EventBridge delivers nothing to a topic elsewhere`);
      const g = expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        new sns.CfnTopic(acct(s, 'Other', 'eu-west-1'), 'T');
        l1Rule(st, { targets: [{ id: 't', arn: Token.asString({ Ref: 'T' }) }] });
      }, 'D', 'FAIL');
      expect(g!.message).toContain('no target is in the rule\'s own account and region');
    });
    test('Unresolved 1: a target ARN that is a parameter names the target', () => {
      const f = one((s) => { const st = acct(s); detectorIn(st); l1Rule(st, { targets: [{ id: 't', arn: param(st) }] }); });
      expect(f.status).toBe('ERROR');
      expect(f.message).toContain(`cannot verify that target {"Ref":"P"} is in the rule's account and region (${ACCOUNT}/us-east-1) (rule Acct/R)`);
    });
    test('Unresolved 2: an event bus of another region forwards on (literal ARN, or a bus of another stack)', () => {
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { targets: [{ id: 't', arn: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/central` }] });
      }, 'D', 'ERROR');
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        new events.CfnEventBus(acct(s, 'Other', 'eu-west-1'), 'Central', { name: 'central' });
        l1Rule(st, { targets: [{ id: 't', arn: Token.asString({ 'Fn::GetAtt': ['Central', 'Arn'] }) }] });
      }, 'D', 'ERROR');
    });
  });

  describe('a target that is an event bus forwards on', () => {
    // Where an event bus sends the findings depends on the rules on it, which are not followed: a bus
    // with no rule (or a rule matching nothing) drops every finding, so a bus target never proves delivery.
    test('Unresolved 1: the only target is a bus of the rule\'s own account and region (L2)', () => {
      const f = one((s) => {
        const st = acct(s);
        detectorIn(st);
        new events.Rule(st, 'Findings', {
          eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'] },
          targets: [new targets.EventBus(new events.EventBus(st, 'Security', { eventBusName: 'security' }))],
        });
      });
      expect(f.status).toBe('ERROR');
      expect(f.message).toMatch(/cannot verify where target .*, an event bus, delivers the findings: the rules on it are not followed \(rule Acct\/Findings\/Resource\)/);
    });
    test('Unresolved 2: a literal ARN of a bus of the rule\'s own account and region', () => {
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { targets: [{ id: 't', arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/security` }] });
      }, 'D', 'ERROR');
    });
    test('Compliance 1: a bus beside a topic of the rule\'s own account and region', () => {
      expectRule(rule, (s) => {
        const st = acct(s);
        detectorIn(st);
        l1Rule(st, { targets: [{ id: 'b', arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/security` }, { id: 't', arn: topicArn() }] });
      }, 'D', 'PASS');
    });
  });

  describe('guardDutyEventRules (the analysis the routing and alert-topic rules share)', () => {
    test('a rule delivering to a topic of its own account and region is "same"; a rule that cannot be read carries why', () => {
      const app = new App();
      const st = new Stack(app, 'Acct', { env: { account: ACCOUNT, region: 'us-east-1' } });
      l1Rule(st);
      l1Rule(st, { eventPattern: '{not json' }, 'Broken');
      const rules = guardDutyEventRules(new ResourceIndex(app));
      expect(rules.map((r) => [r.node.node.path, r.delivery.relation, r.unresolved])).toEqual([
        ['Acct/R', 'same', undefined],
        ['Acct/Broken', 'unknown', expect.stringMatching(/cannot verify EventPattern/)],
      ]);
    });
  });
});

describe('GuardDutyAllProtections: every plan, the legacy DataSources form, values that cannot be read', () => {
  const rule = 'GuardDutyAllProtections';
  const LEGACY = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION'];
  const featuresExcept = (...names: string[]) => allFeatures.filter((f) => !names.includes(f.name));
  const legacyAll = { s3Logs: { enable: true }, kubernetes: { auditLogs: { enable: true } }, malwareProtection: { scanEc2InstanceWithFindings: { ebsVolumes: true } } };
  const detector = (s: Stack, props: Partial<guardduty.CfnDetectorProps>) => new guardduty.CfnDetector(s, 'D', { enable: true, ...props });

  test.each(REQUIRED_GUARDDUTY_FEATURES.map((n) => [n]))('fails when %s alone is missing, and names it', (name) => {
    const f = expectRule(rule, (s) => detector(s, { features: featuresExcept(name) }), 'D', 'FAIL');
    expect(f!.message).toContain(`${name} is not enabled`);
    for (const other of REQUIRED_GUARDDUTY_FEATURES.filter((n) => n !== name)) expect(f!.message).not.toContain(`${other} is not`);
  });

  test.each(REQUIRED_GUARDDUTY_FEATURES.map((n) => [n]))('fails when %s is listed with Status DISABLED', (name) => {
    const f = expectRule(rule, (s) => detector(s, { features: [...featuresExcept(name), { name, status: 'DISABLED' }] }), 'D', 'FAIL');
    expect(f!.message).toContain(`${name} is not enabled`);
  });

  test('the FAIL of a disabled detector says it is not enabled', () => {
    const f = expectRule(rule, (s) => detector(s, { enable: false, features: allFeatures }), 'D', 'FAIL');
    expect(f!.message).toMatch(/the detector is not enabled/);
  });

  test('the three legacy DataSources plans with the other three as Features pass', () => {
    expectRule(rule, (s) => detector(s, { dataSources: legacyAll, features: featuresExcept(...LEGACY) }), 'D', 'PASS');
  });

  test('a detector configured only with DataSources misses the plans that have no legacy form', () => {
    const f = expectRule(rule, (s) => detector(s, { dataSources: legacyAll }), 'D', 'FAIL');
    for (const n of LEGACY) expect(f!.message).not.toContain(`${n} is not`);
    for (const n of REQUIRED_GUARDDUTY_FEATURES.filter((x) => !LEGACY.includes(x))) expect(f!.message).toContain(`${n} is not enabled`);
  });

  const legacyOff: [string, Record<string, unknown>][] = [
    ['S3_DATA_EVENTS', { ...legacyAll, s3Logs: { enable: false } }],
    ['EKS_AUDIT_LOGS', { ...legacyAll, kubernetes: { auditLogs: { enable: false } } }],
    ['EBS_MALWARE_PROTECTION', { ...legacyAll, malwareProtection: { scanEc2InstanceWithFindings: { ebsVolumes: false } } }],
  ];
  test.each(legacyOff)('fails when the legacy form of %s is switched off', (name, dataSources) => {
    const f = expectRule(rule, (s) => detector(s, { dataSources, features: featuresExcept(...LEGACY) }), 'D', 'FAIL');
    expect(f!.message).toContain(`${name} is not enabled`);
    for (const other of LEGACY.filter((n) => n !== name)) expect(f!.message).not.toContain(`${other} is not`);
  });

  const legacyAbsent: [string, Record<string, unknown>][] = [
    ['S3Logs', { kubernetes: legacyAll.kubernetes, malwareProtection: legacyAll.malwareProtection }],
    ['Kubernetes', { s3Logs: legacyAll.s3Logs, malwareProtection: legacyAll.malwareProtection }],
    ['MalwareProtection', { s3Logs: legacyAll.s3Logs, kubernetes: legacyAll.kubernetes }],
    ['MalwareProtection.ScanEc2InstanceWithFindings', { s3Logs: legacyAll.s3Logs, kubernetes: legacyAll.kubernetes, malwareProtection: {} }],
  ];
  test.each(legacyAbsent)('DataSources without %s, every plan as Features: passes (an absent legacy setting changes nothing)', (_, dataSources) => {
    expectRule(rule, (s) => detector(s, { dataSources, features: allFeatures }), 'D', 'PASS');
  });

  test.each(legacyAbsent)('DataSources without %s, legacy plans not in Features: the missing plan is named', (absent, dataSources) => {
    const missing = absent.startsWith('S3') ? 'S3_DATA_EVENTS' : absent.startsWith('Kubernetes') ? 'EKS_AUDIT_LOGS' : 'EBS_MALWARE_PROTECTION';
    const f = expectRule(rule, (s) => detector(s, { dataSources, features: featuresExcept(...LEGACY) }), 'D', 'FAIL');
    expect(f!.message).toContain(`${missing} is not enabled`);
    for (const other of LEGACY.filter((n) => n !== missing)) expect(f!.message).not.toContain(`${other} is not`);
  });

  // Unresolvable values: an ERROR that names the property, never a PASS.
  const unresolved: [string, (s: Stack) => Partial<guardduty.CfnDetectorProps>][] = [
    ['Enable', (s) => ({ enable: paramValue(s), features: allFeatures })],
    ['Features', (s) => ({ features: paramValue(s) })],
    ['feature', (s) => ({ features: [...allFeatures, paramValue(s)] })],
    ['feature Status', (s) => ({ features: [...featuresExcept('S3_DATA_EVENTS'), { name: 'S3_DATA_EVENTS', status: param(s) }] })],
    ['feature Name', (s) => ({ features: [...featuresExcept('S3_DATA_EVENTS'), { name: param(s), status: 'ENABLED' }] })],
    ['DataSources', (s) => ({ dataSources: paramValue(s), features: allFeatures })],
    ['S3Logs', (s) => ({ dataSources: { ...legacyAll, s3Logs: paramValue(s) }, features: featuresExcept(...LEGACY) })],
    ['S3Logs.Enable', (s) => ({ dataSources: { ...legacyAll, s3Logs: { enable: paramValue(s) } }, features: featuresExcept(...LEGACY) })],
    ['Kubernetes', (s) => ({ dataSources: { ...legacyAll, kubernetes: paramValue(s) }, features: featuresExcept(...LEGACY) })],
    ['AuditLogs', (s) => ({ dataSources: { ...legacyAll, kubernetes: { auditLogs: paramValue(s) } }, features: featuresExcept(...LEGACY) })],
    ['AuditLogs.Enable', (s) => ({ dataSources: { ...legacyAll, kubernetes: { auditLogs: { enable: paramValue(s) } } }, features: featuresExcept(...LEGACY) })],
    ['MalwareProtection', (s) => ({ dataSources: { ...legacyAll, malwareProtection: paramValue(s) }, features: featuresExcept(...LEGACY) })],
    ['ScanEc2InstanceWithFindings', (s) => ({ dataSources: { ...legacyAll, malwareProtection: { scanEc2InstanceWithFindings: paramValue(s) } }, features: featuresExcept(...LEGACY) })],
    ['EbsVolumes', (s) => ({ dataSources: { ...legacyAll, malwareProtection: { scanEc2InstanceWithFindings: { ebsVolumes: paramValue(s) } } }, features: featuresExcept(...LEGACY) })],
  ];
  test.each(unresolved)('cannot verify when %s is a parameter, and the ERROR names it', (what, props) => {
    const f = expectRule(rule, (s) => detector(s, props(s)), 'D', 'ERROR');
    expect(f!.message).toContain(`cannot verify ${what}:`);
  });
});

describe('GuardDutyDetectorPresent: a detector in another account or region does not watch the workload', () => {
  const rule = 'GuardDutyDetectorPresent';
  const table = (s: Stack) => new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  /** Another stack of the same app (the workload's stack S is in us-east-1, its account left to the CLI). */
  const other = (s: Stack, id: string, env: { account?: string; region?: string }) => new Stack(s.node.root as import('aws-cdk-lib').App, id, { env });
  const detectorIn = (st: Stack) => new guardduty.CfnDetector(st, 'D', { enable: true, features: allFeatures });

  test('a detector of the same account and region in another stack passes', () => {
    expectRule(rule, (s) => { table(s); detectorIn(other(s, 'Same', { region: 'us-east-1' })); }, 'T/Resource', 'PASS');
  });

  test('a detector of a named account cannot be placed beside a workload whose account is left to the CLI: ERROR naming both', () => {
    const f = expectRule(rule, (s) => { table(s); detectorIn(other(s, 'Named', { account: '111122223333', region: 'us-east-1' })); }, 'T/Resource', 'ERROR');
    expect(f!.message).toContain("that a GuardDuty detector is in the workload's account and region (${AWS::AccountId}/us-east-1)");
    expect(f!.message).toContain('Named/D in 111122223333/us-east-1');
  });

  test('the ERROR names only the detectors that cannot be placed, not one provably in another region', () => {
    const f = expectRule(rule, (s) => {
      table(s);
      detectorIn(other(s, 'West', { region: 'eu-west-1' }));
      detectorIn(other(s, 'Named', { account: '111122223333', region: 'us-east-1' }));
    }, 'T/Resource', 'ERROR');
    expect(f!.message).toContain('Named/D in 111122223333/us-east-1');
    expect(f!.message).not.toContain('West/D');
  });

  test('fails when the only detector is in another region, naming where the workload is and where the detectors are', () => {
    const f = expectRule(rule, (s) => { table(s); detectorIn(other(s, 'West', { region: 'eu-west-1' })); }, 'T/Resource', 'FAIL');
    expect(f!.message).toContain("no detector in ${AWS::AccountId}/us-east-1: the app's detectors are in ${AWS::AccountId}/eu-west-1");
  });

  test('fails when detectors are in other regions only, listing each region once', () => {
    const f = expectRule(rule, (s) => {
      table(s);
      detectorIn(other(s, 'West', { region: 'eu-west-1' }));
      detectorIn(other(s, 'West2', { region: 'eu-west-1' }));
      detectorIn(other(s, 'Frankfurt', { region: 'eu-central-1' }));
    }, 'T/Resource', 'FAIL');
    expect(f!.message).toContain("the app's detectors are in ${AWS::AccountId}/eu-west-1, ${AWS::AccountId}/eu-central-1)");
  });

  test('an app with no detector at all fails with the rule\'s own statement, not a list of regions', () => {
    const f = expectRule(rule, (s) => table(s), 'T/Resource', 'FAIL');
    expect(f!.message).toMatch(/defines no GuardDuty detector/);
    expect(f!.message).not.toMatch(/detectors are in/);
  });
});

describe('GuardDutyHighSeverityRouted: alerts that never arrive (another region, another account, unplaceable targets)', () => {
  const rule = 'GuardDutyHighSeverityRouted';
  const other = (s: Stack, id: string, env: { account?: string; region?: string }) => new Stack(s.node.root as import('aws-cdk-lib').App, id, { env });
  const detectorIn = (st: Stack, props: Partial<guardduty.CfnDetectorProps> = {}) => new guardduty.CfnDetector(st, 'D', { enable: true, features: allFeatures, ...props });
  const severity = { severity: [{ numeric: ['>=', 7] }] };
  /** An L2 rule forwarding high-severity findings to a topic of its own stack. */
  const forwardIn = (st: Stack, extra: Partial<events.RuleProps> = {}) => new events.Rule(st, 'Findings', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail: severity },
    targets: [new targets.SnsTopic(new sns.Topic(st, 'T'))], ...extra,
  });
  /** An L1 rule forwarding high-severity findings to the given target ARN. */
  const forwardTo = (st: Stack, arn: string) => new events.CfnRule(st, 'R', {
    eventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': severity }, targets: [{ id: 't', arn }],
  });

  test('a rule and topic in another stack of the same account and region pass', () => {
    expectRule(rule, (s) => { detectorIn(s); forwardIn(other(s, 'Alerts', { region: 'us-east-1' })); }, 'D', 'PASS');
  });

  test('fails when the only rule is in another region: it never sees this detector\'s findings', () => {
    const f = expectRule(rule, (s) => { detectorIn(s); forwardIn(other(s, 'West', { region: 'eu-west-1' })); }, 'D', 'FAIL');
    expect(f!.message).toContain('West/Findings');
    expect(f!.message).toContain('the rule is in ${AWS::AccountId}/eu-west-1, the detector in ${AWS::AccountId}/us-east-1: a rule routes only its own account and region');
  });

  test('fails when the rule\'s only target is a topic in another region', () => {
    const f = expectRule(rule, (s) => { detectorIn(s); forwardTo(s, 'arn:aws:sns:eu-west-1:111122223333:alerts'); }, 'D', 'FAIL');
    expect(f!.message).toMatch(/no target is in the rule's own account and region .*EventBridge delivers nothing to a topic elsewhere/);
  });

  test('cannot verify a rule whose account cannot be compared with the detector\'s: ERROR naming both environments', () => {
    const f = expectRule(rule, (s) => { detectorIn(other(s, 'Named', { account: '111122223333', region: 'us-east-1' })); forwardIn(s); }, 'D', 'ERROR');
    expect(f!.message).toContain("cannot verify that the rule (${AWS::AccountId}/us-east-1) is in the detector's account and region (111122223333/us-east-1)");
    expect(f!.message).toContain('rule S/Findings');
  });

  test('cannot verify a rule whose target ARN is a parameter: ERROR naming the target', () => {
    const f = expectRule(rule, (s) => { detectorIn(s); forwardTo(s, param(s)); }, 'D', 'ERROR');
    expect(f!.message).toMatch(/cannot verify that target .*Ref.* is in the rule's account and region/);
  });

  test('an unreadable rule gives an ERROR naming what cannot be read, even when its environment is also uncertain', () => {
    const f = expectRule(rule, (s) => {
      detectorIn(other(s, 'Named', { account: '111122223333', region: 'us-east-1' }));
      new events.CfnRule(s, 'R', { eventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', param(s)] }] } }, targets: [{ id: 't', arn: 'arn:aws:sns:us-east-1:111122223333:alerts' }] });
    }, 'D', 'ERROR');
    expect(f!.message).toContain('detail.severity');
  });

  test('a rule with several gaps lists them all, separated', () => {
    const f = expectRule(rule, (s) => {
      detectorIn(s);
      forwardIn(s, { enabled: false, eventBus: new events.EventBus(s, 'Bus', { eventBusName: 'security' }) });
    }, 'D', 'FAIL');
    expect(f!.message).toContain("the rule is disabled, the rule is on event bus 'security'");
  });

  test('a disabled detector is left to GuardDutyAllProtections (not applicable here)', () => {
    expectRule(rule, (s) => detectorIn(s, { enable: false }), 'D', 'N/A');
  });

  test('a custom resource without the adoption marker is not a detector (not applicable); with it, it needs a rule', () => {
    expectRule(rule, (s) => { new CfnResource(s, 'Other', { type: 'AWS::CloudFormation::CustomResource', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:f' } }); }, 'Other', 'N/A');
    expectRule(rule, (s) => { new CfnResource(s, 'Adopt', { type: 'Custom::GuardDutyDetectorAdoption' }); }, 'Adopt', 'N/A');
    const f = expectRule(rule, (s) => {
      new CfnResource(s, 'Adopt', { type: 'Custom::GuardDutyDetectorAdoption' }).addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
    }, 'Adopt', 'FAIL');
    expect(f!.message).toMatch(/no EventBridge rule matches source aws.guardduty/);
  });
});

describe('GuardDutyAllProtections: runtime monitoring without its agents is on but blind', () => {
  const rule = 'GuardDutyAllProtections';
  const AGENTS = GUARDDUTY_FEATURES.find((f) => f.name === 'RUNTIME_MONITORING')!.additionalConfiguration!;
  const withAgents = (agents: { name: string; status: string }[] | undefined) => allFeatures.map((f) => (f.name === 'RUNTIME_MONITORING' ? { ...f, additionalConfiguration: agents } : f));
  const detector = (s: Stack, features: unknown[]) => new guardduty.CfnDetector(s, 'D', { enable: true, features: features as guardduty.CfnDetector.CFNFeatureConfigurationProperty[] });

  test('passes with every agent managed by GuardDuty (what GuardDutyDetector configures)', () => {
    expectRule(rule, (s) => detector(s, withAgents(AGENTS.map((name) => ({ name, status: 'ENABLED' })))), 'D', 'PASS');
  });

  test('fails when RUNTIME_MONITORING is ENABLED with no agent management: Fargate tasks, EKS and EC2 send no runtime events', () => {
    const f = expectRule(rule, (s) => detector(s, withAgents(undefined)), 'D', 'FAIL');
    expect(f!.message).toContain(`RUNTIME_MONITORING is enabled without ${AGENTS.join(', ')}`);
    expect(f!.message).not.toMatch(/RUNTIME_MONITORING is not enabled/);
  });

  test.each(AGENTS.map((a) => [a]))('fails when only %s is DISABLED, and names it alone', (agent) => {
    const f = expectRule(rule, (s) => detector(s, withAgents(AGENTS.map((name) => ({ name, status: name === agent ? 'DISABLED' : 'ENABLED' })))), 'D', 'FAIL');
    expect(f!.message).toContain(`RUNTIME_MONITORING is enabled without ${agent}`);
    for (const other of AGENTS.filter((a) => a !== agent)) expect(f!.message).not.toContain(other);
  });

  test('the older EKS-only runtime plan does not stand in for RUNTIME_MONITORING', () => {
    const features = [...allFeatures.filter((f) => f.name !== 'RUNTIME_MONITORING'),
      { name: 'EKS_RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }] }];
    const f = expectRule(rule, (s) => detector(s, features), 'D', 'FAIL');
    expect(f!.message).toContain('RUNTIME_MONITORING is not enabled');
  });

  test('agent settings of a plan that needs none are not judged (a parameter there changes nothing)', () => {
    expectRule(rule, (s) => detector(s, allFeatures.map((f) => (f.name === 'S3_DATA_EVENTS' ? { ...f, additionalConfiguration: paramValue(s) } : f))), 'D', 'PASS');
  });

  test('a disabled RUNTIME_MONITORING is reported as not enabled, whatever its agents say', () => {
    const features = allFeatures.map((f) => (f.name === 'RUNTIME_MONITORING'
      ? { ...f, status: 'DISABLED', additionalConfiguration: AGENTS.map((name) => ({ name, status: 'ENABLED' })) } : f));
    const f = expectRule(rule, (s) => detector(s, features), 'D', 'FAIL');
    expect(f!.message).toContain('RUNTIME_MONITORING is not enabled');
    expect(f!.message).not.toContain('enabled without');
  });

  test.each([
    ['AdditionalConfiguration', (s: Stack) => paramValue(s)],
    ['AdditionalConfiguration entry', (s: Stack) => [...AGENTS.map((name) => ({ name, status: 'ENABLED' })), paramValue(s)]],
    ['AdditionalConfiguration Status', (s: Stack) => AGENTS.map((name, i) => ({ name, status: i === 0 ? param(s) : 'ENABLED' }))],
    ['AdditionalConfiguration Name', (s: Stack) => [...AGENTS.slice(1).map((name) => ({ name, status: 'ENABLED' })), { name: param(s), status: 'ENABLED' }]],
  ] as [string, (s: Stack) => unknown][])('cannot verify when the agents\' %s is a parameter, and the ERROR names it', (what, agents) => {
    const f = expectRule(rule, (s) => detector(s, allFeatures.map((x) => (x.name === 'RUNTIME_MONITORING' ? { ...x, additionalConfiguration: agents(s) } : x))), 'D', 'ERROR');
    expect(f!.message).toContain(`cannot verify RUNTIME_MONITORING ${what}:`);
  });
});
