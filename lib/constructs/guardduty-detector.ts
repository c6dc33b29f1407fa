import { Aws, CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { GUARDDUTY_DETECTOR_METADATA } from '../nag/rules/guardduty/GuardDutyDetectorPresent';
import { acknowledgeNag } from './acknowledge';
import { SecurityAutomation } from './security-automation';
import { GUARDDUTY_FEATURES } from '../lessons';

export type FindingPublishingFrequency = 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';

export interface GuardDutyDetectorProps {
  /**
   * Adopt the detector that already exists in this account and region (only one may exist)
   * instead of creating one: a custom resource finds it, enables every protection plan and the
   * publishing frequency, and leaves it in place when the stack is deleted.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /** @default 'FIFTEEN_MINUTES' */
  readonly findingPublishingFrequency?: FindingPublishingFrequency;
}

/**
 * The account's GuardDuty detector with every protection plan on (GD-ENABLED), findings published
 * every 15 minutes. A created detector is retained on stack deletion: switching it off would blind
 * the account, and a later deployment adopts it.
 */
export class GuardDutyDetector extends Construct {
  public readonly detectorId: string;
  public readonly adopted: boolean;
  /** The created detector, when not adopted. */
  public readonly detector?: guardduty.CfnDetector;
  /** The custom resource that updates the adopted detector, when adopted. */
  public readonly adoption?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps = {}) {
    super(scope, id);
    const frequency = props.findingPublishingFrequency ?? 'FIFTEEN_MINUTES';
    if (!['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'].includes(frequency)) {
      throw new Error(`findingPublishingFrequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS, got '${frequency}'`);
    }
    this.adopted = props.adoptExisting ?? false;
    if (!this.adopted) {
      this.detector = new guardduty.CfnDetector(this, 'Resource', {
        enable: true,
        findingPublishingFrequency: frequency,
        features: GUARDDUTY_FEATURES.map((f) => ({
          name: f.name,
          status: 'ENABLED',
          additionalConfiguration: f.additionalConfiguration?.map((name) => ({ name, status: 'ENABLED' })),
        })),
      });
      this.detector.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.detectorId = this.detector.ref;
      return;
    }

    const automation = SecurityAutomation.of(this);
    const list: cr.AwsSdkCall = {
      service: 'GuardDuty',
      action: 'listDetectors',
      parameters: {},
      physicalResourceId: cr.PhysicalResourceId.of('existing-guardduty-detector'),
      outputPaths: ['DetectorIds.0'],
    };
    const find = automation.call(this, 'Find', {
      resourceType: 'Custom::GuardDutyDetectorLookup',
      onCreate: list,
      onUpdate: list,
      statements: [new iam.PolicyStatement({ actions: ['guardduty:ListDetectors'], resources: ['*'] })],
    });
    acknowledgeNag(find.policy, 'AwsSolutions-IAM5[Resource::*]', 'guardduty:ListDetectors supports no resource ARN; it only lists the detector ids of this account and region');
    this.detectorId = find.resource.getResponseField('DetectorIds.0');

    const update: cr.AwsSdkCall = {
      service: 'GuardDuty',
      action: 'updateDetector',
      parameters: {
        DetectorId: this.detectorId,
        Enable: true,
        FindingPublishingFrequency: frequency,
        Features: GUARDDUTY_FEATURES.map((f) => ({
          Name: f.name,
          Status: 'ENABLED',
          ...(f.additionalConfiguration ? { AdditionalConfiguration: f.additionalConfiguration.map((Name) => ({ Name, Status: 'ENABLED' })) } : {}),
        })),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`adopted-guardduty-detector`),
    };
    // No onDelete: the adopted detector, and every plan it now has, stays on when the stack goes.
    const adopt = automation.call(this, 'Adopt', {
      resourceType: 'Custom::GuardDutyDetectorAdoption',
      onCreate: update,
      onUpdate: update,
      statements: [
        new iam.PolicyStatement({
          actions: ['guardduty:UpdateDetector', 'guardduty:GetDetector'],
          resources: [`arn:${Aws.PARTITION}:guardduty:${Aws.REGION}:${Aws.ACCOUNT_ID}:detector/${this.detectorId}`],
        }),
        // Malware protection needs its service-linked role; GuardDuty creates it on first enable.
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`],
          conditions: { StringEquals: { 'iam:AWSServiceName': 'malware-protection.guardduty.amazonaws.com' } },
        }),
      ],
    });
    this.adoption = adopt.resource;
    // Tells the BreachLessons GuardDutyDetectorPresent rule that this app does hold a detector.
    (adopt.resource.node.findChild('Resource').node.defaultChild as CfnResource).addMetadata(GUARDDUTY_DETECTOR_METADATA, true);
  }
}
