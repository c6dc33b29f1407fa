import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { alertEmailsOrParameter, ALERT_EMAIL_PARAMETER } from '../constructs/alert-topic';
import { StackSetTemplate, StackSetTemplateProps } from '../constructs/stackset-template';
import { BaselineGlobalStack, BaselineRegionalStack } from './baseline-stacks';

export interface OrgBaselineStackProps extends StackProps {
  /** The StackSets' names (baselineStackSetNames of lib/config: the audit looks for the same). */
  readonly stackSetNames: { readonly global: string; readonly regional: string };
  readonly global: BaselineGlobalStack;
  readonly regional: BaselineRegionalStack;
  /** The home region: where the global baseline (IAM) is deployed once per account. */
  readonly homeRegion: string;
  readonly governedRegions: string[];
  readonly organizationalUnitIds: string[];
  readonly excludeAccounts: string[];
  readonly operationPreferences: StackSetProps['operationPreferences'];
  /** @default - a CloudFormation parameter AlertEmail, passed on to the regional baseline */
  readonly alertEmails?: readonly string[];
}

type StackSetProps = StackSetTemplateProps;

/**
 * The baseline StackSets, from the security-tooling account (the StackSets delegated administrator) in
 * its home region: the global baseline in the home region of every account of the targets, and the
 * regional baseline in every governed region, which for a new account waits for the global one
 * (auto-deployment DependsOn) because its plans use the global backup role.
 */
export class OrgBaselineStack extends Stack {
  public readonly global: StackSetTemplate;
  public readonly regional: StackSetTemplate;

  constructor(scope: Construct, id: string, props: OrgBaselineStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const common = {
      organizationalUnitIds: props.organizationalUnitIds,
      excludeAccounts: props.excludeAccounts,
      operationPreferences: props.operationPreferences,
    };
    this.global = new StackSetTemplate(this, 'GlobalBaseline', {
      ...common,
      stackSetName: props.stackSetNames.global,
      description: 'cdk-hardening: global baseline of every account (permissions boundary, audit role, human roles, backup role)',
      template: props.global,
      regions: [props.homeRegion],
    });
    const parameters = props.alertEmails === undefined ? { [ALERT_EMAIL_PARAMETER]: alertEmailsOrParameter(this)[0] } : undefined;
    this.regional = new StackSetTemplate(this, 'RegionalBaseline', {
      ...common,
      stackSetName: props.stackSetNames.regional,
      description: 'cdk-hardening: regional baseline of every account (locked backup vault and plan, account alert rules; no detector)',
      template: props.regional,
      regions: props.governedRegions,
      parameters,
      dependsOn: [this.global],
    });
  }
}
