import { CfnResource } from 'aws-cdk-lib';
import { outsiderAccess, OutsiderOptions, showOwn } from '../../../policy/questions';
import { ResourceIndex } from '../../resource-index';
import { CannotVerify, RuleMetadata } from '../../types';
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

/**
 * The ARNs of what the policy protects, tried for statements on Resource "*" or NotResource: every
 * bucket (and a sample object), topic or queue it names, and a stand-in of the own account and region
 * for any it names by a value the rule cannot resolve (no literal NotResource can exclude that one).
 */
function protectedArns(ix: ResourceIndex, node: CfnResource, standIn?: string): { arns: string[]; unnamed: boolean } {
  let unnamed = false;
  const own = ownOf(ix, node);
  const arnOf = (v: unknown): string | undefined => {
    const t = ix.deref(node, v);
    // A topic's Ref is its ARN; a queue's Ref is its URL, its ARN the Arn attribute.
    const arn = t.kind === 'resource' ? syntheticValue(ix, t.node, t.node.cfnResourceType === 'AWS::SNS::Topic' ? undefined : 'Arn') : undefined;
    return typeof arn === 'string' ? arn : undefined;
  };
  const named = (property: string, service: string): string[] => {
    const arns = list(ix.props(node)[property], property).map(arnOf);
    const known = arns.filter((x): x is string => x !== undefined);
    if (known.length === arns.length && known.length > 0) return known;
    unnamed = true;
    return [...known, `arn:${own.partition}:${service}:${own.region}:${own.account}:${standIn ?? `protected-${service === 'sns' ? 'topic' : 'queue'}`}`];
  };
  switch (node.cfnResourceType) {
    case 'AWS::KMS::Key': return { arns: [syntheticValue(ix, node, 'Arn') as string], unnamed };
    case 'AWS::S3::BucketPolicy': {
      const bucket = ix.props(node).Bucket;
      const t = ix.propTarget(node, 'Bucket');
      const arn = t.kind === 'resource' ? syntheticValue(ix, t.node, 'Arn') : typeof bucket === 'string' ? `arn:${own.partition}:s3:::${bucket}` : undefined;
      unnamed = typeof arn !== 'string';
      const b = typeof arn === 'string' ? arn : `arn:${own.partition}:s3:::${standIn ?? 'protected-bucket'}`;
      return { arns: [b, `${b}/data/customers.csv`], unnamed };
    }
    case 'AWS::SNS::TopicPolicy': return { arns: named('Topics', 'sns'), unnamed };
    default: return { arns: named('Queues', 'sqs'), unnamed };
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
  const own = ownOf(ix, node);
  const answer = (standIn?: string) => {
    const { arns, unnamed } = protectedArns(ix, node, standIn);
    const ask = ([d]: readonly unknown[], subject: string) => {
      const options: OutsiderOptions = { defaultActions: ACTIONS[node.cfnResourceType], defaultResources: arns.map((x) => x.split(arns[0]).join(subject)), wildcardOnly: true };
      return outsiderAccess(d, own, options);
    };
    // Shared only when every ARN tried derives from the subject's (a bucket and its object): a second
    // topic or queue would keep its real name while the canonical document renames it.
    const a = arns.every((x) => x.startsWith(arns[0]))
      ? sharedAnswer(ix, `outsiders ${node.cfnResourceType}`, [doc], arns[0], own, ask)
      : ask([doc], arns[0]);
    return { a, unnamed };
  };
  const { a, unnamed } = answer();
  if (decided(a, 'who the resource policy admits')) return a.why.map((w) => `${showOwn(w)}: a wildcard principal is not limited to the own account or organization`);
  // What it protects has a name unknown until deployment: a stand-in kept out by a resource pattern
  // (NotResource "...:*-queue") says nothing of the real name unless a stand-in of another name is too.
  if (unnamed) {
    const other = answer('x7').a; // a name sharing no letter, prefix or suffix with the first
    if (other.yes !== false) throw new CannotVerify(`cannot verify who the resource policy admits: what it protects is named only at deployment, and a resource pattern of the policy keeps out some names only (${other.why.map(showOwn).join('; ')})`);
  }
  return NagRuleCompliance.COMPLIANT;
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
