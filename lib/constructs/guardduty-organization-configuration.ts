import { CustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GUARDDUTY_FEATURES, GUARDDUTY_PLAN_NAMES } from '../lessons';
import { acknowledgeNag } from './acknowledge';
import { GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE } from './handlers/organization';
import { InlineAutomationFunction } from './inline-automation-function';

export interface GuardDutyOrganizationConfigurationProps {
  /**
   * Protection plans every member gets (`AutoEnable: ALL`), by name; runtime monitoring with the agent
   * management lib/lessons lists for it.
   * @default - every plan in lib/lessons/guardduty.ts (GD-ENABLED)
   */
  readonly features?: string[];
}

/**
 * GuardDuty's organization configuration, from the delegated administrator account, in the stack's
 * region: every member account, present and future, auto-enabled (`AutoEnableOrganizationMembers: ALL`)
 * with every protection plan on (`AutoEnable: ALL`). GuardDuty has no CloudFormation resource for it, so
 * a custom resource finds the administrator's detector (created when the management account designated
 * it; the deployment fails with a clear message if there is none), reads the configuration, updates it
 * only when something is not ALL, and leaves it as it is when deleted.
 *
 * GuardDuty's detector and organization-configuration calls support no resource ARN: the role's
 * statements take `Resource: '*'`, limited to this region by `aws:RequestedRegion`.
 */
export class GuardDutyOrganizationConfiguration extends Construct {
  public readonly resource: CustomResource;
  public readonly automation: InlineAutomationFunction;

  constructor(scope: Construct, id: string, props: GuardDutyOrganizationConfigurationProps = {}) {
    super(scope, id);
    const names = props.features ?? [...GUARDDUTY_PLAN_NAMES];
    const errors: string[] = [];
    if (names.length === 0) errors.push('features must name at least one protection plan');
    for (const n of names) {
      if (!GUARDDUTY_PLAN_NAMES.includes(n)) errors.push(`features: '${n}' is not a protection plan of lib/lessons (${GUARDDUTY_PLAN_NAMES.join(', ')})`);
    }
    if (new Set(names).size !== names.length) errors.push(`features lists a plan twice: ${names.join(', ')}`);
    if (errors.length > 0) throw new Error(`GuardDutyOrganizationConfiguration ${this.node.path}: ${errors.join('; ')}`);
    const features = GUARDDUTY_FEATURES.filter((f) => names.includes(f.name));

    this.automation = new InlineAutomationFunction(this, 'Automation', {
      handler: 'organization',
      nameSuffix: 'GuardDutyOrg',
      description: 'cdk-hardening: auto-enables GuardDuty and every protection plan for every member account of the organization',
      statements: [
        new iam.PolicyStatement({
          sid: 'ConfigureGuardDutyOrganization',
          actions: ['guardduty:ListDetectors', 'guardduty:DescribeOrganizationConfiguration', 'guardduty:UpdateOrganizationConfiguration'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
        }),
      ],
    });
    acknowledgeNag(this.automation.policy, 'AwsSolutions-IAM5[Resource::*]',
      'guardduty:ListDetectors, DescribeOrganizationConfiguration and UpdateOrganizationConfiguration support no resource ARN; limited to this region');

    this.resource = this.automation.customResource(this, 'Resource', GUARDDUTY_ORGANIZATION_CONFIGURATION_TYPE, {
      Features: features.map((f) => ({ Name: f.name, ...(f.additionalConfiguration ? { AdditionalConfiguration: [...f.additionalConfiguration] } : {}) })),
    });
  }
}
