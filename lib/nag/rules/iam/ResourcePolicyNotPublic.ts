import { CfnResource } from 'aws-cdk-lib';
import { outsiderAccess, OutsiderOptions, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, decided, list, ownOf, policyJson, sharedAnswer, syntheticValue } from '../common';
import { l2CertainlyNotPublic } from './l2-policy';

const DOCUMENT_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
};

/** Actions tried for a wildcard Action, by policy type: the first is the one most worth stealing. */
const ACTIONS: Readonly<Record<string, string[]>> = {
  'AWS::S3::BucketPolicy': ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:PutBucketPolicy'],
  'AWS::SNS::TopicPolicy': ['sns:Subscribe', 'sns:Publish', 'sns:SetTopicAttributes'],
  'AWS::SQS::QueuePolicy': ['sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:SetQueueAttributes'],
  'AWS::KMS::Key': ['kms:Decrypt', 'kms:Encrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy'],
};

/** The ARNs of what the policy protects (first target), tried for a statement on Resource "*". */
function protectedArns(ix: ResourceIndex, node: CfnResource): string[] {
  const own = (v: unknown): string | undefined => {
    const t = ix.deref(node, v);
    const arn = t.kind === 'resource' ? syntheticValue(ix, t.node, t.node.cfnResourceType === 'AWS::SNS::Topic' ? undefined : 'Arn') : undefined;
    return typeof arn === 'string' ? arn : undefined;
  };
  const p = ix.props(node);
  switch (node.cfnResourceType) {
    case 'AWS::KMS::Key': return [syntheticValue(ix, node, 'Arn') as string];
    case 'AWS::S3::BucketPolicy': {
      const t = ix.propTarget(node, 'Bucket');
      const arn = t.kind === 'resource' ? syntheticValue(ix, t.node, 'Arn') : typeof p.Bucket === 'string' ? `arn:aws:s3:::${p.Bucket}` : undefined;
      return typeof arn === 'string' ? [arn, `${arn}/data/customers.csv`] : ['arn:aws:s3:::protected-bucket', 'arn:aws:s3:::protected-bucket/data/customers.csv'];
    }
    case 'AWS::SNS::TopicPolicy': {
      const arns = list(p.Topics, 'Topics').map(own).filter((x): x is string => x !== undefined);
      return arns.length > 0 ? arns.slice(0, 2) : ['arn:aws:sns:us-east-1:111122223333:protected-topic'];
    }
    default: return ['arn:aws:sqs:us-east-1:111122223333:protected-queue'];
  }
}

/**
 * No resource policy lets a principal outside the own account and organization in through a wildcard
 * principal: each statement is evaluated (lib/policy) for principals of a foreign account, of a
 * foreign organization, and of every account or organization the policy names that is not the own.
 */
export function ResourcePolicyNotPublic(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const property = DOCUMENT_PROPERTY[node.cfnResourceType];
  if (l2CertainlyNotPublic(ix.rawProp(node, property))) return NagRuleCompliance.COMPLIANT;
  const raw = ix.props(node)[property];
  if (raw === undefined) return NagRuleCompliance.COMPLIANT;
  const doc = policyJson(ix, node, raw);
  const arns = protectedArns(ix, node);
  const own = ownOf(ix, node);
  const a = sharedAnswer(ix, `outsiders ${node.cfnResourceType}`, [doc], arns[0], own, ([d], subject) => {
    const options: OutsiderOptions = { defaultActions: ACTIONS[node.cfnResourceType], defaultResources: arns.map((x) => x.split(arns[0]).join(subject)), wildcardOnly: true };
    return outsiderAccess(d, own, options);
  });
  return decided(a, 'who the resource policy admits') ? a.why.map((w) => `${showOwn(w)}: a wildcard principal is not limited to the own account or organization`) : NagRuleCompliance.COMPLIANT;
}

export const ResourcePolicyNotPublicMeta: RuleMetadata = {
  ruleName: 'ResourcePolicyNotPublic',
  controlIds: ['DATA-PUBLIC'],
  level: 'error',
  resourceTypes: Object.keys(DOCUMENT_PROPERTY),
  info: 'A resource policy allows everyone (Principal "*") without a condition narrowing the caller.',
  explanation: 'Lesson L5 (stolen PII is unreadable): a policy open to "*" makes the bucket, topic, queue or key usable from any AWS account on the internet.',
  fix: 'Name the principals, or keep Principal "*" only with a condition that narrows the caller (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn, aws:SourceVpce, kms:CallerAccount, kms:ViaService).',
};
