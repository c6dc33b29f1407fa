import { CfnResource } from 'aws-cdk-lib';
import { ResourceIndex } from '../../resource-index';
import { RuleMetadata } from '../../types';
import { NagRuleResult, bool, list, obj, reasons, str } from '../common';
import { GUARDDUTY_FEATURES, GUARDDUTY_PLAN_NAMES } from '../../../lessons';

/** The plans every detector must enable: the catalogue's list (lib/lessons), the one the detector construct enables. */
export const REQUIRED_GUARDDUTY_FEATURES = GUARDDUTY_PLAN_NAMES;

/** A GuardDuty detector is enabled with every protection plan. */
export function GuardDutyAllProtections(node: CfnResource, ix: ResourceIndex): NagRuleResult {
  const p = ix.props(node);
  if (bool(p.Enable, 'Enable') !== true) return ['the detector is not enabled'];
  const enabled = new Set<string>();
  const agents: string[] = [];
  for (const f of list(p.Features, 'Features')) {
    const feature = obj(f, 'feature')!;
    if (str(feature.Status, 'feature Status') !== 'ENABLED') continue;
    const name = String(str(feature.Name, 'feature Name'));
    enabled.add(name);
    agents.push(...agentGaps(name, feature));
  }
  const ds = obj(p.DataSources, 'DataSources');
  if (ds) {
    if (bool(obj(ds.S3Logs, 'S3Logs')?.Enable, 'S3Logs.Enable') === true) enabled.add('S3_DATA_EVENTS');
    if (bool(obj(obj(ds.Kubernetes, 'Kubernetes')?.AuditLogs, 'AuditLogs')?.Enable, 'AuditLogs.Enable') === true) enabled.add('EKS_AUDIT_LOGS');
    const scan = obj(obj(ds.MalwareProtection, 'MalwareProtection')?.ScanEc2InstanceWithFindings, 'ScanEc2InstanceWithFindings');
    if (bool(scan?.EbsVolumes, 'EbsVolumes') === true) enabled.add('EBS_MALWARE_PROTECTION');
  }
  return reasons([...REQUIRED_GUARDDUTY_FEATURES.filter((f) => !enabled.has(f)).map((f) => `${f} is not enabled`), ...agents]);
}

/**
 * The agent management an ENABLED plan lacks (runtime monitoring's EKS, ECS Fargate and EC2 agents):
 * without it GuardDuty deploys no security agent, so the plan is on but sees nothing there (Fargate
 * tasks can be watched only through it).
 */
function agentGaps(name: string, feature: Record<string, unknown>): string[] {
  const required = GUARDDUTY_FEATURES.find((x) => x.name === name)?.additionalConfiguration ?? [];
  if (required.length === 0) return [];
  const what = `${name} AdditionalConfiguration`;
  const on = new Set<string>();
  for (const a of list(feature.AdditionalConfiguration, what)) {
    const c = obj(a, `${what} entry`)!;
    if (str(c.Status, `${what} Status`) === 'ENABLED') on.add(String(str(c.Name, `${what} Name`)));
  }
  const off = required.filter((r) => !on.has(r));
  return off.length > 0 ? [`${name} is enabled without ${off.join(', ')} (GuardDuty deploys no security agent there)`] : [];
}

export const GuardDutyAllProtectionsMeta: RuleMetadata = {
  ruleName: 'GuardDutyAllProtections',
  controlIds: ['GD-ENABLED'],
  cites: ['glba:314.4(c)(8)', 'nydfs-500:500.14(a)', 'nydfs-500:500.14(b)', 'nist-800-53:SI-3', 'nist-800-53:SI-4', 'aws-fsbp:GuardDuty.1', 'aws-fsbp:GuardDuty.5', 'aws-fsbp:GuardDuty.6', 'aws-fsbp:GuardDuty.8', 'aws-fsbp:GuardDuty.9', 'aws-fsbp:GuardDuty.10', 'aws-fsbp:GuardDuty.11'],
  level: 'error',
  resourceTypes: ['AWS::GuardDuty::Detector'],
  info: 'The GuardDuty detector is disabled, misses a protection plan or the agent management a plan needs.',
  explanation: 'Lesson L3 (malware is seen): the breach ran malware and moved data unseen; each plan (S3 data events, EKS audit logs, EBS malware protection, RDS login events, Lambda network logs, runtime monitoring) watches a path the attacker can take.',
  fix: 'Use GuardDutyDetector (every plan of lib/lessons enabled; adoptExisting: true updates the detector the account already has), or enable the detector with Features S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS and RUNTIME_MONITORING all ENABLED, RUNTIME_MONITORING with AdditionalConfiguration EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT and EC2_AGENT_MANAGEMENT ENABLED (GuardDuty deploys the security agents; Fargate tasks can be watched no other way).',
};
