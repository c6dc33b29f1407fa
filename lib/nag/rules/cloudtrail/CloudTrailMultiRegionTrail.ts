import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, isCustomerManagedKey } from '../common';
import { CannotVerify } from '../../types';

/** What keeps a trail from being the app's complete multi-region trail (empty: it is one). */
export function multiRegionGaps(ix: ResourceIndex, trail: CfnResource): string[] {
  const p = ix.props(trail);
  const gaps: string[] = [];
  if (bool(p.IsMultiRegionTrail, 'IsMultiRegionTrail') !== true) gaps.push('not multi-region');
  if (bool(p.IncludeGlobalServiceEvents, 'IncludeGlobalServiceEvents') === false) gaps.push('excludes global service events');
  if (bool(p.IsLogging, 'IsLogging') !== true) gaps.push('not logging');
  if (bool(p.EnableLogFileValidation, 'EnableLogFileValidation') !== true) gaps.push('no log file validation');
  if (!isCustomerManagedKey(ix, trail, p.KMSKeyId, 'KMSKeyId')) gaps.push('no customer-managed KMS key');
  if (p.CloudWatchLogsLogGroupArn === undefined || p.CloudWatchLogsRoleArn === undefined) gaps.push('no CloudWatch Logs delivery');
  return gaps;
}

/** The trails of the app that qualify, built once per validation; errors are kept, never counted as passing. */
function qualifying(ix: ResourceIndex): { ok: CfnResource[]; errors: string[] } {
  return ix.memo('multiRegionTrails', () => {
    const ok: CfnResource[] = [];
    const errors: string[] = [];
    for (const t of ix.ofType('AWS::CloudTrail::Trail')) {
      try {
        if (multiRegionGaps(ix, t).length === 0) ok.push(t);
      } catch (e) {
        if (e instanceof CannotVerify) errors.push(e.message); else throw e;
      }
    }
    return { ok, errors };
  });
}

/** An app that defines a trail has one multi-region trail with validation, KMS and CloudWatch Logs. */
export function CloudTrailMultiRegionTrail(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const q = qualifying(ix);
  if (q.ok.length > 0) return NagRuleCompliance.COMPLIANT;
  if (q.errors.length > 0) throw new CannotVerify(q.errors[0]);
  return [`no trail of the app is a complete multi-region trail; this one: ${multiRegionGaps(ix, node).join(', ')}`];
}

export const CloudTrailMultiRegionTrailMeta: RuleMetadata = {
  ruleName: 'CloudTrailMultiRegionTrail',
  controlIds: ['LOG-TRAIL'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.6', 'cis-aws:3.1', 'cis-aws:3.2', 'cis-aws:3.5', 'nist-800-53:AU-2', 'nist-800-53:AU-9', 'nist-800-53:AU-12', 'aws-fsbp:CloudTrail.1', 'aws-fsbp:CloudTrail.2', 'aws-fsbp:CloudTrail.4', 'aws-fsbp:CloudTrail.5'],
  level: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  info: 'The app defines trails but none is multi-region, logging, validated, KMS-encrypted and delivered to CloudWatch Logs.',
  explanation: 'Lesson L7 (dwell time is short): an attacker works in the region nobody watches; only a multi-region trail with global events, validation, encryption and a log group for alarms records everything (CIS 3.1).',
  fix: 'Use SecureTrail (a WorkloadBaseline adds one), or create one cloudtrail.Trail with isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableFileValidation: true, encryptionKey and sendToCloudWatchLogs: true.',
};
