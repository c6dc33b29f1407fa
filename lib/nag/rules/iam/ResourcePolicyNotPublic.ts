import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, principalKinds, reasons, statements } from '../common';
import { l2CertainlyNotPublic, narrowsPrincipal } from './l2-policy';

const DOCUMENT_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
};

/** No resource policy allows everyone ("*") without a condition narrowing the caller (organization, account, source). */
export function ResourcePolicyNotPublic(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const property = DOCUMENT_PROPERTY[node.cfnResourceType];
  if (l2CertainlyNotPublic(ix.rawProp(node, property))) return NagRuleCompliance.COMPLIANT;
  const out: string[] = [];
  for (const s of statements(ix.props(node)[property], 'resource policy')) {
    if (s.Effect !== 'Allow' || narrowsPrincipal(s.Condition)) continue;
    if (s.NotPrincipal !== undefined || principalKinds(ix, node, s.Principal, 'Principal').includes('any')) {
      out.push(`statement${s.Sid ? ` ${String(s.Sid)}` : ''} allows everyone without a condition narrowing the caller`);
    }
  }
  return reasons(out);
}

export const ResourcePolicyNotPublicMeta: RuleMetadata = {
  ruleName: 'ResourcePolicyNotPublic',
  controlIds: ['DATA-PUBLIC'],
  cites: ['glba:314.4(c)(1)', 'nydfs-500:500.7', 'nist-800-53:AC-3', 'nist-800-53:AC-4'],
  level: 'error',
  resourceTypes: Object.keys(DOCUMENT_PROPERTY),
  info: 'A resource policy allows everyone (Principal "*") without a condition narrowing the caller.',
  explanation: 'Lesson L5 (stolen PII is unreadable): a policy open to "*" makes the bucket, topic, queue or key usable from any AWS account on the internet.',
  fix: 'Name the principals, or keep Principal "*" only with a condition that narrows the caller (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn, aws:SourceVpce, kms:CallerAccount, kms:ViaService).',
};
