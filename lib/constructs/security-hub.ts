import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SecurityAutomation } from './security-automation';

/**
 * The standards enabled: AWS Foundational Security Best Practices and the CIS AWS Foundations
 * Benchmark. Security Hub offers CIS v1.2.0, v1.4.0, v3.0.0 and v5.0.0 - no v4.0.1, the version
 * lib/lessons cites - so the hub runs v5.0.0, the one that supersedes v4.0.1; its control numbers
 * differ from v4.0.1's (lib/lessons states the version of every CIS number it cites).
 */
export const SECURITY_HUB_STANDARDS = {
  fsbp: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  cis: 'standards/cis-aws-foundations-benchmark/v/5.0.0',
} as const;

export interface SecurityHubProps {
  /**
   * Adopt the hub that is already enabled in this account and region (one hub per account and
   * region: creating a second fails the deployment, as it does under an organization's delegated
   * administrator). The standards are still enabled on it; a lookup fails the deployment visibly
   * when no hub is enabled.
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * Security Hub with the FSBP and CIS standards (CIS 4.16); consolidated control findings, no
 * default standards beyond these two. The hub is created, or adopted where one is enabled.
 */
export class SecurityHub extends Construct {
  /** The created hub; undefined when adopted. */
  public readonly hub?: securityhub.CfnHub;
  /** The lookup of the adopted hub; undefined when created. */
  public readonly lookup?: cr.AwsCustomResource;
  public readonly standards: securityhub.CfnStandard[] = [];
  public readonly adopted: boolean;

  constructor(scope: Construct, id: string, props: SecurityHubProps = {}) {
    super(scope, id);
    this.adopted = props.adoptExisting ?? false;
    if (!this.adopted) {
      this.hub = new securityhub.CfnHub(this, 'Resource', {
        enableDefaultStandards: false,
        controlFindingGenerator: 'SECURITY_CONTROL',
        autoEnableControls: true,
      });
    } else {
      const describe: cr.AwsSdkCall = {
        service: 'SecurityHub',
        action: 'describeHub',
        parameters: {},
        physicalResourceId: cr.PhysicalResourceId.of('existing-security-hub'),
        outputPaths: ['HubArn'],
      };
      // No onDelete: the adopted hub and its standards stay when the stack goes.
      const find = SecurityAutomation.of(this).call(this, 'Find', {
        resourceType: 'Custom::SecurityHubLookup',
        onCreate: describe,
        onUpdate: describe,
        statements: [new iam.PolicyStatement({ actions: ['securityhub:DescribeHub'], resources: [`arn:${Stack.of(this).partition}:securityhub:${Stack.of(this).region}:${Stack.of(this).account}:hub/default`] })],
      });
      this.lookup = find.resource;
    }
    const stack = Stack.of(this);
    for (const [name, path] of Object.entries(SECURITY_HUB_STANDARDS)) {
      const standard = new securityhub.CfnStandard(this, name.toUpperCase(), {
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::${path}`,
      });
      if (this.hub) standard.addResourceDependency(this.hub);
      if (this.lookup) standard.node.addDependency(this.lookup);
      this.standards.push(standard);
    }
  }
}
