import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, cannotVerify, compliantIf, list, obj, str } from '../common';
import { isClusterMember } from '../ec2/network';
import { BACKUP_TYPES } from './stateful';

interface Coverage { readonly resources: Set<CfnResource>; readonly tags: Set<string>; readonly wildcards: string[]; readonly unresolved: unknown[] }

/** What the app's backup selections cover, built once per validation. */
function coverage(ix: ResourceIndex): Coverage {
  return ix.memo('backupCoverage', () => {
    const c: Coverage = { resources: new Set(), tags: new Set(), wildcards: [], unresolved: [] };
    for (const sel of ix.ofType('AWS::Backup::BackupSelection')) {
      const s = obj(ix.props(sel).BackupSelection, 'BackupSelection') ?? {};
      for (const r of Array.isArray(s.Resources) ? s.Resources : []) {
        const t = ix.deref(sel, r);
        if (t.kind === 'resource') c.resources.add(t.node);
        else if (t.kind === 'literal' && t.value.includes('*')) c.wildcards.push(t.value);
        else if (t.kind === 'unresolved') c.unresolved.push(r);
      }
      for (const cond of Array.isArray(s.ListOfTags) ? s.ListOfTags : []) {
        const o = cond as Record<string, unknown>;
        if (o.ConditionType === 'STRINGEQUALS' && typeof o.ConditionKey === 'string' && typeof o.ConditionValue === 'string') {
          c.tags.add(`${o.ConditionKey}=${o.ConditionValue}`);
        }
      }
    }
    return c;
  });
}

const SERVICE: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 's3', 'AWS::DynamoDB::Table': 'dynamodb', 'AWS::DynamoDB::GlobalTable': 'dynamodb', 'AWS::RDS::DBInstance': 'rds',
  'AWS::RDS::DBCluster': 'rds', 'AWS::EC2::Volume': 'ec2', 'AWS::EFS::FileSystem': 'elasticfilesystem',
};

function tagsOf(ix: ResourceIndex, node: CfnResource): string[] {
  const p = ix.props(node);
  const raw = node.cfnResourceType === 'AWS::EFS::FileSystem' ? p.FileSystemTags : p.Tags;
  return list(raw, 'Tags').map((t) => {
    const o = obj(t, 'tag')!;
    return `${str(o.Key, 'tag Key')}=${str(o.Value, 'tag Value')}`;
  });
}

/** Stateful resources are covered by an AWS Backup selection (by resource, tag or wildcard ARN). */
export function StatefulResourceBackedUp(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  if (isClusterMember(ix, node)) return NagRuleCompliance.NOT_APPLICABLE;
  const c = coverage(ix);
  if (c.resources.has(node)) return compliantIf(true);
  if (c.wildcards.some((w) => w === '*' || w.includes(`:${SERVICE[node.cfnResourceType]}:`))) return compliantIf(true);
  if (tagsOf(ix, node).some((t) => c.tags.has(t))) return compliantIf(true);
  if (c.unresolved.length > 0) return cannotVerify('a backup selection resource', c.unresolved[0]);
  return compliantIf(false);
}

export const StatefulResourceBackedUpMeta: RuleMetadata = {
  ruleName: 'StatefulResourceBackedUp',
  controlIds: ['BAK-VAULTLOCK'],
  cites: ['nydfs-500:500.16', 'nist-800-53:CP-9'],
  level: 'error',
  resourceTypes: BACKUP_TYPES,
  info: 'No AWS Backup selection of the app covers the stateful resource.',
  explanation: 'Lesson L8 (recovery without paying): a resource outside every backup plan cannot be restored after ransomware encrypts or deletes it; paying becomes the only option.',
  fix: 'Two causes, one finding: if the resource does not carry the backup tag, tag it (Tags.of(resource).add(\'hardening:backup\', \'required\')) or add BackupResource.fromConstruct(resource) to a plan; if it already carries the tag, no plan of the app selects that tag: add a TaggedBackupPlan (it selects the tag) writing to a LockedBackupVault. Either way the plan must write to the locked vault.',
};
