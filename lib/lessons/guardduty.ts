/**
 * GuardDuty facts the controls GD-ENABLED, GD-TRIAGE and IR-ROUTING rest on (../shared/LESSONS.md):
 * the one place the construct, the BreachLessons rules and the live audit take them from.
 */

/** A GuardDuty protection plan and the additional configuration it takes. */
export interface GuardDutyFeature {
  readonly name: string;
  readonly additionalConfiguration?: readonly string[];
}

/**
 * Every protection plan (GD-ENABLED). RUNTIME_MONITORING supersedes EKS_RUNTIME_MONITORING: the two
 * together are an error, so only the former is listed, with agent management for EKS, ECS Fargate and EC2.
 */
export const GUARDDUTY_FEATURES: readonly GuardDutyFeature[] = [
  { name: 'S3_DATA_EVENTS' },
  { name: 'EKS_AUDIT_LOGS' },
  { name: 'EBS_MALWARE_PROTECTION' },
  { name: 'RDS_LOGIN_EVENTS' },
  { name: 'LAMBDA_NETWORK_LOGS' },
  { name: 'RUNTIME_MONITORING', additionalConfiguration: ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'] },
];

/** The names of the protection plans every detector must enable. */
export const GUARDDUTY_PLAN_NAMES: readonly string[] = GUARDDUTY_FEATURES.map((f) => f.name);

/** Findings at or above this severity are high (7.0-8.9) or critical (9.0+): they page people. */
export const GUARDDUTY_HIGH_SEVERITY = 7;
