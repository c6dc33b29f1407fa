import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding (AwsSolutions, NIST 800-53 R5) on the one construct it concerns,
 * with a reason specific to that construct. Never use it on a stack or the app.
 */
export function acknowledgeNag(construct: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < 20) {
    throw new Error(`acknowledgement of ${ruleId} on ${construct.node.path} needs a specific reason of at least 20 characters, got '${reason}'`);
  }
  Validations.of(construct).acknowledge({ id: ruleId, reason });
}
