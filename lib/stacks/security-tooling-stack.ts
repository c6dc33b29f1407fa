import { Stack, StackProps } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct } from 'constructs';
import { alertEmailsOrParameter } from '../constructs/alert-topic';
import { GuardDutyOrganizationConfiguration } from '../constructs/guardduty-organization-configuration';
import { OrganizationAuditor, OrganizationAuditorProps } from '../constructs/organization-auditor';
import { SecurityAlerts } from '../constructs/security-alerts';

export interface SecurityToolingStackProps extends StackProps {
  /** @default - a CloudFormation parameter AlertEmail, given at deploy time */
  readonly alertEmails?: readonly string[];
  /** The SCP-protected prefix of the alert rule and topic names. */
  readonly securityNamePrefix: string;
  readonly breakGlassRoleName: string;
  /** Name of the organization's external-access analyzer in this region. */
  readonly analyzerName: string;
  /**
   * The role the organization audit runs as (IAM is global: one region's stack holds it).
   * @default - none (a role IAM Identity Center creates, or another region's stack holds it)
   */
  readonly auditor?: OrganizationAuditorProps;
}

/**
 * The security-tooling account, one stack per governed region: GuardDuty's organization configuration
 * (every member, present and future, with every protection plan of lib/lessons), the routing of
 * high-severity findings — which the delegated administrator receives from every member — to an
 * encrypted topic, an organization-wide IAM Access Analyzer (what is shared outside the organization) and,
 * in one region, the role people run the organization audit as (MFA required; it may assume only the
 * audit role of the organization's accounts).
 * The administrator's own detector is created when the management account designates it; none here.
 */
export class SecurityToolingStack extends Stack {
  public readonly guardDuty: GuardDutyOrganizationConfiguration;
  public readonly alerts: SecurityAlerts;
  public readonly analyzer: accessanalyzer.CfnAnalyzer;
  public readonly auditor?: OrganizationAuditor;

  constructor(scope: Construct, id: string, props: SecurityToolingStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.guardDuty = new GuardDutyOrganizationConfiguration(this, 'GuardDutyOrganization');
    this.alerts = new SecurityAlerts(this, 'Alerts', {
      emails: alertEmailsOrParameter(this, props.alertEmails), namePrefix: props.securityNamePrefix,
      keyAlias: 'hardening/organization-security-alerts', breakGlassRoleName: props.breakGlassRoleName,
    });
    this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'OrganizationAccessAnalyzer', { type: 'ORGANIZATION', analyzerName: props.analyzerName });
    if (props.auditor) this.auditor = new OrganizationAuditor(this, 'Auditor', props.auditor);
  }
}
