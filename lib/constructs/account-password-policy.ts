import { CfnResource, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { ACCOUNT_PASSWORD_POLICY_METADATA } from '../nag/rules/iam/IAMAccountPasswordPolicyStrong';
import { acknowledgeNag } from './acknowledge';
import { InlineAutomationFunction } from './inline-automation-function';
import { SecurityAutomation } from './security-automation';
import { StackSetTemplateSynthesizer } from './stackset-template';

/** CIS AWS Foundations 1.8 and 1.9: the floor every password policy must meet. */
export const PASSWORD_POLICY_FLOOR = { minimumPasswordLength: 14, passwordReusePrevention: 24 } as const;

export interface AccountPasswordPolicyProps {
  /** @default 14 — never less (CIS 1.8) */
  readonly minimumPasswordLength?: number;
  /** @default 24 — never less (CIS 1.9) */
  readonly passwordReusePrevention?: number;
  /** Days before a password expires (1–1095). @default 90 */
  readonly maxPasswordAgeDays?: number;
}

/**
 * The account password policy (IAM-PASSWORD). CloudFormation has no resource for it, so a custom
 * resource calls iam:UpdateAccountPasswordPolicy on create and update. Every character class is
 * required. Nothing is called on delete: the policy stays in place when the resource or the stack
 * goes (deleting it would drop the account to AWS's defaults — 8 characters, no reuse prevention —
 * and a replaced resource's clean-up would delete the policy its successor had just set).
 */
export class AccountPasswordPolicy extends Construct {
  /** The parameters sent to UpdateAccountPasswordPolicy. */
  public readonly parameters: Readonly<Record<string, number | boolean>>;
  /** The AwsCustomResource, or in a StackSet template (no asset) a custom resource of an inline-code function. */
  public readonly resource: cr.AwsCustomResource | CustomResource;

  constructor(scope: Construct, id: string, props: AccountPasswordPolicyProps = {}) {
    super(scope, id);
    const length = props.minimumPasswordLength ?? PASSWORD_POLICY_FLOOR.minimumPasswordLength;
    const reuse = props.passwordReusePrevention ?? PASSWORD_POLICY_FLOOR.passwordReusePrevention;
    const maxAge = props.maxPasswordAgeDays ?? DEFAULTS.passwordMaxAgeDays;
    if (!Number.isInteger(length) || length < PASSWORD_POLICY_FLOOR.minimumPasswordLength || length > 128) {
      throw new Error(`minimumPasswordLength must be an integer from ${PASSWORD_POLICY_FLOOR.minimumPasswordLength} to 128 (CIS 1.8), got ${length}`);
    }
    if (!Number.isInteger(reuse) || reuse < PASSWORD_POLICY_FLOOR.passwordReusePrevention || reuse > 24) {
      throw new Error(`passwordReusePrevention must be ${PASSWORD_POLICY_FLOOR.passwordReusePrevention} (CIS 1.9; IAM allows at most 24), got ${reuse}`);
    }
    if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > 1095) {
      throw new Error(`maxPasswordAgeDays must be an integer from 1 to 1095, got ${maxAge}`);
    }
    this.parameters = {
      MinimumPasswordLength: length,
      PasswordReusePrevention: reuse,
      MaxPasswordAge: maxAge,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      HardExpiry: false,
    };
    const update: cr.AwsSdkCall = {
      service: 'IAM',
      action: 'updateAccountPasswordPolicy',
      parameters: this.parameters,
      physicalResourceId: cr.PhysicalResourceId.of('account-password-policy'),
    };
    const statement = new iam.PolicyStatement({ actions: ['iam:UpdateAccountPasswordPolicy'], resources: ['*'] });
    const noResourceArn = 'the account password policy is an account-level setting: UpdateAccountPasswordPolicy supports no resource ARN';
    if (StackSetTemplateSynthesizer.isStackSetTemplate(Stack.of(this))) {
      // A StackSet template carries no asset: the same SDK call, made by a function with inline code.
      const automation = new InlineAutomationFunction(this, 'Automation', {
        handler: 'account-password-policy',
        nameSuffix: 'PasswordPolicy',
        description: 'cdk-hardening: sets the account password policy (IAM UpdateAccountPasswordPolicy)',
        statements: [statement],
        timeout: Duration.minutes(2),
      });
      acknowledgeNag(automation.policy, 'AwsSolutions-IAM5[Resource::*]', noResourceArn);
      const resource = automation.customResource(this, 'Resource', 'Custom::AccountPasswordPolicy', { Create: JSON.stringify(update), Update: JSON.stringify(update) });
      (resource.node.defaultChild as CfnResource).addMetadata(ACCOUNT_PASSWORD_POLICY_METADATA, true);
      this.resource = resource;
      return;
    }
    const call = SecurityAutomation.of(this).call(this, 'Resource', {
      resourceType: 'Custom::AccountPasswordPolicy',
      onCreate: update,
      onUpdate: update,
      // No onDelete: the password policy is retained (see above).
      statements: [statement],
    });
    acknowledgeNag(call.policy, 'AwsSolutions-IAM5[Resource::*]', noResourceArn);
    // Marks the resource for BreachLessons-IAMAccountPasswordPolicyStrong, whatever its type is called.
    (call.resource.node.findChild('Resource').node.defaultChild as CfnResource).addMetadata(ACCOUNT_PASSWORD_POLICY_METADATA, true);
    this.resource = call.resource;
  }
}
