import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleCompliance, NagRuleResult, bool, isCustomerManagedKey, list, obj, reasons } from '../common';
import { launchTemplateOf } from './launch-templates';

function checkMappings(ix: ResourceIndex, node: CfnResource, mappings: unknown, what: string): string[] {
  const ebs = list(mappings, what).map((m) => obj(obj(m, 'block device mapping')?.Ebs, 'Ebs')).filter((e) => e !== undefined);
  if (ebs.length === 0) return ['no block device mapping declares the root volume encrypted'];
  const out: string[] = [];
  for (const e of ebs) {
    if (bool(e!.Encrypted, 'Ebs.Encrypted') !== true) out.push('an EBS volume is not encrypted');
    else if (!isCustomerManagedKey(ix, node, e!.KmsKeyId, 'Ebs.KmsKeyId')) out.push('an EBS volume has no customer-managed KmsKeyId');
  }
  return out;
}

/**
 * A launch configuration's block devices: it has no KmsKeyId, so an encrypted volume uses the account's
 * default EBS key, which the template cannot show to be customer-managed; only a launch template can name one.
 */
function checkLaunchConfiguration(mappings: unknown): string[] {
  const ebs = list(mappings, 'BlockDeviceMappings').map((m) => obj(obj(m, 'block device mapping')?.Ebs, 'Ebs')).filter((e) => e !== undefined);
  if (ebs.length === 0) return ['no block device mapping declares the root volume encrypted'];
  const out: string[] = [];
  for (const e of ebs) {
    if (bool(e!.Encrypted, 'Ebs.Encrypted') !== true) out.push('an EBS volume is not encrypted');
    else out.push('a launch configuration cannot name a kms key, so its volumes cannot use a customer-managed key: use a launch template (ec2.LaunchTemplate) instead');
  }
  return [...new Set(out)];
}

/** EBS volumes, launch templates, launch configurations and instances encrypt their volumes with a customer-managed key. */
export function EBSEncryptedCustomerManagedKey(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  switch (node.cfnResourceType) {
    case 'AWS::EC2::Volume':
      if (bool(p.Encrypted, 'Encrypted') !== true) return ['Encrypted is not true'];
      return reasons(isCustomerManagedKey(ix, node, p.KmsKeyId, 'KmsKeyId') ? [] : ['no customer-managed KmsKeyId']);
    case 'AWS::EC2::LaunchTemplate':
      return reasons(checkMappings(ix, node, obj(p.LaunchTemplateData, 'LaunchTemplateData')?.BlockDeviceMappings, 'BlockDeviceMappings'));
    case 'AWS::AutoScaling::LaunchConfiguration':
      return reasons(checkLaunchConfiguration(p.BlockDeviceMappings));
    default:
      // An instance launched from a template of the app: the template carries the volumes and is evaluated itself;
      // one outside the app cannot be seen, so its volumes cannot be verified. Volumes the instance declares are judged here.
      if (p.LaunchTemplate !== undefined) launchTemplateOf(ix, node, obj(p.LaunchTemplate, 'LaunchTemplate')!);
      if (p.BlockDeviceMappings === undefined && p.LaunchTemplate !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
      return reasons(checkMappings(ix, node, p.BlockDeviceMappings, 'BlockDeviceMappings'));
  }
}

export const EBSEncryptedCustomerManagedKeyMeta: RuleMetadata = {
  ruleName: 'EBSEncryptedCustomerManagedKey',
  controlIds: ['DATA-CMK'],
  cites: ['glba:314.4(c)(3)', 'nydfs-500:500.15', 'nist-800-53:SC-28', 'nist-800-53:SC-28(1)', 'nist-800-53:SC-12'],
  level: 'error',
  resourceTypes: ['AWS::EC2::Volume', 'AWS::EC2::LaunchTemplate', 'AWS::EC2::Instance', 'AWS::AutoScaling::LaunchConfiguration'],
  info: 'The EBS volume, launch template, launch configuration or instance does not encrypt its volumes with a customer-managed KMS key.',
  explanation: 'Lesson L5 (stolen PII is unreadable): a snapshot of an unencrypted volume can be shared to another account and read there (CIS 5.1.1).',
  fix: 'Declare every volume with encrypted: true and kmsKey: the key of a CustomerManagedKey (blockDevices: [{ volume: BlockDeviceVolume.ebs(size, { encrypted: true, kmsKey }) }]). A launch configuration cannot name a key: replace it with a launch template.',
};
