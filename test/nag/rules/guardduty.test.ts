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

const allFeatures = REQUIRED_GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' }));

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
