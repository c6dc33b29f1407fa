import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { GuardDutyDetector } from '../../lib/constructs/guardduty-detector';
import { GUARDDUTY_FEATURES } from '../../lib/lessons';
import { applyPermissionsBoundary } from '../../lib/constructs/permissions-boundary-aspect';
import { SECURITY_EVENT_PATTERNS, SecurityAlerts, killChainEventPatterns } from '../../lib/constructs/security-alerts';
import { SECURITY_HUB_STANDARDS, SecurityHub } from '../../lib/constructs/security-hub';
import { SECURITY_AUTOMATION_ROLE_PATH } from '../../lib/constructs/security-automation';
import { featureFlags, testStack } from '../helpers/app';

const ENV = { account: '111122223333', region: 'us-east-1' };
const ALL_FEATURES = [
  'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
];

/** The SDK call a Custom::AWS-style resource makes, decoded from its (possibly joined) JSON. */
function sdkCall(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value);
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(join[1].map((p) => (typeof p === 'string' ? p : '"TOKEN"')).join('').replace(/""TOKEN""/g, '"TOKEN"'));
}

describe('detection constructs, synthesized once', () => {
  let created: Stack;
  let adopted: Stack;
  let tCreated: Template;
  let tAdopted: Template;
  beforeAll(() => {
    const app = new App({ context: featureFlags() });
    created = new Stack(app, 'Created', { env: ENV });
    new GuardDutyDetector(created, 'GuardDuty');
    new SecurityAlerts(created, 'Alerts', { emails: ['oncall@example.com', 'ciso@example.com'], namePrefix: 'Acme-security-' });
    new SecurityHub(created, 'Hub');
    adopted = new Stack(app, 'Adopted', { env: ENV });
    new GuardDutyDetector(adopted, 'GuardDuty', { adoptExisting: true });
    applyPermissionsBoundary(app);
    tCreated = Template.fromStack(created);
    tAdopted = Template.fromStack(adopted);
  });

  describe('GuardDutyDetector (created)', () => {
    test('lists every protection plan named in LESSONS.md, runtime monitoring with agent management', () => {
      expect(GUARDDUTY_FEATURES.map((f) => f.name)).toEqual(ALL_FEATURES);
      expect(GUARDDUTY_FEATURES.map((f) => f.name)).not.toContain('EKS_RUNTIME_MONITORING');
    });

    test('enables every plan and publishes every 15 minutes; retained', () => {
      tCreated.hasResource('AWS::GuardDuty::Detector', {
        Properties: {
          Enable: true,
          FindingPublishingFrequency: 'FIFTEEN_MINUTES',
          Features: ALL_FEATURES.map((name) => Match.objectLike({ Name: name, Status: 'ENABLED' })),
        },
        DeletionPolicy: 'Retain',
      });
      tCreated.hasResourceProperties('AWS::GuardDuty::Detector', {
        Features: Match.arrayWith([{
          Name: 'RUNTIME_MONITORING', Status: 'ENABLED',
          AdditionalConfiguration: [
            { Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' },
            { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
            { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
          ],
        }]),
      });
    });

    test('sets no legacy DataSources beside Features', () => {
      const d = Object.values(tCreated.findResources('AWS::GuardDuty::Detector'))[0];
      expect(d.Properties.DataSources).toBeUndefined();
    });

    test('fails on an unknown publishing frequency', () => {
      const { stack } = testStack();
      expect(() => new GuardDutyDetector(stack, 'G', { findingPublishingFrequency: 'WEEKLY' as 'ONE_HOUR' }))
        .toThrow("findingPublishingFrequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS, got 'WEEKLY'");
    });
  });

  describe('GuardDutyDetector (adopted)', () => {
    test('creates no detector: one already exists in the account and region', () => {
      tAdopted.resourceCountIs('AWS::GuardDuty::Detector', 0);
    });

    test('finds the existing detector with ListDetectors', () => {
      const lookup = Object.values(tAdopted.findResources('Custom::GuardDutyDetectorLookup'))[0];
      expect(sdkCall(lookup.Properties.Create)).toMatchObject({ service: 'GuardDuty', action: 'listDetectors', outputPaths: ['DetectorIds.0'] });
    });

    test('updates it with every plan and 15-minute publishing, on create and on update, and leaves it on delete', () => {
      const adoption = Object.values(tAdopted.findResources('Custom::GuardDutyDetectorAdoption'))[0];
      for (const phase of ['Create', 'Update']) {
        const call = sdkCall(adoption.Properties[phase]);
        expect(call).toMatchObject({ service: 'GuardDuty', action: 'updateDetector', parameters: { Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' } });
        const features = (call.parameters as { Features: { Name: string; Status: string; AdditionalConfiguration?: { Name: string }[] }[] }).Features;
        expect(features.map((f) => f.Name)).toEqual(ALL_FEATURES);
        expect(features.every((f) => f.Status === 'ENABLED')).toBe(true);
        expect(features.find((f) => f.Name === 'RUNTIME_MONITORING')?.AdditionalConfiguration?.map((a) => a.Name))
          .toEqual(['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT']);
      }
      expect(adoption.Properties.Delete).toBeUndefined();
    });

    test('marks the adoption for the BreachLessons detector-present rule', () => {
      const adoption = Object.values(tAdopted.findResources('Custom::GuardDutyDetectorAdoption'))[0];
      expect(adoption.Metadata).toMatchObject({ 'cdk-hardening:guardduty-detector': true });
    });

    test('the update may touch only the detector it found', () => {
      tAdopted.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['guardduty:GetDetector', 'guardduty:UpdateDetector'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':detector/$'), { 'Fn::GetAtt': [Match.stringLikeRegexp('GuardDutyFind'), 'DetectorIds.0'] }])] },
          })]),
        },
      });
    });

    test('runs as a bounded role on the security-automation path', () => {
      tAdopted.hasResourceProperties('AWS::IAM::Role', { Path: SECURITY_AUTOMATION_ROLE_PATH, PermissionsBoundary: Match.anyValue() });
    });
  });

  describe('SecurityAlerts', () => {
    test('a severity >= 7 GuardDuty rule, a root sign-in rule and a no-MFA console sign-in rule, named for the SCP', () => {
      tCreated.hasResourceProperties('AWS::Events::Rule', {
        Name: 'Acme-security-guardduty-high-severity',
        EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': { severity: [{ numeric: ['>=', 7] }] } },
        State: 'ENABLED',
      });
      tCreated.hasResourceProperties('AWS::Events::Rule', {
        Name: 'Acme-security-root-sign-in',
        EventPattern: Match.objectLike({ detail: { userIdentity: { type: ['Root'] } } }),
      });
      tCreated.hasResourceProperties('AWS::Events::Rule', {
        Name: 'Acme-security-console-sign-in-without-mfa',
        EventPattern: Match.objectLike({ detail: Match.objectLike({ additionalEventData: { MFAUsed: ['No'] } }) }),
      });
      expect(Object.keys(SECURITY_EVENT_PATTERNS)).toHaveLength(3);
    });

    test('every rule targets the topic', () => {
      const rules = Object.values(tCreated.findResources('AWS::Events::Rule'));
      // The three IR-ROUTING rules and the four kill-chain rules (issue 10).
      expect(rules).toHaveLength(Object.keys(SECURITY_EVENT_PATTERNS).length + Object.keys(killChainEventPatterns('BreakGlass')).length);
      for (const r of rules) {
        expect(r.Properties.Targets).toHaveLength(1);
        expect(r.Properties.Targets[0].Arn.Ref).toMatch(/^AlertsTopic/);
      }
    });

    test('the topic is encrypted with a rotating, retained customer-managed key EventBridge may use', () => {
      tCreated.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Acme-security-alerts', KmsMasterKeyId: Match.anyValue() });
      tCreated.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({
          EnableKeyRotation: true,
          KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) }),
        }),
        DeletionPolicy: 'Retain',
      });
    });

    // Issue 10 item 1: this test used to require aws:SourceAccount in the KEY policy too, which EventBridge
    // never sends to KMS when it publishes to an encrypted topic: every alert was dropped. The topic
    // policy keeps the condition (SNS receives it); the key policy must not carry any source condition.
    test('only EventBridge of this account may publish (topic policy); the key admits EventBridge without a source condition', () => {
      const topicStatements = Object.values(tCreated.findResources('AWS::SNS::TopicPolicy')).flatMap((r) => r.Properties.PolicyDocument.Statement)
        .filter((st) => st.Principal?.Service === 'events.amazonaws.com');
      expect(topicStatements).toHaveLength(1);
      expect(topicStatements[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': expect.anything() } });
      const keyStatements = Object.values(tCreated.findResources('AWS::KMS::Key')).flatMap((r) => r.Properties.KeyPolicy.Statement)
        .filter((st) => st.Principal?.Service === 'events.amazonaws.com');
      expect(keyStatements).toHaveLength(1);
      expect(JSON.stringify(keyStatements[0].Condition ?? {})).not.toMatch(/aws:Source(Account|Arn)/);
    });

    test('subscribes every configured address', () => {
      tCreated.resourceCountIs('AWS::SNS::Subscription', 2);
      tCreated.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ciso@example.com' });
    });

    test('fails without an address, or with a bad one', () => {
      const { stack } = testStack();
      expect(() => new SecurityAlerts(stack, 'None', { emails: [] })).toThrow('emails must list at least one address');
      expect(() => new SecurityAlerts(stack, 'Bad', { emails: ['not-an-address'] })).toThrow("emails: 'not-an-address' is not an e-mail address");
    });
  });

  describe('SecurityHub', () => {
    test('enables the hub with the FSBP and CIS standards only', () => {
      tCreated.hasResourceProperties('AWS::SecurityHub::Hub', { EnableDefaultStandards: false });
      tCreated.resourceCountIs('AWS::SecurityHub::Standard', 2);
      for (const path of Object.values(SECURITY_HUB_STANDARDS)) {
        tCreated.hasResourceProperties('AWS::SecurityHub::Standard', {
          StandardsArn: `arn:aws:securityhub:us-east-1::${path}`,
        });
      }
    });
  });

  test('no unacknowledged AwsSolutions or NIST 800-53 R5 finding in either stack', () => {
    for (const s of [created, adopted]) {
      for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
        expect(pack.validateScope(s).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath ?? '')}`)).toEqual([]);
      }
    }
  });
});
