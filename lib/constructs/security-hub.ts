import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/** The standards enabled: AWS Foundational Security Best Practices and the CIS AWS Foundations Benchmark. */
export const SECURITY_HUB_STANDARDS = {
  fsbp: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  cis: 'standards/cis-aws-foundations-benchmark/v/3.0.0',
} as const;

/**
 * Security Hub with the FSBP and CIS standards (CIS 4.16); consolidated control findings, no
 * default standards beyond these two.
 */
export class SecurityHub extends Construct {
  public readonly hub: securityhub.CfnHub;
  public readonly standards: securityhub.CfnStandard[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.hub = new securityhub.CfnHub(this, 'Resource', {
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    const stack = Stack.of(this);
    for (const [name, path] of Object.entries(SECURITY_HUB_STANDARDS)) {
      const standard = new securityhub.CfnStandard(this, name.toUpperCase(), {
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::${path}`,
      });
      standard.addResourceDependency(this.hub);
      this.standards.push(standard);
    }
  }
}
